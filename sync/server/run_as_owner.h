// Signpost server — commands started by root act as the owner of the data directory.
//
// Installed, the server's data directory belongs to the system user signpost-server (the unit's
// User=) and everything in it must stay that user's: a file root makes there (a new database,
// its -wal or -shm, a lock file) is a file the server cannot open. So when root runs
// `signpost-server admin ...`, `backup` or `restore` and the data directory belongs to another
// user, the process becomes that user — user id, primary group and supplementary groups, for
// good — before it opens anything there. What the command reads from root's side (a directory
// JSON in root's home, a backup copy only root can read) it reads before the switch; what it
// writes outside the data directory (a backup) must be writable by that user.
//
// Not for `serve`: the unit starts it as its user; run by hand it runs as whoever started it.
//
// Thread-safety: call while the process has a single thread (setuid changes every thread's
// credentials, but a thread started earlier could be midway through using root's).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace signpost::server {

struct DataOwner {
    std::string name;  // the passwd name, or the numeric uid when it has none
    uid_t uid = 0;
    gid_t gid = 0;  // the user's primary group (the directory's group when it has no entry)
};

// The user a root process would switch to for `dataDir`: its owner, when the effective user is
// root, `dataDir` exists and its owner is not root. nullopt otherwise (nothing to switch).
std::optional<DataOwner> dataOwnerToBecome(const std::filesystem::path& dataDir);

// Switches the process to dataOwnerToBecome(dataDir), if any, and returns it. Afterwards the
// process cannot become root again (checked). Throws std::system_error when a step fails; the
// process should then exit rather than go on half-switched.
std::optional<DataOwner> becomeDataOwner(const std::filesystem::path& dataDir);

// When the effective user is not root and cannot read, write and enter `dataDir` (an existing
// directory): the one line to say instead of SQLite's "unable to open database file". nullopt
// when it can, or when `dataDir` does not exist yet.
std::optional<std::string> dataDirAccessProblem(const std::filesystem::path& dataDir);

// becomeDataOwner(dataDir), then dataDirAccessProblem(dataDir) as a FileError: what every admin
// verb calls once it has read what it needs from root's side and before it opens the database.
void actAsDataOwner(const std::filesystem::path& dataDir);

}  // namespace signpost::server
