// The kiosk shell's window system (kiosk_shell.h says what the window is): the GLFW and ImGui
// sessions, the window itself, the GLFW callbacks that wake the frame loop, and the screen facts
// read from GLFW before and after the window exists.
// Thread-safety: main thread only, as GLFW requires; the callbacks run inside glfwWaitEvents and
// friends, on that thread.
#pragma once

#include <imgui.h>

#include <memory>

#include "app/shell_options.h"
#include "app/signal_watcher.h"
#include "core/runtime/frame_pacer.h"

struct GLFWwindow;
struct GLFWmonitor;

namespace signpost::app {

// What the callbacks tell the frame loop: input arrived (draw it and two frames more) or the
// window needs repainting.
struct LoopState {
    FramePacer pacer;
    bool hadInput = false;
};

// glfwInit/glfwTerminate, with the signal thread's wake-up (glfwPostEmptyEvent) tied to GLFW's
// lifetime. Throws ShellError when GLFW cannot start (no display).
class GlfwSession {
public:
    explicit GlfwSession(SignalWatcher& signals);
    ~GlfwSession();
    GlfwSession(const GlfwSession&) = delete;
    GlfwSession& operator=(const GlfwSession&) = delete;

private:
    SignalWatcher& m_signals;
};

struct WindowDeleter {
    void operator()(GLFWwindow* window) const;
};
using WindowPtr = std::unique_ptr<GLFWwindow, WindowDeleter>;

// An OpenGL 3.0 window: --windowed at its --size, else full screen on the primary monitor at its
// current mode (no mode switch). `monitorUsed` is the primary monitor (null when there is none).
// Throws ShellError when there is no monitor for full screen or no GL 3.0 context.
WindowPtr createWindow(const ShellOptions& options, GLFWmonitor*& monitorUsed);

// The size the window will have, known before it exists (the font atlas is built meanwhile).
ImVec2 intendedWindowSize(const ShellOptions& options);

// Pixels per millimetre of `monitor` at its current mode, or 0 when the monitor does not say (or
// says something no real screen is: some TVs report their aspect ratio in centimetres).
float pixelsPerMillimetre(GLFWmonitor* monitor);

// Whether the X server at `display` accepts this user now, printing nothing when it does not (XCB,
// unlike XOpenDisplay): the display wait polls it every second.
bool displayAccepts(const char* display);

// Points the window at `state` and installs the input, repaint and close callbacks (a close
// request is ignored: residents cannot quit the kiosk). Call before ImGuiSession::initBackends:
// ImGui's backend installs its own callbacks and chains to these.
void attachLoopState(GLFWwindow* window, LoopState& state);

// The ImGui context and its GLFW and OpenGL3 backends, shut down in the right order on every
// path out. No imgui.ini, no log file, no cursor shapes (touch).
class ImGuiSession {
public:
    ImGuiSession();
    // Throws ShellError when a backend does not start.
    void initBackends(GLFWwindow* window);
    ~ImGuiSession();
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;

private:
    bool m_glfwBackend = false;
    bool m_glBackend = false;
};

// Re-uploads ImGui's font atlas and drops its CPU pixels: they are only needed until they are in a
// GL texture.
void uploadFonts();

}  // namespace signpost::app
