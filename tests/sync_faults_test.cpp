// The sync engine through a fault-injecting proxy (tests/support/fault_proxy.h) in front of a real
// signpost-server. For each fault: the engine reports it the right way (offline, captive portal,
// the server's Retry-After), and once the fault is cleared every referral is on the server exactly
// once and the kiosk's outbox shows them all sent.
#include <catch2/catch.hpp>

#include "support/fault_proxy.h"
#include "support/sync_world.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

constexpr int kReferrals = 5;

struct FaultWorld {
    test::TempDir dir{"sync-faults"};
    test::SyncServer server{dir / "server"};
    test::FaultProxy proxy{server.port()};
    test::SyncKiosk kiosk{dir / "kiosk", server.publicKey()};
    std::vector<SubmitReceipt> receipts;

    FaultWorld() {
        kiosk.startEngine();
        kiosk.enroll(server, proxy.url());
        kiosk.waitFor([](const sync::SyncStatus& s) { return s.state == sync::SyncState::Idle; });
    }

    void submitAll() {
        for (int i = 0; i < kReferrals; ++i) {
            receipts.push_back(kiosk.submit());
        }
    }

    // Waits until the engine has met the fault and given up on this try.
    std::shared_ptr<const sync::SyncStatus> waitForFailure() {
        kiosk.waitFor([&](const sync::SyncStatus& s) {
            return proxy.faultsApplied() > 0 && !s.lastError.empty() &&
                   s.state != sync::SyncState::Syncing && s.counts.queued >= receipts.size();
        });
        return kiosk.engine().status();
    }

    // Clears the fault and checks the end state: all sent, each on the server exactly once.
    void clearAndCheckDelivered() {
        proxy.passThrough();
        kiosk.engine().syncNow();
        kiosk.waitFor([&](const sync::SyncStatus& s) {
            return s.counts.sent == receipts.size() && s.counts.queued == 0 &&
                   s.state == sync::SyncState::Idle;
        });
        const auto counts = server.idCounts();
        CHECK(counts.size() == receipts.size());
        for (const SubmitReceipt& receipt : receipts) {
            INFO(receipt.reference);
            CHECK(counts.count(receipt.id) == 1);
            if (counts.count(receipt.id) == 1) {
                CHECK(counts.at(receipt.id) == 1);
            }
        }
        for (const auto& [id, state] : kiosk.outboxStatuses()) {
            CHECK(state == "sent");
        }
    }

    std::size_t onServer() { return server.idCounts().size(); }
};

double secondsUntil(std::chrono::steady_clock::time_point at) {
    return std::chrono::duration<double>(at - std::chrono::steady_clock::now()).count();
}

}  // namespace

