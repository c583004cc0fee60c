// Results: the search field (results update as you type), filters as big toggles, and the list
// of services — drag anywhere to scroll, clipped with ImGuiListClipper so 10k rows cost the same
// as ten. No results: related needs and "Ask a link worker to call me".
#include <algorithm>
#include <cmath>

#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

// Long enough for any real browse (the demo city has ~240 services), bounded for memory.
constexpr std::size_t kResultLimit = 20000;

class ResultsView final : public View {
public:
    void resetVisit() override {
        m_results.reset();
        m_revision = ~0ull;
        m_failed = false;
    }

    bool showsOpenNow() const override { return m_results && m_dependsOnClock; }

    void draw(ScreenContext& c, const Rect& area) override {
        refresh(c);
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        Rect rest = area;

        // The search field stays put while the list scrolls.
        TextFieldSpec search;
        search.focusKey = "search";
        search.placeholder = ui.tr("search.placeholder");
        const float fieldHeight = textFieldHeight(ui, search);
        const Rect top = rest.cutTop(fieldHeight + l.gap * 2);
        const std::string_view text = c.session.text(TextTarget::Search);
        Rect fieldRect = top.shrink(l.margin, l.gap);
        fieldRect.x1 = std::min(fieldRect.x1, fieldRect.x0 + l.readableWidth);
        if (!text.empty()) {
            const ButtonStyle clearStyle{ButtonKind::Secondary, Icon::Cross};
            const char* clearLabel = ui.tr("search.clear");
            const float w = buttonWidth(ui, clearLabel, clearStyle);
            const Rect clearRect{fieldRect.x1 - w, fieldRect.y0, fieldRect.x1, fieldRect.y1};
            fieldRect.x1 -= w + l.smallGap;
            if (button(ui, "results.search.clear", clearRect, clearLabel, clearStyle)) {
                KioskSession& session = c.session;
                ui.defer([&session] { session.clearText(TextTarget::Search); });
            }
        }
        textField(ui, c.focus, c.keyboard, "results.search", fieldRect, search,
                  sessionBinding(c.session, TextTarget::Search));

        TouchScroll& scroll = c.scrolls["results.list"];
        if (m_scrollToTop) {
            scroll.scrollTo(0, false);
            m_scrollToTop = false;
        }
        ScrollArea scrollArea(ui, scroll, "results.list", rest);
        const Rect inner = rest.shrink(l.margin, 0);
        Flow flow(inner.x0, inner.width());
        drawHeading(c, flow);
        drawFilters(c, flow);
        flow.gap(l.gap);
        if (m_failed) {
            flowError(ui, flow, "error.directory.unavailable");
            flow.gap(l.gap);
            drawAskLinkWorker(c, flow);
        } else if (m_results && m_results->items.empty()) {
            drawNoResults(c, flow);
        } else if (m_results) {
            drawList(c, flow);
            flow.gap(l.gap);
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted,
                     ui.tr("results.not_found_it"));
            flow.gap(l.smallGap);
            drawAskLinkWorker(c, flow);
        }
        flow.gap(l.margin);
    }

