// Signpost — the idle state machine: Active → Warning ("Do you need more time?") → Expired.
//
// Pure logic on a steady clock, fed by the frame loop; no ImGui. Input during Active restarts the
// timeout. During Warning only extend() (the big "Yes") goes back to Active — a stray touch on the
// dimmed screen does not. Expired stays until reset().
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <optional>

namespace signpost {

enum class IdlePhase { Active, Warning, Expired };

class IdleTimer {
public:
    using Clock = std::chrono::steady_clock;

    // warning is clamped to at least 20 s (WCAG 2.2.1). Starts Active at `now`.
    IdleTimer(std::chrono::seconds timeout, std::chrono::seconds warning, Clock::time_point now);

    void setDurations(std::chrono::seconds timeout, std::chrono::seconds warning);
    void noteInput(Clock::time_point now);  // ignored during Warning and Expired
    void extend(Clock::time_point now);     // "Yes, I need more time": back to Active
    void reset(Clock::time_point now);      // after the session was cleared: Active again

    // Advances the phase for `now` and returns it.
    IdlePhase update(Clock::time_point now);
    IdlePhase phase() const noexcept { return m_phase; }
    // Whole seconds left on the countdown (rounded up); 0 outside Warning.
    int warningSecondsLeft(Clock::time_point now) const;
    // When the frame loop must wake next: the phase change, or the next countdown second.
    std::optional<Clock::time_point> nextWakeUp(Clock::time_point now) const;

private:
    std::chrono::seconds m_timeout;
    std::chrono::seconds m_warning;
    Clock::time_point m_lastInput;
    Clock::time_point m_warningStarted;
    IdlePhase m_phase = IdlePhase::Active;
};

}  // namespace signpost
