#include "ui/on_screen_keyboard.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>

#include "core/common/utf8.h"
#include "ui/icons.h"
#include "ui/text.h"

namespace signpost::ui {

namespace {
constexpr float kSlideSeconds = 0.18f;
constexpr float kRepeatDelay = 0.5f;
constexpr float kRepeatInterval = 0.08f;
constexpr float kRowUnits = 11.0f;     // the widest Latin row, in key widths
constexpr float kMinimumSpace = 2.0f;  // the space bar gives way to labels down to this
constexpr int kRows = 5;

// Capitals of any cased script (ICU: Cyrillic too); ß stays ß.
std::string upper(std::string_view text) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const char32_t cp = utf8::next(text, at);
        utf8::append(out,
                     cp == U'ß' ? cp : static_cast<char32_t>(u_toupper(static_cast<UChar32>(cp))));
    }
    return out;
}
}  // namespace

struct OnScreenKeyboard::Key {
    enum class Kind { Char, Insert, Shift, Symbols, Accents, Latin, Backspace, Space, Done };
    Kind kind = Kind::Char;
    std::string character;  // Char: the unshifted character; Insert: the text
    std::string id;
    float units = 1;
    const char* labelKey = nullptr;  // i18n key for keys labelled with words
    std::string label;               // or a literal label (a script's sample letters)
};

const ScriptKeyboard& OnScreenKeyboard::active() const noexcept {
    return m_latin || m_layout == KeyboardLayout::Email ? latinKeyboard() : *m_script;
}

void OnScreenKeyboard::setLanguage(std::string_view language) {
    const ScriptKeyboard* script = &scriptKeyboardFor(language);
    if (script != m_script) {
        m_script = script;
        m_latin = false;
        m_page = Page::Letters;
        m_shift = false;
    }
}

