// Step 8: review everything, each part with a "Change" link, then send. Sending seals the request
// and stores it durably (core/referral/submit.h) before the thank-you screen appears; if that
// fails, the resident sees "We couldn't save this — please ask a member of staff" and nothing they
// typed is lost.
#include <algorithm>

#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "sync/engine/sync_engine.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

const char* bestTimeKey(ContactTime time) {
    switch (time) {
        case ContactTime::NoPreference:
            return textKey("referral.best_time.no_preference");
        case ContactTime::Morning:
            return textKey("referral.best_time.morning");
        case ContactTime::Afternoon:
            return textKey("referral.best_time.afternoon");
        case ContactTime::Evening:
            return textKey("referral.best_time.evening");
    }
    return textKey("referral.best_time.no_preference");
}

class ReferralReviewView final : public View {
public:
    void resetVisit() override { m_noOutbox = false; }

    void draw(ScreenContext& c, const Rect& area) override {
        const StepSpec spec{"referral.review.scroll", textKey("referral.review.title"),
                            textKey("referral.review.intro"), "referral.submit",
                            textKey("referral.submit")};
        const bool submit = drawReferralStep(
            c, area, spec,
            [&](Flow& flow, TouchScroll&, const ScrollArea&) { drawSummary(c, flow); });
        if (submit) {
            deferSubmit(c);
        }
    }

private:
    void deferSubmit(ScreenContext& c) {
        KioskRuntime& runtime = c.runtime;
        KioskSession& session = c.session;
        SubmitContext context;
        const KioskConfig& config = runtime.config;
        context.venue = config.venueName;
        context.neighbourhood = config.neighbourhood;
        context.formVersion = config.formVersion;
        context.consentVersion = config.consentVersion;
        context.referencePrefix = config.referencePrefix;
        context.deviceId = runtime.deviceId;
        context.coordinatorKey = runtime.coordinatorKey;
        context.now = c.wallNow;
        sync::SyncEngine* engine = c.syncEngine;
        c.ui.defer([this, &runtime, &session, context, engine] {
            if (!runtime.outbox) {
                logError("ui", "no outbox is open; the referral cannot be stored");
                m_noOutbox = true;
                return;
            }
            m_noOutbox = false;
            session.submit(context, *runtime.outbox);
            if (engine != nullptr) {
                engine->notifySubmission();  // push it now rather than at the next poll
            }
        });
    }

