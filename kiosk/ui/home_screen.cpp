// Home: large need tiles, the venue's neighbourhood (changeable), a search field that opens the
// results as you type, and "I'm not sure what I need" (a general referral to a link worker).
#include <algorithm>

#include "core/i18n/i18n.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

class HomeView final : public View {
public:
    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        TouchScroll& scroll = c.scrolls["home.scroll"];
        ScrollArea scrollArea(ui, scroll, "home.scroll", area);
        const Rect inner = area.shrink(l.margin, 0);
        Flow flow(inner.x0, inner.width());
        flow.gap(l.margin);

        flowText(ui, flow, TextStyle::Title, p.text, ui.tr("home.title"));
        flow.gap(l.smallGap);
        flowText(ui, flow, TextStyle::Body, p.textMuted, ui.tr("home.intro"));
        flow.gap(l.gap * 1.5f);

        // Search: tapping raises the keyboard; the first letter typed opens the results.
        TextFieldSpec search;
        search.focusKey = "search";
        search.placeholder = ui.tr("search.placeholder");
        const float fieldWidth = std::min(inner.width(), l.readableWidth);
        const Rect field = flow.take(textFieldHeight(ui, search), fieldWidth);
        textField(ui, c.focus, c.keyboard, "home.search", field, search,
                  sessionBinding(c.session, TextTarget::Search), &scroll, area, scrollArea.contentTop());
        flow.gap(l.gap);

        const std::string areaLabel =
            ui.format("home.area", {{"area", neighbourhoodLabel(c.runtime.i18n, c.session.filters().neighbourhood)}});
        const ButtonStyle areaStyle{ButtonKind::Secondary, Icon::ChevronDown, true};
        const float areaWidth = std::min(fieldWidth, buttonWidth(ui, areaLabel, areaStyle));
        if (button(ui, "home.neighbourhood", flow.take(buttonHeight(ui, areaLabel, areaWidth, areaStyle), areaWidth),
                   areaLabel, areaStyle)) {
            openNeighbourhoodChooser(c);
        }
        flow.gap(l.gap * 2);

        flowText(ui, flow, TextStyle::Heading, p.text, ui.tr("home.needs_title"));
        flow.gap(l.gap);
        drawNeedTiles(c, flow);
        flow.gap(l.gap * 2);

        // Not sure: a link worker can help work it out.
        const char* notSure = ui.tr("home.general_referral");
        const ButtonStyle notSureStyle{ButtonKind::Primary, Icon::Phone};
        const float notSureWidth = std::min(fieldWidth, std::max(buttonWidth(ui, notSure, notSureStyle), fieldWidth * 0.5f));
        const float notSureHeight = std::max(l.target * 1.4f, buttonHeight(ui, notSure, notSureWidth, notSureStyle));
        if (button(ui, "home.general_referral", flow.take(notSureHeight, notSureWidth), notSure, notSureStyle)) {
            KioskSession& session = c.session;
            ui.defer([&session] { session.startGeneralReferral(); });
        }
        flow.gap(l.smallGap);
        flowText(ui, flow, TextStyle::Small, p.textMuted, ui.tr("home.general_referral_hint"));
        flow.gap(l.margin);
    }

private:
    static void drawNeedTiles(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const std::vector<TaxonomyTerm>& needs = c.directory.needs;
        if (needs.empty()) {
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("home.no_needs"));
            return;
        }
        const float minimum = 330.0f * l.scale * l.textScale;
        const int columns = std::clamp(static_cast<int>((flow.width() + l.gap) / (minimum + l.gap)), 1, 5);
        const float width = (flow.width() - l.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        for (std::size_t start = 0; start < needs.size(); start += static_cast<std::size_t>(columns)) {
            const std::size_t end = std::min(needs.size(), start + static_cast<std::size_t>(columns));
            std::vector<std::string> titles;
            std::vector<std::string> hints;
            float height = 0;
            for (std::size_t i = start; i < end; ++i) {
                titles.push_back(needLabel(c.runtime.i18n, needs[i]));
                hints.push_back(needHint(c.runtime.i18n, needs[i]));
                height = std::max(height, tileHeight(ui, width, titles.back(), hints.back()));
            }
            const Rect row = flow.take(height);
            for (std::size_t i = start; i < end; ++i) {
                const float x = row.x0 + static_cast<float>(i - start) * (width + l.gap);
                const std::string& code = needs[i].code;
                if (tile(ui, "home.need." + code, Rect{x, row.y0, x + width, row.y1}, titles[i - start],
                         hints[i - start], false)) {
                    KioskSession& session = c.session;
                    TextFocus& focus = c.focus;
                    ui.defer([&session, &focus, code] {
                        focus.blur();
                        session.chooseNeed(code);
                    });
                }
            }
            flow.gap(l.gap);
        }
    }
};

}  // namespace

void openNeighbourhoodChooser(ScreenContext& c) {
    std::vector<ChooserOption> options;
    const std::string& current = c.session.filters().neighbourhood;
    options.push_back({"home.neighbourhood.option.0", c.ui.tr("home.anywhere"), current.empty()});
    std::vector<std::string> names{""};
    for (const std::string& name : c.directory.neighbourhoods) {
        options.push_back({"home.neighbourhood.option." + std::to_string(names.size()), name, name == current});
        names.push_back(name);
    }
    KioskSession& session = c.session;
    c.chooser.open(c.ui.tr("home.area_choose"), std::move(options),
                   [&session, names](std::size_t index) { session.setNeighbourhood(names.at(index)); });
}

std::unique_ptr<View> makeHomeView() { return std::make_unique<HomeView>(); }

}  // namespace signpost::ui
