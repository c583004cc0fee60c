// Issue 13: the server's operations as an IT person meets them. Admin verbs run by root act as
// the data directory's owner (read root's files first), `devices list` lines up and speaks JSON,
// a restore is refused while a server serves from the database, and every backup is recorded
// for /metrics (signpost_last_backup_timestamp_seconds).
//
// The root-only cases run the real binary (becoming another user is for good, so never in this
// process) on a data directory owned by `nobody`; they are skipped, with a warning, when the
// tests do not run as root.
#include <catch2/catch.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/ids.h"
#include "support/process.h"
#include "support/sample_directory.h"
#include "support/server_harness.h"
#include "sync/server/admin_tables.h"
#include "sync/server/backup_status.h"
#include "sync/server/serve_lock.h"
#include "sync/server/server_cli.h"

using namespace signpost;
using namespace std::chrono_literals;
using test::TestServer;

namespace {

using CliResult = test::ProgramRun;

// The built signpost-server with `args`, its output captured.
CliResult runBinary(const std::filesystem::path& dir, const std::vector<std::string>& args) {
    return test::runBuiltProgram("signpost-server", args, dir, {}, 60s);
}

// The same through runServerCli in this process (never for root switching users).
CliResult runInProcess(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    CliResult result;
    const int code = server::runServerCli(args, out, err);
    result.status.exited = true;
    result.status.code = code;
    result.out = out.str();
    result.err = err.str();
    return result;
}

std::filesystem::path writeConfig(const std::filesystem::path& dir,
                                  const std::filesystem::path& dataDir) {
    const auto file = dir / "server.toml";
    test::writeText(file, "[storage]\ndata_dir = \"" + dataDir.string() + "\"\n");
    return file;
}

std::string enrollDevice(const std::filesystem::path& database, const std::string& name,
                         const std::string& venue) {
    server::SqliteServerStore store(database);
    const auto now = std::chrono::system_clock::now();
    const std::string code = server::generateEnrollmentCode();
    const server::TokenHash codeHash = server::hashToken(*server::normalizeEnrollmentCode(code));
    store.addEnrollmentCode(codeHash, venue, now + 1h, now);
    server::EnrollmentAttempt attempt;
    attempt.codeHash = codeHash;
    attempt.deviceName = name;
    attempt.signingKey.assign(32, 7);
    attempt.newDeviceId = uuidV4();
    attempt.newTokenHash = server::hashToken(server::generateToken());
    REQUIRE(store.enrollDevice(attempt, now, 15min).status == server::EnrollStatus::Enrolled);
    return attempt.newDeviceId;
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// Where each column starts in `line`, for columns separated by two or more spaces.
std::vector<std::size_t> columnStarts(const std::string& line) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 2; i < line.size(); ++i) {
        if (line[i] != ' ' && line[i - 1] == ' ' && line[i - 2] == ' ') {
            starts.push_back(i);
        }
    }
    return starts;
}

struct Owner {
    uid_t uid;
    gid_t gid;
};

// A data directory belonging to `nobody`, as the package's belongs to signpost-server.
std::optional<Owner> nobody() {
    const passwd* entry = ::getpwnam("nobody");
    if (entry == nullptr) {
        return std::nullopt;
    }
    return Owner{entry->pw_uid, entry->pw_gid};
}

// Every path under `dir` whose owner is not `uid`.
std::vector<std::string> notOwnedBy(const std::filesystem::path& dir, uid_t uid) {
    std::vector<std::string> foreign;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        struct stat info {};
        if (::lstat(entry.path().c_str(), &info) == 0 && info.st_uid != uid) {
            foreign.push_back(entry.path().filename().string());
        }
    }
    return foreign;
}

}  // namespace

