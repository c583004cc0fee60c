// Signpost server — what the backups did, for /metrics and for whoever looks.
//
// Every `signpost-server backup` (from signpost-server-backup.timer, cron or by hand) records its
// outcome in "backup-status.json" beside the database: the last success (when, which file, its
// size), the last failure (when, which file, the error) and running totals of both. The file is
// small, written atomically (mode 0600) by the server's own user. The running server reads it
// each time /metrics is scraped, so a backup made by a separate process shows up at once without
// the server being told: signpost_last_backup_timestamp_seconds and friends (api_metrics.cpp).
//
//   {"last_success": {"unix": 1795000000, "time": "2026-11-24T02:15:04Z",
//                     "file": "/var/backups/signpost/signpost-server-Tue.db", "bytes": 81920},
//    "last_failure": {"unix": ..., "time": ..., "file": ..., "error": "..."},
//    "successes": 12, "failures": 1, "last_attempt": "success"}
//
// The error text is the program's own message (paths and SQLite's words), never data.
// Two backups finishing in the same instant may lose one increment of a total; the last-success
// and last-failure times are always those of a backup that really finished.
//
// Thread-safety: free functions; each reads or replaces the whole file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/common/time_util.h"

namespace signpost::server {

struct BackupStatus {
    struct Outcome {
        std::int64_t unixTime = 0;  // seconds since the epoch, UTC
        std::string file;           // the backup file it was (or would have been) written to
        std::uintmax_t bytes = 0;   // success only: the copy's size
        std::string error;          // failure only: the message the command printed
    };
    std::optional<Outcome> lastSuccess;
    std::optional<Outcome> lastFailure;
    std::uint64_t successes = 0;
    std::uint64_t failures = 0;
    // Whether the most recent backup recorded succeeded (false with none recorded). Kept as its
    // own field: a failure and a success can fall in the same second.
    bool lastAttemptSucceeded = false;
};

// "backup-status.json" in the directory of `database`.
std::filesystem::path backupStatusFile(const std::filesystem::path& database);

// Reads the status file. A missing file is an empty status (no backup recorded yet).
// Throws FileError (unreadable) or std::runtime_error (not a status file).
BackupStatus readBackupStatus(const std::filesystem::path& statusFile);

// Adds one outcome to the status file (read, update, atomic rewrite). A status file that cannot
// be read is started afresh rather than blocking the record. Throws FileError when it cannot be
// written.
void recordBackupSuccess(const std::filesystem::path& statusFile, SystemTime when,
                         const std::filesystem::path& backupFile, std::uintmax_t bytes);
void recordBackupFailure(const std::filesystem::path& statusFile, SystemTime when,
                         const std::filesystem::path& backupFile, const std::string& error);

}  // namespace signpost::server
