// Signpost test helpers — the service manager's side of sd_notify, for tests and benchmarks.
//
// NotifyListener binds the datagram socket a program under test finds in $NOTIFY_SOCKET and
// receives what it sends ("READY=1", "WATCHDOG=1", ...), with the sender's pid (SCM_CREDENTIALS)
// and the moment each datagram was read. The window benchmark times start-up to "READY=1" with it.
//
// Thread-safety: one thread at a time. Throws ProcessError (support/process.h) if the socket
// cannot be made; receiving reports timeouts as nullopt.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::test {

class NotifyListener {
public:
    struct Message {
        std::string text;     // the whole datagram
        pid_t senderPid = 0;  // 0 if the kernel sent no credentials
        std::chrono::steady_clock::time_point receivedAt;
        bool has(std::string_view assignment) const;  // one of its lines equals `assignment`
    };

    // `address` as it will appear in $NOTIFY_SOCKET: a file path (a stale socket file there is
    // replaced) or "@name" for an abstract socket.
    explicit NotifyListener(std::string address);
    ~NotifyListener();  // closes the socket and removes the socket file
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    const std::string& address() const noexcept { return m_address; }

    // The next datagram, waiting up to `timeout`; nullopt on timeout.
    std::optional<Message> receive(std::chrono::milliseconds timeout);
    // Waits for a datagram with `assignment` as one of its lines (from `pid` if non-zero);
    // datagrams read on the way are kept in history().
    std::optional<Message> waitFor(std::string_view assignment, std::chrono::milliseconds timeout,
                                   pid_t pid = 0);
    // Every datagram received so far, oldest first.
    const std::vector<Message>& history() const noexcept { return m_history; }
    // Reads whatever is queued now without waiting; returns how many were read.
    std::size_t drain();

private:
    std::string m_address;
    int m_fd = -1;
    std::vector<Message> m_history;
};

}  // namespace signpost::test
