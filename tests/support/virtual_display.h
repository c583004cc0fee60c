// Signpost test helpers — an X display for tests that open real windows.
//
// VirtualDisplay::start() runs Xvfb on a display number Xvfb picks itself (-displayfd), so
// parallel tests and other users of the machine never collide, and waits until it accepts
// connections. forTests() reuses the desktop's $DISPLAY when a developer runs the tests by hand
// (SIGNPOST_TEST_HEADLESS unset), and starts Xvfb otherwise (CI, `installer/test.sh`).
//
// Thread-safety: one thread. Throws ProcessError when Xvfb is missing or does not come up.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "support/process.h"

namespace signpost::test {

struct VirtualDisplayOptions {
    int width = 1920;                  // screen 0 size
    int height = 1080;
    int depth = 24;
    std::filesystem::path logFile;     // Xvfb's stderr; "" = /dev/null
    std::chrono::milliseconds startTimeout{15000};
};

class VirtualDisplay {
public:
    // Starts Xvfb. Throws ProcessError.
    static VirtualDisplay start(const VirtualDisplayOptions& options = {});
    // Wraps an existing display (nothing is started or stopped).
    static VirtualDisplay existing(std::string display);
    // $DISPLAY when it is set and SIGNPOST_TEST_HEADLESS is not; Xvfb otherwise. (A reused
    // desktop keeps its own size: callers that need a size must use windowed mode.)
    static VirtualDisplay forTests(const VirtualDisplayOptions& options = {});
    // True if an Xvfb binary is installed.
    static bool xvfbAvailable();

    VirtualDisplay(VirtualDisplay&&) noexcept = default;
    VirtualDisplay& operator=(VirtualDisplay&&) noexcept = default;
    ~VirtualDisplay();  // stops the Xvfb it started

    const std::string& display() const noexcept { return m_display; }  // ":5"
    bool ownsServer() const noexcept { return m_server != nullptr; }
    ChildProcess* server() noexcept { return m_server.get(); }

private:
    VirtualDisplay() = default;
    std::string m_display;
    std::unique_ptr<ChildProcess> m_server;
};

}  // namespace signpost::test
