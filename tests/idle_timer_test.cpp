#include <catch2/catch.hpp>

#include "core/session/idle_timer.h"

using namespace signpost;
using namespace std::chrono_literals;
using Clock = IdleTimer::Clock;

namespace {

// A fake steady time: tests move it by hand, so nothing here depends on how fast the machine is.
const Clock::time_point kStart = Clock::time_point{} + 1000h;

}  // namespace

TEST_CASE("Active until the timeout, then Warning, then Expired", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    CHECK(timer.phase() == IdlePhase::Active);
    CHECK(timer.update(kStart) == IdlePhase::Active);
    CHECK(timer.update(kStart + 89s + 999ms) == IdlePhase::Active);
    CHECK(timer.warningSecondsLeft(kStart + 89s) == 0);       // 0 outside Warning
    CHECK(timer.update(kStart + 90s) == IdlePhase::Warning);  // exactly at the timeout
    CHECK(timer.phase() == IdlePhase::Warning);
    CHECK(timer.update(kStart + 119s + 999ms) == IdlePhase::Warning);
    CHECK(timer.update(kStart + 120s) == IdlePhase::Expired);
    CHECK(timer.update(kStart + 10h) == IdlePhase::Expired);  // stays until reset()
    CHECK(timer.warningSecondsLeft(kStart + 121s) == 0);
}

TEST_CASE("input during Active restarts the timeout", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    timer.noteInput(kStart + 60s);
    CHECK(timer.update(kStart + 149s) == IdlePhase::Active);
    timer.noteInput(kStart + 149s);
    CHECK(timer.update(kStart + 238s) == IdlePhase::Active);
    CHECK(timer.update(kStart + 239s) == IdlePhase::Warning);
    // An input stamped earlier than the last one never shortens the session.
    IdleTimer other(90s, 30s, kStart);
    other.noteInput(kStart + 50s);
    other.noteInput(kStart + 10s);
    CHECK(other.update(kStart + 139s) == IdlePhase::Active);
}

TEST_CASE("the countdown shows whole seconds, rounded up", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    REQUIRE(timer.update(kStart + 90s) == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 90s) == 30);
    CHECK(timer.warningSecondsLeft(kStart + 90s + 1ms) == 30);
    CHECK(timer.warningSecondsLeft(kStart + 90s + 999ms) == 30);
    CHECK(timer.warningSecondsLeft(kStart + 91s) == 29);
    CHECK(timer.warningSecondsLeft(kStart + 110s + 500ms) == 10);
    CHECK(timer.warningSecondsLeft(kStart + 119s) == 1);
    CHECK(timer.warningSecondsLeft(kStart + 119s + 999ms) == 1);  // never 0 while warning
    CHECK(timer.warningSecondsLeft(kStart + 120s) == 0);
}

TEST_CASE("a stray touch during the warning is ignored", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    REQUIRE(timer.update(kStart + 95s) == IdlePhase::Warning);
    timer.noteInput(kStart + 100s);
    CHECK(timer.phase() == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 100s) == 20);
    CHECK(timer.update(kStart + 120s) == IdlePhase::Expired);
    // And after expiry too.
    timer.noteInput(kStart + 121s);
    CHECK(timer.update(kStart + 121s) == IdlePhase::Expired);
}

TEST_CASE("input that arrives after the timeout counts as during the warning", "[idle]") {
    // The frame loop noted the input before calling update(): the phase still follows the time.
    IdleTimer timer(90s, 30s, kStart);
    timer.noteInput(kStart + 91s);
    CHECK(timer.phase() == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 91s) == 29);
}

TEST_CASE("extend() returns to Active with a full timeout", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    REQUIRE(timer.update(kStart + 100s) == IdlePhase::Warning);
    timer.extend(kStart + 105s);
    CHECK(timer.phase() == IdlePhase::Active);
    CHECK(timer.warningSecondsLeft(kStart + 105s) == 0);
    CHECK(timer.update(kStart + 194s) == IdlePhase::Active);
    CHECK(timer.update(kStart + 195s) == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 195s) == 30);  // a fresh, full countdown

    // In Active, extend() is just input.
    IdleTimer active(90s, 30s, kStart);
    active.extend(kStart + 50s);
    CHECK(active.update(kStart + 139s) == IdlePhase::Active);
}

