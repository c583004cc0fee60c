#include "core/common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace signpost {

FileError::FileError(const std::filesystem::path& path, const std::string& what, int errnoValue)
    : std::runtime_error(
          path.string() + ": " + what +
          (errnoValue != 0 ? std::string(" (") + std::strerror(errnoValue) + ")" : std::string())),
      m_path(path),
      m_errno(errnoValue) {}

namespace {

class FdCloser {
public:
    explicit FdCloser(int fd) : m_fd(fd) {}
    ~FdCloser() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    int release() {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

std::string temporaryNameFor(const std::filesystem::path& path) {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    std::ostringstream name;
    name << '.' << path.filename().string() << ".tmp-" << ::getpid() << '-' << std::hex
         << generator();
    return name.str();
}

}  // namespace

void syncDirectory(const std::filesystem::path& directory) {
    int fd =
        ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        throw FileError(directory, "cannot open directory to sync it", errno);
    }
    FdCloser closer(fd);
    if (::fsync(fd) != 0 && errno != EINVAL) {  // some filesystems refuse fsync on directories
        throw FileError(directory, "cannot sync directory", errno);
    }
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         unsigned mode) {
    const std::filesystem::path directory =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const std::filesystem::path temporary = directory / temporaryNameFor(path);

    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    static_cast<mode_t>(mode));
    if (fd < 0) {
        throw FileError(path, "cannot create temporary file", errno);
    }
    FdCloser closer(fd);
    auto fail = [&](const char* what) {
        int saved = errno;
        ::unlink(temporary.c_str());
        throw FileError(path, what, saved);
    };
    // The umask may have narrowed the mode; secrets must get exactly what was asked.
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
        fail("cannot set permissions");
    }
    std::size_t written = 0;
    while (written < contents.size()) {
        ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        fail("cannot sync");
    }
    if (::close(closer.release()) != 0) {
        fail("cannot close");
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        fail("cannot replace");
    }
    syncDirectory(directory);
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw FileError(path, "cannot open for reading", errno);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        throw FileError(path, "cannot read", errno);
    }
    return buffer.str();
}

}  // namespace signpost
