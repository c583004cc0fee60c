#include "ui/text_field.h"

#include <algorithm>
#include <vector>

#include "core/common/utf8.h"
#include "ui/touch_scroll.h"

namespace signpost::ui {

void TextFocus::focus(std::string id, TextBinding binding, KeyboardLayout keyboard) {
    if (m_id == id) {
        m_revealWanted = true;
        return;
    }
    blur();
    m_id = std::move(id);
    m_binding = std::move(binding);
    m_keyboard = keyboard;
    m_revealWanted = true;
    m_drawn = false;
    m_scroll = nullptr;
}

void TextFocus::blur() {
    if (m_id.empty()) {
        return;
    }
    if (m_binding.finish) {
        m_binding.finish();
    }
    drop();
}

void TextFocus::drop() {
    m_id.clear();
    m_binding = {};
    m_scroll = nullptr;
    m_revealWanted = false;
}

void TextFocus::markDrawn(const Rect& rect, TouchScroll* scroll, const Rect& viewport,
                          float contentTop) {
    m_drawn = true;
    m_rect = rect;
    m_scroll = scroll;
    m_viewport = viewport;
    m_contentTop = contentTop;
}

bool TextFocus::revealIfWanted(float margin) {
    if (!m_revealWanted || !m_drawn) {
        return false;
    }
    m_revealWanted = false;
    if (m_scroll == nullptr) {
        return false;
    }
    const float top = m_rect.y0 - m_contentTop;
    const float bottom = m_rect.y1 - m_contentTop;
    const float before = m_scroll->offset();
    m_scroll->reveal(top, bottom, m_viewport.height(), margin);
    return m_scroll->isMoving() || m_scroll->offset() != before;
}

namespace {

float fieldPadding(const Ui& ui) {
    return std::max(ui.layout().gap, ui.layout().bodySize * 0.45f);
}

}  // namespace

float textFieldHeight(Ui& ui, const TextFieldSpec& spec) {
    const float lines = static_cast<float>(std::max(1, spec.lines));
    float height = (lines - 1) * ui.text().lineHeight(TextStyle::Body) +
                   ui.text().size(TextStyle::Body) + fieldPadding(ui) * 2;
    if (spec.showCounter) {
        height += ui.text().size(TextStyle::Small) + ui.layout().smallGap;
    }
    return std::max(ui.layout().target * 1.1f, height);
}

void textField(Ui& ui, TextFocus& focus, OnScreenKeyboard& keyboard, std::string_view id,
               const Rect& rect, const TextFieldSpec& spec, const TextBinding& binding,
               TouchScroll* scroll, const Rect& viewport, float contentTop) {
    const Interaction in = ui.interact(id, rect);
    const std::string_view key = spec.focusKey.empty() ? id : spec.focusKey;
    const bool focused = focus.id() == key;
    if (focused) {
        focus.binding() = binding;  // fresh functions, same meaning
        focus.markDrawn(rect, scroll, viewport, contentTop);
    }
    if (in.clicked) {
        const std::string fieldId(key);
        const KeyboardLayout layout = spec.keyboard;
        ui.defer([&focus, &keyboard, fieldId, binding, layout] {
            focus.focus(fieldId, binding, layout);
            keyboard.show(layout);
        });
    }

    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1),
                      in.held ? p.surfaceSunken : p.surface, l.radius * 0.75f);
    const ImU32 outline = spec.error ? p.error : focused ? p.focus : p.border;
    const float outlineWidth = focused || spec.error ? l.border * 2 : l.border;
    dl->AddRect(ImVec2(rect.x0 + outlineWidth * 0.5f, rect.y0 + outlineWidth * 0.5f),
                ImVec2(rect.x1 - outlineWidth * 0.5f, rect.y1 - outlineWidth * 0.5f), outline,
                l.radius * 0.75f, ImDrawFlags_None, outlineWidth);

    const float pad = fieldPadding(ui);
    Rect inner = rect.shrink(pad);
    if (spec.showCounter) {
        inner.y1 -= ui.text().size(TextStyle::Small) + l.smallGap;
    }
    const std::string_view value = binding.value ? binding.value() : std::string_view{};
    Text& text = ui.text();
    const float size = text.size(TextStyle::Body);
    const float caretWidth = std::max(2.0f, l.border * 1.25f);
    dl->PushClipRect(ImVec2(rect.x0 + outlineWidth, rect.y0 + outlineWidth),
                     ImVec2(rect.x1 - outlineWidth, rect.y1 - outlineWidth), true);
    float caretX = inner.x0;
    float caretY = inner.y0;
    if (value.empty()) {
        if (!spec.placeholder.empty()) {
            text.drawEllipsis(dl, TextStyle::Body,
                              ImVec2(inner.x0 + (focused ? caretWidth * 3 : 0), inner.y0),
                              p.textMuted, spec.placeholder, inner.width() - caretWidth * 3);
        }
    } else if (spec.lines <= 1) {
        // One line: when the text is wider than the field, show its end, where the caret is.
        const float w = text.width(TextStyle::Body, value);
        const float shift = std::max(0.0f, w + caretWidth * 2 - inner.width());
        text.draw(dl, TextStyle::Body, ImVec2(inner.x0 - shift, inner.y0), p.text, value);
        caretX = inner.x0 - shift + w;
    } else {
        const std::vector<std::string_view> lines =
            text.wrap(TextStyle::Body, value, inner.width() - caretWidth * 2);
        const std::size_t visible = static_cast<std::size_t>(spec.lines);
        const std::size_t first = lines.size() > visible ? lines.size() - visible : 0;
        float y = inner.y0;
        for (std::size_t i = first; i < lines.size(); ++i) {
            text.draw(dl, TextStyle::Body, ImVec2(inner.x0, y), p.text, lines[i]);
            caretX = inner.x0 + text.width(TextStyle::Body, lines[i]);
            caretY = y;
            y += text.lineHeight(TextStyle::Body);
        }
    }
    if (focused) {
        dl->AddRectFilled(ImVec2(caretX + caretWidth * 0.5f, caretY),
                          ImVec2(caretX + caretWidth * 1.5f, caretY + size), p.focus);
    }
    dl->PopClipRect();
    if (spec.showCounter && spec.maxLength > 0) {
        const std::string counter =
            std::to_string(utf8::count(value)) + " / " + std::to_string(spec.maxLength);
        const float w = text.width(TextStyle::Small, counter);
        text.draw(dl, TextStyle::Small,
                  ImVec2(rect.x1 - pad - w, rect.y1 - pad * 0.5f - text.size(TextStyle::Small)),
                  p.textMuted, counter);
    }
}

}  // namespace signpost::ui
