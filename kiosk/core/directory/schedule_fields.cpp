// Signpost — HSDS schedule fields read and written (schedule.h): BYDAY ("1MO,-1FR"), clock
// times ("09:30", "09:30:00+01:00"), FREQ, BYMONTHDAY and WKST. The parsers throw
// std::invalid_argument with a short reason, which the importer reports against the field; the
// formatters write what the parsers read back. Hand-written because HSDS and ORUK publish each
// recurrence part as its own field: libical (libical-dev) parses whole RRULE strings, so using it
// would mean gluing the fields back into one string to parse it again, and its errors could not
// name the field at fault.
#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/common/text_util.h"
#include "core/directory/schedule.h"

namespace signpost {

namespace {

constexpr std::array<std::string_view, 7> kDayCodes = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

}  // namespace

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
        const std::string upperCode = asciiUpper(code);
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
    const std::string upperText = asciiUpper(trim(freq));
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
    const std::string upperCode = asciiUpper(trim(code));
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

}  // namespace signpost