TEST_CASE("issue 13: admin devices list lines up however long a name is, and speaks JSON",
          "[server_operations]") {
    test::TempDir dir("ops-devices");
    const auto data = dir / "data";
    const auto config = writeConfig(dir.path(), data);
    std::filesystem::create_directories(data);
    const auto database = data / "signpost-server.db";
    const std::string longOne =
        enrollDevice(database, "Signpost kiosk, Demo venue", "Harpurhey Library");
    const std::string accented = enrollDevice(database, "Café kiosk", "Moss Side");

    const CliResult table =
        runBinary(dir.path(), {"admin", "devices", "list", "--config", config.string()});
    INFO(table.err);
    REQUIRE(table.status.success());
    const auto lines = linesOf(table.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].rfind("DEVICE", 0) == 0);
    const auto header = columnStarts(lines[0]);
    REQUIRE(header.size() == 6);  // DEVICE NAME VENUE ENROLLED LAST SEEN STATE
    for (std::size_t row = 1; row < lines.size(); ++row) {
        INFO(table.out);
        // Byte offsets: the accented row's later columns sit one byte further right ("é" is 2).
        const std::size_t shift = lines[row].find("Café") != std::string::npos ? 1 : 0;
        auto starts = columnStarts(lines[row]);
        REQUIRE(starts.size() == header.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
            CHECK(starts[c] == header[c] + (c >= 2 ? shift : 0));
        }
    }
    // The cells themselves, whole: "Signpost kiosk, Demo venue" never runs into its venue.
    CHECK(table.out.find("Signpost kiosk, Demo venue  ") != std::string::npos);
    CHECK(table.out.find("Harpurhey Library") != std::string::npos);
    CHECK(table.out.find(" -  ") != std::string::npos);  // never seen yet

    const CliResult json =
        runBinary(dir.path(), {"admin", "devices", "list", "--json", "--config", config.string()});
    INFO(json.err);
    REQUIRE(json.status.success());
    const auto parsed = nlohmann::json::parse(json.out);
    REQUIRE(parsed.at("devices").size() == 2);
    for (const auto& device : parsed.at("devices")) {
        CHECK(device.at("state") == "active");
        CHECK(device.at("last_seen_at").is_null());
        CHECK(device.at("revoked_at").is_null());
        CHECK(device.at("enrolled_at").is_string());
        if (device.at("id") == longOne) {
            CHECK(device.at("name") == "Signpost kiosk, Demo venue");
            CHECK(device.at("venue") == "Harpurhey Library");
        } else {
            CHECK(device.at("id") == accented);
            CHECK(device.at("name") == "Café kiosk");
        }
    }
}

TEST_CASE("issue 13: the admin tables keep one row per line and say '-' for nothing",
          "[server_operations]") {
    const std::string table =
        server::formatTable({"A", "BB"}, {{"x\ny", ""}, {"żółw", "long cell"}});
    const auto lines = linesOf(table);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "A     BB");
    CHECK(lines[1] == "x y   -");
    CHECK(lines[2] == "żółw  long cell");
}

TEST_CASE("issue 13: restore is refused while a server serves from the database",
          "[server_operations]") {
    test::TempDir dir("ops-restore-running");
    const auto backup = dir / "backup.db";
    std::set<std::string> idsBefore;
    {
        TestServer server("ops-restore-source");
        const auto config = writeConfig(server.dir(), server.dir() / "data");
        test::TestKiosk kiosk = server.enroll();
        server.push(kiosk, {kiosk.submission()});
        REQUIRE(runInProcess({"backup", "--to", backup.string(), "--config", config.string()})
                    .status.success());
    }
    // The data and config outlive the server (the server's own temp dir goes with it).
    test::TempDir place("ops-restore-target-data");
    const auto data = place / "data";
    const auto config = writeConfig(place.path(), data);
    std::optional<TestServer> running;
    running.emplace("ops-restore-target",
                    [&](server::ServerConfig& c) { c.dataDir = data.string(); });
    test::TestKiosk other = running->enroll();
    running->push(other, {other.submission(), other.submission()});

    const CliResult refused =
        runInProcess({"restore", "--from", backup.string(), "--config", config.string()});
    CHECK(refused.status.exitedWith(server::exit_code::kFailed));
    CHECK(refused.err.find("is in use by another signpost-server process (pid " +
                           std::to_string(::getpid()) + ")") != std::string::npos);
    CHECK(refused.err.find("stop the server first (systemctl stop signpost-server)") !=
          std::string::npos);
    // Nothing was restored: the running server still has its own two submissions.
    CHECK(running->store().stats().submissionsStored == 2);

    // A second server on the same database is refused too (the lock is the server's own).
    server::ServerConfig second = test::testServerConfig(place.path());
    CHECK_THROWS_AS(server::ServerRuntime(second), server::DatabaseInUse);

    running.reset();  // systemctl stop
    const CliResult restored =
        runInProcess({"restore", "--from", backup.string(), "--config", config.string()});
    INFO(restored.err);
    CHECK(restored.status.success());
    CHECK(restored.out.find("1 submissions, 1 devices, integrity ok") != std::string::npos);
}

