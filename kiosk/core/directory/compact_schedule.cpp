#include "core/directory/compact_schedule.h"

#include <algorithm>

namespace signpost {

namespace {

std::int32_t dayNumberOf(const CivilDate& date) {
    return static_cast<std::int32_t>(std::chrono::sys_days{date}.time_since_epoch().count());
}

std::int32_t floorDiv7(std::int32_t a) {
    return a / 7 - ((a % 7 != 0) && (a < 0));
}

// As schedule.cpp's periodIndex: weeks begin on `weekStart`, months are calendar months.
std::int32_t periodOf(const DayFacts& day, std::uint8_t frequency, std::uint8_t weekStart) {
    switch (static_cast<ScheduleFrequency>(frequency)) {
        case ScheduleFrequency::Daily:
            return day.dayNumber;
        case ScheduleFrequency::Monthly:
            return day.monthNumber;
        case ScheduleFrequency::Weekly:
            break;
    }
    return floorDiv7(day.dayNumber - static_cast<std::int32_t>((day.weekday + 7 - weekStart) % 7));
}

}  // namespace

DayFacts DayFacts::of(const CivilDate& date) {
    DayFacts facts;
    const std::chrono::sys_days day{date};
    facts.dayNumber = static_cast<std::int32_t>(day.time_since_epoch().count());
    facts.monthNumber = static_cast<std::int32_t>(static_cast<int>(date.year())) * 12 +
                        static_cast<std::int32_t>(static_cast<unsigned>(date.month())) - 1;
    facts.weekday = static_cast<std::uint8_t>(std::chrono::weekday{day}.iso_encoding());
    const unsigned dayOfMonth = static_cast<unsigned>(date.day());
    const unsigned lastDay = static_cast<unsigned>(std::chrono::year_month_day_last{
        date.year(),
        std::chrono::month_day_last{date.month()}}.day());
    facts.weekOfMonth = static_cast<std::uint8_t>((dayOfMonth - 1) / 7 + 1);
    facts.weekFromEnd = static_cast<std::uint8_t>((lastDay - dayOfMonth) / 7 + 1);
    facts.dayOfMonth = static_cast<std::uint8_t>(dayOfMonth);
    facts.dayFromEnd = static_cast<std::uint8_t>(lastDay - dayOfMonth + 1);
    return facts;
}

bool CompactRule::opensOn(const DayFacts& day) const {
    if (day.dayNumber < validFrom || day.dayNumber > validTo) {
        return false;
    }
    if (interval > 1) {
        const std::int32_t since = periodOf(day, frequency, weekStart) - anchorPeriod;
        if (since < 0 || since % interval != 0) {
            return false;
        }
    }
    if ((monthDays | monthDaysFromEnd) != 0 && (monthDays & (1u << (day.dayOfMonth - 1))) == 0 &&
        (monthDaysFromEnd & (1u << (day.dayFromEnd - 1))) == 0) {
        return false;
    }
    if (anyWeekday || (weekdayMask & (1u << (day.weekday - 1))) != 0) {
        return true;
    }
    for (std::uint8_t i = 0; i < ordinalCount; ++i) {
        const unsigned weekday = ordinals[i] >> 4;
        const int ordinal = static_cast<int>(ordinals[i] & 0x0F) - 8;
        if (weekday == day.weekday &&
            (ordinal > 0 ? ordinal == day.weekOfMonth : -ordinal == day.weekFromEnd)) {
            return true;
        }
    }
    return false;
}

void appendCompactRules(const ScheduleRule& rule, std::vector<CompactRule>& out) {
    CompactRule base;
    base.opensAt = static_cast<std::int16_t>(rule.opensAtMinutes);
    base.closesAt = static_cast<std::int16_t>(rule.closesAtMinutes);
    if (rule.validFrom) {
        base.validFrom = dayNumberOf(*rule.validFrom);
    }
    if (rule.validTo) {
        base.validTo = dayNumberOf(*rule.validTo);
    }
    base.frequency = static_cast<std::uint8_t>(rule.frequency);
    base.weekStart =
        static_cast<std::uint8_t>(rule.weekStart >= 1 && rule.weekStart <= 7 ? rule.weekStart : 1);
    if (rule.interval > 1 && rule.anchor) {
        base.interval = static_cast<std::uint16_t>(std::min(rule.interval, 65535));
        base.anchorPeriod = periodOf(DayFacts::of(*rule.anchor), base.frequency, base.weekStart);
    }
    for (int day : rule.byMonthDays) {
        if (day >= 1 && day <= 31) {
            base.monthDays |= 1u << (day - 1);
        } else if (day <= -1 && day >= -31) {
            base.monthDaysFromEnd |= 1u << (-day - 1);
        }
    }
    base.anyWeekday = rule.byDays.empty();
    CompactRule current = base;
    bool any = false;
    for (const ByDay& entry : rule.byDays) {
        if (entry.weekday < 1 || entry.weekday > 7) {
            continue;
        }
        // As isOpenAt: ordinals count only in MONTHLY rules; elsewhere the weekday alone decides.
        if (entry.ordinal == 0 || rule.frequency != ScheduleFrequency::Monthly) {
            current.weekdayMask =
                static_cast<std::uint8_t>(current.weekdayMask | (1u << (entry.weekday - 1)));
            continue;
        }
        if (entry.ordinal < -5 || entry.ordinal > 5) {
            continue;
        }
        if (current.ordinalCount == current.ordinals.size()) {
            out.push_back(current);
            any = true;
            current = base;
        }
        current.ordinals[current.ordinalCount++] = static_cast<std::uint8_t>(
            (entry.weekday << 4) | static_cast<unsigned>(entry.ordinal + 8));
    }
    if (!any || current.weekdayMask != 0 || current.ordinalCount != 0) {
        out.push_back(current);
    }
}

OpenCheck::OpenCheck(const LocalTime& local)
    : m_today(DayFacts::of(local.date)),
      m_yesterday(
          DayFacts::of(CivilDate{std::chrono::sys_days{local.date} - std::chrono::days{1}})),
      m_minutes(local.minutesOfDay) {}

bool OpenCheck::isOpen(const CompactRule* begin, const CompactRule* end) const {
    for (const CompactRule* rule = begin; rule != end; ++rule) {
        if (rule->closesAt > rule->opensAt) {
            if (m_minutes >= rule->opensAt && m_minutes < rule->closesAt &&
                rule->opensOn(m_today)) {
                return true;
            }
            continue;
        }
        // Overnight (or round the clock): last night's opening, or tonight's.
        if (m_minutes < rule->closesAt && rule->opensOn(m_yesterday)) {
            return true;
        }
        if (m_minutes >= rule->opensAt && rule->opensOn(m_today)) {
            return true;
        }
    }
    return false;
}

}  // namespace signpost
