#include "ui/button.h"

#include <algorithm>

namespace signpost::ui {

namespace {

struct Colours {
    ImU32 fill;
    ImU32 text;
    ImU32 outline;
};

Colours buttonColours(const Ui& ui, ButtonKind kind, bool held, bool enabled) {
    const Palette& p = ui.palette();
    Colours c{};
    switch (kind) {
        case ButtonKind::Primary:
            c = {held ? p.primaryPressed : p.primary, p.onPrimary, held ? p.focus : p.primary};
            break;
        case ButtonKind::Secondary:
            c = {held ? p.surfaceSunken : p.surface, p.text, p.border};
            break;
        case ButtonKind::Quiet:
            c = {held ? p.surfaceSunken : 0u, p.text, 0u};
            break;
        case ButtonKind::Header:
            c = {held ? p.onHeader : p.header, held ? p.header : p.onHeader, p.onHeader};
            break;
    }
    if (!enabled) {
        // Disabled: keep the text readable, drop the fill's strength.
        c.fill = kind == ButtonKind::Quiet ? 0u : p.surfaceSunken;
        c.text = p.textMuted;
        c.outline = p.surfaceSunken;
    }
    return c;
}

float iconSize(const Ui& ui, TextStyle style) {
    return ui.layout().bodySize * (style == TextStyle::Heading ? 1.1f : 0.8f);
}

float padding(const Ui& ui) {
    return std::max(ui.layout().gap * 1.25f, ui.layout().bodySize * 0.6f);
}

}  // namespace

// Measured widths get a couple of pixels of slack so float rounding never wraps or cuts a label
// that was measured to fit.
constexpr float kSlack = 2.0f;

float buttonWidth(Ui& ui, std::string_view label, const ButtonStyle& style) {
    float width = ui.text().width(style.textStyle, label) + padding(ui) * 2 + kSlack;
    if (style.icon != Icon::None) {
        width += iconSize(ui, style.textStyle) + (label.empty() ? 0 : ui.layout().smallGap * 1.5f);
    }
    return std::max(width, ui.layout().target);
}

float buttonHeight(Ui& ui, std::string_view label, float width, const ButtonStyle& style) {
    float textWidth = width - padding(ui) * 2;
    if (style.icon != Icon::None) {
        textWidth -= iconSize(ui, style.textStyle) + ui.layout().smallGap * 1.5f;
    }
    const float textHeight = ui.text().height(style.textStyle, label, std::max(textWidth, 1.0f));
    return std::max(ui.layout().target, textHeight + ui.layout().gap * 1.5f);
}

bool button(Ui& ui, std::string_view id, const Rect& rect, std::string_view label,
            const ButtonStyle& style) {
    const Interaction in = ui.interact(id, rect, style.enabled);
    const Colours c = buttonColours(ui, style.kind, in.held, style.enabled);
    ImDrawList* dl = ui.drawList();
    const Layout& l = ui.layout();
    if ((c.fill >> IM_COL32_A_SHIFT) != 0) {
        dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), c.fill, l.radius);
    }
    if ((c.outline >> IM_COL32_A_SHIFT) != 0 && style.kind != ButtonKind::Quiet) {
        dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), c.outline, l.radius,
                    ImDrawFlags_None, l.border);
    }
    const float pad = padding(ui);
    Rect inner = rect.shrink(pad, 0);
    const float icon = style.icon != Icon::None ? iconSize(ui, style.textStyle) : 0;
    const float iconGap = label.empty() || icon == 0 ? 0 : l.smallGap * 1.5f;
    // Centre icon + (wrapped) label as one group.
    const std::vector<std::string_view> lines =
        ui.text().wrap(style.textStyle, label, std::max(1.0f, inner.width() - icon - iconGap));
    float textWidth = 0;
    for (std::string_view line : lines) {
        textWidth = std::max(textWidth, ui.text().width(style.textStyle, line));
    }
    const float groupWidth = std::min(inner.width(), textWidth + icon + (icon > 0 ? iconGap : 0));
    float x = rect.centreX() - groupWidth * 0.5f;
    const float thickness = std::max(2.0f, l.border * 1.25f);
    if (icon > 0 && !style.iconAfter) {
        drawIcon(dl, style.icon, Rect::fromSize(x, rect.centreY() - icon * 0.5f, icon, icon),
                 c.text, thickness);
        x += icon + iconGap;
    }
    const TextStyle ts = style.textStyle;
    const float lh = ui.text().lineHeight(ts);
    const float total =
        lines.empty() ? 0 : (static_cast<float>(lines.size()) - 1) * lh + ui.text().size(ts);
    float y = rect.centreY() - total * 0.5f;
    for (std::string_view line : lines) {
        const float w = ui.text().width(ts, line);
        const float lx = x + (textWidth - w) * 0.5f;
        ui.text().draw(dl, ts, ImVec2(lx, y), c.text, line);
        if (style.kind == ButtonKind::Quiet) {
            const float underline = y + ui.text().size(ts) * 0.92f;
            dl->AddLine(ImVec2(lx, underline), ImVec2(lx + w, underline), c.text,
                        std::max(1.5f, l.border * 0.75f));
        }
        y += lh;
    }
    if (icon > 0 && style.iconAfter) {
        drawIcon(dl, style.icon,
                 Rect::fromSize(x + textWidth + iconGap, rect.centreY() - icon * 0.5f, icon, icon),
                 c.text, thickness);
    }
    return in.clicked;
}

