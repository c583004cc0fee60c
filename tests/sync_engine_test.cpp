// The kiosk's sync engine against a real signpost-server process on loopback: enrollment, push
// with exactly-once marking, the dead-letter state, re-push after a lost ack, revocation, the
// directory feed, heartbeats, wiping sent ciphertext, and device clocks at 1970 and 2099.
#include <catch2/catch.hpp>

#include <thread>

#include "core/referral/referral_codec.h"
#include "support/sync_world.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/engine_options.h"
#include "sync/engine/sync_ledger.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

SystemTime utc(int year, unsigned month, unsigned day, int hour = 12) {
    using namespace std::chrono;
    return sys_days{std::chrono::year{year} / month / day} + hours{hour};
}

}  // namespace

TEST_CASE("Enroll, push what waited, pull and decrypt on the coordinator side", "[sync_engine]") {
    test::TempDir dir("sync-happy");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    sync::SyncEngine& engine = kiosk.startEngine();

    // Referrals made before enrollment wait in the queue.
    std::vector<SubmitReceipt> receipts;
    for (int i = 0; i < 3; ++i) {
        receipts.push_back(kiosk.submit());
    }
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.state == sync::SyncState::NotEnrolled && s.counts.queued == 3;
    });
    CHECK_FALSE(engine.status()->enrolled);
    CHECK(server.idCounts().empty());

    kiosk.enroll(server);
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.counts.sent == 3 && s.state == sync::SyncState::Idle;
    });
    const auto status = engine.status();
    CHECK(status->enrolled);
    CHECK(status->serverUrl == server.url());
    CHECK_FALSE(status->deviceId.empty());
    CHECK_FALSE(status->lastSuccessAt.empty());
    CHECK(status->lastError.empty());
    CHECK(status->counts.queued == 0);

    // The enrollment files, private.
    for (const char* name :
         {sync::kSigningKeyFileName, sync::kDeviceTokenFileName, sync::kEnrollmentFileName}) {
        INFO(name);
        CHECK(test::fileMode(kiosk.dataDir() / name) == 0600);
    }
    const auto identity = sync::loadDeviceIdentity(kiosk.dataDir());
    REQUIRE(identity);
    CHECK(identity->enrollment.deviceId == status->deviceId);
    CHECK(identity->enrollment.venue == "Harpurhey Library");

    // The coordinator gets each exactly once, signed by this kiosk, and can open them.
    const auto pulled = server.pullAll();
    REQUIRE(pulled.size() == 3);
    for (std::size_t i = 0; i < pulled.size(); ++i) {
        const auto& item = pulled[i];
        CHECK(item.submission.id == receipts[i].id);  // cursor order = sequence order
        CHECK(item.submission.seq == receipts[i].seq);
        CHECK(item.deviceId == status->deviceId);
        CHECK(protocol::verifySubmission(item.submission, item.signingPublicKey));
        const SecureBytes plaintext = server.coordinatorKey().open(item.submission.sealed);
        const std::string text(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
        CHECK(text.find("Zofia") != std::string::npos);
    }
    for (const auto& [id, state] : kiosk.outboxStatuses()) {
        CHECK(state == "sent");
    }

    SECTION("a new referral is pushed at once (no polling interval)") {
        const SubmitReceipt next = kiosk.submit();
        kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.sent == 4; }, 5s);
        CHECK(server.idCounts()[next.id] == 1);
    }

    SECTION("a lost acknowledgement: the re-push is a duplicate and nothing is stored twice") {
        kiosk.outbox().database().exec("UPDATE outbox SET status = 'queued', sent_at = NULL");
        engine.syncNow();
        kiosk.waitFor([](const sync::SyncStatus& s) {
            return s.counts.sent == 3 && s.counts.queued == 0 && s.sentThisRun >= 6;
        });
        const auto counts = server.idCounts();
        CHECK(counts.size() == 3);
        for (const auto& [id, n] : counts) {
            CHECK(n == 1);
        }
    }

    SECTION("the heartbeat shows in the coordinators' fleet list") {
        engine.syncNow();
        kiosk.waitFor([](const sync::SyncStatus& s) { return !s.lastHeartbeatAt.empty(); });
        bool seen = false;
        test::waitUntil(
            [&] {
                for (const auto& device : server.devices().devices) {
                    if (device.deviceId == status->deviceId && device.lastHeartbeat.sent == 3) {
                        seen = true;
                    }
                }
                return seen;
            },
            10s);
        REQUIRE(seen);
        for (const auto& device : server.devices().devices) {
            if (device.deviceId == status->deviceId) {
                CHECK(device.lastHeartbeat.appVersion == SIGNPOST_VERSION);
                CHECK(device.lastHeartbeat.queued == 0);
                CHECK(device.lastHeartbeat.freeDiskBytes > 0);
                CHECK(device.name == "Test kiosk");
            }
        }
    }

    SECTION("a revoked kiosk stops pushing and says so; re-enrolling resumes") {
        server.admin({"devices", "revoke", status->deviceId});
        const SubmitReceipt waiting = kiosk.submit();
        kiosk.waitFor(
            [](const sync::SyncStatus& s) { return s.state == sync::SyncState::Revoked; });
        CHECK(engine.status()->lastError == "revoked");
        CHECK(engine.status()->counts.queued == 1);
        CHECK_FALSE(engine.status()->nextAttemptAt.has_value());  // no automatic retries
        CHECK(server.idCounts().count(waiting.id) == 0);

        kiosk.enroll(server);
        kiosk.waitFor([](const sync::SyncStatus& s) {
            return s.counts.sent == 4 && s.state == sync::SyncState::Idle;
        });
        CHECK(engine.status()->deviceId != status->deviceId);
        CHECK(server.idCounts()[waiting.id] == 1);
    }
}

