#include "core/runtime/display_wait.h"

#include <algorithm>
#include <ctime>
#include <thread>

#include "core/common/log.h"

namespace signpost {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string localClockTime() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M", &local);
    return text;
}

std::string describeWait(Clock::duration waited) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(waited).count();
    if (seconds < 120) {
        return std::to_string(seconds) + " s";
    }
    if (seconds < 2 * 3600) {
        return std::to_string(seconds / 60) + " min";
    }
    return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

bool extend(SystemdNotifier& notifier, std::chrono::milliseconds by) {
    const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(by).count();
    return notifier.notify("EXTEND_TIMEOUT_USEC=" + std::to_string(usec));
}

}  // namespace

DisplayWaitResult waitForDisplay(const std::function<bool()>& displayAccepts,
                                 const std::function<bool()>& stopRequested,
                                 SystemdNotifier& notifier, const DisplayWaitOptions& options) {
    if (displayAccepts()) {
        return DisplayWaitResult::Available;
    }
    const auto began = Clock::now();
    const std::string display = options.display.empty() ? "(none)" : options.display;
    logWarning("display",
               "display " + display +
                   " is not available yet; waiting for it (said once). The kiosk login on tty1 "
                   "starts it: see \"The screen is blank\" in installer/README.md");
    notifier.notifyStatus("Waiting for display " + display + " since " + localClockTime() +
                          " (the kiosk login on tty1 starts it)");
    extend(notifier, options.extendBy);
    auto nextExtension = began + options.extendEvery;
    auto nextProbe = began + options.poll;
    for (;;) {
        if (stopRequested()) {
            logInfo("display", "asked to stop while waiting for display " + display);
            return DisplayWaitResult::Stopped;
        }
        const auto now = Clock::now();
        if (now >= nextExtension) {
            extend(notifier, options.extendBy);
            nextExtension = now + options.extendEvery;
        }
        if (now >= nextProbe) {
            if (displayAccepts()) {
                logInfo("display", "display " + display + " is available after " +
                                       describeWait(Clock::now() - began) + "; starting");
                notifier.notifyStatus("Starting on display " + display);
                extend(notifier, options.startBudget);
                return DisplayWaitResult::Available;
            }
            nextProbe = Clock::now() + options.poll;
        }
        const auto until = std::min({nextProbe, nextExtension, Clock::now() + 100ms});
        std::this_thread::sleep_until(until);
    }
}

}  // namespace signpost
