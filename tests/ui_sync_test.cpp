// The sync engine in the kiosk's UI: the words chosen for each state and error (in English and
// Polish), the calm resident status line, and the staff panel's sync section driven headless
// against a real signpost-server: enroll on the on-screen keyboard, see the state, Sync now.
#include <catch2/catch.hpp>

#include <thread>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/i18n/i18n.h"
#include "core/staff/staff_auth.h"
#include "support/sync_world.h"
#include "support/ui_staff_harness.h"
#include "sync/engine/engine_options.h"
#include "ui/sync_text.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace std::chrono_literals;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

namespace {

I18n texts(const std::string& language) {
    I18n i18n = I18n::load(test::assetsDir() / "i18n", {"en", "pl"});
    REQUIRE(i18n.setLanguage(language));
    return i18n;
}

TimeZone london() {
    return TimeZone::load("Europe/London");
}

SystemTime at(const char* iso) {
    return *parseIsoUtc(iso);
}

}  // namespace

TEST_CASE("every sync state and error has words in English and Polish", "[ui][sync]") {
    const sync::SyncState states[] = {sync::SyncState::Stopped, sync::SyncState::NotEnrolled,
                                      sync::SyncState::Idle,    sync::SyncState::Syncing,
                                      sync::SyncState::Offline, sync::SyncState::CaptivePortal,
                                      sync::SyncState::Revoked};
    for (const std::string language : {"en", "pl"}) {
        const I18n i18n = texts(language);
        for (sync::SyncState state : states) {
            INFO(language << " " << sync::toString(state));
            const std::string key = ui::syncStateKey(state);
            CHECK(key == std::string("sync.state.") + sync::toString(state));
            CHECK(std::string(i18n.tr(key)) != key);
        }
        for (const char* code :
             {"connect", "dns", "timeout", "tls", "tls_pin", "proxy", "http_503", "http_429",
              "http_500", "revoked", "captive_portal", "bad_response", "storage", "bad_directory",
              "curl_77", "send", "receive"}) {
            INFO(language << " " << code);
            const char* key = ui::syncErrorKey(code);
            REQUIRE(key != nullptr);
            CHECK(std::string(i18n.tr(key)) != key);
        }
        for (const char* code : {"invalid_url", "enroll_refused", "rate_limited", "connect"}) {
            const char* key = ui::enrollErrorKey(code);
            REQUIRE(key != nullptr);
            CHECK(std::string(i18n.tr(key)) != key);
        }
    }
    CHECK(ui::syncErrorKey("") == nullptr);
    CHECK(std::string(ui::syncErrorKey("http_503")) == "sync.error.busy");
    CHECK(std::string(ui::syncErrorKey("http_502")) == "sync.error.server");
    CHECK(std::string(ui::syncErrorKey("something_new")) == "sync.error.other");
    // A captive portal is explained as the venue's Wi-Fi, not as the server being down.
    CHECK_THAT(texts("en").tr("sync.state.captive_portal"),
               Catch::Contains("Wi-Fi needs a login page accepted"));
}

TEST_CASE("the resident status line is calm and short", "[ui][sync]") {
    const I18n en = texts("en");
    const TimeZone zone = london();
    const SystemTime now = at("2026-11-23T15:00:00Z");
    sync::SyncStatus status;
    status.state = sync::SyncState::Idle;
    CHECK(ui::residentSyncLine(en, zone, status, now) == "Online \xC2\xB7 all sent");
    status.counts.queued = 2;
    CHECK(ui::residentSyncLine(en, zone, status, now) == "Online \xC2\xB7 2 waiting to send");
    status.state = sync::SyncState::Offline;
    status.lastPushAt = "2026-11-23T14:03:07Z";
    CHECK(ui::residentSyncLine(en, zone, status, now) ==
          "Offline \xC2\xB7 2 waiting to send \xC2\xB7 last sent 14:03");
    status.state = sync::SyncState::CaptivePortal;  // residents are not told about Wi-Fi logins
    CHECK_THAT(ui::residentSyncLine(en, zone, status, now), Catch::StartsWith("Offline"));
    status.state = sync::SyncState::Syncing;
    CHECK(ui::residentSyncLine(en, zone, status, now) == "Sending\xE2\x80\xA6");
    status.state = sync::SyncState::Offline;
    status.lastPushAt = "2026-07-01T09:30:00Z";  // summer time, another day
    CHECK_THAT(ui::residentSyncLine(en, zone, status, now),
               Catch::EndsWith("last sent 1 Jul 10:30"));
    CHECK_THAT(ui::residentSyncLine(texts("pl"), zone, status, now),
               Catch::EndsWith("1 lip 10:30"));

    CHECK(ui::localTimeText(en, zone, "", now).empty());
    CHECK(ui::localTimeText(en, zone, "yesterday", now).empty());
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(ui::durationUntil(en, t0 - 1s, t0) == "now");
    CHECK(ui::durationUntil(en, t0 + 45s, t0) == "45 s");
    CHECK(ui::durationUntil(en, t0 + 150s, t0) == "3 min");
    CHECK(ui::durationUntil(en, t0 + 125min, t0) == "2 h 5 min");
}