TEST_CASE("Enrollment failures are reported, and keep the old enrollment", "[sync_engine]") {
    test::TempDir dir("sync-enroll");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    sync::SyncEngine& engine = kiosk.startEngine();
    const auto failedWith = [&](const std::string& url, const std::string& code) {
        kiosk.waitForEnrollment(engine.enroll(url, code));
        const auto status = engine.status();
        CHECK(status->enrollPhase == sync::EnrollPhase::Failed);
        CHECK_FALSE(status->enrollMessage.empty());
        return status->enrollError;
    };

    CHECK(failedWith("not a url", "ABCD") == "invalid_url");
    CHECK(failedWith(server.url(), "7KQ3-M9XD-2F8H") == "enroll_refused");  // well-formed, unknown
    CHECK(failedWith(server.url(), "WRONG") == "enroll_refused");
    kiosk.enroll(server);
    const std::string deviceId = engine.status()->deviceId;
    // A server that is not there: the enrollment in place stays.
    const int freePort = test::findFreeLoopbackPort();
    CHECK(failedWith("http://127.0.0.1:" + std::to_string(freePort), server.enrollmentCode()) ==
          "connect");
    CHECK(engine.status()->enrolled);
    CHECK(engine.status()->deviceId == deviceId);
    CHECK(sync::loadDeviceIdentity(kiosk.dataDir())->enrollment.deviceId == deviceId);
}

TEST_CASE("A referral the server refuses goes to the dead-letter state and is not retried",
          "[sync_engine]") {
    test::TempDir dir("sync-reject");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    kiosk.startEngine();
    kiosk.enroll(server);
    kiosk.stopEngine();

    // Someone already sent different bytes under this id (a conflict on the server).
    const SubmitReceipt clash = kiosk.submit();
    const SubmitReceipt fine = kiosk.submit();
    const auto identity = sync::loadDeviceIdentity(kiosk.dataDir());
    REQUIRE(identity);
    protocol::Submission other;
    other.id = clash.id;
    other.seq = clash.seq;
    other.createdAt = "2026-11-23T10:00:00Z";
    other.formVersion = "2026.11";
    other.venue = "Harpurhey Library";
    other.neighbourhood = "Harpurhey";
    other.sealed.assign(120, 7);
    identity->key->sign(other);
    HttpClient http;
    HttpRequest request;
    request.method = "POST";
    request.url = server.url() + "/v1/submissions";
    request.headers = {{"Authorization", "Bearer " + identity->token},
                       {"Content-Type", "application/json"}};
    request.body = protocol::toJson(protocol::SubmissionBatch{{other}});
    const auto response = http.send(request);
    REQUIRE(response);
    REQUIRE(response.value().status == 200);

    sync::SyncEngine& engine = kiosk.startEngine();
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.counts.rejected == 1 && s.counts.sent == 1 && s.state == sync::SyncState::Idle;
    });
    const auto statuses = kiosk.outboxStatuses();
    CHECK(statuses.at(clash.id) == "rejected");
    CHECK(statuses.at(fine.id) == "sent");
    int attempts = 0;
    for (const OutboxItem& item : kiosk.outbox().allItems()) {
        if (item.id == clash.id) {
            CHECK(item.lastError.find("conflict") != std::string::npos);
            attempts = item.attempts;
        }
    }
    CHECK(attempts == 1);
    {
        sync::SyncLedger ledger(kiosk.outbox());
        const auto dead = ledger.rejectedItems();
        REQUIRE(dead.size() == 1);
        CHECK(dead[0].reference == clash.reference);
    }
    // "Sync now" does not resend it.
    engine.syncNow();
    kiosk.waitFor([](const sync::SyncStatus& s) { return !s.lastHeartbeatAt.empty(); });
    for (const OutboxItem& item : kiosk.outbox().allItems()) {
        if (item.id == clash.id) {
            CHECK(item.attempts == attempts);
            CHECK(item.status == OutboxStatus::Rejected);
        }
    }
    CHECK(server.idCounts().at(clash.id) == 1);  // the other bytes, not ours
}

