// Crash loops ([.]: slow, still run in CI). A kiosk without a screen (tests/harness, the real
// outbox, submit path and sync engine) submits and pushes while it is killed with SIGKILL at random
// moments, 200 times; then the server is killed at random moments and restarted, 50 times, while
// the kiosk keeps going. Afterwards, once the kiosk has drained: the server's set of ids equals
// the kiosk's, nothing is stored twice, and PRAGMA integrity_check is ok on both databases.
// The second loop (issue 9) adds server restores from earlier backups and `signpost pull` runs
// killed at random: the generation switch, the kiosk's re-push after a restore and the pull's
// re-read must still write every referral exactly once into the coordinators' files.
// The third loop (issue 9) damages the outbox between kills (zeroed pages, truncation, a torn
// WAL) and kills the kiosk at random moments and at each step of the move aside and salvage:
// every referral still readable in a damaged copy or the outbox reaches the server, once.
#include <catch2/catch.hpp>

#include <signal.h>

#include <random>
#include <set>
#include <thread>

#include <sqlite3.h>

#include <fstream>

#include "core/common/ids.h"
#include "core/referral/outbox_recovery.h"
#include "core/storage/database.h"
#include "support/sync_world.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

test::ChildProcess startHarness(const std::filesystem::path& dataDir, const std::string& key,
                                const std::filesystem::path& log) {
    test::ProcessOptions options;
    options.program = test::builtProgram("signpost-sync-harness");
    options.args = {"run", "--data-dir", dataDir.string(), "--key", key, "--interval-ms", "5"};
    options.stdoutFile = log;
    options.stderrFile = log.string() + ".err";
    test::ChildProcess child = test::ChildProcess::spawn(options);
    REQUIRE(test::waitUntil(
        [&] { return child.stdoutText().find("ready") != std::string::npos || !child.running(); },
        20s, 2ms));
    INFO(child.report());
    REQUIRE(child.running());
    return child;
}

std::set<std::string> kioskIds(const std::filesystem::path& outboxFile, std::size_t& notSent) {
    DatabaseOptions readOnly;
    readOnly.readOnly = true;
    Database db(outboxFile.string(), readOnly);
    std::set<std::string> ids;
    notSent = 0;
    Statement query = db.prepare("SELECT id, status FROM outbox");
    while (query.step()) {
        ids.insert(query.columnText(0));
        notSent += query.columnText(1) != "sent";
    }
    return ids;
}

std::string integrity(const std::filesystem::path& file) {
    Database db(file.string());
    return db.integrityCheck();
}

// A signpost-server and a kiosk without a screen (tests/harness) enrolled with it: where every
// crash loop here starts.
struct CrashWorld {
    explicit CrashWorld(const std::string& label)
        : dir(label),
          server(dir / "server"),
          kioskDir(dir / "kiosk"),
          key(server.publicKey().toBase64()) {
        std::filesystem::create_directories(kioskDir);
        const test::ProgramRun enrolled =
            test::runBuiltProgram("signpost-sync-harness",
                                  {"enroll", "--data-dir", kioskDir.string(), "--server",
                                   server.url(), "--code", server.enrollmentCode()},
                                  dir.path(), {}, 30s);
        INFO(enrolled.err);
        REQUIRE(enrolled.status.success());
    }

    // `signpost-sync-harness drain`: sends what is left; REQUIREs it all went.
    void drain() {
        const test::ProgramRun drained = test::runBuiltProgram(
            "signpost-sync-harness",
            {"drain", "--data-dir", kioskDir.string(), "--timeout-s", "120"}, dir.path(), {}, 150s);
        INFO(drained.err);
        REQUIRE(drained.status.success());
    }

    test::TempDir dir;
    test::SyncServer server;
    std::filesystem::path kioskDir;
    std::string key;
};

}  // namespace

