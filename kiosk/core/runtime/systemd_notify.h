// Signpost — telling systemd the kiosk is ready and alive (sd_notify's protocol).
//
// A service started with Type=notify finds the address of the service manager's datagram socket
// in $NOTIFY_SOCKET: a file system path ("/run/systemd/notify") or an abstract socket ("@name",
// the '@' standing for the leading NUL byte). Each notification is one datagram of
// newline-separated KEY=VALUE assignments: "READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=...".
//
// The watchdog: with WatchdogSec= the manager sets $WATCHDOG_USEC (and $WATCHDOG_PID) and
// restarts the service when no "WATCHDOG=1" arrives within that time. Whether a watchdog is ours
// is libsystemd's sd_watchdog_enabled(). Ping only after real work completed (for the kiosk: a
// frame was drawn and swapped), from the thread doing the work, so a hung loop gets no pings and
// is restarted. pingWatchdog() throttles itself to half the interval.
//
// Why the datagram is sent here and not with libsystemd's sd_notify(): libsystemd 252 (Debian 12)
// sends with a blocking sendmsg() on a fresh socket, so a manager that stops reading (its queue
// holds 10 datagrams by default) would freeze the kiosk's frame loop on the next notification;
// tests/systemd_notify_test.cpp shows it ("libsystemd's sd_notify blocks ..."). Here the send is
// MSG_DONTWAIT and a notification that cannot go at once is dropped: about 40 lines of socket
// code, the same wire format (datagram, path or '@' address) sd_notify(3) documents.
//
// Used by the kiosk shell and by the benchmark's bare window (it lives in signpost_core because
// it needs neither GL nor ImGui).
//
// Thread-safety: one SystemdNotifier per thread; it is meant to be owned by the main loop.
// Never throws after construction and never blocks: a notification that cannot be sent at once
// (no listener, or a listener whose queue is full) is logged once and reported as false; the
// service keeps running.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace signpost {

class SystemdNotifier {
public:
    using Clock = std::chrono::steady_clock;

    // Disabled: every notification is a no-op returning false.
    SystemdNotifier() = default;
    // `socketAddress` as in $NOTIFY_SOCKET ("" = disabled). `watchdogInterval` as in
    // $WATCHDOG_USEC (nullopt or zero = no watchdog). An address that is neither a path nor an
    // '@' abstract name (e.g. systemd 254's "vsock:...") disables notifications with a warning.
    SystemdNotifier(std::string socketAddress,
                    std::optional<std::chrono::microseconds> watchdogInterval);
    // Reads $NOTIFY_SOCKET, and the watchdog with sd_watchdog_enabled() ($WATCHDOG_USEC and
    // $WATCHDOG_PID; a watchdog for another pid is ignored). The environment is left as it is.
    static SystemdNotifier fromEnvironment();

    ~SystemdNotifier();
    SystemdNotifier(SystemdNotifier&& other) noexcept;
    SystemdNotifier& operator=(SystemdNotifier&& other) noexcept;
    SystemdNotifier(const SystemdNotifier&) = delete;
    SystemdNotifier& operator=(const SystemdNotifier&) = delete;

    bool enabled() const noexcept { return !m_address.empty(); }
    const std::string& socketAddress() const noexcept { return m_address; }

    // Sends `state` ("READY=1", or several lines "READY=1\nSTATUS=..."). True when the datagram
    // was handed to the kernel; false when disabled or the send failed (logged once).
    bool notify(std::string_view state);
    bool notifyReady() { return notify("READY=1"); }
    bool notifyStopping() { return notify("STOPPING=1"); }
    // "STATUS=<text>", newlines in `text` replaced by spaces so they cannot inject assignments.
    bool notifyStatus(std::string_view text);

    // The watchdog interval from $WATCHDOG_USEC; nullopt when no watchdog is configured.
    std::optional<std::chrono::microseconds> watchdogInterval() const noexcept {
        return m_watchdog;
    }
    // Sends "WATCHDOG=1" if a watchdog is configured and half the interval has passed since the
    // last ping (the first call always sends). Returns true if a ping was sent.
    bool pingWatchdog(Clock::time_point now);
    // When the next ping is due (the loop must complete a frame by then); nullopt = no watchdog.
    std::optional<Clock::time_point> nextWatchdogPing() const noexcept;

private:
    bool ensureSocket();
    std::string m_address;
    std::optional<std::chrono::microseconds> m_watchdog;
    std::optional<Clock::time_point> m_lastPing;
    int m_fd = -1;
    bool m_warned = false;
};

}  // namespace signpost
