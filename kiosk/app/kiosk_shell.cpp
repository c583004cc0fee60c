// The kiosk's shell (kiosk_shell.h): start-up (display wait, fonts built beside the window's
// creation) and the render-on-demand frame loop. The GLFW and ImGui sessions, the window and its
// callbacks are in shell_window.cpp.
#include "app/kiosk_shell.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ErrorCheckEndFrameRecover: leave a frame that threw in a sane state

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "app/background_services.h"
#include "app/display_power.h"
#include "app/exit_codes.h"
#include "app/gl_glyph_texture.h"
#include "app/shell_window.h"
#include "app/ui_map_file.h"
#include "core/common/log.h"
#include "core/runtime/directory_verification.h"
#include "core/runtime/display_wait.h"
#include "core/runtime/frame_pacer.h"
#include "sync/engine/sync_engine.h"
#include "ui/kiosk_app.h"
#include "ui/ui_map.h"

namespace signpost::app {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long the "something went wrong, restarting" notice stays before the process exits 70.
constexpr auto kFaultNoticeTime = 8s;

// Where start-up time goes, logged once with the first frame (the journal keeps it).
struct StartupTimes {
    Clock::time_point started;        // main() entered
    Clock::time_point runtimeOpened;  // config, directory, outbox, texts ready
    Clock::time_point windowOpened;   // GLFW, window, GL context (fonts built meanwhile)
    Clock::time_point fontsBuilt;     // font thread joined, ImGui backends up
    Clock::duration fontTime{};       // the font thread's own time, overlapping the window's

    std::string describe(Clock::time_point firstFrame) const {
        const auto ms = [](Clock::duration duration) {
            return std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(duration).count());
        };
        return "first frame shown " + ms(firstFrame - started) + " ms after start (runtime " +
               ms(runtimeOpened - started) + " ms, window " + ms(windowOpened - runtimeOpened) +
               " ms with fonts alongside in " + ms(fontTime) + " ms, then " +
               ms(fontsBuilt - windowOpened) + " ms waiting for them, first frame " +
               ms(firstFrame - fontsBuilt) + " ms)";
    }
};

class FrameLoop {
public:
    FrameLoop(KioskRuntime& runtime, const ShellOptions& options, SystemdNotifier& notifier,
              SignalWatcher& signals, GLFWwindow* window, GLFWmonitor* monitor)
        : m_runtime(runtime),
          m_notifier(notifier),
          m_signals(signals),
          m_window(window),
          m_pixelsPerMm(pixelsPerMillimetre(monitor)),
          m_hangAfterFrames(options.testHangAfterFrames),
          m_displayPower(DisplayPower::forGlfw()) {
        if (m_hangAfterFrames > 0) {
            logWarning("shell",
                       "TEST ONLY: --test-hang-after-frames " + std::to_string(m_hangAfterFrames) +
                           " given; the frame loop will stop drawing after that many frames");
        }
        if (!options.uiMapFile.empty()) {
            m_uiMapFile.emplace(options.uiMapFile);
        }
        attachLoopState(m_window, m_state);
    }
    // Started after the first frame (then the loop reads the sync status and speech changes).
    void setBackgroundServices(BackgroundServices* services) noexcept { m_services = services; }
    FrameLoop(const FrameLoop&) = delete;
    FrameLoop& operator=(const FrameLoop&) = delete;

