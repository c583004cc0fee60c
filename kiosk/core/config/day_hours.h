// Signpost — the text forms of a venue's opening hours, as [hours] in kiosk.toml and
// `signpost-server admin device set` write them:
//   a day        "09:00-17:00" | "09:00-12:30, 13:30-17:00" (up to 4 sessions, in order, not
//                overlapping) | "closed" | "00:00-24:00" (open all day, the default)
//   an exception "2026-12-25 closed" | "2026-12-24 09:00-13:00": that date's hours instead of
//                its weekday's (bank holidays, Christmas)
// Times are the venue's local wall clock, minutes 00..59, hours 00..24 ("24:00" only as a closing
// time). A session closes at its closing minute: 09:00-17:00 is open at 16:59, closed at 17:00.
//
// These live in config (not operations) because the config checks [hours] values when it loads
// them, and config sits below operations: operations/opening_hours.h builds the schedule (open
// now? next opening?) from these values.
//
// Thread-safety: pure functions over value types.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost {

struct OpeningSession {
    int opens = 0;      // minutes of the day, 0..1439
    int closes = 1440;  // minutes of the day, opens+1..1440
    bool operator==(const OpeningSession&) const = default;
};

// One day's hours: empty = closed all day.
struct DayHours {
    std::vector<OpeningSession> sessions;
    bool closed() const noexcept { return sessions.empty(); }
    bool operator==(const DayHours&) const = default;
};

struct HoursException {
    std::chrono::year_month_day date;
    DayHours hours;
};

// Parse the text forms above (surrounding spaces allowed); nullopt with `problem` set to a short
// reason ("\"9-5\" is not a time range like 09:00-17:00") otherwise. Never throw.
std::optional<DayHours> parseDayHours(std::string_view text, std::string* problem = nullptr);
std::optional<HoursException> parseHoursException(std::string_view text,
                                                  std::string* problem = nullptr);
// The canonical text of a day ("09:00-17:00", "closed"): parseDayHours's inverse.
std::string formatDayHours(const DayHours& day);

}  // namespace signpost
