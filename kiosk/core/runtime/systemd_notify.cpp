#include "core/runtime/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/common/log.h"

namespace signpost {
namespace {

// Fills `address` for a path or '@'-abstract name; returns the length to pass to sendto(), or 0
// when the text is not an address we can use.
socklen_t makeAddress(const std::string& text, sockaddr_un& address) {
    std::memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (text.size() < 2 || (text[0] != '/' && text[0] != '@')) {
        return 0;
    }
    // A path needs room for its terminating NUL; an abstract name is length-delimited.
    const std::size_t limit = sizeof address.sun_path - (text[0] == '/' ? 1 : 0);
    if (text.size() > limit) {
        return 0;
    }
    std::memcpy(address.sun_path, text.data(), text.size());
    if (text[0] == '@') {
        address.sun_path[0] = '\0';
    }
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + text.size() +
                                  (text[0] == '/' ? 1 : 0));
}

}  // namespace

SystemdNotifier::SystemdNotifier(std::string socketAddress,
                                 std::optional<std::chrono::microseconds> watchdogInterval)
    : m_address(std::move(socketAddress)) {
    if (watchdogInterval && watchdogInterval->count() > 0) {
        m_watchdog = watchdogInterval;
    }
    if (m_address.empty()) {
        return;
    }
    sockaddr_un probe{};
    if (makeAddress(m_address, probe) == 0) {
        logWarning("systemd",
                   "NOTIFY_SOCKET is not a path or abstract socket; notifications are off");
        m_address.clear();
    }
}

SystemdNotifier SystemdNotifier::fromEnvironment() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    // libsystemd reads $WATCHDOG_USEC and $WATCHDOG_PID: a watchdog set up for another process
    // (a parent that spawned us) is not ours to feed, and a malformed value means none.
    std::uint64_t usec = 0;
    std::optional<std::chrono::microseconds> watchdog;
    if (::sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        watchdog = std::chrono::microseconds(static_cast<std::chrono::microseconds::rep>(usec));
    }
    return SystemdNotifier(socket != nullptr ? socket : "", watchdog);
}

SystemdNotifier::~SystemdNotifier() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

SystemdNotifier::SystemdNotifier(SystemdNotifier&& other) noexcept
    : m_address(std::move(other.m_address)),
      m_watchdog(other.m_watchdog),
      m_lastPing(other.m_lastPing),
      m_fd(std::exchange(other.m_fd, -1)),
      m_warned(other.m_warned) {
    other.m_address.clear();
}

SystemdNotifier& SystemdNotifier::operator=(SystemdNotifier&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_address = std::move(other.m_address);
        other.m_address.clear();
        m_watchdog = other.m_watchdog;
        m_lastPing = other.m_lastPing;
        m_fd = std::exchange(other.m_fd, -1);
        m_warned = other.m_warned;
    }
    return *this;
}

bool SystemdNotifier::ensureSocket() {
    if (m_fd >= 0) {
        return true;
    }
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return m_fd >= 0;
}

bool SystemdNotifier::notify(std::string_view state) {
    if (!enabled() || state.empty()) {
        return false;
    }
    sockaddr_un address{};
    const socklen_t length = makeAddress(m_address, address);
    bool sent = false;
    int error = 0;
    if (ensureSocket()) {
        // Unconnected sendto: if the manager re-creates its socket, the next datagram still
        // reaches it. MSG_NOSIGNAL: never die of SIGPIPE over a notification. MSG_DONTWAIT: a
        // listener that stops reading fills its queue (only 10 datagrams by default); the frame
        // loop must never block on that, so the notification is dropped instead.
        const ssize_t written =
            ::sendto(m_fd, state.data(), state.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                     reinterpret_cast<const sockaddr*>(&address), length);
        sent = written == static_cast<ssize_t>(state.size());
        error = sent ? 0 : errno;
    } else {
        error = errno;
    }
    if (!sent && !m_warned) {
        m_warned = true;
        logWarning("systemd", std::string("cannot send to NOTIFY_SOCKET: ") + std::strerror(error));
    }
    return sent;
}

bool SystemdNotifier::notifyStatus(std::string_view text) {
    std::string message = "STATUS=";
    for (char c : text) {
        message.push_back(c == '\n' || c == '\r' ? ' ' : c);
    }
    return notify(message);
}

bool SystemdNotifier::pingWatchdog(Clock::time_point now) {
    if (!m_watchdog) {
        return false;
    }
    if (m_lastPing && now - *m_lastPing < *m_watchdog / 2) {
        return false;
    }
    // Counted as a ping even if the send failed, so a broken socket is not retried every frame.
    m_lastPing = now;
    return notify("WATCHDOG=1");
}

std::optional<SystemdNotifier::Clock::time_point> SystemdNotifier::nextWatchdogPing()
    const noexcept {
    if (!m_watchdog) {
        return std::nullopt;
    }
    if (!m_lastPing) {
        return Clock::time_point{};  // due now (the clock's epoch is always in the past)
    }
    return *m_lastPing + std::chrono::duration_cast<Clock::duration>(*m_watchdog / 2);
}

}  // namespace signpost