TEST_CASE("Every fault between kiosk and server: reported, then delivered exactly once",
          "[sync_faults]") {
    FaultWorld world;
    auto& proxy = world.proxy;

    SECTION("connection refused") {
        proxy.setRule({test::Fault::Refuse, ""});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->lastError == "connect");
        CHECK(status->counts.queued == kReferrals);
        CHECK(status->nextAttemptAt.has_value());
        world.clearAndCheckDelivered();
    }
    SECTION("stalled in the middle of the request body") {
        proxy.setRule({test::Fault::StallMidBody, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->lastError == "timeout");
        CHECK(world.onServer() == 0);
        world.clearAndCheckDelivered();
    }
    SECTION("reset in the middle of the request") {
        proxy.setRule({test::Fault::ResetMidRequest, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(world.onServer() == 0);
        world.clearAndCheckDelivered();
    }
    SECTION("reset after the server committed, before the answer reached the kiosk") {
        proxy.setRule({test::Fault::ResetAfterCommit, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->counts.queued == kReferrals);  // the kiosk does not know they arrived
        CHECK(world.onServer() == kReferrals);       // but they did
        world.clearAndCheckDelivered();              // the re-push is a duplicate, stored once
    }
    SECTION("a truncated response") {
        proxy.setRule({test::Fault::TruncatedResponse, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->counts.queued == kReferrals);
        world.clearAndCheckDelivered();
    }
    SECTION("a wrong Content-Length") {
        proxy.setRule({test::Fault::WrongContentLength, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->counts.queued == kReferrals);
        world.clearAndCheckDelivered();
    }
    SECTION("500") {
        proxy.setRule({test::Fault::Status500, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->lastError == "http_500");
        CHECK(world.onServer() == 0);
        world.clearAndCheckDelivered();
    }
    SECTION("503 with Retry-After: the next try waits exactly that long") {
        proxy.setRule({test::Fault::Status503, "/v1/submissions", -1, 120});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->lastError == "http_503");
        REQUIRE(status->nextAttemptAt.has_value());
        CHECK(secondsUntil(*status->nextAttemptAt) > 110);
        CHECK(secondsUntil(*status->nextAttemptAt) <= 120);
        // A new referral does not jump the server's Retry-After ...
        const std::size_t tries = proxy.requestsSeen("/v1/submissions");
        world.receipts.push_back(world.kiosk.submit());
        world.kiosk.waitFor(
            [](const sync::SyncStatus& s) { return s.counts.queued == kReferrals + 1; });
        CHECK(proxy.requestsSeen("/v1/submissions") == tries);
        CHECK(secondsUntil(*world.kiosk.engine().status()->nextAttemptAt) > 100);
        // ... but staff pressing "Sync now" does.
        world.clearAndCheckDelivered();
    }
    SECTION("429 with Retry-After") {
        proxy.setRule({test::Fault::Status429, "/v1/submissions", -1, 45});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->lastError == "http_429");
        REQUIRE(status->nextAttemptAt.has_value());
        CHECK(secondsUntil(*status->nextAttemptAt) > 35);
        CHECK(secondsUntil(*status->nextAttemptAt) <= 45);
        world.clearAndCheckDelivered();
    }
    SECTION("a garbage body from the server (the probe still answers 204): not a captive portal") {
        proxy.setRule({test::Fault::GarbageBody, "/v1/submissions"});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::Offline);
        CHECK(status->lastError == "bad_response");
        CHECK(proxy.requestsSeen("/v1/probe") >= 1);
        world.clearAndCheckDelivered();
    }
    SECTION("garbage to everything, the probe too: a captive portal") {
        proxy.setRule({test::Fault::GarbageBody, ""});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::CaptivePortal);
        world.clearAndCheckDelivered();
    }
    SECTION("an HTML 200 (a Wi-Fi login page): a captive portal") {
        proxy.setRule({test::Fault::Html200, ""});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::CaptivePortal);
        CHECK(status->lastError == "captive_portal");
        CHECK(proxy.requestsSeen("/v1/probe") >= 1);
        CHECK(world.onServer() == 0);
        world.clearAndCheckDelivered();
    }
    SECTION("a 302 to a login page: a captive portal") {
        proxy.setRule({test::Fault::Redirect302, ""});
        world.submitAll();
        const auto status = world.waitForFailure();
        CHECK(status->state == sync::SyncState::CaptivePortal);
        CHECK(world.onServer() == 0);
        world.clearAndCheckDelivered();
    }
    SECTION("a fault on one try only: the engine retries by itself, no Sync now needed") {
        proxy.setRule({test::Fault::ResetAfterCommit, "/v1/submissions", 1});
        world.submitAll();
        world.kiosk.waitFor([&](const sync::SyncStatus& s) {
            return s.counts.sent == kReferrals && s.state == sync::SyncState::Idle;
        });
        CHECK(proxy.faultsApplied() == 1);
        const auto counts = world.server.idCounts();
        CHECK(counts.size() == kReferrals);
        for (const auto& [id, n] : counts) {
            CHECK(n == 1);
        }
    }
    SECTION("the directory fetch and heartbeat fail too, and recover") {
        proxy.setRule({test::Fault::Status503, "/v1/d", -1, 1});
        world.kiosk.engine().syncNow();
        const auto status = world.waitForFailure();
        CHECK(status->lastError == "http_503");
        world.clearAndCheckDelivered();
        CHECK_FALSE(world.kiosk.engine().status()->lastHeartbeatAt.empty());
    }
}

TEST_CASE("stop() interrupts a request stuck on a stalled connection", "[sync_faults]") {
    test::TempDir dir("sync-stop");
    test::SyncServer server(dir / "server");
    test::FaultProxy proxy(server.port());
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    sync::SyncEngineOptions options = kiosk.engineOptions();
    options.http.lowSpeedTime = std::chrono::seconds(120);  // libcurl alone would wait two minutes
    kiosk.startEngine(options);
    kiosk.enroll(server, proxy.url());
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.state == sync::SyncState::Idle; });

    proxy.setRule({test::Fault::StallMidBody, "/v1/submissions"});
    kiosk.submit();
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        return proxy.faultsApplied() == 1 && s.state == sync::SyncState::Syncing;
    });
    const auto before = std::chrono::steady_clock::now();
    kiosk.stopEngine();
    // Cancelled through the transfer's progress callback: well under the stall's two minutes.
    CHECK(std::chrono::steady_clock::now() - before < 20s);
    CHECK(kiosk.engine().status()->state == sync::SyncState::Stopped);
    CHECK(kiosk.outbox().counts().queued == 1);  // still waiting, nothing lost
}
