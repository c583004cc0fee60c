// The kiosk shell's window system (shell_window.h): GLFW and ImGui sessions, the window, and the
// callbacks that wake the frame loop.
#include "app/shell_window.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <xcb/xcb.h>

#include <string>

#include "app/kiosk_shell.h"
#include "core/common/log.h"

namespace signpost::app {
namespace {

LoopState& loopState(GLFWwindow* window) {
    return *static_cast<LoopState*>(glfwGetWindowUserPointer(window));
}

void noteInput(GLFWwindow* window) {
    LoopState& state = loopState(window);
    state.hadInput = true;
    state.pacer.noteInput();
}

void onGlfwError(int code, const char* description) {
    logError("glfw",
             "error " + std::to_string(code) + ": " + (description != nullptr ? description : "?"));
}

// Installed before ImGui's backend, which chains to them; the backend reads the input itself.
void onCursorPos(GLFWwindow* window, double, double) {
    noteInput(window);
}
void onMouseButton(GLFWwindow* window, int, int, int) {
    noteInput(window);
}
void onScroll(GLFWwindow* window, double, double) {
    noteInput(window);
}
void onKey(GLFWwindow* window, int, int, int, int) {
    noteInput(window);
}
void onChar(GLFWwindow* window, unsigned int) {
    noteInput(window);
}
void onRefresh(GLFWwindow* window) {
    loopState(window).pacer.requestFrames(1);
}
void onFramebufferSize(GLFWwindow* window, int, int) {
    loopState(window).pacer.requestFrames(2);
}
void onFocus(GLFWwindow* window, int) {
    loopState(window).pacer.requestFrames(1);
}
void onClose(GLFWwindow* window) {
    // A resident must not be able to close the kiosk (Alt+F4, a window manager's button).
    glfwSetWindowShouldClose(window, GLFW_FALSE);
    logInfo("shell", "window close request ignored");
}

}  // namespace

float pixelsPerMillimetre(GLFWmonitor* monitor) {
    if (monitor == nullptr) {
        return 0;
    }
    int widthMm = 0;
    int heightMm = 0;
    glfwGetMonitorPhysicalSize(monitor, &widthMm, &heightMm);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    if (mode == nullptr || widthMm <= 0) {
        return 0;
    }
    const float value = static_cast<float>(mode->width) / static_cast<float>(widthMm);
    return value >= 1.0f && value <= 40.0f ? value : 0.0f;
}

bool displayAccepts(const char* display) {
    xcb_connection_t* connection = xcb_connect(display, nullptr);
    const bool accepted = xcb_connection_has_error(connection) == 0;
    xcb_disconnect(connection);
    return accepted;
}

GlfwSession::GlfwSession(SignalWatcher& signals) : m_signals(signals) {
    glfwSetErrorCallback(onGlfwError);
    if (glfwInit() != GLFW_TRUE) {
        const char* description = nullptr;
        glfwGetError(&description);
        throw ShellError(std::string("cannot open the display: ") +
                         (description != nullptr ? description : "glfwInit failed"));
    }
    m_signals.setWakeCallback([] { glfwPostEmptyEvent(); });
}

GlfwSession::~GlfwSession() {
    m_signals.setWakeCallback(nullptr);
    glfwTerminate();
}

void WindowDeleter::operator()(GLFWwindow* window) const {
    glfwDestroyWindow(window);
}

WindowPtr createWindow(const ShellOptions& options, GLFWmonitor*& monitorUsed) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_AUTO_ICONIFY, GLFW_FALSE);  // a kiosk never minimises itself
    glfwWindowHint(GLFW_FOCUS_ON_SHOW, GLFW_TRUE);
    GLFWmonitor* primary = glfwGetPrimaryMonitor();
    monitorUsed = primary;
    GLFWwindow* window = nullptr;
    if (options.windowed) {
        window = glfwCreateWindow(options.width, options.height, "Signpost", nullptr, nullptr);
    } else {
        if (primary == nullptr) {
            throw ShellError(
                "no monitor found for full screen (use --windowed to test without one)");
        }
        const GLFWvidmode* mode = glfwGetVideoMode(primary);
        // The monitor's current mode, so going full screen never switches modes.
        glfwWindowHint(GLFW_RED_BITS, mode->redBits);
        glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
        glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
        glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        if (options.sizeGiven) {
            logWarning("shell",
                       "--size applies to --windowed only; full screen uses the monitor's mode");
        }
        window = glfwCreateWindow(mode->width, mode->height, "Signpost", primary, nullptr);
    }
    if (window == nullptr) {
        const char* description = nullptr;
        glfwGetError(&description);
        throw ShellError(std::string("cannot create an OpenGL 3.0 window: ") +
                         (description != nullptr ? description : "unknown reason"));
    }
    return WindowPtr(window);
}

ImVec2 intendedWindowSize(const ShellOptions& options) {
    if (!options.windowed) {
        if (GLFWmonitor* primary = glfwGetPrimaryMonitor()) {
            if (const GLFWvidmode* mode = glfwGetVideoMode(primary)) {
                return ImVec2(static_cast<float>(mode->width), static_cast<float>(mode->height));
            }
        }
    }
    return ImVec2(static_cast<float>(options.width), static_cast<float>(options.height));
}

void attachLoopState(GLFWwindow* window, LoopState& state) {
    glfwSetWindowUserPointer(window, &state);
    glfwSetCursorPosCallback(window, onCursorPos);
    glfwSetMouseButtonCallback(window, onMouseButton);
    glfwSetScrollCallback(window, onScroll);
    glfwSetKeyCallback(window, onKey);
    glfwSetCharCallback(window, onChar);
    glfwSetWindowFocusCallback(window, onFocus);
    glfwSetWindowRefreshCallback(window, onRefresh);
    glfwSetFramebufferSizeCallback(window, onFramebufferSize);
    glfwSetWindowCloseCallback(window, onClose);
}

ImGuiSession::ImGuiSession() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini written into the working directory
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // touch: no cursor shapes
}

void ImGuiSession::initBackends(GLFWwindow* window) {
    if (!ImGui_ImplGlfw_InitForOpenGL(window, true)) {
        throw ShellError("ImGui's GLFW backend did not start");
    }
    m_glfwBackend = true;
    if (!ImGui_ImplOpenGL3_Init("#version 130")) {
        throw ShellError("ImGui's OpenGL 3 backend did not start");
    }
    m_glBackend = true;
}

ImGuiSession::~ImGuiSession() {
    if (m_glBackend) {
        ImGui_ImplOpenGL3_Shutdown();
    }
    if (m_glfwBackend) {
        ImGui_ImplGlfw_Shutdown();
    }
    ImGui::DestroyContext();
}

void uploadFonts() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();
}

}  // namespace signpost::app
