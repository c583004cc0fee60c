// signpost-server backup / restore (sync/server/backup.h), through the CLI as an admin runs it,
// against a real server taking real pushes over loopback.

#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/storage/database.h"
#include "support/process.h"
#include "support/server_harness.h"
#include "sync/server/server_cli.h"
#include "sync/server/sqlite_server_store.h"

using namespace signpost;
using test::TestKiosk;
using test::TestServer;

namespace {

struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

CliResult runCli(std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    CliResult result;
    result.exitCode = server::runServerCli(args, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
}

// A server.toml whose data_dir is `dataDir` (the CLI reads only [storage] here).
std::filesystem::path writeConfig(const std::filesystem::path& dir,
                                  const std::filesystem::path& dataDir) {
    const std::filesystem::path file = dir / "server.toml";
    test::writeText(file, "[storage]\ndata_dir = \"" + dataDir.string() + "\"\n");
    return file;
}

std::filesystem::path liveDatabase(const std::filesystem::path& dataDir) {
    server::ServerConfig config;
    config.dataDir = dataDir.string();
    return config.databasePath();
}

std::set<std::string> submissionIds(const std::filesystem::path& file) {
    Database db(file.string(), {.readOnly = true});
    Statement query = db.prepare("SELECT id FROM submissions");
    std::set<std::string> ids;
    while (query.step()) {
        ids.insert(query.columnText(0));
    }
    return ids;
}

std::string integrityOf(const std::filesystem::path& file) {
    Database db(file.string(), {.readOnly = true});
    return db.integrityCheck();
}

}  // namespace

TEST_CASE("backup while kiosks push: one consistent copy holding every answered push",
          "[server_backup]") {
    TestServer server("backup-live");
    const std::filesystem::path data = server.dir() / "data";
    const std::filesystem::path config = writeConfig(server.dir(), data);
    TestKiosk kiosk = server.enroll();

    std::set<std::string> storedBeforeBackup;
    for (int batch = 0; batch < 5; ++batch) {
        std::vector<protocol::Submission> items;
        for (int i = 0; i < 20; ++i) {
            items.push_back(kiosk.submission());
        }
        for (const auto& result : server.push(kiosk, items).results) {
            REQUIRE(result.status == protocol::ItemStatus::Stored);
            storedBeforeBackup.insert(result.id);
        }
    }

    // Pushes keep arriving on another connection while the backup runs.
    std::atomic<bool> stop{false};
    std::atomic<int> pushedDuring{0};
    TestKiosk second = server.enroll("Kiosk 2");
    std::thread pusher([&] {
        while (!stop) {
            std::vector<protocol::Submission> items;
            for (int i = 0; i < 10; ++i) {
                items.push_back(second.submission());
            }
            server.push(second, items);
            pushedDuring += 10;
        }
    });
    // Let the pusher get going so the backup really overlaps writes.
    test::waitUntil([&] { return pushedDuring >= 30; }, std::chrono::seconds(10));
    const std::filesystem::path file = server.dir() / "backups" / "signpost.db";
    std::filesystem::create_directories(file.parent_path());
    const CliResult backup = runCli({"backup", "--to", file.string(), "--config", config.string()});
    const int pushedWhenBackupEnded = pushedDuring;
    stop = true;
    pusher.join();

    INFO(backup.err);
    REQUIRE(backup.exitCode == 0);
    CHECK(backup.out.find("integrity ok") != std::string::npos);
    CHECK(pushedWhenBackupEnded >= 30);

    // One self-contained file: no WAL beside it, owner-only, no partial left behind.
    CHECK(integrityOf(file) == "ok");
    CHECK_FALSE(std::filesystem::exists(file.string() + "-wal"));
    CHECK(test::fileMode(file) == 0600);
    for (const auto& entry : std::filesystem::directory_iterator(file.parent_path())) {
        CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
    }
    {
        Database copy(file.string(), {.readOnly = true});
        Statement mode = copy.prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.columnText(0) == "delete");
    }

    const std::set<std::string> inBackup = submissionIds(file);
    for (const std::string& id : storedBeforeBackup) {
        INFO(id);
        CHECK(inBackup.count(id) == 1);
    }
    // The copy is a snapshot of one moment: at most what was stored by the time it ended,
    // never a batch cut in half (batches are one transaction of 10).
    const std::size_t fromSecond = inBackup.size() - storedBeforeBackup.size();
    CHECK(fromSecond <= static_cast<std::size_t>(pushedWhenBackupEnded) + 10);
    CHECK(fromSecond % 10 == 0);
    CHECK(submissionIds(liveDatabase(data)).size() >= inBackup.size());
}

