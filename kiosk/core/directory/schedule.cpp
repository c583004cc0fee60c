#include "core/directory/schedule.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

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
    const std::chrono::year_month_day_last last{date.year(), std::chrono::month_day_last{date.month()}};
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

bool isOvernight(const ScheduleRule& rule) { return rule.closesAtMinutes <= rule.opensAtMinutes; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

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
    if (upperText == "DAILY") {
        return ScheduleFrequency::Daily;
    }
    throw std::invalid_argument("frequency must be WEEKLY, MONTHLY or DAILY, got \"" +
                                std::string(freq) + "\"");
}

ClockTime parseClockTime(std::string_view text) {
    // HH:MM[:SS[.fff]] then an optional zone: Z, +HH, +HH:MM or +HHMM (or -).
    std::size_t zoneAt = text.find_first_of("Zz+-", 1);
    std::string_view clock = text.substr(0, zoneAt);
    std::string_view zone =
        zoneAt == std::string_view::npos ? std::string_view() : text.substr(zoneAt);
    if (const std::size_t dot = clock.find('.'); dot != std::string_view::npos) {
        const std::string_view fraction = clock.substr(dot + 1);
        if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos) {
            throw std::invalid_argument("fractions of a second are not supported, got \"" +
                                        std::string(text) + "\"");
        }
        clock = clock.substr(0, dot);
    }
    ClockTime result;
    // Seconds round up: "closes 23:59:59" is open through the last minute, and a resident is
    // never told a place is open before the second it opens.
    const bool hasSeconds = clock.size() >= 7 && clock[clock.size() - 3] == ':';
    const bool secondsZero = !hasSeconds || clock.substr(clock.size() - 2) == "00";
    try {
        result.minutes = parseClockMinutes(clock) + (secondsZero ? 0 : 1);
    } catch (const std::invalid_argument&) {
        if (clock.size() == text.size()) {
            throw;  // its own words name the whole text
        }
        throw std::invalid_argument("expected HH:MM, got \"" + std::string(text) + "\"");
    }
    if (result.minutes > 1440) {
        throw std::invalid_argument("no such time of day: \"" + std::string(text) + "\"");
    }
    if (zone.empty()) {
        return result;
    }
    if (zone == "Z" || zone == "z") {
        result.offsetMinutes = 0;
        return result;
    }
    const int sign = zone[0] == '-' ? -1 : 1;
    std::string digits;
    for (char c : zone.substr(1)) {
        if (c != ':') {
            digits += c;
        }
    }
    const bool wellFormed = (digits.size() == 2 || digits.size() == 4) &&
                            digits.find_first_not_of("0123456789") == std::string::npos &&
                            (zone.size() != 6 || zone[3] == ':') && zone.size() <= 6;
    if (!wellFormed) {
        throw std::invalid_argument("expected a zone like Z or +01:00, got \"" + std::string(text) +
                                    "\"");
    }
    const int hours = std::stoi(digits.substr(0, 2));
    const int minutes = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
    if (hours > 18 || minutes > 59) {
        throw std::invalid_argument("no such zone offset: \"" + std::string(text) + "\"");
    }
    result.offsetMinutes = sign * (hours * 60 + minutes);
    return result;
}

std::vector<int> parseByMonthDay(std::string_view text) {
    std::vector<int> result;
    std::string_view rest = trim(text);
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string item(trim(rest.substr(0, comma)));
        std::size_t used = 0;
        int value = 0;
        try {
            value = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || value == 0 || value < -31 || value > 31) {
            throw std::invalid_argument("expected days of the month 1 to 31 or -1 to -31, got \"" +
                                        std::string(text) + "\"");
        }
        if (std::find(result.begin(), result.end(), value) == result.end()) {
            result.push_back(value);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest = rest.substr(comma + 1);
        if (trim(rest).empty()) {
            throw std::invalid_argument("empty day of the month in \"" + std::string(text) + "\"");
        }
    }
    return result;
}

unsigned parseWeekday(std::string_view code) {
    std::string upperCode;
    for (char c : trim(code)) {
        upperCode += upper(c);
    }
    auto found = std::find(kDayCodes.begin(), kDayCodes.end(), upperCode);
    if (found == kDayCodes.end()) {
        throw std::invalid_argument("expected MO, TU, WE, TH, FR, SA or SU, got \"" +
                                    std::string(code) + "\"");
    }
    return static_cast<unsigned>(found - kDayCodes.begin()) + 1;
}

std::string formatByMonthDay(const std::vector<int>& days) {
    std::string text;
    for (int day : days) {
        text += (text.empty() ? "" : ",") + std::to_string(day);
    }
    return text;
}

std::string_view formatWeekday(unsigned isoWeekday) {
    return isoWeekday >= 1 && isoWeekday <= 7 ? kDayCodes[isoWeekday - 1] : std::string_view("MO");
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
    switch (frequency) {
        case ScheduleFrequency::Monthly:
            return "MONTHLY";
        case ScheduleFrequency::Daily:
            return "DAILY";
        case ScheduleFrequency::Weekly:
            break;
    }
    return "WEEKLY";
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
        const sys_days from{*today};
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
    lines.insert(lines.end(), ownLines.begin(), ownLines.end());
    return lines;
}

}  // namespace signpost
