#include "sync/server/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

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
        if (inserted && m_buckets.size() > kPruneAbove &&
            (m_buckets.size() > m_pruneAt || now - m_lastPrune >= std::chrono::seconds(1))) {
            m_lastPrune = now;
            prune(now);
            if (m_buckets.size() > kMaxKeys) {
                // Still too many limited keys: forget the fullest (least limited) until under
                // the cap, so the table cannot grow without bound.
                std::vector<std::pair<double, std::string>> fullest;
                fullest.reserve(m_buckets.size());
                for (const auto& [name, b] : m_buckets) {
                    fullest.emplace_back(b.tokens, name);
                }
                const std::size_t excess = m_buckets.size() - kMaxKeys * 9 / 10;
                std::nth_element(fullest.begin(), fullest.begin() + static_cast<long>(excess),
                                 fullest.end(), std::greater<>());
                for (std::size_t i = 0; i < excess; ++i) {
                    if (fullest[i].second != key) {
                        m_buckets.erase(fullest[i].second);
                    }
                }
            }
            // Prune again only after the table has grown by half (amortised O(1) per key).
            m_pruneAt = std::min(kMaxKeys, std::max(kPruneAbove, m_buckets.size() * 3 / 2));
        }
        return std::chrono::seconds(0);
    }
    const double wait = (1.0 - bucket.tokens) / m_perSecond;
    return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

std::chrono::seconds RateLimiter::wait(const std::string& key, Clock::time_point now) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        return std::chrono::seconds(0);
    }
    Bucket bucket = it->second;
    refill(bucket, now);
    if (bucket.tokens >= 1.0) {
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
    m_pruneAt = kPruneAbove;
}

std::size_t RateLimiter::trackedKeys() const {
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

}  // namespace signpost::server
