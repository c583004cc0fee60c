// Signpost — staff operations on the device itself (operations): the network interfaces'
// addresses for the staff panel, and rebooting the computer.
//
// Reboot runs `systemctl --no-ask-password reboot` (found on $PATH). The kiosk user may do that
// only through the narrow polkit rule the kiosk package installs (installer/, packaging
// helper: org.freedesktop.login1.reboot* for the kiosk user alone); anywhere else systemctl
// refuses ("Interactive authentication required") and the staff panel says so in plain words.
// --no-ask-password: never wait for a password prompt nobody can answer on a kiosk.
//
// Thread-safety: interfaceAddresses() is safe from any thread. RebootRequest: start() and
// poll() from the UI thread; the command runs on its own thread so a frame never waits.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace signpost {

struct InterfaceAddress {
    std::string interface;  // "eth0", "wlan0"
    std::string address;    // "192.168.1.20", "fe80::1c2b:..."
    bool ipv6 = false;
};

// Every up, non-loopback interface address (IPv4 first, then IPv6; link-local IPv6 left out),
// from getifaddrs(3). Empty when there is no network (or getifaddrs fails).
std::vector<InterfaceAddress> interfaceAddresses();

struct RebootOutcome {
    bool accepted = false;  // systemctl exited 0: the machine is going down
    std::string error;      // otherwise: what systemctl said (its last stderr line), or why it
                            // could not run; never personal data
};

class RebootRequest {
public:
    RebootRequest();
    ~RebootRequest();  // waits for a command still running (it ends within its timeout)
    RebootRequest(const RebootRequest&) = delete;
    RebootRequest& operator=(const RebootRequest&) = delete;

    // Starts `systemctl --no-ask-password reboot` unless one is already running.
    void start();
    bool running() const;
    // The outcome once the command ended (kept until the next start()).
    std::optional<RebootOutcome> poll() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// The same, synchronously (tests, and the thread above). Gives up after `timeout`.
RebootOutcome runRebootCommand(std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace signpost
