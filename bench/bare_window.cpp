// bare_window: the floor the kiosk's window figures are measured against (bench/window_bench).
//
// Under Xvfb the software GL driver alone costs ~100 MB and ~130 ms (issue §12), so the kiosk is
// compared with the least a GLFW + Dear ImGui + OpenGL 3 program can be: one window, ImGui's
// built-in font, one line of text. It starts the way the kiosk does (same flags, same GL context,
// vsync), sends READY=1 to $NOTIFY_SOCKET after its first swap, then waits for events.
//
//   bare_window [--windowed] [--size WxH]
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "core/runtime/systemd_notify.h"

namespace {

int g_pendingFrames = 1;

void onInput(GLFWwindow*, int, int, int) {
    g_pendingFrames = 3;
}
void onMotion(GLFWwindow*, double, double) {
    g_pendingFrames = 3;
}
void onRefresh(GLFWwindow*) {
    g_pendingFrames = g_pendingFrames > 0 ? g_pendingFrames : 1;
}

}  // namespace

int main(int argc, char** argv) {
    bool windowed = false;
    int width = 1920;
    int height = 1080;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--windowed") == 0) {
            windowed = true;
        } else if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc &&
                   std::sscanf(argv[++i], "%dx%d", &width, &height) == 2) {
        } else {
            std::fprintf(stderr, "usage: bare_window [--windowed] [--size WxH]\n");
            return 2;
        }
    }
    if (glfwInit() != GLFW_TRUE) {
        std::fprintf(stderr, "bare_window: cannot open the display\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);
    GLFWmonitor* monitor = windowed ? nullptr : glfwGetPrimaryMonitor();
    if (monitor != nullptr) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        width = mode->width;
        height = mode->height;
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "bare window", monitor, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "bare_window: cannot create an OpenGL 3.0 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    glfwSetMouseButtonCallback(window, onInput);
    glfwSetCursorPosCallback(window, onMotion);
    glfwSetWindowRefreshCallback(window, onRefresh);

    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    signpost::SystemdNotifier notifier = signpost::SystemdNotifier::fromEnvironment();
    bool ready = false;
    while (glfwWindowShouldClose(window) == GLFW_FALSE) {
        if (g_pendingFrames > 0) {
            glfwPollEvents();
        } else {
            glfwWaitEvents();
            continue;  // the callbacks say whether a frame is needed
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("bare", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextUnformatted(
            "A bare GLFW + Dear ImGui window: the floor for the kiosk's figures.");
        ImGui::End();
        ImGui::Render();
        int fbWidth = 0;
        int fbHeight = 0;
        glfwGetFramebufferSize(window, &fbWidth, &fbHeight);
        glViewport(0, 0, fbWidth, fbHeight);
        glClearColor(0, 0, 0, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
        --g_pendingFrames;
        if (!ready) {
            ready = true;
            notifier.notifyReady();
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
