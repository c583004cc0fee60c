// Signpost — an IANA time zone read from the system's TZif files, for "open now" and for showing
// local times. GCC 12's libstdc++ has no std::chrono::tzdb, so this reads
// /usr/share/zoneinfo/<name> itself (TZif v2+ 64-bit data and the POSIX TZ footer for instants
// past the table) and falls back to a built-in rule for Europe/London if the file is missing.
//
// Thread-safety: an immutable value after construction; toLocal() is safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace signpost {

class TimeZoneError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A moment as seen on a wall clock in the zone.
struct LocalTime {
    std::chrono::year_month_day date;
    unsigned weekday = 1;     // ISO: 1 = Monday ... 7 = Sunday
    int minutesOfDay = 0;     // 0..1439
    int secondsOfMinute = 0;  // 0..59
    int utcOffsetSeconds = 0; // e.g. 3600 during BST
    std::string abbreviation; // "GMT", "BST"
};

class TimeZone {
public:
    // Loads `name` (e.g. "Europe/London") from `zoneinfoRoot`. Throws TimeZoneError if the name
    // is malformed, or the file is missing or corrupt and there is no built-in rule for it.
    static TimeZone load(std::string_view name,
                         const std::filesystem::path& zoneinfoRoot = "/usr/share/zoneinfo");
    // A zone from a POSIX TZ rule string only, e.g. "GMT0BST,M3.5.0/1,M10.5.0". Throws.
    static TimeZone fromPosixRule(std::string_view name, std::string_view rule);

    LocalTime toLocal(std::chrono::sys_seconds instant) const;
    const std::string& name() const noexcept;

    ~TimeZone();
    TimeZone(const TimeZone&);
    TimeZone& operator=(const TimeZone&);
    TimeZone(TimeZone&&) noexcept;
    TimeZone& operator=(TimeZone&&) noexcept;

private:
    struct Data;
    explicit TimeZone(std::shared_ptr<const Data> data);
    std::shared_ptr<const Data> m_data;
};

}  // namespace signpost
