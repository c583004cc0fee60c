// Signpost — an IANA time zone from the system's zone files, for "open now" and for showing local
// times. GCC 12's libstdc++ has no std::chrono::tzdb; cctz (libcctz, Debian) reads
// /usr/share/zoneinfo/<name> for us: the TZif table, and the POSIX rule in its footer for
// instants past the table (years after 2037), which Howard Hinnant's date/tz (its "OS tzdb"
// mode, as Debian builds it) ignores — London in July 2040 would come out GMT.
//
// The zone files come from tzdata, a dependency of the kiosk package (installer/install-deps.sh
// for builds). A zone that cannot be loaded is a TimeZoneError naming the file; there is no
// built-in fallback rule any more.
//
// Thread-safety: an immutable value after construction; toLocal() is safe from any thread
// (cctz's time_zone is a shared, immutable handle).
#pragma once

#include <chrono>
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
    unsigned weekday = 1;      // ISO: 1 = Monday ... 7 = Sunday
    int minutesOfDay = 0;      // 0..1439
    int secondsOfMinute = 0;   // 0..59
    int utcOffsetSeconds = 0;  // e.g. 3600 during BST
    std::string abbreviation;  // "GMT", "BST"
};

class TimeZone {
public:
    // Loads `name` (e.g. "Europe/London") from `zoneinfoRoot`. Throws TimeZoneError if the name
    // is malformed (checked before the file system is touched: no "..", no absolute path), or
    // the file is missing or not a valid TZif file.
    static TimeZone load(std::string_view name,
                         const std::filesystem::path& zoneinfoRoot = "/usr/share/zoneinfo");

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
