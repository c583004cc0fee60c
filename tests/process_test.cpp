// The test-support process supervisor (tests/support/process.h) that integration, end-to-end and
// sync tests rely on to start real programs and to leave nothing running behind them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/notify_listener.h"
#include "support/process.h"
#include "support/test_support.h"
#include "support/virtual_display.h"

using namespace std::chrono_literals;
using namespace signpost::test;

namespace {

ProcessOptions shell(const std::string& script, const TempDir& dir) {
    ProcessOptions options;
    options.program = "/bin/sh";
    options.args = {"-c", script};
    options.stdoutFile = dir / "out.txt";
    options.stderrFile = dir / "err.txt";
    return options;
}

bool processExists(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

TEST_CASE("a child gets its arguments, environment and working directory", "[process]") {
    TempDir dir("process");
    std::filesystem::create_directories(dir / "work");
    ProcessOptions options =
        shell(R"sh(printf '%s|%s|%s|%s' "$1" "$GREETING" "$(pwd)" "${HOME-unset}")sh", dir);
    options.args.push_back("sh");  // $0
    options.args.push_back("two words");
    options.env["GREETING"] = "hello";
    options.unsetEnv.push_back("HOME");
    options.workingDirectory = dir / "work";

    ChildProcess child = ChildProcess::spawn(options);
    auto status = child.waitFor(10s);
    REQUIRE(status);
    CHECK(status->success());
    CHECK(child.stdoutText() ==
          "two words|hello|" + std::filesystem::canonical(dir / "work").string() + "|unset");

    SECTION("a clean environment holds only what was given") {
        ProcessOptions clean = shell("env", dir);
        clean.inheritEnvironment = false;
        clean.env["ONLY"] = "this";
        ChildProcess bare = ChildProcess::spawn(clean);
        REQUIRE(bare.waitFor(10s));
        CHECK(bare.stdoutText().find("ONLY=this") != std::string::npos);
        CHECK(bare.stdoutText().find("PATH=") == std::string::npos);
    }
}

TEST_CASE("stdout and stderr are captured separately or together", "[process]") {
    TempDir dir("process-output");
    SECTION("separately") {
        ChildProcess child = ChildProcess::spawn(shell("echo out; echo err >&2", dir));
        REQUIRE(child.waitFor(10s));
        CHECK(child.stdoutText() == "out\n");
        CHECK(child.stderrText() == "err\n");
    }
    SECTION("together, in order") {
        ProcessOptions options = shell("echo one; echo two >&2; echo three", dir);
        options.stderrFile = options.stdoutFile;
        ChildProcess child = ChildProcess::spawn(options);
        REQUIRE(child.waitFor(10s));
        CHECK(child.stdoutText() == "one\ntwo\nthree\n");
    }
    SECTION("stdin from a file") {
        writeText(dir / "in.txt", "from the file\n");
        ProcessOptions options = shell("cat", dir);
        options.stdinFile = dir / "in.txt";
        ChildProcess child = ChildProcess::spawn(options);
        REQUIRE(child.waitFor(10s));
        CHECK(child.stdoutText() == "from the file\n");
    }
}

TEST_CASE("exit codes and signals are reported as they happened", "[process]") {
    TempDir dir("process-status");
    SECTION("exit code") {
        ChildProcess child = ChildProcess::spawn(shell("exit 78", dir));
        auto status = child.waitFor(10s);
        REQUIRE(status);
        CHECK(status->exitedWith(78));
        CHECK_FALSE(status->success());
        CHECK(status->describe() == "exit code 78");
        CHECK_FALSE(child.running());
    }
    SECTION("killed by a signal") {
        ChildProcess child = ChildProcess::spawn(shell("kill -TERM $$; sleep 5", dir));
        auto status = child.waitFor(10s);
        REQUIRE(status);
        CHECK_FALSE(status->exited);
        CHECK(status->signal == SIGTERM);
        CHECK(status->describe().find("signal 15") != std::string::npos);
    }
    SECTION("runProcess runs to completion") {
        CHECK(runProcess(shell("exit 3", dir), 10s).exitedWith(3));
    }
    SECTION("runProcess gives up on a hung program") {
        CHECK_THROWS_AS(runProcess(shell("sleep 30", dir), 200ms), ProcessError);
    }
}

TEST_CASE("waiting times out on a running process and stop() escalates", "[process]") {
    TempDir dir("process-stop");
    SECTION("a process that ends on SIGTERM") {
        ChildProcess child = ChildProcess::spawn(shell("sleep 30", dir));
        CHECK_FALSE(child.waitFor(50ms).has_value());
        CHECK(child.running());
        auto status = child.stop(5s);
        CHECK(status.signal == SIGTERM);
        CHECK_FALSE(processExists(child.pid()));
    }
    SECTION("a process that ignores SIGTERM is killed") {
        ChildProcess child = ChildProcess::spawn(
            shell("trap '' TERM; echo ready; while :; do sleep 0.05; done", dir));
        REQUIRE(waitUntil([&] { return child.stdoutText() == "ready\n"; }, 10s));
        auto status = child.stop(200ms);
        CHECK(status.signal == SIGKILL);
    }
}

TEST_CASE("the whole process group dies with its leader, even from the destructor", "[process]") {
    TempDir dir("process-group");
    pid_t grandchild = 0;
    {
        ChildProcess child = ChildProcess::spawn(shell("sleep 60 & echo $!; wait", dir));
        REQUIRE(waitUntil([&] { return !child.stdoutText().empty(); }, 10s));
        grandchild = std::stoi(child.stdoutText());
        REQUIRE(processExists(grandchild));
    }  // ~ChildProcess: SIGKILL to the group
    // The grandchild was re-parented (to init or a subreaper) and is reaped there.
    CHECK(waitUntil([&] { return !processExists(grandchild); }, 10s));
}

TEST_CASE("failures to start are errors that say why", "[process]") {
    TempDir dir("process-fail");
    ProcessOptions options;
    options.program = dir / "does-not-exist";
    CHECK_THROWS_WITH(ChildProcess::spawn(options), Catch::Contains("No such file"));

    writeText(dir / "not-executable", "#!/bin/sh\n");
    options.program = dir / "not-executable";
    // No x bit at all: even root gets EACCES from execve.
    CHECK_THROWS_WITH(ChildProcess::spawn(options), Catch::Contains("Permission denied"));

    options.program = "signpost-no-such-program-in-path";
    CHECK_THROWS_WITH(ChildProcess::spawn(options), Catch::Contains("not found in PATH"));

    options.program = "/bin/true";
    options.workingDirectory = dir / "missing";
    CHECK_THROWS_WITH(ChildProcess::spawn(options), Catch::Contains("working directory"));
}

TEST_CASE("descriptors are passed only when asked", "[process]") {
    TempDir dir("process-fds");
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    SECTION("passed under another number") {
        ProcessOptions options = shell("echo through >&5", dir);
        options.passFds = {{fds[1], 5}};
        ChildProcess child = ChildProcess::spawn(options);
        REQUIRE(child.waitFor(10s));
        ::close(fds[1]);
        char buffer[32] = {};
        CHECK(::read(fds[0], buffer, sizeof buffer - 1) == 8);
        CHECK(std::string(buffer) == "through\n");
    }
    SECTION("passed under its own number") {
        ProcessOptions options = shell("echo same >&" + std::to_string(fds[1]), dir);
        options.passFds = {{fds[1], fds[1]}};
        ChildProcess child = ChildProcess::spawn(options);
        REQUIRE(child.waitFor(10s));
        CHECK(child.status()->success());
        ::close(fds[1]);
        char buffer[32] = {};
        CHECK(::read(fds[0], buffer, sizeof buffer - 1) == 5);
    }
    SECTION("not passed: close-on-exec descriptors stay behind") {
        ProcessOptions options = shell("echo leak >&" + std::to_string(fds[1]), dir);
        ChildProcess child = ChildProcess::spawn(options);
        REQUIRE(child.waitFor(10s));
        CHECK_FALSE(child.status()->success());  // bad file descriptor
        ::close(fds[1]);
    }
    ::close(fds[0]);
}

TEST_CASE("a free loopback port can be bound", "[process]") {
    const int port = findFreeLoopbackPort();
    CHECK(port > 0);
    CHECK(port < 65536);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    CHECK(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    ::close(fd);
}

TEST_CASE("the notify listener reads datagrams with the sender's pid", "[process]") {
    TempDir dir("process-notify");
    NotifyListener listener((dir.path() / "n.sock").string());
    // Silence is a timeout, not an error; then one datagram as sd_notify sends it.
    CHECK_FALSE(listener.receive(50ms).has_value());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, listener.address().c_str(), sizeof address.sun_path - 1);
    REQUIRE(::sendto(fd, "READY=1\nSTATUS=x", 16, 0, reinterpret_cast<sockaddr*>(&address),
                     sizeof address) == 16);
    ::close(fd);
    auto message = listener.waitFor("READY=1", 5s, ::getpid());
    REQUIRE(message);
    CHECK(message->has("STATUS=x"));
    CHECK_FALSE(message->has("READY"));
}

TEST_CASE("Xvfb comes up on a display it picked and goes away with its owner", "[process][.]") {
    if (!VirtualDisplay::xvfbAvailable()) {
        WARN("Xvfb is not installed; skipped");
        return;
    }
    TempDir dir("process-xvfb");
    pid_t server = 0;
    std::string display;
    {
        VirtualDisplayOptions options;
        options.width = 640;
        options.height = 480;
        options.logFile = dir / "xvfb.log";
        VirtualDisplay first = VirtualDisplay::start(options);
        VirtualDisplay second = VirtualDisplay::start(options);
        CHECK(first.display() != second.display());
        CHECK(first.display().rfind(':', 0) == 0);
        display = first.display();
        server = first.server()->pid();
        const std::string socket = "/tmp/.X11-unix/X" + display.substr(1);
        CHECK(std::filesystem::exists(socket));
    }
    CHECK_FALSE(processExists(server));
}
