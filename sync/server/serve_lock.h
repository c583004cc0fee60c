// Signpost server — the lock that says "a server is serving from this database".
//
// A running server (ServerRuntime) holds an exclusive flock(2) on "<database>.serve-lock" for as
// long as it exists; `signpost-server restore` takes the same lock before it writes, so a restore
// is refused while any server serves from that database (however it was started: systemd, by
// hand, a test), and a server refuses to start while a restore is running. The kernel drops the
// lock when the holder exits, even on SIGKILL or a crash, so a stale lock file never blocks
// anything: the file stays, the lock does not. The holder writes its pid into the file, for the
// message that names it. flock is separate from SQLite's own POSIX locks on the database.
//
// Thread-safety: a ServeLock is one object owned by one thread; acquire() may be called from any
// thread. Two ServeLocks on the same file conflict even inside one process (each opens its own
// file description), which is what lets in-process tests prove the refusal.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

namespace signpost::server {

// Thrown by ServeLock::acquire() when another process (or another ServeLock) holds the lock.
class DatabaseInUse : public std::runtime_error {
public:
    DatabaseInUse(const std::string& message, std::optional<pid_t> holder)
        : std::runtime_error(message), m_holder(holder) {}
    std::optional<pid_t> holder() const noexcept { return m_holder; }  // from the lock file

private:
    std::optional<pid_t> m_holder;
};

class ServeLock {
public:
    // Takes the lock for `database` without waiting and writes this process's pid into the lock
    // file. Creates the file (mode 0600) if needed. Throws DatabaseInUse when it is held (the
    // message names the database and the holder's pid; callers add what to do), or FileError
    // when the lock file cannot be opened.
    static ServeLock acquire(const std::filesystem::path& database);

    // The lock file's path for `database`.
    static std::filesystem::path lockFileFor(const std::filesystem::path& database);

    ServeLock(ServeLock&& other) noexcept;
    ServeLock& operator=(ServeLock&& other) noexcept;
    ServeLock(const ServeLock&) = delete;
    ServeLock& operator=(const ServeLock&) = delete;
    ~ServeLock();  // releases the lock (the file stays)

private:
    explicit ServeLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace signpost::server
