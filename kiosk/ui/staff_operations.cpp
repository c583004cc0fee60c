// Staff panel, venue operations (operations): the network section (each interface's address;
// server reachability and captive portals come from the sync engine's status once it is
// merged), the last 50 log lines (the log never holds personal data: core/common/log.h), and the
// "set by your coordinator" mark for settings that arrived as remote settings.
#include "core/common/log.h"
#include "core/operations/device_actions.h"
#include "sync/engine/sync_status.h"
#include "ui/sync_text.h"
#include "ui/views.h"

namespace signpost::ui {

void drawStaffNetwork(ScreenContext& c, Flow& flow) {
    Ui& ui = c.ui;
    const float top = flow.y();
    const auto addresses = interfaceAddresses();
    if (addresses.empty()) {
        flowText(ui, flow, TextStyle::Body, ui.palette().error, ui.tr("staff.network.none"));
    }
    for (const InterfaceAddress& address : addresses) {
        flowText(ui, flow, TextStyle::Body, ui.palette().text, address.interface + ": " + address.address);
        flow.gap(ui.layout().smallGap);
    }
    // Server reachable / captive portal: the sync engine's own findings (it probes GET /v1/probe
    // when an answer looks like a login page), not a second probe of ours.
    if (const auto& status = c.syncStatus) {
        using sync::SyncState;
        std::string line;
        bool bad = true;
        switch (status->state) {
            case SyncState::CaptivePortal: line = ui.tr("staff.network.captive"); break;
            case SyncState::NotEnrolled: line = ui.tr("staff.network.not_enrolled"); break;
            case SyncState::Revoked: line = ui.tr("staff.network.revoked"); break;
            case SyncState::Offline:
                if (const char* reason = syncErrorKey(status->lastError)) {
                    line = ui.format("staff.network.server_down", {{"error", ui.tr(reason)}});
                } else {
                    line = ui.format("staff.network.server_down", {{"error", status->lastError}});
                }
                break;
            case SyncState::Idle:
            case SyncState::Syncing:
            case SyncState::Stopped:
                if (!status->lastSuccessAt.empty()) {
                    line = ui.format("staff.network.server_ok", {{"time", status->lastSuccessAt}});
                    bad = false;
                }
                break;
        }
        if (!line.empty()) {
            const float at = flow.y();
            flowText(ui, flow, TextStyle::Body, bad ? ui.palette().error : ui.palette().text, line);
            ui.registerElement(std::string("staff.network.") + toString(status->state),
                               Rect{flow.left(), at, flow.left() + flow.width(), flow.y()});
        }
    }
    ui.registerElement("staff.network", Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
}

void drawStaffLog(ScreenContext& c, Flow& flow) {
    Ui& ui = c.ui;
    const float top = flow.y();
    const auto lines = recentLogLines(50);
    if (lines.empty()) {
        flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("staff.logs.none"));
    }
    // Newest first: what staff look for is what just happened.
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        flowText(ui, flow, TextStyle::Small,
                 line->level >= LogLevel::Warning ? ui.palette().error : ui.palette().textMuted, formatLogLine(*line));
    }
    ui.registerElement("staff.log", Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
}

bool drawRemoteMark(ScreenContext& c, Flow& flow, std::string_view key, std::string_view id, std::string_view value) {
    if (!c.runtime.config.isRemote(key)) {
        return false;
    }
    Ui& ui = c.ui;
    const float top = flow.y();
    flowText(ui, flow, TextStyle::Body, ui.palette().text, value);
    flow.gap(ui.layout().smallGap);
    flowText(ui, flow, TextStyle::Small, ui.palette().textMuted, ui.tr("staff.remote.set_by_coordinator"));
    ui.registerElement(std::string(id) + ".remote", Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    return true;
}

}  // namespace signpost::ui