TEST_CASE("kill -9 the kiosk 200 times and the server 50 times: every referral once",
          "[.][sync_crash]") {
    CrashWorld world("sync-crash");
    test::TempDir& dir = world.dir;
    test::SyncServer& server = world.server;
    const std::filesystem::path& kioskDir = world.kioskDir;
    const std::string& key = world.key;
    std::mt19937 random(std::random_device{}());
    const auto pick = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(random);
    };

    // The kiosk, killed mid-submit and mid-push.
    for (int round = 0; round < 200; ++round) {
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness.log");
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 250)));
        const test::ExitStatus status = harness.kill();
        INFO("round " << round << ": " << harness.report());
        REQUIRE_FALSE(status.exited);  // it was running when killed, not crashed on its own
    }
    // The server, killed while the kiosk pushes; restarted each time on the same port.
    {
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness-server-loop.log");
        for (int round = 0; round < 50; ++round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(20, 400)));
            server.kill();
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 100)));
            server.start();
            INFO("server round " << round);
            REQUIRE(harness.running());
        }
        std::this_thread::sleep_for(300ms);
        harness.kill();
    }

    // Drain what is left, then compare.
    world.drain();

    std::size_t notSent = 0;
    const std::set<std::string> kiosk = kioskIds(kioskDir / "outbox.db", notSent);
    CHECK(notSent == 0);
    CHECK(kiosk.size() > 200);  // it did submit between the kills
    const std::map<std::string, int> counts = server.idCounts();
    std::set<std::string> onServer;
    for (const auto& [id, n] : counts) {
        INFO(id);
        CHECK(n == 1);
        onServer.insert(id);
    }
    CHECK(onServer == kiosk);
    server.stop();
    {
        // No duplicates in the server's own table either (not just in what the API shows).
        Database db(server.databaseFile().string());
        Statement duplicates = db.prepare(
            "SELECT count(*) FROM (SELECT id FROM submissions GROUP BY id HAVING count(*) > 1)");
        REQUIRE(duplicates.step());
        CHECK(duplicates.columnInt(0) == 0);
    }
    CHECK(integrity(kioskDir / "outbox.db") == "ok");
    CHECK(integrity(server.databaseFile()) == "ok");
}

TEST_CASE("kill -9 through server restores: kiosk, server and pull, every referral written once",
          "[.][sync_crash]") {
    CrashWorld world("restore-crash");
    test::TempDir& dir = world.dir;
    test::SyncServer& server = world.server;
    const std::filesystem::path& kioskDir = world.kioskDir;
    const std::string& key = world.key;
    test::CoordinatorFiles coordinators(server, dir / "coordinators");

    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    const auto pick = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(random);
    };
    std::vector<std::filesystem::path> backups;
    std::map<std::string, int> counts;
    int logs = 0;
    const auto log = [&](const std::string& what) {
        return dir / (what + "-" + std::to_string(logs++) + ".log");
    };

    for (int round = 0;
         round < 60 && (round < 30 || counts["restores"] < 8 || counts["pulls killed"] < 10);
         ++round) {
        INFO("round " << round);
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness.log");
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(20, 250)));
        if (pick(0, 2) == 0) {
            backups.push_back(dir / ("backup-" + std::to_string(backups.size()) + ".db"));
            server.backup(backups.back());
            ++counts["backups"];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 200)));
        if (!backups.empty() && pick(0, 2) == 0) {
            // The server dies (or is stopped) and comes back from an earlier backup.
            if (pick(0, 1) == 0) {
                server.kill();
            } else {
                server.stop();
            }
            const auto& from =
                backups[static_cast<std::size_t>(pick(0, static_cast<int>(backups.size()) - 1))];
            server.restore(from);
            server.start();
            ++counts["restores"];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 200)));
        const test::ExitStatus killed = harness.kill();
        REQUIRE_FALSE(killed.exited);
        ++counts["kiosk kills"];

        // A pull, killed at a random moment (or left to finish).
        test::ProcessOptions options = coordinators.pullOptions();
        options.stderrFile = log("pull");
        test::ChildProcess pull = test::ChildProcess::spawn(options);
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 400)));
        const test::ExitStatus pulled = pull.kill();
        if (pulled.exited) {
            INFO(pull.report());
            REQUIRE((pulled.code == 0 || pulled.code == 3));
            ++counts["pulls finished"];
        } else {
            ++counts["pulls killed"];
        }
        for (const auto& [id, times] : coordinators.written()) {
            INFO(id);
            REQUIRE(times == 1);  // never a duplicate, at any moment
        }
    }
    std::string summary;
    for (const auto& [what, n] : counts) {
        summary += "; " + what + ": " + std::to_string(n);
    }
    WARN("restore kill loop (seed " << seed << ")" << summary);
    CHECK(counts["restores"] >= 8);
    CHECK(counts["pulls killed"] >= 10);

    // The kiosk sends what the restored server lacks; then two clean pulls.
    world.drain();
    for (int i = 0; i < 2; ++i) {
        coordinators.pull();
    }
    std::size_t notSent = 0;
    const std::set<std::string> kiosk = kioskIds(kioskDir / "outbox.db", notSent);
    CHECK(notSent == 0);
    const auto written = coordinators.written();
    std::size_t lost = 0;
    std::size_t duplicated = 0;
    for (const std::string& id : kiosk) {
        const auto it = written.find(id);
        lost += it == written.end() ? 1 : 0;
        duplicated += it != written.end() && it->second > 1 ? 1 : 0;
    }
    WARN("restore kill loop: " << kiosk.size() << " referrals saved on the kiosk, "
                               << written.size() << " written, " << lost << " lost, " << duplicated
                               << " duplicated");
    CHECK(lost == 0);
    CHECK(duplicated == 0);
    CHECK(written.size() == kiosk.size());
    const auto onServer = server.idCounts();
    for (const std::string& id : kiosk) {
        INFO(id);
        CHECK(onServer.contains(id));
    }
    server.stop();
    CHECK(integrity(kioskDir / "outbox.db") == "ok");
    CHECK(integrity(server.databaseFile()) == "ok");
}

