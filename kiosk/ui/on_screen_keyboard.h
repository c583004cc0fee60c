// Signpost UI — the on-screen keyboard, drawn by the app (ImGui 1.86 only raises
// io.WantTextInput; a kiosk has no system keyboard).
//
// Layouts: Text (letters, digits, ' and -, a symbols page and an accents page with the letters
// Manchester's communities type most: Polish ą ć ę ł ń ó ś ź ż, Romanian ă î ș ț, and common
// Western European ones), Email (adds @ . _ .co.uk .com) and Phone (a big keypad with + and
// space). Shift is one-shot: it capitalises the next letter. Backspace repeats while held.
// It slides up from the bottom in ~0.18 s; KioskApp lays the screen out above it and scrolls the
// focused field into view, so it never covers that field.
//
// UiMap ids: keyboard.panel, keyboard.key.<c> (c = the unshifted character: a, 7, @, ą),
// keyboard.key.co_uk, keyboard.key.com, keyboard.shift, keyboard.symbols, keyboard.accents,
// keyboard.backspace, keyboard.space, keyboard.done.
// Thread-safety: UI thread only.
#pragma once

#include <string>
#include <vector>

#include "ui/geometry.h"
#include "ui/ui_context.h"

namespace signpost::ui {

enum class KeyboardLayout { Text, Email, Phone };

struct KeyEvent {
    enum class Kind { Text, Backspace, Done } kind = Kind::Text;
    std::string text;  // for Kind::Text: what to insert (already shifted)
};

class OnScreenKeyboard {
public:
    enum class Page { Letters, Symbols, Accents };

    void show(KeyboardLayout layout);
    void hide();
    void reset();  // hidden at once, letters page, shift off
    bool shown() const noexcept { return m_shown; }
    // Drawn this frame: shown, or still sliding out.
    bool visible() const noexcept { return m_slide > 0 || m_shown; }
    KeyboardLayout layout() const noexcept { return m_layout; }
    Page page() const noexcept { return m_page; }
    bool shiftOn() const noexcept { return m_shift; }
    bool isAnimating() const noexcept;

    // Height of the panel fully shown.
    float panelHeight(const Layout& layout) const;
    // Moves the slide on by `dt` seconds.
    void advance(float dt);
    // Where the panel is drawn now (bottom-anchored in `screen`).
    Rect panelRect(const Layout& layout, const Rect& screen) const;
    // Draws the panel and returns the keys pressed this frame.
    std::vector<KeyEvent> draw(Ui& ui, const Rect& screen);

private:
    struct Key;
    std::vector<std::vector<Key>> rows() const;

    KeyboardLayout m_layout = KeyboardLayout::Text;
    Page m_page = Page::Letters;
    bool m_shift = false;
    bool m_shown = false;
    float m_slide = 0;  // 0 hidden .. 1 shown
    float m_nextRepeat = 0;
};

}  // namespace signpost::ui
