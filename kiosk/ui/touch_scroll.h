// Signpost UI — drag anywhere to scroll, with inertia, for one scrolling area (ImGui 1.86 has
// neither: ocornut/imgui#3379, #2675).
//
// A finger that goes down inside the area and then moves past the tap slop drags the content
// 1:1; when it lifts, the content keeps moving at the finger's speed (measured over the last
// ~100 ms) and slows down exponentially (time constant 0.325 s, like a phone), stopping at
// the ends. A touch while it moves stops it and presses nothing. scrollTo() animates to a
// position (used to lift a text field above the keyboard).
//
// ScrollArea draws the area as an ImGui child window whose scroll this object sets, so ImGui's
// own clipping and ImGuiListClipper work inside it; no scrollbar is drawn (a thin position
// indicator appears only while the content moves).
//
// Thread-safety: UI thread only.
#pragma once

#include <deque>
#include <string>

#include "ui/geometry.h"
#include "ui/ui_context.h"

namespace signpost::ui {

class TouchScroll {
public:
    float offset() const noexcept { return m_offset; }
    float maxOffset() const noexcept { return m_maxOffset; }
    bool isMoving() const noexcept;
    bool isDragging() const noexcept { return m_dragging; }
    // Back to the top, still.
    void reset() noexcept;
    // Moves so content y `target` is at the top; animated (ease out over ~0.2 s) or at once.
    void scrollTo(float target, bool animate);
    // Scrolls the least needed so content [top, bottom) is inside a view of height `view`.
    void reveal(float top, float bottom, float view, float margin);

    // Takes this frame's pointer for the area at `viewport`, advances inertia. Call once per
    // frame before drawing the content.
    void update(Ui& ui, const Rect& viewport);
    // The content height measured after drawing (sets the scroll range).
    void setContentHeight(float contentHeight, float viewHeight) noexcept;

private:
    struct Sample {
        SteadyClock::time_point time;
        float y;
    };
    void clamp() noexcept;

    float m_offset = 0;
    float m_maxOffset = 0;
    float m_velocity = 0;  // content pixels per second (positive = content moves up)
    bool m_grabbed = false;
    bool m_dragging = false;
    float m_grabOffset = 0;
    std::deque<Sample> m_samples;
    bool m_animating = false;
    float m_animateFrom = 0;
    float m_animateTo = 0;
    float m_animateTime = 0;
    bool m_showIndicator = false;
};

// RAII: an ImGui child window at `viewport` scrolled by `scroll`; content is laid out with
// ImGui's cursor (ui::Flow). Registers "<id>" in the UiMap as the area itself.
class ScrollArea {
public:
    ScrollArea(Ui& ui, TouchScroll& scroll, const char* id, const Rect& viewport);
    ~ScrollArea();
    ScrollArea(const ScrollArea&) = delete;
    ScrollArea& operator=(const ScrollArea&) = delete;

    const Rect& viewport() const noexcept { return m_viewport; }
    // Screen y of content y 0 (moves as it scrolls).
    float contentTop() const noexcept { return m_contentTop; }

private:
    Ui& m_ui;
    TouchScroll& m_scroll;
    Rect m_viewport;
    float m_contentTop = 0;
};

// Lays out full-width rows down the current ImGui window, advancing ImGui's cursor so the window
// knows its content height.
class Flow {
public:
    Flow(float left, float width);
    float left() const noexcept { return m_left; }
    float width() const noexcept { return m_width; }
    float y() const;  // screen y of the next row
    // The next row, `height` tall and the flow's width (or `width` at the left edge).
    Rect take(float height);
    Rect take(float height, float width);
    void gap(float height);

private:
    float m_left;
    float m_width;
};

}  // namespace signpost::ui
