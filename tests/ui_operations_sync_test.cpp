// Remote settings end to end (operations): a coordinator sets them on a real signpost-server
// (`admin device set`), the kiosk's sync engine syncs, the kiosk fetches and applies them, and the
// staff panel shows them as set by the coordinator; cleared on the server, the kiosk's own value
// is back. Plus the network section's server / captive-portal line from the engine's status.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "core/common/log.h"
#include "core/operations/remote_settings.h"
#include "core/staff/staff_auth.h"
#include "support/sync_world.h"
#include "support/ui_staff_harness.h"
#include "sync/engine/engine_options.h"
#include "ui/kiosk_app.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace std::chrono_literals;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

TEST_CASE(
    "remote settings: set on the server, sync, applied and shown, cleared, the local value is back",
    "[ui][operations]") {
    setLogToStderr(false);
    test::TempDir dir("ui-remote-e2e");
    test::SyncServer server(dir / "server");
    std::filesystem::create_directories(dir / "kiosk");
    TestKioskOptions options;
    options.pinHash = test::knownPinHash();
    TestKiosk kiosk(dir / "kiosk", test::assetsDir(), options);
    const std::string ownConfig = test::readText(kiosk.runtime.configFile);

    sync::SyncEngineOptions engineOptions =
        sync::syncEngineOptions(kiosk.runtime.config, kiosk.runtime.dataDir);
    engineOptions.http.proxy = "none";
    engineOptions.timeZone = "UTC";
    sync::SyncEngine engine(engineOptions);
    engine.start();
    UiDriver ui(kiosk.runtime);
    ui.app().setSyncEngine(&engine);
    std::atomic<int> wakes{0};
    ui.app().setWake([&] { ++wakes; });
    const auto frameUntil = [&](const std::function<bool()>& done) {
        return test::waitUntil(
            [&] {
                ui.frame();
                return done();
            },
            30s, 20ms);
    };

    const auto ticket = engine.enroll(server.url(), server.enrollmentCode());
    REQUIRE(frameUntil([&] {
        auto status = engine.status();
        return status->enrollTicket == ticket && status->state == sync::SyncState::Idle;
    }));
    const std::string deviceId = engine.status()->deviceId;
    REQUIRE_FALSE(deviceId.empty());

    server.admin(
        {"device", "set", deviceId, "idle_timeout=120", "venue=Central Library", "sunday=closed"});
    std::this_thread::sleep_for(1100ms);  // lastSuccessAt has a one-second resolution
    engine.syncNow();
    // The fetch that brings them wakes the frame loop (which would otherwise sleep until a touch).
    REQUIRE(frameUntil([&] { return wakes.load() > 0; }));
    REQUIRE(frameUntil([&] { return kiosk.runtime.config.idleTimeoutSeconds == 120; }));
    CHECK(kiosk.runtime.config.venueName == "Central Library");
    CHECK(kiosk.runtime.config.hoursSunday == "closed");
    CHECK(kiosk.runtime.config.isRemote("kiosk.idle_timeout"));
    CHECK(test::readText(kiosk.runtime.configFile) == ownConfig);  // kiosk.toml untouched
    const auto stored = loadRemoteSettings(kiosk.runtime.dataDir / kRemoteSettingsFileName);
    REQUIRE(stored);
    CHECK(stored->values.size() == 3);
    CHECK_FALSE(stored->etag.empty());

    // Shown: staff see the value marked as the coordinator's, with no control for it.
    test::openStaffPanel(ui);
    CHECK(ui.scrollIntoView("staff.settings.idle.remote", "staff.scroll"));
    CHECK_FALSE(ui.find("staff.settings.idle_minus"));
    CHECK(ui.scrollIntoView("staff.settings.venue_name.remote", "staff.scroll"));
    // The network section says the server answered.
    CHECK(ui.scrollIntoView("staff.network.idle", "staff.scroll"));

    // Send a test referral: marked TEST, sent end to end, the panel shows when the server stored
    // it.
    REQUIRE(ui.scrollIntoView("staff.test_referral.send", "staff.scroll"));
    REQUIRE(ui.press("staff.test_referral.send"));
    const bool testStored = frameUntil(
        [&] { return ui.scrollIntoView("staff.test_referral.stored", "staff.scroll", 3); });
    INFO("outbox: " << kiosk.runtime.outbox->counts().queued << " queued, "
                    << kiosk.runtime.outbox->counts().sent << " sent");
    REQUIRE(testStored);
    const auto onServer = server.pullAll();
    REQUIRE(onServer.size() == 1);
    CHECK(onServer.front().submission.test);
    const auto sealedItems = kiosk.runtime.outbox->allItems();
    REQUIRE(sealedItems.size() == 1);
    CHECK(sealedItems.front().test);
    CHECK(onServer.front().submission.id == sealedItems.front().id);

    // Cleared on the server: at the next sync the kiosk's own value applies again.
    server.admin({"device", "clear", deviceId, "idle_timeout"});
    std::this_thread::sleep_for(1100ms);
    engine.syncNow();
    REQUIRE(frameUntil([&] { return kiosk.runtime.config.idleTimeoutSeconds == 90; }));
    CHECK_FALSE(kiosk.runtime.config.isRemote("kiosk.idle_timeout"));
    CHECK(kiosk.runtime.config.isRemote("venue.name"));
    REQUIRE(
        frameUntil([&] { return ui.scrollIntoView("staff.settings.idle_minus", "staff.scroll"); }));

    engine.stop();
    ui.app().setSyncEngine(nullptr);
}
