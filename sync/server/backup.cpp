#include "sync/server/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "core/common/atomic_file.h"
#include "core/common/paths.h"
#include "core/storage/database.h"
#include "sync/server/serve_lock.h"
#include "sync/server/sqlite_server_store.h"

namespace signpost::server {

namespace {

// Runs a whole backup in one sqlite3_backup_step(-1): one read transaction on the source, so the
// copy is a single consistent snapshot and is never restarted by the server's writes. A busy or
// locked database (a checkpoint, a restore's target held by a writer) is retried for a while.
void copyDatabase(Database& from, Database& to, const std::string& what) {
    sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (backup == nullptr) {
        throw StorageError(what + ": " + sqlite3_errmsg(to.handle()), sqlite3_errcode(to.handle()),
                           sqlite3_extended_errcode(to.handle()));
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int rc = SQLITE_OK;
    for (;;) {
        rc = sqlite3_backup_step(backup, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
            std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        break;
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        throw StorageError(what + ": " + sqlite3_errstr(rc), rc & 0xFF, rc);
    }
}

bool hasTable(Database& db, const char* table) {
    Statement query = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    query.bind(1, table);
    return query.step();
}

std::int64_t countRows(Database& db, const char* table) {
    if (!hasTable(db, table)) {
        return 0;
    }
    // The table name is one of ours, never input.
    Statement count = db.prepare(std::string("SELECT count(*) FROM ") + table);
    return count.step() ? count.columnInt64(0) : 0;
}

// A database this program can serve from: intact, with our tables, not from a newer version.
void checkServerDatabase(Database& db, const std::string& label) {
    const std::string integrity = db.integrityCheck();
    if (integrity != "ok") {
        throw StorageError(label + " is damaged: " + integrity, SQLITE_CORRUPT, SQLITE_CORRUPT);
    }
    const int version = db.userVersion();
    if (version > SqliteServerStore::kSchemaVersion) {
        throw StorageError(label + " has schema version " + std::to_string(version) +
                               ", newer than this program (" +
                               std::to_string(SqliteServerStore::kSchemaVersion) +
                               "); use a newer signpost-server",
                           SQLITE_ERROR, SQLITE_ERROR);
    }
    if (version < 1 || !hasTable(db, "submissions") || !hasTable(db, "devices")) {
        throw StorageError(label + " is not a Signpost server database", SQLITE_NOTADB,
                           SQLITE_NOTADB);
    }
}

DatabaseCopySummary summarise(Database& db, const std::filesystem::path& file) {
    DatabaseCopySummary summary;
    std::error_code ignored;
    summary.bytes = std::filesystem::file_size(file, ignored);
    summary.submissions = countRows(db, "submissions");
    summary.devices = countRows(db, "devices");
    summary.schemaVersion = db.userVersion();
    return summary;
}

void fsyncFile(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw FileError(file, "cannot open to sync", errno);
    }
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) {
        throw FileError(file, "cannot sync", error);
    }
}

void removeQuietly(const std::filesystem::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        std::filesystem::remove(file.string() + suffix, ignored);
    }
}

}  // namespace

DatabaseCopySummary backupDatabase(const std::filesystem::path& live,
                                   const std::filesystem::path& destination) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(live, error)) {
        throw FileError(live, "no database to back up", ENOENT);
    }
    const std::filesystem::path target = std::filesystem::absolute(destination);
    if (std::filesystem::equivalent(live, target, error)) {
        throw FileError(target, "the backup cannot be the live database itself", EINVAL);
    }
    const std::filesystem::path directory = target.parent_path();
    if (!std::filesystem::is_directory(directory, error)) {
        throw FileError(directory, "the backup's directory does not exist", ENOENT);
    }
    const std::filesystem::path partial =
        directory / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid()));
    removeQuietly(partial);

    DatabaseCopySummary summary;
    try {
        {
            Database source(live.string(), {.create = false});
            Database copy(partial.string());
            copyDatabase(source, copy, "cannot back up " + live.string());
            // The source was in WAL mode and the copy says so in its header: make it a rollback-
            // journal database, one file that can be copied, mailed or restored on its own.
            copy.exec("PRAGMA journal_mode = DELETE");
            checkServerDatabase(copy, "the backup of " + live.string());
            // The copy is a generation of its own (issue 9): put back by hand instead of with
            // restore, it still tells kiosks and pulls that the cursors went back.
            const std::string generation = SqliteServerStore::startNewGeneration(
                copy, "backup", std::chrono::system_clock::now());
            summary = summarise(copy, partial);
            summary.generation = generation;
        }
        if (::chmod(partial.c_str(), 0600) != 0) {
            throw FileError(partial, "cannot set permissions", errno);
        }
        fsyncFile(partial);
        std::filesystem::rename(partial, target);
        syncDirectory(directory);
    } catch (...) {
        removeQuietly(partial);
        throw;
    }
    summary.bytes = std::filesystem::file_size(target, error);
    return summary;
}

DatabaseCopySummary restoreDatabase(const std::filesystem::path& backup,
                                    const std::filesystem::path& live,
                                    const std::filesystem::path& shownAs) {
    const std::filesystem::path& named = shownAs.empty() ? backup : shownAs;
    std::error_code error;
    if (!std::filesystem::is_regular_file(backup, error)) {
        throw FileError(named, "no backup file here", ENOENT);
    }
    // Checked read-only before anything is touched; a damaged or foreign file stops here.
    Database source(backup.string(), {.readOnly = true});
    checkServerDatabase(source, "the backup " + named.string());

    ensurePrivateDirectory(live.parent_path());
    // Refused while a server serves from `live` (it would go on answering from state that no
    // longer matches the database underneath it); held until the copy is done, so no server
    // starts halfway through either.
    const ServeLock lock = [&] {
        try {
            return ServeLock::acquire(live);
        } catch (const DatabaseInUse& inUse) {
            throw DatabaseInUse(std::string(inUse.what()) +
                                    ". Nothing was restored: stop the server first (systemctl "
                                    "stop signpost-server), restore, then start it again",
                                inUse.holder());
        }
    }();
    Database target(live.string());
    target.useDurableWal();
    copyDatabase(source, target, "cannot restore into " + live.string());
    // The copied header says "rollback journal"; the server runs in WAL mode.
    target.useDurableWal();
    // Cursors handed out after the backup was taken will be handed out again: a new generation
    // tells every client so (issue 9).
    const std::string generation =
        SqliteServerStore::startNewGeneration(target, "restore", std::chrono::system_clock::now());
    checkServerDatabase(target, "the restored database " + live.string());
    DatabaseCopySummary summary = summarise(target, live);
    summary.generation = generation;
    summary.bytes = std::filesystem::file_size(backup, error);
    return summary;
}

}  // namespace signpost::server