namespace {

// Every id SQLite can still read from an outbox file (damaged or not), row by row, without
// changing it: the test's own reading, to check that salvage lost nothing it could have saved.
std::set<std::string> readableIds(const std::filesystem::path& file) {
    std::set<std::string> ids;
    try {
        Database db(file.string(), {.readOnly = true, .create = false});
        sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        db.exec("PRAGMA writable_schema = ON");
        std::int64_t highest = 0;
        for (const char* sql : {"SELECT max(seq) FROM outbox",
                                "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"}) {
            try {
                Statement query = db.prepare(sql);
                if (query.step()) {
                    highest = std::max(highest, query.columnInt64(0));
                }
            } catch (const StorageError&) {
            }
        }
        Statement one = db.prepare("SELECT id FROM outbox WHERE seq = ?");
        for (std::int64_t seq = 1; seq <= highest + 50; ++seq) {
            try {
                one.reset();
                one.bind(1, seq);
                if (one.step() && isUuidV4(one.columnText(0))) {
                    ids.insert(one.columnText(0));
                }
            } catch (const StorageError&) {
            }
        }
    } catch (const StorageError&) {
    }
    return ids;
}

void zeroBytes(const std::filesystem::path& file, std::uintmax_t offset, std::size_t length) {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(out);
    out.seekp(static_cast<std::streamoff>(offset));
    const std::string zeros(length, '\0');
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
}

}  // namespace

