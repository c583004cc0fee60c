#include "core/common/time_util.h"

#include <cstdio>

namespace signpost {

namespace {
std::string formatWith(SystemTime time, bool millis) {
    using namespace std::chrono;
    auto days = floor<std::chrono::days>(time);
    year_month_day date{days};
    hh_mm_ss clock{floor<milliseconds>(time - days)};
    char buffer[40];
    if (millis) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lld.%03lldZ",
                      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                      static_cast<unsigned>(date.day()), static_cast<long>(clock.hours().count()),
                      static_cast<long>(clock.minutes().count()),
                      static_cast<long long>(clock.seconds().count()),
                      static_cast<long long>(clock.subseconds().count()));
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ",
                      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                      static_cast<unsigned>(date.day()), static_cast<long>(clock.hours().count()),
                      static_cast<long>(clock.minutes().count()),
                      static_cast<long long>(clock.seconds().count()));
    }
    return buffer;
}
}  // namespace

std::string formatIsoUtc(SystemTime time) {
    return formatWith(time, false);
}
std::string formatIsoUtcMillis(SystemTime time) {
    return formatWith(time, true);
}

std::optional<SystemTime> parseIsoUtc(std::string_view text) {
    using namespace std::chrono;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
    std::string copy(text);
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                    &second, &consumed) != 6 ||
        consumed != 19) {
        return std::nullopt;
    }
    std::string_view rest = text.substr(19);
    int millis = 0;
    if (!rest.empty() && rest.front() == '.') {
        std::size_t digits = 1;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
            if (digits <= 3) {
                millis = millis * 10 + (rest[digits] - '0');
            }
            ++digits;
        }
        if (digits == 1) {
            return std::nullopt;
        }
        for (std::size_t pad = digits; pad <= 3; ++pad) {
            millis *= 10;
        }
        rest.remove_prefix(digits);
    }
    if (rest != "Z" && rest != "+00:00") {
        return std::nullopt;
    }
    year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}};
    // The system clock counts nanoseconds in 64 bits (years 1678 to 2262): a year outside that
    // would overflow it. sscanf's %2d also reads "-1".
    if (!date.ok() || year < kMinIsoYear || year > kMaxIsoYear || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > 60) {
        return std::nullopt;
    }
    return sys_days{date} + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis};
}

long long unixSeconds(SystemTime time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace signpost
