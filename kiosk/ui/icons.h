// Signpost UI — the handful of icons, drawn with lines and shapes (no icon font to load, no
// glyphs that might be missing). Always shown next to words, never instead of them.
// Thread-safety: UI thread only.
#pragma once

#include <imgui.h>

#include "ui/geometry.h"

namespace signpost::ui {

enum class Icon {
    None,
    Back,
    Forward,
    ChevronDown,
    Tick,
    Cross,
    Globe,
    TextSize,
    Contrast,
    Search,
    Phone,
    Backspace,
    Shift,
    Warning,
    Lock,
    Home,
    Speaker,
    VolumeLow,
    VolumeMedium,
    VolumeHigh,
};

// Draws `icon` centred in `box` (a square works best) with lines of `thickness`.
void drawIcon(ImDrawList* drawList, Icon icon, const Rect& box, ImU32 colour, float thickness);
// The layer being drawn will be mirrored (a right-to-left language): Back, Forward and Backspace
// turn with it; icons whose shape must not (Tick, Phone, Search, TextSize, Contrast) are drawn
// pre-mirrored so they come out the right way round. Set by Ui::setMirrored.
void setIconsMirrored(bool mirrored) noexcept;

}  // namespace signpost::ui