TEST_CASE("issue 13: the lock outlives no holder", "[server_operations]") {
    test::TempDir dir("ops-lock");
    const auto database = dir / "signpost-server.db";
    {
        server::ServeLock held = server::ServeLock::acquire(database);
        CHECK_THROWS_AS(server::ServeLock::acquire(database), server::DatabaseInUse);
        server::ServeLock moved = std::move(held);
        CHECK_THROWS_AS(server::ServeLock::acquire(database), server::DatabaseInUse);
    }
    // Released with its holder; the file stays and blocks nothing.
    CHECK(std::filesystem::exists(server::ServeLock::lockFileFor(database)));
    CHECK_NOTHROW(server::ServeLock::acquire(database));
    // A holder killed outright (SIGKILL) releases it too: the kernel drops an flock at exit.
    test::ProcessOptions holder;
    holder.program = test::builtProgram("signpost-server");
    test::writeText(dir / "server.toml",
                    "[server]\nlisten_address = \"127.0.0.1\"\nport = 0\n"
                    "[storage]\ndata_dir = \"" +
                        dir.path().string() + "\"\n");
    holder.args = {"serve", "--config", (dir / "server.toml").string()};
    holder.stderrFile = dir / "serve.log";
    auto child = test::ChildProcess::spawn(holder);
    REQUIRE(test::waitUntil(
        [&] { return test::readText(dir / "serve.log").find("listening on") != std::string::npos; },
        30s));
    CHECK_THROWS_AS(server::ServeLock::acquire(database), server::DatabaseInUse);
    REQUIRE(child.sendSignal(SIGKILL));
    child.waitFor(10s);
    CHECK_NOTHROW(server::ServeLock::acquire(database));
}

TEST_CASE("issue 13: every backup is recorded, and /metrics shows the last one",
          "[server_operations]") {
    TestServer server("ops-backup-metrics");
    const auto data = server.dir() / "data";
    const auto config = writeConfig(server.dir(), data);
    const auto statusFile = server::backupStatusFile(data / "signpost-server.db");
    auto metric = [&](const std::string& name) -> std::string {
        auto response = server.client().Get("/metrics");
        REQUIRE(response);
        const auto at = response->body.find("\n" + name + " ");
        if (at == std::string::npos) {
            return "absent";
        }
        const auto start = at + name.size() + 2;
        return response->body.substr(start, response->body.find('\n', start) - start);
    };
    // Never backed up: 0, so "time() - last backup > 2 days" fires.
    CHECK(metric("signpost_last_backup_timestamp_seconds") == "0");
    CHECK(metric("signpost_backup_last_attempt_succeeded") == "0");

    const auto before = std::chrono::system_clock::now();
    const auto good = server.dir() / "nightly.db";
    const CliResult backup =
        runInProcess({"backup", "--to", good.string(), "--config", config.string()});
    INFO(backup.err);
    REQUIRE(backup.status.success());
    const server::BackupStatus status = server::readBackupStatus(statusFile);
    REQUIRE(status.lastSuccess);
    CHECK(status.lastSuccess->file == good.string());
    CHECK(status.lastSuccess->bytes == std::filesystem::file_size(good));
    CHECK(status.lastSuccess->unixTime >= unixSeconds(before) - 1);
    CHECK(status.successes == 1);
    CHECK(status.failures == 0);
    const std::string when = metric("signpost_last_backup_timestamp_seconds");
    CHECK(when == std::to_string(status.lastSuccess->unixTime));
    CHECK(metric("signpost_backups_total") == "1");
    CHECK(metric("signpost_backup_failures_total") == "0");
    CHECK(metric("signpost_backup_last_attempt_succeeded") == "1");
    CHECK(metric("signpost_last_backup_size_bytes") == std::to_string(status.lastSuccess->bytes));
    {
        auto response = server.client().Get("/metrics");
        REQUIRE(response);
        CHECK(response->body.find("# TYPE signpost_backup_failures_total counter") !=
              std::string::npos);
        CHECK(response->body.find("# TYPE signpost_last_backup_timestamp_seconds gauge") !=
              std::string::npos);
    }

    // A failure (the target folder is missing): recorded, the last success kept.
    const CliResult failed =
        runInProcess({"backup", "--to", (server.dir() / "missing" / "x.db").string(), "--config",
                      config.string()});
    CHECK(failed.status.exitedWith(server::exit_code::kFailed));
    const server::BackupStatus after = server::readBackupStatus(statusFile);
    REQUIRE(after.lastFailure);
    CHECK(after.lastFailure->error.find("does not exist") != std::string::npos);
    CHECK(after.failures == 1);
    CHECK(after.lastSuccess->unixTime == status.lastSuccess->unixTime);
    CHECK(metric("signpost_backup_failures_total") == "1");
    CHECK(metric("signpost_backup_last_attempt_succeeded") == "0");
    CHECK(metric("signpost_last_backup_timestamp_seconds") == when);
    CHECK(test::fileMode(statusFile) == 0600);

    // A damaged status file neither breaks /metrics nor stops the next record.
    test::writeText(statusFile, "{not json");
    CHECK(metric("signpost_backups_total") == "0");
    REQUIRE(runInProcess({"backup", "--to", good.string(), "--config", config.string()})
                .status.success());
    CHECK(server::readBackupStatus(statusFile).successes == 1);
}

