#include "core/common/time_zone.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <utility>

namespace signpost {

namespace {

void validateName(std::string_view name) {
    auto bad = [&](const std::string& why) {
        throw TimeZoneError("bad time zone name \"" + std::string(name) + "\": " + why);
    };
    if (name.empty() || name.size() > 255) {
        bad("empty or too long");
    }
    if (name.front() == '/' || name.back() == '/') {
        bad("must be relative, like Europe/London");
    }
    if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) {
        bad("must not contain \"..\" or empty parts");
    }
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+' ||
                        c == '.';
        if (!ok) {
            bad("unexpected character");
        }
    }
}

}  // namespace

struct TimeZone::Data {
    std::string name;
    cctz::time_zone zone;
};

TimeZone TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfoRoot) {
    validateName(name);
    // cctz is given the full path, so $TZDIR plays no part and the root is the one asked for.
    const std::filesystem::path file = zoneinfoRoot / std::string(name);
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
        throw TimeZoneError(file.string() +
                            ": no such zone file (is the tzdata package installed?)");
    }
    cctz::time_zone zone;
    if (!cctz::load_time_zone(file.string(), &zone)) {
        throw TimeZoneError(file.string() + ": not a valid zone file (TZif)");
    }
    return TimeZone(std::make_shared<const Data>(Data{std::string(name), zone}));
}

LocalTime TimeZone::toLocal(std::chrono::sys_seconds instant) const {
    const cctz::time_zone::absolute_lookup lookup =
        m_data->zone.lookup(std::chrono::time_point_cast<cctz::seconds>(instant));
    const cctz::civil_second& wall = lookup.cs;
    LocalTime result;
    result.date =
        std::chrono::year_month_day{std::chrono::year{static_cast<int>(wall.year())},
                                    std::chrono::month{static_cast<unsigned>(wall.month())},
                                    std::chrono::day{static_cast<unsigned>(wall.day())}};
    // cctz numbers Monday 0 ... Sunday 6.
    result.weekday = static_cast<unsigned>(cctz::get_weekday(cctz::civil_day(wall))) + 1;
    result.minutesOfDay = wall.hour() * 60 + wall.minute();
    result.secondsOfMinute = wall.second();
    result.utcOffsetSeconds = lookup.offset;
    result.abbreviation = lookup.abbr;
    return result;
}

const std::string& TimeZone::name() const noexcept {
    return m_data->name;
}

TimeZone::TimeZone(std::shared_ptr<const Data> data) : m_data(std::move(data)) {}
TimeZone::~TimeZone() = default;
TimeZone::TimeZone(const TimeZone&) = default;
TimeZone& TimeZone::operator=(const TimeZone&) = default;
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;

}  // namespace signpost
