// Step 1: what would you like help with? Need tiles (several may be chosen) and, optionally,
// the resident's own words (up to 1000 characters).
#include <algorithm>

#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralNeedsView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.needs.scroll", textKey("referral.needs.title"),
                            textKey("referral.needs.intro")};
        const bool next = drawReferralStep(
            c, area, spec, [&](Flow& flow, TouchScroll& scroll, const ScrollArea& sa) {
                const Layout& l = ui.layout();
                flowError(ui, flow, c.session.fieldError(ReferralField::Needs));
                flow.gap(l.smallGap);
                const ReferralForm& form = c.session.form();
                std::vector<ChoiceTile> tiles;
                for (const TaxonomyTerm& term : c.directory.needs) {
                    const bool chosen = std::find(form.needCodes.begin(), form.needCodes.end(),
                                                  term.code) != form.needCodes.end();
                    tiles.push_back({"referral.need." + term.code,
                                     needLabel(c.runtime.i18n, term),
                                     {},
                                     chosen});
                }
                const int tapped = drawChoiceTiles(ui, flow, tiles, TileMarker::Check, 300.0f, 4);
                if (tapped >= 0) {
                    KioskSession& session = c.session;
                    ui.defer([&session,
                              code = c.directory.needs[static_cast<std::size_t>(tapped)].code] {
                        session.toggleReferralNeed(code);
                    });
                }
                flow.gap(l.gap);
                TextFieldSpec field;
                field.lines = 3;
                field.maxLength = KioskSession::maxLength(TextTarget::NeedsText);
                field.showCounter = true;
                field.placeholder = ui.tr("referral.needs_text.placeholder");
                labelledField(c, flow, &scroll, sa.viewport(), sa.contentTop(),
                              "referral.needs_text", textKey("referral.needs_text.label"),
                              textKey("referral.needs_text.hint"), field,
                              sessionBinding(c.session, TextTarget::NeedsText),
                              c.session.fieldError(ReferralField::NeedsText));
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralNeedsView() {
    return std::make_unique<ReferralNeedsView>();
}

}  // namespace signpost::ui
