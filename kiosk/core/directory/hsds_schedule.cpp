// Signpost — reading one HSDS 3.0 schedule (RFC 5545 recurrence) into a ScheduleRule.
//
// Every part of the rule is either honoured exactly or refused with the field named: the caller
// then marks the service "check times" rather than showing hours that might be wrong.
#include "core/directory/hsds_schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/directory/schedule.h"

namespace signpost::hsds_detail {

namespace {

// "2026-05-01", "2026-05-01T17:00:00Z", "20260501", "20260501T170000Z" -> date and, if given,
// minutes of the day.
struct DateTimeValue {
    CivilDate date;
    std::optional<int> minutes;
};

std::optional<DateTimeValue> parseDateTime(std::string_view text) {
    std::string date(text.substr(0, text.find('T')));
    if (date.size() == 8 && date.find_first_not_of("0123456789") == std::string::npos) {
        date = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2);
    }
    auto day = parseCivilDate(date);
    if (!day) {
        return std::nullopt;
    }
    DateTimeValue value{*day, std::nullopt};
    const std::size_t t = text.find('T');
    if (t == std::string_view::npos) {
        return value;
    }
    std::string_view time = text.substr(t + 1);
    std::string clock;
    if (time.size() >= 6 && time.find(':') == std::string_view::npos) {
        clock = std::string(time.substr(0, 2)) + ":" + std::string(time.substr(2, 2)) + ":" +
                std::string(time.substr(4));  // 170000Z -> 17:00:00Z
    } else {
        clock = std::string(time);
    }
    try {
        value.minutes = parseClockTime(clock).minutes;
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
    return value;
}

CivilDate dayBefore(const CivilDate& date) {
    return CivilDate{std::chrono::sys_days{date} - std::chrono::days{1}};
}

}  // namespace

ScheduleRule parseHsdsSchedule(const Fields& f, const std::vector<int>& venueOffsets,
                               std::string* attendingText, bool signpostShape) {
    auto blank = [&](const char* key) {
        const json* value = f.find(key);
        return value == nullptr || (value->is_string() && value->get<std::string>().empty());
    };
    ScheduleRule rule;
    const std::string freq = f.text("freq");
    try {
        rule.frequency = freq.empty() ? ScheduleFrequency::Weekly : parseFrequency(freq);
    } catch (const std::invalid_argument& error) {
        f.fail("freq", error.what());
    }
    // Recurrence parts with no exact meaning here are refused, never dropped: the hours shown
    // would be wrong.
    for (const char* unsupported :
         {"byweekno", "byyearday", "bymonth", "bysetpos", "byhour", "byminute"}) {
        if (!blank(unsupported)) {
            f.fail(unsupported,
                   "not supported; use freq WEEKLY, MONTHLY or DAILY with byday or bymonthday");
        }
    }
    if (const json* zone = f.find("timezone")) {
        // HSDS 3.0: "the timezone that all dates are expressed as, as a UTC offset" (hours).
        bool venueClock = false;
        if (zone->is_number()) {
            const double hours = zone->get<double>();
            const long minutes = std::lround(hours * 60);
            venueClock = std::isfinite(hours) && std::find(venueOffsets.begin(), venueOffsets.end(),
                                                           minutes) != venueOffsets.end();
        } else if (zone->is_string()) {
            const std::string name = zone->get<std::string>();
            venueClock = name == "Europe/London" || name.empty();
        }
        if (!venueClock) {
            f.fail(
                "timezone",
                "the venue's clock is Europe/London (UTC+0 or +1); times in another zone cannot be "
                "shown right, got " +
                    zone->dump());
        }
    }
    if (auto interval = f.integer("interval", 1, 1000)) {
        rule.interval = static_cast<int>(*interval);
    }
    if (!blank("wkst")) {
        try {
            rule.weekStart = parseWeekday(f.text("wkst"));
        } catch (const std::invalid_argument& error) {
            f.fail("wkst", error.what());
        }
    }
    if (!blank("dtstart")) {
        const std::string text = f.text("dtstart");
        auto start = parseDateTime(text);
        if (!start) {
            f.fail("dtstart", "expected a date YYYY-MM-DD, got " + quotedValue(text));
        }
        rule.anchor = start->date;
    }
    try {
        rule.byDays = parseByDay(f.text("byday"));
        rule.byMonthDays = parseByMonthDay(f.text("bymonthday"));
    } catch (const std::invalid_argument& error) {
        f.fail(rule.byDays.empty() && !blank("byday") ? "byday" : "bymonthday", error.what());
    }
    for (const ByDay& day : rule.byDays) {
        if (day.ordinal != 0 && rule.frequency != ScheduleFrequency::Monthly) {
            f.fail("byday", "a week of the month (like 1MO) needs freq MONTHLY");
        }
    }
    if (!rule.byMonthDays.empty() && rule.frequency == ScheduleFrequency::Weekly) {
        f.fail("bymonthday", "RFC 5545 does not allow bymonthday with freq WEEKLY");
    }
    if (rule.frequency == ScheduleFrequency::Monthly && rule.byDays.empty() &&
        rule.byMonthDays.empty()) {
        if (!rule.anchor) {
            f.fail("byday", "freq MONTHLY needs byday (like 1MO or -1FR), bymonthday or dtstart");
        }
        rule.byMonthDays = {static_cast<int>(static_cast<unsigned>(rule.anchor->day()))};
    }
    if (rule.frequency == ScheduleFrequency::Weekly && rule.byDays.empty() && rule.anchor &&
        !signpostShape) {
        // RFC 5545: a weekly rule with no BYDAY repeats on DTSTART's weekday.
        rule.byDays = {
            {std::chrono::weekday{std::chrono::sys_days{*rule.anchor}}.iso_encoding(), 0}};
    }
    if (rule.interval > 1 && !rule.anchor) {
        f.fail("interval",
               "every " + std::to_string(rule.interval) + " periods needs dtstart to count from");
    }

    for (const char* key : {"opens_at", "closes_at"}) {
        const std::string value = f.text(key, true);
        ClockTime time;
        try {
            time = parseClockTime(value);
        } catch (const std::invalid_argument& error) {
            f.fail(key, error.what());
        }
        if (time.offsetMinutes && std::find(venueOffsets.begin(), venueOffsets.end(),
                                            *time.offsetMinutes) == venueOffsets.end()) {
            f.fail(key,
                   "the venue's clock is Europe/London (Z or +01:00); a time at another offset "
                   "cannot be shown "
                   "right, got " +
                       quotedValue(value));
        }
        if (key == std::string_view("opens_at")) {
            if (time.minutes == 1440) {
                f.fail(key, "a service cannot open at 24:00; use 00:00");
            }
            rule.opensAtMinutes = time.minutes;
        } else {
            rule.closesAtMinutes = time.minutes;
        }
    }
    rule.validFrom = f.date("valid_from");
    rule.validTo = f.date("valid_to");
    if (rule.validFrom && rule.validTo && *rule.validTo < *rule.validFrom) {
        f.fail("valid_to", "is before valid_from");
    }
    // DTSTART, UNTIL and COUNT bound the days the rule opens on; fold them into the valid dates.
    if (rule.anchor && (!rule.validFrom || *rule.anchor > *rule.validFrom)) {
        rule.validFrom = rule.anchor;
    }
    const bool hasUntil = !blank("until");
    if (hasUntil) {
        const std::string text = f.text("until");
        auto until = parseDateTime(text);
        if (!until) {
            f.fail("until",
                   "expected a date YYYY-MM-DD or a date and time, got " + quotedValue(text));
        }
        // An opening starting after UNTIL's time on that day is not part of the rule.
        CivilDate last = until->minutes && *until->minutes < rule.opensAtMinutes
                             ? dayBefore(until->date)
                             : until->date;
        if (!rule.validTo || last < *rule.validTo) {
            rule.validTo = last;
        }
    }
    if (auto count = f.integer("count", 1, 100000)) {
        if (hasUntil) {
            f.fail("count", "RFC 5545 allows count or until, not both");
        }
        if (!rule.anchor) {
            f.fail("count", "needs dtstart to count from");
        }
        if (auto last = nthOpening(rule, static_cast<long>(*count));
            last && (!rule.validTo || *last < *rule.validTo)) {
            rule.validTo = last;
        }
    }

    std::string description = f.text("description");
    const std::string notes = f.text("notes");
    if (!notes.empty() && description.find(notes) == std::string::npos) {
        description += (description.empty() ? "" : " ") + notes;
    }
    rule.description = description;
    if (attendingText != nullptr) {
        *attendingText = f.text("attending_type");
    }
    return rule;
}

}  // namespace signpost::hsds_detail
