// Step 3: the best time to contact you.
#include "ui/views.h"

namespace signpost::ui {

namespace {

struct TimeChoice {
    ContactTime time;
    const char* id;
    const char* titleKey;
    const char* hintKey;
};

const TimeChoice kChoices[] = {
    {ContactTime::NoPreference, "referral.best_time.no_preference",
     textKey("referral.best_time.no_preference"), nullptr},
    {ContactTime::Morning, "referral.best_time.morning", textKey("referral.best_time.morning"),
     textKey("referral.best_time.morning.hint")},
    {ContactTime::Afternoon, "referral.best_time.afternoon",
     textKey("referral.best_time.afternoon"), textKey("referral.best_time.afternoon.hint")},
    {ContactTime::Evening, "referral.best_time.evening", textKey("referral.best_time.evening"),
     textKey("referral.best_time.evening.hint")},
};

class ReferralBestTimeView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.best_time.scroll", textKey("referral.best_time.title"),
                            textKey("referral.best_time.intro")};
        const bool next =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                std::vector<ChoiceTile> tiles;
                for (const TimeChoice& choice : kChoices) {
                    tiles.push_back({choice.id, ui.tr(choice.titleKey),
                                     choice.hintKey ? ui.tr(choice.hintKey) : "",
                                     c.session.form().bestTime == choice.time});
                }
                const int tapped = drawChoiceTiles(ui, flow, tiles, TileMarker::Radio, 400.0f, 2);
                if (tapped >= 0) {
                    KioskSession& session = c.session;
                    ui.defer(
                        [&session, time = kChoices[tapped].time] { session.setBestTime(time); });
                }
                flowError(ui, flow, c.session.fieldError(ReferralField::BestTime));
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralBestTimeView() {
    return std::make_unique<ReferralBestTimeView>();
}

}  // namespace signpost::ui
