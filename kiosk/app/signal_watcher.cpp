#include "app/signal_watcher.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>

#include "core/common/log.h"

namespace signpost::app {
namespace {

sigset_t terminationSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

}  // namespace

void SignalWatcher::blockTerminationSignals() {
    sigset_t set = terminationSignals();
    if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
        throw std::system_error(error, std::generic_category(), "pthread_sigmask");
    }
}

SignalWatcher::SignalWatcher() {
    sigset_t set = terminationSignals();
    m_signalFd = ::signalfd(-1, &set, SFD_CLOEXEC);
    if (m_signalFd < 0) {
        throw std::system_error(errno, std::generic_category(), "signalfd");
    }
    m_stopFd = ::eventfd(0, EFD_CLOEXEC);
    if (m_stopFd < 0) {
        const int error = errno;
        ::close(m_signalFd);
        throw std::system_error(error, std::generic_category(), "eventfd");
    }
    m_thread = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
    const std::uint64_t one = 1;
    // If this write failed the thread would never end; eventfd writes of 1 cannot fail short of
    // overflowing the counter, which one write cannot do.
    [[maybe_unused]] const ssize_t written = ::write(m_stopFd, &one, sizeof one);
    if (m_thread.joinable()) {
        m_thread.join();
    }
    ::close(m_stopFd);
    ::close(m_signalFd);
}

void SignalWatcher::setWakeCallback(std::function<void()> callback) {
    std::lock_guard lock(m_callbackMutex);
    m_callback = std::move(callback);
}

void SignalWatcher::watch() {
    pollfd fds[2] = {{m_signalFd, POLLIN, 0}, {m_stopFd, POLLIN, 0}};
    while (true) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            logError("shell",
                     std::string("signal watcher stopped: poll failed: ") + std::to_string(errno));
            return;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            return;
        }
        if ((fds[0].revents & POLLIN) != 0) {
            signalfd_siginfo info{};
            if (::read(m_signalFd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
                continue;
            }
            int expected = 0;
            m_signal.compare_exchange_strong(expected, static_cast<int>(info.ssi_signo));
            std::lock_guard lock(m_callbackMutex);
            if (m_callback) {
                m_callback();
            }
        }
    }
}

}  // namespace signpost::app
