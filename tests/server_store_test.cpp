#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "core/storage/database.h"
#include "support/process.h"
#include "support/server_harness.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/group_commit_writer.h"
#include "sync/server/sqlite_server_store.h"

using namespace signpost;
using namespace signpost::server;
using namespace std::chrono_literals;

namespace {

SystemTime at(const char* iso) {
    return *parseIsoUtc(iso);
}

struct StoreFixture {
    test::TempDir dir{"server-store"};
    SqliteServerStore store{dir / "server.db"};

    // Enrolls a device directly through the store.
    std::pair<std::string, test::TestKiosk> device(const std::string& name = "Kiosk") {
        test::TestKiosk kiosk;
        const std::string code = generateEnrollmentCode();
        const auto now = at("2026-11-23T10:00:00Z");
        store.addEnrollmentCode(hashToken(*normalizeEnrollmentCode(code)), "Harpurhey Library",
                                now + 24h, now);
        EnrollmentAttempt attempt;
        attempt.codeHash = hashToken(*normalizeEnrollmentCode(code));
        attempt.deviceName = name;
        attempt.signingKey.assign(kiosk.key.publicKey().begin(), kiosk.key.publicKey().end());
        attempt.newDeviceId = uuidV4();
        kiosk.token = generateToken();
        attempt.newTokenHash = hashToken(kiosk.token);
        const EnrollResult result = store.enrollDevice(attempt, now, 15min);
        REQUIRE(result.status == EnrollStatus::Enrolled);
        kiosk.deviceId = result.deviceId;
        return {result.deviceId, kiosk};
    }

    std::vector<IncomingSubmission> incoming(const std::vector<protocol::Submission>& items) {
        std::vector<IncomingSubmission> out;
        for (const auto& s : items) {
            out.push_back({s, protocol::contentHash(s)});
        }
        return out;
    }
};

}  // namespace

TEST_CASE("a new database is migrated to the current schema, a newer one is refused",
          "[server_store]") {
    test::TempDir dir("server-store-schema");
    {
        SqliteServerStore store(dir / "server.db");
        CHECK(store.integrityCheck() == "ok");
    }
    {
        Database db((dir / "server.db").string());
        CHECK(db.userVersion() == SqliteServerStore::kSchemaVersion);
        Statement mode = db.prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.columnText(0) == "wal");
        db.setUserVersion(SqliteServerStore::kSchemaVersion + 1);
    }
    try {
        SqliteServerStore newer(dir / "server.db");
        FAIL("a newer schema was accepted");
    } catch (const StorageError& error) {
        CHECK(std::string(error.what()).find("newer than this server") != std::string::npos);
    }
    // Reopening an up-to-date database keeps its data.
    test::TempDir other("server-store-reopen");
    {
        SqliteServerStore store(other / "server.db");
        store.addCoordinatorToken("alice", hashToken("t"), at("2026-11-23T10:00:00Z"));
    }
    SqliteServerStore reopened(other / "server.db");
    REQUIRE(reopened.listCoordinatorTokens().size() == 1);
}

TEST_CASE("issue 9: a database keeps its generation until a new one is started", "[server_store]") {
    test::TempDir dir("server-store-generation");
    std::string first;
    {
        SqliteServerStore store(dir / "server.db");
        first = store.generation();
        CHECK(first.size() == 16);
        CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
        REQUIRE(store.generations().size() == 1);
        CHECK(store.generations()[0].reason == "created");
    }
    {
        SqliteServerStore again(dir / "server.db");
        CHECK(again.generation() == first);  // reopening is not a restore
    }
    std::string second;
    {
        Database db((dir / "server.db").string());
        second = SqliteServerStore::startNewGeneration(db, "restore", at("2026-11-23T10:00:00Z"));
    }
    CHECK(second != first);
    SqliteServerStore reopened(dir / "server.db");
    CHECK(reopened.generation() == second);
    const auto history = reopened.generations();
    REQUIRE(history.size() == 2);
    CHECK(history[0].id == second);
    CHECK(history[0].reason == "restore");
    CHECK(history[0].startedAt == "2026-11-23T10:00:00.000Z");
    CHECK(history[1].id == first);
}

