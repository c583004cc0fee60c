// Signpost UI — the on-screen keyboard, drawn by the app (ImGui 1.86 only raises
// io.WantTextInput; a kiosk has no system keyboard).
//
// Layouts: Text (the letters of the UI language's script, keyboard_layouts.h — Latin, Cyrillic,
// Arabic, Persian, Urdu, Sorani, Bengali, Gurmukhi — with a symbols page, a second page of
// letters (accented Latin: Polish ą ć ę ł ń ó ś ź ż, Romanian ă â î ș ț...; or a script's vowels,
// rarer letters and digits) and a key to Latin and back), Email (Latin, adds @ . _ .co.uk .com)
// and Phone (a big keypad with + and space). Shift (cased scripts only) is one-shot: it
// capitalises the next letter. Backspace repeats while held. Keys with words on them grow to fit
// their label (taken from the space bar), so "Gotowe" never wraps on a narrow portrait screen.
// It slides up from the bottom in ~0.18 s; KioskApp lays the screen out above it and scrolls the
// focused field into view, so it never covers that field.
//
// UiMap ids: keyboard.panel, keyboard.key.<c> (c = the unshifted character: a, 7, @, ą),
// keyboard.key.co_uk, keyboard.key.com, keyboard.shift, keyboard.symbols, keyboard.accents (the
// second page of letters), keyboard.latin (to Latin and back), keyboard.backspace, keyboard.space,
// keyboard.done.
// Thread-safety: UI thread only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ui/geometry.h"
#include "ui/keyboard_layouts.h"
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

    // The UI language (BCP 47) picks the Text layout's script; a change goes back to its letters.
    void setLanguage(std::string_view language);
    // The Text layout shows Latin letters instead of the language's own script.
    bool latin() const noexcept { return m_latin; }
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
    const ScriptKeyboard& active() const noexcept;

    KeyboardLayout m_layout = KeyboardLayout::Text;
    const ScriptKeyboard* m_script = &latinKeyboard();
    bool m_latin = false;
    Page m_page = Page::Letters;
    bool m_shift = false;
    bool m_shown = false;
    float m_slide = 0;  // 0 hidden .. 1 shown
    float m_nextRepeat = 0;
};

}  // namespace signpost::ui