TEST_CASE("issue 13: run by root, admin, backup and restore act as the data directory's owner",
          "[server_operations]") {
    const auto owner = nobody();
    if (::geteuid() != 0 || !owner) {
        WARN(
            "not root (or no user nobody): the switch to the data directory's owner is not tested");
        return;
    }
    // In /tmp: `nobody` must reach the data directory, and a fresh machine's clone (and so the
    // build tree) is in root's home, which only root may enter (installer/fresh-check.sh).
    test::TempDir dir("signpost-ops-root", std::filesystem::temp_directory_path());
    ::chmod(dir.path().c_str(), 0755);
    const auto data = dir / "data";
    std::filesystem::create_directories(data);
    REQUIRE(::chown(data.c_str(), owner->uid, owner->gid) == 0);
    ::chmod(data.c_str(), 0700);
    const auto config = writeConfig(dir.path(), data);
    // Root's own files, in a folder only root can enter (root's home): the import and the
    // backup copy must be read before the switch.
    const auto rootOnly = dir / "root-home";
    std::filesystem::create_directories(rootOnly);
    ::chmod(rootOnly.c_str(), 0700);
    const auto directory = rootOnly / "directory.json";
    test::writeText(directory, test::sampleDirectoryJson(5).dump());
    ::chmod(directory.c_str(), 0600);

    SECTION("devices list and import-directory") {
        const CliResult list =
            runBinary(dir.path(), {"admin", "devices", "list", "--config", config.string()});
        INFO(list.err);
        CHECK(list.status.success());
        const CliResult imported = runBinary(
            dir.path(),
            {"admin", "import-directory", directory.string(), "--config", config.string()});
        INFO(imported.err);
        CHECK(imported.status.success());
        CHECK(imported.out.find("directory version 1 published: 5 added") != std::string::npos);
        const CliResult token =
            runBinary(dir.path(), {"admin", "coordinator-token", "create", "--name", "Central team",
                                   "--config", config.string()});
        CHECK(token.status.success());
        CHECK(notOwnedBy(data, owner->uid).empty());
    }
    SECTION("backup into a folder the owner cannot write: the one command that fixes it") {
        REQUIRE(runBinary(dir.path(), {"admin", "devices", "list", "--config", config.string()})
                    .status.success());
        const CliResult backup = runBinary(
            dir.path(),
            {"backup", "--to", (rootOnly / "b.db").string(), "--config", config.string()});
        CHECK(backup.status.exitedWith(server::exit_code::kFailed));
        CHECK(backup.err.find("not writable") != std::string::npos);
        CHECK(backup.err.find("install -d -o signpost-server") != std::string::npos);
        CHECK(notOwnedBy(data, owner->uid).empty());
    }
    SECTION("restore from a copy only root can read, as `cp` as root makes one") {
        REQUIRE(runBinary(dir.path(), {"admin", "import-directory", directory.string(), "--config",
                                       config.string()})
                    .status.success());
        const auto backups = dir / "backups";
        std::filesystem::create_directories(backups);
        REQUIRE(::chown(backups.c_str(), owner->uid, owner->gid) == 0);
        const CliResult backup =
            runBinary(dir.path(),
                      {"backup", "--to", (backups / "b.db").string(), "--config", config.string()});
        INFO(backup.err);
        REQUIRE(backup.status.success());
        const auto copy = rootOnly / "copy.db";
        std::filesystem::copy_file(backups / "b.db", copy);
        REQUIRE(::chown(copy.c_str(), 0, 0) == 0);
        ::chmod(copy.c_str(), 0600);
        // A new machine: the data directory as a fresh install leaves it.
        for (const auto& entry : std::filesystem::directory_iterator(data)) {
            std::filesystem::remove_all(entry.path());
        }
        const CliResult restored = runBinary(
            dir.path(), {"restore", "--from", copy.string(), "--config", config.string()});
        INFO(restored.err);
        CHECK(restored.status.success());
        CHECK(restored.out.find("from " + copy.string()) != std::string::npos);
        CHECK(notOwnedBy(data, owner->uid).empty());
        for (const auto& entry : std::filesystem::directory_iterator(data)) {
            CHECK(entry.path().filename().string().find(".restore-") == std::string::npos);
        }
        // The restored directory is the backup's: the import is there.
        const CliResult again = runBinary(
            dir.path(),
            {"admin", "import-directory", directory.string(), "--config", config.string()});
        CHECK(again.out.find("no changes: the directory is still version 1") != std::string::npos);
        // A damaged copy is named by the user's path, not the staged one.
        test::writeText(copy, std::string(8192, 'x'));
        const CliResult damaged = runBinary(
            dir.path(), {"restore", "--from", copy.string(), "--config", config.string()});
        CHECK(damaged.status.exitedWith(server::exit_code::kFailed));
        CHECK(damaged.err.find(".restore-") == std::string::npos);
    }
}
