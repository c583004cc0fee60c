// Staff mode, headless: press and hold the corner, the PIN pad (setting a first PIN, the
// five-wrong lockout that a restart does not clear), the panel's facts and settings, restart/exit.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/config/kiosk_config.h"
#include "core/session/kiosk_session.h"
#include "core/staff/staff_auth.h"
#include "support/test_support.h"
#include "support/ui_staff_harness.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;
using namespace signpost::test;

TEST_CASE("the staff corner opens the PIN pad only after a 3-second hold", "[ui][staff]") {
    setLogToStderr(false);
    test::TempDir dir("ui-corner");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.find("global.staff_corner"));
    REQUIRE(ui.press("global.staff_corner"));
    CHECK(ui.screen() == "home");
    REQUIRE(ui.hold("global.staff_corner", 1.5));
    CHECK(ui.screen() == "home");
    openPinPad(ui);
    REQUIRE(ui.press("staff.pin.cancel"));
    CHECK(ui.screen() == "home");
}

TEST_CASE("issue 9: with no PIN configured, the touchscreen never opens staff mode",
          "[ui][staff]") {
    // The state a fresh install ships in and --reset-pin leaves: before issue 9 the first person
    // to hold the corner was asked to "Set a staff PIN" and became the kiosk's staff.
    setLogToStderr(false);
    test::TempDir dir("ui-nopin");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.hold("global.staff_corner", 3.2));
    CHECK(ui.screen() == "staff.pin");
    const auto message = ui.find("staff.pin.not_set_up");
    REQUIRE(message);
    CHECK(std::string(kiosk.runtime.i18n.tr("staff.pin.not_set_up")) ==
          "Staff mode is not set up yet: see installer/README.md");
    // Nothing to type a PIN into, and no way on to the panel.
    for (const char* key :
         {"staff.pin.key.2", "staff.pin.key.0", "staff.pin.ok", "staff.pin.display"}) {
        INFO(key);
        CHECK_FALSE(ui.find(key));
    }
    CHECK_FALSE(typePin(ui, "2580"));
    CHECK(ui.screen() == "staff.pin");
    CHECK(loadKioskConfig(kiosk.runtime.configFile).pinHash.empty());
    REQUIRE(ui.press("staff.pin.cancel"));
    CHECK(ui.screen() == "home");
    // Holding again changes nothing.
    REQUIRE(ui.hold("global.staff_corner", 3.2));
    CHECK(ui.find("staff.pin.not_set_up"));
    CHECK_FALSE(ui.find("staff.pin.ok"));
}

TEST_CASE("five wrong PINs lock staff mode for five minutes, across a restart", "[ui][staff]") {
    setLogToStderr(false);
    test::TempDir dir("ui-lock");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    const auto start = *parseIsoUtc("2026-11-23T11:00:00Z");
    ui.setWallClock(start);
    openPinPad(ui);
    for (int i = 0; i < 4; ++i) {
        REQUIRE(typePin(ui, "1111"));
        CHECK(ui.screen() == "staff.pin");
        CHECK_FALSE(ui.find("staff.pin.locked"));
    }
    REQUIRE(typePin(ui, "1111"));
    CHECK(ui.find("staff.pin.locked"));
    // The pad is disabled while locked, and the right PIN does not get through.
    const auto key = ui.find("staff.pin.key.2");
    REQUIRE(key);
    CHECK_FALSE(key->enabled);
    CHECK_FALSE(typePin(ui, "2580"));
    CHECK(ui.screen() == "staff.pin");
    // The countdown ticks: a frame is wanted within a second.
    const auto wake = ui.app().nextWakeUp();
    REQUIRE(wake);

    // A "restart": a new StaffAuth on the same state file is still locked.
    StaffAuth restarted(knownPinHash(), kiosk.runtime.dataDir / "staff-lock.json");
    const PinCheck status = restarted.status(start + std::chrono::minutes(1));
    CHECK(status.outcome == PinCheck::Outcome::LockedOut);
    CHECK(status.lockRemaining.count() > 0);
    CHECK(restarted.check("2580", start + std::chrono::minutes(1)).outcome ==
          PinCheck::Outcome::LockedOut);

    // Five minutes later the right PIN opens the panel.
    ui.setWallClock(start + std::chrono::minutes(6));
    ui.frame();
    CHECK_FALSE(ui.find("staff.pin.locked"));
    REQUIRE(typePin(ui, "2580"));
    CHECK(ui.screen() == "staff.panel");
}

