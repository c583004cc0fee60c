// Venue operations, headless: the closed screen outside opening hours (what it says, when it
// shows and when it never interrupts), the display's sleep and wake on touch, and the staff
// panel marking settings set by the coordinator.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/common/log.h"
#include "core/config/kiosk_config.h"
#include "core/operations/opening_hours.h"
#include "core/session/kiosk_session.h"
#include "core/staff/staff_auth.h"
#include "support/test_support.h"
#include "ui/kiosk_app.h"
#include "ui/testing/test_kiosk.h"
#include "ui/testing/ui_driver.h"
#include "ui/views.h"

using namespace signpost;
using namespace std::chrono;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

namespace {

system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm) {
    return sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm);
}

// Weekdays 09:00-17:00, weekends closed.
void officeHours(KioskRuntime& runtime) {
    for (std::string* day : {&runtime.config.hoursMonday, &runtime.config.hoursTuesday, &runtime.config.hoursWednesday,
                             &runtime.config.hoursThursday, &runtime.config.hoursFriday}) {
        *day = "09:00-17:00";
    }
    runtime.config.hoursSaturday = "closed";
    runtime.config.hoursSunday = "closed";
    runtime.config.closedWakeSeconds = 30;
}

}  // namespace

TEST_CASE("outside opening hours the closed screen says when it opens and where to get help",
          "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-closed");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    officeHours(kiosk.runtime);
    UiDriver ui(kiosk.runtime);
    ui.app().settingsChanged();

    ui.setWallClock(utc(2026, 11, 23, 11, 0));  // Monday 11:00 GMT: open
    ui.settle();
    CHECK(ui.screen() == "home");
    CHECK_FALSE(ui.app().venueClosed());

    ui.setWallClock(utc(2026, 11, 23, 18, 0));  // Monday 18:00: closed
    ui.settle();
    CHECK(ui.screen() == "closed");
    CHECK(ui.app().venueClosed());
    for (const char* id : {"closed.next", "closed.help.999", "closed.help.111", "closed.help.samaritans",
                           "closed.help.link_worker", "global.staff_corner"}) {
        INFO(id);
        CHECK(ui.find(id));
    }
    CHECK_FALSE(ui.find("home.search"));

    SECTION("the next opening in words") {
        const I18n& i18n = kiosk.runtime.i18n;
        NextOpening next;
        next.local.minutesOfDay = 540;
        next.local.weekday = 2;
        next.daysAhead = 1;
        CHECK(ui::nextOpeningText(i18n, next) == "We open again tomorrow at 9am.");
        next.daysAhead = 0;
        CHECK(ui::nextOpeningText(i18n, next) == "We open again today at 9am.");
        next.daysAhead = 3;
        CHECK(ui::nextOpeningText(i18n, next) == "We open again on Tuesday at 9am.");
        next.daysAhead = 12;
        next.local.date = year(2026) / December / day(5);
        CHECK(ui::nextOpeningText(i18n, next) == "We open again on 5 December at 9am.");
        CHECK(ui::nextOpeningText(i18n, std::nullopt) == i18n.tr("closed.next_unknown"));
    }

    SECTION("the display sleeps after closed_wake without a touch, a touch wakes it") {
        CHECK(ui.app().displayAwake());
        const auto wake = ui.app().nextWakeUp();
        REQUIRE(wake);
        CHECK(*wake - ui.now() <= seconds(31));  // the loop wakes to put the display to sleep
        ui.wait(31);
        CHECK_FALSE(ui.app().displayAwake());
        ui.tapAt(ui::testing::Point{900, 700});
        CHECK(ui.app().displayAwake());
        CHECK(ui.screen() == "closed");
        ui.wait(31);
        CHECK_FALSE(ui.app().displayAwake());
    }

    SECTION("with sleep_when_closed = false the display stays on") {
        kiosk.runtime.config.sleepWhenClosed = false;
        ui.app().settingsChanged();
        ui.wait(120);
        CHECK(ui.app().displayAwake());
    }

    SECTION("staff can still reach the staff panel from the closed screen, and it stays awake") {
        REQUIRE(ui.hold("global.staff_corner", 3.2));
        CHECK(ui.screen() == "staff.pin");
        ui.wait(60);
        CHECK(ui.app().displayAwake());
    }

    SECTION("opening time brings the home screen back") {
        ui.setWallClock(utc(2026, 11, 24, 9, 0));
        ui.settle();
        CHECK(ui.screen() == "home");
        CHECK(ui.app().displayAwake());
    }
}

TEST_CASE("a visit in progress at closing time is never cut short", "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-closing");
    TestKioskOptions options;
    options.idleTimeoutSeconds = 60;
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    officeHours(kiosk.runtime);
    UiDriver ui(kiosk.runtime);
    ui.app().settingsChanged();
    ui.setWallClock(utc(2026, 11, 23, 16, 58));
    ui.settle();
    REQUIRE(ui.screen() == "home");
    REQUIRE(ui.pressFirst("home.need."));
    REQUIRE(ui.screen() == "results");

    ui.setWallClock(utc(2026, 11, 23, 17, 1));  // closed now, but someone is reading results
    ui.settle();
    CHECK(ui.screen() == "results");
    CHECK(ui.app().displayAwake());
    // Nobody comes back: the idle timeout clears the visit, then the closed screen shows.
    ui.wait(100);
    CHECK(ui.screen() == "closed");
}

TEST_CASE("always open (the default) never shows the closed screen", "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-always");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    for (int hour : {0, 3, 12, 23}) {
        ui.setWallClock(utc(2026, 11, 29, hour, 30));
        ui.settle();
        CHECK(ui.screen() == "home");
    }
    ui.wait(600, 30);
    CHECK(ui.app().displayAwake());
}
