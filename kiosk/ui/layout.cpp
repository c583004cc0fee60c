#include "ui/layout.h"

#include <algorithm>
#include <cmath>

namespace signpost::ui {

namespace {
// A 24" 16:9 screen is 531 mm wide.
constexpr float kAssumedLongSideMm = 531.0f;
constexpr float kMinimumTargetMm = 9.0f;
constexpr float kMinimumTargetAt1080 = 64.0f;
}  // namespace

float textScaleOf(TextSize size) noexcept {
    switch (size) {
        case TextSize::Normal:
            return 1.0f;
        case TextSize::Large:
            return 1.25f;
        case TextSize::Largest:
            return 1.5f;
    }
    return 1.0f;
}

Layout computeLayout(float width, float height, float pixelsPerMm, TextSize textSize,
                     bool highContrast) {
    Layout layout;
    layout.width = std::max(width, 320.0f);
    layout.height = std::max(height, 320.0f);
    layout.portrait = layout.height > layout.width;
    const float shortSide = std::min(layout.width, layout.height);
    const float longSide = std::max(layout.width, layout.height);
    layout.scale = shortSide / 1080.0f;
    layout.pixelsPerMm = pixelsPerMm > 0 ? pixelsPerMm : longSide / kAssumedLongSideMm;
    layout.textScale = textScaleOf(textSize);

    const float s = layout.scale;
    layout.target =
        std::round(std::max(kMinimumTargetAt1080 * s, kMinimumTargetMm * layout.pixelsPerMm));
    layout.margin = std::round(32 * s);
    layout.gap = std::round(16 * s);
    layout.smallGap = std::round(8 * s);
    layout.radius = std::round(12 * s);
    layout.border = std::max(1.0f, std::round((highContrast ? 3.0f : 2.0f) * s));
    layout.tapSlop = std::max(8.0f, 10 * s);
    layout.readableWidth = std::round(1400 * s);

    const float t = s * layout.textScale;
    layout.bodySize = std::round(36 * t);
    layout.smallSize = std::round(30 * t);
    layout.headingSize = std::round(50 * t);
    layout.titleSize = std::round(72 * t);
    return layout;
}

}  // namespace signpost::ui
