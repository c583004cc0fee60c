// Signpost — the venue's opening hours ([hours] in kiosk.toml): is the venue open now, when does
// it open next, and when does that answer next change. Outside the hours the kiosk shows the
// closed screen ("We're closed — here is how to get help") and lets the display sleep.
//
// Text forms (the config's and `signpost-server admin device set`'s; core/config/day_hours.h):
//   a day        "09:00-17:00" | "09:00-12:30, 13:30-17:00" (up to 4 sessions, in order, not
//                overlapping) | "closed" | "00:00-24:00" (open all day, the default)
//   an exception "2026-12-25 closed" | "2026-12-24 09:00-13:00": that date's hours instead of
//                its weekday's (bank holidays, Christmas)
// Times are the venue's local wall clock (KioskConfig::timeZone), minutes 00..59, hours 00..24
// ("24:00" only as a closing time). A session closes at its closing minute: 09:00-17:00 is open
// at 16:59 and closed at 17:00.
//
// Thread-safety: an immutable value; every member is const and safe from any thread.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time_zone.h"
#include "core/config/day_hours.h"

namespace signpost {

struct KioskConfig;

// The next opening as the closed screen says it.
struct NextOpening {
    std::chrono::sys_seconds at;  // the instant it opens
    LocalTime local;              // the same on the venue's wall clock
    int daysAhead = 0;            // 0 = later today, 1 = tomorrow, ...
};

class OpeningHours {
public:
    // Open all day, every day: the kiosk never closes (the default config).
    OpeningHours();
    // `week[0]` is Monday ... `week[6]` Sunday. Exceptions override their dates. Both come from
    // the text forms above: parseDayHours() and parseHoursException() (core/config/day_hours.h,
    // where the config checks them on load).
    OpeningHours(std::array<DayHours, 7> week, std::vector<HoursException> exceptions);

    // True if the venue is open every minute of every day (no closed screen at all).
    bool alwaysOpen() const noexcept;
    // The hours that apply on `date` (an exception, else its weekday's).
    const DayHours& hoursOn(std::chrono::year_month_day date, unsigned isoWeekday) const;
    bool isOpenAt(const LocalTime& local) const;
    bool isOpenAt(std::chrono::sys_seconds instant, const TimeZone& zone) const;

    // The next instant after `now` at which isOpenAt() differs from its value at `now`;
    // nullopt when it never changes within `horizon` (always open, or closed for good).
    std::optional<std::chrono::sys_seconds> nextChange(
        std::chrono::sys_seconds now, const TimeZone& zone,
        std::chrono::days horizon = std::chrono::days(400)) const;
    // When it next opens, if it is closed at `now` (nullopt if open now or never within 400 days).
    std::optional<NextOpening> nextOpening(std::chrono::sys_seconds now,
                                           const TimeZone& zone) const;

private:
    std::array<DayHours, 7> m_week;
    std::vector<HoursException> m_exceptions;  // sorted by date, unique
};

// The [hours] of a validated config (bad text cannot reach here: loading refuses it; a day that
// somehow does not parse counts as open all day, so a kiosk never closes by mistake).
OpeningHours openingHoursOf(const KioskConfig& config);

}  // namespace signpost
