#include "app/kiosk_shell.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ErrorCheckEndFrameRecover: leave a frame that threw in a sane state

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "app/exit_codes.h"
#include "app/ui_map_file.h"
#include "core/common/log.h"
#include "core/runtime/frame_pacer.h"
#include "ui/kiosk_app.h"
#include "ui/ui_map.h"

namespace signpost::app {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the "something went wrong, restarting" notice stays before the process exits 70.
constexpr auto kFaultNoticeTime = 8s;

// Input and repaint requests arrive in GLFW callbacks (inside glfwWaitEvents, on this thread).
struct LoopState {
    FramePacer pacer;
    bool hadInput = false;
};

LoopState& loopState(GLFWwindow* window) {
    return *static_cast<LoopState*>(glfwGetWindowUserPointer(window));
}

void noteInput(GLFWwindow* window) {
    LoopState& state = loopState(window);
    state.hadInput = true;
    state.pacer.noteInput();
}

void onGlfwError(int code, const char* description) {
    logError("glfw", "error " + std::to_string(code) + ": " + (description != nullptr ? description : "?"));
}

// Installed before ImGui's backend, which chains to them; the backend reads the state itself.
void onCursorPos(GLFWwindow* window, double, double) { noteInput(window); }
void onMouseButton(GLFWwindow* window, int, int, int) { noteInput(window); }
void onScroll(GLFWwindow* window, double, double) { noteInput(window); }
void onKey(GLFWwindow* window, int, int, int, int) { noteInput(window); }
void onChar(GLFWwindow* window, unsigned int) { noteInput(window); }
void onRefresh(GLFWwindow* window) { loopState(window).pacer.requestFrames(1); }
void onFramebufferSize(GLFWwindow* window, int, int) { loopState(window).pacer.requestFrames(2); }
void onFocus(GLFWwindow* window, int) { loopState(window).pacer.requestFrames(1); }
void onClose(GLFWwindow* window) {
    // A resident must not be able to close the kiosk (Alt+F4, a window manager's button).
    glfwSetWindowShouldClose(window, GLFW_FALSE);
    logInfo("shell", "window close request ignored");
}

// Pixels per millimetre of `monitor` at its current mode, or 0 when the monitor does not say
// (or says something no real screen is: some TVs report their aspect ratio in centimetres).
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

// glfwInit/glfwTerminate, with the signal thread's wake-up tied to GLFW's lifetime.
class GlfwSession {
public:
    explicit GlfwSession(SignalWatcher& signals) : m_signals(signals) {
        glfwSetErrorCallback(onGlfwError);
        if (glfwInit() != GLFW_TRUE) {
            const char* description = nullptr;
            glfwGetError(&description);
            throw ShellError(std::string("cannot open the display: ") +
                             (description != nullptr ? description : "glfwInit failed"));
        }
        m_signals.setWakeCallback([] { glfwPostEmptyEvent(); });
    }
    ~GlfwSession() {
        m_signals.setWakeCallback(nullptr);
        glfwTerminate();
    }
    GlfwSession(const GlfwSession&) = delete;
    GlfwSession& operator=(const GlfwSession&) = delete;

private:
    SignalWatcher& m_signals;
};

struct WindowDeleter {
    void operator()(GLFWwindow* window) const { glfwDestroyWindow(window); }
};
using WindowPtr = std::unique_ptr<GLFWwindow, WindowDeleter>;

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
            throw ShellError("no monitor found for full screen (use --windowed to test without one)");
        }
        const GLFWvidmode* mode = glfwGetVideoMode(primary);
        // The monitor's current mode, so going full screen never switches modes.
        glfwWindowHint(GLFW_RED_BITS, mode->redBits);
        glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
        glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
        glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
        if (options.sizeGiven) {
            logWarning("shell", "--size applies to --windowed only; full screen uses the monitor's mode");
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

// ImGui context and backends, shut down in the right order on every path out.
class ImGuiSession {
public:
    explicit ImGuiSession() {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;  // no imgui.ini written into the working directory
        io.LogFilename = nullptr;
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // touch: no cursor shapes
    }
    void initBackends(GLFWwindow* window) {
        if (!ImGui_ImplGlfw_InitForOpenGL(window, true)) {
            throw ShellError("ImGui's GLFW backend did not start");
        }
        m_glfwBackend = true;
        if (!ImGui_ImplOpenGL3_Init("#version 130")) {
            throw ShellError("ImGui's OpenGL 3 backend did not start");
        }
        m_glBackend = true;
    }
    ~ImGuiSession() {
        if (m_glBackend) {
            ImGui_ImplOpenGL3_Shutdown();
        }
        if (m_glfwBackend) {
            ImGui_ImplGlfw_Shutdown();
        }
        ImGui::DestroyContext();
    }
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;

private:
    bool m_glfwBackend = false;
    bool m_glBackend = false;
};

// The pixels of the font atlas are only needed until they are in a GL texture; at the largest
// text size they are megabytes, so they are dropped after each upload.
void uploadFonts() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();
}

