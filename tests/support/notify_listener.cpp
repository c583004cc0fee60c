#include "support/notify_listener.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "support/process.h"

namespace signpost::test {

bool NotifyListener::Message::has(std::string_view assignment) const {
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        if (rest.substr(0, newline) == assignment) {
            return true;
        }
        rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    }
    return false;
}

NotifyListener::NotifyListener(std::string address) : m_address(std::move(address)) {
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    const bool abstract = !m_address.empty() && m_address[0] == '@';
    if (m_address.size() < 2 || m_address.size() >= sizeof local.sun_path ||
        (!abstract && m_address[0] != '/')) {
        throw ProcessError("NotifyListener: unusable address: " + m_address);
    }
    std::memcpy(local.sun_path, m_address.data(), m_address.size());
    if (abstract) {
        local.sun_path[0] = '\0';
    } else {
        ::unlink(m_address.c_str());
    }
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + m_address.size() +
                                               (abstract ? 0 : 1));
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        throw ProcessError(std::string("NotifyListener: socket: ") + std::strerror(errno));
    }
    const int on = 1;
    if (::setsockopt(m_fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0 ||
        ::bind(m_fd, reinterpret_cast<const sockaddr*>(&local), length) != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        throw ProcessError("NotifyListener: bind " + m_address + ": " + std::strerror(error));
    }
}

NotifyListener::~NotifyListener() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_address.empty() && m_address[0] == '/') {
        ::unlink(m_address.c_str());
    }
}

std::optional<NotifyListener::Message> NotifyListener::receive(std::chrono::milliseconds timeout) {
    pollfd entry{m_fd, POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const int ready = ::poll(&entry, 1, static_cast<int>(std::max<long long>(0, left.count())));
        if (ready > 0) {
            break;
        }
        if (ready == 0 || (ready < 0 && errno != EINTR)) {
            return std::nullopt;
        }
    }
    char buffer[4096];
    iovec io{buffer, sizeof buffer};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    msghdr header{};
    header.msg_iov = &io;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof control;
    const ssize_t got = ::recvmsg(m_fd, &header, MSG_DONTWAIT);
    const auto receivedAt = std::chrono::steady_clock::now();
    if (got < 0) {
        return std::nullopt;
    }
    Message message;
    message.text.assign(buffer, static_cast<std::size_t>(got));
    message.receivedAt = receivedAt;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            ucred credentials{};
            std::memcpy(&credentials, CMSG_DATA(c), sizeof credentials);
            message.senderPid = credentials.pid;
        }
    }
    m_history.push_back(message);
    return message;
}

std::optional<NotifyListener::Message> NotifyListener::waitFor(std::string_view assignment,
                                                               std::chrono::milliseconds timeout,
                                                               pid_t pid) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) {
            return std::nullopt;
        }
        auto message = receive(left);
        if (!message) {
            return std::nullopt;
        }
        if (message->has(assignment) && (pid == 0 || message->senderPid == pid)) {
            return message;
        }
    }
}

std::size_t NotifyListener::drain() {
    std::size_t count = 0;
    while (receive(std::chrono::milliseconds(0))) {
        ++count;
    }
    return count;
}

}  // namespace signpost::test
