// The real signpost-kiosk as a child process, for the tests that run the built binary
// (kiosk_e2e_test, operations_kiosk_test): a data dir and a config with a fresh coordinator key,
// as an installer would set up a kiosk, and the process options that start it on them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/referral/sealing.h"
#include "support/process.h"
#include "support/test_support.h"
#include "support/virtual_display.h"

#ifndef CATCH_VERSION_MAJOR
#include <catch2/catch.hpp>
#endif

namespace signpost::test {

struct KioskSetup {
    TempDir dir{"kiosk"};
    CoordinatorKeyPair key = CoordinatorKeyPair::generate();
    std::filesystem::path config = dir / "kiosk.toml";
    std::filesystem::path data = dir / "data";
    std::filesystem::path uiMap = dir / "ui-map.json";

    KioskSetup() {
        TomlDocument document = TomlDocument::parse(exampleKioskConfig(), "kiosk.toml");
        document.set("referral", "coordinator_public_key", key.publicKey().toBase64());
        writeText(config, document.toString());
    }
};

// signpost-kiosk on `setup`'s config and data dir, plus `extraArgs`; stdout and stderr go to
// kiosk.out and kiosk.err in its dir. The systemd variables of the test's own environment are
// removed, so only a test that sets them on purpose talks to a (fake) service manager.
inline ProcessOptions kioskProcess(const KioskSetup& setup,
                                   const std::vector<std::string>& extraArgs) {
    ProcessOptions options;
    options.program = builtProgram("signpost-kiosk");
    options.args = {"--config", setup.config.string(), "--data-dir", setup.data.string()};
    options.args.insert(options.args.end(), extraArgs.begin(), extraArgs.end());
    options.unsetEnv = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"};
    options.stdoutFile = setup.dir / "kiosk.out";
    options.stderrFile = setup.dir / "kiosk.err";
    return options;
}

// Whether the tests that open a real window may run: SIGNPOST_E2E_TESTS is on (a warning says
// they were skipped otherwise) and Xvfb is installed (a failure otherwise: a desktop's $DISPLAY
// is no substitute, see windowTestDisplay()).
inline bool e2eEnabled() {
    if (!SIGNPOST_E2E_ENABLED) {
        WARN("SIGNPOST_E2E_TESTS is OFF; skipped");
        return false;
    }
    if (!VirtualDisplay::xvfbAvailable()) {
        FAIL("no Xvfb: run installer/install-deps.sh");
    }
    return true;
}

// The X display for a test that opens a real window: always an Xvfb of its own, of the size the
// test needs, whatever $DISPLAY says. Issue 13: under xvfb-run (1280x1024) or on a smaller desktop
// a test that reused $DISPLAY tapped at 1920x1080 coordinates outside the screen and failed.
inline VirtualDisplay windowTestDisplay(const VirtualDisplayOptions& options = {}) {
    return VirtualDisplay::start(options);
}
// The same, `width`×`height`, Xvfb's output in `logFile` ("" = dropped).
inline VirtualDisplay windowTestDisplay(int width, int height,
                                        const std::filesystem::path& logFile = {}) {
    VirtualDisplayOptions options;
    options.width = width;
    options.height = height;
    options.logFile = logFile;
    return VirtualDisplay::start(options);
}

}  // namespace signpost::test
