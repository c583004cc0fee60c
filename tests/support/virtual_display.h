// Signpost test helpers — an X display for tests that open real windows.
//
// VirtualDisplay::start() runs Xvfb on a display number Xvfb picks itself (-displayfd), so
// parallel tests and other users of the machine never collide, and waits until it accepts
// connections. Tests that open a window always start their own, of the size they need: an
// ambient $DISPLAY (a developer's desktop, xvfb-run's 1280x1024) is never reused, because a
// test that taps at 1920x1080 coordinates fails on a smaller screen (issue 13).
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
    int width = 1920;  // screen 0 size
    int height = 1080;
    int depth = 24;
    // -1: Xvfb picks a free number. Otherwise this one (freeDisplayNumber()), for a test that
    // must know the number before the server exists (a kiosk waiting for display :N).
    int number = -1;
    std::filesystem::path logFile;  // Xvfb's stderr; "" = /dev/null
    std::chrono::milliseconds startTimeout{15000};
};

class VirtualDisplay {
public:
    // Starts Xvfb. Throws ProcessError.
    static VirtualDisplay start(const VirtualDisplayOptions& options = {});
    // Wraps an existing display (nothing is started or stopped).
    static VirtualDisplay existing(std::string display);
    // A display number no X server uses now (no socket, no lock file), from 200 up. Another
    // process may take it before you do: start() then fails and says so.
    static int freeDisplayNumber();
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
