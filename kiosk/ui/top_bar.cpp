#include <algorithm>
#include <cmath>

#include "core/i18n/i18n.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

constexpr float kStaffHoldSeconds = 3.0f;
constexpr float kRingDelaySeconds = 0.4f;  // a normal tap never shows the ring

struct BarItem {
    const char* id;
    std::string label;
    Icon icon;
};

struct BarPlan {
    TextStyle style = TextStyle::Bold;
    bool icons = true;
    float rowHeight = 0;
    // Item indices per row; row 0 shares the first line with the staff corner and Back.
    std::vector<std::vector<std::size_t>> rows;
};

bool showsBack(const KioskSession& session) {
    const Screen s = session.screen();
    return session.canGoBack() && s != Screen::Home && !isReferralScreen(s) && !isStaffScreen(s);
}

std::vector<BarItem> rightItems(ScreenContext& c) {
    Ui& ui = c.ui;
    std::vector<BarItem> items{
        {"global.language", c.runtime.i18n.languageInfo().nativeName, Icon::Globe},
        {"global.text_size", ui.tr("global.text_size"), Icon::TextSize},
        {"global.contrast", ui.tr("global.contrast"), Icon::Contrast},
    };
    // Read-aloud only where the language has a voice and the machine a sound device.
    if (c.readAloud.available(c.runtime.i18n.language())) {
        const bool reading = c.readAloud.reading();
        items.push_back(
            {"global.read_aloud",
             ui.tr(reading ? textKey("global.read_stop") : textKey("global.read_aloud")),
             Icon::Speaker});
        const Icon volume[] = {Icon::VolumeLow, Icon::VolumeMedium, Icon::VolumeHigh};
        items.push_back(
            {"global.volume", ui.tr("global.volume"), volume[c.readAloud.volumeLevel() - 1]});
    }
    items.push_back({"global.finish", ui.tr("global.finish"), Icon::Home});
    return items;
}

ButtonStyle itemStyle(const BarItem& item, TextStyle style, bool icons) {
    return ButtonStyle{ButtonKind::Header, icons ? item.icon : Icon::None, false, true, style};
}

// Fills rows greedily: the first row has what the corner and Back leave, the others the full
// width. Tries the full-size labels first, then smaller ones, then without icons, and keeps
// the first that needs at most two rows (or the most compact one).
BarPlan plan(ScreenContext& c, float width) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    // Tall scripts (Urdu's Nastaliq) need taller buttons than the touch target.
    const float rowHeight =
        std::max(l.target, ui.text().size(TextStyle::Bold) + l.gap) + l.smallGap * 2;
    const std::vector<BarItem> items = rightItems(c);
    const float back =
        showsBack(c.session)
            ? buttonWidth(ui, ui.tr("global.back"), ButtonStyle{ButtonKind::Header, Icon::Back}) +
                  l.gap
            : 0;
    const float firstRow = width - l.margin * 0.5f - rowHeight - l.smallGap - back;
    const float otherRows = width - l.margin;
    BarPlan best;
    const std::pair<TextStyle, bool> tries[] = {
        {TextStyle::Bold, true}, {TextStyle::Small, true}, {TextStyle::Small, false}};
    for (const auto& [style, icons] : tries) {
        BarPlan candidate;
        candidate.style = style;
        candidate.icons = icons;
        candidate.rowHeight = rowHeight;
        candidate.rows.emplace_back();
        float left = firstRow;
        // Right-aligned items keep their order, so fill from the last one backwards.
        for (std::size_t n = items.size(); n-- > 0;) {
            const float w =
                buttonWidth(ui, items[n].label, itemStyle(items[n], style, icons)) + l.smallGap;
            if (w > left && !(candidate.rows.size() > 1 && candidate.rows.back().empty())) {
                candidate.rows.emplace_back();
                left = otherRows;
            }
            candidate.rows.back().push_back(n);
            left -= w;
        }
        for (auto& row : candidate.rows) {
            std::reverse(row.begin(), row.end());  // filled right to left; keep reading order
        }
        // Rows were filled bottom-up from the right; show them top-down in reading order.
        if (candidate.rows.size() > 1) {
            std::vector<std::vector<std::size_t>> ordered{candidate.rows.front()};
            for (std::size_t r = candidate.rows.size(); r-- > 1;) {
                ordered.push_back(candidate.rows[r]);
            }
            candidate.rows = ordered;
        }
        if (best.rows.empty() || candidate.rows.size() < best.rows.size()) {
            best = candidate;
        }
        if (candidate.rows.size() <= 2) {
            return candidate;
        }
    }
    return best;
}

void drawSignpostMark(ImDrawList* dl, const Rect& box, ImU32 colour, float thickness) {
    // A post with two arrow signs: the brand, and the staff corner's only visible trace.
    const float s = std::min(box.width(), box.height());
    const float cx = box.centreX();
    const float top = box.centreY() - s * 0.32f;
    const float bottom = box.centreY() + s * 0.34f;
    dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), colour, thickness);
    const ImVec2 right[] = {ImVec2(cx, top + s * 0.04f), ImVec2(cx + s * 0.24f, top + s * 0.04f),
                            ImVec2(cx + s * 0.32f, top + s * 0.12f),
                            ImVec2(cx + s * 0.24f, top + s * 0.2f), ImVec2(cx, top + s * 0.2f)};
    dl->AddConvexPolyFilled(right, 5, colour);
    const ImVec2 left[] = {ImVec2(cx, top + s * 0.26f), ImVec2(cx - s * 0.24f, top + s * 0.26f),
                           ImVec2(cx - s * 0.32f, top + s * 0.34f),
                           ImVec2(cx - s * 0.24f, top + s * 0.42f), ImVec2(cx, top + s * 0.42f)};
    dl->AddConvexPolyFilled(left, 5, colour);
}

}  // namespace

