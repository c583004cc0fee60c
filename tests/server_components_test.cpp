#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "sync/server/metrics.h"
#include "sync/server/rate_limiter.h"
#include "sync/server/server_cli.h"
#include "sync/server/tokens.h"

using namespace signpost::server;
using namespace std::chrono_literals;

TEST_CASE("tokens: 256 random bits, base64url, only the hash is stored", "[server_components]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string token = generateToken();
        CHECK(token.size() == 43);  // 32 bytes, no padding
        CHECK(isWellFormedToken(token));
        CHECK(token.find_first_of("+/=") == std::string::npos);
        seen.insert(token);
    }
    CHECK(seen.size() == 200);
    const std::string token = generateToken();
    CHECK(hashToken(token) == hashToken(token));
    CHECK(hashToken(token) != hashToken(generateToken()));
    CHECK_FALSE(isWellFormedToken(""));
    CHECK_FALSE(isWellFormedToken(token.substr(1)));
    CHECK_FALSE(isWellFormedToken(token.substr(1) + "+"));
    CHECK_FALSE(isWellFormedToken(token + "A"));
}

TEST_CASE("enrollment codes are short, unambiguous and forgiving to type", "[server_components]") {
    for (int i = 0; i < 100; ++i) {
        const std::string code = generateEnrollmentCode();
        REQUIRE(code.size() == 14);
        CHECK(code[4] == '-');
        CHECK(code[9] == '-');
        CHECK(code.find_first_of("ILOU") == std::string::npos);
        const auto normal = normalizeEnrollmentCode(code);
        REQUIRE(normal);
        CHECK(normal->size() == 12);
    }
    CHECK(normalizeEnrollmentCode("7kq3 m9xd 2f8h") == std::string("7KQ3M9XD2F8H"));
    CHECK(normalizeEnrollmentCode("O1IL-0000-AAAA") == std::string("0111"
                                                                   "0000"
                                                                   "AAAA"));
    CHECK(normalizeEnrollmentCode("o1il0000aaaa") == std::string("0111"
                                                                 "0000"
                                                                 "AAAA"));
    CHECK_FALSE(normalizeEnrollmentCode("7KQ3-M9XD-2F8").has_value());    // too short
    CHECK_FALSE(normalizeEnrollmentCode("7KQ3-M9XD-2F8HH").has_value());  // too long
    CHECK_FALSE(normalizeEnrollmentCode("7KQ3-M9XD-2F8U").has_value());   // U is not Crockford
    CHECK_FALSE(normalizeEnrollmentCode("7KQ3_M9XD_2F8H").has_value());
    CHECK_FALSE(normalizeEnrollmentCode("").has_value());
}

TEST_CASE("rate limiter: a burst, then a steady rate, per key", "[server_components]") {
    RateLimiter limiter(3, 60);  // 3 at once, then one a minute
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 3; ++i) {
        CHECK(limiter.take("10.0.0.1", t0) == 0s);
    }
    const auto wait = limiter.take("10.0.0.1", t0);
    CHECK(wait == 60s);
    CHECK(limiter.take("10.0.0.2", t0) == 0s);  // another address has its own bucket
    CHECK(limiter.take("10.0.0.1", t0 + 30s) == 30s);
    CHECK(limiter.take("10.0.0.1", t0 + 60s) == 0s);
    const auto nearlyFull = limiter.take("10.0.0.1", t0 + 61s);  // 1/60 of a token back
    CHECK(nearlyFull >= 59s);
    CHECK(nearlyFull <= 60s);
    // Refills up to the burst, not beyond.
    const auto later = t0 + 24h;
    for (int i = 0; i < 3; ++i) {
        CHECK(limiter.take("10.0.0.1", later) == 0s);
    }
    CHECK(limiter.take("10.0.0.1", later) > 0s);
    CHECK(limiter.trackedKeys() == 2);
    limiter.reset();
    CHECK(limiter.trackedKeys() == 0);
}

TEST_CASE("rate limiter memory stays bounded", "[server_components]") {
    RateLimiter limiter(2, 3600);  // refills a token a second
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 10005; ++i) {
        limiter.take("addr-" + std::to_string(i), t0);
    }
    // Later, every old bucket is full again and the next new key prunes them.
    limiter.take("late", t0 + 10s);
    limiter.take("late-2", t0 + 10s);
    CHECK(limiter.trackedKeys() < 100);
}

