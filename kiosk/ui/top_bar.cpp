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
    bool twoRows = false;
    TextStyle style = TextStyle::Bold;
    float rowHeight = 0;
};

bool showsBack(const KioskSession& session) {
    const Screen s = session.screen();
    return session.canGoBack() && s != Screen::Home && !isReferralScreen(s) && !isStaffScreen(s);
}

std::vector<BarItem> rightItems(ScreenContext& c) {
    Ui& ui = c.ui;
    return {
        {"global.language", c.runtime.i18n.languageInfo().nativeName, Icon::Globe},
        {"global.text_size", ui.tr("global.text_size"), Icon::TextSize},
        {"global.contrast", ui.tr("global.contrast"), Icon::Contrast},
        {"global.finish", ui.tr("global.finish"), Icon::Home},
    };
}

float itemsWidth(Ui& ui, const std::vector<BarItem>& items, TextStyle style) {
    float total = 0;
    for (const BarItem& item : items) {
        total += buttonWidth(ui, item.label, ButtonStyle{ButtonKind::Header, item.icon, false, true, style}) +
                 ui.layout().smallGap;
    }
    return total;
}

BarPlan plan(ScreenContext& c, float width) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    BarPlan result;
    result.rowHeight = l.target + l.smallGap * 2;
    const std::vector<BarItem> items = rightItems(c);
    const float corner = result.rowHeight;
    const float back = showsBack(c.session)
                           ? buttonWidth(ui, ui.tr("global.back"), ButtonStyle{ButtonKind::Header, Icon::Back}) + l.gap
                           : 0;
    const float available = width - l.margin - corner - back;
    for (TextStyle style : {TextStyle::Bold, TextStyle::Small}) {
        if (itemsWidth(ui, items, style) <= available) {
            result.style = style;
            return result;
        }
    }
    result.twoRows = true;
    result.style = itemsWidth(ui, items, TextStyle::Bold) <= width - l.margin * 2 ? TextStyle::Bold : TextStyle::Small;
    return result;
}

void drawSignpostMark(ImDrawList* dl, const Rect& box, ImU32 colour, float thickness) {
    // A post with two arrow signs: the brand, and the staff corner's only visible trace.
    const float s = std::min(box.width(), box.height());
    const float cx = box.centreX();
    const float top = box.centreY() - s * 0.32f;
    const float bottom = box.centreY() + s * 0.34f;
    dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), colour, thickness);
    const ImVec2 right[] = {ImVec2(cx, top + s * 0.04f), ImVec2(cx + s * 0.24f, top + s * 0.04f),
                            ImVec2(cx + s * 0.32f, top + s * 0.12f), ImVec2(cx + s * 0.24f, top + s * 0.2f),
                            ImVec2(cx, top + s * 0.2f)};
    dl->AddConvexPolyFilled(right, 5, colour);
    const ImVec2 left[] = {ImVec2(cx, top + s * 0.26f), ImVec2(cx - s * 0.24f, top + s * 0.26f),
                           ImVec2(cx - s * 0.32f, top + s * 0.34f), ImVec2(cx - s * 0.24f, top + s * 0.42f),
                           ImVec2(cx, top + s * 0.42f)};
    dl->AddConvexPolyFilled(left, 5, colour);
}

}  // namespace

float topBarHeight(ScreenContext& c, float width) {
    const BarPlan p = plan(c, width);
    return p.rowHeight * (p.twoRows ? 2.0f : 1.0f);
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
        options.push_back({"language.option." + info.code, label, info.code == c.session.language()});
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
        dl->AddLine(ImVec2(rect.x0, rect.y1 - l.border), ImVec2(rect.x1, rect.y1 - l.border), p.border, l.border);
    }
    const BarPlan bar = plan(c, rect.width());
    Rect row1{rect.x0, rect.y0, rect.x1, rect.y0 + bar.rowHeight};
    Rect row2{rect.x0, row1.y1, rect.x1, row1.y1 + bar.rowHeight};

    // Staff corner: the top-left square. Press and hold opens staff mode.
    const Rect corner{row1.x0, row1.y0, row1.x0 + bar.rowHeight, row1.y1};
    ui.interact("global.staff_corner", corner);
    drawSignpostMark(dl, corner.shrink(l.smallGap), p.onHeader, std::max(2.0f, l.border * 1.5f));
    const float held = ui.heldSeconds("global.staff_corner");
    if (held >= 0) {
        ui.requestAnimationFrame();
        if (held > kRingDelaySeconds && !state.staffCornerFired) {
            const float progress = std::min(1.0f, (held - kRingDelaySeconds) / (kStaffHoldSeconds - kRingDelaySeconds));
            const ImVec2 centre(corner.centreX(), corner.centreY());
            const float radius = corner.width() * 0.45f;
            dl->PathArcTo(centre, radius, -1.5707963f, -1.5707963f + progress * 6.2831853f, 48);
            dl->PathStroke(p.onHeader, ImDrawFlags_None, std::max(3.0f, l.border * 2));
        }
        if (held >= kStaffHoldSeconds && !state.staffCornerFired && !isStaffScreen(c.session.screen())) {
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
        const ButtonStyle style{ButtonKind::Header, Icon::Back, false, true, bar.style};
        const char* label = ui.tr("global.back");
        const float w = buttonWidth(ui, label, style);
        if (button(ui, "global.back", Rect{left, row1.y0 + l.smallGap, left + w, row1.y1 - l.smallGap}, label, style)) {
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
    // Right-aligned in row 1, or spread over row 2.
    Rect itemsRow = bar.twoRows ? row2 : row1;
    float x = itemsRow.x1 - l.margin * 0.5f;
    if (bar.twoRows) {
        x = itemsRow.x0 + l.margin * 0.5f + itemsWidth(ui, items, bar.style);
        x = std::min(x, itemsRow.x1 - l.margin * 0.5f);
    }
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        const ButtonStyle style{ButtonKind::Header, it->icon, false, true, bar.style};
        const float w = buttonWidth(ui, it->label, style);
        const Rect r{x - w, itemsRow.y0 + l.smallGap, x, itemsRow.y1 - l.smallGap};
        x -= w + l.smallGap;
        if (!button(ui, it->id, r, it->label, style)) {
            continue;
        }
        const std::string_view id = it->id;
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
        }
    }
}

}  // namespace signpost::ui
