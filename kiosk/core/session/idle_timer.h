// Signpost — the idle state machine: Active → Warning ("Do you need more time?") → Expired.
//
// Pure logic on a steady clock, fed by the frame loop; no ImGui. Input during Active restarts the
// timeout. During Warning only extend() (the big "Yes") goes back to Active — a stray touch on the
// dimmed screen does not. Expired stays until reset().
//
// The phase is a function of time: every call first advances the phase to `now` (as update()
// does), so an input that arrives after the timeout has passed is a stray touch during Warning
// even if update() was not called in between. The warning starts exactly `timeout` after the last
// input, not when the frame loop happened to notice, so a late frame never lengthens a session.
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <optional>

namespace signpost {

enum class IdlePhase { Active, Warning, Expired };

class IdleTimer {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr std::chrono::seconds kMinimumWarning{20};  // WCAG 2.2.1
    static constexpr std::chrono::seconds kMinimumTimeout{1};

    // warning is clamped to at least 20 s (WCAG 2.2.1), timeout to at least 1 s. Starts Active
    // at `now`.
    IdleTimer(std::chrono::seconds timeout, std::chrono::seconds warning, Clock::time_point now);

    // New durations (clamped as above), e.g. after staff saved settings. The last input time and
    // the phase are kept; the next update() applies them.
    void setDurations(std::chrono::seconds timeout, std::chrono::seconds warning);
    void noteInput(Clock::time_point now);  // Active: restarts the timeout; ignored otherwise
    void extend(Clock::time_point now);     // "Yes, I need more time": Warning/Active → Active;
                                            // ignored once Expired (the session must be wiped)
    void reset(Clock::time_point now);      // after the session was cleared: Active again

    // Advances the phase for `now` and returns it.
    IdlePhase update(Clock::time_point now);
    IdlePhase phase() const noexcept { return m_phase; }
    std::chrono::seconds timeout() const noexcept { return m_timeout; }
    std::chrono::seconds warning() const noexcept { return m_warning; }  // after clamping
    // Whole seconds left on the countdown (rounded up: 0.2 s left shows 1); 0 outside Warning.
    int warningSecondsLeft(Clock::time_point now) const;
    // When the frame loop must wake next: Active → when the warning starts; Warning → when the
    // countdown number changes (or the warning ends); Expired → nullopt (nothing is pending until
    // reset()). Never earlier than `now`.
    std::optional<Clock::time_point> nextWakeUp(Clock::time_point now) const;

private:
    std::chrono::seconds m_timeout;
    std::chrono::seconds m_warning;
    Clock::time_point m_lastInput;
    Clock::time_point m_warningStarted;
    IdlePhase m_phase = IdlePhase::Active;
};

}  // namespace signpost
