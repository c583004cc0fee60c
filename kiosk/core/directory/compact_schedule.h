// Signpost — opening rules packed small for the directory's in-memory cache (internal to the
// directory module; the public form is ScheduleRule in directory_types.h).
//
// A 10k-service directory keeps every service's rules in memory so "open now" can filter a whole
// result list in microseconds. CompactRule holds one ScheduleRule in 36 bytes; OpenCheck answers
// exactly what isOpenAt() answers (schedule_test.cpp checks the two agree on random rules).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/common/time_zone.h"
#include "core/directory/directory_types.h"

namespace signpost {

// What a rule needs to know about a calendar date.
struct DayFacts {
    std::int32_t dayNumber = 0;    // days since 1970-01-01
    std::int32_t monthNumber = 0;  // year * 12 + month - 1
    std::uint8_t weekday = 1;      // ISO 1..7
    std::uint8_t weekOfMonth = 1;  // 1 for days 1-7, ... 5 for days 29-31
    std::uint8_t weekFromEnd = 1;  // 1 for the last 7 days of the month, ...
    std::uint8_t dayOfMonth = 1;   // 1..31
    std::uint8_t dayFromEnd = 1;   // 1 for the last day of the month, 2 for the one before...
    static DayFacts of(const CivilDate& date);
};

struct CompactRule {
    std::int16_t opensAt = 0;  // minutes, as ScheduleRule
    std::int16_t closesAt = 0;
    std::int32_t validFrom = INT32_MIN;  // day numbers, inclusive
    std::int32_t validTo = INT32_MAX;
    std::int32_t anchorPeriod = 0;           // period index of the anchor (see below)
    std::uint16_t interval = 1;              // opens every `interval` periods
    std::uint8_t frequency = 0;              // ScheduleFrequency
    std::uint8_t weekStart = 1;              // ISO weekday a week begins on
    std::uint8_t weekdayMask = 0;            // bit (weekday-1): opens on every such day
    std::uint8_t ordinalCount = 0;           // monthly entries in `ordinals`
    std::array<std::uint8_t, 4> ordinals{};  // (weekday << 4) | (ordinal + 8)
    bool anyWeekday = true;                  // no BYDAY: the weekday does not matter
    std::uint32_t monthDays = 0;             // bit (d-1): day d of the month; 0 with
    std::uint32_t monthDaysFromEnd = 0;      // this 0 = any day; bit (k-1): k-th from the end

    bool opensOn(const DayFacts& day) const;
};

// Appends `rule` as one or more CompactRules (more when it has over four monthly entries).
void appendCompactRules(const ScheduleRule& rule, std::vector<CompactRule>& out);

// "Is it open now" for one local moment, reused across many services.
class OpenCheck {
public:
    explicit OpenCheck(const LocalTime& local);
    bool isOpen(const CompactRule* begin, const CompactRule* end) const;

private:
    DayFacts m_today;
    DayFacts m_yesterday;
    int m_minutes = 0;
};

}  // namespace signpost
