// Step 7: consent in plain English — who will see it, what for, how long it is kept (config
// retention_months) — and an explicit tick. The wording's version (config consent_version) is
// shown and stored with the referral.
#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralConsentView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.consent.scroll", textKey("referral.consent.title"), nullptr};
        const bool next =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                const Layout& l = ui.layout();
                const Palette& p = ui.palette();
                const KioskConfig& config = c.runtime.config;
                drawSection(ui, flow, textKey("referral.consent.who.title"),
                            ui.tr("referral.consent.who"));
                drawSection(ui, flow, textKey("referral.consent.what.title"),
                            ui.tr("referral.consent.what"));
                drawSection(ui, flow, textKey("referral.consent.keep.title"),
                            ui.formatPlural("referral.consent.keep", config.retentionMonths,
                                            {{"months", std::to_string(config.retentionMonths)}}));
                drawSection(ui, flow, textKey("referral.consent.rights.title"),
                            ui.tr("referral.consent.rights"));
                const char* label = ui.tr("referral.consent.tick");
                const float width = std::min(flow.width(), l.readableWidth);
                const bool given = c.session.form().consentGiven;
                const char* error = c.session.fieldError(ReferralField::Consent);
                if (checkRow(ui, "referral.consent.tick",
                             flow.take(checkRowHeight(ui, width, label), width), label, given,
                             error != nullptr)) {
                    KioskSession& session = c.session;
                    ui.defer([&session, given] { session.setConsent(!given); });
                }
                flowError(ui, flow, error);
                flow.gap(l.gap);
                flowText(
                    ui, flow, TextStyle::Small, p.textMuted,
                    ui.format("referral.consent.version", {{"version", config.consentVersion}}));
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralConsentView() {
    return std::make_unique<ReferralConsentView>();
}

}  // namespace signpost::ui
