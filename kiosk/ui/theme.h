// Signpost UI — the two colour themes: normal (calm, warm paper) and high contrast (WCAG AAA-ish:
// body text 7:1 or more, yellow on black). Every pair the widgets draw text with is listed in
// textPairs() so a test can prove the ratios.
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

namespace signpost::ui {

struct Palette {
    ImU32 background = 0;     // behind everything
    ImU32 surface = 0;        // cards, tiles, fields
    ImU32 surfaceSunken = 0;  // pressed tiles, section bands
    ImU32 text = 0;           // body text on background and surface
    ImU32 textMuted = 0;      // secondary text (still >= 7:1 in high contrast, >= 4.5:1 normal)
    ImU32 border = 0;         // outlines of fields, tiles and buttons (>= 3:1, WCAG 1.4.11)
    ImU32 primary = 0;        // main action buttons, selected tiles
    ImU32 primaryPressed = 0;
    ImU32 onPrimary = 0;        // text on primary
    ImU32 selectedSurface = 0;  // a chosen tile's fill
    ImU32 onSelectedSurface = 0;
    ImU32 focus = 0;         // the focused text field's ring and caret
    ImU32 error = 0;         // error text and error outlines (on surface/background)
    ImU32 errorSurface = 0;  // behind an error message
    ImU32 onErrorSurface = 0;
    ImU32 badgeOpen = 0;  // "Open now"
    ImU32 onBadgeOpen = 0;
    ImU32 badge = 0;  // Free / Drop-in / cost
    ImU32 onBadge = 0;
    ImU32 overlay = 0;     // dims the screen under the idle question and choosers
    ImU32 keyboard = 0;    // keyboard panel
    ImU32 key = 0;         // letter keys
    ImU32 keySpecial = 0;  // shift, backspace, done...
    ImU32 onKey = 0;
    ImU32 safety = 0;  // the "In danger now? Call 999" band
    ImU32 onSafety = 0;
    ImU32 header = 0;  // the top bar
    ImU32 onHeader = 0;
    ImU32 reading = 0;    // behind the sentence being read aloud
    ImU32 onReading = 0;  // its letters
};

Palette normalPalette();
Palette highContrastPalette();
const Palette& paletteFor(bool highContrast);

// WCAG 2.x contrast ratio of two opaque colours (1..21).
double contrastRatio(ImU32 a, ImU32 b);

// Every (text colour, background colour) pair the UI draws text with, named for test messages.
std::vector<std::pair<std::string, std::pair<ImU32, ImU32>>> textPairs(const Palette& palette);

// Sets ImGui's own style to match (no padding, no rounding on windows, our background).
void applyImGuiStyle(ImGuiStyle& style, const Palette& palette);

}  // namespace signpost::ui
