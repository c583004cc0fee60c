// Signpost server — per-client-address token buckets (enrollment attempts, failed token checks).
//
// Each key (a client address) has a bucket of `burst` tokens that refills at `perHour` tokens an
// hour. take() spends one; when the bucket is empty it says how long until the next token, which
// becomes the 429's Retry-After. Idle full buckets are dropped so memory stays bounded.
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

    // Spends one token for `key`. Returns 0 s if allowed; otherwise the whole seconds (>= 1)
    // until a token will be available, and nothing is spent.
    std::chrono::seconds take(const std::string& key, Clock::time_point now = Clock::now());
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
};

}  // namespace signpost::server