TEST_CASE("staff enroll the kiosk from the panel, then see it connected", "[ui][sync]") {
    setLogToStderr(false);
    test::TempDir dir("ui-sync");
    test::SyncServer server(dir / "server");
    std::filesystem::create_directories(dir / "kiosk");
    TestKioskOptions options;
    options.pinHash = test::knownPinHash();
    TestKiosk kiosk(dir / "kiosk", test::assetsDir(), options);

    sync::SyncEngineOptions engineOptions =
        sync::syncEngineOptions(kiosk.runtime.config, kiosk.runtime.dataDir);
    engineOptions.http.proxy = "none";
    engineOptions.timeZone = "UTC";
    sync::SyncEngine engine(engineOptions);
    engine.start();
    UiDriver ui(kiosk.runtime);
    ui.app().setSyncEngine(&engine);
    const auto frameUntil = [&](const std::function<bool()>& done) {
        return test::waitUntil(
            [&] {
                ui.frame();
                return done();
            },
            20s, 20ms);
    };

    // Residents see a calm line; not enrolled reads as offline.
    REQUIRE(frameUntil([&] { return engine.status()->state == sync::SyncState::NotEnrolled; }));
    ui.frame();
    REQUIRE(ui.find("global.sync_status"));

    test::openStaffPanel(ui);
    REQUIRE(ui.scrollIntoView("staff.sync.state.not_enrolled", "staff.scroll"));

    // Issue 9: plain http:// to another machine is refused before anything is sent.
    REQUIRE(ui.scrollIntoView("staff.sync.server_url", "staff.scroll"));
    REQUIRE(ui.typeText("staff.sync.server_url", "http://192.0.2.7:8787"));
    REQUIRE(ui.scrollIntoView("staff.sync.code", "staff.scroll"));
    REQUIRE(ui.typeText("staff.sync.code", "AAAA-BBBB-CCCC"));
    REQUIRE(ui.scrollIntoView("staff.sync.enroll", "staff.scroll"));
    REQUIRE(ui.press("staff.sync.enroll"));
    REQUIRE(frameUntil([&] { return ui.find("staff.sync.check_failed").has_value(); }));
    CHECK(engine.status()->serverCheck.error == "insecure_url");
    CHECK_FALSE(ui.find("staff.sync.enroll_confirm"));
    // Cleared (the code too) and typed again: the loopback server.
    for (const char* field : {"staff.sync.server_url", "staff.sync.code"}) {
        REQUIRE(ui.scrollIntoView(field, "staff.scroll"));
        REQUIRE(ui.press(field));
        for (int i = 0; i < 30; ++i) {
            REQUIRE(ui.press("keyboard.backspace"));
        }
        REQUIRE(ui.press("keyboard.done"));
    }

    // A wrong code first: the server is checked (shown, confirmed), then the code is refused.
    const auto enrollWith = [&](const std::string& code) {
        REQUIRE(ui.scrollIntoView("staff.sync.code", "staff.scroll"));
        REQUIRE(ui.typeText("staff.sync.code", code));
        REQUIRE(ui.scrollIntoView("staff.sync.enroll", "staff.scroll"));
        REQUIRE(ui.press("staff.sync.enroll"));
        REQUIRE(frameUntil([&] { return ui.find("staff.sync.fingerprint").has_value(); }));
        CHECK(
            engine.status()->serverCheck.plainLoopback);  // http:// on this machine: no certificate
        REQUIRE(ui.scrollIntoView("staff.sync.enroll_confirm", "staff.scroll"));
        REQUIRE(ui.press("staff.sync.enroll_confirm"));
    };
    REQUIRE(ui.scrollIntoView("staff.sync.server_url", "staff.scroll"));
    REQUIRE(ui.typeText("staff.sync.server_url", server.url()));
    enrollWith("AAAA-BBBB-CCCC");
    REQUIRE(frameUntil([&] { return ui.find("staff.sync.enroll_failed").has_value(); }));
    CHECK(engine.status()->enrollError == "enroll_refused");

    // The real code: enrolled, connected.
    enrollWith(server.enrollmentCode());
    REQUIRE(frameUntil([&] { return ui.find("staff.sync.enroll_ok").has_value(); }));
    REQUIRE(frameUntil([&] { return engine.status()->state == sync::SyncState::Idle; }));
    CHECK(engine.status()->serverUrl == server.url());
    // Up from the enroll button, however long the panel below it is (a switch per language).
    REQUIRE(frameUntil([&] { return ui.scrollIntoView("staff.sync.state.idle", "staff.scroll"); }));

    // Sync now reaches the server (a heartbeat shows in the fleet list).
    const std::string before = engine.status()->lastHeartbeatAt;
    std::this_thread::sleep_for(1100ms);
    REQUIRE(ui.scrollIntoView("staff.sync.sync_now", "staff.scroll"));
    REQUIRE(ui.press("staff.sync.sync_now"));
    REQUIRE(frameUntil([&] { return engine.status()->lastHeartbeatAt != before; }));
    CHECK(server.devices().devices.size() == 1);
    engine.stop();
    ui.app().setSyncEngine(nullptr);
}
