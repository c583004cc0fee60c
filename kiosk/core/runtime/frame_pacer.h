// Signpost — when the kiosk's render-on-demand loop draws and how long it may sleep.
//
// The kiosk must sit at near-zero CPU while nobody touches it (issue §5, FACTS.md "power save"),
// yet answer a touch at once and never miss a timer. The rules:
//  - input (any pointer or key event): draw now and `extraFramesAfterInput` (default 2) more
//    frames, so ImGui sees the press, the release and the widget's reaction;
//  - while the UI animates (inertia scrolling, the keyboard sliding in): draw continuously, at
//    most one frame per `minFrameInterval` (vsync normally paces it; this guards drivers where
//    swap does not block, such as Xvfb);
//  - otherwise sleep until the earliest of the UI's next wake-up (idle warning, countdown tick,
//    the minute an "open now" badge can change) and the watchdog's next ping, or until input;
//  - a wake-up at or before the start of the last frame counts as served (so a UI that keeps
//    reporting a past moment cannot spin the loop).
// Pure logic on the steady clock, so the rules are unit-tested (tests/frame_pacer_test.cpp)
// without a window; kiosk/app's shell feeds it.
//
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <optional>

namespace signpost {

class FramePacer {
public:
    using Clock = std::chrono::steady_clock;

    // What the rest of the program wants, read fresh before each decision.
    struct Hints {
        bool animating = false;                        // KioskApp::isAnimating()
        std::optional<Clock::time_point> appWakeUp;    // KioskApp::nextWakeUp()
        std::optional<Clock::time_point> watchdogDue;  // SystemdNotifier::nextWatchdogPing()
    };

    explicit FramePacer(int extraFramesAfterInput = 2,
                        Clock::duration minFrameInterval = std::chrono::milliseconds(16));

    // A pointer or key event arrived: this frame and extraFramesAfterInput more.
    void noteInput();
    // The window needs repainting (first frame, exposed, resized, fonts rebuilt): `count` frames.
    void requestFrames(int count = 1);

    // How long the loop may wait for events before the next frame is due: zero = do not wait;
    // nullopt = wait for input only (nothing else is scheduled).
    std::optional<Clock::duration> sleepBudget(Clock::time_point now, const Hints& hints) const;
    // After waking: is a frame due now?
    bool frameDue(Clock::time_point now, const Hints& hints) const;
    // A frame that started at `frameStart` was drawn and presented.
    void frameDrawn(Clock::time_point frameStart);

    int pendingFrames() const noexcept { return m_pending; }
    std::optional<Clock::time_point> lastFrameStart() const noexcept { return m_lastFrame; }

private:
    std::optional<Clock::time_point> earliestDeadline(const Hints& hints) const;
    int m_extra;
    Clock::duration m_minInterval;
    int m_pending = 0;
    std::optional<Clock::time_point> m_lastFrame;
};

}  // namespace signpost
