#include "core/operations/opening_hours.h"

#include <algorithm>

#include "core/config/kiosk_config.h"

namespace signpost {

namespace {

std::chrono::sys_days dayOf(const LocalTime& local) {
    return std::chrono::sys_days(local.date);
}

}  // namespace

OpeningHours::OpeningHours() {
    for (DayHours& day : m_week) {
        day.sessions = {OpeningSession{0, 1440}};
    }
}

OpeningHours::OpeningHours(std::array<DayHours, 7> week, std::vector<HoursException> exceptions)
    : m_week(std::move(week)), m_exceptions(std::move(exceptions)) {
    std::stable_sort(
        m_exceptions.begin(), m_exceptions.end(),
        [](const HoursException& a, const HoursException& b) { return a.date < b.date; });
    // Later entries for the same date are dropped: the config refuses duplicates anyway.
    m_exceptions.erase(std::unique(m_exceptions.begin(), m_exceptions.end(),
                                   [](const HoursException& a, const HoursException& b) {
                                       return a.date == b.date;
                                   }),
                       m_exceptions.end());
}

bool OpeningHours::alwaysOpen() const noexcept {
    const DayHours allDay{{OpeningSession{0, 1440}}};
    return std::all_of(m_week.begin(), m_week.end(),
                       [&](const DayHours& day) { return day == allDay; }) &&
           std::all_of(m_exceptions.begin(), m_exceptions.end(),
                       [&](const HoursException& exception) { return exception.hours == allDay; });
}

const DayHours& OpeningHours::hoursOn(std::chrono::year_month_day date, unsigned isoWeekday) const {
    const auto found = std::lower_bound(
        m_exceptions.begin(), m_exceptions.end(), date,
        [](const HoursException& e, const std::chrono::year_month_day& d) { return e.date < d; });
    if (found != m_exceptions.end() && found->date == date) {
        return found->hours;
    }
    return m_week[(std::clamp(isoWeekday, 1u, 7u) - 1) % 7];
}

bool OpeningHours::isOpenAt(const LocalTime& local) const {
    const DayHours& day = hoursOn(local.date, local.weekday);
    return std::any_of(
        day.sessions.begin(), day.sessions.end(), [&](const OpeningSession& session) {
            return local.minutesOfDay >= session.opens && local.minutesOfDay < session.closes;
        });
}

bool OpeningHours::isOpenAt(std::chrono::sys_seconds instant, const TimeZone& zone) const {
    return isOpenAt(zone.toLocal(instant));
}

std::optional<std::chrono::sys_seconds> OpeningHours::nextChange(std::chrono::sys_seconds now,
                                                                 const TimeZone& zone,
                                                                 std::chrono::days horizon) const {
    const bool openNow = isOpenAt(now, zone);
    const auto limit = now + horizon;
    std::chrono::sys_seconds at = now;
    // Step from one boundary of the local day (an opening, a closing, midnight) to the next and
    // look at the state there. A daylight-saving jump only moves a step's landing point; the
    // state is always read at the instant itself, so the answer is right either way.
    while (at < limit) {
        const LocalTime local = zone.toLocal(at);
        const DayHours& day = hoursOn(local.date, local.weekday);
        int boundary = 1440;
        for (const OpeningSession& session : day.sessions) {
            for (int edge : {session.opens, session.closes}) {
                if (edge > local.minutesOfDay && edge < boundary) {
                    boundary = edge;
                }
            }
        }
        at += std::chrono::seconds((boundary - local.minutesOfDay) * 60 - local.secondsOfMinute);
        if (isOpenAt(at, zone) != openNow) {
            return at;
        }
    }
    return std::nullopt;
}

std::optional<NextOpening> OpeningHours::nextOpening(std::chrono::sys_seconds now,
                                                     const TimeZone& zone) const {
    if (isOpenAt(now, zone)) {
        return std::nullopt;
    }
    const auto at = nextChange(now, zone);
    if (!at) {
        return std::nullopt;
    }
    NextOpening next;
    next.at = *at;
    next.local = zone.toLocal(*at);
    next.daysAhead = static_cast<int>((dayOf(next.local) - dayOf(zone.toLocal(now))).count());
    return next;
}

OpeningHours openingHoursOf(const KioskConfig& config) {
    const std::string* days[7] = {
        &config.hoursMonday, &config.hoursTuesday,  &config.hoursWednesday, &config.hoursThursday,
        &config.hoursFriday, &config.hoursSaturday, &config.hoursSunday};
    std::array<DayHours, 7> week;
    for (std::size_t i = 0; i < 7; ++i) {
        auto day = parseDayHours(*days[i]);
        week[i] = day ? std::move(*day) : DayHours{{OpeningSession{0, 1440}}};
    }
    std::vector<HoursException> exceptions;
    for (const std::string& text : config.hoursExceptions) {
        if (auto exception = parseHoursException(text)) {
            exceptions.push_back(std::move(*exception));
        }
    }
    return OpeningHours(std::move(week), std::move(exceptions));
}

}  // namespace signpost
