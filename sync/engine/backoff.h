// Signpost — when to try the network again after a failure: capped exponential backoff with full
// jitter (FACTS.md "Sync and storage"), and the server's Retry-After honoured exactly.
//
// After the n-th failure in a row the delay is uniform in [minimum, min(cap, initial * 2^(n-1))]
// (full jitter: a fleet of kiosks that lost the network together does not come back in step).
// A Retry-After from the server (429, 503) replaces the jittered delay, capped at retryAfterCap:
// the server said when it can take us again, earlier would only be refused.
// Thread-safety: a value type; one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace signpost::sync {

struct BackoffPolicy {
    std::chrono::milliseconds initial{5000};                  // the ceiling after the first failure
    std::chrono::milliseconds cap{15 * 60 * 1000};            // the ceiling never grows past this
    std::chrono::milliseconds minimum{1000};                  // never retry sooner than this
    std::chrono::milliseconds retryAfterCap{60 * 60 * 1000};  // a Retry-After longer is cut here
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = std::random_device{}());

    // Counts one more failure and returns how long to wait before the next try.
    std::chrono::milliseconds failed(std::optional<std::chrono::seconds> retryAfter = std::nullopt);
    // A success: the next failure starts from `initial` again.
    void succeeded() noexcept { m_failures = 0; }
    int failures() const noexcept { return m_failures; }
    // The jitter ceiling the next failure would use (for tests and the staff panel).
    std::chrono::milliseconds ceiling() const noexcept;
    const BackoffPolicy& policy() const noexcept { return m_policy; }

private:
    BackoffPolicy m_policy;
    std::mt19937_64 m_random;
    int m_failures = 0;
};

}  // namespace signpost::sync
