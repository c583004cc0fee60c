#include "core/config/day_hours.h"

#include <algorithm>

#include "core/common/text_util.h"

namespace signpost {

namespace {

constexpr std::size_t kMaxSessions = 4;

bool digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "HH:MM" → minutes; "24:00" only when `closing`.
std::optional<int> clockMinutes(std::string_view text, bool closing) {
    if (text.size() != 5 || text[2] != ':' || !digits(text.substr(0, 2)) ||
        !digits(text.substr(3, 2))) {
        return std::nullopt;
    }
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !closing))) {
        return std::nullopt;
    }
    return hours * 60 + minutes;
}

std::string clockText(int minutes) {
    const int clamped = std::clamp(minutes, 0, 1440);
    const char text[] = {static_cast<char>('0' + clamped / 600),
                         static_cast<char>('0' + clamped / 60 % 10),
                         ':',
                         static_cast<char>('0' + clamped % 60 / 10),
                         static_cast<char>('0' + clamped % 10),
                         '\0'};
    return text;
}

bool fail(std::string* problem, std::string reason) {
    if (problem != nullptr) {
        *problem = std::move(reason);
    }
    return false;
}

}  // namespace

std::optional<DayHours> parseDayHours(std::string_view text, std::string* problem) {
    text = trim(text);
    DayHours day;
    if (text == "closed") {
        return day;
    }
    if (text.empty()) {
        fail(problem, "empty; write hours like \"09:00-17:00\" or \"closed\"");
        return std::nullopt;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string_view part =
            trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
        const std::size_t dash = part.find('-');
        const auto opens = dash == std::string_view::npos
                               ? std::nullopt
                               : clockMinutes(trim(part.substr(0, dash)), false);
        const auto closes = dash == std::string_view::npos
                                ? std::nullopt
                                : clockMinutes(trim(part.substr(dash + 1)), true);
        if (!opens || !closes) {
            fail(problem, "\"" + std::string(part) + "\" is not a time range like 09:00-17:00");
            return std::nullopt;
        }
        if (*closes <= *opens) {
            fail(problem,
                 "\"" + std::string(part) + "\" closes before it opens (use 24:00 for midnight)");
            return std::nullopt;
        }
        if (!day.sessions.empty() && *opens < day.sessions.back().closes) {
            fail(problem, "\"" + std::string(part) + "\" starts before the session before it ends");
            return std::nullopt;
        }
        if (day.sessions.size() == kMaxSessions) {
            fail(problem, "more than 4 sessions in one day");
            return std::nullopt;
        }
        day.sessions.push_back(OpeningSession{*opens, *closes});
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return day;
}

std::optional<HoursException> parseHoursException(std::string_view text, std::string* problem) {
    text = trim(text);
    const std::size_t space = text.find(' ');
    const std::string_view date = text.substr(0, space);
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !digits(date.substr(0, 4)) ||
        !digits(date.substr(5, 2)) || !digits(date.substr(8, 2))) {
        fail(problem, "\"" + std::string(text) + "\" does not start with a date like 2026-12-25");
        return std::nullopt;
    }
    const auto number = [&](std::size_t at, std::size_t length) {
        int value = 0;
        for (char c : date.substr(at, length)) {
            value = value * 10 + (c - '0');
        }
        return value;
    };
    const std::chrono::year_month_day ymd{std::chrono::year(number(0, 4)),
                                          std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                          std::chrono::day(static_cast<unsigned>(number(8, 2)))};
    if (!ymd.ok()) {
        fail(problem, "\"" + std::string(date) + "\" is not a real date");
        return std::nullopt;
    }
    if (space == std::string_view::npos) {
        fail(problem, "\"" + std::string(text) +
                          "\" needs hours after the date, like \"2026-12-25 closed\"");
        return std::nullopt;
    }
    std::string dayProblem;
    auto hours = parseDayHours(text.substr(space + 1), &dayProblem);
    if (!hours) {
        fail(problem, std::string(date) + ": " + dayProblem);
        return std::nullopt;
    }
    return HoursException{ymd, std::move(*hours)};
}

std::string formatDayHours(const DayHours& day) {
    if (day.closed()) {
        return "closed";
    }
    std::string text;
    for (const OpeningSession& session : day.sessions) {
        text +=
            (text.empty() ? "" : ", ") + clockText(session.opens) + '-' + clockText(session.closes);
    }
    return text;
}

}  // namespace signpost