void drawFaultNotice(const I18n& i18n) {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav;
    ImGui::Begin("##shell-fault", nullptr, flags);
    const float margin = io.DisplaySize.x * 0.1f;
    ImGui::SetCursorPos(ImVec2(margin, io.DisplaySize.y * 0.4f));
    ImGui::PushTextWrapPos(io.DisplaySize.x - margin);
    ImGui::TextUnformatted(i18n.tr("shell.fault"));
    ImGui::PopTextWrapPos();
    ImGui::End();
}

class FrameLoop {
public:
    FrameLoop(KioskRuntime& runtime, const ShellOptions& options, SystemdNotifier& notifier,
              SignalWatcher& signals, GLFWwindow* window, GLFWmonitor* monitor)
        : m_runtime(runtime),
          m_notifier(notifier),
          m_signals(signals),
          m_window(window),
          m_pixelsPerMm(pixelsPerMillimetre(monitor)) {
        if (!options.uiMapFile.empty()) {
            m_uiMapFile.emplace(options.uiMapFile);
        }
        glfwSetWindowUserPointer(m_window, &m_state);
    }
    FrameLoop(const FrameLoop&) = delete;
    FrameLoop& operator=(const FrameLoop&) = delete;

    int run(ui::KioskApp& app) {
        const Clock::time_point opened = Clock::now();
        m_state.pacer.requestFrames(1);
        while (!m_signals.stopRequested()) {
            waitForWork(app);
            if (m_signals.stopRequested()) {
                break;
            }
            const Clock::time_point frameStart = Clock::now();
            if (!m_state.pacer.frameDue(frameStart, hints(app))) {
                continue;
            }
            drawFrame(app, frameStart);
            m_state.pacer.frameDrawn(frameStart);
            if (!m_readySent) {
                m_readySent = true;
                m_notifier.notifyReady();
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - opened);
                logInfo("shell", "first frame shown " + std::to_string(ms.count()) + " ms after the window opened");
            }
            // Only here, after a frame really went out: a loop stuck anywhere sends nothing.
            m_notifier.pingWatchdog(Clock::now());
            afterFrame(app);
            if (m_faultSince && Clock::now() - *m_faultSince >= kFaultNoticeTime) {
                return finish(kExitUiFailure, "the UI failed; exiting so the service manager restarts it");
            }
            if (!m_faultSince) {
                switch (app.shellRequest()) {
                    case ui::ShellRequest::Restart: return finish(kExitRestart, "restart requested from the staff panel");
                    case ui::ShellRequest::Exit: return finish(kExitOk, "exit requested from the staff panel");
                    case ui::ShellRequest::None: break;
                }
            }
        }
        return finish(kExitOk, "stopped by signal " + std::to_string(m_signals.signalNumber()));
    }

