// Venue operations, headless: the closed screen outside opening hours (what it says, when it
// shows and when it never interrupts), the display's sleep and wake on touch, and the staff
// panel marking settings set by the coordinator.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/common/log.h"
#include "core/config/kiosk_config.h"
#include "core/operations/device_actions.h"
#include "core/operations/opening_hours.h"
#include "core/session/kiosk_session.h"
#include "core/staff/staff_auth.h"
#include "support/test_support.h"
#include "support/ui_staff_harness.h"
#include "ui/kiosk_app.h"
#include "ui/views.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace std::chrono;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;
using namespace signpost::test;

namespace {

system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm) {
    return sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm);
}

// Weekdays 09:00-17:00, weekends closed.
void officeHours(KioskRuntime& runtime) {
    for (std::string* day :
         {&runtime.config.hoursMonday, &runtime.config.hoursTuesday, &runtime.config.hoursWednesday,
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
    for (const char* id :
         {"closed.next", "closed.help.999", "closed.help.111", "closed.help.samaritans",
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

namespace {

// A stand-in `systemctl` first on $PATH for the duration of a test.
class FakeSystemctl {
public:
    FakeSystemctl(const std::filesystem::path& dir, const std::string& body)
        : m_oldPath(std::getenv("PATH")) {
        std::filesystem::create_directories(dir);
        test::writeText(dir / "systemctl", "#!/bin/sh\n" + body);
        std::filesystem::permissions(dir / "systemctl", std::filesystem::perms::owner_all);
        ::setenv("PATH", (dir.string() + ":" + m_oldPath).c_str(), 1);
    }
    ~FakeSystemctl() { ::setenv("PATH", m_oldPath.c_str(), 1); }

private:
    std::string m_oldPath;
};

}  // namespace

TEST_CASE(
    "staff panel: remote settings are marked and their controls disabled, a save keeps the file's "
    "own",
    "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-remote");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    options.idleTimeoutSeconds = 300;
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    const auto problems =
        applyRemoteSettings(kiosk.runtime.config, {{"kiosk.idle_timeout", std::int64_t{120}},
                                                   {"venue.name", std::string("Central Library")}});
    REQUIRE(problems.empty());
    UiDriver ui(kiosk.runtime);
    ui.app().settingsChanged();
    openStaffPanel(ui);

    CHECK(ui.scrollIntoView("staff.remote", "staff.scroll"));
    REQUIRE(ui.scrollIntoView("staff.settings.idle.remote", "staff.scroll"));
    CHECK_FALSE(ui.find("staff.settings.idle_minus"));
    CHECK_FALSE(ui.find("staff.settings.idle_plus"));
    REQUIRE(ui.scrollIntoView("staff.settings.venue_name.remote", "staff.scroll"));
    CHECK_FALSE(ui.find("staff.settings.venue_name"));
    // Local settings keep their controls.
    REQUIRE(ui.scrollIntoView("staff.settings.high_contrast", "staff.scroll"));
    REQUIRE(ui.press("staff.settings.high_contrast"));
    REQUIRE(ui.scrollIntoView("staff.settings.save", "staff.scroll"));
    REQUIRE(ui.press("staff.settings.save"));
    ui.settle();
    REQUIRE(ui.scrollIntoView("staff.settings.saved", "staff.scroll"));

    const KioskConfig saved = loadKioskConfig(kiosk.runtime.configFile);
    CHECK(saved.highContrast);
    CHECK(saved.idleTimeoutSeconds == 300);  // the file's own value, for when it is cleared
    CHECK(saved.venueName == "Test Library");
    CHECK(kiosk.runtime.config.idleTimeoutSeconds == 120);  // the remote value still applies
}

TEST_CASE("staff panel: network, recent log, change PIN", "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-staff-ops");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    logInfo("test", "a line staff should see");
    openStaffPanel(ui);
    CHECK(ui.scrollIntoView("staff.network", "staff.scroll"));
    CHECK(ui.scrollIntoView("staff.log", "staff.scroll"));
    const auto lines = recentLogLines(50);
    CHECK(lines.size() <= 50);

    // Change PIN: the PIN pad asks for a new one twice, then the panel is back and the new PIN
    // works.
    REQUIRE(ui.press("staff.change_pin"));
    ui.settle();
    REQUIRE(ui.screen() == "staff.pin");
    REQUIRE(typePin(ui, "731946"));
    REQUIRE(typePin(ui, "731946"));
    ui.settle();
    CHECK(ui.screen() == "staff.panel");
    const KioskConfig saved = loadKioskConfig(kiosk.runtime.configFile);
    StaffAuth::writeFreshState(dir / "check-lock.json", saved.pinHash);
    StaffAuth auth(saved.pinHash, dir / "check-lock.json");
    CHECK(auth.check("731946", std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Accepted);
    CHECK(auth.check("2580", std::chrono::system_clock::now()).outcome !=
          PinCheck::Outcome::Accepted);
}

TEST_CASE("reboot: systemctl --no-ask-password reboot, a refusal is said plainly",
          "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-reboot");
    SECTION("accepted") {
        FakeSystemctl fake(dir / "bin",
                           "echo \"$@\" > '" + (dir / "args").string() + "'\nexit 0\n");
        const RebootOutcome outcome = runRebootCommand();
        CHECK(outcome.accepted);
        CHECK(test::readText(dir / "args") == "--no-ask-password reboot\n");
    }
    SECTION("refused (no polkit rule): the staff panel shows why") {
        FakeSystemctl fake(dir / "bin", "touch '" + (dir / "ran").string() +
                                            "'\n"
                                            "echo 'Failed to reboot system via logind: Interactive "
                                            "authentication required.' >&2\nexit 1\n");
        const RebootOutcome outcome = runRebootCommand();
        CHECK_FALSE(outcome.accepted);
        CHECK(outcome.error ==
              "Failed to reboot system via logind: Interactive authentication required.");

        test::TempDir kioskDir("ui-reboot-kiosk");
        TestKioskOptions options;
        options.pinHash = knownPinHash();
        TestKiosk kiosk(kioskDir.path(), test::assetsDir(), options);
        UiDriver ui(kiosk.runtime);
        openStaffPanel(ui);
        REQUIRE(ui.press("staff.reboot"));  // arms only: a slip never restarts the computer
        ui.wait(6);
        CHECK_FALSE(ui.scrollIntoView("staff.reboot.failed", "staff.scroll", 2));
        std::filesystem::remove(dir / "ran");  // from the direct call above
        CHECK_FALSE(std::filesystem::exists(dir / "ran"));
        REQUIRE(ui.press("staff.reboot"));
        REQUIRE(ui.press("staff.reboot"));  // armed: now it runs
        bool shown = false;
        for (int i = 0; i < 300 && !shown; ++i) {
            ui.frame(0.05);
            shown = ui.find("staff.reboot.failed").has_value() ||
                    ui.scrollIntoView("staff.reboot.failed", "staff.scroll", 2);
        }
        CHECK(shown);
        CHECK(std::filesystem::exists(dir / "ran"));
        CHECK(ui.screen() == "staff.panel");
    }
    SECTION("systemctl missing") {
        const std::string oldPath = std::getenv("PATH");
        ::setenv("PATH", (dir / "empty").string().c_str(), 1);
        const RebootOutcome outcome = runRebootCommand();
        ::setenv("PATH", oldPath.c_str(), 1);
        CHECK_FALSE(outcome.accepted);
        CHECK_THAT(outcome.error, Catch::StartsWith("cannot run systemctl"));
    }
}

TEST_CASE("the staff panel's footer buttons all fit on screen, landscape and portrait",
          "[ui][operations]") {
    setLogToStderr(false);
    for (const auto& [width, height] :
         {std::pair{1920.0f, 1080.0f}, std::pair{1080.0f, 1920.0f}, std::pair{1280.0f, 1024.0f}}) {
        test::TempDir dir("ui-footer");
        TestKioskOptions options;
        options.pinHash = knownPinHash();
        options.allowExit = true;
        TestKiosk kiosk(dir.path(), test::assetsDir(), options);
        UiDriver ui(kiosk.runtime, width, height);
        openStaffPanel(ui);
        for (const char* id :
             {"staff.close", "staff.restart", "staff.change_pin", "staff.reboot", "staff.exit"}) {
            INFO(width << "x" << height << " " << id);
            const auto element = ui.find(id);
            REQUIRE(element);
            CHECK(element->x >= 0);
            CHECK(element->x + element->width <= width + 0.5f);
            CHECK(element->y + element->height <= height + 0.5f);
            CHECK(element->height >= 44);
        }
    }
}
