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

        // Search: tapping raises the keyboard; the first letter typed opens the results. The area
        // sits beside it when there is room, under it otherwise.
        TextFieldSpec search;
        search.focusKey = "search";
        search.placeholder = ui.tr("search.placeholder");
        const float fieldHeight = textFieldHeight(ui, search);
        const std::string areaLabel = ui.format(
            "home.area",
            {{"area", neighbourhoodLabel(c.runtime.i18n, c.session.filters().neighbourhood)}});
        const ButtonStyle areaStyle{ButtonKind::Secondary, Icon::ChevronDown, true};
        const float areaNatural = buttonWidth(ui, areaLabel, areaStyle);
        const bool sideBySide =
            inner.width() - areaNatural - l.gap >= 640.0f * l.scale * l.textScale;
        Rect field;
        Rect areaRect;
        if (sideBySide) {
            const float height =
                std::max(fieldHeight, buttonHeight(ui, areaLabel, areaNatural, areaStyle));
            const Rect row = flow.take(height);
            areaRect = Rect{row.x1 - areaNatural, row.y0, row.x1, row.y1};
            field = Rect{row.x0, row.y0, std::min(row.x0 + l.readableWidth, areaRect.x0 - l.gap),
                         row.y1};
        } else {
            field = flow.take(fieldHeight, std::min(inner.width(), l.readableWidth));
            flow.gap(l.gap);
            const float width = std::min(inner.width(), areaNatural);
            areaRect = flow.take(buttonHeight(ui, areaLabel, width, areaStyle), width);
        }
        textField(ui, c.focus, c.keyboard, "home.search", field, search,
                  sessionBinding(c.session, TextTarget::Search), &scroll, area,
                  scrollArea.contentTop());
        if (button(ui, "home.neighbourhood", areaRect, areaLabel, areaStyle)) {
            openNeighbourhoodChooser(c);
        }
        flow.gap(l.gap * 2);

        flowText(ui, flow, TextStyle::Heading, p.text, ui.tr("home.needs_title"));
        flow.gap(l.gap);
        drawNeedTiles(c, flow);
        flow.gap(l.margin);
    }

private:
    // The needs in the data's order, then "I'm not sure what I need" as the last tile: a link
    // worker can help work it out. Four columns on a landscape screen (15 needs + 1 fill four
    // rows, all above the fold at 1080 px), two in portrait.
    static void drawNeedTiles(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const std::vector<TaxonomyTerm>& needs = c.directory.needs;
        if (needs.empty()) {
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("home.no_needs"));
            flow.gap(l.gap);
        }
        const std::size_t count = needs.size() + 1;
        const std::string notSure = ui.tr("home.general_referral");
        const std::string notSureHint = ui.tr("home.general_referral_hint");
        // Fewer columns rather than a word broken between letters (long German-style compounds,
        // Polish "Niepełnosprawność" at the largest text size).
        float minimum = std::max(420.0f * l.scale * l.textScale,
                                 tileMinimumWidth(ui, notSure, notSureHint, TileMarker::Check));
        for (const TaxonomyTerm& need : needs) {
            minimum = std::max(minimum, tileMinimumWidth(ui, needLabel(c.runtime.i18n, need),
                                                         needHint(c.runtime.i18n, need)));
        }
        const int columns =
            std::clamp(static_cast<int>((flow.width() + l.gap) / (minimum + l.gap)), 1, 4);
        const float width =
            (flow.width() - l.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        for (std::size_t start = 0; start < count; start += static_cast<std::size_t>(columns)) {
            const std::size_t end = std::min(count, start + static_cast<std::size_t>(columns));
            std::vector<std::string> titles;
            std::vector<std::string> hints;
            float height = 0;
            for (std::size_t i = start; i < end; ++i) {
                const bool general = i == needs.size();
                titles.push_back(general ? notSure : needLabel(c.runtime.i18n, needs[i]));
                hints.push_back(general ? notSureHint : needHint(c.runtime.i18n, needs[i]));
                height =
                    std::max(height, tileHeight(ui, width, titles.back(), hints.back(),
                                                general ? TileMarker::Check : TileMarker::None));
            }
            const Rect row = flow.take(height);
            for (std::size_t i = start; i < end; ++i) {
                const float x = row.x0 + static_cast<float>(i - start) * (width + l.gap);
                const Rect cell{x, row.y0, x + width, row.y1};
                KioskSession& session = c.session;
                TextFocus& focus = c.focus;
                if (i == needs.size()) {
                    if (actionTile(ui, "home.general_referral", cell, titles[i - start],
                                   hints[i - start], Icon::Phone)) {
                        ui.defer([&session, &focus] {
                            focus.blur();
                            session.startGeneralReferral();
                        });
                    }
                    continue;
                }
                const std::string& code = needs[i].code;
                if (tile(ui, "home.need." + code, cell, titles[i - start], hints[i - start],
                         false)) {
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
        options.push_back(
            {"home.neighbourhood.option." + std::to_string(names.size()), name, name == current});
        names.push_back(name);
    }
    KioskSession& session = c.session;
    c.chooser.open(
        c.ui.tr("home.area_choose"), std::move(options),
        [&session, names](std::size_t index) { session.setNeighbourhood(names.at(index)); });
}

std::unique_ptr<View> makeHomeView() {
    return std::make_unique<HomeView>();
}

}  // namespace signpost::ui
