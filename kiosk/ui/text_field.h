// Signpost UI — our own text field (not ImGui::InputText: in 1.86 an InputText loses its
// activation as soon as another widget, such as an on-screen key, is pressed).
//
// A field shows its text, a steady caret at the end when focused (no blinking: calmer, and no
// frames drawn while nobody types), the placeholder when empty, a counter when it has a cap worth
// showing, and a red outline when it has an error. Tapping it focuses it and raises the
// on-screen keyboard with the field's layout. Editing goes through a TextBinding, so the caps and
// the cleaning live with the data (KioskSession::typeText), not in the widget.
// Thread-safety: UI thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "ui/geometry.h"
#include "ui/on_screen_keyboard.h"
#include "ui/ui_context.h"

namespace signpost::ui {

class TouchScroll;

// How a field reads and changes its text. Each function must stay valid across frames (capture
// long-lived objects such as the session, never locals).
struct TextBinding {
    std::function<std::string_view()> value;
    std::function<bool(std::string_view)> type;  // false if (part of) it was refused
    std::function<bool()> erase;                 // removes the last character
    std::function<void()> finish;                // the field lost focus
};

struct TextFieldSpec {
    // Focus follows this key rather than the UiMap id, so one field drawn on two screens (the
    // search box on home and on results) keeps the keyboard across the change. "" = the id.
    std::string_view focusKey;
    KeyboardLayout keyboard = KeyboardLayout::Text;
    int lines = 1;  // >1: wraps, shows the last lines while typing
    std::string_view placeholder;
    std::size_t maxLength = 0;  // shown as "12 / 1000" when showCounter
    bool showCounter = false;
    bool error = false;  // outline in the error colour
};

// Which field has the keyboard, and where it was last drawn (so it can be kept above the
// keyboard). One per KioskApp.
class TextFocus {
public:
    bool active() const noexcept { return !m_id.empty(); }
    const std::string& id() const noexcept { return m_id; }
    KeyboardLayout keyboard() const noexcept { return m_keyboard; }
    TextBinding& binding() noexcept { return m_binding; }

    void focus(std::string id, TextBinding binding, KeyboardLayout keyboard);
    // Calls finish() and forgets the field.
    void blur();
    // Forgets without finish() (the session was reset).
    void drop();

    // Frame bookkeeping: a focused field that is not drawn in a frame loses focus.
    void beginFrame() noexcept { m_drawn = false; }
    bool drawnThisFrame() const noexcept { return m_drawn; }
    void markDrawn(const Rect& rect, TouchScroll* scroll, const Rect& viewport, float contentTop);

    // Lift the field above the keyboard at the next chance (focus taken, text typed).
    void requestReveal() noexcept { m_revealWanted = true; }
    // Scrolls the field's area so the field is visible; true if it asked the area to move.
    bool revealIfWanted(float margin);
    const Rect& lastRect() const noexcept { return m_rect; }

private:
    std::string m_id;
    TextBinding m_binding;
    KeyboardLayout m_keyboard = KeyboardLayout::Text;
    bool m_drawn = false;
    bool m_revealWanted = false;
    Rect m_rect;
    TouchScroll* m_scroll = nullptr;
    Rect m_viewport;
    float m_contentTop = 0;
};

// Height of a field for `spec` (at least one touch target).
float textFieldHeight(Ui& ui, const TextFieldSpec& spec);
// Draws the field at `rect`; a tap focuses it and shows the keyboard. `scroll`, `viewport` and
// `contentTop` are the scrolling area it sits in (nullptr when it does not scroll).
void textField(Ui& ui, TextFocus& focus, OnScreenKeyboard& keyboard, std::string_view id,
               const Rect& rect, const TextFieldSpec& spec, const TextBinding& binding,
               TouchScroll* scroll = nullptr, const Rect& viewport = {}, float contentTop = 0);

}  // namespace signpost::ui