TEST_CASE("restore: a server started from the backup knows the kiosks, tokens and submissions",
          "[server_backup]") {
    test::TempDir dir("backup-restore");
    const std::filesystem::path file = dir.path() / "signpost.db";
    TestKiosk kiosk;
    std::string coordinator;
    std::vector<protocol::Submission> kept;
    {
        TestServer original("backup-original");
        const std::filesystem::path config = writeConfig(original.dir(), original.dir() / "data");
        kiosk = original.enroll();
        coordinator = original.coordinatorToken();
        for (int i = 0; i < 5; ++i) {
            kept.push_back(kiosk.submission());
        }
        original.push(kiosk, kept);
        const CliResult backup =
            runCli({"backup", "--to", file.string(), "--config", config.string()});
        INFO(backup.err);
        REQUIRE(backup.exitCode == 0);
        CHECK(backup.out.find("5 submissions, 1 devices") != std::string::npos);
        // Stored after the backup: a restore goes back to the moment of the backup.
        original.push(kiosk, {kiosk.submission(), kiosk.submission()});
    }

    // Restore into a new machine's empty data directory (made by restore, mode 0700).
    const std::filesystem::path newData = dir.path() / "new-server" / "data";
    const std::filesystem::path config = writeConfig(dir.path(), newData);
    const CliResult restore =
        runCli({"restore", "--from", file.string(), "--config", config.string()});
    INFO(restore.err);
    REQUIRE(restore.exitCode == 0);
    CHECK(restore.out.find("5 submissions, 1 devices, integrity ok") != std::string::npos);
    CHECK(test::fileMode(newData) == 0700);

    TestServer restored("backup-restored",
                        [&](server::ServerConfig& c) { c.dataDir = newData.string(); });
    // The kiosk's token still works, and the server still knows what it already has.
    const auto again = restored.push(kiosk, {kept[0]});
    REQUIRE(again.results.size() == 1);
    CHECK(again.results[0].status == protocol::ItemStatus::Duplicate);
    // The coordinator's token still works and sees exactly the backed-up submissions.
    const auto page = restored.pull(coordinator);
    std::set<std::string> pulled;
    for (const auto& item : page.submissions) {
        pulled.insert(item.submission.id);
    }
    std::set<std::string> expected;
    for (const auto& s : kept) {
        expected.insert(s.id);
    }
    CHECK(pulled == expected);
    // And it takes new submissions on after the restored cursor.
    const auto fresh = restored.push(kiosk, {kiosk.submission()});
    CHECK(fresh.results.at(0).status == protocol::ItemStatus::Stored);
    CHECK(restored.pull(coordinator, page.nextCursor).submissions.size() == 1);
}

TEST_CASE("issue 9: every backup copy and every restore is a new generation", "[server_backup]") {
    test::TempDir dir("backup-generations");
    TestServer original("backup-generations-live");
    const std::filesystem::path config = writeConfig(original.dir(), original.dir() / "data");
    const std::string live = original.store().generation();
    REQUIRE(live.size() == 16);
    TestKiosk kiosk = original.enroll();
    original.push(kiosk, {kiosk.submission(), kiosk.submission()});

    const CliResult backup =
        runCli({"backup", "--to", (dir / "a.db").string(), "--config", config.string()});
    INFO(backup.err);
    REQUIRE(backup.exitCode == 0);
    std::string copied;
    {
        server::SqliteServerStore copy(dir / "a.db");
        copied = copy.generation();
        const auto history = copy.generations();
        REQUIRE(history.size() == 2);
        CHECK(history[0].reason == "backup");
        CHECK(history[0].firstCursor == 2);
        CHECK(history[1].id == live);
        CHECK(history[1].reason == "created");
    }
    // A copy put back by hand instead of with restore is still not the live generation.
    CHECK(copied != live);
    CHECK(original.store().generation() == live);  // the live database is not touched

    // Two restores of the same file: two generations, neither the backup's nor the live one.
    const std::filesystem::path target = liveDatabase(dir / "restored");
    const std::filesystem::path restoreConfig = writeConfig(dir.path(), dir / "restored");
    std::set<std::string> seen{live, copied};
    for (int i = 0; i < 2; ++i) {
        const CliResult restore = runCli(
            {"restore", "--from", (dir / "a.db").string(), "--config", restoreConfig.string()});
        INFO(restore.err);
        REQUIRE(restore.exitCode == 0);
        CHECK(restore.out.find("new generation") != std::string::npos);
        server::SqliteServerStore restored(target);
        CHECK(seen.insert(restored.generation()).second);
        CHECK(restored.generations().front().reason == "restore");
        CHECK(restore.out.find(restored.generation()) != std::string::npos);
    }
}

TEST_CASE("issue 9: a backup from before generations gets one when restored", "[server_backup]") {
    test::TempDir dir("backup-old-schema");
    const std::filesystem::path old = dir / "old.db";
    {
        // A version 1 database, as servers before issue 9 wrote it.
        server::SqliteServerStore store(old);
    }
    {
        Database db(old.string());
        db.exec("DROP TABLE server_generations; PRAGMA user_version = 1;");
    }
    const std::filesystem::path target = liveDatabase(dir / "data");
    const std::filesystem::path config = writeConfig(dir.path(), dir / "data");
    const CliResult restore =
        runCli({"restore", "--from", old.string(), "--config", config.string()});
    INFO(restore.err);
    REQUIRE(restore.exitCode == 0);
    server::SqliteServerStore restored(target);
    const auto history = restored.generations();
    REQUIRE(history.size() == 2);  // one for the schema migration, one for the restore
    CHECK(history[0].reason == "restore");
    CHECK(history[1].reason == "created");
}

