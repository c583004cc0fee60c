// signpost-kiosk: flags, the start-up runtime, then the shell. Everything else lives in
// signpost_core (data) and signpost_ui (screens); see kiosk_shell.h for the window and loop and
// exit_codes.h for what each exit code means to the service manager.
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/exit_codes.h"
#include "app/kiosk_shell.h"
#include "app/shell_options.h"
#include "app/signal_watcher.h"
#include "core/common/secure_buffer.h"
#include "core/config/toml.h"
#include "core/referral/unsent_count.h"
#include "core/runtime/kiosk_runtime.h"
#include "core/runtime/systemd_notify.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/engine_options.h"
#include "sync/engine/enrollment_policy.h"

namespace {

// One line from standard input, without its line end; nullopt at end of input.
std::optional<signpost::SecureString> readLine() {
    signpost::SecureString line;
    for (int c = std::getchar(); c != EOF; c = std::getchar()) {
        if (c == '\n') {
            return line;
        }
        line.push_back(static_cast<char>(c));
    }
    if (line.empty()) {
        return std::nullopt;
    }
    return line;
}

// A terminal's echo off for the lifetime of the object (nothing on a pipe).
class NoEcho {
public:
    NoEcho() {
        if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
    }
    ~NoEcho() {
        if (m_active) {
            ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
        }
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

// The new PIN from standard input: asked twice without echo on a terminal, else the first line.
std::optional<signpost::SecureString> readNewPin() {
    using signpost::SecureString;
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    std::optional<SecureString> first;
    {
        NoEcho quiet;
        if (terminal) {
            std::fputs("New staff PIN (4 to 8 digits): ", stderr);
        }
        first = readLine();
        if (terminal) {
            std::fputs("\nThe same PIN again: ", stderr);
            std::optional<SecureString> second = readLine();
            std::fputs("\n", stderr);
            const bool same = first && second && signpost::view(*first) == signpost::view(*second);
            if (second) {
                signpost::wipe(*second);
            }
            if (!same) {
                std::fputs("signpost-kiosk: the two PINs differ; nothing was changed\n", stderr);
                if (first) {
                    signpost::wipe(*first);
                }
                return std::nullopt;
            }
        }
    }
    if (!first) {
        std::fputs("signpost-kiosk: --set-pin reads the PIN from standard input, which was empty\n",
                   stderr);
        return std::nullopt;
    }
    if (!first->empty() && first->back() == '\r') {
        first->pop_back();
    }
    return first;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace signpost;
    using namespace signpost::app;
    const auto startedAt = std::chrono::steady_clock::now();
    try {
        // First, before GLFW, Mesa or anything else can start a thread that would not inherit it.
        SignalWatcher::blockTerminationSignals();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signpost-kiosk: %s\n", error.what());
        return kExitCannotStart;
    }

    ParsedCommandLine command = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    command.options.startedAt = startedAt;
    switch (command.action) {
        case ParsedCommandLine::Action::Help:
            std::fputs(usageText().c_str(), stdout);
            return kExitOk;
        case ParsedCommandLine::Action::Version:
            std::printf("%s\n", versionText().c_str());
            return kExitOk;
        case ParsedCommandLine::Action::Error:
            std::fprintf(stderr, "signpost-kiosk: %s\n\n%s", command.error.c_str(),
                         usageText().c_str());
            return kExitUsage;
        case ParsedCommandLine::Action::Run:
        case ParsedCommandLine::Action::Enroll:
        case ParsedCommandLine::Action::ResetPin:
        case ParsedCommandLine::Action::SetPin:
        case ParsedCommandLine::Action::CountUnsent:
            break;
    }

    if (command.action == ParsedCommandLine::Action::CountUnsent) {
        // For the package's prerm (installer/packaging/kiosk/prerm): one number on stdout, or a
        // non-zero exit when it cannot be known; never a guess.
        std::filesystem::path dataDir;
        try {
            dataDir =
                kioskDataDir(KioskOptions{command.options.configFile, command.options.dataDir});
            const UnsentCount count = countUnsentReferrals(dataDir);
            std::printf("%lld\n", static_cast<long long>(count.total()));
            std::fprintf(
                stderr, "signpost-kiosk: %s: %lld unsent in outbox.db, %lld in %d damaged copies\n",
                dataDir.c_str(), static_cast<long long>(count.live),
                static_cast<long long>(count.damagedCopies), count.copiesRead);
            return kExitOk;
        } catch (const ConfigError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return kExitBadConfig;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "signpost-kiosk: cannot count the unsent referrals in %s: %s\n",
                         dataDir.c_str(), error.what());
            return kExitCannotStart;
        }
    }

    if (command.action == ParsedCommandLine::Action::SetPin) {
        try {
            std::optional<SecureString> pin = readNewPin();
            if (!pin) {
                return kExitUsage;
            }
            const auto configFile = setStaffPin(
                KioskOptions{command.options.configFile, command.options.dataDir}, view(*pin));
            wipe(*pin);
            std::printf(
                "The staff PIN is set in %s (and any lock-out is over).\n"
                "Restart the kiosk (as root: systemctl restart signpost-kiosk; or switch it off "
                "and\n"
                "on) for it to take effect.\n",
                configFile.c_str());
            return kExitOk;
        } catch (const std::invalid_argument& error) {
            std::fprintf(stderr, "signpost-kiosk: the PIN was not set: %s\n", error.what());
            return kExitUsage;
        } catch (const ConfigError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return kExitBadConfig;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "signpost-kiosk: the PIN was not set: %s\n", error.what());
            return kExitCannotStart;
        }
    }

