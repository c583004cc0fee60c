// Staff panel, venue operations (operations): the network section (each interface's address;
// server reachability and captive portals come from the sync engine's status once it is
// merged), the last 50 log lines (the log never holds personal data: core/common/log.h), and the
// "set by your coordinator" mark for settings that arrived as remote settings.
#include "core/common/log.h"
#include "core/operations/device_actions.h"
#include "core/referral/submit.h"
#include "sync/engine/sync_engine.h"
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
        flowText(ui, flow, TextStyle::Body, ui.palette().text,
                 address.interface + ": " + address.address);
        flow.gap(ui.layout().smallGap);
    }
    // Server reachable / captive portal: the sync engine's own findings (it probes GET /v1/probe
    // when an answer looks like a login page), not a second probe of ours.
    if (const auto& status = c.syncStatus) {
        using sync::SyncState;
        std::string line;
        bool bad = true;
        switch (status->state) {
            case SyncState::CaptivePortal:
                line = ui.tr("staff.network.captive");
                break;
            case SyncState::NotEnrolled:
                line = ui.tr("staff.network.not_enrolled");
                break;
            case SyncState::Revoked:
                line = ui.tr("staff.network.revoked");
                break;
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
    ui.registerElement("staff.network",
                       Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
}

void drawStaffLog(ScreenContext& c, Flow& flow) {
    Ui& ui = c.ui;
    const float top = flow.y();
    const auto lines = recentLogLines(50);
    if (lines.empty()) {
        flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("staff.logs.none"));
        ui.registerElement("staff.log",
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    }
    // Newest first: what staff look for is what just happened. "staff.log" is the newest line
    // (the whole list is taller than a screen).
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        flowText(ui, flow, TextStyle::Small,
                 line->level >= LogLevel::Warning ? ui.palette().error : ui.palette().textMuted,
                 formatLogLine(*line));
        if (line == lines.rbegin()) {
            ui.registerElement("staff.log",
                               Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        }
    }
}

void drawStaffTestReferral(ScreenContext& c, Flow& flow, TestReferralState& state) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("staff.test_referral.intro"));
    flow.gap(l.smallGap);
    const char* label = ui.tr("staff.test_referral.send");
    const ButtonStyle style{ButtonKind::Secondary, Icon::None};
    if (button(ui, "staff.test_referral.send",
               flow.take(l.target, std::max(buttonWidth(ui, label, style), flow.width() * 0.4f)),
               label, style)) {
        KioskRuntime& runtime = c.runtime;
        sync::SyncEngine* engine = c.syncEngine;
        const auto now = c.wallNow;
        ui.defer([&runtime, &state, engine, now] {
            ReferralForm form;
            form.kind = ReferralKind::General;
            form.needsText = SecureString(
                "TEST referral from the staff panel: please ignore. It checks that this kiosk "
                "reaches the coordinators.");
            form.name = SecureString("TEST");
            form.phone = SecureString(runtime.config.linkWorkerPhone);
            form.safeToLeaveMessage = Answer::No;  // nobody to leave a message for
            form.consentGiven = true;
            SubmitContext context;
            context.venue = runtime.config.venueName;
            context.neighbourhood = runtime.config.neighbourhood;
            context.formVersion = runtime.config.formVersion;
            context.consentVersion = runtime.config.consentVersion;
            context.referencePrefix = runtime.config.referencePrefix;
            context.deviceId = runtime.deviceId;
            context.coordinatorKey = runtime.coordinatorKey;
            context.test = true;
            context.now = now;
            state = TestReferralState{};
            try {
                if (!runtime.outbox) {
                    throw std::runtime_error("no outbox is open");
                }
                const SubmitReceipt receipt = submitReferral(form, context, *runtime.outbox);
                state.id = receipt.id;
                state.reference = receipt.reference;
                state.seq = receipt.seq;
                logInfo("staff", "test referral " + receipt.reference + " queued");
            } catch (const std::exception& error) {
                state.error = error.what();
                logWarning("staff", std::string("test referral not made: ") + error.what());
            }
            form.wipe();
            if (engine != nullptr) {
                engine->notifySubmission();
            }
        });
    }
    if (state.reference.empty() && state.error.empty()) {
        return;
    }
    flow.gap(l.smallGap);
    std::string line;
    std::string id = "staff.test_referral.queued";
    bool bad = false;
    if (!state.error.empty()) {
        line = ui.format("staff.test_referral.failed", {{"error", state.error}});
        id = "staff.test_referral.failed";
        bad = true;
    } else {
        line = ui.format("staff.test_referral.queued", {{"reference", state.reference}});
        try {
            // Sent is set only on the server's own "stored" (or "duplicate") for this item.
            const auto sent = c.runtime.outbox->items(OutboxStatus::Sent, 1, state.seq - 1);
            const auto rejected = c.runtime.outbox->items(OutboxStatus::Rejected, 1, state.seq - 1);
            if (!sent.empty() && sent.front().seq == state.seq) {
                line = ui.format("staff.test_referral.stored",
                                 {{"reference", state.reference}, {"time", sent.front().sentAt}});
                id = "staff.test_referral.stored";
            } else if (!rejected.empty() && rejected.front().seq == state.seq) {
                line = ui.format(
                    "staff.test_referral.rejected",
                    {{"reference", state.reference}, {"error", rejected.front().lastError}});
                id = "staff.test_referral.rejected";
                bad = true;
            }
        } catch (const std::exception& error) {
            logError("staff", std::string("test referral state: ") + error.what());
        }
    }
    const float top = flow.y();
    flowText(ui, flow, TextStyle::Bold, bad ? ui.palette().error : ui.palette().text, line);
    ui.registerElement(id, Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
}

bool drawRemoteMark(ScreenContext& c, Flow& flow, std::string_view key, std::string_view id,
                    std::string_view value) {
    if (!c.runtime.config.isRemote(key)) {
        return false;
    }
    Ui& ui = c.ui;
    const float top = flow.y();
    flowText(ui, flow, TextStyle::Body, ui.palette().text, value);
    flow.gap(ui.layout().smallGap);
    flowText(ui, flow, TextStyle::Small, ui.palette().textMuted,
             ui.tr("staff.remote.set_by_coordinator"));
    ui.registerElement(std::string(id) + ".remote",
                       Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    return true;
}

}  // namespace signpost::ui
