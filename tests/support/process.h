// Signpost test helpers — spawning and supervising child processes.
//
// Integration and end-to-end tests (and the window benchmark) start real programs: the kiosk,
// Xvfb, the e2e driver, later the sync server. ChildProcess starts one with posix_spawn (so a
// failed exec is reported to the caller, not lost in a forked child), in its own process group,
// with chosen arguments, environment, working directory and stdout/stderr sent to files, and
// makes sure it is gone when the test ends: the destructor kills the whole group with SIGKILL and
// reaps it, even when the test failed halfway.
//
// Thread-safety: a ChildProcess belongs to one thread. The free functions are thread-safe.
// Errors: spawn() throws ProcessError (program missing, not executable, bad working directory);
// everything else reports outcomes as values.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace signpost::test {

class ProcessError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// How a process ended.
struct ExitStatus {
    bool exited = false;  // true: returned/called exit(); false: killed by a signal
    int code = 0;         // exit code when exited
    int signal = 0;       // signal number when !exited
    bool success() const noexcept { return exited && code == 0; }
    bool exitedWith(int expected) const noexcept { return exited && code == expected; }
    std::string describe() const;  // "exit code 2", "killed by signal 9 (Killed)"
};

struct ProcessOptions {
    std::filesystem::path program;           // absolute, or looked up in $PATH if no '/'
    std::vector<std::string> args;           // argv[1..]; argv[0] is the program
    bool inheritEnvironment = true;          // start from this process's environment
    std::map<std::string, std::string> env;  // set or override
    std::vector<std::string> unsetEnv;       // remove (applied before `env`)
    std::filesystem::path workingDirectory;  // "" = this process's
    std::filesystem::path stdinFile;         // "" = /dev/null
    std::filesystem::path stdoutFile;        // "" = /dev/null; created/truncated
    std::filesystem::path stderrFile;        // "" = /dev/null; may equal stdoutFile
    // Extra descriptors to pass: {descriptor in this process, number in the child}. Everything
    // else opened with O_CLOEXEC stays behind.
    std::vector<std::pair<int, int>> passFds;
    bool ownProcessGroup = true;  // so kill() also reaches grandchildren
};

class ChildProcess {
public:
    // Starts the program. Throws ProcessError with the errno text if it cannot be started.
    static ChildProcess spawn(const ProcessOptions& options);

    ChildProcess() = default;  // no process
    ~ChildProcess();           // kill(SIGKILL) + reap if still running; never throws
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return m_pid; }
    bool valid() const noexcept { return m_pid > 0; }
    // Non-blocking: true while the process has not exited (reaps it if it has).
    bool running();
    // The exit status once known (after running() == false or a wait).
    const std::optional<ExitStatus>& status() const noexcept { return m_status; }

    // Waits up to `timeout`; nullopt if it is still running then.
    std::optional<ExitStatus> waitFor(std::chrono::milliseconds timeout);
    ExitStatus wait();

    // Sends `signal` to the process (its group when ownProcessGroup). False if already gone.
    bool sendSignal(int signal);
    // SIGKILL to the group, then reaps. Returns the status (killed by 9, or how it ended first).
    ExitStatus kill();
    // SIGTERM, waits up to `grace`, then kill(). The polite way to end a test's process.
    ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(3));

    const ProcessOptions& options() const noexcept { return m_options; }
    // The captured output files' contents so far ("" when not captured or unreadable).
    std::string stdoutText() const;
    std::string stderrText() const;
    // For failure messages: program, args, status and the last `maxBytes` of stderr.
    std::string report(std::size_t maxBytes = 4000) const;

private:
    void reap(int waitStatus);
    pid_t m_pid = -1;
    bool m_ownGroup = false;
    int m_pidfd = -1;
    std::optional<ExitStatus> m_status;
    ProcessOptions m_options;
};

// Runs a program to completion (killing it after `timeout`) and returns its status; output goes
// to the files named in `options`. Throws ProcessError if it cannot start or times out.
ExitStatus runProcess(const ProcessOptions& options, std::chrono::milliseconds timeout);

// Polls `condition` every `interval` until it returns true or `timeout` passes. Returns whether
// it became true. (For waiting on files, sockets and processes in tests — never for timing.)
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval = std::chrono::milliseconds(10));

// A TCP port on 127.0.0.1 that was free a moment ago (bound with port 0, then released).
// Another process may still take it first: servers under test should retry on EADDRINUSE.
// Throws ProcessError if no socket can be bound.
int findFreeLoopbackPort();

// Finds `name` in $PATH; nullopt if it is not installed.
std::optional<std::filesystem::path> findInPath(const std::string& name);

}  // namespace signpost::test
