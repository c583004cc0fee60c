#include "app/shell_options.h"

#include <charconv>
#include <optional>

namespace signpost::app {
namespace {

constexpr int kMinSide = 320;
constexpr int kMaxSide = 16384;

std::optional<int> parseSide(std::string_view text) {
    int value = 0;
    auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || ptr != text.data() + text.size() || value < kMinSide || value > kMaxSide) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

ParsedCommandLine parseCommandLine(const std::vector<std::string>& args) {
    ParsedCommandLine parsed;
    const auto fail = [&](std::string message) {
        parsed.action = ParsedCommandLine::Action::Error;
        parsed.error = std::move(message);
        return parsed;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i];
        std::optional<std::string> inlineValue;
        if (name.rfind("--", 0) == 0) {
            if (const auto equals = name.find('='); equals != std::string::npos) {
                inlineValue = name.substr(equals + 1);
                name.resize(equals);
            }
        }
        const auto value = [&]() -> std::optional<std::string> {
            if (inlineValue) {
                return inlineValue;
            }
            if (i + 1 < args.size()) {
                return args[++i];
            }
            return std::nullopt;
        };
        const auto noValue = [&]() { return !inlineValue.has_value(); };

        if (name == "--help" || name == "-h") {
            parsed.action = ParsedCommandLine::Action::Help;
            return parsed;
        }
        if (name == "--version") {
            parsed.action = ParsedCommandLine::Action::Version;
            return parsed;
        }
        if (name == "--reset-pin") {
            if (!noValue()) {
                return fail("--reset-pin takes no value");
            }
            if (parsed.action == ParsedCommandLine::Action::SetPin) {
                return fail("--reset-pin and --set-pin are separate steps: run one, then the other");
            }
            parsed.action = ParsedCommandLine::Action::ResetPin;
            continue;
        }
        if (name == "--count-unsent") {
            if (!noValue()) {
                return fail("--count-unsent takes no value");
            }
            parsed.action = ParsedCommandLine::Action::CountUnsent;
            continue;
        }
        if (name == "--set-pin") {
            // Never on the command line, where ps and shell histories would keep it.
            if (!noValue()) {
                return fail("--set-pin reads the PIN from standard input, never from the command line");
            }
            if (parsed.action == ParsedCommandLine::Action::ResetPin) {
                return fail("--reset-pin and --set-pin are separate steps: run one, then the other");
            }
            parsed.action = ParsedCommandLine::Action::SetPin;
            continue;
        }
        if (name == "--windowed") {
            if (!noValue()) {
                return fail("--windowed takes no value");
            }
            parsed.options.windowed = true;
        } else if (name == "--test-hang-after-frames") {
            auto given = value();
            int frames = 0;
            const auto parsedNumber = given ? std::from_chars(given->data(), given->data() + given->size(), frames)
                                            : std::from_chars_result{nullptr, std::errc::invalid_argument};
            if (!given || parsedNumber.ec != std::errc() || parsedNumber.ptr != given->data() + given->size() ||
                frames < 1 || frames > 1000000) {
                return fail("--test-hang-after-frames expects a whole number of frames from 1 to 1000000");
            }
            parsed.options.testHangAfterFrames = frames;
        } else if (name == "--enroll" || name == "--enrollment-code") {
            auto given = value();
            if (!given || given->empty()) {
                return fail(name + " needs a value");
            }
            (name == "--enroll" ? parsed.options.enrollServer : parsed.options.enrollCode) = *given;
        } else if (name == "--config" || name == "--data-dir" || name == "--ui-map" || name == "--size" ||
                   name == "--coordinator-key") {
            auto given = value();
            if (!given || given->empty()) {
                return fail(name + " needs a value");
            }
            if (name == "--config") {
                parsed.options.configFile = *given;
            } else if (name == "--data-dir") {
                parsed.options.dataDir = *given;
            } else if (name == "--ui-map") {
                parsed.options.uiMapFile = *given;
            } else if (name == "--coordinator-key") {
                parsed.options.coordinatorKeyFile = *given;
            } else {
                const auto x = given->find('x');
                auto width = x == std::string::npos ? std::nullopt : parseSide(std::string_view(*given).substr(0, x));
                auto height = x == std::string::npos ? std::nullopt : parseSide(std::string_view(*given).substr(x + 1));
                if (!width || !height) {
                    return fail("--size expects WIDTHxHEIGHT, each from " + std::to_string(kMinSide) +
                                " to " + std::to_string(kMaxSide) + " pixels, e.g. 1920x1080; got '" +
                                *given + "'");
                }
                parsed.options.width = *width;
                parsed.options.height = *height;
                parsed.options.sizeGiven = true;
            }
        } else if (!name.empty() && name[0] == '-') {
            return fail("unknown option '" + name + "'");
        } else {
            return fail("unexpected argument '" + name + "'");
        }
    }
    if (parsed.options.enrollServer.empty() != parsed.options.enrollCode.empty()) {
        return fail("--enroll and --enrollment-code go together");
    }
    if (!parsed.options.enrollServer.empty()) {
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
           "The Signpost touchscreen kiosk: residents browse local support and ask to be contacted.\n"
           "\n"
           "Options:\n"
           "  --config FILE     configuration file (default: /etc/signpost/kiosk.toml when installed,\n"
           "                    config/kiosk.toml of the source tree when run from a build)\n"
           "  --data-dir DIR    where the directory, outbox and device id live (default: the config's\n"
           "                    paths.data_dir, else /var/lib/signpost or $XDG_DATA_HOME/signpost)\n"
           "  --coordinator-key FILE\n"
           "                    read the coordinators' public key from FILE, which must be owned by\n"
           "                    root and not writable by others (default when installed:\n"
           "                    /etc/signpost/coordinator.pub; kiosk.toml's key is then ignored)\n"
           "  --windowed        a normal window instead of full screen on the primary monitor\n"
           "  --size WxH        the window's size with --windowed (default 1920x1080; 1080x1920 for\n"
           "                    portrait)\n"
           "  --ui-map FILE     write where every touchable element is (JSON) whenever it changes,\n"
           "                    for the end-to-end test driver\n"
           "  --test-hang-after-frames N\n"
           "                    TESTS ONLY: after N frames the frame loop stops drawing (as if hung)\n"
           "                    until SIGTERM, to prove the systemd watchdog stops being fed\n"
           "  --enroll URL --enrollment-code CODE\n"
           "                    enroll this kiosk with the sync server at URL using a single-use\n"
           "                    code (signpost-server admin enrollment-code), then exit; staff can\n"
           "                    also enroll from the staff panel\n"
           "  --set-pin         set the staff PIN, then exit: it is read from standard input (asked\n"
           "                    twice on a terminal), never from the command line; 4 to 8 digits, not\n"
           "                    all the same and not a run such as 1234. It also ends any lock-out.\n"
           "                    Run it as the user signpost (or root), then restart the kiosk\n"
           "  --reset-pin       forget the staff PIN (and any lock-out from wrong PINs), then exit;\n"
           "                    staff mode is then not set up (the touchscreen never sets a PIN)\n"
           "                    until --set-pin or the coordinators' remote settings give one\n"
           "  --count-unsent    print how many referrals in the data directory never reached the\n"
           "                    server (queued or rejected, damaged copies included), then exit;\n"
           "                    the package's removal scripts ask this. Run it as the user signpost\n"
           "  --help            show this help\n"
           "  --version         show the version\n"
           "\n"
           "Exit codes: 0 stopped or \"Exit kiosk\"; 1 cannot start; 2 bad command line;\n"
           "70 the UI failed (restart it); 75 \"Restart kiosk\" (restart it); 78 bad configuration.\n"
           "Signals: SIGTERM and SIGINT stop the kiosk cleanly. With $NOTIFY_SOCKET set it tells\n"
           "systemd READY=1 after the first frame and feeds the watchdog ($WATCHDOG_USEC).\n";
}

std::string versionText() { return std::string("signpost-kiosk ") + SIGNPOST_VERSION; }

}  // namespace signpost::app
