// `signpost-server restore --from FILE`: replaces the database with a checked backup (backup.h);
// run by root, a backup only root can read is staged into the data directory first.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <ostream>

#include "core/common/atomic_file.h"
#include "sync/server/backup.h"
#include "sync/server/run_as_owner.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

const char* const kRestoreUsage =
    "usage: signpost-server restore --from FILE [--config FILE]\n"
    "\n"
    "Replaces the server's database with the backup FILE, after checking it is an intact\n"
    "Signpost server database no newer than this program. Everything stored after the backup\n"
    "was taken is lost. Refused while a server serves from the database: stop it first\n"
    "(systemctl stop signpost-server), restore, then start it again. Run by root, FILE is\n"
    "read as root (a copy only root can read is fine) and the rest runs as the data\n"
    "directory's owner.\n";

namespace {

// A copy of `from`, readable by `owner`, in the data directory: a backup only root can read (a
// `cp` as root makes one) is read here, before the process becomes the owner.
class StagedBackup {
public:
    StagedBackup(const std::filesystem::path& from, const std::filesystem::path& dataDir,
                 const DataOwner& owner)
        : m_path(dataDir / (".restore-" + std::to_string(::getpid()) + ".db")) {
        std::filesystem::copy_file(from, m_path, std::filesystem::copy_options::overwrite_existing);
        if (::chmod(m_path.c_str(), 0600) != 0 ||
            ::chown(m_path.c_str(), owner.uid, owner.gid) != 0) {
            const int error = errno;
            remove();
            throw FileError(m_path, "cannot hand the copy of the backup to " + owner.name, error);
        }
    }
    ~StagedBackup() { remove(); }
    StagedBackup(const StagedBackup&) = delete;
    StagedBackup& operator=(const StagedBackup&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    void remove() noexcept {
        std::error_code ignored;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
            std::filesystem::remove(m_path.string() + suffix, ignored);
        }
    }
    std::filesystem::path m_path;
};

}  // namespace

int runRestore(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
               std::ostream& err) {
    const std::string from =
        args.requiredOption("--from", "--from FILE is required", kRestoreUsage);
    ServerConfig config = loadConfig(configFile, err);
    const auto database = config.databasePath();
    std::optional<StagedBackup> staged;
    std::error_code ignored;
    if (const auto owner = dataOwnerToBecome(database.parent_path());
        owner && std::filesystem::is_regular_file(from, ignored)) {
        staged.emplace(from, database.parent_path(), *owner);
    }
    actAsDataOwnerOf(config);
    const DatabaseCopySummary summary =
        restoreDatabase(staged ? staged->path() : std::filesystem::path(from), database, from);
    out << "restored " << database.string() << " from " << from << ": " << summary.submissions
        << " submissions, " << summary.devices << " devices, integrity ok\n"
        << "new generation " << summary.generation
        << ": kiosks re-send the referrals this backup lacks (those still within their "
           "sent_grace), and the next `signpost pull` reads again from the start, writing only "
           "referrals it has not written before\n";
    return exit_code::kOk;
}

}  // namespace signpost::server
