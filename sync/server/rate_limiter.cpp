#include "sync/server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace signpost::server {

namespace {
constexpr std::size_t kPruneAbove = 10000;
}

RateLimiter::RateLimiter(int burst, int perHour)
    : m_burst(std::max(1, burst)), m_perSecond(std::max(1, perHour) / 3600.0) {}

void RateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    if (elapsed > 0) {
        bucket.tokens = std::min(m_burst, bucket.tokens + elapsed * m_perSecond);
        bucket.updated = now;
    }
}

std::chrono::seconds RateLimiter::take(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_burst, now});
    Bucket& bucket = it->second;
    if (!inserted) {
        refill(bucket, now);
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        if (inserted && m_buckets.size() > kPruneAbove) {
            prune(now);
        }
        return std::chrono::seconds(0);
    }
    const double wait = (1.0 - bucket.tokens) / m_perSecond;
    return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

void RateLimiter::prune(Clock::time_point now) {
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        refill(it->second, now);
        it = it->second.tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
    }
}

void RateLimiter::reset() {
    std::lock_guard lock(m_mutex);
    m_buckets.clear();
}

std::size_t RateLimiter::trackedKeys() const {
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

}  // namespace signpost::server
