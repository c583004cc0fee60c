#include "sync/engine/backoff.h"

#include <algorithm>

namespace signpost::sync {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : m_policy(policy), m_random(seed) {}

std::chrono::milliseconds Backoff::ceiling() const noexcept {
    // Doubling stops once past the cap, so no shift ever overflows.
    std::chrono::milliseconds value = m_policy.initial;
    for (int i = 0; i < m_failures && value < m_policy.cap; ++i) {
        value *= 2;
    }
    return std::clamp(value, m_policy.minimum, std::max(m_policy.cap, m_policy.minimum));
}

std::chrono::milliseconds Backoff::failed(std::optional<std::chrono::seconds> retryAfter) {
    const std::chrono::milliseconds top = ceiling();
    ++m_failures;
    if (retryAfter) {
        const std::chrono::milliseconds asked = *retryAfter;
        return std::clamp(asked, m_policy.minimum, m_policy.retryAfterCap);
    }
    std::uniform_int_distribution<std::int64_t> pick(m_policy.minimum.count(), top.count());
    return std::chrono::milliseconds(pick(m_random));
}

}  // namespace signpost::sync
