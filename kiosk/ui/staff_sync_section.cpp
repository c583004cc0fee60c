// The staff panel's sync section: what the engine is doing in plain words, the queue, the last
// success and problem, the next try, "Sync now", the dead-letter references, and enrollment.
#include <algorithm>

#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "sync/engine/sync_engine.h"
#include "ui/sync_text.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

constexpr std::size_t kMaxUrl = 200;
constexpr std::size_t kMaxCode = 40;

// A field bound to a draft string: printable ASCII without spaces, capped.
TextBinding draftBinding(std::string& draft, std::size_t cap) {
    TextBinding binding;
    binding.value = [&draft] { return std::string_view(draft); };
    binding.type = [&draft, cap](std::string_view text) {
        bool all = true;
        for (char ch : text) {
            const auto u = static_cast<unsigned char>(ch);
            if (u <= 0x20 || u >= 0x7F || draft.size() >= cap) {
                all = false;
                continue;
            }
            draft.push_back(ch);
        }
        return all;
    };
    binding.erase = [&draft] {
        if (draft.empty()) {
            return false;
        }
        draft.pop_back();
        return true;
    };
    binding.finish = [] {};
    return binding;
}

void loadRejected(ScreenContext& c, StaffSyncDrafts& drafts, std::size_t rejected) {
    if (drafts.rejectedShownFor == rejected) {
        return;
    }
    drafts.rejectedShownFor = rejected;
    drafts.rejectedReferences.clear();
    if (rejected == 0 || !c.runtime.outbox) {
        return;
    }
    try {
        const auto items = c.runtime.outbox->items(OutboxStatus::Rejected, 10);
        for (const OutboxItem& item : items) {
            drafts.rejectedReferences +=
                (drafts.rejectedReferences.empty() ? "" : ", ") + item.reference;
        }
    } catch (const StorageError& error) {
        logError("staff", std::string("rejected referrals: ") + error.what());
    }
}

}  // namespace