TEST_CASE("the staff panel shows the kiosk and saves settings", "[ui][staff]") {
    setLogToStderr(false);
    test::TempDir dir("ui-panel");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    kiosk.runtime.notes.push_back({"note.directory_rebuilt", "manchester-demo.json"});
    UiDriver ui(kiosk.runtime);
    openPinPad(ui);
    REQUIRE(typePin(ui, "2580"));
    REQUIRE(ui.screen() == "staff.panel");
    CHECK(ui.scrollIntoView("staff.sync", "staff.scroll"));  // the place kept for the sync status
    CHECK(ui.find("staff.close"));
    CHECK(ui.find("staff.restart"));
    CHECK_FALSE(ui.find("staff.exit"));  // allow_exit is false

    SECTION("settings are saved to the config and apply from the next visit") {
        REQUIRE(ui.scrollIntoView("staff.settings.idle_plus", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.idle_plus"));
        REQUIRE(ui.scrollIntoView("staff.settings.high_contrast", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.high_contrast"));
        REQUIRE(ui.scrollIntoView("staff.settings.text_size.large", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.text_size.large"));
        REQUIRE(ui.scrollIntoView("staff.settings.venue_name", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.venue_name"));
        ui.typePhysical(" West");
        REQUIRE(ui.press("keyboard.done"));
        REQUIRE(ui.scrollIntoView("staff.settings.save", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.save"));
        REQUIRE(ui.scrollIntoView("staff.settings.saved", "staff.scroll"));
        const KioskConfig saved = loadKioskConfig(kiosk.runtime.configFile);
        CHECK(saved.idleTimeoutSeconds == 90 + 15);
        CHECK(saved.highContrast);
        CHECK(saved.textSize == TextSize::Large);
        CHECK(saved.venueName == "Test Library West");
        CHECK(saved.pinHash == knownPinHash());  // other keys kept
        REQUIRE(ui.press("staff.close"));
        CHECK(ui.screen() == "home");
        CHECK(ui.app().session().highContrast());
        CHECK(ui.app().session().textSize() == TextSize::Large);
    }
    SECTION("a save that fails says so and changes nothing") {
        kiosk.runtime.configFile = dir / "missing-folder" / "kiosk.toml";
        REQUIRE(ui.scrollIntoView("staff.settings.high_contrast", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.high_contrast"));
        REQUIRE(ui.scrollIntoView("staff.settings.save", "staff.scroll"));
        REQUIRE(ui.press("staff.settings.save"));
        REQUIRE(ui.scrollIntoView("staff.settings.save_failed", "staff.scroll"));
        CHECK_FALSE(kiosk.runtime.config.highContrast);
    }
    SECTION("restart asks the shell to restart") {
        REQUIRE(ui.press("staff.restart"));
        CHECK(ui.app().shellRequest() == ui::ShellRequest::Restart);
    }
    SECTION("idle leaves staff mode too") {
        ui.wait(kiosk.runtime.config.idleTimeoutSeconds + kiosk.runtime.config.idleWarningSeconds +
                2);
        CHECK(ui.screen() == "home");
    }
}

TEST_CASE("exit is offered only when the config allows it", "[ui][staff]") {
    setLogToStderr(false);
    test::TempDir dir("ui-exit");
    TestKioskOptions options;
    options.pinHash = knownPinHash();
    options.allowExit = true;
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    openPinPad(ui);
    REQUIRE(typePin(ui, "2580"));
    REQUIRE(ui.press("staff.exit"));
    CHECK(ui.app().shellRequest() == ui::ShellRequest::Exit);
}