TEST_CASE("Directory: snapshot, then a delta, applied where the UI's connection sees it",
          "[sync_engine]") {
    test::TempDir dir("sync-directory");
    test::SyncServer server(dir / "server");
    server.importDirectory(test::sampleDirectoryJson(8, "2026-11-20").dump());
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 4);
    REQUIRE(kiosk.directory().stats().services == 4);
    sync::SyncEngine& engine = kiosk.startEngine();
    kiosk.enroll(server);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.directoryVersion > 0; });
    const std::int64_t first = engine.status()->directoryVersion;

    kiosk.directory().refreshIfChanged();
    CHECK(kiosk.directory().stats().services == 8);
    CHECK(kiosk.directory().stats().version == "2026-11-20");
    CHECK(kiosk.directory().service("svc-0002")->service.name == "Service 0002");

    // One service renamed, one removed.
    server.importDirectory(test::sampleDirectoryJson(7, "2026-11-21", {2}).dump());
    engine.syncNow();
    kiosk.waitFor([&](const sync::SyncStatus& s) { return s.directoryVersion > first; });
    kiosk.directory().refreshIfChanged();
    CHECK(kiosk.directory().stats().version == "2026-11-21");
    CHECK(kiosk.directory().service("svc-0002")->service.name == "Service 0002 (moved)");
    CHECK_FALSE(kiosk.directory().service("svc-0008"));
    CHECK(kiosk.directory().stats().services == 7);

    SECTION("nothing new: the ETag answers 304 and nothing changes") {
        const std::string updatedAt = kiosk.directory().stats().updatedAt;
        const std::string before = engine.status()->lastSuccessAt;
        std::this_thread::sleep_for(1100ms);  // so a new success has a new timestamp
        engine.syncNow();
        kiosk.waitFor([&](const sync::SyncStatus& s) { return s.lastSuccessAt != before; });
        kiosk.directory().refreshIfChanged();
        CHECK(kiosk.directory().stats().updatedAt == updatedAt);
    }
    SECTION("a restarted engine continues from the version it holds") {
        const std::int64_t held = engine.status()->directoryVersion;
        kiosk.stopEngine();
        sync::SyncEngine& again = kiosk.startEngine();
        kiosk.waitFor([](const sync::SyncStatus& s) { return s.state == sync::SyncState::Idle; });
        CHECK(again.status()->directoryVersion == held);
    }
}

TEST_CASE("Device clocks at 1970 and 2099: accepted, ordered by the server's cursor",
          "[sync_engine]") {
    test::TempDir dir("sync-clock");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    const SubmitReceipt future = kiosk.submit(utc(2099, 12, 31));
    const SubmitReceipt past = kiosk.submit(utc(1970, 1, 1, 0) + std::chrono::seconds(5));
    const SubmitReceipt present = kiosk.submit();
    kiosk.startEngine();
    kiosk.enroll(server);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.sent == 3; });

    const auto pulled = server.pullAll();
    REQUIRE(pulled.size() == 3);
    CHECK(pulled[0].submission.id == future.id);
    CHECK(pulled[0].submission.createdAt.rfind("2099-12-31T", 0) == 0);
    CHECK(pulled[1].submission.id == past.id);
    CHECK(pulled[1].submission.createdAt == "1970-01-01T00:00:05Z");
    CHECK(pulled[2].submission.id == present.id);
    CHECK(pulled[0].cursor < pulled[1].cursor);
    CHECK(pulled[1].cursor < pulled[2].cursor);
    for (const auto& item : pulled) {
        // The server's own clock, not the device's.
        CHECK(item.receivedAt.rfind("20", 0) == 0);
        CHECK(item.receivedAt.rfind("2099", 0) != 0);
    }
}

