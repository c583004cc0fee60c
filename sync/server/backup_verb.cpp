// `signpost-server backup --to FILE`: an online, checked copy of the database (backup.h), and its
// outcome recorded beside the database for /metrics (backup_status.h).
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <ostream>

#include "core/common/atomic_file.h"
#include "sync/server/backup.h"
#include "sync/server/backup_status.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

const char* const kBackupUsage =
    "usage: signpost-server backup --to FILE [--config FILE]\n"
    "\n"
    "Copies the server's database to FILE while the server keeps running (SQLite's online\n"
    "backup: one consistent snapshot; kiosks are not held up). The copy is checked with\n"
    "integrity_check and only then renamed to FILE (mode 0600), replacing an older FILE.\n"
    "It holds sealed referrals and token hashes: keep it as safe as the server. Run by root it\n"
    "acts as the data directory's owner, who must be able to write FILE's directory.\n"
    "Each run is recorded in backup-status.json beside the database, which /metrics reads\n"
    "(signpost_last_backup_timestamp_seconds). Installed, signpost-server-backup.timer runs it\n"
    "daily into /var/backups/signpost.\n";

namespace {

// The directory a backup goes to must be writable by whoever the process is now (after
// actAsDataOwner): say so in one line instead of SQLite's "unable to open database file".
void checkBackupDirectoryWritable(const std::filesystem::path& to) {
    const std::filesystem::path directory = std::filesystem::absolute(to).parent_path();
    std::error_code error;
    if (std::filesystem::is_directory(directory, error) &&
        ::access(directory.c_str(), W_OK | X_OK) != 0) {
        const std::string user = ::geteuid() == 0 ? "root" : "this user";
        throw FileError(directory,
                        "the backup's directory is not writable by " + user +
                            " (the data directory's owner); make it theirs, for example: "
                            "install -d -o signpost-server -g signpost-server -m 0700 " +
                            directory.string(),
                        EACCES);
    }
}

}  // namespace

int runBackup(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
              std::ostream& err) {
    const std::string to = args.requiredOption("--to", "--to FILE is required", kBackupUsage);
    ServerConfig config = loadConfig(configFile, err);
    actAsDataOwnerOf(config);
    const auto statusFile = backupStatusFile(config.databasePath());
    const std::filesystem::path target = std::filesystem::absolute(to);
    DatabaseCopySummary summary;
    try {
        checkBackupDirectoryWritable(target);
        summary = backupDatabase(config.databasePath(), target);
    } catch (const std::exception& error) {
        // Recorded for /metrics (signpost_backup_failures_total), then reported as usual. With
        // no data directory there is no server to tell.
        std::error_code ignored;
        if (std::filesystem::is_directory(statusFile.parent_path(), ignored)) {
            try {
                recordBackupFailure(statusFile, now(), target, error.what());
            } catch (const std::exception& unrecorded) {
                err << "signpost-server: the failure was not recorded in " << statusFile.string()
                    << ": " << unrecorded.what() << "\n";
            }
        }
        throw;
    }
    out << "backup " << target.string() << ": " << summary.bytes << " bytes, "
        << summary.submissions << " submissions, " << summary.devices << " devices, schema "
        << summary.schemaVersion << ", integrity ok, generation " << summary.generation << "\n";
    try {
        recordBackupSuccess(statusFile, now(), target, summary.bytes);
    } catch (const std::exception& unrecorded) {
        // The copy is good; only the record is missing. Fail, so the timer's unit says so.
        err << "signpost-server: the backup is good, but it was not recorded in "
            << statusFile.string() << " (so /metrics does not show it): " << unrecorded.what()
            << "\n";
        return exit_code::kFailed;
    }
    return exit_code::kOk;
}

}  // namespace signpost::server