std::vector<std::vector<OnScreenKeyboard::Key>> OnScreenKeyboard::rows() const {
    using K = Key::Kind;
    auto chars = [](std::string_view list) {
        std::vector<Key> row;
        for (std::size_t at = 0; at < list.size();) {
            const std::size_t start = at;
            utf8::next(list, at);
            Key key;
            key.character = std::string(list.substr(start, at - start));
            key.id = "keyboard.key." + key.character;
            row.push_back(std::move(key));
        }
        return row;
    };
    auto special = [](K kind, const char* id, float units, const char* labelKey = nullptr) {
        Key key;
        key.kind = kind;
        key.id = id;
        key.units = units;
        key.labelKey = labelKey;
        return key;
    };
    auto insert = [](const char* text, const char* id, float units) {
        Key key;
        key.kind = K::Insert;
        key.character = text;
        key.id = id;
        key.units = units;
        return key;
    };
    auto append = [](std::vector<Key> row, std::initializer_list<Key> more, bool front = false) {
        if (front) {
            row.insert(row.begin(), more);
        } else {
            row.insert(row.end(), more);
        }
        return row;
    };

    if (m_layout == KeyboardLayout::Phone) {
        return {chars("123"),
                chars("456"),
                chars("789"),
                append(chars("+0"), {special(K::Backspace, "keyboard.backspace", 1)}),
                {special(K::Space, "keyboard.space", 1, textKey("keyboard.space")),
                 special(K::Done, "keyboard.done", 2, textKey("keyboard.done"))}};
    }
    const bool email = m_layout == KeyboardLayout::Email;
    const ScriptKeyboard& layout = active();
    const bool ownScript = m_script != &latinKeyboard() && !email;
    // The key to the second page of letters, and back.
    auto more = [&](bool onMore) {
        Key key = special(K::Accents, "keyboard.accents", 1.5f);
        if (onMore) {
            if (m_latin || m_script == &latinKeyboard()) {
                key.labelKey = textKey("keyboard.letters");
            } else {
                key.label = m_script->switchLabel;
            }
        } else if (layout.moreLabel[0] != 0) {
            key.label = layout.moreLabel;
        } else {
            key.labelKey = textKey("keyboard.accents");
        }
        return key;
    };
    // The key to Latin (on a script's keyboard) and back to the script (on Latin).
    auto latinSwitch = [&] {
        Key key = special(K::Latin, "keyboard.latin", 1.5f);
        if (m_latin) {
            key.label = m_script->switchLabel;
        } else {
            key.labelKey = textKey("keyboard.latin");
        }
        return key;
    };
    // Letter rows, the last one between Shift (cased scripts) and Backspace.
    auto letterRows = [&](const std::vector<std::string_view>& source, bool emailRows) {
        std::vector<std::vector<Key>> result;
        for (std::size_t i = 0; i < source.size(); ++i) {
            std::string row(source[i]);
            if (emailRows && row == "asdfghjkl'") {
                row = "asdfghjkl_";
            }
            result.push_back(chars(row));
        }
        if (!result.empty()) {
            if (layout.cased) {
                result.back().insert(result.back().begin(),
                                     special(K::Shift, "keyboard.shift", 1.5f));
            }
            result.back().push_back(special(K::Backspace, "keyboard.backspace", 1.5f));
        }
        return result;
    };
    auto bottom = [&](std::vector<Key> keys) {
        // The space bar takes what the other keys leave of a Latin row's width.
        float used = 0;
        for (const Key& key : keys) {
            used += key.units;
        }
        for (Key& key : keys) {
            if (key.kind == K::Space) {
                key.units = std::max(kMinimumSpace, kRowUnits - (used - key.units));
            }
        }
        return keys;
    };
    const Key space = special(K::Space, "keyboard.space", 4.5f, textKey("keyboard.space"));
    std::vector<std::vector<Key>> result;
    switch (m_page) {
        case Page::Letters:
            result = letterRows(layout.letters, email);
            if (email) {
                result.push_back(
                    {special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols")),
                     chars("@")[0], chars(".")[0], insert(".co.uk", "keyboard.key.co_uk", 2),
                     insert(".com", "keyboard.key.com", 2),
                     special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done"))});
            } else {
                std::vector<Key> keys{
                    special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols"))};
                if (ownScript) {
                    keys.push_back(latinSwitch());
                }
                if (!layout.more.empty()) {
                    keys.push_back(more(false));
                }
                keys.push_back(space);
                if (!ownScript || m_latin) {
                    keys.push_back(chars(".")[0]);
                    keys.push_back(chars(",")[0]);
                }
                keys.push_back(special(K::Done, "keyboard.done", 1.5f, textKey("keyboard.done")));
                result.push_back(bottom(std::move(keys)));
            }
            break;
        case Page::Symbols: {
            result.push_back(chars("1234567890"));
            result.push_back(chars("@#£€&*()/+"));
            result.push_back(chars("-_'\":;!?,."));
            result.push_back(
                append(chars("$%=~"), {special(K::Backspace, "keyboard.backspace", 1.5f)}));
            std::vector<Key> keys{
                special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.letters"))};
            if (!layout.more.empty() && !email) {
                keys.push_back(more(false));
            }
            keys.push_back(space);
            keys.push_back(special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done")));
            result.push_back(bottom(std::move(keys)));
            break;
        }
        case Page::Accents: {
            result = letterRows(layout.more, false);
            std::vector<Key> keys{
                special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols")),
                more(true), space,
                special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done"))};
            result.push_back(bottom(std::move(keys)));
            break;
        }
    }
    while (result.size() < static_cast<std::size_t>(kRows)) {
        result.insert(result.begin(), std::vector<Key>{});  // fewer letter rows: keep the height
    }
    return result;
}

void OnScreenKeyboard::show(KeyboardLayout layout) {
    if (!m_shown || m_layout != layout) {
        m_page = Page::Letters;
        m_shift = false;
    }
    m_layout = layout;
    m_shown = true;
}

void OnScreenKeyboard::hide() {
    m_shown = false;
    m_shift = false;
}

void OnScreenKeyboard::reset() {
    m_shown = false;
    m_slide = 0;
    m_page = Page::Letters;
    m_shift = false;
}

bool OnScreenKeyboard::isAnimating() const noexcept {
    return (m_shown && m_slide < 1) || (!m_shown && m_slide > 0);
}

void OnScreenKeyboard::advance(float dt) {
    const float step = dt / kSlideSeconds;
    m_slide = m_shown ? std::min(1.0f, m_slide + step) : std::max(0.0f, m_slide - step);
}

float OnScreenKeyboard::panelHeight(const Layout& layout) const {
    const float keyHeight = std::max(layout.target, layout.bodySize * 1.5f);
    return kRows * keyHeight + (kRows - 1) * layout.smallGap + layout.gap * 2;
}

Rect OnScreenKeyboard::panelRect(const Layout& layout, const Rect& screen) const {
    const float t = m_slide;
    const float eased = 1 - (1 - t) * (1 - t);
    const float height = panelHeight(layout);
    const float top = screen.y1 - height * eased;
    return Rect{screen.x0, top, screen.x1, top + height};
}

std::vector<KeyEvent> OnScreenKeyboard::draw(Ui& ui, const Rect& screen) {
    std::vector<KeyEvent> events;
    if (!visible()) {
        return events;
    }
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    ImDrawList* dl = ui.drawList();
    const Rect panel = panelRect(l, screen);
    dl->AddRectFilled(ImVec2(panel.x0, panel.y0), ImVec2(panel.x1, panel.y1), p.keyboard);
    dl->AddLine(ImVec2(panel.x0, panel.y0), ImVec2(panel.x1, panel.y0), p.border, l.border);
    ui.registerElement("keyboard.panel", panel);
    if (isAnimating()) {
        ui.requestAnimationFrame();
    }

    const float keyHeight = std::max(l.target, l.bodySize * 1.5f);
    const bool phone = m_layout == KeyboardLayout::Phone;
    const float available = panel.width() - l.gap * 2;
    // Keys no wider than needed: a 1920-wide keyboard would make people stretch.
    auto keyRows = rows();
    float unit = phone ? std::min(available / 3.0f, std::max(l.target * 2.5f, 240.0f * l.scale))
                       : std::min(available / kRowUnits, 150.0f * l.scale);
    // Keys labelled with words grow to their label, taking from the space bar; then the unit
    // shrinks if a row is still wider than the panel (a 12-letter Arabic row).
    auto labelOf = [&](const Key& key) -> std::string {
        return key.labelKey != nullptr ? std::string(ui.tr(key.labelKey)) : key.label;
    };
    // The label's own padding (the key's gap and inset), and the slack buttons keep so rounding
    // never wraps a label that was measured to fit.
    const float labelPadding = l.smallGap * 3 + 2.0f;
    for (int pass = 0; pass < 6 && !phone; ++pass) {
        float widest = 0;
        for (auto& row : keyRows) {
            float grown = 0;
            for (Key& key : row) {
                const std::string label = labelOf(key);
                if (key.kind == Key::Kind::Space || label.empty()) {
                    continue;
                }
                const float needed =
                    (ui.text().width(TextStyle::Bold, label) + labelPadding) / unit;
                if (needed > key.units) {
                    grown += needed - key.units;
                    key.units = needed;
                }
            }
            for (Key& key : row) {
                if (key.kind == Key::Kind::Space && grown > 0) {
                    // ... but not below its own label ("meel bannaan", Somali's "space").
                    const float floor = std::max(
                        kMinimumSpace,
                        (ui.text().width(TextStyle::Bold, labelOf(key)) + labelPadding) / unit);
                    const float give = std::min(grown, std::max(0.0f, key.units - floor));
                    key.units -= give;
                    grown -= give;
                }
            }
            float units = 0;
            for (const Key& key : row) {
                units += key.units;
            }
            widest = std::max(widest, units);
        }
        unit = std::min(unit, available / std::max(widest, 1.0f));
    }
    float y = panel.y0 + l.gap;
    const bool canTake = m_shown;  // a sliding-out keyboard takes no presses
    for (const auto& row : keyRows) {
        float units = 0;
        for (const Key& key : row) {
            units += key.units;
        }
        float x = panel.centreX() - units * unit * 0.5f;
        for (const Key& key : row) {
            const Rect cell = Rect::fromSize(x, y, key.units * unit, keyHeight);
            const Rect face = cell.shrink(l.smallGap * 0.5f, 0);
            x += key.units * unit;
            const Interaction in = ui.interact(key.id, face, canTake);
            const bool isChar = key.kind == Key::Kind::Char || key.kind == Key::Kind::Insert;
            const bool active = (key.kind == Key::Kind::Shift && m_shift);
            ImU32 fill = isChar || key.kind == Key::Kind::Space ? p.key : p.keySpecial;
            ImU32 ink = p.onKey;
            if (key.kind == Key::Kind::Done || active) {
                fill = p.primary;
                ink = p.onPrimary;
            }
            if (in.held) {
                fill = p.surfaceSunken;
                ink = p.text;
            }
            dl->AddRectFilled(ImVec2(face.x0, face.y0), ImVec2(face.x1, face.y1), fill,
                              l.radius * 0.75f);
            dl->AddRect(ImVec2(face.x0, face.y0), ImVec2(face.x1, face.y1), p.border,
                        l.radius * 0.75f, ImDrawFlags_None, std::max(1.0f, l.border * 0.5f));
            const float iconSide = std::min(face.height(), face.width()) * 0.45f;
            const Rect iconBox =
                Rect::fromSize(face.centreX() - iconSide * 0.5f, face.centreY() - iconSide * 0.5f,
                               iconSide, iconSide);
            const float thick = std::max(2.0f, l.border * 1.25f);
            ui.text().pushContainer(face);
            switch (key.kind) {
                case Key::Kind::Char: {
                    const std::string label = m_shift ? upper(key.character) : key.character;
                    // Letters are drawn large, unless the script's letters would not fit the key
                    // at that size (Urdu's Nastaliq at the larger text sizes).
                    const Rect room = face.shrink(l.smallGap * 0.5f, l.smallGap * 0.5f);
                    TextStyle style = TextStyle::Heading;
                    for (TextStyle smaller : {TextStyle::Bold, TextStyle::Small}) {
                        const Rect letter = ui.text().inkBounds(style, label);
                        if (letter.width() <= room.width() && letter.height() <= room.height()) {
                            break;
                        }
                        style = smaller;
                    }
                    ui.text().drawCentred(dl, style, face, ink, label);
                    break;
                }
                case Key::Kind::Insert:
                    ui.text().drawCentred(dl, TextStyle::Bold, face, ink, key.character);
                    break;
                case Key::Kind::Shift:
                    drawIcon(dl, Icon::Shift, iconBox, ink, thick);
                    break;
                case Key::Kind::Backspace:
                    drawIcon(dl, Icon::Backspace, iconBox, ink, thick);
                    break;
                default: {
                    // A word label too wide for its key on one line (the phone keypad's fixed
                    // keys, large text) is set smaller rather than wrapped out of the key.
                    const Rect labelBox = face.shrink(l.smallGap, 0);
                    const std::string label = labelOf(key);
                    const TextStyle style =
                        ui.text().width(TextStyle::Bold, label) <= labelBox.width()
                            ? TextStyle::Bold
                            : TextStyle::Small;
                    ui.text().drawCentred(dl, style, labelBox, ink, label);
                }
            }
            ui.text().popContainer();

            if (key.kind == Key::Kind::Backspace) {
                // Held backspace repeats after a pause, like every phone keyboard.
                const float held = ui.heldSeconds(key.id);
                if (held >= kRepeatDelay) {
                    if (held >= m_nextRepeat) {
                        events.push_back({KeyEvent::Kind::Backspace, {}});
                        m_nextRepeat = held + kRepeatInterval;
                    }
                    ui.requestAnimationFrame();
                } else if (held >= 0) {
                    m_nextRepeat = kRepeatDelay;
                    ui.requestAnimationFrame();
                }
            }
            if (!in.clicked) {
                continue;
            }
            switch (key.kind) {
                case Key::Kind::Char:
                    events.push_back(
                        {KeyEvent::Kind::Text, m_shift ? upper(key.character) : key.character});
                    m_shift = false;
                    break;
                case Key::Kind::Insert:
                    events.push_back({KeyEvent::Kind::Text, key.character});
                    break;
                case Key::Kind::Shift:
                    m_shift = !m_shift;
                    break;
                case Key::Kind::Symbols:
                    m_page = m_page == Page::Symbols ? Page::Letters : Page::Symbols;
                    m_shift = false;
                    break;
                case Key::Kind::Accents:
                    m_page = m_page == Page::Accents ? Page::Letters : Page::Accents;
                    break;
                case Key::Kind::Latin:
                    m_latin = !m_latin;
                    m_page = Page::Letters;
                    m_shift = false;
                    break;
                case Key::Kind::Backspace:
                    // A long hold already repeated; a tap deletes one character.
                    if (m_nextRepeat <= kRepeatDelay) {
                        events.push_back({KeyEvent::Kind::Backspace, {}});
                    }
                    break;
                case Key::Kind::Space:
                    events.push_back({KeyEvent::Kind::Text, " "});
                    break;
                case Key::Kind::Done:
                    events.push_back({KeyEvent::Kind::Done, {}});
                    break;
            }
        }
        y += keyHeight + l.smallGap;
    }
    return events;
}

}  // namespace signpost::ui
