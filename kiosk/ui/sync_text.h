// Signpost UI — the words for the sync engine's status: i18n keys chosen by state and error code,
// and the resident status line. Pure functions (no ImGui), tested in tests/ui_sync_test.cpp.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/common/time_zone.h"
#include "core/i18n/i18n.h"
#include "sync/engine/sync_status.h"

namespace signpost::ui {

// "sync.state.<state>": what the state means, in plain words, for staff.
const char* syncStateKey(sync::SyncState state) noexcept;
// "sync.error.<kind>" for a SyncStatus::lastError code ("connect", "http_503", ...); "" → nullptr.
const char* syncErrorKey(std::string_view code) noexcept;
// "sync.enroll_error.<kind>" for SyncStatus::enrollError; transport codes map to syncErrorKey.
const char* enrollErrorKey(std::string_view code) noexcept;

// "14:03" today, "23 Nov 14:03" another day, in the venue's zone; "" for "" or unreadable text.
std::string localTimeText(const I18n& i18n, const TimeZone& zone, std::string_view isoUtc,
                          std::chrono::system_clock::time_point now);
// "now", "45 s", "3 min", "2 h 5 min" until `at`.
std::string durationUntil(const I18n& i18n, std::chrono::steady_clock::time_point at,
                          std::chrono::steady_clock::time_point now);

// The calm line residents see: "Online · all sent", "Sending…", "Offline · 2 waiting · last sent
// 14:03". Never alarming, never an error code.
std::string residentSyncLine(const I18n& i18n, const TimeZone& zone, const sync::SyncStatus& status,
                             std::chrono::system_clock::time_point now);

}  // namespace signpost::ui
