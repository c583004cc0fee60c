#include "core/directory/schedule.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <tuple>

#include "core/common/text_util.h"
#include "core/i18n/i18n.h"

namespace signpost {

namespace {

using std::chrono::sys_days;

constexpr std::array<std::string_view, 7> kDayCodes = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

bool withinValidity(const ScheduleRule& rule, const CivilDate& date) {
    if (rule.validFrom && date < *rule.validFrom) {
        return false;
    }
    return !(rule.validTo && date > *rule.validTo);
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
    const std::chrono::year_month_day_last last{date.year(), std::chrono::month_day_last{date.month()}};
    const int lastDay = static_cast<int>(static_cast<unsigned>(last.day()));
    return (lastDay - dayOfMonth) / 7 + 1 == -entry.ordinal;
}

// True if the rule has an opening that starts on `date`.
bool opensOn(const ScheduleRule& rule, const CivilDate& date) {
    if (!withinValidity(rule, date)) {
        return false;
    }
    if (rule.byDays.empty()) {
        return true;
    }
    const unsigned isoWeekday = std::chrono::weekday{sys_days{date}}.iso_encoding();
    return std::any_of(rule.byDays.begin(), rule.byDays.end(), [&](const ByDay& entry) {
        return byDayMatches(entry, rule.frequency, date, isoWeekday);
    });
}

bool isOvernight(const ScheduleRule& rule) { return rule.closesAtMinutes <= rule.opensAtMinutes; }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

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

std::vector<ByDay> parseByDay(std::string_view byday) {
    std::vector<ByDay> result;
    std::string_view rest = trim(byday);
    if (rest.empty()) {
        return result;
    }
    while (true) {
        const std::size_t comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        if (item.empty()) {
            throw std::invalid_argument("empty day in \"" + std::string(byday) + "\"");
        }
        ByDay entry;
        int sign = 1;
        std::size_t at = 0;
        if (item[at] == '+' || item[at] == '-') {
            sign = item[at] == '-' ? -1 : 1;
            ++at;
        }
        int ordinal = 0;
        std::size_t digits = 0;
        while (at < item.size() && item[at] >= '0' && item[at] <= '9') {
            ordinal = ordinal * 10 + (item[at] - '0');
            ++at;
            ++digits;
        }
        if ((sign == -1 || at > 0) && digits == 0) {
            throw std::invalid_argument("a sign needs a number in \"" + std::string(item) + "\"");
        }
        if (digits > 0 && (ordinal < 1 || ordinal > 5)) {
            throw std::invalid_argument("week of the month must be 1 to 5 (or -1 to -5) in \"" +
                                        std::string(item) + "\"");
        }
        std::string_view code = item.substr(at);
        std::string upperCode;
        for (char c : code) {
            upperCode += upper(c);
        }
        auto found = std::find(kDayCodes.begin(), kDayCodes.end(), upperCode);
        if (code.size() != 2 || found == kDayCodes.end()) {
            throw std::invalid_argument("unknown day \"" + std::string(item) +
                                        "\" (expected MO, TU, WE, TH, FR, SA or SU)");
        }
        entry.weekday = static_cast<unsigned>(found - kDayCodes.begin()) + 1;
        entry.ordinal = sign * ordinal;
        if (std::find(result.begin(), result.end(), entry) == result.end()) {
            result.push_back(entry);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
    }
    return result;
}

int parseClockMinutes(std::string_view hhmm) {
    const std::string text(hhmm);
    auto bad = [&]() -> std::invalid_argument {
        return std::invalid_argument("expected HH:MM, got \"" + text + "\"");
    };
    auto twoDigits = [&](std::size_t at) {
        if (at + 2 > hhmm.size() || hhmm[at] < '0' || hhmm[at] > '9' || hhmm[at + 1] < '0' ||
            hhmm[at + 1] > '9') {
            throw bad();
        }
        return (hhmm[at] - '0') * 10 + (hhmm[at + 1] - '0');
    };
    // Accepted: HH:MM and HH:MM:SS (HSDS uses the latter); one-digit hours are tolerated.
    std::size_t at = 0;
    int hours = 0;
    if (hhmm.size() >= 2 && hhmm[1] == ':') {
        if (hhmm[0] < '0' || hhmm[0] > '9') {
            throw bad();
        }
        hours = hhmm[0] - '0';
        at = 1;
    } else {
        hours = twoDigits(0);
        at = 2;
    }
    if (at >= hhmm.size() || hhmm[at] != ':') {
        throw bad();
    }
    const int minutes = twoDigits(at + 1);
    at += 3;
    int secs = 0;
    if (at < hhmm.size()) {
        if (hhmm[at] != ':' || at + 3 != hhmm.size()) {
            throw bad();
        }
        secs = twoDigits(at + 1);
    }
    if (minutes > 59 || secs > 59 || hours > 24 || (hours == 24 && (minutes != 0 || secs != 0))) {
        throw std::invalid_argument("no such time of day: \"" + text + "\"");
    }
    return hours * 60 + minutes;
}

ScheduleFrequency parseFrequency(std::string_view freq) {
    std::string upperText;
    for (char c : trim(freq)) {
        upperText += upper(c);
    }
    if (upperText == "WEEKLY") {
        return ScheduleFrequency::Weekly;
    }
    if (upperText == "MONTHLY") {
        return ScheduleFrequency::Monthly;
    }
    throw std::invalid_argument("frequency must be WEEKLY or MONTHLY, got \"" + std::string(freq) + "\"");
}

std::string formatByDay(const std::vector<ByDay>& days) {
    std::string text;
    for (const ByDay& entry : days) {
        if (entry.weekday < 1 || entry.weekday > 7) {
            continue;
        }
        if (!text.empty()) {
            text += ',';
        }
        if (entry.ordinal != 0) {
            text += std::to_string(entry.ordinal);
        }
        text += kDayCodes[entry.weekday - 1];
    }
    return text;
}

std::string formatClockHhmm(int minutesOfDay) {
    const int clamped = std::clamp(minutesOfDay, 0, 1440);
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", clamped / 60, clamped % 60);
    return buffer;
}

std::string_view formatFrequency(ScheduleFrequency frequency) {
    return frequency == ScheduleFrequency::Monthly ? "MONTHLY" : "WEEKLY";
}

namespace {

std::string capitaliseFirst(std::string text) {
    if (text.empty()) {
        return text;
    }
    const auto b0 = static_cast<unsigned char>(text[0]);
    if (b0 < 0x80) {
        text[0] = upper(text[0]);
        return text;
    }
    if ((b0 & 0xE0) != 0xC0 || text.size() < 2) {
        return text;  // three- and four-byte letters have no case we need to handle here
    }
    const auto b1 = static_cast<unsigned char>(text[1]);
    unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
    // Latin-1 Supplement and Latin Extended-A, which cover the languages we ship (ś -> Ś).
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) {
        cp -= 0x20;
    } else if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) {
        cp &= ~1u;
    } else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
        if (cp % 2 == 0) {
            --cp;
        }
    }
    text[0] = static_cast<char>(0xC0 | (cp >> 6));
    text[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return text;
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
        return i18n.format(alone ? "schedule.days_range" : "schedule.days_range_in_list",
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
    return i18n.format("schedule.hours",
                       {{"opens", formatClockTime(opens, i18n)}, {"closes", formatClockTime(closes, i18n)}});
}

bool isAllDay(int opens, int closes) { return (opens == 0 && closes == 1440) || opens == closes; }

std::string formatDate(const CivilDate& date, const std::optional<CivilDate>& today, const I18n& i18n) {
    const std::string dayText = std::to_string(static_cast<unsigned>(date.day()));
    const std::string monthText = i18n.tr("schedule.month." + std::to_string(static_cast<unsigned>(date.month())));
    if (today && today->year() == date.year()) {
        return i18n.format("schedule.date", {{"day", dayText}, {"month", monthText}});
    }
    return i18n.format("schedule.date_year", {{"day", dayText},
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

std::string finishLine(std::string line, const LineTail& tail, const std::optional<CivilDate>& today,
                       const I18n& i18n) {
    const bool showFrom = tail.validFrom && (!today || *tail.validFrom > *today);
    std::string dates;
    if (showFrom && tail.validTo) {
        dates = i18n.format("schedule.between_dates", {{"from", formatDate(*tail.validFrom, today, i18n)},
                                                       {"to", formatDate(*tail.validTo, today, i18n)}});
    } else if (showFrom) {
        dates = i18n.format("schedule.from_date", {{"date", formatDate(*tail.validFrom, today, i18n)}});
    } else if (tail.validTo) {
        dates = i18n.format("schedule.until_date", {{"date", formatDate(*tail.validTo, today, i18n)}});
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
int ordinalOrder(int ordinal) { return ordinal > 0 ? ordinal : 10 + (6 + ordinal); }

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

std::vector<std::string> describeSchedule(const std::vector<ScheduleRule>& rules, const I18n& i18n) {
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

    for (const ScheduleRule& rule : rules) {
        if (today && rule.validTo && *rule.validTo < *today) {
            continue;  // finished: nothing a resident can still go to
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
                auto& ordinals = ordinalsByKey[{entry.weekday, rule.opensAtMinutes, rule.closesAtMinutes, tail}];
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
        auto same = std::find_if(weekly.begin(), weekly.end(), [&, m = mask](const WeeklyLine& line) {
            return line.mask == m && line.tail == tail;
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
            text = i18n.format("schedule.weekly_line", {{"days", days}, {"hours", joinList(hours, i18n)}});
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
                : i18n.format("schedule.monthly_line", {{"days", days}, {"hours", formatHours(key.opens, key.closes, i18n)}});
        lines.push_back(finishLine(text, key.tail, today, i18n));
    }
    return lines;
}

}  // namespace signpost
