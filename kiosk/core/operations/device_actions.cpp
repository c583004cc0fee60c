#include "core/operations/device_actions.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "core/common/log.h"

extern char** environ;

namespace signpost {

std::vector<InterfaceAddress> interfaceAddresses() {
    std::vector<InterfaceAddress> result;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        logWarning("network", std::string("getifaddrs failed: ") + std::strerror(errno));
        return result;
    }
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || (entry->ifa_flags & IFF_UP) == 0 ||
            (entry->ifa_flags & IFF_LOOPBACK) != 0) {
            continue;
        }
        char text[INET6_ADDRSTRLEN] = {};
        InterfaceAddress address;
        address.interface = entry->ifa_name != nullptr ? entry->ifa_name : "?";
        if (entry->ifa_addr->sa_family == AF_INET) {
            sockaddr_in in{};
            std::memcpy(&in, entry->ifa_addr, sizeof in);
            ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        } else if (entry->ifa_addr->sa_family == AF_INET6) {
            sockaddr_in6 in6{};
            std::memcpy(&in6, entry->ifa_addr, sizeof in6);
            if (IN6_IS_ADDR_LINKLOCAL(&in6.sin6_addr)) {
                continue;  // fe80::… tells staff nothing useful
            }
            ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
            address.ipv6 = true;
        } else {
            continue;
        }
        address.address = text;
        result.push_back(std::move(address));
    }
    ::freeifaddrs(list);
    std::stable_sort(
        result.begin(), result.end(),
        [](const InterfaceAddress& a, const InterfaceAddress& b) { return !a.ipv6 && b.ipv6; });
    return result;
}

RebootOutcome runRebootCommand(std::chrono::milliseconds timeout) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        return {false, std::string("cannot start systemctl: ") + std::strerror(errno)};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
    char program[] = "systemctl";
    char noAsk[] = "--no-ask-password";
    char reboot[] = "reboot";
    char* argv[] = {program, noAsk, reboot, nullptr};
    pid_t pid = -1;
    const int spawned = ::posix_spawnp(&pid, program, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        return {false, std::string("cannot run systemctl: ") + std::strerror(spawned)};
    }
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd fd{pipeFds[0], POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
            break;
        }
        char buffer[512];
        const ssize_t got = ::read(pipeFds[0], buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        if (output.size() < 4096) {
            output.append(buffer, static_cast<std::size_t>(got));
        }
    }
    ::close(pipeFds[0]);
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left > std::chrono::milliseconds(0)) {
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                left, std::chrono::milliseconds(200)));
        }
        if (::waitpid(pid, &status, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return {false, "systemctl did not answer in time"};
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return {true, ""};
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) {
        output.pop_back();
    }
    const auto lastLine = output.rfind('\n');
    std::string said = lastLine == std::string::npos ? output : output.substr(lastLine + 1);
    if (said.empty()) {
        said = WIFEXITED(status)
                   ? "systemctl exited with code " + std::to_string(WEXITSTATUS(status))
                   : "systemctl was killed";
    }
    return {false, said};
}

struct RebootRequest::State {
    mutable std::mutex mutex;
    bool running = false;
    std::optional<RebootOutcome> outcome;
    std::thread thread;
};

RebootRequest::RebootRequest() : m_state(std::make_shared<State>()) {}

RebootRequest::~RebootRequest() {
    if (m_state->thread.joinable()) {
        m_state->thread.join();
    }
}

void RebootRequest::start() {
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->running) {
            return;
        }
        m_state->running = true;
        m_state->outcome.reset();
    }
    if (m_state->thread.joinable()) {
        m_state->thread.join();
    }
    logInfo("staff", "reboot requested from the staff panel");
    m_state->thread = std::thread([state = m_state] {
        RebootOutcome outcome = runRebootCommand();
        if (outcome.accepted) {
            logInfo("staff", "reboot accepted; the computer is restarting");
        } else {
            logWarning("staff", "reboot refused: " + outcome.error);
        }
        std::lock_guard lock(state->mutex);
        state->outcome = std::move(outcome);
        state->running = false;
    });
}

bool RebootRequest::running() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->running;
}

std::optional<RebootOutcome> RebootRequest::poll() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->outcome;
}

}  // namespace signpost
