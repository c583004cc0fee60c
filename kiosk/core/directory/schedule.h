// Signpost — opening schedules: is a service open at a local time, and what its hours are in
// plain words ("Tuesdays 10am–12pm", "First Monday of the month, 6pm–8pm").
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/time_zone.h"

namespace signpost {

class I18n;

// True if any rule is open at `local`. Handles overnight rules (a rule that opened yesterday and
// closes this morning), MONTHLY ordinals (1MO, -1FR), valid_from / valid_to (a rule applies on
// the days its *opening* falls within the range).
bool isOpenAt(const std::vector<ScheduleRule>& rules, const LocalTime& local);

// Parses HSDS schedule fields. Each throws std::invalid_argument with a short reason.
std::vector<ByDay> parseByDay(std::string_view byday);   // "MO,TU", "1MO", "-1FR"
int parseClockMinutes(std::string_view hhmm);             // "09:30" or "09:30:00" -> 570; "24:00" -> 1440
ScheduleFrequency parseFrequency(std::string_view freq);  // "WEEKLY" | "MONTHLY"

// Plain-words description of a set of rules, one line per group of days with the same hours,
// in the I18n's current language, days in Monday-first order. Consecutive weekdays with the same
// hours merge ("Mondays to Fridays 9am–5pm"); all seven become "Every day". Rules with a
// description append it in brackets. Returns an empty vector for no rules.
std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules, const I18n& i18n);

// "10am", "12:30pm", "midnight" in English (12-hour), "10:00" in languages whose i18n file sets
// "time.clock" to "24h".
std::string formatClockTime(int minutesOfDay, const I18n& i18n);

}  // namespace signpost
