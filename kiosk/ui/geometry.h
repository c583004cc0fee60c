// Signpost UI — a screen rectangle (top-left origin, pixels) and the few operations the widgets
// need. Kept apart from ImGui's internal ImRect so widget headers stay small.
// Thread-safety: a plain value type.
#pragma once

#include <algorithm>

namespace signpost::ui {

struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // x1/y1 exclusive

    static Rect fromSize(float x, float y, float width, float height) {
        return {x, y, x + width, y + height};
    }
    float width() const noexcept { return x1 - x0; }
    float height() const noexcept { return y1 - y0; }
    float centreX() const noexcept { return (x0 + x1) * 0.5f; }
    float centreY() const noexcept { return (y0 + y1) * 0.5f; }
    bool empty() const noexcept { return x1 <= x0 || y1 <= y0; }
    bool contains(float x, float y) const noexcept {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }
    bool overlaps(const Rect& other) const noexcept {
        return x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1;
    }
    Rect intersect(const Rect& other) const noexcept {
        return {std::max(x0, other.x0), std::max(y0, other.y0), std::min(x1, other.x1),
                std::min(y1, other.y1)};
    }
    Rect shrink(float by) const noexcept { return {x0 + by, y0 + by, x1 - by, y1 - by}; }
    Rect shrink(float horizontal, float vertical) const noexcept {
        return {x0 + horizontal, y0 + vertical, x1 - horizontal, y1 - vertical};
    }
    Rect translate(float dx, float dy) const noexcept {
        return {x0 + dx, y0 + dy, x1 + dx, y1 + dy};
    }
    // Splits off the left/right/top/bottom `size` pixels, returning it and keeping the rest.
    Rect cutLeft(float size) noexcept {
        Rect r{x0, y0, x0 + size, y1};
        x0 += size;
        return r;
    }
    Rect cutRight(float size) noexcept {
        Rect r{x1 - size, y0, x1, y1};
        x1 -= size;
        return r;
    }
    Rect cutTop(float size) noexcept {
        Rect r{x0, y0, x1, y0 + size};
        y0 += size;
        return r;
    }
    Rect cutBottom(float size) noexcept {
        Rect r{x0, y1 - size, x1, y1};
        y1 -= size;
        return r;
    }
};

}  // namespace signpost::ui
