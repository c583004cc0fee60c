#include "app/shell_options.h"

#include <charconv>
#include <optional>

#include "core/common/command_line.h"

namespace signpost::app {
namespace {

constexpr int kMinSide = 320;
constexpr int kMaxSide = 16384;

std::optional<int> parseSide(std::string_view text) {
    int value = 0;
    auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || ptr != text.data() + text.size() || value < kMinSide ||
        value > kMaxSide) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

ParsedCommandLine parseCommandLine(const std::vector<std::string>& args) {
    // The program itself: options only, no words, no sub-commands.
    static const cli::CommandSpec kSpec{"",
                                        {{"--help", false},
                                         {"-h", false},
                                         {"--version", false},
                                         {"--config", true},
                                         {"--data-dir", true},
                                         {"--windowed", false},
                                         {"--size", true},
                                         {"--ui-map", true},
                                         {"--test-hang-after-frames", true},
                                         {"--enroll", true},
                                         {"--enrollment-code", true},
                                         {"--coordinator-key", true},
                                         {"--reset-pin", false},
                                         {"--set-pin", false},
                                         {"--count-unsent", false}},
                                        0,
                                        {}};
    ParsedCommandLine parsed;
    const auto fail = [&](std::string message) {
        parsed.action = ParsedCommandLine::Action::Error;
        parsed.error = std::move(message);
        return parsed;
    };
    for (const std::string& arg : args) {
        if (arg.rfind("--set-pin=", 0) == 0) {
            // Never on the command line, where ps and shell histories would keep it.
            return fail("--set-pin reads the PIN from standard input, never from the command line");
        }
    }
    cli::ParsedCommandLine given;
    try {
        given = cli::parse(kSpec, args);
    } catch (const cli::UsageError& error) {
        return fail(error.what());
    }
    if (given.has("--help") || given.has("-h")) {
        parsed.action = ParsedCommandLine::Action::Help;
        return parsed;
    }
    if (given.has("--version")) {
        parsed.action = ParsedCommandLine::Action::Version;
        return parsed;
    }
    ShellOptions& options = parsed.options;
    options.configFile = given.value("--config").value_or("");
    options.dataDir = given.value("--data-dir").value_or("");
    options.uiMapFile = given.value("--ui-map").value_or("");
    options.windowed = given.has("--windowed");
    options.enrollServer = given.value("--enroll").value_or("");
    options.enrollCode = given.value("--enrollment-code").value_or("");
    options.coordinatorKeyFile = given.value("--coordinator-key").value_or("");
    if (const auto frames = given.value("--test-hang-after-frames")) {
        int number = 0;
        const auto [end, error] =
            std::from_chars(frames->data(), frames->data() + frames->size(), number);
        if (error != std::errc() || end != frames->data() + frames->size() || number < 1 ||
            number > 1000000) {
            return fail(
                "--test-hang-after-frames expects a whole number of frames from 1 to 1000000");
        }
        options.testHangAfterFrames = number;
    }
    if (const auto size = given.value("--size")) {
        const auto x = size->find('x');
        auto width =
            x == std::string::npos ? std::nullopt : parseSide(std::string_view(*size).substr(0, x));
        auto height = x == std::string::npos ? std::nullopt
                                             : parseSide(std::string_view(*size).substr(x + 1));
        if (!width || !height) {
            return fail("--size expects WIDTHxHEIGHT, each from " + std::to_string(kMinSide) +
                        " to " + std::to_string(kMaxSide) + " pixels, e.g. 1920x1080; got '" +
                        *size + "'");
        }
        options.width = *width;
        options.height = *height;
        options.sizeGiven = true;
    }
    if (given.has("--reset-pin") && given.has("--set-pin")) {
        return fail("--reset-pin and --set-pin are separate steps: run one, then the other");
    }
    if (given.has("--reset-pin")) {
        parsed.action = ParsedCommandLine::Action::ResetPin;
    } else if (given.has("--set-pin")) {
        parsed.action = ParsedCommandLine::Action::SetPin;
    }
    if (given.has("--count-unsent")) {
        if (parsed.action != ParsedCommandLine::Action::Run) {
            return fail("--count-unsent and the PIN are separate steps: run one, then the other");
        }
        parsed.action = ParsedCommandLine::Action::CountUnsent;
    }
    if (options.enrollServer.empty() != options.enrollCode.empty()) {
        return fail("--enroll and --enrollment-code go together");
    }
    if (!options.enrollServer.empty()) {
        if (parsed.action == ParsedCommandLine::Action::ResetPin ||
            parsed.action == ParsedCommandLine::Action::SetPin) {
            return fail("the PIN and --enroll are separate steps: run one, then the other");
        }
        if (parsed.action == ParsedCommandLine::Action::CountUnsent) {
            return fail("--count-unsent and --enroll are separate steps: run one, then the other");
        }
        parsed.action = ParsedCommandLine::Action::Enroll;
    }
    return parsed;
}

std::string usageText() {
    return "Usage: signpost-kiosk [options]\n"
           "\n"
           "The Signpost touchscreen kiosk: residents browse local support and ask to be "
           "contacted.\n"
           "\n"
           "Options:\n"
           "  --config FILE     configuration file (default: /etc/signpost/kiosk.toml when "
           "installed,\n"
           "                    config/kiosk.toml of the source tree when run from a build)\n"
           "  --data-dir DIR    where the directory, outbox and device id live (default: the "
           "config's\n"
           "                    paths.data_dir, else /var/lib/signpost or "
           "$XDG_DATA_HOME/signpost)\n"
           "  --coordinator-key FILE\n"
           "                    read the coordinators' public key from FILE, which must be owned "
           "by\n"
           "                    root and not writable by others (default when installed:\n"
           "                    /etc/signpost/coordinator.pub; kiosk.toml's key is then ignored)\n"
           "  --windowed        a normal window instead of full screen on the primary monitor\n"
           "  --size WxH        the window's size with --windowed (default 1920x1080; 1080x1920 "
           "for\n"
           "                    portrait)\n"
           "  --ui-map FILE     write where every touchable element is (JSON) whenever it "
           "changes,\n"
           "                    for the end-to-end test driver\n"
           "  --test-hang-after-frames N\n"
           "                    TESTS ONLY: after N frames the frame loop stops drawing (as if "
           "hung)\n"
           "                    until SIGTERM, to prove the systemd watchdog stops being fed\n"
           "  --enroll URL --enrollment-code CODE\n"
           "                    enroll this kiosk with the sync server at URL using a single-use\n"
           "                    code (signpost-server admin enrollment-code), then exit; staff "
           "can\n"
           "                    also enroll from the staff panel\n"
           "  --set-pin         set the staff PIN, then exit: it is read from standard input "
           "(asked\n"
           "                    twice on a terminal), never from the command line; 4 to 8 digits, "
           "not\n"
           "                    all the same and not a run such as 1234. It also ends any "
           "lock-out.\n"
           "                    Run it as the user signpost (or root), then restart the kiosk\n"
           "  --reset-pin       forget the staff PIN (and any lock-out from wrong PINs), then "
           "exit;\n"
           "                    staff mode is then not set up (the touchscreen never sets a PIN)\n"
           "                    until --set-pin or the coordinators' remote settings give one\n"
           "  --count-unsent    print how many referrals in the data directory never reached the\n"
           "                    server (queued or rejected, damaged copies included), then exit;\n"
           "                    the package's removal scripts ask this. Run it as the user "
           "signpost\n"
           "  --help            show this help\n"
           "  --version         show the version\n"
           "\n"
           "Exit codes: 0 stopped or \"Exit kiosk\"; 1 cannot start; 2 bad command line;\n"
           "70 the UI failed (restart it); 75 \"Restart kiosk\" (restart it); 78 bad "
           "configuration.\n"
           "Signals: SIGTERM and SIGINT stop the kiosk cleanly. With $NOTIFY_SOCKET set it tells\n"
           "systemd READY=1 after the first frame and feeds the watchdog ($WATCHDOG_USEC).\n";
}

std::string versionText() {
    return std::string("signpost-kiosk ") + SIGNPOST_VERSION;
}

}  // namespace signpost::app
