#include "ui/ui_context.h"

#include <algorithm>
#include <cmath>

#include "core/i18n/i18n.h"
#include "ui/icons.h"
#include "ui/ui_map.h"

namespace signpost::ui {

Ui::Ui(UiMap& map, Text& text, I18n& i18n) : m_map(map), m_text(text), m_i18n(i18n) {}

void Ui::beginFrame(const Layout& layout, const Palette& palette, ImVec2 pointerPosition,
                    bool pointerDown, SteadyClock::time_point now) {
    m_layout = layout;
    m_palette = &palette;
    m_text.setLayout(layout);
    // Frames may be far apart (render on demand): animations step by at most 1/15 s.
    m_dt = m_hadFrame
               ? std::clamp(std::chrono::duration<float>(now - m_now).count(), 0.0f, 1.0f / 15)
               : 0.0f;
    m_now = now;
    m_hadFrame = true;
    m_animating = false;
    m_clips.clear();
    m_clips.push_back(Rect{0, 0, layout.width, layout.height});
    m_blockers.clear();
    m_layer = 0;
    setMirrored(false);

    const bool wasDown = m_pointer.down;
    m_pointer.position = pointerPosition;
    m_pointer.down = pointerDown;
    m_pointer.pressed = pointerDown && !wasDown;
    m_pointer.released = !pointerDown && wasDown;
    if (m_pointer.pressed) {
        m_pointer.downPosition = pointerPosition;
        m_pointer.downTime = now;
        m_pointer.dragging = false;
        m_pointer.suppressed = false;
        m_activeId.clear();
    }
    if (m_pointer.down && !m_pointer.dragging) {
        const float dx = pointerPosition.x - m_pointer.downPosition.x;
        const float dy = pointerPosition.y - m_pointer.downPosition.y;
        if (std::sqrt(dx * dx + dy * dy) > layout.tapSlop) {
            m_pointer.dragging = true;
            m_activeId.clear();
        }
    }
}

void Ui::endFrame() {
    if (!m_pointer.down) {
        m_activeId.clear();
    }
    m_pointer.pressed = false;
    m_pointer.released = false;
}

ImDrawList* Ui::drawList() const {
    return ImGui::GetWindowDrawList();
}

const char* Ui::tr(std::string_view key) const {
    return m_i18n.tr(key);
}

namespace {

// `text` with each "{name}" replaced by its value, isolated (FSI … PDI, UAX #9): a phone number,
// a reference or a web address keeps its own direction inside a right-to-left sentence, and a
// value cannot turn that sentence around.
std::string substituteIsolated(
    std::string text, std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + std::string(name) + "}";
        const std::string isolated =
            value.empty() ? std::string() : "\xE2\x81\xA8" + std::string(value) + "\xE2\x81\xA9";
        std::size_t at = 0;
        while ((at = text.find(placeholder, at)) != std::string::npos) {
            text.replace(at, placeholder.size(), isolated);
            at += isolated.size();
        }
    }
    return text;
}

}  // namespace

std::string Ui::format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return substituteIsolated(m_i18n.tr(key), args);
}

void Ui::setMirrored(bool mirrored) {
    m_mirrored = mirrored;
    m_text.setMirrored(mirrored, m_layout.width);
    setIconsMirrored(mirrored);
}

Rect Ui::physical(const Rect& rect) const noexcept {
    if (!m_mirrored) {
        return rect;
    }
    return {m_layout.width - rect.x1, rect.y0, m_layout.width - rect.x0, rect.y1};
}

std::string Ui::formatPlural(
    std::string_view key, long long count,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return substituteIsolated(m_i18n.trPlural(key, count), args);
}

void Ui::pushClip(const Rect& rect) {
    m_clips.push_back(rect.intersect(clip()));
}

void Ui::popClip() {
    if (m_clips.size() > 1) {
        m_clips.pop_back();
    }
}

Rect Ui::clip() const noexcept {
    return m_clips.empty() ? Rect{} : m_clips.back();
}

bool Ui::reachable(const Rect& rect, ImVec2 point) const {
    if (m_mirrored) {
        point.x = m_layout.width - point.x;  // the finger on the glass → this layer's drawing
    }
    if (!layerActive() || !rect.intersect(clip()).contains(point.x, point.y)) {
        return false;
    }
    return std::none_of(m_blockers.begin(), m_blockers.end(),
                        [&](const Rect& blocker) { return blocker.contains(point.x, point.y); });
}

void Ui::registerElement(std::string_view id, const Rect& rect, bool enabled) {
    if (!layerActive()) {
        return;
    }
    Rect visible = rect.intersect(clip());
    for (const Rect& blocker : m_blockers) {
        // A blocker covering the bottom of the element trims it (the keyboard sliding in).
        if (blocker.x0 <= visible.x0 && blocker.x1 >= visible.x1 && blocker.y0 < visible.y1 &&
            blocker.y1 >= visible.y1) {
            visible.y1 = std::max(visible.y0, blocker.y0);
        }
    }
    if (visible.empty()) {
        return;
    }
    visible = physical(visible);
    m_map.add(id, visible.x0, visible.y0, visible.width(), visible.height(), enabled);
}

Interaction Ui::interact(std::string_view id, const Rect& rect, bool enabled) {
    registerElement(id, rect, enabled);
    Interaction result;
    if (!enabled || !layerActive()) {
        return result;
    }
    if (m_pointer.pressed && !m_pointer.suppressed && reachable(rect, m_pointer.downPosition)) {
        m_activeId.assign(id);  // the last element drawn under the finger (the topmost) wins
    }
    if (m_activeId != id || m_pointer.dragging) {
        return result;
    }
    const bool over = reachable(rect, m_pointer.position);
    result.held = m_pointer.down && over;
    result.clicked = m_pointer.released && over;
    return result;
}

float Ui::heldSeconds(std::string_view id) const {
    if (m_activeId != id || !m_pointer.down || m_pointer.dragging) {
        return -1;
    }
    return std::chrono::duration<float>(m_now - m_pointer.downTime).count();
}

std::vector<std::function<void()>> Ui::takeActions() {
    std::vector<std::function<void()>> actions;
    actions.swap(m_actions);
    return actions;
}

}  // namespace signpost::ui