void drawStaffSyncSection(ScreenContext& c, Flow& flow, TouchScroll& scroll, const ScrollArea& area,
                          StaffSyncDrafts& drafts) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const sync::SyncStatus& status = *c.syncStatus;
    const I18n& i18n = c.runtime.i18n;
    if (!drafts.loaded) {
        drafts.loaded = true;
        drafts.serverUrl = status.enrolled ? status.serverUrl : c.runtime.config.syncServerUrl;
        drafts.code.clear();
    }

    // What is going on, in words.
    const float stateTop = flow.y();
    const bool attention =
        status.state == sync::SyncState::CaptivePortal || status.state == sync::SyncState::Revoked;
    flowText(ui, flow, attention ? TextStyle::Bold : TextStyle::Body, ui.palette().text,
             ui.tr(syncStateKey(status.state)));
    ui.registerElement(std::string("staff.sync.state.") + sync::toString(status.state),
                       Rect{flow.left(), stateTop, flow.left() + flow.width(), flow.y()});
    flow.gap(l.gap);

    const auto when = [&](const std::string& iso) {
        const std::string text =
            c.runtime.zone ? localTimeText(i18n, *c.runtime.zone, iso, c.wallNow) : iso;
        return text.empty() ? std::string(ui.tr("staff.sync.never")) : text;
    };
    if (status.enrolled) {
        flowFactRow(ui, flow, textKey("staff.sync.server"), status.serverUrl);
        flowFactRow(ui, flow, textKey("staff.sync.device"), status.deviceId);
        flowFactRow(ui, flow, textKey("staff.sync.enrolled_at"), when(status.enrolledAt));
    }
    flowFactRow(
        ui, flow, textKey("staff.sync.queue"),
        ui.format("staff.sync.queue_value", {{"queued", groupedNumber(status.counts.queued)},
                                             {"sent", groupedNumber(status.counts.sent)},
                                             {"rejected", groupedNumber(status.counts.rejected)}}));
    // Referrals queued for a server this kiosk left: never sent to the new one unless staff
    // confirm, twice (issue 9).
    sync::SyncEngine* const heldEngine = c.syncEngine;
    for (std::size_t i = 0; i < status.heldFor.size(); ++i) {
        const auto& [server, count] = status.heldFor[i];
        flow.gap(l.smallGap);
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Bold, ui.palette().error,
                 ui.format("staff.sync.held_note",
                           {{"count", groupedNumber(count)},
                            {"server", server},
                            {"current", status.enrolled ? status.serverUrl : "-"}}));
        ui.registerElement("staff.sync.held." + std::to_string(i),
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        const SteadyClock::time_point now = ui.now();
        const bool armed = drafts.releaseArmedFor == server && drafts.releaseArmedUntil &&
                           now < *drafts.releaseArmedUntil;
        if (armed) {
            ui.requestAnimationFrame();  // to disarm on time
        }
        const std::string label =
            armed ? ui.format("staff.sync.release_confirm",
                              {{"count", groupedNumber(count)}, {"current", status.serverUrl}})
                  : std::string(ui.tr("staff.sync.release"));
        const ButtonStyle style{armed ? ButtonKind::Primary : ButtonKind::Secondary, Icon::None,
                                false, heldEngine != nullptr && status.enrolled};
        flow.gap(l.smallGap);
        if (button(ui, "staff.sync.release." + std::to_string(i),
                   flow.take(l.target, buttonWidth(ui, label, style)), label, style)) {
            ui.defer([heldEngine, &drafts, server = server, armed, now] {
                if (armed) {
                    logInfo("staff",
                            "held referrals released from the staff panel (confirmed twice)");
                    heldEngine->releaseHeld(server);
                    drafts.releaseArmedFor.clear();
                    drafts.releaseArmedUntil.reset();
                } else {
                    drafts.releaseArmedFor = server;
                    drafts.releaseArmedUntil = now + std::chrono::seconds(5);
                }
            });
        }
    }
    flowFactRow(ui, flow, textKey("staff.sync.last_success"), when(status.lastSuccessAt));
    if (const char* errorKey = syncErrorKey(status.lastError)) {
        flowFactRow(ui, flow, textKey("staff.sync.last_error"),
                    std::string(ui.tr(errorKey)) + " (" + status.lastError + ", " +
                        when(status.lastErrorAt) + ")");
    }
    if (status.nextAttemptAt && status.state != sync::SyncState::Idle) {
        flowFactRow(ui, flow, textKey("staff.sync.next_attempt"),
                    durationUntil(i18n, *status.nextAttemptAt, ui.now()));
    }
    flowFactRow(ui, flow, textKey("staff.sync.directory"),
                status.directoryVersion > 0
                    ? ui.format("staff.sync.directory_value",
                                {{"version", std::to_string(status.directoryVersion)},
                                 {"time", when(status.directoryUpdatedAt)}})
                    : std::string(ui.tr("staff.sync.directory_none")));

    loadRejected(c, drafts, status.counts.rejected);
    if (!drafts.rejectedReferences.empty()) {
        flow.gap(l.smallGap);
        flowText(ui, flow, TextStyle::Body, ui.palette().error,
                 ui.formatPlural("staff.sync.rejected_note",
                                 static_cast<long long>(status.counts.rejected),
                                 {{"count", groupedNumber(status.counts.rejected)},
                                  {"references", drafts.rejectedReferences}}));
    }
    flow.gap(l.gap);

    sync::SyncEngine* engine = c.syncEngine;
    const char* syncNow = ui.tr("staff.sync.sync_now");
    const ButtonStyle syncStyle{ButtonKind::Secondary, Icon::None, false,
                                status.enrolled && engine != nullptr};
    if (button(ui, "staff.sync.sync_now", flow.take(l.target, buttonWidth(ui, syncNow, syncStyle)),
               syncNow, syncStyle)) {
        ui.defer([engine] {
            logInfo("staff", "sync now requested from the staff panel");
            engine->syncNow();
        });
    }
    flow.gap(l.gap * 1.5f);

    // Enrollment.
    flowText(ui, flow, TextStyle::Bold, ui.palette().text,
             ui.tr(status.enrolled ? "staff.sync.reenroll_title" : "staff.sync.enroll_title"));
    flow.gap(l.smallGap);
    flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("staff.sync.enroll_help"));
    flow.gap(l.gap);
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.sync.server_url"));
    flow.gap(l.smallGap);
    TextFieldSpec urlSpec;
    urlSpec.keyboard = KeyboardLayout::Email;  // has . - _ and a symbols page with : and /
    urlSpec.placeholder = "https://";
    urlSpec.maxLength = kMaxUrl;
    textField(ui, c.focus, c.keyboard, "staff.sync.server_url",
              flow.take(textFieldHeight(ui, urlSpec)), urlSpec,
              draftBinding(drafts.serverUrl, kMaxUrl), &scroll, area.viewport(), area.contentTop());
    flow.gap(l.gap);
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.sync.code"));
    flow.gap(l.smallGap);
    TextFieldSpec codeSpec;
    codeSpec.placeholder = "7KQ3-M9XD-2F8H";
    codeSpec.maxLength = kMaxCode;
    textField(ui, c.focus, c.keyboard, "staff.sync.code", flow.take(textFieldHeight(ui, codeSpec)),
              codeSpec, draftBinding(drafts.code, kMaxCode), &scroll, area.viewport(),
              area.contentTop());
    flow.gap(l.gap);

    // Step one checks the server and shows its certificate's fingerprint; only staff confirming
    // that it matches sends the code, pinned to that key (issue 9:
    // sync/engine/enrollment_policy.h).
    const bool busy = status.enrollPhase == sync::EnrollPhase::InProgress;
    const sync::ServerCheck& check = status.serverCheck;
    const bool ourCheck = drafts.checkTicket != 0 && check.ticket == drafts.checkTicket;
    const bool checking = ourCheck && check.phase == sync::ServerCheck::Phase::InProgress;
    const char* enroll = ui.tr(busy       ? "staff.sync.enrolling"
                               : checking ? "staff.sync.checking"
                                          : "staff.sync.enroll");
    const ButtonStyle enrollStyle{ButtonKind::Primary, Icon::None, false,
                                  engine != nullptr && !busy && !checking &&
                                      !drafts.serverUrl.empty() && !drafts.code.empty()};
    if (button(ui, "staff.sync.enroll", flow.take(l.target, buttonWidth(ui, enroll, enrollStyle)),
               enroll, enrollStyle)) {
        TextFocus& focus = c.focus;
        ui.defer([engine, &drafts, &focus] {
            focus.blur();
            logInfo("staff", "server check requested from the staff panel (before enrolling)");
            drafts.checkTicket = engine->checkServer(drafts.serverUrl);
        });
    }
    if (ourCheck && check.phase == sync::ServerCheck::Phase::Failed) {
        flow.gap(l.smallGap);
        const char* reason = enrollErrorKey(check.error);
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Bold, ui.palette().error,
                 ui.format("staff.sync.check_failed",
                           {{"reason", reason != nullptr ? ui.tr(reason) : check.message}}));
        ui.registerElement("staff.sync.check_failed",
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    }
    if (ourCheck && check.phase == sync::ServerCheck::Phase::Ready) {
        flow.gap(l.gap);
        const float top = flow.y();
        if (check.plainLoopback) {
            flowText(ui, flow, TextStyle::Body, ui.palette().text,
                     ui.tr("staff.sync.plain_loopback"));
        } else {
            flowFactRow(ui, flow, textKey("staff.sync.fingerprint"), check.fingerprint);
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted,
                     ui.tr("staff.sync.fingerprint_help"));
        }
        ui.registerElement("staff.sync.fingerprint",
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        flow.gap(l.gap);
        const char* confirm = ui.tr("staff.sync.enroll_confirm");
        const ButtonStyle confirmStyle{ButtonKind::Primary, Icon::None, false,
                                       engine != nullptr && !busy && !drafts.code.empty()};
        if (button(ui, "staff.sync.enroll_confirm",
                   flow.take(l.target, buttonWidth(ui, confirm, confirmStyle)), confirm,
                   confirmStyle)) {
            TextFocus& focus = c.focus;
            const std::string url = check.url;
            const std::string pin = check.pin;
            ui.defer([engine, &drafts, &focus, url, pin] {
                focus.blur();
                logInfo("staff", "enrollment confirmed from the staff panel");
                engine->enroll(url, drafts.code, pin);
                drafts.code.clear();  // single-use: never kept on screen once sent
                drafts.checkTicket = 0;
            });
        }
        flow.gap(l.smallGap);
        const char* cancel = ui.tr("staff.sync.enroll_cancel");
        if (button(ui, "staff.sync.enroll_cancel",
                   flow.take(l.target, buttonWidth(ui, cancel, ButtonStyle{})), cancel,
                   ButtonStyle{})) {
            ui.defer([&drafts] { drafts.checkTicket = 0; });
        }
    }
    std::string outcome;
    const char* outcomeId = nullptr;
    switch (status.enrollPhase) {
        case sync::EnrollPhase::Succeeded:
            outcome = ui.tr("staff.sync.enrolled_ok");
            outcomeId = "staff.sync.enroll_ok";
            break;
        case sync::EnrollPhase::Failed: {
            const char* reason = enrollErrorKey(status.enrollError);
            outcome =
                ui.format("staff.sync.enroll_failed",
                          {{"reason", reason != nullptr ? ui.tr(reason) : status.enrollMessage}});
            outcomeId = "staff.sync.enroll_failed";
            break;
        }
        default:
            break;
    }
    if (outcomeId != nullptr) {
        flow.gap(l.smallGap);
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Bold,
                 status.enrollPhase == sync::EnrollPhase::Failed ? ui.palette().error
                                                                 : ui.palette().text,
                 outcome);
        ui.registerElement(outcomeId, Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    }
}

}  // namespace signpost::ui
