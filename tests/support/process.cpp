#include "support/process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace signpost::test {
namespace {

std::string errnoText(int error) {
    return std::strerror(error);
}

std::string readWholeFile(const std::filesystem::path& path) {
    if (path.empty()) {
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return {};
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<std::string> buildEnvironment(const ProcessOptions& options) {
    std::map<std::string, std::string> merged;
    if (options.inheritEnvironment) {
        for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
            std::string_view text(*entry);
            const auto equals = text.find('=');
            if (equals != std::string_view::npos) {
                merged[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
            }
        }
    }
    for (const auto& name : options.unsetEnv) {
        merged.erase(name);
    }
    for (const auto& [name, value] : options.env) {
        merged[name] = value;
    }
    std::vector<std::string> result;
    result.reserve(merged.size());
    for (const auto& [name, value] : merged) {
        result.push_back(name + "=" + value);
    }
    return result;
}

// posix_spawn's file actions and attributes, freed on every path out of spawn().
struct SpawnSetup {
    posix_spawn_file_actions_t actions{};
    posix_spawnattr_t attributes{};
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

void check(int result, const char* what) {
    if (result != 0) {
        throw ProcessError(std::string("spawn: ") + what + ": " + errnoText(result));
    }
}

int openPidfd(pid_t pid) {
#ifdef SYS_pidfd_open
    const long fd = ::syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
        return static_cast<int>(fd);
    }
#else
    (void)pid;
#endif
    return -1;  // old kernel: waitFor() falls back to polling
}

}  // namespace

std::string ExitStatus::describe() const {
    if (exited) {
        return "exit code " + std::to_string(code);
    }
    const char* name = ::strsignal(signal);
    return "killed by signal " + std::to_string(signal) + " (" + (name != nullptr ? name : "?") +
           ")";
}

ChildProcess ChildProcess::spawn(const ProcessOptions& options) {
    if (options.program.empty()) {
        throw ProcessError("spawn: no program given");
    }
    std::filesystem::path program = options.program;
    if (program.string().find('/') == std::string::npos) {
        auto found = findInPath(program.string());
        if (!found) {
            throw ProcessError("spawn: " + program.string() + ": not found in PATH");
        }
        program = *found;
    }
    if (!options.workingDirectory.empty() &&
        !std::filesystem::is_directory(options.workingDirectory)) {
        throw ProcessError("spawn: working directory does not exist: " +
                           options.workingDirectory.string());
    }

    SpawnSetup setup;
    const auto redirect = [&](int fd, const std::filesystem::path& file, int flags) {
        const std::string path = file.empty() ? std::string("/dev/null") : file.string();
        check(posix_spawn_file_actions_addopen(&setup.actions, fd, path.c_str(), flags, 0644),
              "open redirection");
    };
    redirect(STDIN_FILENO, options.stdinFile, O_RDONLY);
    redirect(STDOUT_FILENO, options.stdoutFile, O_WRONLY | O_CREAT | O_TRUNC);
    if (!options.stderrFile.empty() && options.stderrFile == options.stdoutFile) {
        check(posix_spawn_file_actions_adddup2(&setup.actions, STDOUT_FILENO, STDERR_FILENO),
              "dup stderr");
    } else {
        redirect(STDERR_FILENO, options.stderrFile, O_WRONLY | O_CREAT | O_TRUNC);
    }
    // dup2(fd, fd) would leave FD_CLOEXEC set, so a descriptor passed under its own number goes
    // through a temporary copy first; the copies are closed once the child has started.
    std::vector<int> temporaries;
    struct CloseAll {
        std::vector<int>& fds;
        ~CloseAll() {
            for (int fd : fds) {
                ::close(fd);
            }
        }
    } closeTemporaries{temporaries};
    for (const auto& [from, to] : options.passFds) {
        int source = from;
        if (from == to) {
            source = ::fcntl(from, F_DUPFD_CLOEXEC, 3);
            if (source < 0) {
                throw ProcessError("spawn: cannot duplicate descriptor " + std::to_string(from));
            }
            temporaries.push_back(source);
        }
        check(posix_spawn_file_actions_adddup2(&setup.actions, source, to), "pass descriptor");
    }
    if (!options.workingDirectory.empty()) {
        check(
            posix_spawn_file_actions_addchdir_np(&setup.actions, options.workingDirectory.c_str()),
            "chdir");
    }

    // The child starts with no blocked signals and default dispositions, whatever the test
    // runner (or the kiosk's signal thread) had set, so SIGTERM in a test really terminates it.
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    sigset_t none;
    sigemptyset(&none);
    check(posix_spawnattr_setsigmask(&setup.attributes, &none), "signal mask");
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
        sigaddset(&defaults, sig);
    }
    check(posix_spawnattr_setsigdefault(&setup.attributes, &defaults), "signal defaults");
    if (options.ownProcessGroup) {
        flags |= POSIX_SPAWN_SETPGROUP;
        check(posix_spawnattr_setpgroup(&setup.attributes, 0), "process group");
    }
    check(posix_spawnattr_setflags(&setup.attributes, flags), "flags");

    std::vector<std::string> argStrings;
    argStrings.push_back(program.string());
    argStrings.insert(argStrings.end(), options.args.begin(), options.args.end());
    std::vector<char*> argv;
    for (auto& arg : argStrings) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> envStrings = buildEnvironment(options);
    std::vector<char*> envp;
    for (auto& entry : envStrings) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);

    pid_t pid = -1;
    // glibc's posix_spawn reports exec failures (ENOENT, EACCES) here rather than in a child
    // that exits 127, so a typo in a test fails with a clear message.
    const int result = ::posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attributes,
                                     argv.data(), envp.data());
    if (result != 0) {
        throw ProcessError("spawn: " + program.string() + ": " + errnoText(result));
    }
    ChildProcess child;
    child.m_pid = pid;
    child.m_ownGroup = options.ownProcessGroup;
    child.m_pidfd = openPidfd(pid);
    child.m_options = options;
    child.m_options.program = program;
    return child;
}

