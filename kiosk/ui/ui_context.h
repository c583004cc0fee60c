// Signpost UI — what every widget shares during one frame: the pointer (one finger), which
// element the finger went down on, where input may land (layers, clipping, blockers), the UiMap,
// the layout, palette and text, and the queue of intents the frame produced.
//
// Touch rules (FACTS: ImGui 1.86 has no touch model, so this is ours):
// - An element is pressed when the finger goes down *and* comes up on it having moved less than
//   Layout::tapSlop. A finger that moves further is a drag: it scrolls (touch_scroll.h) and
//   presses nothing, whatever is under it when it lifts.
// - A touch that stops a moving (flung) list only stops it; it presses nothing.
// - Only the top layer takes input (0 = the screen and keyboard, 1 = a chooser, 2 = the idle
//   question); elements of lower layers are drawn but neither pressed nor put in the UiMap.
// - Right-to-left languages: a layer drawn with setMirrored(true) is flipped as a whole after the
//   frame; the map and hit tests follow it (see setMirrored).
// - Intents are deferred: widgets queue them and KioskApp applies them after the frame is drawn,
//   so every frame draws one consistent state.
//
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/geometry.h"
#include "ui/layout.h"
#include "ui/text.h"
#include "ui/theme.h"

namespace signpost {
class I18n;
}

namespace signpost::ui {

class UiMap;

using SteadyClock = std::chrono::steady_clock;

// Marks a string literal as an i18n key where it is not passed straight to tr()/format() (key
// tables), so tests/i18n_coverage_test.cpp finds it and proves it exists in en.json.
constexpr const char* textKey(const char* key) noexcept {
    return key;
}

struct PointerState {
    ImVec2 position{-1, -1};
    bool down = false;
    bool pressed = false;   // went down this frame
    bool released = false;  // came up this frame
    ImVec2 downPosition{-1, -1};
    SteadyClock::time_point downTime{};
    bool dragging = false;    // moved beyond the tap slop since it went down
    bool suppressed = false;  // this touch only stopped a fling
};

struct Interaction {
    bool clicked = false;  // a tap completed on the element this frame
    bool held = false;     // the finger is on it now (draw it pressed)
};

class Ui {
public:
    Ui(UiMap& map, Text& text, I18n& i18n);

    // Starts a frame: pointer from the ImGui IO state of this frame.
    void beginFrame(const Layout& layout, const Palette& palette, ImVec2 pointerPosition,
                    bool pointerDown, SteadyClock::time_point now);
    // Ends a frame: forgets the pressed element once the finger is up.
    void endFrame();

    const Layout& layout() const noexcept { return m_layout; }
    const Palette& palette() const noexcept { return *m_palette; }
    Text& text() noexcept { return m_text; }
    I18n& i18n() noexcept { return m_i18n; }
    UiMap& map() noexcept { return m_map; }
    ImDrawList* drawList() const;
    const PointerState& pointer() const noexcept { return m_pointer; }
    SteadyClock::time_point now() const noexcept { return m_now; }
    float deltaSeconds() const noexcept { return m_dt; }

    // Texts, shortcuts to I18n. format() and formatPlural() isolate each value (FSI … PDI): a
    // phone number, reference or address keeps its own direction in a right-to-left sentence.
    // For display only: texts that leave the screen (a QR code) use I18n::format.
    const char* tr(std::string_view key) const;
    std::string format(
        std::string_view key,
        std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;
    // A text holding the number `count`, in the plural form its language needs
    // (I18n::formatPlural).
    std::string formatPlural(
        std::string_view key, long long count,
        std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;

    // --- Mirroring (right-to-left languages) ----------------------------------------------------
    // The layer drawn next will be mirrored (x → width − x) by KioskApp once the frame is drawn.
    // Widgets keep drawing at their left-to-right places; the UiMap gets the mirrored rectangles,
    // hit tests mirror the finger, text and shape-keeping icons are emitted pre-mirrored.
    void setMirrored(bool mirrored);
    bool mirrored() const noexcept { return m_mirrored; }
    // A rectangle given where it must appear on the glass → where to draw it in this layer.
    Rect physical(const Rect& rect) const noexcept;

    // --- Where input may land ------------------------------------------------------------------
    void setTopLayer(int layer) noexcept { m_topLayer = layer; }
    void setLayer(int layer) noexcept { m_layer = layer; }
    bool layerActive() const noexcept { return m_layer == m_topLayer; }
    void pushClip(const Rect& rect);
    void popClip();
    Rect clip() const noexcept;
    // Rects that cover the content (the sliding keyboard); only while `on` (content drawing).
    void setBlockers(std::vector<Rect> blockers) { m_blockers = std::move(blockers); }
    void clearBlockers() { m_blockers.clear(); }
    // True if the pointer position could reach `rect` in the current layer and clip.
    bool reachable(const Rect& rect, ImVec2 point) const;

    // --- Elements ------------------------------------------------------------------------------
    // Registers `id` at `rect` (clipped) in the UiMap and handles tap/press for it.
    Interaction interact(std::string_view id, const Rect& rect, bool enabled = true);
    // Registers without interaction (panels the tests locate, such as "keyboard.panel").
    void registerElement(std::string_view id, const Rect& rect, bool enabled = true);
    // Seconds the finger has been held on `id` without dragging; < 0 when it is not.
    float heldSeconds(std::string_view id) const;
    // A drag started or a list took over: nothing under the finger may be pressed now.
    void cancelPress() { m_activeId.clear(); }
    // This touch only stopped a moving list.
    void suppressPress() {
        m_pointer.suppressed = true;
        m_activeId.clear();
    }
    bool isActive(std::string_view id) const noexcept { return m_activeId == id; }

    // --- Intents and redraws -------------------------------------------------------------------
    void defer(std::function<void()> action) { m_actions.push_back(std::move(action)); }
    std::vector<std::function<void()>> takeActions();
    // Something moves: the shell must draw another frame soon.
    void requestAnimationFrame() noexcept { m_animating = true; }
    bool animationRequested() const noexcept { return m_animating; }

private:
    UiMap& m_map;
    Text& m_text;
    I18n& m_i18n;
    Layout m_layout;
    const Palette* m_palette = nullptr;
    PointerState m_pointer;
    SteadyClock::time_point m_now{};
    float m_dt = 0;
    bool m_hadFrame = false;
    int m_topLayer = 0;
    int m_layer = 0;
    std::vector<Rect> m_clips;
    std::vector<Rect> m_blockers;
    std::string m_activeId;
    std::vector<std::function<void()>> m_actions;
    bool m_animating = false;
    bool m_mirrored = false;
};

}  // namespace signpost::ui