TEST_CASE(
    "kill -9 through outbox damage and salvage: every readable referral reaches the server once",
    "[.][sync_crash]") {
    CrashWorld world("salvage-crash");
    test::TempDir& dir = world.dir;
    test::SyncServer& server = world.server;
    const std::filesystem::path& kioskDir = world.kioskDir;
    const std::string& key = world.key;
    const std::filesystem::path outbox = kioskDir / "outbox.db";
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    const auto pick = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(random);
    };
    const char* points[] = {"intent-written", "moved-wal", "moved-shm",     "moved-main",
                            "fresh-created",  "salvaged",  "intent-cleared"};
    std::map<std::string, int> counts;
    std::set<std::string> readableBeforeSalvage;  // what each damaged outbox still held

    for (int round = 0;
         round < 200 && (round < 40 || counts["damaged"] < 12 || counts["killed in recovery"] < 6);
         ++round) {
        INFO("round " << round);
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness.log");
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(30, 300)));
        REQUIRE_FALSE(harness.kill().exited);
        ++counts["kiosk kills"];
        if (pick(0, 2) != 0 || !std::filesystem::exists(outbox)) {
            continue;
        }
        // Damage it the ways disks do.
        const std::uintmax_t size = std::filesystem::file_size(outbox);
        const std::size_t page = 4096;
        const int kind = pick(0, 2);
        if (kind == 0 && size > 2 * page) {
            const auto pages = static_cast<int>(size / page);
            for (int i = 0, n = pick(1, 3); i < n; ++i) {
                zeroBytes(outbox, static_cast<std::uintmax_t>(pick(1, pages - 1)) * page, page);
            }
            ++counts["zeroed pages"];
        } else if (kind == 1 && size > 4 * page) {
            std::filesystem::resize_file(outbox,
                                         size * static_cast<std::uintmax_t>(pick(60, 95)) / 100);
            ++counts["truncated"];
        } else {
            const std::filesystem::path wal = outbox.string() + "-wal";
            if (std::filesystem::exists(wal) && std::filesystem::file_size(wal) > 64) {
                std::filesystem::resize_file(wal, std::filesystem::file_size(wal) *
                                                      static_cast<std::uintmax_t>(pick(50, 99)) /
                                                      100);
            }
            if (size > 2 * page) {
                zeroBytes(
                    outbox,
                    static_cast<std::uintmax_t>(pick(1, static_cast<int>(size / page) - 1)) * page,
                    page);
            }
            ++counts["torn WAL"];
        }
        ++counts["damaged"];
        for (const std::string& id : readableIds(outbox)) {
            readableBeforeSalvage.insert(id);
        }
        // The next start recovers; two times in three it is killed at a step of the move or
        // salvage.
        if (pick(0, 2) != 0) {
            test::ProcessOptions open;
            open.program = test::builtProgram("signpost-sync-harness");
            open.args = {"open", "--data-dir", kioskDir.string()};
            open.env["SIGNPOST_OUTBOX_TEST_KILL_AT"] = points[pick(0, 6)];
            open.stderrFile = dir / "open-killed.err";
            const test::ExitStatus status = test::runProcess(open, 60s);
            counts[status.signal == SIGKILL ? "killed in recovery" : "recovery not damaged"]++;
        }
    }
    world.drain();

    // Every referral SQLite can still read, in any damaged copy (never changed once moved aside)
    // or the outbox, is on the server. (What was readable right after a damage may have been
    // destroyed by a later one before it was sent: that is counted, not required.)
    std::set<std::string> readable;
    for (const auto& copy : damagedCopies(outbox)) {
        for (const std::string& id : readableIds(copy)) {
            readable.insert(id);
        }
    }
    std::size_t inOutbox = 0;
    std::size_t rejected = 0;
    {
        Outbox live(outbox.string());
        for (const OutboxItem& item : live.allItems()) {
            readable.insert(item.id);
            ++inOutbox;
            rejected += item.status == OutboxStatus::Rejected ? 1 : 0;
        }
        std::size_t salvaged = 0;
        std::size_t destroyed = 0;
        for (const SalvageReport& report : salvageReports(live)) {
            salvaged += report.saved + report.resent + report.rejected + report.history;
            destroyed += report.lost;
        }
        counts["rows salvaged"] = static_cast<int>(salvaged);
        counts["rows destroyed by the damage"] = static_cast<int>(destroyed);
    }
    const auto onServer = server.idCounts();
    std::size_t lost = 0;
    for (const std::string& id : readable) {
        INFO("not on the server: " << id);
        lost += onServer.contains(id) ? 0 : 1;
        CHECK(onServer.contains(id));
    }
    std::size_t destroyedLater = 0;
    for (const std::string& id : readableBeforeSalvage) {
        destroyedLater += readable.contains(id) || onServer.contains(id) ? 0 : 1;
    }
    counts["readable after a damage, destroyed by a later one before it was sent"] =
        static_cast<int>(destroyedLater);
    std::string summary;
    for (const auto& [what, n] : counts) {
        summary += "; " + what + ": " + std::to_string(n);
    }
    WARN("salvage kill loop (seed " << seed << ")" << summary << "; " << readable.size()
                                    << " readable referrals, " << lost << " lost, " << rejected
                                    << " rejected (a conflict would mean one changed), "
                                    << onServer.size() << " on the server");
    CHECK(counts["damaged"] >= 12);
    CHECK(counts["killed in recovery"] >= 5);
    CHECK(lost == 0);
    CHECK(rejected == 0);
    for (const auto& [id, n] : onServer) {
        CHECK(n == 1);
    }
    CHECK(inOutbox > 0);
    CHECK(integrity(outbox) == "ok");
}