ChildProcess::~ChildProcess() {
    if (m_pid > 0 && !m_status) {
        kill();
    }
    if (m_pidfd >= 0) {
        ::close(m_pidfd);
    }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)),
      m_ownGroup(other.m_ownGroup),
      m_pidfd(std::exchange(other.m_pidfd, -1)),
      m_status(std::move(other.m_status)),
      m_options(std::move(other.m_options)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        if (m_pid > 0 && !m_status) {
            kill();
        }
        if (m_pidfd >= 0) {
            ::close(m_pidfd);
        }
        m_pid = std::exchange(other.m_pid, -1);
        m_ownGroup = other.m_ownGroup;
        m_pidfd = std::exchange(other.m_pidfd, -1);
        m_status = std::move(other.m_status);
        m_options = std::move(other.m_options);
    }
    return *this;
}

void ChildProcess::reap(int waitStatus) {
    ExitStatus status;
    if (WIFEXITED(waitStatus)) {
        status.exited = true;
        status.code = WEXITSTATUS(waitStatus);
    } else if (WIFSIGNALED(waitStatus)) {
        status.signal = WTERMSIG(waitStatus);
    }
    m_status = status;
}

bool ChildProcess::running() {
    if (m_pid <= 0 || m_status) {
        return false;
    }
    int waitStatus = 0;
    const pid_t result = ::waitpid(m_pid, &waitStatus, WNOHANG);
    if (result == m_pid) {
        reap(waitStatus);
        return false;
    }
    if (result < 0 && errno == ECHILD) {
        // Reaped elsewhere (a SIGCHLD handler in the code under test): treat as gone.
        m_status = ExitStatus{};
        return false;
    }
    return true;
}

std::optional<ExitStatus> ChildProcess::waitFor(std::chrono::milliseconds timeout) {
    if (m_pid <= 0) {
        return std::nullopt;
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto interval = std::chrono::milliseconds(1);
    while (running()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            return std::nullopt;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (m_pidfd >= 0) {
            // A pidfd becomes readable when the process exits: no polling latency.
            pollfd entry{m_pidfd, POLLIN, 0};
            ::poll(&entry, 1, static_cast<int>(std::max<long long>(1, left.count())));
        } else {
            std::this_thread::sleep_for(std::min(interval, left));
            interval = std::min(interval * 2, std::chrono::milliseconds(20));
        }
    }
    return m_status;
}

ExitStatus ChildProcess::wait() {
    if (m_pid <= 0) {
        throw ProcessError("wait: no process");
    }
    while (!m_status) {
        int waitStatus = 0;
        const pid_t result = ::waitpid(m_pid, &waitStatus, 0);
        if (result == m_pid) {
            reap(waitStatus);
        } else if (result < 0 && errno != EINTR) {
            m_status = ExitStatus{};
        }
    }
    return *m_status;
}

bool ChildProcess::sendSignal(int signal) {
    if (!running()) {
        return false;
    }
    // The group may already be empty of the leader's children; the leader itself still counts.
    if (m_ownGroup && ::kill(-m_pid, signal) == 0) {
        return true;
    }
    return ::kill(m_pid, signal) == 0;
}

ExitStatus ChildProcess::kill() {
    if (m_pid <= 0) {
        return ExitStatus{};
    }
    if (!m_status) {
        sendSignal(SIGKILL);
        wait();
    } else if (m_ownGroup) {
        // The leader is gone but it may have left grandchildren in its group.
        ::kill(-m_pid, SIGKILL);
    }
    return *m_status;
}

ExitStatus ChildProcess::stop(std::chrono::milliseconds grace) {
    if (m_pid <= 0) {
        return ExitStatus{};
    }
    if (sendSignal(SIGTERM)) {
        if (auto status = waitFor(grace)) {
            if (m_ownGroup) {
                ::kill(-m_pid, SIGKILL);  // stragglers in the group
            }
            return *status;
        }
    }
    return kill();
}

std::string ChildProcess::stdoutText() const {
    return readWholeFile(m_options.stdoutFile);
}
std::string ChildProcess::stderrText() const {
    return readWholeFile(m_options.stderrFile);
}

std::string ChildProcess::report(std::size_t maxBytes) const {
    std::string text = m_options.program.filename().string();
    for (const auto& arg : m_options.args) {
        text += " " + arg;
    }
    text += m_status ? " -> " + m_status->describe() : std::string(" -> still running");
    std::string err = stderrText();
    if (err.size() > maxBytes) {
        err = "..." + err.substr(err.size() - maxBytes);
    }
    if (!err.empty()) {
        text += "\n--- stderr (" + m_options.stderrFile.string() + ") ---\n" + err;
    }
    return text;
}

ExitStatus runProcess(const ProcessOptions& options, std::chrono::milliseconds timeout) {
    ChildProcess child = ChildProcess::spawn(options);
    if (auto status = child.waitFor(timeout)) {
        return *status;
    }
    child.kill();
    throw ProcessError("timed out after " + std::to_string(timeout.count()) +
                       " ms: " + child.report());
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition()) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return condition();
        }
        std::this_thread::sleep_for(interval);
    }
}

int findFreeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw ProcessError("findFreeLoopbackPort: socket: " + errnoText(errno));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok) {
        throw ProcessError("findFreeLoopbackPort: " + errnoText(error));
    }
    return ntohs(address.sin_port);
}

std::optional<std::filesystem::path> findInPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        if (dir.empty()) {
            continue;
        }
        std::filesystem::path candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace signpost::test