TEST_CASE("Sent ciphertext is wiped after the grace period, the row stays", "[sync_engine]") {
    test::TempDir dir("sync-purge");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());
    sync::SyncEngineOptions options = kiosk.engineOptions();
    options.sentGrace = std::chrono::seconds(0);
    const SubmitReceipt receipt = kiosk.submit();
    const SubmitReceipt later = kiosk.submit();
    kiosk.startEngine(options);
    kiosk.enroll(server);
    kiosk.waitFor([](const sync::SyncStatus& s) { return s.counts.sent == 2; });
    kiosk.stopEngine();
    // The engine purges once a minute; start it again to run a purge now.
    kiosk.startEngine(options);
    const bool wiped = test::waitUntil(
        [&] {
            Statement query = kiosk.outbox().database().prepare(
                "SELECT count(*) FROM outbox WHERE length(sealed) = 0 AND purged_at IS NOT NULL");
            return query.step() && query.columnInt(0) == 2;
        },
        10s);
    CHECK(wiped);
    CHECK(kiosk.outbox().hasReference(receipt.reference));
    CHECK(kiosk.outbox().hasReference(later.reference));
    CHECK(kiosk.outbox().counts().sent == 2);

    SECTION("a queued item is never wiped, whatever its age") {
        kiosk.stopEngine();
        const SubmitReceipt queued = kiosk.submit();
        sync::SyncLedger ledger(kiosk.outbox());
        CHECK(ledger.purgeSentBefore(std::chrono::system_clock::now() + std::chrono::hours(24)) ==
              0);
        for (const OutboxItem& item : kiosk.outbox().allItems()) {
            if (item.id == queued.id) {
                CHECK_FALSE(item.sealed.empty());
            }
        }
    }
}

TEST_CASE("A version-1 outbox from the field is migrated with its referrals intact",
          "[sync_engine]") {
    test::TempDir dir("sync-migrate");
    const std::string file = (dir / "outbox.db").string();
    {
        // The version-1 schema exactly as kiosks shipped it, with one queued referral.
        Database db(file);
        db.exec(R"sql(
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                reference TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
                form_version TEXT NOT NULL, venue TEXT NOT NULL, neighbourhood TEXT NOT NULL,
                service_id TEXT NOT NULL DEFAULT '', sealed BLOB NOT NULL,
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'rejected')),
                test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
                attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', sent_at TEXT);
            CREATE INDEX outbox_status_seq ON outbox(status, seq);
            INSERT INTO outbox (id, reference, created_at, form_version, venue, neighbourhood, sealed)
                VALUES ('7d8e0f5c-1f2a-4b3c-9d4e-5f6a7b8c9d0e', 'MCR-4K7Q', '2026-11-01T10:00:00Z',
                        '2026.11', 'Harpurhey Library', 'Harpurhey', x'0102030405');
        )sql");
        db.setUserVersion(1);
    }
    Outbox outbox(file);
    CHECK(outbox.database().userVersion() == kOutboxSchemaVersion);
    const auto items = outbox.allItems();
    REQUIRE(items.size() == 1);
    CHECK(items[0].reference == "MCR-4K7Q");
    CHECK(items[0].status == OutboxStatus::Queued);
    CHECK(items[0].sealed == std::vector<std::uint8_t>{1, 2, 3, 4, 5});
    sync::SyncLedger ledger(outbox);
    CHECK(ledger.nextBatch(10).size() == 1);
    ledger.setValues({{"directory_version", "3"}});
    CHECK(ledger.value("directory_version") == "3");
    CHECK(outbox.database().integrityCheck() == "ok");
}

