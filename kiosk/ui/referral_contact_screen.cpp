// Step 2: how to contact you — name, and a phone number and/or an email address (each with its own
// keyboard: phone keypad, email layout) — or "I'd rather contact them myself".
#include <algorithm>

#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralContactView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.contact.scroll", textKey("referral.contact.title"),
                            textKey("referral.contact.intro")};
        const bool next = drawReferralStep(
            c, area, spec, [&](Flow& flow, TouchScroll& scroll, const ScrollArea& sa) {
                const Layout& l = ui.layout();
                KioskSession& session = c.session;
                TextFieldSpec name;
                name.placeholder = ui.tr("referral.name.placeholder");
                labelledField(c, flow, &scroll, sa.viewport(), sa.contentTop(), "referral.name",
                              textKey("referral.name.label"), nullptr, name,
                              sessionBinding(session, TextTarget::Name),
                              session.fieldError(ReferralField::Name));
                flow.gap(l.gap * 1.5f);
                TextFieldSpec phone;
                phone.keyboard = KeyboardLayout::Phone;
                phone.placeholder = ui.tr("referral.phone.placeholder");
                labelledField(c, flow, &scroll, sa.viewport(), sa.contentTop(), "referral.phone",
                              textKey("referral.phone.label"), textKey("referral.phone.hint"),
                              phone, sessionBinding(session, TextTarget::Phone),
                              session.fieldError(ReferralField::Phone));
                flow.gap(l.gap * 1.5f);
                TextFieldSpec email;
                email.keyboard = KeyboardLayout::Email;
                email.placeholder = ui.tr("referral.email.placeholder");
                labelledField(c, flow, &scroll, sa.viewport(), sa.contentTop(), "referral.email",
                              textKey("referral.email.label"), textKey("referral.email.hint"),
                              email, sessionBinding(session, TextTarget::Email),
                              session.fieldError(ReferralField::Email));
                flow.gap(l.gap * 2);

                flowText(ui, flow, TextStyle::Bold, ui.palette().text,
                         ui.tr("referral.contact_myself.intro"));
                flow.gap(l.smallGap);
                const char* label = ui.tr("referral.contact_myself");
                const ButtonStyle style{ButtonKind::Secondary, Icon::Phone};
                const float width =
                    std::min(std::min(flow.width(), l.readableWidth),
                             std::max(buttonWidth(ui, label, style), flow.width() * 0.4f));
                if (button(ui, "referral.contact_myself",
                           flow.take(buttonHeight(ui, label, width, style), width), label, style)) {
                    TextFocus& focus = c.focus;
                    ui.defer([&session, &focus] {
                        focus.blur();
                        session.chooseContactThemselves();
                    });
                }
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralContactView() {
    return std::make_unique<ReferralContactView>();
}

}  // namespace signpost::ui