    if (command.action == ParsedCommandLine::Action::ResetPin) {
        try {
            const auto configFile =
                resetStaffPin(KioskOptions{command.options.configFile, command.options.dataDir});
            std::printf(
                "The staff PIN is cleared in %s: staff mode is closed until a new one is set.\n"
                "Set it with signpost-kiosk --set-pin (as root or the user signpost), then "
                "restart\n"
                "the kiosk (as root: systemctl restart signpost-kiosk; or switch it off and on).\n",
                configFile.c_str());
            return kExitOk;
        } catch (const ConfigError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return kExitBadConfig;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "signpost-kiosk: the PIN was not reset: %s\n", error.what());
            return kExitCannotStart;
        }
    }
    try {
        SignalWatcher signals;
        KioskRuntime runtime;
        try {
            KioskOptions kioskOptions{command.options.configFile, command.options.dataDir};
            kioskOptions.coordinatorKeyFile = command.options.coordinatorKeyFile;
            runtime = openKioskRuntime(kioskOptions);
        } catch (const ConfigError& error) {
            // One line naming file, line and key; no window. Restarting cannot fix this.
            std::fprintf(stderr, "%s\n", error.what());
            return kExitBadConfig;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "signpost-kiosk: cannot start: %s\n", error.what());
            return kExitCannotStart;
        }
        if (signals.stopRequested()) {
            return kExitOk;
        }
        if (command.action == ParsedCommandLine::Action::Enroll) {
            // No window: enroll the way the staff panel does, with the [sync] settings.
            const sync::SyncEngineOptions syncOptions =
                sync::syncEngineOptions(runtime.config, runtime.dataDir);
            // The same rules as the staff panel: https:// (plain http:// only on this machine),
            // and what waits for the current server stays bound to it (enrollment_policy.h).
            if (auto allowed = sync::checkEnrollmentUrl(command.options.enrollServer); !allowed) {
                std::fprintf(stderr, "signpost-kiosk: enrollment refused (%s): %s\n",
                             allowed.error().code.c_str(), allowed.error().message.c_str());
                return kExitCannotStart;
            }
            sync::holdQueueBeforeEnrolling(runtime.dataDir / "outbox.db", runtime.dataDir,
                                           command.options.enrollServer);
            HttpClient http(syncOptions.http);
            const auto enrolled =
                sync::enrollDevice(http,
                                   {command.options.enrollServer, command.options.enrollCode,
                                    syncOptions.deviceName, syncOptions.venue},
                                   runtime.dataDir);
            if (!enrolled) {
                std::fprintf(stderr, "signpost-kiosk: enrollment failed (%s): %s\n",
                             enrolled.error().code.c_str(), enrolled.error().message.c_str());
                return kExitCannotStart;
            }
            std::printf("enrolled with %s as device %s\n",
                        enrolled.value().enrollment.serverUrl.c_str(),
                        enrolled.value().enrollment.deviceId.c_str());
            return kExitOk;
        }
        SystemdNotifier notifier = SystemdNotifier::fromEnvironment();
        return runKioskShell(runtime, command.options, notifier, signals);
    } catch (const std::exception& error) {
        // No display, no GL 3.0, or something that failed outside a frame.
        std::fprintf(stderr, "signpost-kiosk: %s\n", error.what());
        return kExitCannotStart;
    }
}