    // One part of the summary: a title, the lines, and "Change" for its step.
    void part(ScreenContext& c, Flow& flow, const char* titleKey, ReferralStep step,
              const char* changeId, const std::vector<std::string_view>& lines,
              const char* errorKey = nullptr) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        const char* change = ui.tr("referral.review.change");
        const ButtonStyle changeStyle{ButtonKind::Quiet};
        const float changeWidth = buttonWidth(ui, change, changeStyle);
        const float width = std::min(flow.width(), l.readableWidth);
        const float textWidth = width - changeWidth - l.gap * 3;
        float height = ui.text().height(TextStyle::Bold, ui.tr(titleKey), textWidth) + l.smallGap;
        for (std::string_view line : lines) {
            height += ui.text().height(TextStyle::Body, line, textWidth) + l.smallGap * 0.5f;
        }
        height = std::max(height + l.gap * 2, l.target + l.gap);
        const Rect box = flow.take(height, width);
        panel(ui, box, p.surface, errorKey != nullptr ? p.error : p.surfaceSunken);
        float y = box.y0 + l.gap;
        const float x = box.x0 + l.gap * 1.25f;
        y += ui.text().drawWrapped(ui.drawList(), TextStyle::Bold,
                                   Rect{x, y, x + textWidth, box.y1}, p.text, ui.tr(titleKey)) +
             l.smallGap;
        for (std::string_view line : lines) {
            y += ui.text().drawWrapped(ui.drawList(), TextStyle::Body,
                                       Rect{x, y, x + textWidth, box.y1}, p.text, line) +
                 l.smallGap * 0.5f;
        }
        const Rect changeRect{box.x1 - changeWidth - l.gap, box.centreY() - l.target * 0.5f,
                              box.x1 - l.gap, box.centreY() + l.target * 0.5f};
        if (button(ui, changeId, changeRect, change, changeStyle)) {
            KioskSession& session = c.session;
            ui.defer([&session, step] { session.changeFromReview(step); });
        }
        flowError(ui, flow, errorKey);
        flow.gap(l.gap);
    }

    void drawSummary(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const KioskSession& session = c.session;
        const ReferralForm& form = session.form();
        if (!session.submitErrorKey().empty() || m_noOutbox) {
            // The failure, said plainly, where it cannot be missed.
            const char* message = ui.tr("error.submit.failed");
            const float width = std::min(flow.width(), l.readableWidth);
            const float height =
                ui.text().height(TextStyle::Bold, message, width - l.gap * 2) + l.gap * 2;
            const Rect box = flow.take(height, width);
            panel(ui, box, ui.palette().errorSurface, ui.palette().error);
            ui.text().drawWrapped(ui.drawList(), TextStyle::Bold, box.shrink(l.gap),
                                  ui.palette().onErrorSurface, message);
            ui.registerElement("referral.submit_error", box);
            flow.gap(l.gap * 1.5f);
        }

        std::string needs;
        for (const std::string& code : form.needCodes) {
            needs +=
                (needs.empty() ? "" : ", ") + needLabel(c.runtime.i18n, c.directory.needs, code);
        }
        std::vector<std::string_view> needLines;
        if (!needs.empty()) {
            needLines.push_back(needs);
        }
        if (!form.needsText.empty()) {
            needLines.push_back(session.text(TextTarget::NeedsText));
        }
        part(c, flow, textKey("referral.review.needs"), ReferralStep::Needs,
             "referral.review.change.needs", needLines, session.fieldError(ReferralField::Needs));

        std::vector<std::string_view> contact{session.text(TextTarget::Name)};
        if (!form.phone.empty()) {
            contact.push_back(session.text(TextTarget::Phone));
        }
        if (!form.email.empty()) {
            contact.push_back(session.text(TextTarget::Email));
        }
        const char* contactError = session.fieldError(ReferralField::Name);
        for (ReferralField field : {ReferralField::Phone, ReferralField::Email}) {
            if (contactError == nullptr) {
                contactError = session.fieldError(field);
            }
        }
        part(c, flow, textKey("referral.review.contact"), ReferralStep::Contact,
             "referral.review.change.contact", contact, contactError);

        part(c, flow, textKey("referral.review.best_time"), ReferralStep::BestTime,
             "referral.review.change.best_time", {ui.tr(bestTimeKey(form.bestTime))});
        if (!form.phone.empty()) {
            const char* key =
                form.safeToLeaveMessage == Answer::Yes  ? textKey("referral.message.yes")
                : form.safeToLeaveMessage == Answer::No ? textKey("referral.message.no")
                                                        : textKey("referral.review.not_answered");
            part(c, flow, textKey("referral.review.message"), ReferralStep::Message,
                 "referral.review.change.message", {ui.tr(key)},
                 session.fieldError(ReferralField::SafeToLeaveMessage));
        }
        const std::string language = languageName(c.runtime.i18n, form.preferredLanguage);
        std::vector<std::string_view> languageLines{language};
        if (form.interpreterNeeded) {
            languageLines.push_back(ui.tr("referral.review.interpreter"));
        }
        part(c, flow, textKey("referral.review.language"), ReferralStep::Language,
             "referral.review.change.language", languageLines);
        part(c, flow, textKey("referral.review.access"), ReferralStep::Access,
             "referral.review.change.access",
             {form.accessNeeds.empty() ? std::string_view(ui.tr("referral.review.none"))
                                       : session.text(TextTarget::AccessNeeds)});
        part(c, flow, textKey("referral.review.consent"), ReferralStep::Consent,
             "referral.review.change.consent",
             {ui.tr(form.consentGiven ? textKey("referral.review.consent_given")
                                      : textKey("referral.review.consent_missing"))},
             session.fieldError(ReferralField::Consent));
    }

    bool m_noOutbox = false;
};

}  // namespace

std::unique_ptr<View> makeReferralReviewView() {
    return std::make_unique<ReferralReviewView>();
}

}  // namespace signpost::ui