    int run(ui::KioskApp& app, const StartupTimes& times) {
        m_state.pacer.requestFrames(1);
        while (!m_signals.stopRequested()) {
            waitForWork(app);
            if (m_signals.stopRequested()) {
                break;
            }
            checkDirectory();
            checkSync();
            if (m_speechChanged != nullptr && m_speechChanged->exchange(false)) {
                m_state.pacer.requestFrames(1);  // the next sentence to highlight, or the end
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
                logInfo("shell", times.describe(Clock::now()));
                // The directory was opened with the fast check; the thorough one reads the whole
                // file, so it runs now, beside the first screen, and wakes the loop when done.
                m_verification.emplace(m_runtime.directoryFile, [] { glfwPostEmptyEvent(); });
                if (m_services != nullptr) {
                    m_services->start();
                    m_sync = m_services->syncEngine();
                    m_speechChanged = &m_services->speechChanged();
                }
            }
            // Only here, after a frame really went out: a loop stuck anywhere sends nothing.
            m_notifier.pingWatchdog(Clock::now());
            if (m_hangAfterFrames > 0 && ++m_framesDrawn >= m_hangAfterFrames) {
                hangForTest();
                break;
            }
            afterFrame(app);
            m_displayPower.set(app.displayAwake());
            if (m_faultSince && Clock::now() - *m_faultSince >= kFaultNoticeTime) {
                return finish(kExitUiFailure,
                              "the UI failed; exiting so the service manager restarts it");
            }
            if (!m_faultSince) {
                switch (app.shellRequest()) {
                    case ui::ShellRequest::Restart:
                        return finish(kExitRestart, "restart requested from the staff panel");
                    case ui::ShellRequest::Exit:
                        return finish(kExitOk, "exit requested from the staff panel");
                    case ui::ShellRequest::None:
                        break;
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

    // Between frames, on this thread: the UI never sees a half-rebuilt directory.
    void checkDirectory() {
        if (!m_verification) {
            return;
        }
        std::optional<std::string> problem = m_verification->takeResult();
        if (!problem) {
            return;
        }
        m_verification.reset();
        if (problem->empty()) {
            logDebug("shell", "directory passed the thorough check");
            return;
        }
        try {
            rebuildDirectory(m_runtime, *problem);
        } catch (const std::exception& error) {
            logError("shell", std::string("cannot rebuild the damaged directory: ") + error.what());
            m_faultSince = Clock::now();
        }
        m_state.pacer.requestFrames(1);
    }

    // The engine posted an empty event: draw its new status, and let the UI's directory
    // connection pick up an update the engine applied (between frames, never half-way).
    void checkSync() {
        if (m_sync == nullptr) {
            return;
        }
        const auto status = m_sync->status();
        if (status->generation == m_syncGeneration) {
            return;
        }
        m_syncGeneration = status->generation;
        if (status->directoryUpdatedAt != m_syncDirectoryStamp) {
            m_syncDirectoryStamp = status->directoryUpdatedAt;
            if (m_runtime.directory) {
                try {
                    m_runtime.directory->refreshIfChanged();
                } catch (const std::exception& error) {
                    logError("shell", std::string("directory refresh after sync: ") + error.what());
                }
            }
        }
        m_state.pacer.requestFrames(1);
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
            app.drawFaultNotice();
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
                logError("shell", std::string("cannot write the UI map, no longer writing it: ") +
                                      error.what());
                m_uiMapFile.reset();
            }
        }
    }

    // --test-hang-after-frames: stuck like a render loop blocked in a driver call — no frames, no
    // pings — but still ending on SIGTERM so the test's clean-up stays polite.
    void hangForTest() {
        logWarning("shell",
                   "TEST ONLY: frame loop hung after " + std::to_string(m_framesDrawn) + " frames");
        while (!m_signals.stopRequested()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
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
    std::optional<DirectoryVerification> m_verification;
    std::optional<Clock::time_point> m_faultSince;
    BackgroundServices* m_services = nullptr;
    sync::SyncEngine* m_sync = nullptr;
    std::atomic<bool>* m_speechChanged = nullptr;  // set by the speech engine's thread
    std::uint64_t m_syncGeneration = 0;
    std::string m_syncDirectoryStamp;
    std::string m_lastScreen;
    bool m_readySent = false;
    bool m_fontsUploaded = false;
    int m_hangAfterFrames = 0;
    int m_framesDrawn = 0;
    DisplayPower m_displayPower;
};

}  // namespace

int runKioskShell(KioskRuntime& runtime, const ShellOptions& options, SystemdNotifier& notifier,
                  SignalWatcher& signals) {
    StartupTimes times;
    times.started = options.startedAt == Clock::time_point{} ? Clock::now() : options.startedAt;
    times.runtimeOpened = Clock::now();
    // Wait for the display rather than fail without it (core/runtime/display_wait.h): restarting
    // cannot bring one. With no $DISPLAY at all there is nothing to wait for; GLFW says so below.
    if (const char* display = std::getenv("DISPLAY"); display != nullptr && *display != '\0') {
        DisplayWaitOptions wait;
        wait.display = display;
        const auto waited =
            waitForDisplay([display] { return displayAccepts(display); },
                           [&signals] { return signals.stopRequested(); }, notifier, wait);
        if (waited == DisplayWaitResult::Stopped) {
            notifier.notifyStopping();
            return kExitOk;
        }
    }
    GlfwSession glfw(signals);
    // Declared before the ImGui session so that it outlives it (the backend's shutdown still
    // talks to the window); filled in below.
    WindowPtr window;
    ImGuiSession imgui;
    // The app lives inside the ImGui context (its fonts and theme are ImGui state).
    ui::KioskApp app(runtime);
    const ImVec2 size = intendedWindowSize(options);
    ImGui::GetIO().DisplaySize = size;  // so the first atlas is built for this screen's shape

    // Building the font atlas (FreeType, tens of ms) needs no GL, and creating the window and GL
    // context (loading the GL driver: the longest part of start-up) needs no ImGui, so the two
    // run side by side. Nothing on this thread touches ImGui until the join.
    std::exception_ptr fontError;
    Clock::duration fontTime{};
    std::jthread fonts([&app, &fontError, &fontTime] {
        const auto begin = Clock::now();
        try {
            ImGuiIO& io = ImGui::GetIO();
            app.buildFonts(io);
            unsigned char* pixels = nullptr;
            int width = 0;
            int height = 0;
            io.Fonts->GetTexDataAsRGBA32(&pixels, &width,
                                         &height);  // converted here, not at upload
        } catch (...) {
            fontError = std::current_exception();
        }
        fontTime = Clock::now() - begin;
    });

    GLFWmonitor* monitor = nullptr;
    window = createWindow(options, monitor);
    glfwMakeContextCurrent(window.get());
    glfwSwapInterval(1);
    if (!options.windowed) {
        glfwSetInputMode(window.get(), GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    }
    glfwFocusWindow(window.get());
    times.windowOpened = Clock::now();
    fonts.join();
    times.fontTime = fontTime;
    if (fontError) {
        std::rethrow_exception(fontError);
    }

    // The loop's callbacks first: the ImGui backend installs its own and chains to them.
    FrameLoop loop(runtime, options, notifier, signals, window.get(), monitor);
    imgui.initBackends(window.get());
    times.fontsBuilt = Clock::now();
    // Shaped text is drawn from the app's own glyph atlas; its texture lives while the GL
    // context does (dropped below, before the context goes).
    GlGlyphTexture glyphTexture;
    app.setGlyphTextureHost(&glyphTexture);
    struct DropTexture {
        ui::KioskApp& app;
        ~DropTexture() { app.setGlyphTextureHost(nullptr); }
    } dropTexture{app};
    app.setWake([] { glfwPostEmptyEvent(); });
    // Sync and read-aloud start after the first frame (background_services.h says why).
    BackgroundServices services(runtime, app);
    loop.setBackgroundServices(&services);
    return loop.run(app, times);
}

}  // namespace signpost::app
