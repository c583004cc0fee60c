// Signpost — what the kiosk does about its opening hours, frame by frame: is the venue closed
// now, should the closed screen show, should the display sleep, and when must the frame loop
// wake up for the next change. Pure logic (no ImGui, no X11): the UI asks it each frame and the
// shell turns displayAwake() into DPMS calls (kiosk/app/display_power.h).
//
// Rules: the closed screen shows while the venue is closed, except over staff mode and a visit in
// progress (a resident is never cut off at closing time: the screen changes when their visit
// ends). While the closed screen shows and hours.sleep_when_closed is true, the display sleeps
// once nobody has touched it for hours.closed_wake seconds; a touch wakes it (the X server wakes
// the monitor on input itself; the kiosk then shows the closed screen for another closed_wake).
//
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <optional>

#include "core/common/time_zone.h"
#include "core/operations/opening_hours.h"

namespace signpost {

class ClosedState {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;
    using WallTime = std::chrono::system_clock::time_point;

    ClosedState(OpeningHours hours, TimeZone zone, bool sleepWhenClosed,
                std::chrono::seconds wakeTime);
    // New hours or options (staff or remote settings changed); takes effect at the next update().
    void configure(OpeningHours hours, bool sleepWhenClosed, std::chrono::seconds wakeTime);

    // Once per frame. `input`: a touch or key since the last frame. `closedScreenAllowed`: no
    // staff mode and no visit in progress (the caller knows the session).
    void update(WallTime wallNow, SteadyTime now, bool input, bool closedScreenAllowed);

    bool venueClosed() const noexcept { return m_closed; }
    // The closed screen is what residents see now.
    bool showClosedScreen() const noexcept { return m_showing; }
    // False = let the display sleep (DPMS off). Always true while the venue is open.
    bool displayAwake() const noexcept { return m_awake; }
    // When it next opens (while closed); nullopt when open or no opening within 400 days.
    const std::optional<NextOpening>& nextOpening() const noexcept { return m_nextOpening; }
    // The next moment a frame is needed without input: the hours change, or the display's sleep.
    std::optional<SteadyTime> nextWakeUp() const;

private:
    void recompute(std::chrono::sys_seconds wall);
    OpeningHours m_hours;
    TimeZone m_zone;
    bool m_sleepWhenClosed;
    std::chrono::seconds m_wakeTime;
    bool m_stale = true;
    bool m_closed = false;
    bool m_showing = false;
    bool m_awake = true;
    std::optional<std::chrono::sys_seconds> m_nextChange;  // wall clock
    std::optional<NextOpening> m_nextOpening;
    SteadyTime m_lastInput{};
    SteadyTime m_lastNow{};
    WallTime m_lastWall{};
};

}  // namespace signpost
