// Signpost — waiting for the X display instead of failing without it.
//
// On a venue's PC the X server is started by the kiosk login on tty1 (installer/setup-kiosk.sh)
// and the app by systemd; either may come first, and the display may stay missing for long (a
// broken autologin, an admin's change, a screen that is not there). Restarting the app cannot
// bring a display, so the app waits for it, for as long as it takes, quietly:
//  - when it starts waiting: one warning in the log (the journal) and systemd's status line
//    ("Waiting for display :0 since 09:02 ...", the Status: line of `systemctl status
//    signpost-kiosk`), said once, not again while the wait lasts;
//  - while waiting: "EXTEND_TIMEOUT_USEC" to systemd every `extendEvery`, so the unit's start
//    timeout does not kill it (it stays "activating"); no restarts, no repeated log lines;
//  - when the display accepts the app: one line ("display :0 is available after 14 min") and
//    one more extension, `startBudget`, for the first frame;
//  - asked to stop while waiting: returns at once (the app then exits 0).
// A crash or a hang after the window opened is still restarted by the unit and counted by its
// start limit; waiting is not a failure and is not counted.
//
// Pure logic around two callbacks (is the display there? were we asked to stop?), so it is
// unit-tested without X (tests/display_wait_test.cpp); kiosk/app probes with XOpenDisplay.
//
// Thread-safety: call from one thread; the callbacks run on it.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/runtime/systemd_notify.h"

namespace signpost {

struct DisplayWaitOptions {
    std::string display;                            // named in messages, e.g. ":0"
    std::chrono::milliseconds poll{1000};           // how often the probe runs while waiting
    std::chrono::milliseconds extendEvery{20000};   // how often EXTEND_TIMEOUT_USEC is sent
    std::chrono::milliseconds extendBy{60000};      // how far each extension reaches
    std::chrono::milliseconds startBudget{180000};  // the last extension: time to the first frame
};

enum class DisplayWaitResult { Available, Stopped };

// Returns Available as soon as `displayAccepts()` is true (at once, silently, when it already
// is), or Stopped as soon as `stopRequested()` is (checked at least every 100 ms). Never throws
// from itself; exceptions from the callbacks pass through.
DisplayWaitResult waitForDisplay(const std::function<bool()>& displayAccepts,
                                 const std::function<bool()>& stopRequested,
                                 SystemdNotifier& notifier, const DisplayWaitOptions& options);

}  // namespace signpost
