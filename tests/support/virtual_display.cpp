#include "support/virtual_display.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace signpost::test {

VirtualDisplay VirtualDisplay::start(const VirtualDisplayOptions& options) {
    auto xvfb = findInPath("Xvfb");
    if (!xvfb) {
        throw ProcessError("Xvfb is not installed (installer/install-deps.sh installs it)");
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw ProcessError(std::string("pipe: ") + std::strerror(errno));
    }
    struct Pipe {
        int read, write;
        ~Pipe() {
            if (read >= 0)
                ::close(read);
            if (write >= 0)
                ::close(write);
        }
    } pipe{fds[0], fds[1]};

    // Descriptor 3 in Xvfb: it writes the display number there once it accepts connections.
    constexpr int kChildFd = 3;
    ProcessOptions process;
    process.program = *xvfb;
    if (options.number >= 0) {
        process.args.push_back(":" + std::to_string(options.number));
    }
    for (std::string arg :
         {std::string("-displayfd"), std::to_string(kChildFd), std::string("-screen"),
          std::string("0"),
          std::to_string(options.width) + "x" + std::to_string(options.height) + "x" +
              std::to_string(options.depth),
          std::string("-nolisten"), std::string("tcp"), std::string("-noreset")}) {
        process.args.push_back(std::move(arg));
    }
    process.stderrFile = options.logFile;
    process.stdoutFile = options.logFile;
    process.passFds = {{pipe.write, kChildFd}};
    auto server = std::make_unique<ChildProcess>(ChildProcess::spawn(process));
    ::close(pipe.write);
    pipe.write = -1;

    std::string number;
    const auto deadline = std::chrono::steady_clock::now() + options.startTimeout;
    while (number.empty() || number.back() != '\n') {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd entry{pipe.read, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) {
            throw ProcessError("Xvfb did not report a display within " +
                               std::to_string(options.startTimeout.count()) +
                               " ms: " + server->report());
        }
        char buffer[32];
        const ssize_t got = ::read(pipe.read, buffer, sizeof buffer);
        if (got <= 0) {
            server->waitFor(std::chrono::milliseconds(500));
            throw ProcessError("Xvfb exited before reporting a display: " + server->report());
        }
        number.append(buffer, static_cast<std::size_t>(got));
    }
    number.pop_back();
    VirtualDisplay display;
    display.m_display = ":" + number;
    display.m_server = std::move(server);
    return display;
}

VirtualDisplay VirtualDisplay::existing(std::string display) {
    VirtualDisplay result;
    result.m_display = std::move(display);
    return result;
}

int VirtualDisplay::freeDisplayNumber() {
    for (int number = 200; number < 1000; ++number) {
        const std::string n = std::to_string(number);
        std::error_code ignored;
        if (!std::filesystem::exists("/tmp/.X11-unix/X" + n, ignored) &&
            !std::filesystem::exists("/tmp/.X" + n + "-lock", ignored)) {
            return number;
        }
    }
    throw ProcessError("no free X display number between 200 and 999");
}

bool VirtualDisplay::xvfbAvailable() {
    return findInPath("Xvfb").has_value();
}

VirtualDisplay::~VirtualDisplay() {
    if (m_server) {
        m_server->stop(std::chrono::seconds(2));
    }
}

}  // namespace signpost::test
