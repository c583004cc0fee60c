// Step 5: the language they would like to be contacted in, and whether an interpreter is needed.
#include <algorithm>

#include "core/i18n/i18n.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

// Languages often asked for in Manchester, offered even when no listed service speaks them.
const char* const kCommonLanguages[] = {"en", "pl", "ur", "ar", "bn", "pa",
                                        "so", "zh", "ro", "fa", "ku", "ti"};

class ReferralLanguageView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.language.scroll", textKey("referral.language.title"),
                            textKey("referral.language.intro")};
        const bool next =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                const Layout& l = ui.layout();
                std::vector<std::string> codes;
                auto add = [&codes](const std::string& code) {
                    if (!code.empty() &&
                        std::find(codes.begin(), codes.end(), code) == codes.end()) {
                        codes.push_back(code);
                    }
                };
                for (const char* code : kCommonLanguages) {
                    add(code);
                }
                for (const LanguageInfo& info : c.runtime.i18n.languages()) {
                    add(info.code);
                }
                for (const std::string& code : c.directory.languages) {
                    add(code);
                }
                add(c.session.form().preferredLanguage);
                std::vector<ChoiceTile> tiles;
                for (const std::string& code : codes) {
                    tiles.push_back({"referral.language.option." + code,
                                     languageName(c.runtime.i18n, code),
                                     {},
                                     c.session.form().preferredLanguage == code});
                }
                const int tapped = drawChoiceTiles(ui, flow, tiles, TileMarker::Radio, 300.0f, 4);
                if (tapped >= 0) {
                    KioskSession& session = c.session;
                    ui.defer([&session, code = codes[static_cast<std::size_t>(tapped)]] {
                        session.setPreferredLanguage(code);
                    });
                }
                flowError(ui, flow, c.session.fieldError(ReferralField::Language));
                flow.gap(l.gap);
                const char* label = ui.tr("referral.interpreter");
                const float width = std::min(flow.width(), l.readableWidth);
                const bool interpreter = c.session.form().interpreterNeeded;
                if (checkRow(ui, "referral.interpreter",
                             flow.take(checkRowHeight(ui, width, label), width), label,
                             interpreter)) {
                    KioskSession& session = c.session;
                    ui.defer(
                        [&session, interpreter] { session.setInterpreterNeeded(!interpreter); });
                }
            });
        if (next) {
            deferNextStep(c);
        }
    }
};

}  // namespace

std::unique_ptr<View> makeReferralLanguageView() {
    return std::make_unique<ReferralLanguageView>();
}

}  // namespace signpost::ui