TEST_CASE("extend() is too late once Expired, reset() starts again", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    REQUIRE(timer.update(kStart + 120s) == IdlePhase::Expired);
    timer.extend(kStart + 121s);
    CHECK(timer.phase() == IdlePhase::Expired);

    // "Yes" pressed after the countdown ran out but before a frame noticed: still expired,
    // because the session must be wiped.
    IdleTimer late(90s, 30s, kStart);
    REQUIRE(late.update(kStart + 90s) == IdlePhase::Warning);
    late.extend(kStart + 120s);
    CHECK(late.phase() == IdlePhase::Expired);

    timer.reset(kStart + 200s);
    CHECK(timer.phase() == IdlePhase::Active);
    CHECK(timer.update(kStart + 289s) == IdlePhase::Active);
    CHECK(timer.update(kStart + 290s) == IdlePhase::Warning);
    // reset() works from Warning as well ("Finish and clear" during the warning).
    timer.reset(kStart + 295s);
    CHECK(timer.phase() == IdlePhase::Active);
    CHECK(timer.update(kStart + 384s) == IdlePhase::Active);
}

TEST_CASE("a late frame neither lengthens the warning nor skips expiry", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    // The first update comes 100 s after the last input: the warning began at 90 s.
    CHECK(timer.update(kStart + 100s) == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 100s) == 20);
    // A frame loop that slept through everything goes straight to Expired.
    IdleTimer asleep(90s, 30s, kStart);
    CHECK(asleep.update(kStart + 1h) == IdlePhase::Expired);
}

TEST_CASE("nextWakeUp for each phase", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    // Active: when the warning is due; later input moves it.
    CHECK(timer.nextWakeUp(kStart) == kStart + 90s);
    CHECK(timer.nextWakeUp(kStart + 30s) == kStart + 90s);
    timer.noteInput(kStart + 40s);
    CHECK(timer.nextWakeUp(kStart + 40s) == kStart + 130s);
    // Overdue (no update() yet): wake now, never in the past.
    CHECK(timer.nextWakeUp(kStart + 200s) == kStart + 200s);

    // Warning: each time the number shown changes, then the end.
    REQUIRE(timer.update(kStart + 130s) == IdlePhase::Warning);
    CHECK(timer.nextWakeUp(kStart + 130s) == kStart + 131s);  // 30 → 29
    CHECK(timer.nextWakeUp(kStart + 130s + 400ms) == kStart + 131s);
    CHECK(timer.nextWakeUp(kStart + 131s) == kStart + 132s);
    CHECK(timer.nextWakeUp(kStart + 158s + 1ms) == kStart + 159s);    // 2 → 1
    CHECK(timer.nextWakeUp(kStart + 159s + 500ms) == kStart + 160s);  // 1 → expired
    CHECK(timer.nextWakeUp(kStart + 161s) == kStart + 161s);          // overdue
    // Every wake-up lands where the number has just changed.
    for (auto now = kStart + 130s; now < kStart + 160s;) {
        const auto next = timer.nextWakeUp(now);
        REQUIRE(next.has_value());
        REQUIRE(*next > now);
        CHECK(timer.warningSecondsLeft(*next) == timer.warningSecondsLeft(now) - 1);
        now = *next;
    }

    // Expired: nothing to wake for until reset().
    REQUIRE(timer.update(kStart + 160s) == IdlePhase::Expired);
    CHECK_FALSE(timer.nextWakeUp(kStart + 160s).has_value());
    timer.reset(kStart + 170s);
    CHECK(timer.nextWakeUp(kStart + 170s) == kStart + 260s);
}

TEST_CASE("the warning is clamped to at least 20 seconds (WCAG 2.2.1)", "[idle]") {
    IdleTimer timer(60s, 5s, kStart);
    CHECK(timer.warning() == 20s);
    CHECK(timer.timeout() == 60s);
    REQUIRE(timer.update(kStart + 60s) == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 60s) == 20);
    CHECK(timer.update(kStart + 79s) == IdlePhase::Warning);
    CHECK(timer.update(kStart + 80s) == IdlePhase::Expired);

    IdleTimer negative(-5s, -5s, kStart);
    CHECK(negative.warning() == 20s);
    CHECK(negative.timeout() == 1s);
    IdleTimer longer(90s, 45s, kStart);
    CHECK(longer.warning() == 45s);
}

TEST_CASE("setDurations applies new lengths and keeps the last input", "[idle]") {
    IdleTimer timer(90s, 30s, kStart);
    timer.noteInput(kStart + 10s);
    timer.setDurations(300s, 10s);
    CHECK(timer.timeout() == 300s);
    CHECK(timer.warning() == 20s);  // clamped here too
    CHECK(timer.update(kStart + 309s) == IdlePhase::Active);
    CHECK(timer.update(kStart + 310s) == IdlePhase::Warning);
    CHECK(timer.warningSecondsLeft(kStart + 310s) == 20);
    CHECK(timer.update(kStart + 330s) == IdlePhase::Expired);
}
