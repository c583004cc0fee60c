// Signpost — the kiosk's whole user interface as one object the shell drives frame by frame.
//
// The shell (kiosk/app) owns the window, the GL context and the frame loop. Each frame it calls
// ImGui::NewFrame(), KioskApp::drawFrame(), ImGui::Render(). KioskApp owns the ImGui-side state
// (fonts, theme, touch scrolling, on-screen keyboard) and the KioskSession (core/session: what
// screen, what the resident chose and typed), and draws one screen per file from kiosk/ui/.
// Tests drive the same object with a headless ImGui context (no GL).
//
// Thread-safety: UI thread only. Nothing here blocks on the network.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime/kiosk_runtime.h"

struct ImGuiIO;

namespace signpost {
class KioskSession;
}
namespace signpost::sync {
class SyncEngine;
}
namespace signpost::speech {
class SpeechEngine;
}

namespace signpost::ui {

class UiMap;
class Text;
class GlyphTextureHost;
class TextAudit;

struct FrameInput {
    std::chrono::steady_clock::time_point now;      // drives idle timer and animations
    std::chrono::system_clock::time_point wallNow;  // drives "open now" and timestamps
    float displayWidth = 1920;
    float displayHeight = 1080;
    float pixelsPerMillimetre =
        0;                  // from the monitor's physical size; 0 = unknown (assume 1080p 24")
    bool hadInput = false;  // any pointer/key event since the last frame
};

// What the app asks the shell to do after a frame.
enum class ShellRequest { None, Restart, Exit };

class KioskApp {
public:
    explicit KioskApp(KioskRuntime& runtime);
    ~KioskApp();
    KioskApp(const KioskApp&) = delete;
    KioskApp& operator=(const KioskApp&) = delete;

    // Builds ImGui's own font atlas into `io.Fonts` (call once after ImGui::CreateContext(), and
    // again whenever fontAtlasStale() says so, before NewFrame; the shell then uploads the
    // texture, and may ClearTexData() after uploading). It holds only ImGui's built-in font: our
    // text is shaped and drawn by ui/text.h from its own glyph atlas, rasterised on demand at
    // any size, so changing the text size needs no rebuild. Also sets io.IniFilename = nullptr
    // (a kiosk keeps no window state) and ImGui's style to the current theme.
    void buildFonts(ImGuiIO& io);
    bool fontAtlasStale() const noexcept;
    // Where the glyph atlas becomes a GPU texture (the shell: OpenGL). Null (the default): no
    // texture, as in headless tests. Set it to null before destroying the host.
    void setGlyphTextureHost(GlyphTextureHost* host);

    // The sync engine the staff panel and the status line read (null = none; the default). The
    // engine must outlive the app's use of it; the shell stops it before destroying it.
    void setSyncEngine(sync::SyncEngine* engine) noexcept;
    // The speech engine "Read aloud" uses (null = none: the button never shows; the default). It
    // must outlive the app's use of it. Its onChange should wake the frame loop.
    void setSpeechEngine(speech::SpeechEngine* engine);
    // Called from the app's background threads (remote settings fetched) when they have
    // something for the next frame; the shell passes glfwPostEmptyEvent. Set before the first
    // frame; it must be safe to call from any thread. Default: none.
    void setWake(std::function<void()> wake);

    // Draws the current screen. Call between ImGui::NewFrame() and ImGui::Render().
    void drawFrame(const FrameInput& input);
    // After a frame failed (drawFrame threw): "Sorry, something went wrong…" (shell.fault) over
    // the whole window in the current language, in place of the screen. Never throws: if even
    // the text engine fails, ImGui's own font says it.
    void drawFaultNotice();

    // Render-on-demand hints for the shell's frame loop:
    // true while something moves (inertia scroll, the keyboard sliding, a staff-corner hold),
    // after a frame that changed state, and while the font atlas is stale: keep drawing frames.
    bool isAnimating() const noexcept;
    // The next moment a frame is needed without input (idle warning, countdown tick, the minute
    // "open now" changes); nullopt = only on input.
    std::optional<std::chrono::steady_clock::time_point> nextWakeUp() const;

    ShellRequest shellRequest() const noexcept;
    // Opening hours (operations): false while the closed screen shows and nobody touched it for
    // hours.closed_wake seconds (with hours.sleep_when_closed) — the shell then lets the display
    // sleep (DPMS) and wakes it when this turns true again. Always true while the venue is open.
    bool displayAwake() const noexcept;
    bool venueClosed() const noexcept;
    // Call after runtime.config changed underneath (remote settings arrived, staff saved): applies
    // opening hours, idle durations, languages and session defaults. UI thread, between frames.
    void settingsChanged();
    // The screen shown, as a stable id ("home", "results", "service", "referral.contact", ...).
    std::string currentScreenId() const;
    // Where every touchable element was drawn in the last frame (tests and the e2e driver use it
    // to press things by id). Always kept; it costs a vector of rects per frame.
    const UiMap& uiMap() const;

    // --- Read-only views for tests and the e2e tooling (no resident data leaves through these
    // except via the session, which tests inspect to prove it was wiped). ---
    // The visit's state: screen, search, filters, the referral form.
    const KioskSession& session() const noexcept;
    // Scroll position of a scrolling area by its UiMap id ("results.list", "home.scroll"); 0 if
    // never drawn or reset.
    float scrollOffset(std::string_view area) const;
    bool keyboardShown() const noexcept;
    // What "Read aloud" is reading, sentence by sentence (empty when not reading).
    const std::vector<std::string>& readingAloud() const noexcept;
    // The focus key of the text field being typed into ("" = none).
    const std::string& focusedField() const noexcept;
    // The fonts as built (glyph coverage checks).
    const Text& text() const noexcept;
    // The render test watches every text drawn (ui/text.h); null = none (the default).
    void setTextAudit(TextAudit* audit) noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace signpost::ui
