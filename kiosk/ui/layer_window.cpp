#include "ui/layer_window.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

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
    m_window = ImGui::GetCurrentWindow();
    if (front) {
        ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    }
}

LayerWindow::~LayerWindow() {
    ImGui::End();
}

void mirrorWindows(const std::vector<ImGuiWindow*>& roots, float width) {
    if (roots.empty()) {
        return;
    }
    ImGuiContext& context = *ImGui::GetCurrentContext();
    for (ImGuiWindow* window : context.Windows) {
        if (!window->Active ||
            std::find(roots.begin(), roots.end(), window->RootWindow) == roots.end()) {
            continue;
        }
        ImDrawList* list = window->DrawList;
        for (ImDrawVert& vertex : list->VtxBuffer) {
            vertex.pos.x = width - vertex.pos.x;
        }
        for (ImDrawCmd& command : list->CmdBuffer) {
            const float x0 = command.ClipRect.x;
            command.ClipRect.x = width - command.ClipRect.z;
            command.ClipRect.z = width - x0;
        }
    }
}

}  // namespace signpost::ui
