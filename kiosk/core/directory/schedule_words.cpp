// Signpost — a schedule in plain words (schedule.h): describeSchedule() groups rules into lines
// by their days and hours ("Mondays to Fridays 9am–5pm", "First Monday of the month, 6pm–8pm"),
// and formatClockTime() writes a time in the language's clock. Every word comes from the i18n
// texts ("schedule.*", "day.*", "time.*"), so each language reads its own way.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/common/text_util.h"
#include "core/common/utf8.h"
#include "core/directory/schedule.h"
#include "core/i18n/i18n.h"

namespace signpost {

namespace {

// The first letter in upper case ("środa" -> "Środa"), by the keyboard's Latin case table.
std::string capitaliseFirst(const std::string& text) {
    if (text.empty()) {
        return text;
    }
    std::size_t at = 0;
    const char32_t first = utf8::next(text, at);
    return utf8::encode(utf8::toUpper(first)) + text.substr(at);
}

std::string dayKey(unsigned weekday, std::string_view form) {
    return "day." + std::to_string(weekday) + "." + std::string(form);
}

// "a, b and c" in the current language.
std::string joinList(const std::vector<std::string>& items, const I18n& i18n) {
    if (items.empty()) {
        return {};
    }
    if (items.size() == 1) {
        return items.front();
    }
    std::string head = items.front();
    const std::string separator = i18n.tr("schedule.list_separator");
    for (std::size_t i = 1; i + 1 < items.size(); ++i) {
        head += separator + items[i];
    }
    return i18n.format("schedule.list_and", {{"list", head}, {"last", items.back()}});
}

// Monday-first day set (bit 0 = Monday) in words: "Every day", "Mondays to Fridays",
// "Mondays, Wednesdays and Fridays", "Mondays to Wednesdays and Saturdays".
std::string describeDays(unsigned mask, const I18n& i18n) {
    if (mask == 0x7F) {
        return i18n.tr("schedule.every_day");
    }
    struct Run {
        unsigned first;
        unsigned last;
    };
    std::vector<Run> runs;
    for (unsigned day = 1; day <= 7; ++day) {
        if ((mask & (1u << (day - 1))) == 0) {
            continue;
        }
        if (!runs.empty() && runs.back().last == day - 1) {
            runs.back().last = day;
        } else {
            runs.push_back({day, day});
        }
    }
    auto rangeText = [&](const Run& run, bool alone) {
        const std::string from = i18n.tr(dayKey(run.first, "range"));
        const std::string to = i18n.tr(dayKey(run.last, "range"));
        const std::string fromPlural = i18n.tr(dayKey(run.first, "plural"));
        const std::string toPlural = i18n.tr(dayKey(run.last, "plural"));
        return i18n.format(
            alone ? "schedule.days_range" : "schedule.days_range_in_list",
            {{"from_plural", fromPlural}, {"to_plural", toPlural}, {"from", from}, {"to", to}});
    };
    std::vector<std::string> parts;
    for (const Run& run : runs) {
        const unsigned length = run.last - run.first + 1;
        if (length >= 3) {
            parts.push_back(rangeText(run, runs.size() == 1));
        } else {
            for (unsigned day = run.first; day <= run.last; ++day) {
                parts.emplace_back(i18n.tr(dayKey(day, "plural")));
            }
        }
    }
    return joinList(parts, i18n);
}

std::string formatHours(int opens, int closes, const I18n& i18n) {
    return i18n.format("schedule.hours", {{"opens", formatClockTime(opens, i18n)},
                                          {"closes", formatClockTime(closes, i18n)}});
}

bool isAllDay(int opens, int closes) {
    return (opens == 0 && closes == 1440) || opens == closes;
}

std::string formatDate(const CivilDate& date, const std::optional<CivilDate>& today,
                       const I18n& i18n) {
    const std::string dayText = std::to_string(static_cast<unsigned>(date.day()));
    const std::string monthText =
        i18n.tr("schedule.month." + std::to_string(static_cast<unsigned>(date.month())));
    if (today && today->year() == date.year()) {
        return i18n.format("schedule.date", {{"day", dayText}, {"month", monthText}});
    }
    return i18n.format("schedule.date_year",
                       {{"day", dayText},
                        {"month", monthText},
                        {"year", std::to_string(static_cast<int>(date.year()))}});
}

// Hours, validity and note shared by the rules merged into one line.
struct LineTail {
    std::optional<CivilDate> validFrom;
    std::optional<CivilDate> validTo;
    std::string note;
    auto key() const { return std::tie(validFrom, validTo, note); }
    bool operator<(const LineTail& other) const { return key() < other.key(); }
    bool operator==(const LineTail& other) const { return key() == other.key(); }
};

std::string finishLine(std::string line, const LineTail& tail,
                       const std::optional<CivilDate>& today, const I18n& i18n) {
    const bool showFrom = tail.validFrom && (!today || *tail.validFrom > *today);
    std::string dates;
    if (showFrom && tail.validTo) {
        dates = i18n.format("schedule.between_dates",
                            {{"from", formatDate(*tail.validFrom, today, i18n)},
                             {"to", formatDate(*tail.validTo, today, i18n)}});
    } else if (showFrom) {
        dates =
            i18n.format("schedule.from_date", {{"date", formatDate(*tail.validFrom, today, i18n)}});
    } else if (tail.validTo) {
        dates =
            i18n.format("schedule.until_date", {{"date", formatDate(*tail.validTo, today, i18n)}});
    }
    if (!dates.empty()) {
        line = i18n.format("schedule.with_dates", {{"line", line}, {"dates", dates}});
    }
    // The note is data: substitute it last so braces in it are never read as placeholders.
    if (!tail.note.empty()) {
        line = i18n.format("schedule.with_note", {{"line", line}, {"note", tail.note}});
    }
    return capitaliseFirst(line);
}

std::string ordinalWord(int ordinal, unsigned weekday, const I18n& i18n) {
    const std::string base = "schedule.ordinal." + std::to_string(ordinal);
    // Languages with grammatical gender (Polish: "pierwszy poniedziałek", "pierwsza środa") give
    // each day a gender and each ordinal a form per gender.
    const std::string genderKey = dayKey(weekday, "gender");
    if (i18n.has(i18n.language(), genderKey)) {
        const std::string gendered = base + "." + i18n.tr(genderKey);
        if (i18n.has(i18n.language(), gendered)) {
            return i18n.tr(gendered);
        }
    }
    return i18n.tr(base);
}

// Monthly ordinals in reading order: first, second, ..., fifth, then fifth-last ... last.
int ordinalOrder(int ordinal) {
    return ordinal > 0 ? ordinal : 10 + (6 + ordinal);
}

// "1st", "22nd", "last", "2nd to last" for a BYMONTHDAY entry, in the current language.
std::string monthDayWord(int day, const I18n& i18n) {
    if (day < 0) {
        return day == -1
                   ? i18n.tr("schedule.monthday.last")
                   : i18n.format("schedule.monthday.from_end", {{"n", monthDayWord(-day, i18n)}});
    }
    // English ordinal suffixes by category; other languages give the same text for each.
    const int lastTwo = day % 100;
    const int last = day % 10;
    const char* category = (lastTwo >= 11 && lastTwo <= 13) ? "other"
                           : last == 1                      ? "one"
                           : last == 2                      ? "two"
                           : last == 3                      ? "few"
                                                            : "other";
    return i18n.format(std::string("schedule.monthday.") + category, {{"n", std::to_string(day)}});
}

// One line for a rule with an interval or month days: its days and hours as if it ran every
// period, then how often, then the next date it opens when `today` is known.
std::string describeOwnLine(const ScheduleRule& rule, const I18n& i18n,
                            const std::optional<CivilDate>& today);

}  // namespace

namespace {

std::string describeOwnLine(const ScheduleRule& rule, const I18n& i18n,
                            const std::optional<CivilDate>& today) {
    std::string days;
    if (!rule.byMonthDays.empty()) {
        std::vector<std::string> words;
        for (int day : rule.byMonthDays) {
            words.push_back(monthDayWord(day, i18n));
        }
        days = i18n.format("schedule.monthday_days", {{"days", joinList(words, i18n)}});
        if (!rule.byDays.empty()) {
            unsigned mask = 0;
            for (const ByDay& entry : rule.byDays) {
                mask |= entry.weekday >= 1 && entry.weekday <= 7 ? 1u << (entry.weekday - 1) : 0u;
            }
            days = i18n.format("schedule.monthday_if_days",
                               {{"line", days}, {"days", describeDays(mask, i18n)}});
        }
    } else {
        ScheduleRule every = rule;
        every.interval = 1;
        every.validFrom.reset();
        every.validTo.reset();
        every.description.clear();
        const std::vector<std::string> base = describeSchedule({every}, i18n, std::nullopt);
        days = base.empty() ? std::string() : base.front();
    }
    std::string text = days;
    if (!rule.byMonthDays.empty()) {
        text = isAllDay(rule.opensAtMinutes, rule.closesAtMinutes)
                   ? i18n.format("schedule.all_day_line", {{"days", days}})
                   : i18n.format(
                         "schedule.monthly_line",
                         {{"days", days},
                          {"hours", formatHours(rule.opensAtMinutes, rule.closesAtMinutes, i18n)}});
    }
    if (rule.interval > 1) {
        const char* unit = rule.frequency == ScheduleFrequency::Monthly ? "months"
                           : rule.frequency == ScheduleFrequency::Daily ? "days"
                                                                        : "weeks";
        const std::string key = rule.interval == 2 ? std::string("schedule.every_other.") + unit
                                                   : std::string("schedule.every_n.") + unit;
        text = i18n.format(key, {{"line", text}, {"n", std::to_string(rule.interval)}});
    }
    if (today) {
        const std::chrono::sys_days from{*today};
        for (int offset = 0; offset <= 400; ++offset) {
            const CivilDate day{from + std::chrono::days{offset}};
            if (opensOn(rule, day)) {
                text = i18n.format("schedule.next_date",
                                   {{"line", text}, {"date", formatDate(day, today, i18n)}});
                break;
            }
        }
    }
    return finishLine(text, LineTail{rule.validFrom, rule.validTo, rule.description}, today, i18n);
}

}  // namespace

std::string formatClockTime(int minutesOfDay, const I18n& i18n) {
    const int clamped = std::clamp(minutesOfDay, 0, 1440);
    const int hours = clamped / 60;
    const int minutes = clamped % 60;
    char buffer[16];
    if (std::string_view(i18n.tr("time.clock")) == "24h") {
        std::snprintf(buffer, sizeof buffer, "%d:%02d", hours, minutes);
        return buffer;
    }
    if (clamped == 0 || clamped == 1440) {
        return i18n.tr("time.midnight");
    }
    const int twelve = hours % 12 == 0 ? 12 : hours % 12;
    if (minutes == 0) {
        std::snprintf(buffer, sizeof buffer, "%d", twelve);
    } else {
        std::snprintf(buffer, sizeof buffer, "%d:%02d", twelve, minutes);
    }
    return i18n.format(hours < 12 ? "time.am" : "time.pm", {{"time", buffer}});
}

std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules,
                                          const I18n& i18n) {
    return describeSchedule(rules, i18n, std::nullopt);
}

