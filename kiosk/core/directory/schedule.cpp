// Signpost — when a schedule is open (schedule.h): isOpenAt(), opensOn() and nthOpening(), the
// day-level evaluation of RFC 5545 rules (weekly, monthly, daily; intervals counted from the
// anchor; ordinals and month days; valid_from / valid_to; overnight opening). Reading and writing
// HSDS's schedule fields is in schedule_fields.cpp; the hours in plain words in
// schedule_words.cpp.
#include "core/directory/schedule.h"

#include <algorithm>
#include <cstdint>

namespace signpost {

namespace {

using std::chrono::sys_days;

bool withinValidity(const ScheduleRule& rule, const CivilDate& date) {
    if (rule.validFrom && date < *rule.validFrom) {
        return false;
    }
    return !(rule.validTo && date > *rule.validTo);
}

std::int64_t dayNumber(const CivilDate& date) {
    return sys_days{date}.time_since_epoch().count();
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The index of the week, month or day `date` falls in; consecutive periods differ by one.
std::int64_t periodIndex(const ScheduleRule& rule, const CivilDate& date) {
    switch (rule.frequency) {
        case ScheduleFrequency::Daily:
            return dayNumber(date);
        case ScheduleFrequency::Monthly:
            return static_cast<std::int64_t>(static_cast<int>(date.year())) * 12 +
                   static_cast<unsigned>(date.month()) - 1;
        case ScheduleFrequency::Weekly:
            break;
    }
    const std::int64_t day = dayNumber(date);
    const unsigned isoWeekday = std::chrono::weekday{sys_days{date}}.iso_encoding();
    const unsigned start = rule.weekStart >= 1 && rule.weekStart <= 7 ? rule.weekStart : 1;
    const std::int64_t weekBegins = day - static_cast<std::int64_t>((isoWeekday + 7 - start) % 7);
    return floorDiv(weekBegins, 7);
}

bool byDayMatches(const ByDay& entry, ScheduleFrequency frequency, const CivilDate& date,
                  unsigned isoWeekday) {
    if (entry.weekday != isoWeekday) {
        return false;
    }
    if (entry.ordinal == 0 || frequency != ScheduleFrequency::Monthly) {
        return true;
    }
    const int dayOfMonth = static_cast<int>(static_cast<unsigned>(date.day()));
    if (entry.ordinal > 0) {
        return (dayOfMonth - 1) / 7 + 1 == entry.ordinal;
    }
    const std::chrono::year_month_day_last last{date.year(),
                                                std::chrono::month_day_last{date.month()}};
    const int lastDay = static_cast<int>(static_cast<unsigned>(last.day()));
    return (lastDay - dayOfMonth) / 7 + 1 == -entry.ordinal;
}

bool monthDayMatches(int entry, const CivilDate& date) {
    const int dayOfMonth = static_cast<int>(static_cast<unsigned>(date.day()));
    if (entry > 0) {
        return entry == dayOfMonth;
    }
    const std::chrono::year_month_day_last last{date.year(),
                                                std::chrono::month_day_last{date.month()}};
    return static_cast<int>(static_cast<unsigned>(last.day())) + entry + 1 == dayOfMonth;
}

bool isOvernight(const ScheduleRule& rule) {
    return rule.closesAtMinutes <= rule.opensAtMinutes;
}

}  // namespace

bool isOpenAt(const std::vector<ScheduleRule>& rules, const LocalTime& local) {
    const CivilDate today = local.date;
    const CivilDate yesterday{sys_days{today} - std::chrono::days{1}};
    const int now = local.minutesOfDay;
    for (const ScheduleRule& rule : rules) {
        if (!isOvernight(rule)) {
            if (now >= rule.opensAtMinutes && now < rule.closesAtMinutes && opensOn(rule, today)) {
                return true;
            }
            continue;
        }
        // Overnight: the opening that started yesterday evening, or the one starting tonight.
        if (now < rule.closesAtMinutes && opensOn(rule, yesterday)) {
            return true;
        }
        if (now >= rule.opensAtMinutes && opensOn(rule, today)) {
            return true;
        }
    }
    return false;
}

bool opensOn(const ScheduleRule& rule, const CivilDate& date) {
    if (!withinValidity(rule, date)) {
        return false;
    }
    if (rule.interval > 1 && rule.anchor) {
        const std::int64_t since = periodIndex(rule, date) - periodIndex(rule, *rule.anchor);
        if (since < 0 || since % rule.interval != 0) {
            return false;
        }
    }
    if (!rule.byDays.empty()) {
        const unsigned isoWeekday = std::chrono::weekday{sys_days{date}}.iso_encoding();
        if (std::none_of(rule.byDays.begin(), rule.byDays.end(), [&](const ByDay& entry) {
                return byDayMatches(entry, rule.frequency, date, isoWeekday);
            })) {
            return false;
        }
    }
    return rule.byMonthDays.empty() ||
           std::any_of(rule.byMonthDays.begin(), rule.byMonthDays.end(),
                       [&](int entry) { return monthDayMatches(entry, date); });
}

std::optional<CivilDate> nthOpening(const ScheduleRule& rule, long count) {
    std::optional<CivilDate> first = rule.anchor;
    if (rule.validFrom && (!first || *rule.validFrom > *first)) {
        first = rule.validFrom;
    }
    if (!first || count < 1) {
        return std::nullopt;
    }
    const sys_days begin{*first};
    for (std::int64_t offset = 0; offset <= 36525; ++offset) {
        const CivilDate day{begin + std::chrono::days{offset}};
        if (opensOn(rule, day) && --count == 0) {
            return day;
        }
    }
    return std::nullopt;
}

}  // namespace signpost