TEST_CASE("sync config keys become the engine options", "[sync_engine]") {
    const std::string key = "[referral]\ncoordinator_public_key = \"" +
                            CoordinatorKeyPair::generate().publicKey().toBase64() + "\"\n";
    const std::string pin = "sha256//" + toBase64(std::vector<std::uint8_t>(32, 9));
    const KioskConfig config = parseKioskConfig(
        key +
            "[venue]\nname = \"Gorton Hub\"\n[sync]\nserver_url = \"https://sync.example.org\"\n"
            "ca_file = \"/etc/signpost/ca.pem\"\npin = \"" +
            pin +
            "\"\nproxy = \"none\"\n"
            "batch_size = 25\nretry_max = 600\ndirectory_interval = 120\n"
            "heartbeat_interval = 60\nsent_grace = 0\n",
        "kiosk.toml");
    CHECK(config.syncServerUrl == "https://sync.example.org");
    const sync::SyncEngineOptions options = sync::syncEngineOptions(config, "/var/lib/signpost");
    CHECK(options.venue == "Gorton Hub");
    CHECK(options.outboxFile == "/var/lib/signpost/outbox.db");
    CHECK(options.http.caFile == "/etc/signpost/ca.pem");
    CHECK(options.http.pinnedPublicKeys == std::vector<std::string>{pin});
    CHECK(options.http.proxy == "none");
    CHECK(options.batchSize == 25);
    CHECK(options.backoff.cap == 600s);
    CHECK(options.directoryInterval == 120s);
    CHECK(options.heartbeatInterval == 60s);
    CHECK(options.sentGrace == 0s);

    const KioskConfig defaults = parseKioskConfig(key, "kiosk.toml");
    CHECK(defaults.syncServerUrl.empty());
    CHECK(sync::syncEngineOptions(defaults, "/d").http.pinnedPublicKeys.empty());
    CHECK(sync::syncEngineOptions(defaults, "/d").batchSize == 100);

    const auto refused = [&](const std::string& line) {
        try {
            parseKioskConfig(key + "[sync]\n" + line + "\n", "kiosk.toml");
        } catch (const ConfigError& error) {
            return std::string(error.what());
        }
        return std::string();
    };
    CHECK_THAT(refused("server_url = \"sync.example.org\""), Catch::Contains("sync.server_url"));
    CHECK_THAT(refused("server_url = \"https://\""), Catch::Contains("sync.server_url"));
    CHECK_THAT(refused("pin = \"md5//abc\""), Catch::Contains("sync.pin"));
    CHECK_THAT(refused("backup_pin = \"sha256//AAAA\""), Catch::Contains("sync.backup_pin"));
    CHECK_THAT(refused("batch_size = 101"), Catch::Contains("from 1 to 100"));
    CHECK_THAT(refused("ca_file = \"relative.pem\""), Catch::Contains("sync.ca_file"));
}

TEST_CASE("the kiosk program enrolls from its command line without a window", "[sync_engine]") {
    std::filesystem::path kioskProgram;
    try {
        kioskProgram = test::builtProgram("signpost-kiosk");
    } catch (const std::exception&) {
        SUCCEED("the kiosk is not part of this build (SIGNPOST_BUILD_KIOSK=OFF)");
        return;
    }
    test::TempDir dir("sync-cli");
    test::SyncServer server(dir / "server");
    std::string config = exampleKioskConfig();
    const std::string empty = "coordinator_public_key = \"\"";
    config.replace(config.find(empty), empty.size(),
                   "coordinator_public_key = \"" + server.publicKey().toBase64() + "\"");
    test::writeText(dir / "kiosk.toml", config);
    const auto run = [&](std::vector<std::string> args, const std::string& tag) {
        test::ProcessOptions options;
        options.program = kioskProgram;
        options.args = {"--config", (dir / "kiosk.toml").string(), "--data-dir",
                        (dir / "data").string()};
        options.args.insert(options.args.end(), args.begin(), args.end());
        options.stdoutFile = dir / (tag + ".out");
        options.stderrFile = dir / (tag + ".err");
        return test::runProcess(options, 60s);
    };
    const auto refused =
        run({"--enroll", server.url(), "--enrollment-code", "AAAA-BBBB-CCCC"}, "bad");
    CHECK(refused.exitedWith(1));
    CHECK_THAT(test::readText(dir / "bad.err"),
               Catch::Contains("enrollment failed (enroll_refused)"));
    CHECK_FALSE(sync::loadDeviceIdentity(dir / "data"));

    const auto usage = run({"--enroll", server.url()}, "usage");
    CHECK(usage.exitedWith(2));

    const auto enrolled =
        run({"--enroll", server.url(), "--enrollment-code", server.enrollmentCode()}, "ok");
    INFO(test::readText(dir / "ok.err"));
    REQUIRE(enrolled.success());
    const auto identity = sync::loadDeviceIdentity(dir / "data");
    REQUIRE(identity);
    CHECK(identity->enrollment.serverUrl == server.url());
    CHECK_THAT(test::readText(dir / "ok.out"), Catch::Contains(identity->enrollment.deviceId));
    CHECK(identity->enrollment.venue == "Demo venue");
}