namespace {

float tilePadding(const Ui& ui) {
    return std::max(ui.layout().gap * 1.25f, ui.layout().bodySize * 0.5f);
}
float markerSize(const Ui& ui) {
    return ui.layout().bodySize * 1.1f;
}

}  // namespace

float tileHeight(Ui& ui, float width, std::string_view title, std::string_view subtitle,
                 TileMarker marker) {
    const float pad = tilePadding(ui);
    float textWidth = width - pad * 2;
    if (marker != TileMarker::None) {
        textWidth -= markerSize(ui) + ui.layout().gap;
    }
    textWidth = std::max(textWidth, 1.0f);
    float height = ui.text().height(TextStyle::Bold, title, textWidth);
    if (!subtitle.empty()) {
        height += ui.layout().smallGap + ui.text().height(TextStyle::Small, subtitle, textWidth);
    }
    return std::max(ui.layout().target * 1.25f, height + pad * 2);
}

float tileMinimumWidth(Ui& ui, std::string_view title, std::string_view subtitle,
                       TileMarker marker) {
    float words =
        std::max(ui.text().longestWord(TextStyle::Bold, title),
                 subtitle.empty() ? 0.0f : ui.text().longestWord(TextStyle::Small, subtitle));
    // A selected plain tile shows its tick in the corner, beside the title.
    words += marker != TileMarker::None ? markerSize(ui) + ui.layout().gap : markerSize(ui) * 0.9f;
    return words + tilePadding(ui) * 2 + kSlack;
}