TEST_CASE("rate limiter: keys an attacker invents faster than they refill stay capped",
          "[server_components]") {
    RateLimiter limiter(1, 1);  // a bucket takes an hour to refill: nothing prunes itself
    const auto t0 = RateLimiter::Clock::now();
    for (std::size_t i = 0; i < RateLimiter::kMaxKeys + 20000; ++i) {
        limiter.take("addr-" + std::to_string(i), t0);
    }
    CHECK(limiter.trackedKeys() <= RateLimiter::kMaxKeys);
    // A key that is limited now stays limited while it is among the emptiest.
    limiter.take("attacker", t0);
    CHECK(limiter.take("attacker", t0).count() > 0);
    CHECK(limiter.wait("attacker", t0).count() > 0);
    CHECK(limiter.wait("never-seen", t0).count() == 0);
}

TEST_CASE("metrics: counters, histograms and escaping", "[server_components]") {
    Metrics m;
    m.observeRequest("GET", "/healthz", 200, 0.0004, 10);
    m.observeRequest("GET", "/healthz", 200, 0.03, 10);
    m.observeRequest("GET", "/healthz", 200, 99.0, 10);  // beyond the last bucket: only +Inf
    m.increment("signpost_submissions_total", "result", "stored", 5);
    m.increment("signpost_submissions_total", "result", "a\"b\\c");
    m.deviceSeen("d1");
    m.deviceSeen("d1");
    m.deviceSeen("d2");
    CHECK(m.requestCount("GET", "/healthz", 200) == 3);
    CHECK(m.counter("signpost_submissions_total", "result", "stored") == 5);
    CHECK(m.devicesSeen() == 2);
    const std::string text =
        m.render({{"signpost_directory_version", "The current directory version.", 7}});
    CHECK(text.find("signpost_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
                    "healthz\",status=\"200\","
                    "le=\"0.0005\"} 1\n") != std::string::npos);
    CHECK(text.find("le=\"0.05\"} 2\n") != std::string::npos);
    CHECK(text.find("le=\"10\"} 2\n") != std::string::npos);
    CHECK(text.find("le=\"+Inf\"} 3\n") != std::string::npos);
    CHECK(text.find("signpost_http_request_duration_seconds_count{method=\"GET\",route=\"/"
                    "healthz\",status=\"200\"} 3\n") != std::string::npos);
    CHECK(text.find("signpost_http_response_bytes_total{method=\"GET\",route=\"/healthz\"} 30\n") !=
          std::string::npos);
    CHECK(text.find("signpost_submissions_total{result=\"a\\\"b\\\\c\"} 1\n") != std::string::npos);
    CHECK(text.find("# TYPE signpost_submissions_total counter\n") != std::string::npos);
    CHECK(text.find("signpost_devices_seen 2\n") != std::string::npos);
    CHECK(text.find("# TYPE signpost_directory_version gauge\nsignpost_directory_version 7\n") !=
          std::string::npos);
    // Each metric family has one TYPE line.
    std::size_t types = 0;
    for (std::size_t at = text.find("# TYPE signpost_submissions_total"); at != std::string::npos;
         at = text.find("# TYPE signpost_submissions_total", at + 1)) {
        ++types;
    }
    CHECK(types == 1);
}

TEST_CASE("the CLI in-process: version, help and usage errors", "[server_components]") {
    std::ostringstream out, err;
    CHECK(runServerCli({"--version"}, out, err) == exit_code::kOk);
    CHECK(out.str().rfind("signpost-server ", 0) == 0);
    out.str("");
    CHECK(runServerCli({"admin", "import-directory", "--help"}, out, err) == exit_code::kOk);
    CHECK(out.str().rfind("usage: signpost-server admin import-directory FILE", 0) == 0);
    CHECK(runServerCli({"admin", "enrollment-code", "--venue"}, out, err) == exit_code::kUsage);
    CHECK(err.str().rfind("signpost-server: --venue needs a value", 0) == 0);
}
