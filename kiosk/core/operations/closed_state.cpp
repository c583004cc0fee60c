#include "core/operations/closed_state.h"

namespace signpost {

ClosedState::ClosedState(OpeningHours hours, TimeZone zone, bool sleepWhenClosed,
                         std::chrono::seconds wakeTime)
    : m_hours(std::move(hours)),
      m_zone(std::move(zone)),
      m_sleepWhenClosed(sleepWhenClosed),
      m_wakeTime(wakeTime) {}

void ClosedState::configure(OpeningHours hours, bool sleepWhenClosed,
                            std::chrono::seconds wakeTime) {
    m_hours = std::move(hours);
    m_sleepWhenClosed = sleepWhenClosed;
    m_wakeTime = wakeTime;
    m_stale = true;
}

void ClosedState::recompute(std::chrono::sys_seconds wall) {
    m_stale = false;
    if (m_hours.alwaysOpen()) {
        m_closed = false;
        m_nextChange.reset();
        m_nextOpening.reset();
        return;
    }
    m_closed = !m_hours.isOpenAt(wall, m_zone);
    m_nextChange = m_hours.nextChange(wall, m_zone);
    m_nextOpening = m_closed ? m_hours.nextOpening(wall, m_zone) : std::nullopt;
}

void ClosedState::update(WallTime wallNow, SteadyTime now, bool input, bool closedScreenAllowed) {
    const auto wall = std::chrono::time_point_cast<std::chrono::seconds>(wallNow);
    // The wall clock can be set backwards (NTP after a flat battery): recompute then too.
    if (m_stale || (m_nextChange && wall >= *m_nextChange) || wallNow < m_lastWall) {
        const bool wasClosed = m_closed;
        recompute(wall);
        if (m_closed != wasClosed) {
            m_lastInput = now;  // the change itself shows the screen for a moment
        }
    }
    if (input || m_lastInput == SteadyTime{}) {
        m_lastInput = now;
    }
    m_lastNow = now;
    m_lastWall = wallNow;
    m_showing = m_closed && closedScreenAllowed;
    m_awake = !(m_showing && m_sleepWhenClosed && now - m_lastInput >= m_wakeTime);
}

std::optional<ClosedState::SteadyTime> ClosedState::nextWakeUp() const {
    std::optional<SteadyTime> wake;
    if (m_nextChange) {
        const auto until =
            std::chrono::time_point_cast<std::chrono::system_clock::duration>(*m_nextChange) -
            m_lastWall;
        wake = m_lastNow + std::chrono::duration_cast<SteadyTime::duration>(until) +
               std::chrono::milliseconds(50);
    }
    if (m_showing && m_sleepWhenClosed && m_awake) {
        const SteadyTime sleepAt = m_lastInput + m_wakeTime;
        if (!wake || sleepAt < *wake) {
            wake = sleepAt;
        }
    }
    return wake;
}

}  // namespace signpost
