// Step 4 (only when a phone number was given): is it safe to leave a message on that phone?
#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralMessageView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.message.scroll", textKey("referral.message.title"),
                            textKey("referral.message.intro")};
        const bool next =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                const Layout& l = ui.layout();
                // The number is drawn straight from the form: no copy of it in ordinary memory.
                flowText(ui, flow, TextStyle::Bold, ui.palette().text,
                         ui.tr("referral.message.number"));
                flow.gap(l.smallGap * 0.5f);
                flowText(ui, flow, TextStyle::Heading, ui.palette().text,
                         c.session.text(TextTarget::Phone));
                flow.gap(l.gap * 1.5f);
                const Answer answer = c.session.form().safeToLeaveMessage;
                const std::vector<ChoiceTile> tiles{
                    {"referral.message.yes", ui.tr("referral.message.yes"),
                     ui.tr("referral.message.yes.hint"), answer == Answer::Yes},
                    {"referral.message.no", ui.tr("referral.message.no"),
                     ui.tr("referral.message.no.hint"), answer == Answer::No},
                };
                const int tapped = drawChoiceTiles(ui, flow, tiles, TileMarker::Radio, 400.0f, 2);
                if (tapped >= 0) {
                    KioskSession& session = c.session;
                    ui.defer([&session, tapped] {
                        session.setSafeToLeaveMessage(tapped == 0 ? Answer::Yes : Answer::No);
                    });
                }
                flowError(ui, flow, c.session.fieldError(ReferralField::SafeToLeaveMessage));
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralMessageView() {
    return std::make_unique<ReferralMessageView>();
}

}  // namespace signpost::ui