std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules, const I18n& i18n,
                                          std::optional<CivilDate> today) {
    // Weekly lines: days sharing the same hours (and validity and note) merge into one day set,
    // then day sets sharing everything but the hours list their hours together.
    using HoursKey = std::tuple<int, int, LineTail>;
    std::map<HoursKey, unsigned> daysByHours;
    struct MonthlyKey {
        unsigned weekday;
        int opens;
        int closes;
        LineTail tail;
        auto key() const { return std::tie(weekday, opens, closes, tail); }
        bool operator<(const MonthlyKey& other) const { return key() < other.key(); }
    };
    std::map<MonthlyKey, std::vector<int>> ordinalsByKey;

    std::vector<std::string> ownLines;  // rules with intervals or month days: one line each
    for (const ScheduleRule& rule : rules) {
        if (today && rule.validTo && *rule.validTo < *today) {
            continue;  // finished: nothing a resident can still go to
        }
        if (rule.interval > 1 || !rule.byMonthDays.empty()) {
            ownLines.push_back(describeOwnLine(rule, i18n, today));
            continue;
        }
        LineTail tail{rule.validFrom, rule.validTo, rule.description};
        unsigned mask = 0;
        if (rule.byDays.empty()) {
            mask = 0x7F;
        }
        for (const ByDay& entry : rule.byDays) {
            if (entry.weekday < 1 || entry.weekday > 7) {
                continue;
            }
            if (rule.frequency == ScheduleFrequency::Monthly && entry.ordinal != 0) {
                auto& ordinals =
                    ordinalsByKey[{entry.weekday, rule.opensAtMinutes, rule.closesAtMinutes, tail}];
                if (std::find(ordinals.begin(), ordinals.end(), entry.ordinal) == ordinals.end()) {
                    ordinals.push_back(entry.ordinal);
                }
            } else {
                mask |= 1u << (entry.weekday - 1);
            }
        }
        if (mask != 0) {
            daysByHours[{rule.opensAtMinutes, rule.closesAtMinutes, tail}] |= mask;
        }
    }

    struct WeeklyLine {
        unsigned mask;
        LineTail tail;
        std::vector<std::pair<int, int>> hours;
    };
    std::vector<WeeklyLine> weekly;
    for (const auto& [key, mask] : daysByHours) {
        const auto& [opens, closes, tail] = key;
        // Init-captures: clang 14 (the fuzz build) cannot capture a structured binding.
        auto same = std::find_if(weekly.begin(), weekly.end(),
                                 [m = mask, &t = tail](const WeeklyLine& line) {
                                     return line.mask == m && line.tail == t;
                                 });
        if (same == weekly.end()) {
            weekly.push_back({mask, tail, {{opens, closes}}});
        } else {
            same->hours.emplace_back(opens, closes);
        }
    }
    auto firstDay = [](unsigned mask) {
        unsigned day = 0;
        while (day < 7 && (mask & (1u << day)) == 0) {
            ++day;
        }
        return day;
    };
    std::stable_sort(weekly.begin(), weekly.end(), [&](const WeeklyLine& a, const WeeklyLine& b) {
        return std::make_tuple(firstDay(a.mask), a.hours.front(), a.tail) <
               std::make_tuple(firstDay(b.mask), b.hours.front(), b.tail);
    });

    std::vector<std::string> lines;
    for (WeeklyLine& line : weekly) {
        std::sort(line.hours.begin(), line.hours.end());
        const std::string days = describeDays(line.mask, i18n);
        std::string text;
        if (line.hours.size() == 1 && isAllDay(line.hours[0].first, line.hours[0].second)) {
            text = i18n.format("schedule.all_day_line", {{"days", days}});
        } else {
            std::vector<std::string> hours;
            for (const auto& [opens, closes] : line.hours) {
                hours.push_back(formatHours(opens, closes, i18n));
            }
            text = i18n.format("schedule.weekly_line",
                               {{"days", days}, {"hours", joinList(hours, i18n)}});
        }
        lines.push_back(finishLine(text, line.tail, today, i18n));
    }

    for (auto& [key, ordinals] : ordinalsByKey) {
        std::sort(ordinals.begin(), ordinals.end(),
                  [](int a, int b) { return ordinalOrder(a) < ordinalOrder(b); });
        std::vector<std::string> words;
        for (int ordinal : ordinals) {
            words.push_back(ordinalWord(ordinal, key.weekday, i18n));
        }
        const std::string days = i18n.format(
            "schedule.monthly_days",
            {{"ordinals", joinList(words, i18n)}, {"day", i18n.tr(dayKey(key.weekday, "one"))}});
        const std::string text =
            isAllDay(key.opens, key.closes)
                ? i18n.format("schedule.all_day_line", {{"days", days}})
                : i18n.format(
                      "schedule.monthly_line",
                      {{"days", days}, {"hours", formatHours(key.opens, key.closes, i18n)}});
        lines.push_back(finishLine(text, key.tail, today, i18n));
    }
    lines.insert(lines.end(), ownLines.begin(), ownLines.end());
    return lines;
}

}  // namespace signpost
