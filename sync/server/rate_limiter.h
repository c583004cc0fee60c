// Signpost server — token buckets per key (a client address, an enrollment code) that count
// failures: failed enrollments, failed token checks. Successes never spend a token.
//
// Each key has a bucket of `burst` tokens that refills at `perHour` tokens an hour. wait() says
// whether the key is limited now without spending; take() spends one (a failure happened). The
// wait becomes the 429's Retry-After. Idle full buckets are dropped, and past kMaxKeys keys the
// fullest are forgotten, so memory stays bounded however many keys an attacker invents (the
// forgotten keys start again with a full burst).
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace signpost::server {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(int burst, int perHour);

    static constexpr std::size_t kMaxKeys = 50000;

    // Spends one token for `key`. Returns 0 s if allowed; otherwise the whole seconds (>= 1)
    // until a token will be available, and nothing is spent.
    std::chrono::seconds take(const std::string& key, Clock::time_point now = Clock::now());
    // What take() would answer, without spending.
    std::chrono::seconds wait(const std::string& key, Clock::time_point now = Clock::now()) const;
    // Forgets every bucket (tests).
    void reset();
    std::size_t trackedKeys() const;

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    void refill(Bucket& bucket, Clock::time_point now) const;
    void prune(Clock::time_point now);

    double m_burst;
    double m_perSecond;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
    // Pruning is O(keys): it runs when the table has grown by half since the last time, or at
    // most once a second, so inventing keys cannot make every request pay for it.
    std::size_t m_pruneAt = 10000;
    Clock::time_point m_lastPrune{};
};

}  // namespace signpost::server
