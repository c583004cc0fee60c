// sync/engine/backoff.h on its own: the jitter stays inside [minimum, ceiling] for every failure
// count, the ceiling doubles to the cap and never overflows, the jitter really spreads (a fleet
// that lost the network together does not come back in step), and the server's Retry-After is
// honoured exactly, within its own bounds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <vector>

#include "sync/engine/backoff.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

sync::BackoffPolicy smallPolicy() {
    sync::BackoffPolicy policy;
    policy.initial = 100ms;
    policy.cap = 1600ms;
    policy.minimum = 10ms;
    policy.retryAfterCap = 1h;
    return policy;
}

std::vector<long long> delays(std::uint64_t seed, int count) {
    sync::Backoff backoff(smallPolicy(), seed);
    std::vector<long long> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(backoff.failed().count());
    }
    return out;
}

}  // namespace

TEST_CASE("Backoff: full jitter under a doubling ceiling, capped, Retry-After honoured",
          "[backoff]") {
    sync::BackoffPolicy policy;
    policy.initial = 5s;
    policy.cap = 15min;
    policy.minimum = 1s;
    sync::Backoff backoff(policy, 42);
    CHECK(backoff.ceiling() == 5s);
    std::chrono::milliseconds previousCeiling = backoff.ceiling();
    for (int i = 0; i < 20; ++i) {
        const std::chrono::milliseconds ceiling = backoff.ceiling();
        CHECK(ceiling >= previousCeiling);
        CHECK(ceiling <= policy.cap);
        const std::chrono::milliseconds delay = backoff.failed();
        CHECK(delay >= policy.minimum);
        CHECK(delay <= ceiling);
        previousCeiling = ceiling;
    }
    CHECK(backoff.ceiling() == 15min);
    // Jitter: the delays at the cap are spread, not all equal.
    std::set<long long> seen;
    for (int i = 0; i < 20; ++i) {
        seen.insert(backoff.failed().count());
    }
    CHECK(seen.size() > 10);
    // The server's word wins over the jitter; absurd values are cut.
    CHECK(backoff.failed(std::chrono::seconds(120)) == 120s);
    CHECK(backoff.failed(std::chrono::seconds(0)) == 1s);
    CHECK(backoff.failed(std::chrono::seconds(86400)) == 1h);
    backoff.succeeded();
    CHECK(backoff.failures() == 0);
    CHECK(backoff.ceiling() == 5s);
}

TEST_CASE("the n-th failure waits within [minimum, initial * 2^(n-1)], and uses all of it",
          "[backoff]") {
    const sync::BackoffPolicy policy = smallPolicy();
    // Ceilings by failure number: 100, 200, 400, 800, 1600 (the cap), 1600...
    const std::vector<long long> ceilings = {100, 200, 400, 800, 1600, 1600, 1600};
    for (std::size_t n = 0; n < ceilings.size(); ++n) {
        INFO("failure " << n + 1);
        long long lowest = ceilings[n];
        long long highest = 0;
        // Many kiosks failing for the n-th time: each picks its own point in the window.
        for (std::uint64_t seed = 1; seed <= 400; ++seed) {
            sync::Backoff backoff(policy, seed);
            for (std::size_t before = 0; before < n; ++before) {
                backoff.failed();
            }
            REQUIRE(backoff.ceiling().count() == ceilings[n]);
            const long long delay = backoff.failed().count();
            REQUIRE(delay >= policy.minimum.count());
            REQUIRE(delay <= ceilings[n]);
            lowest = std::min(lowest, delay);
            highest = std::max(highest, delay);
        }
        // Full jitter, not "ceiling plus a little": the whole window is used. With 400 uniform
        // draws the chance of missing either tenth of it is below 1e-18.
        const long long window = ceilings[n] - policy.minimum.count();
        CHECK(lowest < policy.minimum.count() + window / 10);
        CHECK(highest > ceilings[n] - window / 10);
    }
}

TEST_CASE("the jitter is reproducible per seed and differs between kiosks", "[backoff]") {
    CHECK(delays(7, 30) == delays(7, 30));
    CHECK(delays(7, 30) != delays(8, 30));
}

TEST_CASE("thousands of failures in a row neither overflow nor pass the cap", "[backoff]") {
    sync::BackoffPolicy policy;
    policy.initial = 1ms;
    policy.minimum = 1ms;
    policy.cap = std::chrono::milliseconds(std::chrono::hours(24 * 365));  // a year
    sync::Backoff backoff(policy, 3);
    for (int i = 0; i < 5000; ++i) {
        const auto delay = backoff.failed();
        REQUIRE(delay >= policy.minimum);
        REQUIRE(delay <= policy.cap);
    }
    CHECK(backoff.failures() == 5000);
    CHECK(backoff.ceiling() == policy.cap);
}

TEST_CASE("a minimum above the cap wins: never sooner than the minimum", "[backoff]") {
    sync::BackoffPolicy policy;
    policy.initial = 10ms;
    policy.cap = 50ms;
    policy.minimum = 200ms;
    sync::Backoff backoff(policy, 11);
    for (int i = 0; i < 10; ++i) {
        CHECK(backoff.failed() == 200ms);
    }
    CHECK(backoff.ceiling() == 200ms);
}

TEST_CASE("Retry-After: honoured past the backoff cap, cut at its own cap, counted as a failure",
          "[backoff]") {
    sync::BackoffPolicy policy = smallPolicy();  // backoff cap 1.6 s, Retry-After cap 1 h
    policy.minimum = 2s;
    sync::Backoff backoff(policy, 5);
    // The server knows when it can take us: 30 min is far past the jitter cap, and kept.
    CHECK(backoff.failed(std::chrono::seconds(1800)) == 30min);
    CHECK(backoff.failures() == 1);
    // Sooner than our own minimum is raised to it; a day is cut to the Retry-After cap.
    CHECK(backoff.failed(std::chrono::seconds(1)) == 2s);
    CHECK(backoff.failed(std::chrono::seconds(86400)) == 1h);
    CHECK(backoff.failures() == 3);
    // The failures still count towards the jittered ceiling for the next plain failure.
    CHECK(backoff.ceiling() == std::max(policy.minimum, std::chrono::milliseconds(800)));
    backoff.succeeded();
    CHECK(backoff.failures() == 0);
    CHECK(backoff.ceiling() == 2s);  // initial (100 ms) raised to the minimum
}
