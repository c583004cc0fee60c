// Signpost server — back up and restore the database while it is in use.
//
//   signpost-server backup --to FILE        (backup_verb.cpp; this file does the work)
//   signpost-server restore --from FILE
//
// Backup copies the live database with SQLite's online backup API in one step, inside one read
// transaction: in WAL mode that does not stop the server's writers, and the copy is the
// database exactly as it was at one commit (every submission the server answered "stored"
// before the backup began is in it; nothing half-written is). The copy is written beside FILE
// under a temporary name, switched to a rollback journal (one self-contained file), checked with
// PRAGMA integrity_check, fsynced and only then renamed over FILE, mode 0600: a failed backup
// never leaves a partial FILE, and never replaces a good older FILE.
//
// Restore checks the backup (integrity_check, a Signpost server schema no newer than this
// program) and then copies it INTO the live database with the same API, under SQLite's locks,
// so the database file is never swapped beneath an open connection. It is refused while a server
// serves from the database (the server's ServeLock, serve_lock.h): a running server would keep
// answering from its in-memory state (rate limits, the directory cache) that no longer matches.
// Everything written after the backup was taken is replaced by the backup's contents.
//
// Both start a new restore generation (issue 9) in the database they write: cursors handed out
// after the backup was taken are handed out again by the restored database, so pulls meet a new
// generation and read again from its start, and kiosks re-send what the backup lacks.
//
// Thread-safety: free functions; each opens its own connections.
// Throws: StorageError (SQLite failures, a damaged or foreign backup), FileError (paths),
// DatabaseInUse (restore while a server runs).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace signpost::server {

struct DatabaseCopySummary {
    std::uintmax_t bytes = 0;      // size of the file written (backup) or restored from
    std::int64_t submissions = 0;  // rows in submissions
    std::int64_t devices = 0;      // rows in devices
    int schemaVersion = 0;         // PRAGMA user_version of the copy
    std::string generation;        // the generation the copy (backup) or the database (restore)
                                   // now has: always a new one (server_store.h, GenerationRecord)
};

// Copies the database at `live` into `destination` (see above). `live` must exist.
DatabaseCopySummary backupDatabase(const std::filesystem::path& live,
                                   const std::filesystem::path& destination);

// Replaces the contents of the database at `live` (created if missing; its directory too, mode
// 0700) with the backup `backup`, after checking the backup and taking the database's ServeLock.
// On a failed check, or while a server holds the lock, `live` is left untouched.
// `shownAs` names the backup in messages when `backup` is a staged copy of it (restore_verb.cpp
// copies a file only root can read before becoming the server's user).
DatabaseCopySummary restoreDatabase(const std::filesystem::path& backup,
                                    const std::filesystem::path& live,
                                    const std::filesystem::path& shownAs = {});

}  // namespace signpost::server
