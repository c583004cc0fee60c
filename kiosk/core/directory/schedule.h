// Signpost — opening schedules: is a service open at a local time, and what its hours are in
// plain words ("Tuesdays 10am–12pm", "First Monday of the month, 6pm–8pm").
//
// Implemented in three files: schedule.cpp (open or not, on which days), schedule_fields.cpp
// (HSDS's schedule fields read and written) and schedule_words.cpp (the hours in words).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time_zone.h"
#include "core/directory/directory_types.h"

namespace signpost {

class I18n;

// True if any rule is open at `local`. Handles overnight rules (a rule that opened yesterday and
// closes this morning), MONTHLY ordinals (1MO, -1FR), month days, intervals counted from the
// anchor, and valid_from / valid_to (a rule applies on the days its *opening* falls within).
bool isOpenAt(const std::vector<ScheduleRule>& rules, const LocalTime& local);
// True if `rule` has an opening that starts on `date` (see ScheduleRule for the conditions).
bool opensOn(const ScheduleRule& rule, const CivilDate& date);
// The date of the `count`th opening counted from the rule's first possible day (its anchor or
// validFrom), or nullopt when there are fewer than `count` within 100 years. RFC 5545 COUNT.
std::optional<CivilDate> nthOpening(const ScheduleRule& rule, long count);

// A time of day as HSDS writes it: "09:30", "09:30:00", with an optional zone "Z", "+01:00",
// "-0500". offsetMinutes is nullopt when no zone was given.
struct ClockTime {
    int minutes = 0;                   // 0..1440
    std::optional<int> offsetMinutes;  // east of UTC
};

// Parses HSDS schedule fields. Each throws std::invalid_argument with a short reason.
std::vector<ByDay> parseByDay(std::string_view byday);  // "MO,TU", "1MO", "-1FR"; "" = every day
int parseClockMinutes(std::string_view hhmm);     // "09:30" or "09:30:00" -> 570; "24:00" -> 1440
                                                  // (non-zero seconds and zones refused)
ClockTime parseClockTime(std::string_view text);  // as above, zones allowed; seconds must be 0
ScheduleFrequency parseFrequency(std::string_view freq);  // "WEEKLY" | "MONTHLY" | "DAILY"
std::vector<int> parseByMonthDay(std::string_view text);  // "1,15,-1" -> {1, 15, -1}
unsigned parseWeekday(std::string_view code);             // "MO".."SU" -> 1..7 (WKST)
// The inverse forms, as HSDS writes them: "1MO,-1FR" ("" for every day), "09:30", "WEEKLY",
// "1,15,-1".
std::string formatByDay(const std::vector<ByDay>& days);
std::string formatClockHhmm(int minutesOfDay);  // 0..1440 -> "00:00".."24:00"
std::string_view formatFrequency(ScheduleFrequency frequency);
std::string formatByMonthDay(const std::vector<int>& days);
std::string_view formatWeekday(unsigned isoWeekday);  // 1..7 -> "MO".."SU"

// Plain-words description of a set of rules, one line per group of days with the same hours,
// in the I18n's current language, days in Monday-first order. Consecutive weekdays with the same
// hours merge ("Mondays to Fridays 9am–5pm"); all seven become "Every day"; days with the same
// set of sessions list them ("Mondays 9am–12pm and 1pm–5pm"); 00:00–24:00 reads "open 24 hours".
// Monthly rules follow the weekly lines ("First and third Monday of the month, 6pm–8pm").
// valid_from / valid_to appear as ", from 5 January 2027" / ", until 31 March 2027". Rules with
// a description append it in brackets. Each line starts with a capital letter. Uses the i18n keys
// "schedule.*", "day.*" and "time.*". Returns an empty vector for no rules.
std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules, const I18n& i18n);
// As above, as seen on `today` (the venue's local date): rules that ended before today are left
// out, a start date already passed is not mentioned, and dates in today's year omit the year.
std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules, const I18n& i18n,
                                          std::optional<CivilDate> today);

// "10am", "12:30pm", "12pm" (noon), "midnight" (0 or 1440) in English (12-hour); "9:00", "24:00"
// in languages whose i18n file sets "time.clock" to "24h". Minutes are clamped to 0..1440.
std::string formatClockTime(int minutesOfDay, const I18n& i18n);

}  // namespace signpost
