// The render-on-demand rules of the kiosk's frame loop (core/runtime/frame_pacer.h).
#include <catch2/catch.hpp>

#include "core/runtime/frame_pacer.h"

using namespace std::chrono_literals;
using signpost::FramePacer;
using Clock = FramePacer::Clock;

namespace {

// Draws every frame the pacer wants at `now` (as the loop would, with no time passing) and
// returns how many that was.
int drawAllDue(FramePacer& pacer, Clock::time_point now, const FramePacer::Hints& hints = {}) {
    int drawn = 0;
    while (pacer.frameDue(now, hints) && drawn < 100) {
        pacer.frameDrawn(now);
        ++drawn;
    }
    return drawn;
}

}  // namespace

TEST_CASE("with nothing scheduled the loop sleeps until input", "[frame_pacer]") {
    FramePacer pacer;
    const auto t0 = Clock::time_point{} + 1000s;
    pacer.requestFrames(1);  // the first frame
    CHECK(pacer.sleepBudget(t0, {}) == Clock::duration::zero());
    CHECK(drawAllDue(pacer, t0) == 1);
    CHECK_FALSE(pacer.frameDue(t0 + 1h, {}));
    CHECK_FALSE(pacer.sleepBudget(t0 + 1h, {}).has_value());
}

TEST_CASE("input draws the frame it arrived for and two more", "[frame_pacer]") {
    FramePacer pacer;
    const auto t0 = Clock::time_point{} + 1000s;
    pacer.requestFrames(1);
    drawAllDue(pacer, t0);

    pacer.noteInput();
    CHECK(pacer.pendingFrames() == 3);
    CHECK(pacer.sleepBudget(t0 + 1s, {}) == Clock::duration::zero());
    CHECK(drawAllDue(pacer, t0 + 1s) == 3);
    CHECK_FALSE(pacer.frameDue(t0 + 2s, {}));

    SECTION("more input while frames are pending does not pile up frames") {
        pacer.noteInput();
        pacer.frameDrawn(t0 + 3s);
        pacer.noteInput();
        CHECK(pacer.pendingFrames() == 3);
    }
    SECTION("the number of extra frames is configurable") {
        FramePacer single(0);
        single.noteInput();
        CHECK(drawAllDue(single, t0) == 1);
    }
}

TEST_CASE("the UI's next wake-up is honoured exactly once", "[frame_pacer]") {
    FramePacer pacer;
    const auto t0 = Clock::time_point{} + 1000s;
    pacer.requestFrames(1);
    drawAllDue(pacer, t0);

    FramePacer::Hints hints;
    hints.appWakeUp = t0 + 30s;
    REQUIRE(pacer.sleepBudget(t0 + 10s, hints).has_value());
    CHECK(*pacer.sleepBudget(t0 + 10s, hints) == 20s);
    CHECK_FALSE(pacer.frameDue(t0 + 29s, hints));
    CHECK(pacer.frameDue(t0 + 30s, hints));
    CHECK(pacer.frameDue(t0 + 31s, hints));  // woke late: still drawn
    pacer.frameDrawn(t0 + 31s);

    SECTION("a UI that keeps reporting a past wake-up cannot spin the loop") {
        CHECK_FALSE(pacer.frameDue(t0 + 32s, hints));
        CHECK_FALSE(pacer.sleepBudget(t0 + 32s, hints).has_value());
    }
    SECTION("a wake-up that already passed but was not drawn yet is due at once") {
        hints.appWakeUp = t0 + 40s;
        CHECK(pacer.sleepBudget(t0 + 45s, hints) == Clock::duration::zero());
        CHECK(pacer.frameDue(t0 + 45s, hints));
    }
}

TEST_CASE("the watchdog gets a frame by each ping deadline", "[frame_pacer]") {
    FramePacer pacer;
    const auto t0 = Clock::time_point{} + 1000s;
    pacer.requestFrames(1);
    drawAllDue(pacer, t0);

    FramePacer::Hints hints;
    hints.appWakeUp = t0 + 90s;
    hints.watchdogDue = t0 + 15s;
    CHECK(*pacer.sleepBudget(t0, hints) == 15s);  // the earlier of the two
    CHECK(pacer.frameDue(t0 + 15s, hints));
    pacer.frameDrawn(t0 + 15s);
    hints.watchdogDue = t0 + 30s;  // the notifier moved it on after pinging
    CHECK(*pacer.sleepBudget(t0 + 15s, hints) == 15s);
}

TEST_CASE("animation draws continuously but no faster than the minimum interval", "[frame_pacer]") {
    FramePacer pacer(2, 16ms);
    const auto t0 = Clock::time_point{} + 1000s;
    FramePacer::Hints hints;
    hints.animating = true;
    CHECK(pacer.frameDue(t0, hints));
    pacer.frameDrawn(t0);
    CHECK_FALSE(pacer.frameDue(t0 + 5ms, hints));
    CHECK(*pacer.sleepBudget(t0 + 5ms, hints) == 11ms);
    CHECK(pacer.frameDue(t0 + 16ms, hints));

    SECTION("input during an animation is drawn without waiting for the interval") {
        pacer.noteInput();
        CHECK(pacer.frameDue(t0 + 1ms, hints));
        CHECK(pacer.sleepBudget(t0 + 1ms, hints) == Clock::duration::zero());
    }
    SECTION("when the animation stops the loop goes back to sleep") {
        hints.animating = false;
        CHECK_FALSE(pacer.frameDue(t0 + 1s, hints));
        CHECK_FALSE(pacer.sleepBudget(t0 + 1s, hints).has_value());
    }
}
