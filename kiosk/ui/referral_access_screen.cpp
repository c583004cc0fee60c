// Step 6 (optional): access needs — anything that would make contact or a visit easier.
#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralAccessView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.access.scroll", textKey("referral.access.title"),
                            textKey("referral.access.intro")};
        const bool next = drawReferralStep(
            c, area, spec, [&](Flow& flow, TouchScroll& scroll, const ScrollArea& sa) {
                TextFieldSpec field;
                field.lines = 3;
                field.maxLength = KioskSession::maxLength(TextTarget::AccessNeeds);
                field.showCounter = true;
                field.placeholder = ui.tr("referral.access_needs.placeholder");
                labelledField(c, flow, &scroll, sa.viewport(), sa.contentTop(),
                              "referral.access_needs", textKey("referral.access_needs.label"),
                              textKey("referral.access_needs.hint"), field,
                              sessionBinding(c.session, TextTarget::AccessNeeds),
                              c.session.fieldError(ReferralField::AccessNeeds));
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralAccessView() {
    return std::make_unique<ReferralAccessView>();
}

}  // namespace signpost::ui
