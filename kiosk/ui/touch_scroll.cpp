#include "ui/touch_scroll.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace signpost::ui {

namespace {
constexpr float kDecayTimeConstant = 0.325f;  // seconds; velocity falls to 37 % in this time
constexpr float kStopVelocity = 20.0f;        // px/s: below this the content stops
constexpr float kSampleWindow = 0.1f;         // seconds of finger movement used for the velocity
constexpr float kMaxVelocity = 12000.0f;
constexpr float kAnimateSeconds = 0.2f;
}  // namespace

bool TouchScroll::isMoving() const noexcept {
    return m_dragging || m_animating || std::fabs(m_velocity) > 0;
}

void TouchScroll::reset() noexcept {
    m_offset = 0;
    m_velocity = 0;
    m_grabbed = false;
    m_dragging = false;
    m_animating = false;
    m_samples.clear();
}

void TouchScroll::clamp() noexcept {
    const float clamped = std::clamp(m_offset, 0.0f, std::max(0.0f, m_maxOffset));
    if (clamped != m_offset) {
        m_offset = clamped;
        m_velocity = 0;
    }
}

void TouchScroll::scrollTo(float target, bool animate) {
    target = std::clamp(target, 0.0f, std::max(0.0f, m_maxOffset));
    m_velocity = 0;
    if (!animate) {
        m_offset = target;
        m_animating = false;
        return;
    }
    m_animating = true;
    m_animateFrom = m_offset;
    m_animateTo = target;
    m_animateTime = 0;
}

void TouchScroll::reveal(float top, float bottom, float view, float margin) {
    const float current = m_animating ? m_animateTo : m_offset;
    float target = current;
    if (bottom + margin > current + view) {
        target = bottom + margin - view;
    }
    if (top - margin < target) {
        target = std::max(0.0f, top - margin);
    }
    if (std::fabs(target - current) >= 1.0f) {
        // The content may not have grown yet this frame: allow the target now, clamp later.
        m_maxOffset = std::max(m_maxOffset, target);
        scrollTo(target, true);
    }
}

void TouchScroll::update(Ui& ui, const Rect& viewport) {
    const PointerState& pointer = ui.pointer();
    const float dt = ui.deltaSeconds();

    if (pointer.pressed && ui.reachable(viewport, pointer.downPosition)) {
        if (isMoving() && !m_dragging) {
            ui.suppressPress();  // this touch only stops the moving list
        }
        m_grabbed = true;
        m_dragging = false;
        m_velocity = 0;
        m_animating = false;
        m_grabOffset = m_offset;
        m_samples.clear();
        m_samples.push_back({ui.now(), pointer.position.y});
    }
    if (m_grabbed && pointer.down) {
        if (pointer.dragging) {
            if (!m_dragging) {
                m_dragging = true;
                ui.cancelPress();
            }
            m_offset = m_grabOffset - (pointer.position.y - pointer.downPosition.y);
            m_samples.push_back({ui.now(), pointer.position.y});
            while (m_samples.size() > 2 &&
                   std::chrono::duration<float>(ui.now() - m_samples.front().time).count() >
                       kSampleWindow) {
                m_samples.pop_front();
            }
            clamp();
        }
    } else if (m_grabbed) {
        // Lifted: carry on at the finger's recent speed.
        if (m_dragging && m_samples.size() >= 2) {
            const Sample& first = m_samples.front();
            const Sample& last = m_samples.back();
            const float span = std::chrono::duration<float>(last.time - first.time).count();
            const float sinceLast = std::chrono::duration<float>(ui.now() - last.time).count();
            if (span > 0.001f && sinceLast < kSampleWindow) {
                m_velocity = std::clamp(-(last.y - first.y) / span, -kMaxVelocity, kMaxVelocity);
            }
        }
        m_grabbed = false;
        m_dragging = false;
        m_samples.clear();
    }

    if (!m_grabbed && std::fabs(m_velocity) > 0) {
        m_offset += m_velocity * dt;
        m_velocity *= std::exp(-dt / kDecayTimeConstant);
        if (std::fabs(m_velocity) < kStopVelocity) {
            m_velocity = 0;
        }
        clamp();
    }
    if (m_animating) {
        m_animateTime += dt;
        const float t = std::min(1.0f, m_animateTime / kAnimateSeconds);
        const float eased = 1 - (1 - t) * (1 - t) * (1 - t);
        m_offset = m_animateFrom + (m_animateTo - m_animateFrom) * eased;
        if (t >= 1) {
            m_animating = false;
        }
    }
    m_offset = std::round(m_offset);  // whole pixels keep text crisp (ImGui floors scroll too)
    m_showIndicator = isMoving();
    if (isMoving()) {
        ui.requestAnimationFrame();
    }
}

void TouchScroll::setContentHeight(float contentHeight, float viewHeight) noexcept {
    m_maxOffset = std::max(0.0f, std::ceil(contentHeight - viewHeight));
    if (!m_animating) {
        clamp();
    }
}

ScrollArea::ScrollArea(Ui& ui, TouchScroll& scroll, const char* id, const Rect& viewport)
    : m_ui(ui), m_scroll(scroll), m_viewport(viewport) {
    scroll.update(ui, viewport);
    ImGui::SetCursorScreenPos(ImVec2(viewport.x0, viewport.y0));
    ImGui::SetNextWindowScroll(ImVec2(0, scroll.offset()));
    ImGui::BeginChild(id, ImVec2(viewport.width(), viewport.height()), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoNav |
                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoInputs);
    m_contentTop = viewport.y0 - ImGui::GetScrollY();
    ui.pushClip(viewport);
    ui.registerElement(id, viewport);
}

ScrollArea::~ScrollArea() {
    const float contentHeight = ImGui::GetCursorPosY();
    if (m_scroll.maxOffset() > 0 && m_scroll.isMoving()) {
        // A slim position indicator while moving; never something to aim a finger at.
        const float view = m_viewport.height();
        const float total = contentHeight > view ? contentHeight : view;
        const float barHeight = std::max(view * view / total, m_ui.layout().target * 0.5f);
        const float y =
            m_viewport.y0 + (view - barHeight) * (m_scroll.offset() / m_scroll.maxOffset());
        const float w = std::max(4.0f, m_ui.layout().smallGap * 0.75f);
        m_ui.drawList()->AddRectFilled(ImVec2(m_viewport.x1 - w - 2, y),
                                       ImVec2(m_viewport.x1 - 2, y + barHeight),
                                       (m_ui.palette().textMuted & 0x00FFFFFFu) | 0x99000000u, w);
    }
    m_ui.popClip();
    ImGui::EndChild();
    m_scroll.setContentHeight(contentHeight, m_viewport.height());
}

Flow::Flow(float left, float width) : m_left(left), m_width(width) {}

float Flow::y() const {
    return ImGui::GetCursorScreenPos().y;
}

Rect Flow::take(float height) {
    return take(height, m_width);
}

Rect Flow::take(float height, float width) {
    const ImVec2 at(m_left, ImGui::GetCursorScreenPos().y);
    ImGui::SetCursorScreenPos(at);
    ImGui::Dummy(ImVec2(width, height));
    return Rect::fromSize(at.x, at.y, width, height);
}

void Flow::gap(float height) {
    ImGui::SetCursorScreenPos(ImVec2(m_left, ImGui::GetCursorScreenPos().y));
    ImGui::Dummy(ImVec2(0, height));
}

}  // namespace signpost::ui
