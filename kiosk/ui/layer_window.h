// Signpost UI — a borderless ImGui window covering a rectangle, used for the screen itself and
// for what lies on top of it (the keyboard, a chooser, the idle question).
//
// ImGui draws a window's child windows (our scrolling areas) after the window's own drawing, so
// anything that must cover scrolled content needs a window of its own, kept in front. These
// windows take no ImGui input (we hit-test ourselves, ui_context.h), so ImGui never reorders them.
// Thread-safety: UI thread only.
#pragma once

#include <vector>

#include "ui/geometry.h"

struct ImGuiWindow;

namespace signpost::ui {

class LayerWindow {
public:
    // `front`: move it in front of every other window (overlays). `opaque`: fill with the style's
    // window background.
    LayerWindow(const char* name, const Rect& rect, bool front, bool opaque = false);
    ~LayerWindow();
    LayerWindow(const LayerWindow&) = delete;
    LayerWindow& operator=(const LayerWindow&) = delete;
    // The ImGui window (for mirroring it once drawn).
    ImGuiWindow* window() const noexcept { return m_window; }

private:
    ImGuiWindow* m_window = nullptr;
};

// Mirrors what `roots` and their child windows (scrolling areas) drew this frame about the
// vertical line x = width / 2: every vertex and clip rectangle. Call after they have ended and
// before ImGui::Render(). Right-to-left languages (KioskApp).
void mirrorWindows(const std::vector<ImGuiWindow*>& roots, float width);

}  // namespace signpost::ui
