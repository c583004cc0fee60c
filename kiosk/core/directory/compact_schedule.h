// Signpost — opening rules packed small for the directory's in-memory cache (internal to the
// directory module; the public form is ScheduleRule in directory_types.h).
//
// A 10k-service directory keeps every service's rules in memory so "open now" can filter a whole
// result list in microseconds. CompactRule holds one ScheduleRule in 20 bytes; OpenCheck answers
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
    std::int32_t dayNumber = 0;   // days since 1970-01-01
    std::uint8_t weekday = 1;     // ISO 1..7
    std::uint8_t weekOfMonth = 1; // 1 for days 1-7, ... 5 for days 29-31
    std::uint8_t weekFromEnd = 1; // 1 for the last 7 days of the month, ...
    static DayFacts of(const CivilDate& date);
};

struct CompactRule {
    std::int16_t opensAt = 0;                  // minutes, as ScheduleRule
    std::int16_t closesAt = 0;
    std::int32_t validFrom = INT32_MIN;        // day numbers, inclusive
    std::int32_t validTo = INT32_MAX;
    std::uint8_t weekdayMask = 0;              // bit (weekday-1): opens on every such day
    std::uint8_t ordinalCount = 0;             // monthly entries in `ordinals`
    std::array<std::uint8_t, 4> ordinals{};    // (weekday << 4) | (ordinal + 8)

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