TEST_CASE("enrollment codes: unknown, expired, used, and the lost-response retry",
          "[server_store]") {
    StoreFixture f;
    const auto t0 = at("2026-11-23T10:00:00Z");
    const TokenHash code = hashToken("7KQ3M9XD2F8H");
    f.store.addEnrollmentCode(code, "Moss Side Library", t0 + 1h, t0);

    auto attempt = [&](const TokenHash& codeHash, std::vector<std::uint8_t> key) {
        EnrollmentAttempt a;
        a.codeHash = codeHash;
        a.deviceName = "Front desk";
        a.signingKey = std::move(key);
        a.newDeviceId = uuidV4();
        a.newTokenHash = hashToken(generateToken());
        return a;
    };
    const std::vector<std::uint8_t> keyA(32, 0xAA), keyB(32, 0xBB);

    CHECK(f.store.enrollDevice(attempt(hashToken("NOPENOPENOPE"), keyA), t0, 15min).status ==
          EnrollStatus::UnknownCode);

    const EnrollmentAttempt first = attempt(code, keyA);
    const EnrollResult enrolled = f.store.enrollDevice(first, t0 + 1min, 15min);
    REQUIRE(enrolled.status == EnrollStatus::Enrolled);
    CHECK(enrolled.deviceId == first.newDeviceId);
    CHECK(enrolled.venue == "Moss Side Library");  // the code's venue is authoritative
    const auto device = f.store.findDevice(enrolled.deviceId);
    REQUIRE(device);
    CHECK(device->venue == "Moss Side Library");
    CHECK(device->name == "Front desk");
    CHECK(device->signingKey == keyA);
    CHECK(device->enrolledAt == "2026-11-23T10:01:00.000Z");

    // Another kiosk with the same code: refused.
    CHECK(f.store.enrollDevice(attempt(code, keyB), t0 + 2min, 15min).status ==
          EnrollStatus::UsedCode);

    // The same kiosk retrying (its response was lost): same device, new token, old token dead.
    const EnrollmentAttempt retry = attempt(code, keyA);
    const EnrollResult reissued = f.store.enrollDevice(retry, t0 + 5min, 15min);
    REQUIRE(reissued.status == EnrollStatus::Reissued);
    CHECK(reissued.deviceId == enrolled.deviceId);
    CHECK_FALSE(f.store.authenticate(first.newTokenHash).has_value());
    const auto principal = f.store.authenticate(retry.newTokenHash);
    REQUIRE(principal);
    CHECK(principal->id == enrolled.deviceId);
    CHECK(f.store.listDevices().size() == 1);

    // ...but not once the retry window has passed.
    CHECK(f.store.enrollDevice(attempt(code, keyA), t0 + 20min, 15min).status ==
          EnrollStatus::UsedCode);

    // Expiry.
    const TokenHash shortCode = hashToken("AAAABBBBCCCC");
    f.store.addEnrollmentCode(shortCode, "Moss Side Library", t0 + 10min, t0);
    CHECK(f.store.enrollDevice(attempt(shortCode, keyB), t0 + 10min, 15min).status ==
          EnrollStatus::ExpiredCode);
    CHECK(f.store.listDevices().size() == 1);
}

TEST_CASE("authenticate tells devices, coordinators and revoked tokens apart", "[server_store]") {
    StoreFixture f;
    auto [deviceId, kiosk] = f.device();
    const auto now = at("2026-11-23T12:00:00Z");
    f.store.addCoordinatorToken("alice", hashToken("coordinator-token"), now);

    auto device = f.store.authenticate(hashToken(kiosk.token));
    REQUIRE(device);
    CHECK(device->role == Role::Device);
    CHECK(device->id == deviceId);
    CHECK(device->venue == "Harpurhey Library");
    CHECK(device->signingKey.size() == 32);
    CHECK_FALSE(device->revoked);

    auto coordinator = f.store.authenticate(hashToken("coordinator-token"));
    REQUIRE(coordinator);
    CHECK(coordinator->role == Role::Coordinator);
    CHECK(coordinator->id == "alice");

    CHECK_FALSE(f.store.authenticate(hashToken("anything else")).has_value());

    CHECK(f.store.revokeDevice(deviceId, now));
    CHECK_FALSE(f.store.revokeDevice(deviceId, now));  // already revoked
    CHECK_FALSE(f.store.revokeDevice("no-such-device", now));
    device = f.store.authenticate(hashToken(kiosk.token));
    REQUIRE(device);
    CHECK(device->revoked);
    CHECK(f.store.findDevice(deviceId)->revokedAt == "2026-11-23T12:00:00.000Z");

    CHECK(f.store.revokeCoordinatorToken("alice", now));
    CHECK_FALSE(f.store.revokeCoordinatorToken("alice", now));
    CHECK(f.store.authenticate(hashToken("coordinator-token"))->revoked);
}

