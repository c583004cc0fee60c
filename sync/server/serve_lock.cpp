#include "sync/server/serve_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>

#include "core/common/atomic_file.h"

namespace signpost::server {

namespace {

std::optional<pid_t> readHolder(int fd) {
    char buffer[32] = {};
    const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (got <= 0) {
        return std::nullopt;
    }
    pid_t pid = 0;
    const auto [end, error] = std::from_chars(buffer, buffer + got, pid);
    if (error != std::errc() || pid <= 0 || (end != buffer + got && *end != '\n')) {
        return std::nullopt;
    }
    return pid;
}

}  // namespace

std::filesystem::path ServeLock::lockFileFor(const std::filesystem::path& database) {
    return database.string() + ".serve-lock";
}

ServeLock ServeLock::acquire(const std::filesystem::path& database) {
    const std::filesystem::path file = lockFileFor(database);
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw FileError(file, "cannot open the lock file", errno);
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const auto holder = readHolder(fd);
        ::close(fd);
        if (error != EWOULDBLOCK) {
            throw FileError(file, "cannot lock", error);
        }
        throw DatabaseInUse("the database " + database.string() +
                                " is in use by another signpost-server process" +
                                (holder ? " (pid " + std::to_string(*holder) + ")" : std::string()),
                            holder);
    }
    // Ours now: say who holds it. A failure here only loses the pid in someone's message.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return ServeLock(fd);
}

ServeLock::ServeLock(ServeLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

ServeLock& ServeLock::operator=(ServeLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

ServeLock::~ServeLock() {
    if (m_fd >= 0) {
        // Closing the only descriptor of this file description releases the flock.
        ::close(m_fd);
    }
}

}  // namespace signpost::server