bool tile(Ui& ui, std::string_view id, const Rect& rect, std::string_view title,
          std::string_view subtitle, bool selected, TileMarker marker) {
    const Interaction in = ui.interact(id, rect);
    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    ImDrawList* dl = ui.drawList();
    const ImU32 fill = in.held ? p.surfaceSunken : selected ? p.selectedSurface : p.surface;
    const ImU32 textColour = selected && !in.held ? p.onSelectedSurface : p.text;
    const ImU32 mutedColour = selected && !in.held ? p.onSelectedSurface : p.textMuted;
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), fill, l.radius);
    const float outline = selected ? l.border * 2.0f : l.border;
    dl->AddRect(ImVec2(rect.x0 + outline * 0.5f, rect.y0 + outline * 0.5f),
                ImVec2(rect.x1 - outline * 0.5f, rect.y1 - outline * 0.5f),
                selected ? p.primary : p.border, l.radius, ImDrawFlags_None, outline);
    const float pad = tilePadding(ui);
    Rect inner = rect.shrink(pad);
    if (marker != TileMarker::None) {
        const float m = markerSize(ui);
        const Rect box = Rect::fromSize(inner.x1 - m, inner.y0, m, m);
        inner.x1 -= m + l.gap;
        const float thickness = std::max(2.0f, l.border * 1.25f);
        if (marker == TileMarker::Check) {
            dl->AddRectFilled(ImVec2(box.x0, box.y0), ImVec2(box.x1, box.y1),
                              selected ? p.primary : p.surface, l.radius * 0.5f);
            dl->AddRect(ImVec2(box.x0, box.y0), ImVec2(box.x1, box.y1),
                        selected ? p.primary : p.border, l.radius * 0.5f, ImDrawFlags_None,
                        thickness);
            if (selected) {
                drawIcon(dl, Icon::Tick, box.shrink(m * 0.18f), p.onPrimary, thickness);
            }
        } else {
            dl->AddCircle(ImVec2(box.centreX(), box.centreY()), m * 0.48f,
                          selected ? p.primary : p.border, 32, thickness);
            if (selected) {
                dl->AddCircleFilled(ImVec2(box.centreX(), box.centreY()), m * 0.28f, p.primary, 32);
            }
        }
    } else if (selected) {
        const float m = markerSize(ui) * 0.9f;
        const Rect box = Rect::fromSize(rect.x1 - m - l.smallGap, rect.y0 + l.smallGap, m, m);
        dl->AddCircleFilled(ImVec2(box.centreX(), box.centreY()), m * 0.5f, p.primary, 32);
        drawIcon(dl, Icon::Tick, box.shrink(m * 0.22f), p.onPrimary,
                 std::max(2.0f, l.border * 1.25f));
        inner.x1 -= m;
    }
    const float used = ui.text().drawWrapped(dl, TextStyle::Bold, inner, textColour, title);
    if (!subtitle.empty()) {
        Rect below = inner;
        below.y0 += used + l.smallGap;
        ui.text().drawWrapped(dl, TextStyle::Small, below, mutedColour, subtitle);
    }
    return in.clicked;
}

bool actionTile(Ui& ui, std::string_view id, const Rect& rect, std::string_view title,
                std::string_view subtitle, Icon icon) {
    const Interaction in = ui.interact(id, rect);
    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1),
                      in.held ? p.primaryPressed : p.primary, l.radius);
    if (in.held) {
        dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), p.focus, l.radius,
                    ImDrawFlags_None, l.border * 2);
    }
    const float pad = tilePadding(ui);
    Rect inner = rect.shrink(pad);
    if (icon != Icon::None) {
        const float m = markerSize(ui);
        drawIcon(dl, icon, Rect::fromSize(inner.x1 - m, inner.y0, m, m), p.onPrimary,
                 std::max(2.0f, l.border * 1.25f));
        inner.x1 -= m + l.gap;
    }
    const float used = ui.text().drawWrapped(dl, TextStyle::Bold, inner, p.onPrimary, title);
    if (!subtitle.empty()) {
        Rect below = inner;
        below.y0 += used + l.smallGap;
        ui.text().drawWrapped(dl, TextStyle::Small, below, p.onPrimary, subtitle);
    }
    return in.clicked;
}

float toggleWidth(Ui& ui, std::string_view label) {
    return ui.text().width(TextStyle::Bold, label) + ui.layout().bodySize * 0.8f +
           ui.layout().smallGap * 1.5f + tilePadding(ui) * 2 + kSlack;
}

