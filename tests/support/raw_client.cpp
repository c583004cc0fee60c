#include "support/raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace signpost::test {

namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != lower(prefix[i])) {
            return false;
        }
    }
    return true;
}

// Where the final (non-100) response starts in `text`.
std::size_t finalResponseStart(const std::string& text) {
    std::size_t at = 0;
    while (text.compare(at, 12, "HTTP/1.1 100") == 0) {
        const auto end = text.find("\r\n\r\n", at);
        if (end == std::string::npos) {
            return at;
        }
        at = end + 4;
    }
    return at;
}

}  // namespace

RawConnection RawConnection::open(int port, const std::string& source,
                                  std::chrono::milliseconds sendTimeout) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    RawConnection connection(fd);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        throw std::runtime_error("cannot bind the client to " + source + ": " +
                                 std::strerror(errno));
    }
    timeval timeout{};
    timeout.tv_sec = static_cast<long>(sendTimeout.count() / 1000);
    timeout.tv_usec = static_cast<long>((sendTimeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<std::uint16_t>(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
        throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    }
    return connection;
}

RawConnection::~RawConnection() {
    close();
}

RawConnection::RawConnection(RawConnection&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
    if (this != &other) {
        close();
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

void RawConnection::close() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool RawConnection::readable(std::chrono::milliseconds wait) const {
    pollfd p{m_fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
}

std::string RawConnection::readResponse(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string text;
    char buffer[8192];
    while (true) {
        const std::size_t start = finalResponseStart(text);
        const auto headEnd = text.find("\r\n\r\n", start);
        if (headEnd != std::string::npos) {
            const std::string length = responseHeader(text.substr(start), "Content-Length");
            const std::size_t want =
                length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
            if (text.size() >= headEnd + 4 + want) {
                return text;
            }
        }
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
            return text;
        }
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return text;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

bool RawConnection::closedWithin(std::chrono::milliseconds timeout, std::string* received) {
    const auto deadline = Clock::now() + timeout;
    char buffer[8192];
    while (true) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
            return false;
        }
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return true;
        }
        if (received != nullptr) {
            received->append(buffer, static_cast<std::size_t>(n));
        }
    }
}

std::string RawConnection::readUntilQuiet(std::chrono::milliseconds quiet) {
    std::string received;
    char buffer[8192];
    pollfd p{m_fd, POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(quiet.count())) > 0) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break;
        }
        received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
}

std::string rawExchange(int port, std::string_view request, std::chrono::milliseconds quiet) {
    RawConnection connection = RawConnection::open(port);
    connection.send(request);  // a server that closes early is what some callers check for
    return connection.readUntilQuiet(quiet);
}

int responseStatus(const std::string& response) {
    const std::size_t at = finalResponseStart(response);
    if (response.compare(at, 7, "HTTP/1.") != 0 || response.size() < at + 12) {
        return -1;
    }
    return std::atoi(response.substr(at + 9, 3).c_str());
}

std::string responseHeader(const std::string& response, std::string_view name) {
    const std::size_t start = finalResponseStart(response);
    const std::size_t headEnd = response.find("\r\n\r\n", start);
    std::size_t line = response.find("\r\n", start);
    while (line != std::string::npos && line < headEnd) {
        line += 2;
        const std::string_view rest(response.data() + line, response.size() - line);
        if (startsWithIgnoreCase(rest, name) && rest.size() > name.size() &&
            rest[name.size()] == ':') {
            const auto end = response.find("\r\n", line);
            std::string value =
                response.substr(line + name.size() + 1, end - line - name.size() - 1);
            while (!value.empty() && value.front() == ' ') {
                value.erase(value.begin());
            }
            return value;
        }
        line = response.find("\r\n", line);
    }
    return "";
}

long residentKb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

}  // namespace signpost::test
