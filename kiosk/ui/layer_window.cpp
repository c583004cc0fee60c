#include "ui/layer_window.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace signpost::ui {

LayerWindow::LayerWindow(const char* name, const Rect& rect, bool front, bool opaque) {
    ImGui::SetNextWindowPos(ImVec2(rect.x0, rect.y0));
    ImGui::SetNextWindowSize(ImVec2(rect.width(), rect.height()));
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav |
                             ImGuiWindowFlags_NoFocusOnAppearing |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoResize;
    if (!opaque) {
        flags |= ImGuiWindowFlags_NoBackground;
    }
    ImGui::Begin(name, nullptr, flags);
    if (front) {
        ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    }
}

LayerWindow::~LayerWindow() { ImGui::End(); }

}  // namespace signpost::ui
