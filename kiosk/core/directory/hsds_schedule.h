// Signpost — one HSDS 3.0 schedule object to a ScheduleRule (internal to the directory module).
//
// Read exactly or refused: freq WEEKLY / MONTHLY / DAILY, interval (counted from dtstart, weeks
// starting on wkst), byday with ordinals in MONTHLY rules, bymonthday (not with WEEKLY), dtstart,
// until (a date, or a date and time: an opening that starts after it is not included), count
// (turned into the date of the last opening), valid_from / valid_to, opens_at / closes_at with
// seconds (rounded up to the minute) and a zone, and timezone. A zone or timezone is accepted when
// it is one the venue's clock uses (venueOffsets: Europe/London's +00:00 and +01:00) and then the
// time is read as the venue's wall-clock time — a weekly time with a fixed offset cannot follow a
// clock change, and UK feeds write "Z" for local times. byweekno, byyearday, bymonth, bysetpos,
// other offsets and rules that contradict (WEEKLY with bymonthday, count with until) throw.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/hsds_fields.h"

namespace signpost::hsds_detail {

// Throws ImportError naming `f`'s record and the field. `attendingText` (if not null) receives
// the schedule's free-text attending_type. In Signpost's own shape a WEEKLY rule without byday
// keeps meaning "every day" even with a dtstart (signpostShape = true).
ScheduleRule parseHsdsSchedule(const Fields& f, const std::vector<int>& venueOffsets,
                               std::string* attendingText, bool signpostShape);

}  // namespace signpost::hsds_detail