bool toggle(Ui& ui, std::string_view id, const Rect& rect, std::string_view label, bool on,
            Icon icon) {
    const Interaction in = ui.interact(id, rect);
    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    ImDrawList* dl = ui.drawList();
    const float rounding = rect.height() * 0.5f;
    const ImU32 fill = in.held ? p.surfaceSunken : on ? p.selectedSurface : p.surface;
    const ImU32 textColour = on && !in.held ? p.onSelectedSurface : p.text;
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), fill, rounding);
    dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), on ? p.primary : p.border,
                rounding, ImDrawFlags_None, on ? l.border * 2 : l.border);
    const float m = l.bodySize * 0.8f;
    const float pad = tilePadding(ui);
    const Rect box = Rect::fromSize(rect.x0 + pad, rect.centreY() - m * 0.5f, m, m);
    const Icon shown = on ? Icon::Tick : icon;
    if (shown != Icon::None) {
        drawIcon(dl, shown, box, textColour, std::max(2.0f, l.border * 1.25f));
    } else {
        dl->AddCircle(ImVec2(box.centreX(), box.centreY()), m * 0.4f, p.border, 24, l.border);
    }
    const float size = ui.text().size(TextStyle::Bold);
    ui.text().drawEllipsis(dl, TextStyle::Bold,
                           ImVec2(box.x1 + l.smallGap * 1.5f, rect.centreY() - size * 0.5f),
                           textColour, label, rect.x1 - pad - box.x1 - l.smallGap * 1.5f);
    return in.clicked;
}

float checkRowHeight(Ui& ui, float width, std::string_view label) {
    const Layout& l = ui.layout();
    const float box = std::max(l.target * 0.75f, l.bodySize * 1.2f);
    const float textHeight = ui.text().height(TextStyle::Bold, label, width - box - l.gap * 3);
    return std::max(l.target, std::max(box, textHeight) + l.gap * 2);
}

bool checkRow(Ui& ui, std::string_view id, const Rect& rect, std::string_view label, bool checked,
              bool error) {
    const Interaction in = ui.interact(id, rect);
    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1),
                      in.held ? p.surfaceSunken : p.surface, l.radius);
    dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), error ? p.error : p.border,
                l.radius, ImDrawFlags_None, error ? l.border * 2 : l.border);
    const float box = std::max(l.target * 0.75f, l.bodySize * 1.2f);
    const Rect boxRect = Rect::fromSize(rect.x0 + l.gap, rect.centreY() - box * 0.5f, box, box);
    const float thickness = std::max(2.0f, l.border * 1.5f);
    dl->AddRectFilled(ImVec2(boxRect.x0, boxRect.y0), ImVec2(boxRect.x1, boxRect.y1),
                      checked ? p.primary : p.surface, l.radius * 0.5f);
    dl->AddRect(ImVec2(boxRect.x0, boxRect.y0), ImVec2(boxRect.x1, boxRect.y1),
                checked ? p.primary : (error ? p.error : p.text), l.radius * 0.5f, ImDrawFlags_None,
                thickness);
    if (checked) {
        drawIcon(dl, Icon::Tick, boxRect.shrink(box * 0.18f), p.onPrimary, thickness);
    }
    Rect textBox{boxRect.x1 + l.gap, rect.y0, rect.x1 - l.gap, rect.y1};
    const float textHeight = ui.text().height(TextStyle::Bold, label, textBox.width());
    textBox.y0 = rect.centreY() - textHeight * 0.5f;
    ui.text().drawWrapped(dl, TextStyle::Bold, textBox, p.text, label);
    return in.clicked;
}

float badgeHeight(Ui& ui) {
    return ui.text().size(TextStyle::Small) + ui.layout().smallGap;
}

float badgeWidth(Ui& ui, std::string_view label) {
    return ui.text().width(TextStyle::Small, label) + ui.layout().gap * 1.25f;
}

float badge(Ui& ui, ImVec2 position, std::string_view label, ImU32 fill, ImU32 textColour) {
    const float w = badgeWidth(ui, label);
    const float h = badgeHeight(ui);
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(position, ImVec2(position.x + w, position.y + h), fill, h * 0.3f);
    ui.text().draw(
        dl, TextStyle::Small,
        ImVec2(position.x + ui.layout().gap * 0.625f, position.y + ui.layout().smallGap * 0.5f),
        textColour, label);
    return w;
}

void panel(Ui& ui, const Rect& rect, ImU32 fill, ImU32 outline) {
    ImDrawList* dl = ui.drawList();
    const Layout& l = ui.layout();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), fill, l.radius);
    if ((outline >> IM_COL32_A_SHIFT) != 0) {
        dl->AddRect(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), outline, l.radius,
                    ImDrawFlags_None, l.border);
    }
}

}  // namespace signpost::ui
