// Signpost — one-line logging to stderr (the journal) plus an in-memory ring for the staff panel.
//
// RULE: no resident data in logs, ever. Log ids, counts, sizes, statuses and error codes — never a
// name, phone, email, free text or decrypted payload. Tests walk a referral and scan every line
// logged (see tests/log_privacy_test.cpp).
//
// Thread-safety: every function here is safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

struct LogLine {
    std::chrono::system_clock::time_point time;
    LogLevel level = LogLevel::Info;
    std::string component;  // "outbox", "sync", "ui", ...
    std::string message;
};

// Records one line: written to stderr as "LEVEL component: message" and kept in a ring of the
// last 500 lines. Lines below the minimum level (default Info) are dropped.
void logMessage(LogLevel level, std::string_view component, std::string_view message);
inline void logDebug(std::string_view c, std::string_view m) {
    logMessage(LogLevel::Debug, c, m);
}
inline void logInfo(std::string_view c, std::string_view m) {
    logMessage(LogLevel::Info, c, m);
}
inline void logWarning(std::string_view c, std::string_view m) {
    logMessage(LogLevel::Warning, c, m);
}
inline void logError(std::string_view c, std::string_view m) {
    logMessage(LogLevel::Error, c, m);
}

void setMinimumLogLevel(LogLevel level);
// Turns the stderr copy on or off (default on). Tests and benchmarks turn it off.
void setLogToStderr(bool enabled);
// Newest last; at most `maxLines` lines.
std::vector<LogLine> recentLogLines(std::size_t maxLines = 50);
// Formats a line as the staff panel shows it: "14:03:07 WARN sync: server answered 503".
std::string formatLogLine(const LogLine& line);
const char* logLevelName(LogLevel level);

}  // namespace signpost
