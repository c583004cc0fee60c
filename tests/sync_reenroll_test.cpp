// Issue 9, part 4: re-enrolling a kiosk to another server — from the staff panel or the command
// line — never takes the referrals queued for the first server with it unless staff confirm; plain
// http:// is refused except on this machine. Real signpost-server processes on loopback and the
// kiosk's real sync engine.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "core/common/time_util.h"
#include "core/config/kiosk_config.h"
#include "core/operations/remote_settings.h"
#include "core/staff/staff_auth.h"
#include "support/sync_world.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/enrollment_policy.h"

using namespace signpost;
using namespace std::chrono_literals;

TEST_CASE("issue 9: the enrollment URL policy: https, plain http only on this machine",
          "[sync_reenroll]") {
    for (const char* allowed :
         {"https://sync.example.org", "https://10.0.0.5:8443/base/", "http://127.0.0.1:8787",
          "http://127.8.9.10", "http://localhost:8787", "http://[::1]:8787"}) {
        INFO(allowed);
        CHECK(sync::checkEnrollmentUrl(allowed));
    }
    for (const char* refused :
         {"http://sync.example.org", "http://10.0.0.5:8787", "http://127.0.0.1.evil.example",
          "http://127.example.org", "http://localhost.evil.example", "http://[::2]",
          "http://user@192.0.2.1"}) {
        INFO(refused);
        const auto checked = sync::checkEnrollmentUrl(refused);
        REQUIRE_FALSE(checked);
        CHECK(checked.error().code == "insecure_url");
    }
    CHECK(sync::checkEnrollmentUrl("ftp://x").error().code == "invalid_url");
}

TEST_CASE("issue 9: referrals queued for one server are not sent to another without a confirmation",
          "[sync_reenroll]") {
    test::TempDir dir("reenroll");
    test::SyncServer first(dir / "first");
    test::SyncServer second(dir / "second");
    test::SyncKiosk kiosk(dir / "kiosk", first.publicKey(), 0);
    kiosk.startEnrolled(first);
    const std::string sent = kiosk.submit().id;
    kiosk.waitFor(
        [](const sync::SyncStatus& s) { return s.counts.sent == 1 && s.counts.queued == 0; });

    // The first server goes away; three referrals wait for it.
    first.stop();
    std::set<std::string> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.insert(kiosk.submit().id);
    }
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.queued == 3; });

    // Enrolled with another server (someone at the panel, or an honest move): what waited stays.
    kiosk.enroll(second);
    const std::string after = kiosk.submit().id;  // queued after the move: goes to the new server
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        return s.counts.sent == 2 && s.heldFor.size() == 1 && s.heldFor[0].second == 3;
    });
    CHECK(kiosk.engine().status()->heldFor[0].first == first.url());
    std::this_thread::sleep_for(500ms);
    kiosk.engine().syncNow();
    std::this_thread::sleep_for(500ms);
    auto onSecond = second.idCounts();
    CHECK(onSecond.size() == 1);
    CHECK(onSecond.contains(after));
    for (const std::string& id : waiting) {
        CHECK_FALSE(onSecond.contains(id));
    }

    // Staff confirm: now they go to the new server, once each.
    kiosk.engine().releaseHeld(first.url());
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.counts.queued == 0 && s.counts.held == 0 && s.heldFor.empty();
    });
    onSecond = second.idCounts();
    CHECK(onSecond.size() == 4);
    for (const std::string& id : waiting) {
        CHECK(onSecond.contains(id));
    }
    CHECK_FALSE(onSecond.contains(sent));  // what the first server had stays there

    // Plain http:// to another machine is refused before anything is sent.
    kiosk.waitForEnrollment(kiosk.engine().enroll("http://192.0.2.7:8787", "AAAA-BBBB-CCCC"));
    CHECK(kiosk.engine().status()->enrollError == "insecure_url");
    CHECK(kiosk.engine().status()->serverUrl == second.url());
}

TEST_CASE("issue 9: back with the server they were queued for, held referrals go to it",
          "[sync_reenroll]") {
    test::TempDir dir("reenroll-back");
    test::SyncServer first(dir / "first");
    test::SyncServer second(dir / "second");
    test::SyncKiosk kiosk(dir / "kiosk", first.publicKey(), 0);
    kiosk.startEnrolled(first);
    first.stop();
    const std::string id = kiosk.submit().id;
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.queued == 1; });
    kiosk.enroll(second);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.heldFor.size() == 1; });
    first.start();
    kiosk.enroll(first);
    kiosk.waitFor(
        [](const sync::SyncStatus& s) { return s.counts.queued == 0 && s.heldFor.empty(); });
    CHECK(first.idCounts().contains(id));
    CHECK_FALSE(second.idCounts().contains(id));
}

namespace {

// A built program with `input` on its standard input.
test::ProgramRun runWithInput(const std::string& program, std::vector<std::string> args,
                              const std::filesystem::path& dir, const std::string& input) {
    static int inputs = 0;
    test::ProcessOptions options;
    options.stdinFile = dir / ("stdin-" + std::to_string(inputs++));
    test::writeText(options.stdinFile, input);
    return test::runBuiltProgram(program, std::move(args), dir, options);
}

}  // namespace