float topBarHeight(ScreenContext& c, float width) {
    const BarPlan p = plan(c, width);
    return p.rowHeight * static_cast<float>(std::max<std::size_t>(1, p.rows.size()));
}

void openLanguageChooser(ScreenContext& c) {
    I18n& i18n = c.runtime.i18n;
    std::vector<ChooserOption> options;
    std::vector<std::string> codes;
    for (const LanguageInfo& info : i18n.languages()) {
        std::string label = info.nativeName;
        if (info.englishName != info.nativeName) {
            label += " \xE2\x80\x93 " + info.englishName;  // "Polski – Polish"
        }
        options.push_back(
            {"language.option." + info.code, label, info.code == c.session.language()});
        codes.push_back(info.code);
    }
    KioskSession& session = c.session;
    c.chooser.open(c.ui.tr("language.choose"), std::move(options),
                   [&session, codes](std::size_t index) { session.setLanguage(codes.at(index)); });
}

void drawTopBar(ScreenContext& c, const Rect& rect, TopBarState& state) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), p.header);
    if (p.header == p.background) {
        dl->AddLine(ImVec2(rect.x0, rect.y1 - l.border), ImVec2(rect.x1, rect.y1 - l.border),
                    p.border, l.border);
    }
    const BarPlan bar = plan(c, rect.width());
    const Rect row1{rect.x0, rect.y0, rect.x1, rect.y0 + bar.rowHeight};

    // Staff corner: the top-left square. Press and hold opens staff mode.
    const Rect corner{row1.x0, row1.y0, row1.x0 + bar.rowHeight, row1.y1};
    ui.interact("global.staff_corner", corner);
    drawSignpostMark(dl, corner.shrink(l.smallGap), p.onHeader, std::max(2.0f, l.border * 1.5f));
    const float held = ui.heldSeconds("global.staff_corner");
    if (held >= 0) {
        ui.requestAnimationFrame();
        if (held > kRingDelaySeconds && !state.staffCornerFired) {
            const float progress = std::min(
                1.0f, (held - kRingDelaySeconds) / (kStaffHoldSeconds - kRingDelaySeconds));
            const ImVec2 centre(corner.centreX(), corner.centreY());
            const float radius = corner.width() * 0.45f;
            dl->PathArcTo(centre, radius, -1.5707963f, -1.5707963f + progress * 6.2831853f, 48);
            dl->PathStroke(p.onHeader, ImDrawFlags_None, std::max(3.0f, l.border * 2));
        }
        if (held >= kStaffHoldSeconds && !state.staffCornerFired &&
            !isStaffScreen(c.session.screen())) {
            state.staffCornerFired = true;
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            ui.defer([&session, &focus] {
                focus.blur();
                session.navigate(Screen::StaffPin);
            });
        }
    } else {
        state.staffCornerFired = false;
    }

    float left = corner.x1 + l.smallGap;
    if (showsBack(c.session)) {
        const ButtonStyle style{ButtonKind::Header, Icon::Back};
        const char* label = ui.tr("global.back");
        const float w = buttonWidth(ui, label, style);
        if (button(ui, "global.back",
                   Rect{left, row1.y0 + l.smallGap, left + w, row1.y1 - l.smallGap}, label,
                   style)) {
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            ui.defer([&session, &focus] {
                focus.blur();
                session.back();
            });
        }
        left += w + l.gap;
    }

    const std::vector<BarItem> items = rightItems(c);
    float firstRowRight = rect.x1 - l.margin * 0.5f;  // where row 0's controls begin
    for (std::size_t r = 0; r < bar.rows.size(); ++r) {
        const float top = rect.y0 + bar.rowHeight * static_cast<float>(r);
        float x = rect.x1 - l.margin * 0.5f;
        for (auto it = bar.rows[r].rbegin(); it != bar.rows[r].rend(); ++it) {
            const BarItem& item = items[*it];
            const ButtonStyle style = itemStyle(item, bar.style, bar.icons);
            const float w = buttonWidth(ui, item.label, style);
            const Rect r_{x - w, top + l.smallGap, x, top + bar.rowHeight - l.smallGap};
            x -= w + l.smallGap;
            if (r == 0) {
                firstRowRight = x;
            }
            if (!button(ui, item.id, r_, item.label, style)) {
                continue;
            }
            const std::string_view id = item.id;
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            if (id == "global.finish") {
                ui.defer([&session, &focus] {
                    focus.drop();
                    session.finishAndClear();
                });
            } else if (id == "global.text_size") {
                ui.defer([&session] { session.cycleTextSize(); });
            } else if (id == "global.contrast") {
                ui.defer([&session] { session.setHighContrast(!session.highContrast()); });
            } else if (id == "global.language") {
                openLanguageChooser(c);  // UI state only; the choice itself is an intent
            } else if (id == "global.read_aloud") {
                c.readAloud.toggle();  // UI state: the next frame collects what the screen says
            } else if (id == "global.volume") {
                c.readAloud.cycleVolume();
            }
        }
    }
    // The sync status in what row 0 leaves free (nothing if too narrow).
    drawSyncStatusLine(c, Rect{left, row1.y0, firstRowRight - l.gap, row1.y1});
}

}  // namespace signpost::ui
