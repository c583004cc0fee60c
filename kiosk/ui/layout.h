// Signpost UI — sizes derived from the display, so one design works from a 1080×1920 portrait
// totem to a 1920×1080 landscape screen (and anything between).
//
// Everything scales with the short side of the display (1080 px = 1.0). Every touch target is at
// least max(64 px × shortSide/1080, 9 mm) (WCAG 2.5.5 asks 44 CSS px; Material 48 dp ≈ 9 mm; a
// kiosk at arm's length for older hands wants more). Text sizes grow with the resident's text size
// choice; targets grow with the text they hold, never shrink below the minimum.
// Thread-safety: a value type.
#pragma once

#include "core/config/kiosk_config.h"

namespace signpost::ui {

struct Layout {
    float width = 1920;  // display size in pixels
    float height = 1080;
    bool portrait = false;
    float scale = 1;        // shortSide / 1080
    float pixelsPerMm = 0;  // as given, or estimated for a 24" screen
    float textScale = 1;    // 1, 1.25, 1.5 for normal, large, largest
    float target = 64;      // minimum touch target side
    float margin = 32;      // outer margin of the content
    float gap = 16;         // between neighbouring elements
    float smallGap = 8;
    float radius = 12;           // corner rounding
    float border = 2;            // outline width
    float tapSlop = 10;          // a touch that moved less than this is a tap, not a drag
    float readableWidth = 1400;  // long text is not set wider than this

    // Font pixel sizes (ascent to descent, as ImGui bakes them) for the current text size.
    float bodySize = 36;
    float headingSize = 50;
    float titleSize = 72;
    float smallSize = 30;
};

// pixelsPerMm 0 = unknown: assume the longer side spans a 24" 16:9 screen's width (531 mm).
Layout computeLayout(float width, float height, float pixelsPerMm, TextSize textSize,
                     bool highContrast);
float textScaleOf(TextSize size) noexcept;

}  // namespace signpost::ui