TEST_CASE("issue 9: heartbeats report a staff lock-out and signpost devices flags the kiosk",
          "[sync_reenroll]") {
    test::TempDir dir("staff-report");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 0);
    kiosk.startEnrolled(server);

    // Wrong PINs at the kiosk: the UI reports the lock, and a heartbeat goes at once (the engine's
    // own heartbeat interval here is an hour).
    protocol::StaffLockReport locked;
    locked.reported = true;
    locked.pinSet = true;
    locked.lockouts = 2;
    locked.lockedUntil = formatIsoUtc(std::chrono::system_clock::now() + std::chrono::minutes(10));
    kiosk.engine().reportStaff(locked);
    REQUIRE(test::waitUntil(
        [&] {
            const auto devices = server.devices().devices;
            return devices.size() == 1 && devices[0].lastHeartbeat.staff == locked;
        },
        20s, 50ms));

    const std::filesystem::path tokenFile = dir / "coordinator.token";
    test::writePrivateText(tokenFile,
                           server.admin({"coordinator-token", "create", "--name", "fleet"}) + "\n");
    const std::vector<std::string> devices = {"devices", "--server", server.url(), "--token-file",
                                              tokenFile.string()};
    test::ProgramRun run = test::runBuiltProgram("signpost", devices, dir.path());
    REQUIRE(run.status.success());
    const std::string& out = run.out;
    const std::string& err = run.err;
    INFO(out << err);
    CHECK(out.find("STAFF") != std::string::npos);
    CHECK(out.find("LOCKED until") != std::string::npos);
    CHECK(out.find("(lock 2)") != std::string::npos);
    CHECK(err.find("warning: staff mode was locked after wrong PINs on 1 kiosk: Test kiosk "
                   "(Harpurhey Library)") != std::string::npos);

    // The right PIN at last: the flag goes with the next heartbeat.
    protocol::StaffLockReport fine;
    fine.reported = true;
    fine.pinSet = true;
    kiosk.engine().reportStaff(fine);
    REQUIRE(test::waitUntil([&] { return server.devices().devices[0].lastHeartbeat.staff == fine; },
                            20s, 50ms));
    run = test::runBuiltProgram("signpost", devices, dir.path());
    REQUIRE(run.status.success());
    CHECK(run.err.find("warning: staff mode was locked") == std::string::npos);
}

TEST_CASE("issue 9: coordinators set a kiosk's PIN from the server, from standard input only",
          "[sync_reenroll]") {
    test::TempDir dir("remote-pin");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 0);
    kiosk.startEnrolled(server);
    const std::string device = kiosk.engine().status()->deviceId;
    const std::vector<std::string> setPin = {"admin", "device",   "set-pin",
                                             device,  "--config", server.configFile().string()};
    // Refused: on the command line, or too easy.
    std::vector<std::string> onArgv = setPin;
    onArgv.insert(onArgv.begin() + 4, "731946");
    test::ProgramRun run = runWithInput("signpost-server", onArgv, dir.path(), "");
    CHECK_FALSE(run.status.success());
    CHECK(run.err.find("standard input") != std::string::npos);
    run = runWithInput("signpost-server", setPin, dir.path(), "1234\n");
    CHECK_FALSE(run.status.success());
    CHECK(run.err.find("not a straight run") != std::string::npos);

    run = runWithInput("signpost-server", setPin, dir.path(), "731946\n");
    REQUIRE(run.status.success());
    CHECK(run.err.find("731946") == std::string::npos);
    CHECK(run.err.find("$argon2id$") == std::string::npos);
    const std::string shown = server.admin({"device", "show", device});
    CHECK(shown.find("staff.pin_hash") != std::string::npos);
    CHECK(shown.find("$argon2id$") == std::string::npos);  // shown as set, never printed

    // What the kiosk fetches: the hash, which the PIN verifies; the kiosk applies it like any
    // remote setting (kiosk_config's applyRemoteSettings).
    const auto identity = sync::loadDeviceIdentity(kiosk.dataDir());
    REQUIRE(identity);
    HttpClient http;
    HttpRequest request;
    request.url = server.url() + "/v1/devices/settings";
    request.headers.emplace_back("Authorization", "Bearer " + identity->token);
    auto answer = http.send(request);
    REQUIRE(answer);
    REQUIRE(answer.value().status == 200);
    const RemoteSettings settings = remoteSettingsFromJson(answer.value().body);
    KioskConfig config;
    CHECK(applyRemoteSettings(config, settings.values).empty());
    CHECK(config.isRemote("staff.pin_hash"));
    StaffAuth::writeFreshState(dir / "lock.json", config.pinHash);
    StaffAuth auth(config.pinHash, dir / "lock.json");
    CHECK(auth.check("731946", std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Accepted);
}
