#include "core/common/log.h"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <deque>
#include <mutex>

namespace signpost {
namespace {

constexpr std::size_t kRingCapacity = 500;

struct LogState {
    std::mutex mutex;
    std::deque<LogLine> ring;
};

LogState& state() {
    static LogState instance;
    return instance;
}

std::atomic<int> g_minimumLevel{static_cast<int>(LogLevel::Info)};
std::atomic<bool> g_toStderr{true};

}  // namespace

const char* logLevelName(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "DEBUG";
        case LogLevel::Info:
            return "INFO";
        case LogLevel::Warning:
            return "WARN";
        case LogLevel::Error:
            return "ERROR";
    }
    return "?";
}

void logMessage(LogLevel level, std::string_view component, std::string_view message) {
    if (static_cast<int>(level) < g_minimumLevel.load(std::memory_order_relaxed)) {
        return;
    }
    LogLine line{std::chrono::system_clock::now(), level, std::string(component),
                 std::string(message)};
    if (g_toStderr.load(std::memory_order_relaxed)) {
        // One fprintf per line so concurrent lines do not interleave mid-line.
        std::fprintf(stderr, "%s %s: %s\n", logLevelName(level), line.component.c_str(),
                     line.message.c_str());
    }
    LogState& s = state();
    std::lock_guard lock(s.mutex);
    s.ring.push_back(std::move(line));
    if (s.ring.size() > kRingCapacity) {
        s.ring.pop_front();
    }
}

void setMinimumLogLevel(LogLevel level) {
    g_minimumLevel = static_cast<int>(level);
}
void setLogToStderr(bool enabled) {
    g_toStderr = enabled;
}

std::vector<LogLine> recentLogLines(std::size_t maxLines) {
    LogState& s = state();
    std::lock_guard lock(s.mutex);
    std::size_t count = std::min(maxLines, s.ring.size());
    return {s.ring.end() - static_cast<std::ptrdiff_t>(count), s.ring.end()};
}

std::string formatLogLine(const LogLine& line) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(line.time);
    std::tm local{};
    localtime_r(&seconds, &local);
    char clock[16];
    std::strftime(clock, sizeof clock, "%H:%M:%S", &local);
    return std::string(clock) + " " + logLevelName(line.level) + " " + line.component + ": " +
           line.message;
}

}  // namespace signpost
