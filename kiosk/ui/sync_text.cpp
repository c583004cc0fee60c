#include "ui/sync_text.h"

#include <cstdio>

#include "core/common/time_util.h"
#include "ui/ui_context.h"

namespace signpost::ui {

const char* syncStateKey(sync::SyncState state) noexcept {
    switch (state) {
        case sync::SyncState::Stopped:
            return textKey("sync.state.stopped");
        case sync::SyncState::NotEnrolled:
            return textKey("sync.state.not_enrolled");
        case sync::SyncState::Idle:
            return textKey("sync.state.idle");
        case sync::SyncState::Syncing:
            return textKey("sync.state.syncing");
        case sync::SyncState::Offline:
            return textKey("sync.state.offline");
        case sync::SyncState::CaptivePortal:
            return textKey("sync.state.captive_portal");
        case sync::SyncState::Revoked:
            return textKey("sync.state.revoked");
    }
    return textKey("sync.state.stopped");
}

const char* syncErrorKey(std::string_view code) noexcept {
    if (code.empty()) {
        return nullptr;
    }
    if (code == "connect" || code == "send" || code == "receive")
        return textKey("sync.error.connect");
    if (code == "dns")
        return textKey("sync.error.dns");
    if (code == "timeout")
        return textKey("sync.error.timeout");
    if (code == "tls")
        return textKey("sync.error.tls");
    if (code == "tls_pin")
        return textKey("sync.error.tls_pin");
    if (code == "proxy")
        return textKey("sync.error.proxy");
    if (code == "http_429" || code == "http_503")
        return textKey("sync.error.busy");
    if (code.starts_with("http_5"))
        return textKey("sync.error.server");
    if (code == "revoked")
        return textKey("sync.error.revoked");
    if (code == "captive_portal")
        return textKey("sync.error.captive_portal");
    if (code == "bad_response" || code == "no_result")
        return textKey("sync.error.bad_response");
    if (code == "storage")
        return textKey("sync.error.storage");
    if (code == "bad_directory")
        return textKey("sync.error.bad_directory");
    return textKey("sync.error.other");
}

const char* enrollErrorKey(std::string_view code) noexcept {
    if (code == "invalid_url")
        return textKey("sync.enroll_error.invalid_url");
    if (code == "enroll_refused")
        return textKey("sync.enroll_error.refused");
    if (code == "rate_limited")
        return textKey("sync.enroll_error.rate_limited");
    if (code == "insecure_url")
        return textKey("sync.enroll_error.insecure_url");
    if (code == "not_signpost")
        return textKey("sync.enroll_error.not_signpost");
    if (code == "tls_pin")
        return textKey("sync.enroll_error.key_changed");
    return syncErrorKey(code);
}

std::string localTimeText(const I18n& i18n, const TimeZone& zone, std::string_view isoUtc,
                          std::chrono::system_clock::time_point now) {
    const std::optional<SystemTime> time = parseIsoUtc(isoUtc);
    if (!time) {
        return "";
    }
    using namespace std::chrono;
    const LocalTime local = zone.toLocal(time_point_cast<seconds>(*time));
    const LocalTime today = zone.toLocal(time_point_cast<seconds>(now));
    char clock[32];
    std::snprintf(clock, sizeof clock, "%02d:%02d", local.minutesOfDay / 60,
                  local.minutesOfDay % 60);
    if (local.date == today.date) {
        return clock;
    }
    static constexpr const char* kMonths[] = {
        textKey("sync.month.1"),  textKey("sync.month.2"),  textKey("sync.month.3"),
        textKey("sync.month.4"),  textKey("sync.month.5"),  textKey("sync.month.6"),
        textKey("sync.month.7"),  textKey("sync.month.8"),  textKey("sync.month.9"),
        textKey("sync.month.10"), textKey("sync.month.11"), textKey("sync.month.12")};
    const unsigned month = static_cast<unsigned>(local.date.month());
    return std::to_string(static_cast<unsigned>(local.date.day())) + " " +
           i18n.tr(kMonths[(month - 1) % 12]) + " " + clock;
}

std::string durationUntil(const I18n& i18n, std::chrono::steady_clock::time_point at,
                          std::chrono::steady_clock::time_point now) {
    const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(at - now).count();
    if (seconds <= 0) {
        return i18n.tr("staff.sync.now");
    }
    if (seconds < 60) {
        return i18n.format("staff.seconds", {{"count", std::to_string(seconds)}});
    }
    const long long minutes = (seconds + 59) / 60;
    if (minutes < 60) {
        return i18n.format("staff.minutes", {{"count", std::to_string(minutes)}});
    }
    return i18n.format("staff.sync.hours_minutes", {{"hours", std::to_string(minutes / 60)},
                                                    {"minutes", std::to_string(minutes % 60)}});
}

std::string residentSyncLine(const I18n& i18n, const TimeZone& zone, const sync::SyncStatus& status,
                             std::chrono::system_clock::time_point now) {
    const std::string dot = " \xC2\xB7 ";  // U+00B7 middle dot
    std::string line;
    switch (status.state) {
        case sync::SyncState::Syncing:
            return i18n.tr("sync.line.sending");
        case sync::SyncState::Idle:
            line = i18n.tr("sync.line.online");
            break;
        default:
            line = i18n.tr("sync.line.offline");
            break;
    }
    if (status.counts.queued == 0) {
        line += dot + i18n.tr("sync.line.all_sent");
    } else {
        line += dot + i18n.formatPlural("sync.line.waiting",
                                        static_cast<long long>(status.counts.queued),
                                        {{"count", std::to_string(status.counts.queued)}});
    }
    if (status.state != sync::SyncState::Idle && !status.lastPushAt.empty()) {
        line += dot + i18n.format("sync.line.last_sent",
                                  {{"time", localTimeText(i18n, zone, status.lastPushAt, now)}});
    }
    return line;
}

}  // namespace signpost::ui
