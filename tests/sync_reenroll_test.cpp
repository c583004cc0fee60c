// Issue 9, part 4: re-enrolling a kiosk to another server — from the staff panel or the command
// line — never takes the referrals queued for the first server with it unless staff confirm; plain
// http:// is refused except on this machine. Real signpost-server processes on loopback and the
// kiosk's real sync engine.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "sync/engine/enrollment_policy.h"
#include "sync_world.h"

using namespace signpost;
using namespace std::chrono_literals;

TEST_CASE("issue 9: the enrollment URL policy: https, plain http only on this machine", "[sync_reenroll]") {
    for (const char* allowed : {"https://sync.example.org", "https://10.0.0.5:8443/base/", "http://127.0.0.1:8787",
                                "http://127.8.9.10", "http://localhost:8787", "http://[::1]:8787"}) {
        INFO(allowed);
        CHECK(sync::checkEnrollmentUrl(allowed));
    }
    for (const char* refused : {"http://sync.example.org", "http://10.0.0.5:8787", "http://127.0.0.1.evil.example",
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
    sync::SyncEngineOptions options = kiosk.engineOptions();
    options.syncDirectory = false;
    kiosk.startEngine(options);
    kiosk.enroll(first);
    const std::string sent = kiosk.submit().id;
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.sent == 1 && s.counts.queued == 0; });

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
    sync::SyncEngineOptions options = kiosk.engineOptions();
    options.syncDirectory = false;
    kiosk.startEngine(options);
    kiosk.enroll(first);
    first.stop();
    const std::string id = kiosk.submit().id;
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.queued == 1; });
    kiosk.enroll(second);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.heldFor.size() == 1; });
    first.start();
    kiosk.enroll(first);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.queued == 0 && s.heldFor.empty(); });
    CHECK(first.idCounts().contains(id));
    CHECK_FALSE(second.idCounts().contains(id));
}
