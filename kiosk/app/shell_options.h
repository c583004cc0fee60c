// Signpost — the kiosk's command line.
//
//   signpost-kiosk [--config FILE] [--data-dir DIR] [--coordinator-key FILE] [--windowed] [--size
//   WxH]
//                  [--ui-map FILE]
//   signpost-kiosk [--config FILE] [--data-dir DIR] --enroll URL --enrollment-code CODE
//   signpost-kiosk [--config FILE] [--data-dir DIR] --reset-pin
//   signpost-kiosk [--config FILE] [--data-dir DIR] --count-unsent
//   signpost-kiosk [--config FILE] [--data-dir DIR] --set-pin     (the PIN from stdin, never argv)
//   signpost-kiosk --help | --version
//   signpost-kiosk ... --test-hang-after-frames N   (tests only: see below)
//
// Options take their value as the next argument or after '=' (--size=1080x1920); the command
// line is read by core/common/command_line.h (CLI11), as the server's and the tool's are.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace signpost::app {

struct ShellOptions {
    std::filesystem::path
        configFile;                 // --config; "" = the default config file (core/common/paths.h)
    std::filesystem::path dataDir;  // --data-dir; "" = config paths.data_dir, then the default
    bool windowed = false;          // --windowed: a normal window instead of full screen
    int width = 1920;               // --size WxH: the window's size in windowed mode
    int height = 1080;
    bool sizeGiven = false;
    std::filesystem::path uiMapFile;  // --ui-map: write the UiMap as JSON here when it changes
    // --test-hang-after-frames N (0 = off): TEST ONLY. After N frames the frame loop stops
    // drawing and sleeps (until SIGTERM/SIGINT), exactly like a render loop stuck in a driver
    // call, so a test can prove that no "WATCHDOG=1" is sent while no frame completes. It exists
    // only on the command line: nothing on screen, no config key and no input can turn it on, and
    // it is logged as a warning at start. Never put it in a unit file.
    int testHangAfterFrames = 0;
    std::chrono::steady_clock::time_point
        startedAt;  // set by main: start-up times are logged from it
    std::filesystem::path
        coordinatorKeyFile;    // --coordinator-key: the coordinators' key from
                               // this root-owned file (core/runtime/coordinator_key.h)
    std::string enrollServer;  // --enroll: enroll with this sync server, then exit
    std::string enrollCode;    // --enrollment-code: the single-use code for --enroll
};

struct ParsedCommandLine {
    enum class Action {
        Run,
        Enroll,
        ResetPin,
        SetPin,
        CountUnsent,
        Help,
        Version,
        Error
    } action = Action::Run;
    ShellOptions options;
    std::string error;  // for Action::Error: one line, e.g. "unknown option --fullscreen"
};

ParsedCommandLine parseCommandLine(const std::vector<std::string>& args);  // args without argv[0]
std::string usageText();                                                   // the --help text
std::string versionText();                                                 // "signpost-kiosk 0.1.0"

}  // namespace signpost::app