private:
    void refresh(ScreenContext& c) {
        const long minute = static_cast<long>(c.wallSeconds().time_since_epoch().count() / 60);
        const bool stale =
            m_revision != c.session.searchRevision() || (m_dependsOnClock && minute != m_minute);
        if (!stale || c.runtime.directory == nullptr) {
            return;
        }
        if (m_revision != c.session.searchRevision()) {
            m_scrollToTop = true;
        }
        m_revision = c.session.searchRevision();
        m_minute = minute;
        try {
            m_results =
                c.runtime.directory->search(c.session.searchRequest(kResultLimit), c.wallSeconds());
            m_failed = false;
        } catch (const StorageError& error) {
            logError("ui", std::string("search failed: ") + error.what());
            m_results = SearchResults{};
            m_failed = true;
        }
        m_dependsOnClock = c.session.filters().openNow ||
                           std::any_of(m_results->items.begin(), m_results->items.end(),
                                       [](const ServiceSummary& s) { return s.hasSchedule; });
    }

    void drawHeading(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        flow.gap(l.smallGap);
        const std::string& need = c.session.filters().needCode;
        std::string title;
        if (!need.empty()) {
            title = needLabel(c.runtime.i18n, c.directory.needs, need);
        } else {
            title = c.session.text(TextTarget::Search).empty() ? ui.tr("results.title_all")
                                                               : ui.tr("results.title_search");
        }
        flowText(ui, flow, TextStyle::Heading, ui.palette().text, title);
        if (m_results && !m_failed) {
            const std::size_t shown = m_results->items.size();
            std::string count;
            if (m_results->totalMatches > shown) {
                count = ui.formatPlural("results.count_limited",
                                        static_cast<long long>(m_results->totalMatches),
                                        {{"shown", groupedNumber(shown)},
                                         {"total", groupedNumber(m_results->totalMatches)}});
            } else if (shown == 1) {
                count = ui.tr("results.count_one");
            } else {
                count = ui.formatPlural("results.count", static_cast<long long>(shown),
                                        {{"count", groupedNumber(shown)}});
            }
            flow.gap(l.smallGap * 0.5f);
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, count);
        }
        flow.gap(l.gap);
    }

    // Chips and toggles, wrapping onto as many rows as they need.
    void drawFilters(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const SearchFilters& filters = c.session.filters();
        KioskSession& session = c.session;
        struct Chip {
            std::string id;
            std::string label;
            bool on;
            Icon icon;
        };
        std::vector<Chip> chips;
        if (!filters.needCode.empty()) {
            chips.push_back({"results.need.clear",
                             ui.format("results.need_chip",
                                       {{"need", needLabel(c.runtime.i18n, c.directory.needs,
                                                           filters.needCode)}}),
                             false, Icon::Cross});
        }
        // A need the words typed name in another language or with a slip ("samotność", "lonley"):
        // its tile, one tap away, beside the services found.
        if (filters.needCode.empty() && m_results && !m_results->items.empty()) {
            for (const std::string& code : m_results->namedNeedCodes) {
                chips.push_back({"results.named." + code,
                                 needLabel(c.runtime.i18n, c.directory.needs, code), false,
                                 Icon::None});
            }
        }
        chips.push_back({"results.neighbourhood",
                         neighbourhoodLabel(c.runtime.i18n, filters.neighbourhood), false,
                         Icon::ChevronDown});
        chips.push_back(
            {"results.filter.open_now", ui.tr("filter.open_now"), filters.openNow, Icon::None});
        chips.push_back(
            {"results.filter.free", ui.tr("filter.free"), filters.freeOnly, Icon::None});
        chips.push_back(
            {"results.filter.drop_in", ui.tr("filter.drop_in"), filters.dropInOnly, Icon::None});
        chips.push_back(
            {"results.filter.language",
             filters.languageCode.empty()
                 ? std::string(ui.tr("filter.language"))
                 : ui.format("filter.language_set",
                             {{"language", languageName(c.runtime.i18n, filters.languageCode)}}),
             !filters.languageCode.empty(), Icon::ChevronDown});

        const float height = std::max(l.target, ui.text().size(TextStyle::Bold) + l.gap * 1.5f);
        float x = flow.width();  // forces a first row
        Rect row;
        for (const Chip& chip : chips) {
            const float w = std::min(flow.width(), toggleWidth(ui, chip.label));
            if (x + w > flow.width()) {
                if (x < flow.width()) {
                    flow.gap(l.smallGap);
                }
                row = flow.take(height);
                x = 0;
            }
            const Rect r{row.x0 + x, row.y0, row.x0 + x + w, row.y1};
            x += w + l.smallGap;
            if (!toggle(ui, chip.id, r, chip.label, chip.on, chip.icon)) {
                continue;
            }
            if (chip.id == "results.need.clear") {
                ui.defer([&session] { session.clearNeed(); });
            } else if (chip.id.rfind("results.named.", 0) == 0) {
                TextFocus& focus = c.focus;
                ui.defer([&session, &focus,
                          code = chip.id.substr(std::string_view("results.named.").size())] {
                    focus.blur();
                    session.chooseNeed(code);
                });
            } else if (chip.id == "results.neighbourhood") {
                openNeighbourhoodChooser(c);
            } else if (chip.id == "results.filter.open_now") {
                ui.defer([&session, on = !filters.openNow] { session.setOpenNowFilter(on); });
            } else if (chip.id == "results.filter.free") {
                ui.defer([&session, on = !filters.freeOnly] { session.setFreeOnlyFilter(on); });
            } else if (chip.id == "results.filter.drop_in") {
                ui.defer([&session, on = !filters.dropInOnly] { session.setDropInFilter(on); });
            } else if (chip.id == "results.filter.language") {
                openLanguageFilter(c);
            }
        }
    }

    static void openLanguageFilter(ScreenContext& c) {
        std::vector<ChooserOption> options;
        const std::string& current = c.session.filters().languageCode;
        options.push_back(
            {"results.language.option.0", c.ui.tr("filter.language_any"), current.empty()});
        std::vector<std::string> codes{""};
        for (const std::string& code : c.directory.languages) {
            options.push_back({"results.language.option." + std::to_string(codes.size()),
                               languageName(c.runtime.i18n, code), code == current});
            codes.push_back(code);
        }
        KioskSession& session = c.session;
        c.chooser.open(
            c.ui.tr("filter.language_choose"), std::move(options),
            [&session, codes](std::size_t index) { session.setLanguageFilter(codes.at(index)); });
    }

    static float rowHeight(Ui& ui) {
        const Layout& l = ui.layout();
        return l.gap * 2 + ui.text().size(TextStyle::Bold) + l.smallGap +
               ui.text().size(TextStyle::Small) + l.smallGap + badgeHeight(ui);
    }

    void drawList(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const std::vector<ServiceSummary>& items = m_results->items;
        const float height = std::max(l.target, rowHeight(ui));
        const float pitch = height + l.smallGap;
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(items.size()), pitch);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const Rect slot = flow.take(pitch);
                drawRow(c, items[static_cast<std::size_t>(i)], i,
                        Rect{slot.x0, slot.y0, slot.x1, slot.y0 + height});
            }
        }
        clipper.End();
    }

    static void drawRow(ScreenContext& c, const ServiceSummary& item, int index, const Rect& rect) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        ImDrawList* dl = ui.drawList();
        const Interaction in = ui.interact("results.item." + std::to_string(index), rect);
        dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1),
                          in.held ? p.surfaceSunken : p.surface, l.radius);
        dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), p.border, l.radius,
                    ImDrawFlags_None, l.border);
        const float chevron = l.bodySize * 0.8f;
        const Rect inner = rect.shrink(l.gap * 1.25f, l.gap);
        const float textWidth = inner.width() - chevron - l.gap;
        drawIcon(
            dl, Icon::Forward,
            Rect::fromSize(inner.x1 - chevron, rect.centreY() - chevron * 0.5f, chevron, chevron),
            p.text, std::max(2.0f, l.border * 1.25f));
        float y = inner.y0;
        ui.text().drawEllipsis(dl, TextStyle::Bold, ImVec2(inner.x0, y), p.text, item.name,
                               textWidth);
        y += ui.text().size(TextStyle::Bold) + l.smallGap;
        const std::string place = item.cityWide || item.areaLabel.empty()
                                      ? std::string(ui.tr("results.city_wide"))
                                      : item.areaLabel;
        const std::string second =
            item.organisationName.empty() ? place : item.organisationName + " \xC2\xB7 " + place;
        ui.text().drawEllipsis(dl, TextStyle::Small, ImVec2(inner.x0, y), p.textMuted, second,
                               textWidth);
        y += ui.text().size(TextStyle::Small) + l.smallGap;
        float x = inner.x0;
        const float limit = inner.x0 + textWidth;
        auto addBadge = [&](std::string_view label, ImU32 fill, ImU32 ink) {
            const float w = badgeWidth(ui, label);
            if (x + w > limit) {
                return;
            }
            x += badge(ui, ImVec2(x, y), label, fill, ink) + l.smallGap;
        };
        if (item.hasSchedule && item.openNow) {
            addBadge(ui.tr("badge.open_now"), p.badgeOpen, p.onBadgeOpen);
        }
        if (item.isFree) {
            addBadge(ui.tr("badge.free"), p.badge, p.onBadge);
        } else if (item.costKnown) {  // nothing published about cost: no badge rather than a guess
            addBadge(item.costDescription.empty() ? std::string(ui.tr("badge.cost"))
                                                  : item.costDescription,
                     p.badge, p.onBadge);
        }
        if (const char* key = accessKey(item.access)) {
            addBadge(ui.tr(key), p.badge, p.onBadge);
        }
        if (in.clicked) {
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            ui.defer([&session, &focus, id = item.id] {
                focus.blur();
                session.chooseService(id);
            });
        }
    }

    void drawNoResults(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        const bool typed = !c.session.text(TextTarget::Search).empty();
        flowText(ui, flow, TextStyle::Heading, p.text,
                 ui.tr(typed ? textKey("results.none_text") : textKey("results.none_filters")));
        flow.gap(l.smallGap);
        flowText(ui, flow, TextStyle::Body, p.textMuted,
                 ui.tr(typed ? textKey("results.none_text_hint")
                             : textKey("results.none_filters_hint")));
        flow.gap(l.gap * 1.5f);
        const std::vector<std::string>& suggested = m_results->suggestedNeedCodes;
        if (!suggested.empty()) {
            flowText(ui, flow, TextStyle::Bold, p.text, ui.tr("results.suggestions"));
            flow.gap(l.gap);
            const float minimum = 330.0f * l.scale * l.textScale;
            const int columns =
                std::clamp(static_cast<int>((flow.width() + l.gap) / (minimum + l.gap)), 1, 4);
            const float width = (flow.width() - l.gap * static_cast<float>(columns - 1)) /
                                static_cast<float>(columns);
            for (std::size_t start = 0; start < suggested.size();
                 start += static_cast<std::size_t>(columns)) {
                const std::size_t end =
                    std::min(suggested.size(), start + static_cast<std::size_t>(columns));
                float height = 0;
                std::vector<std::string> labels;
                for (std::size_t i = start; i < end; ++i) {
                    labels.push_back(needLabel(c.runtime.i18n, c.directory.needs, suggested[i]));
                    height = std::max(height, tileHeight(ui, width, labels.back(), {}));
                }
                const Rect row = flow.take(height);
                for (std::size_t i = start; i < end; ++i) {
                    const float x = row.x0 + static_cast<float>(i - start) * (width + l.gap);
                    if (tile(ui, "results.suggest." + suggested[i],
                             Rect{x, row.y0, x + width, row.y1}, labels[i - start], {}, false)) {
                        KioskSession& session = c.session;
                        TextFocus& focus = c.focus;
                        ui.defer([&session, &focus, code = suggested[i]] {
                            focus.blur();
                            session.chooseNeed(code);
                        });
                    }
                }
                flow.gap(l.gap);
            }
            flow.gap(l.gap);
        }
        drawAskLinkWorker(c, flow);
    }

    static void drawAskLinkWorker(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const char* label = ui.tr("results.ask_link_worker");
        const ButtonStyle style{ButtonKind::Primary, Icon::Phone};
        const float width =
            std::min(flow.width(), std::max(buttonWidth(ui, label, style),
                                            std::min(flow.width(), l.readableWidth) * 0.5f));
        if (button(
                ui, "results.ask_link_worker",
                flow.take(std::max(l.target * 1.3f, buttonHeight(ui, label, width, style)), width),
                label, style)) {
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            ui.defer([&session, &focus] {
                focus.blur();
                session.startGeneralReferral();
            });
        }
    }

    std::optional<SearchResults> m_results;
    std::uint64_t m_revision = ~0ull;
    long m_minute = 0;
    bool m_dependsOnClock = false;
    bool m_failed = false;
    bool m_scrollToTop = false;
};

}  // namespace

std::unique_ptr<View> makeResultsView() {
    return std::make_unique<ResultsView>();
}

}  // namespace signpost::ui