TEST_CASE("coordinator token names are unique among active tokens", "[server_store]") {
    StoreFixture f;
    const auto now = at("2026-11-23T12:00:00Z");
    f.store.addCoordinatorToken("alice", hashToken("a1"), now);
    CHECK_THROWS_AS(f.store.addCoordinatorToken("alice", hashToken("a2"), now), StoreConflict);
    f.store.addCoordinatorToken("bob", hashToken("b1"), now);
    CHECK(f.store.revokeCoordinatorToken("alice", now + 1h));
    f.store.addCoordinatorToken("alice", hashToken("a3"), now + 2h);  // a new one after revoking
    const auto tokens = f.store.listCoordinatorTokens();
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[0].name == "alice");
    CHECK(tokens[0].revokedAt == "2026-11-23T13:00:00.000Z");
    CHECK(tokens[2].name == "alice");
    CHECK(tokens[2].revokedAt.empty());
    // The failed insert left nothing behind.
    CHECK_FALSE(f.store.authenticate(hashToken("a2")).has_value());
}

TEST_CASE("submissions: stored, duplicate, conflict, cursors in received order", "[server_store]") {
    StoreFixture f;
    auto [deviceId, kiosk] = f.device();
    const auto now = at("2026-11-23T12:00:00Z");

    auto a = kiosk.submission("1970-01-01T00:00:00Z");
    auto b = kiosk.submission("2099-12-31T23:59:59Z");
    auto results = f.store.storeSubmissions(deviceId, f.incoming({a, b}), now);
    REQUIRE(results.size() == 2);
    CHECK(results[0].status == protocol::ItemStatus::Stored);
    CHECK(results[1].status == protocol::ItemStatus::Stored);

    // Same bytes again (a blind retry), plus a new one, plus a conflicting one.
    auto c = kiosk.submission();
    auto conflicting = a;
    conflicting.neighbourhood = "Moss Side";
    kiosk.key.sign(conflicting);
    results = f.store.storeSubmissions(deviceId, f.incoming({a, c, conflicting, c}), now + 1s);
    REQUIRE(results.size() == 4);
    CHECK(results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(results[1].status == protocol::ItemStatus::Stored);
    CHECK(results[2].status == protocol::ItemStatus::Rejected);
    CHECK(results[2].error == "conflict");
    CHECK(results[3].status == protocol::ItemStatus::Duplicate);  // repeated within one batch
    CHECK(results[3].id == c.id);

    const auto page = f.store.pullSubmissions(0, 100);
    REQUIRE(page.submissions.size() == 3);
    CHECK(page.submissions[0].submission.id == a.id);
    CHECK(page.submissions[1].submission.id == b.id);
    CHECK(page.submissions[2].submission.id == c.id);
    CHECK(page.submissions[0].cursor < page.submissions[1].cursor);
    CHECK(page.submissions[1].cursor < page.submissions[2].cursor);
    CHECK(page.submissions[0].receivedAt == "2026-11-23T12:00:00.000Z");
    CHECK(page.submissions[2].receivedAt == "2026-11-23T12:00:01.000Z");
    CHECK(page.submissions[0].submission.createdAt == "1970-01-01T00:00:00Z");
    CHECK(page.submissions[0].submission.neighbourhood == "Harpurhey");  // the original kept
    CHECK(page.submissions[0].deviceId == deviceId);
    CHECK(page.submissions[0].deviceName == "Kiosk");
    CHECK(protocol::verifySubmission(page.submissions[0].submission,
                                     page.submissions[0].signingPublicKey));
    CHECK(page.submissions[2].submission.sealed == c.sealed);
    CHECK(page.nextCursor == page.submissions[2].cursor);
    CHECK_FALSE(page.hasMore);
    CHECK(f.store.findDevice(deviceId)->lastSeenAt == "2026-11-23T12:00:01.000Z");
}

TEST_CASE("pulling pages by cursor", "[server_store]") {
    StoreFixture f;
    auto [deviceId, kiosk] = f.device();
    std::vector<protocol::Submission> items;
    for (int i = 0; i < 25; ++i) {
        items.push_back(kiosk.submission());
    }
    f.store.storeSubmissions(deviceId, f.incoming(items), at("2026-11-23T12:00:00Z"));
    std::vector<std::string> seen;
    std::int64_t after = 0;
    int pages = 0;
    for (;;) {
        const auto page = f.store.pullSubmissions(after, 10);
        ++pages;
        for (const auto& p : page.submissions) {
            seen.push_back(p.submission.id);
        }
        if (!page.hasMore) {
            CHECK(page.submissions.size() == 5);
            break;
        }
        CHECK(page.submissions.size() == 10);
        after = page.nextCursor;
    }
    CHECK(pages == 3);
    REQUIRE(seen.size() == 25);
    for (std::size_t i = 0; i < items.size(); ++i) {
        CHECK(seen[i] == items[i].id);
    }
    const auto end = f.store.pullSubmissions(after + 100, 10);
    CHECK(end.submissions.empty());
    CHECK(end.nextCursor == after + 100);
}

TEST_CASE("acks, and the purge after retention keeps a tombstone", "[server_store]") {
    StoreFixture f;
    auto [deviceId, kiosk] = f.device();
    const auto t0 = at("2026-11-01T12:00:00Z");
    auto a = kiosk.submission();
    auto b = kiosk.submission();
    f.store.storeSubmissions(deviceId, f.incoming({a, b}), t0);

    const std::string unknown = uuidV4();
    AckResult ack = f.store.ackSubmissions({a.id, unknown, a.id}, t0 + 1h);
    CHECK(ack.acked == 1);
    CHECK(ack.alreadyAcked == 0);
    CHECK(ack.unknownIds == std::vector<std::string>{unknown});
    ack = f.store.ackSubmissions({a.id}, t0 + 2h);
    CHECK(ack.acked == 0);
    CHECK(ack.alreadyAcked == 1);

    StoreStats stats = f.store.stats();
    CHECK(stats.submissionsStored == 2);
    CHECK(stats.submissionsUnacked == 1);

    // Not yet: acked at t0+1h, cutoff before that.
    CHECK(f.store.purgeAckedBefore(t0 + 30min, t0 + 31min) == 0);
    CHECK(f.store.purgeAckedBefore(t0 + 2h, t0 + 2h) == 1);
    CHECK(f.store.purgeAckedBefore(t0 + 3h, t0 + 3h) == 0);  // once only

    // The purged one is gone from pulls; the unacked one stays.
    auto page = f.store.pullSubmissions(0, 100);
    REQUIRE(page.submissions.size() == 1);
    CHECK(page.submissions[0].submission.id == b.id);

    // A late re-push of the purged item is a duplicate, not a new referral.
    auto results = f.store.storeSubmissions(deviceId, f.incoming({a}), t0 + 4h);
    CHECK(results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(f.store.pullSubmissions(0, 100).submissions.size() == 1);

    // Nothing of the purged row's payload or metadata is left.
    Database db((f.dir / "server.db").string());
    Statement row = db.prepare(
        "SELECT sealed IS NULL, signature IS NULL, venue, neighbourhood, service_id, created_at, "
        "purged_at "
        "FROM submissions WHERE id = ?");
    row.bind(1, a.id);
    REQUIRE(row.step());
    CHECK(row.columnInt(0) == 1);
    CHECK(row.columnInt(1) == 1);
    CHECK(row.columnText(2).empty());
    CHECK(row.columnText(3).empty());
    CHECK(row.columnText(4).empty());
    CHECK(row.columnText(5).empty());
    CHECK(row.columnText(6) == "2026-11-01T14:00:00.000Z");
    stats = f.store.stats();
    CHECK(stats.submissionsStored == 1);
}

TEST_CASE("heartbeats, last seen and device settings", "[server_store]") {
    StoreFixture f;
    auto [deviceId, kiosk] = f.device();
    const auto now = at("2026-11-23T12:00:00Z");
    protocol::Heartbeat beat;
    beat.appVersion = "0.1.0";
    beat.queued = 3;
    beat.lastError = "http_503";
    f.store.recordHeartbeat(deviceId, protocol::toJson(beat), now);
    auto device = f.store.findDevice(deviceId);
    REQUIRE(device);
    CHECK(device->lastHeartbeatAt == "2026-11-23T12:00:00.000Z");
    CHECK(protocol::parseHeartbeat(device->lastHeartbeatJson).queued == 3);
    CHECK(device->lastSeenAt == "2026-11-23T12:00:00.000Z");

    // touchDevices never moves "last seen" backwards.
    f.store.touchDevices({{deviceId, now - 1h}});
    CHECK(f.store.findDevice(deviceId)->lastSeenAt == "2026-11-23T12:00:00.000Z");
    f.store.touchDevices({{deviceId, now + 1h}, {"unknown-device", now}});
    CHECK(f.store.findDevice(deviceId)->lastSeenAt == "2026-11-23T13:00:00.000Z");

    f.store.setDeviceSetting(deviceId, "idle_timeout", "120", now);
    f.store.setDeviceSetting(deviceId, "idle_timeout", "90", now + 1s);
    f.store.setDeviceSetting(deviceId, "languages", "en,pl", now);
    const auto settings = f.store.deviceSettings(deviceId);
    REQUIRE(settings.size() == 2);
    CHECK(settings[0] == std::pair<std::string, std::string>{"idle_timeout", "90"});
    CHECK(settings[1].first == "languages");
    // Settings belong to an existing device (foreign key).
    CHECK_THROWS_AS(f.store.setDeviceSetting("no-such-device", "k", "v", now), StorageError);
}

TEST_CASE("concurrent batches from many devices are all stored, sharing commits",
          "[server_store]") {
    StoreFixture f;
    constexpr int kDevices = 16;
    constexpr int kBatches = 10;
    constexpr int kPerBatch = 5;
    std::vector<std::pair<std::string, test::TestKiosk>> devices;
    for (int i = 0; i < kDevices; ++i) {
        devices.push_back(f.device("Kiosk " + std::to_string(i)));
    }
    const std::size_t commitsBefore = f.store.commitCount();
    std::atomic<int> stored{0};
    std::vector<std::thread> threads;
    for (auto& [id, kiosk] : devices) {
        threads.emplace_back([&, deviceId = id, k = &kiosk] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<protocol::Submission> batch;
                for (int i = 0; i < kPerBatch; ++i) {
                    batch.push_back(k->submission());
                }
                for (const auto& r : f.store.storeSubmissions(deviceId, f.incoming(batch),
                                                              std::chrono::system_clock::now())) {
                    stored += r.status == protocol::ItemStatus::Stored ? 1 : 0;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(stored == kDevices * kBatches * kPerBatch);
    const auto page = f.store.pullSubmissions(0, 1000);
    CHECK(page.submissions.size() == kDevices * kBatches * kPerBatch);
    // Every device's own items arrive in its push order (cursors follow commit order).
    std::map<std::string, std::int64_t> lastSeq;
    for (const auto& p : page.submissions) {
        CHECK(p.submission.seq > lastSeq[p.deviceId]);
        lastSeq[p.deviceId] = p.submission.seq;
    }
    const std::size_t commits = f.store.commitCount() - commitsBefore;
    INFO("commits: " << commits);  // how much batching happened depends on timing; see the bench
    CHECK(commits >= 1);
    CHECK(commits <= static_cast<std::size_t>(kDevices * kBatches));
    CHECK(f.store.integrityCheck() == "ok");
}

TEST_CASE("the group-commit writer commits every job queued meanwhile in one transaction",
          "[server_store]") {
    test::TempDir dir("server-writer-group");
    {
        Database setup((dir / "w.db").string());
        setup.useDurableWal();
        setup.exec("CREATE TABLE t (v INTEGER NOT NULL)");
    }
    GroupCommitWriter writer(Database((dir / "w.db").string()));
    std::promise<void> started;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread first([&] {
        writer.run([&](Database&) {
            started.set_value();
            released.wait();
        });
    });
    // While the writer is held inside the first group, ten more jobs queue up...
    started.get_future().wait();
    std::vector<std::thread> others;
    for (int i = 0; i < 10; ++i) {
        others.emplace_back([&, i] {
            writer.run(
                [i](Database& db) { db.prepare("INSERT INTO t (v) VALUES (?)").bind(1, i).run(); });
        });
    }
    REQUIRE(test::waitUntil([&] { return writer.queued() == 10; }, 5s));
    release.set_value();
    first.join();
    for (auto& t : others) {
        t.join();
    }
    // ...and all ten share the second commit.
    CHECK(writer.commits() == 2);
    CHECK(writer.jobsRun() == 11);
}

TEST_CASE("the group-commit writer isolates a failing job and reports a failed commit",
          "[server_store]") {
    test::TempDir dir("server-writer");
    Database setup((dir / "w.db").string());
    setup.useDurableWal();
    setup.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
    GroupCommitWriter writer(Database((dir / "w.db").string()));

    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&, i] {
            try {
                writer.run([i](Database& db) {
                    db.prepare("INSERT INTO t (v) VALUES (?)").bind(1, i).run();
                    if (i % 5 == 0) {
                        throw std::runtime_error("job failed after writing");
                    }
                });
            } catch (const std::runtime_error& error) {
                CHECK(std::string(error.what()) == "job failed after writing");
                ++failures;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(failures == 4);
    {
        Statement count = setup.prepare("SELECT count(*), coalesce(sum(v % 5 = 0), 0) FROM t");
        REQUIRE(count.step());
        CHECK(count.columnInt(0) == 16);  // the failed jobs' inserts were rolled back
        CHECK(count.columnInt(1) == 0);
    }
    CHECK(writer.jobsRun() == 20);

    // A constraint violation surfaces as the StorageError it is.
    CHECK_THROWS_AS(
        writer.run([](Database& db) { db.prepare("INSERT INTO t (v) VALUES (1)").run(); }),
        StorageError);
    // A commit that cannot happen (another connection holds the write lock past the busy
    // timeout) fails every job of the group, and none of their writes stay.
    Database blocker((dir / "w.db").string(), [] {
        DatabaseOptions o;
        o.busyTimeoutMs = 10;
        return o;
    }());
    blocker.exec("BEGIN IMMEDIATE");
    GroupCommitWriter impatient([&] {
        DatabaseOptions o;
        o.busyTimeoutMs = 50;
        return Database((dir / "w.db").string(), o);
    }());
    CHECK_THROWS_AS(
        impatient.run([](Database& db) { db.prepare("INSERT INTO t (v) VALUES (100)").run(); }),
        StorageError);
    blocker.exec("ROLLBACK");
    impatient.run([](Database& db) { db.prepare("INSERT INTO t (v) VALUES (101)").run(); });
    Statement after = setup.prepare("SELECT count(*) FROM t WHERE v >= 100");
    REQUIRE(after.step());
    CHECK(after.columnInt(0) == 1);
}

TEST_CASE("directory versions: diff per service, no-change imports, deltas and history",
          "[server_store]") {
    StoreFixture f;
    const auto now = at("2026-11-23T12:00:00Z");
    CHECK(f.store.currentDirectoryVersion().version == 0);
    CHECK(f.store.directoryChangesSince(0, 30).current == 0);

    DirectoryData v1 = test::sampleDirectory(10);
    auto summary = f.store.publishDirectory(preparePublication(v1), 3, now);
    CHECK(summary.created);
    CHECK(summary.version == 1);
    CHECK(summary.added == 10);
    CHECK(summary.termsChanged);

    // The same data again: no new version.
    summary = f.store.publishDirectory(preparePublication(v1), 3, now);
    CHECK_FALSE(summary.created);
    CHECK(summary.version == 1);
    CHECK(summary.unchanged == 10);

    // v2: one service renamed, one removed, one added; its organisation's rename changes the
    // two other services of that organisation too.
    DirectoryData v2 = v1;
    v2.version = "2026-11-08";
    v2.services[0].name = "Tuesday Lunch Club";
    v2.services.erase(v2.services.begin() + 9);  // svc-0010
    Service added = v2.services[1];
    added.id = "svc-0100";
    v2.services.push_back(added);
    for (Organisation& o : v2.organisations) {
        if (o.id == "org-2") {
            o.name = "Renamed Organisation";  // svc-0004..0006
        }
    }
    summary = f.store.publishDirectory(preparePublication(v2), 3, now + 1h);
    CHECK(summary.version == 2);
    CHECK(summary.added == 1);
    CHECK(summary.changed == 4);
    CHECK(summary.removed == 1);
    CHECK(summary.unchanged == 5);
    CHECK_FALSE(summary.termsChanged);

    DirectoryChanges delta = f.store.directoryChangesSince(1, 3);
    CHECK(delta.current == 2);
    CHECK(delta.label == "2026-11-08");
    CHECK_FALSE(delta.full);
    CHECK(delta.changedDocuments.size() == 5);
    CHECK(delta.deletedServiceIds == std::vector<std::string>{"svc-0010"});
    CHECK(delta.termsDocument.empty());
    const DirectoryData merged =
        parseHsdsJson(mergeDirectoryDocuments(delta.changedDocuments, delta.label));
    std::set<std::string> ids;
    for (const Service& s : merged.services) {
        ids.insert(s.id);
    }
    CHECK(ids == std::set<std::string>{"svc-0001", "svc-0004", "svc-0005", "svc-0006", "svc-0100"});

    // Up to date: an empty delta.
    delta = f.store.directoryChangesSince(2, 3);
    CHECK_FALSE(delta.full);
    CHECK(delta.changedDocuments.empty());
    CHECK(delta.deletedServiceIds.empty());

    // 0, unknown-newer and negative: full snapshots of the current version.
    for (std::int64_t since : {0, 3, 99, -1}) {
        delta = f.store.directoryChangesSince(since, 3);
        CHECK(delta.full);
        CHECK(parseHsdsJson(delta.snapshot).services.size() == 10);
    }

    // A term renamed: all terms travel in the next delta.
    DirectoryData v3 = v2;
    v3.taxonomyTerms[1].name = "Food and drink";  // need-food: svc-0002, 5, 8 and 100 (a copy of 2)
    summary = f.store.publishDirectory(preparePublication(v3), 3, now + 2h);
    CHECK(summary.termsChanged);
    CHECK(summary.changed == 4);
    delta = f.store.directoryChangesSince(2, 3);
    CHECK_FALSE(delta.termsDocument.empty());
    CHECK(parseHsdsJson(delta.termsDocument).taxonomyTerms.size() == 3);
    // From v1 both changes add up; the removed service stays deleted.
    delta = f.store.directoryChangesSince(1, 3);
    CHECK(delta.changedDocuments.size() == 7);
    CHECK(delta.deletedServiceIds == std::vector<std::string>{"svc-0010"});

    // History depth 3: after v5, v1 is too old (full), v2 still works.
    DirectoryData v4 = v3;
    v4.services[2].description = "Changed in v4";
    f.store.publishDirectory(preparePublication(v4), 3, now + 3h);
    DirectoryData v5 = v4;
    v5.services[3].description = "Changed in v5";
    f.store.publishDirectory(preparePublication(v5), 3, now + 4h);
    CHECK(f.store.currentDirectoryVersion().version == 5);
    CHECK(f.store.directoryChangesSince(1, 3).full);
    delta = f.store.directoryChangesSince(2, 3);
    CHECK_FALSE(delta.full);
    CHECK(delta.changedDocuments.size() == 6);  // v3's 4, v4's 1, v5's 1
    const auto versions = f.store.listDirectoryVersions();
    REQUIRE(versions.size() == 4);  // 2..5
    CHECK(versions.front().version == 5);
    CHECK(versions.back().version == 2);
    CHECK(versions.front().tag.size() == 16);
    CHECK(versions.front().serviceCount == 10);
    // Old revisions were pruned: nothing removed at or before v2 remains.
    Database db((f.dir / "server.db").string());
    Statement stale = db.prepare("SELECT count(*) FROM directory_services WHERE removed_in <= 2");
    REQUIRE(stale.step());
    CHECK(stale.columnInt(0) == 0);
    Statement snapshots =
        db.prepare("SELECT count(*) FROM directory_versions WHERE snapshot IS NOT NULL");
    REQUIRE(snapshots.step());
    CHECK(snapshots.columnInt(0) == 1);
}
