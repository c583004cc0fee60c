// Signpost — UTC timestamps as text. Stored and sent timestamps are always UTC ISO 8601 with a
// trailing 'Z'; local time only exists for display and "open now" (see common/time_zone.h).
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace signpost {

using SystemTime = std::chrono::system_clock::time_point;

// "2026-11-23T14:03:07Z"
std::string formatIsoUtc(SystemTime time);
// "2026-11-23T14:03:07.123Z"
std::string formatIsoUtcMillis(SystemTime time);
// Years parseIsoUtc accepts: what the system clock (nanoseconds in 64 bits) can hold, with room.
inline constexpr int kMinIsoYear = 1700;
inline constexpr int kMaxIsoYear = 2200;
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" (and "+00:00") from kMinIsoYear to kMaxIsoYear; nullopt
// for anything else.
std::optional<SystemTime> parseIsoUtc(std::string_view text);
// Whole seconds since the Unix epoch.
long long unixSeconds(SystemTime time);

}  // namespace signpost
