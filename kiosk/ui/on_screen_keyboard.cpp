#include "ui/on_screen_keyboard.h"

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
constexpr float kRowUnits = 11.0f;  // the widest row, in key widths
constexpr int kRows = 5;
}  // namespace

struct OnScreenKeyboard::Key {
    enum class Kind { Char, Insert, Shift, Symbols, Accents, Backspace, Space, Done };
    Kind kind = Kind::Char;
    std::string character;  // Char: the unshifted character; Insert: the text
    std::string id;
    float units = 1;
    const char* labelKey = nullptr;  // i18n key for keys labelled with words
};

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
        return {chars("123"), chars("456"), chars("789"),
                append(chars("+0"), {special(K::Backspace, "keyboard.backspace", 1)}),
                {special(K::Space, "keyboard.space", 1, textKey("keyboard.space")),
                 special(K::Done, "keyboard.done", 2, textKey("keyboard.done"))}};
    }
    const bool email = m_layout == KeyboardLayout::Email;
    std::vector<std::vector<Key>> result;
    switch (m_page) {
        case Page::Letters:
            result.push_back(chars("1234567890"));
            result.push_back(chars("qwertyuiop"));
            result.push_back(chars(email ? "asdfghjkl_" : "asdfghjkl'"));
            result.push_back(append(append(chars("zxcvbnm-"), {special(K::Shift, "keyboard.shift", 1.5f)}, true),
                                    {special(K::Backspace, "keyboard.backspace", 1.5f)}));
            if (email) {
                result.push_back({special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols")),
                                  chars("@")[0], chars(".")[0],
                                  insert(".co.uk", "keyboard.key.co_uk", 2),
                                  insert(".com", "keyboard.key.com", 2),
                                  special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done"))});
            } else {
                result.push_back({special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols")),
                                  special(K::Accents, "keyboard.accents", 1.5f, textKey("keyboard.accents")),
                                  special(K::Space, "keyboard.space", 4.5f, textKey("keyboard.space")),
                                  chars(".")[0], chars(",")[0],
                                  special(K::Done, "keyboard.done", 1.5f, textKey("keyboard.done"))});
            }
            break;
        case Page::Symbols:
            result.push_back(chars("1234567890"));
            result.push_back(chars("@#£€&*()/+"));
            result.push_back(chars("-_'\":;!?,."));
            result.push_back(append(chars("$%=~"), {special(K::Backspace, "keyboard.backspace", 1.5f)}));
            result.push_back({special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.letters")),
                              special(K::Accents, "keyboard.accents", 1.5f, textKey("keyboard.accents")),
                              special(K::Space, "keyboard.space", 4.5f, textKey("keyboard.space")),
                              special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done"))});
            break;
        case Page::Accents:
            result.push_back(chars("ąćęłńóśźż"));
            result.push_back(chars("áéíúñçüöä"));
            result.push_back(chars("àèìòùâêôß"));
            result.push_back(append(append(chars("ăîșțčšžő"), {special(K::Shift, "keyboard.shift", 1.5f)}, true),
                                    {special(K::Backspace, "keyboard.backspace", 1.5f)}));
            result.push_back({special(K::Symbols, "keyboard.symbols", 1.5f, textKey("keyboard.symbols")),
                              special(K::Accents, "keyboard.accents", 1.5f, textKey("keyboard.letters")),
                              special(K::Space, "keyboard.space", 4.5f, textKey("keyboard.space")),
                              special(K::Done, "keyboard.done", 2.5f, textKey("keyboard.done"))});
            break;
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
    const float unit = phone ? std::min(available / 3.0f, std::max(l.target * 2.5f, 240.0f * l.scale))
                             : std::min(available / kRowUnits, 150.0f * l.scale);
    const auto keyRows = rows();
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
            dl->AddRectFilled(ImVec2(face.x0, face.y0), ImVec2(face.x1, face.y1), fill, l.radius * 0.75f);
            dl->AddRect(ImVec2(face.x0, face.y0), ImVec2(face.x1, face.y1), p.border, l.radius * 0.75f,
                        ImDrawFlags_None, std::max(1.0f, l.border * 0.5f));
            const float iconSide = std::min(face.height(), face.width()) * 0.45f;
            const Rect iconBox = Rect::fromSize(face.centreX() - iconSide * 0.5f,
                                                face.centreY() - iconSide * 0.5f, iconSide, iconSide);
            const float thick = std::max(2.0f, l.border * 1.25f);
            switch (key.kind) {
                case Key::Kind::Char: {
                    const std::string label = m_shift ? utf8::toUpper(key.character) : key.character;
                    ui.text().drawCentred(dl, TextStyle::Heading, face, ink, label);
                    break;
                }
                case Key::Kind::Insert:
                    ui.text().drawCentred(dl, TextStyle::Bold, face, ink, key.character);
                    break;
                case Key::Kind::Shift: drawIcon(dl, Icon::Shift, iconBox, ink, thick); break;
                case Key::Kind::Backspace: drawIcon(dl, Icon::Backspace, iconBox, ink, thick); break;
                default: ui.text().drawCentred(dl, TextStyle::Bold, face.shrink(l.smallGap, 0), ink,
                                               ui.tr(key.labelKey));
            }

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
                    events.push_back({KeyEvent::Kind::Text,
                                      m_shift ? utf8::toUpper(key.character) : key.character});
                    m_shift = false;
                    break;
                case Key::Kind::Insert: events.push_back({KeyEvent::Kind::Text, key.character}); break;
                case Key::Kind::Shift: m_shift = !m_shift; break;
                case Key::Kind::Symbols:
                    m_page = m_page == Page::Symbols ? Page::Letters : Page::Symbols;
                    m_shift = false;
                    break;
                case Key::Kind::Accents:
                    m_page = m_page == Page::Accents ? Page::Letters : Page::Accents;
                    break;
                case Key::Kind::Backspace:
                    // A long hold already repeated; a tap deletes one character.
                    if (m_nextRepeat <= kRepeatDelay) {
                        events.push_back({KeyEvent::Kind::Backspace, {}});
                    }
                    break;
                case Key::Kind::Space: events.push_back({KeyEvent::Kind::Text, " "}); break;
                case Key::Kind::Done: events.push_back({KeyEvent::Kind::Done, {}}); break;
            }
        }
        y += keyHeight + l.smallGap;
    }
    return events;
}

}  // namespace signpost::ui
