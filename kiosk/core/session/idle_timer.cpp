#include "core/session/idle_timer.h"

#include <algorithm>

namespace signpost {

IdleTimer::IdleTimer(std::chrono::seconds timeout, std::chrono::seconds warning,
                     Clock::time_point now)
    : m_timeout(std::max(timeout, kMinimumTimeout)),
      m_warning(std::max(warning, kMinimumWarning)),
      m_lastInput(now),
      m_warningStarted(now) {}

void IdleTimer::setDurations(std::chrono::seconds timeout, std::chrono::seconds warning) {
    m_timeout = std::max(timeout, kMinimumTimeout);
    m_warning = std::max(warning, kMinimumWarning);
}

IdlePhase IdleTimer::update(Clock::time_point now) {
    if (m_phase == IdlePhase::Active && now >= m_lastInput + m_timeout) {
        m_phase = IdlePhase::Warning;
        m_warningStarted = m_lastInput + m_timeout;
    }
    if (m_phase == IdlePhase::Warning && now >= m_warningStarted + m_warning) {
        m_phase = IdlePhase::Expired;
    }
    return m_phase;
}

void IdleTimer::noteInput(Clock::time_point now) {
    if (update(now) == IdlePhase::Active) {
        m_lastInput = std::max(m_lastInput, now);
    }
}

void IdleTimer::extend(Clock::time_point now) {
    if (update(now) != IdlePhase::Expired) {
        m_phase = IdlePhase::Active;
        m_lastInput = now;
    }
}

void IdleTimer::reset(Clock::time_point now) {
    m_phase = IdlePhase::Active;
    m_lastInput = now;
    m_warningStarted = now;
}

int IdleTimer::warningSecondsLeft(Clock::time_point now) const {
    if (m_phase != IdlePhase::Warning) {
        return 0;
    }
    const Clock::duration left = m_warningStarted + m_warning - now;
    if (left <= Clock::duration::zero()) {
        return 0;
    }
    return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

std::optional<IdleTimer::Clock::time_point> IdleTimer::nextWakeUp(Clock::time_point now) const {
    switch (m_phase) {
        case IdlePhase::Active:
            return std::max(now, m_lastInput + m_timeout);
        case IdlePhase::Warning: {
            const Clock::time_point end = m_warningStarted + m_warning;
            const int shown = warningSecondsLeft(now);
            if (shown <= 0) {
                return now;  // already over: update() will expire it
            }
            // The number shown changes when the time left drops to one second less.
            return std::max(now, end - std::chrono::seconds(shown - 1));
        }
        case IdlePhase::Expired:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace signpost
