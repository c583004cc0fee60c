#include "ui/theme.h"

#include <cmath>

namespace signpost::ui {

namespace {

constexpr ImU32 rgb(std::uint32_t hex, std::uint32_t alpha = 255) {
    return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, alpha);
}

double channel(unsigned value) {
    const double c = value / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(ImU32 colour) {
    const unsigned r = (colour >> IM_COL32_R_SHIFT) & 0xFF;
    const unsigned g = (colour >> IM_COL32_G_SHIFT) & 0xFF;
    const unsigned b = (colour >> IM_COL32_B_SHIFT) & 0xFF;
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

}  // namespace

Palette normalPalette() {
    Palette p;
    p.background = rgb(0xF4F1EA);
    p.surface = rgb(0xFFFFFF);
    p.surfaceSunken = rgb(0xE4DFD3);
    p.text = rgb(0x1A1A1A);
    p.textMuted = rgb(0x4A4744);
    p.border = rgb(0x6B6760);
    p.primary = rgb(0x0A4A86);
    p.primaryPressed = rgb(0x06325C);
    p.onPrimary = rgb(0xFFFFFF);
    p.selectedSurface = rgb(0xDCE7F3);
    p.onSelectedSurface = rgb(0x0B2440);
    p.focus = rgb(0xB34700);
    p.error = rgb(0xA8001C);
    p.errorSurface = rgb(0xFCEBEE);
    p.onErrorSurface = rgb(0x7A0014);
    p.badgeOpen = rgb(0x14592B);
    p.onBadgeOpen = rgb(0xFFFFFF);
    p.badge = rgb(0xE4DFD3);
    p.onBadge = rgb(0x1A1A1A);
    p.overlay = rgb(0x000000, 165);
    p.keyboard = rgb(0xD3CDBF);
    p.key = rgb(0xFFFFFF);
    p.keySpecial = rgb(0xB5AE9F);
    p.onKey = rgb(0x1A1A1A);
    p.safety = rgb(0xFFF0BF);
    p.onSafety = rgb(0x3D2E00);
    p.header = rgb(0x0A4A86);
    p.onHeader = rgb(0xFFFFFF);
    p.reading = rgb(0xFFE27A);
    p.onReading = rgb(0x1A1A1A);
    return p;
}

Palette highContrastPalette() {
    Palette p;
    p.background = rgb(0x000000);
    p.surface = rgb(0x000000);
    p.surfaceSunken = rgb(0x262626);
    p.text = rgb(0xFFFFFF);
    p.textMuted = rgb(0xE6E6E6);
    p.border = rgb(0xFFFFFF);
    p.primary = rgb(0xFFE500);
    p.primaryPressed = rgb(0xFFFFFF);
    p.onPrimary = rgb(0x000000);
    p.selectedSurface = rgb(0xFFE500);
    p.onSelectedSurface = rgb(0x000000);
    p.focus = rgb(0x00E5FF);
    p.error = rgb(0xFF9E9E);
    p.errorSurface = rgb(0x000000);
    p.onErrorSurface = rgb(0xFF9E9E);
    p.badgeOpen = rgb(0x5CFF8A);
    p.onBadgeOpen = rgb(0x000000);
    p.badge = rgb(0xFFFFFF);
    p.onBadge = rgb(0x000000);
    p.overlay = rgb(0x000000, 220);
    p.keyboard = rgb(0x000000);
    p.key = rgb(0x000000);
    p.keySpecial = rgb(0x262626);
    p.onKey = rgb(0xFFFFFF);
    p.safety = rgb(0x000000);
    p.onSafety = rgb(0xFFE500);
    p.header = rgb(0x000000);
    p.onHeader = rgb(0xFFFFFF);
    p.reading = rgb(0xFFE500);
    p.onReading = rgb(0x000000);
    return p;
}

const Palette& paletteFor(bool highContrast) {
    static const Palette normal = normalPalette();
    static const Palette contrast = highContrastPalette();
    return highContrast ? contrast : normal;
}

double contrastRatio(ImU32 a, ImU32 b) {
    const double la = luminance(a);
    const double lb = luminance(b);
    const double lighter = la > lb ? la : lb;
    const double darker = la > lb ? lb : la;
    return (lighter + 0.05) / (darker + 0.05);
}

std::vector<std::pair<std::string, std::pair<ImU32, ImU32>>> textPairs(const Palette& p) {
    return {
        {"text on background", {p.text, p.background}},
        {"text on surface", {p.text, p.surface}},
        {"text on sunken surface", {p.text, p.surfaceSunken}},
        {"muted text on background", {p.textMuted, p.background}},
        {"muted text on surface", {p.textMuted, p.surface}},
        {"button text", {p.onPrimary, p.primary}},
        {"pressed button text", {p.onPrimary, p.primaryPressed}},
        {"selected tile text", {p.onSelectedSurface, p.selectedSurface}},
        {"error text on surface", {p.error, p.surface}},
        {"error text on background", {p.error, p.background}},
        {"error message", {p.onErrorSurface, p.errorSurface}},
        {"open-now badge", {p.onBadgeOpen, p.badgeOpen}},
        {"badge", {p.onBadge, p.badge}},
        {"key", {p.onKey, p.key}},
        {"special key", {p.onKey, p.keySpecial}},
        {"safety line", {p.onSafety, p.safety}},
        {"header", {p.onHeader, p.header}},
        {"sentence being read", {p.onReading, p.reading}},
    };
}

void applyImGuiStyle(ImGuiStyle& style, const Palette& palette) {
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 0;
    style.WindowRounding = 0;
    style.ChildRounding = 0;
    style.ItemSpacing = ImVec2(0, 0);
    style.ItemInnerSpacing = ImVec2(0, 0);
    style.ScrollbarSize = 0;
    style.AntiAliasedFill = true;
    style.AntiAliasedLines = true;
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(palette.background);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(palette.text);
}

}  // namespace signpost::ui