TEST_CASE("backup and restore refuse bad input and leave everything as it was", "[server_backup]") {
    TestServer server("backup-errors");
    const std::filesystem::path data = server.dir() / "data";
    const std::filesystem::path config = writeConfig(server.dir(), data);
    TestKiosk kiosk = server.enroll();
    server.push(kiosk, {kiosk.submission(), kiosk.submission(), kiosk.submission()});
    const std::filesystem::path live = liveDatabase(data);
    const std::filesystem::path good = server.dir() / "good.db";
    REQUIRE(runCli({"backup", "--to", good.string(), "--config", config.string()}).exitCode == 0);
    const std::string goodBytes = test::readText(good);

    SECTION("--to and --from are required") {
        const CliResult backup = runCli({"backup", "--config", config.string()});
        CHECK(backup.exitCode == 2);
        CHECK(backup.err.find("--to FILE is required") != std::string::npos);
        const CliResult restore = runCli({"restore", "--config", config.string()});
        CHECK(restore.exitCode == 2);
        CHECK(restore.err.find("--from FILE is required") != std::string::npos);
    }
    SECTION("a backup into a folder that does not exist names it and writes nothing") {
        const std::filesystem::path missing = server.dir() / "no-such-folder" / "b.db";
        const CliResult backup =
            runCli({"backup", "--to", missing.string(), "--config", config.string()});
        CHECK(backup.exitCode == 1);
        CHECK(backup.err.find("no-such-folder") != std::string::npos);
        CHECK(backup.err.find("does not exist") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(missing.parent_path()));
    }
    SECTION("the live database cannot be its own backup") {
        const CliResult backup =
            runCli({"backup", "--to", live.string(), "--config", config.string()});
        CHECK(backup.exitCode == 1);
        CHECK(backup.err.find("cannot be the live database") != std::string::npos);
        CHECK(integrityOf(live) == "ok");
    }
    SECTION("a server with no database yet has nothing to back up") {
        test::TempDir empty("backup-empty");
        const std::filesystem::path emptyConfig = writeConfig(empty.path(), empty.path() / "d");
        const CliResult backup = runCli(
            {"backup", "--to", (empty.path() / "b.db").string(), "--config", emptyConfig.string()});
        CHECK(backup.exitCode == 1);
        CHECK(backup.err.find("no database to back up") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(empty.path() / "b.db"));
    }
    SECTION("a damaged database never replaces a good older backup") {
        test::TempDir other("backup-damaged");
        const std::filesystem::path damagedData = other.path() / "data";
        std::filesystem::create_directories(damagedData);
        const std::filesystem::path damaged = liveDatabase(damagedData);
        std::string bytes = goodBytes;
        REQUIRE(bytes.size() > 3 * 4096);
        // Scribble over every page after the first: the header still says "SQLite".
        for (std::size_t i = 4096; i < bytes.size(); i += 7) {
            bytes[i] = static_cast<char>(0xA5);
        }
        test::writeText(damaged, bytes);
        const std::filesystem::path damagedConfig = writeConfig(other.path(), damagedData);
        const CliResult backup =
            runCli({"backup", "--to", good.string(), "--config", damagedConfig.string()});
        CHECK(backup.exitCode == 1);
        CHECK_FALSE(backup.err.empty());
        CHECK(test::readText(good) == goodBytes);
        for (const auto& entry : std::filesystem::directory_iterator(good.parent_path())) {
            CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
        }
    }

    // Restores that must be refused, each leaving the live database exactly as it was.
    const auto idsBefore = submissionIds(live);
    auto refusedRestore = [&](const std::filesystem::path& from, const std::string& expected) {
        const CliResult restore =
            runCli({"restore", "--from", from.string(), "--config", config.string()});
        INFO(restore.err);
        CHECK(restore.exitCode == 1);
        CHECK(restore.err.find(expected) != std::string::npos);
        CHECK(submissionIds(live) == idsBefore);
        CHECK(integrityOf(live) == "ok");
    };
    SECTION("restore from a file that is not there") {
        refusedRestore(server.dir() / "missing.db", "no backup file here");
    }
    SECTION("restore from a file that is not a database") {
        const std::filesystem::path text = server.dir() / "notes.db";
        test::writeText(text, std::string(8192, 'x'));
        refusedRestore(text, "database error");
    }
    SECTION("restore from another program's SQLite database") {
        const std::filesystem::path foreign = server.dir() / "foreign.db";
        {
            Database db(foreign.string());
            db.exec("CREATE TABLE notes (body TEXT); PRAGMA user_version = 1;");
        }
        refusedRestore(foreign, "is not a Signpost server database");
    }
    SECTION("restore from a newer server's backup") {
        const std::filesystem::path newer = server.dir() / "newer.db";
        test::writeText(newer, goodBytes);
        {
            Database db(newer.string());
            db.exec("PRAGMA user_version = " +
                    std::to_string(server::SqliteServerStore::kSchemaVersion + 1));
        }
        refusedRestore(newer, "newer than this program");
    }
}