private:
    FramePacer::Hints hints(const ui::KioskApp& app) const {
        FramePacer::Hints result;
        if (m_faultSince) {
            result.appWakeUp = *m_faultSince + kFaultNoticeTime;
        } else {
            result.animating = app.isAnimating();
            result.appWakeUp = app.nextWakeUp();
        }
        result.watchdogDue = m_notifier.nextWatchdogPing();
        return result;
    }

    void waitForWork(const ui::KioskApp& app) {
        const auto budget = m_state.pacer.sleepBudget(Clock::now(), hints(app));
        if (!budget) {
            glfwWaitEvents();
        } else if (*budget <= Clock::duration::zero()) {
            glfwPollEvents();
        } else {
            // Rounded up by a millisecond so a timeout never ends just short of its deadline
            // and costs an extra trip round the loop.
            const double seconds = std::chrono::duration<double>(*budget).count() + 0.001;
            glfwWaitEventsTimeout(seconds);
        }
    }

    void drawFrame(ui::KioskApp& app, Clock::time_point frameStart) {
        ImGuiIO& io = ImGui::GetIO();
        if (app.fontAtlasStale()) {
            app.buildFonts(io);
            if (m_fontsUploaded) {
                uploadFonts();
            }  // else the backend's first NewFrame uploads them
        }
        ImGui_ImplOpenGL3_NewFrame();
        if (!m_fontsUploaded) {
            // The backend made the font texture in NewFrame; keep no CPU copy of its pixels.
            io.Fonts->ClearTexData();
            m_fontsUploaded = true;
        }
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();

        ui::FrameInput input;
        input.now = frameStart;
        input.wallNow = std::chrono::system_clock::now();
        input.displayWidth = io.DisplaySize.x;
        input.displayHeight = io.DisplaySize.y;
        input.pixelsPerMillimetre = m_pixelsPerMm;
        input.hadInput = std::exchange(m_state.hadInput, false);
        if (!m_faultSince) {
            try {
                app.drawFrame(input);
            } catch (const std::exception& error) {
                // Unknown UI state: recover ImGui's stacks, say so on screen, then exit 70 so the
                // service manager starts a clean kiosk. Exception texts never hold resident data
                // (storage errors name SQL, not bound values).
                ImGui::ErrorCheckEndFrameRecover(nullptr, nullptr);
                m_faultSince = frameStart;
                logError("shell", std::string("a frame failed: ") + error.what());
            }
        }
        if (m_faultSince) {
            drawFaultNotice(m_runtime.i18n);
        }
        ImGui::Render();
        int width = 0;
        int height = 0;
        glfwGetFramebufferSize(m_window, &width, &height);
        glViewport(0, 0, width, height);
        glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(m_window);
    }

    void afterFrame(const ui::KioskApp& app) {
        if (m_faultSince) {
            return;
        }
        const ui::UiMap& map = app.uiMap();
        if (map.screenId() != m_lastScreen) {
            m_lastScreen = map.screenId();
            m_notifier.notifyStatus("showing " + m_lastScreen);
            logDebug("shell", "screen " + m_lastScreen);
        }
        if (m_uiMapFile) {
            WindowGeometry geometry;
            glfwGetWindowPos(m_window, &geometry.x, &geometry.y);
            glfwGetWindowSize(m_window, &geometry.width, &geometry.height);
            try {
                m_uiMapFile->update(map, geometry);
            } catch (const std::exception& error) {
                // A test aid must never take the kiosk down; the driver will time out and say so.
                logError("shell", std::string("cannot write the UI map, no longer writing it: ") + error.what());
                m_uiMapFile.reset();
            }
        }
    }

    int finish(int code, const std::string& why) {
        logInfo("shell", why + " (exit code " + std::to_string(code) + ")");
        m_notifier.notifyStopping();
        return code;
    }

    KioskRuntime& m_runtime;
    SystemdNotifier& m_notifier;
    SignalWatcher& m_signals;
    GLFWwindow* m_window;
    float m_pixelsPerMm;
    LoopState m_state;
    std::optional<UiMapFile> m_uiMapFile;
    std::optional<Clock::time_point> m_faultSince;
    std::string m_lastScreen;
    bool m_readySent = false;
    bool m_fontsUploaded = false;
};

}  // namespace

int runKioskShell(KioskRuntime& runtime, const ShellOptions& options, SystemdNotifier& notifier,
                  SignalWatcher& signals) {
    GlfwSession glfw(signals);
    GLFWmonitor* monitor = nullptr;
    WindowPtr window = createWindow(options, monitor);
    glfwMakeContextCurrent(window.get());
    glfwSwapInterval(1);
    if (!options.windowed) {
        glfwSetInputMode(window.get(), GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    }
    glfwFocusWindow(window.get());
    FrameLoop loop(runtime, options, notifier, signals, window.get(), monitor);

    // Ours first: the ImGui backend installs its own and chains to these.
    glfwSetCursorPosCallback(window.get(), onCursorPos);
    glfwSetMouseButtonCallback(window.get(), onMouseButton);
    glfwSetScrollCallback(window.get(), onScroll);
    glfwSetKeyCallback(window.get(), onKey);
    glfwSetCharCallback(window.get(), onChar);
    glfwSetWindowFocusCallback(window.get(), onFocus);
    glfwSetWindowRefreshCallback(window.get(), onRefresh);
    glfwSetFramebufferSizeCallback(window.get(), onFramebufferSize);
    glfwSetWindowCloseCallback(window.get(), onClose);

    ImGuiSession imgui;
    // The app lives inside the ImGui context (its fonts and theme are ImGui state).
    ui::KioskApp app(runtime);
    app.buildFonts(ImGui::GetIO());
    imgui.initBackends(window.get());
    return loop.run(app);
}

}  // namespace signpost::app
