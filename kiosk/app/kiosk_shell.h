// Signpost — the kiosk's shell: one GLFW window with an OpenGL 3 context, Dear ImGui's GLFW and
// OpenGL3 backends, and a render-on-demand frame loop around ui::KioskApp.
//
// Window: full screen on the primary monitor at its current video mode (no mode switch), cursor
// hidden, never iconified on focus loss; or, with --windowed, a normal window of --size.
// Close requests (Alt+F4, the window manager's close button) are ignored: a resident cannot quit
// the kiosk; staff use the staff panel, the service manager uses SIGTERM. Vsync on.
//
// Loop (core/runtime/frame_pacer.h): sleep in glfwWaitEvents until input, KioskApp::nextWakeUp(),
// or the watchdog's next ping; after input draw that frame and two more; draw continuously only
// while KioskApp::isAnimating(). Near-zero CPU while nobody touches the screen.
//
// systemd: "READY=1" after the first frame was swapped; "WATCHDOG=1" after frames that really
// completed, throttled to half of $WATCHDOG_USEC (the loop wakes for it, so an idle kiosk still
// proves it can draw; a hung one gets no pings and is restarted); "STOPPING=1" on the way out.
// Tests prove the last part with --test-hang-after-frames N (shell_options.h: test only), which
// makes the loop stop drawing after N frames; tests/operations_kiosk_test.cpp.
//
// Exit codes (app/exit_codes.h): ShellRequest::Exit and SIGTERM/SIGINT → 0; ShellRequest::Restart
// → 75; an exception out of a frame → a notice on screen for a few seconds, then 70.
//
// Thread-safety: run() on the main thread only (GLFW requires it).
#pragma once

#include <stdexcept>

#include "app/shell_options.h"
#include "app/signal_watcher.h"
#include "core/runtime/kiosk_runtime.h"
#include "core/runtime/systemd_notify.h"

namespace signpost::app {

// The display or GL context could not be set up (no $DISPLAY, no GL 3.0).
class ShellError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Opens the window, runs the kiosk until it is asked to stop, and returns the exit code.
// Throws ShellError when no window can be opened.
int runKioskShell(KioskRuntime& runtime, const ShellOptions& options, SystemdNotifier& notifier,
                  SignalWatcher& signals);

}  // namespace signpost::app
