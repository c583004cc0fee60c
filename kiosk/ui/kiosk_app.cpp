#include "ui/kiosk_app.h"

#include <imgui.h>
#include <imgui_internal.h>  // ImGuiWindow, for mirroring right-to-left layers

#include <array>
#include <cmath>
#include <vector>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/common/utf8.h"
#include "core/operations/closed_state.h"
#include "core/session/idle_timer.h"
#include "core/session/kiosk_session.h"
#include "sync/engine/sync_engine.h"
#include "text/font_library.h"
#include "ui/layer_window.h"
#include "ui/layout.h"
#include "ui/remote_settings_poller.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "ui/ui_context.h"
#include "ui/ui_map.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

constexpr std::size_t kScreenCount = static_cast<std::size_t>(Screen::StaffPanel) + 1;

SessionDefaults defaultsFrom(const KioskConfig& config) {
    SessionDefaults defaults;
    defaults.neighbourhood = config.neighbourhood;
    defaults.textSize = config.textSize;
    defaults.highContrast = config.highContrast;
    defaults.language = config.defaultLanguage.empty() ? "en" : config.defaultLanguage;
    return defaults;
}

bool keyPressed(const ImGuiIO& io, ImGuiKey key) {
    const int index = io.KeyMap[key];
    return index >= 0 && ImGui::IsKeyPressed(index, true);
}

}  // namespace

struct KioskApp::Impl {
    explicit Impl(KioskRuntime& rt)
        : runtime(rt),
          session(defaultsFrom(rt.config)),
          text(loadFontConfig(rt.assetsDir)),
          ui(map, text, rt.i18n),
          idle(std::chrono::seconds(rt.config.idleTimeoutSeconds),
               std::chrono::seconds(rt.config.idleWarningSeconds), SteadyClock::now()),
          closed(openingHoursOf(rt.config), rt.zone ? *rt.zone : TimeZone::load(rt.config.timeZone),
                 rt.config.sleepWhenClosed, std::chrono::seconds(rt.config.closedWakeSeconds)) {
        views = {makeHomeView(),
                 makeResultsView(),
                 makeServiceView(),
                 makeReferralNeedsView(),
                 makeReferralContactView(),
                 makeReferralContactSelfView(),
                 makeReferralBestTimeView(),
                 makeReferralMessageView(),
                 makeReferralLanguageView(),
                 makeReferralAccessView(),
                 makeReferralConsentView(),
                 makeReferralReviewView(),
                 makeReferralDoneView(),
                 makeStaffPinView(),
                 makeStaffPanelView()};
        directory.reload(runtime.directory.get());
        layout = computeLayout(1920, 1080, 0, session.textSize(), session.highContrast());
    }

    View& view() { return *views[static_cast<std::size_t>(session.screen())]; }

    void dropVisitState() {
        readAloud.reset();
        focus.drop();
        keyboard.reset();
        chooser.reset();
        scrolls.resetAll();
        for (auto& v : views) {
            v->resetVisit();
        }
        directory.reload(runtime.directory.get());
        seenResetCount = session.resetCount();
    }

    void applyLanguage() {
        if (runtime.i18n.language() != session.language() &&
            !runtime.i18n.setLanguage(session.language())) {
            runtime.i18n.setLanguage("en");
        }
    }

    // The language's file says its direction (_meta.direction); ICU knows the rest by its tag.
    bool rightToLeft() const {
        return runtime.i18n.languageInfo().rightToLeft ||
               text::isRightToLeftLanguage(runtime.i18n.language());
    }

    void handlePhysicalKeys(ImGuiIO& io) {
        if (!focus.active()) {
            return;
        }
        bool typed = false;
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
            const ImWchar c = io.InputQueueCharacters[i];
            if (c >= 0x20 && c != 0x7F && focus.binding().type) {
                focus.binding().type(utf8::encode(c));
                typed = true;
            }
        }
        if (keyPressed(io, ImGuiKey_Backspace) && focus.binding().erase) {
            focus.binding().erase();
            typed = true;
        }
        if (keyPressed(io, ImGuiKey_Enter) || keyPressed(io, ImGuiKey_KeyPadEnter) ||
            keyPressed(io, ImGuiKey_Escape)) {
            focus.blur();
            keyboard.hide();
        } else if (typed) {
            focus.requestReveal();
        }
    }

    void applyKeyEvents(const std::vector<KeyEvent>& events) {
        for (const KeyEvent& event : events) {
            if (!focus.active()) {
                break;
            }
            switch (event.kind) {
                case KeyEvent::Kind::Text:
                    if (focus.binding().type) {
                        focus.binding().type(event.text);
                    }
                    break;
                case KeyEvent::Kind::Backspace:
                    if (focus.binding().erase) {
                        focus.binding().erase();
                    }
                    break;
                case KeyEvent::Kind::Done:
                    focus.blur();
                    keyboard.hide();
                    break;
            }
            session.noteInteraction();
            focus.requestReveal();
        }
    }

    KioskRuntime& runtime;
    KioskSession session;
    UiMap map;
    Text text;
    Ui ui;
    IdleTimer idle;
    ClosedState closed;  // opening hours: the closed screen and display sleep (operations)
    RemoteSettingsPoller remoteSettings;  // remote settings at sync (operations)
    OnScreenKeyboard keyboard;
    TextFocus focus;
    Chooser chooser;
    ScrollStore scrolls;
    DirectoryCache directory;
    TopBarState topBar;
    ReadAloud readAloud;
    std::string readScreen;  // the screen a reading began on: another one stops it
    std::array<std::unique_ptr<View>, kScreenCount> views;
    Layout layout;
    ShellRequest request = ShellRequest::None;
    sync::SyncEngine* syncEngine = nullptr;
    std::uint64_t seenResetCount = 0;
    bool firstFrame = true;
    bool animating = false;
    bool redrawWanted = false;
    SteadyClock::time_point lastNow{};
    std::chrono::system_clock::time_point lastWallNow{};
    float displayWidth = 1920;
    float displayHeight = 1080;
    float pixelsPerMm = 0;
};

KioskApp::KioskApp(KioskRuntime& runtime) : m_impl(std::make_unique<Impl>(runtime)) {}

KioskApp::~KioskApp() = default;

void KioskApp::buildFonts(ImGuiIO& io) {
    io.IniFilename = nullptr;  // a kiosk keeps no window state between runs
    io.LogFilename = nullptr;
    Impl& s = *m_impl;
    if (io.DisplaySize.x > 0 && io.DisplaySize.y > 0 && s.firstFrame) {
        s.displayWidth = io.DisplaySize.x;
        s.displayHeight = io.DisplaySize.y;
    }
    s.layout = computeLayout(s.displayWidth, s.displayHeight, s.pixelsPerMm, s.session.textSize(),
                             s.session.highContrast());
    s.text.build(*io.Fonts);
    applyImGuiStyle(ImGui::GetStyle(), paletteFor(s.session.highContrast()));
}

bool KioskApp::fontAtlasStale() const noexcept {
    return !m_impl->text.isBuilt();
}

void KioskApp::setGlyphTextureHost(GlyphTextureHost* host) {
    m_impl->text.setTextureHost(host);
}

void KioskApp::drawFrame(const FrameInput& input) {
    Impl& s = *m_impl;
    const SteadyClock::time_point now = input.now;
    if (s.firstFrame) {
        s.idle.reset(now);
        s.firstFrame = false;
    }
    // Remote settings (operations): fetched after each successful sync, applied here, between
    // frames, so no screen ever sees half of them.
    if (s.remoteSettings.update(s.runtime,
                                s.syncEngine != nullptr ? s.syncEngine->status().get() : nullptr)) {
        settingsChanged();
    }
    // The staff PIN's lock state rides the heartbeat (issue 9); unchanged, this is a compare.
    if (s.syncEngine != nullptr && s.runtime.staff) {
        protocol::StaffLockReport staff;
        staff.reported = true;
        staff.pinSet = s.runtime.staff->hasPin();
        staff.lockouts = s.runtime.staff->lockouts();
        if (const auto until = s.runtime.staff->lockedUntil(input.wallNow)) {
            staff.lockedUntil = formatIsoUtc(*until);
        }
        s.syncEngine->reportStaff(staff);
    }
    s.displayWidth = input.displayWidth;
    s.displayHeight = input.displayHeight;
    s.pixelsPerMm = input.pixelsPerMillimetre;
    s.lastNow = now;
    s.lastWallNow = input.wallNow;
    if (s.session.resetCount() != s.seenResetCount) {
        s.dropVisitState();
    }

    ImGuiIO& io = ImGui::GetIO();
    const bool pointerDown = io.MouseDown[0];
    // The idle clock: any touch or key restarts it (ignored by the timer during the warning).
    if (input.hadInput || pointerDown) {
        s.idle.noteInput(now);
    }
    IdlePhase phase = s.idle.update(now);
    if (phase == IdlePhase::Warning && s.session.isPristine()) {
        // Nobody touched anything since the last reset: nothing to protect, no question to ask.
        s.idle.reset(now);
        phase = IdlePhase::Active;
    }
    if (phase == IdlePhase::Expired) {
        logInfo("ui", "idle timeout: session cleared");
        s.session.resetSession();
        s.dropVisitState();
        s.idle.reset(now);
        phase = IdlePhase::Active;
    }
    s.applyLanguage();
    const bool rtl = s.rightToLeft();

    s.layout = computeLayout(input.displayWidth, input.displayHeight, input.pixelsPerMillimetre,
                             s.session.textSize(), s.session.highContrast());
    const Palette& palette = paletteFor(s.session.highContrast());
    applyImGuiStyle(ImGui::GetStyle(), palette);
    s.text.setLanguage(s.runtime.i18n.language(), rtl);
    s.text.beginFrame();
    s.keyboard.setLanguage(s.runtime.i18n.language());
    s.ui.beginFrame(s.layout, palette, io.MousePos, pointerDown, now);
    if (s.ui.pointer().pressed) {
        s.session.noteInteraction();
    }
    // Read-aloud: a touch stops it, and so do the idle question and another screen.
    const std::string readScreen = signpost::screenId(s.session.screen());
    if (phase == IdlePhase::Warning || readScreen != s.readScreen) {
        s.readAloud.stop();
    }
    s.readScreen = readScreen;
    std::vector<std::string>* readable =
        s.readAloud.beginFrame(s.text, s.ui.pointer().pressed, palette.reading, palette.onReading);
    s.keyboard.advance(s.ui.deltaSeconds());

    const bool warning = phase == IdlePhase::Warning;
    const int topLayer = warning ? 2 : s.chooser.isOpen() ? 1 : 0;
    s.ui.setTopLayer(topLayer);
    // Outside opening hours the home screen gives way to the closed screen; a visit elsewhere
    // and staff mode are never interrupted.
    s.closed.update(input.wallNow, now, input.hadInput || pointerDown,
                    s.session.screen() == Screen::Home);
    const bool closedScreen = s.closed.showClosedScreen();
    std::string screenId =
        closedScreen ? std::string("closed") : signpost::screenId(s.session.screen());
    if (warning) {
        screenId += "+idle";
    }
    s.map.beginFrame(std::move(screenId));
    if (topLayer == 0) {
        s.handlePhysicalKeys(io);
    }

    ScreenContext context{s.ui,
                          s.session,
                          s.runtime,
                          s.focus,
                          s.keyboard,
                          s.chooser,
                          s.directory,
                          s.scrolls,
                          s.idle,
                          s.request,
                          input.wallNow,
                          s.syncEngine,
                          s.syncEngine != nullptr ? s.syncEngine->status() : nullptr,
                          s.readAloud};
    const Rect screen{0, 0, s.layout.width, s.layout.height};
    // Right-to-left languages: the screen, a chooser and the idle question are drawn left to
    // right and mirrored as a whole once drawn; the keyboard keeps its own layout.
    std::vector<ImGuiWindow*> mirrored;
    {
        LayerWindow window("##signpost", screen, false, true);
        s.ui.setLayer(0);
        s.ui.setMirrored(rtl);
        if (rtl) {
            mirrored.push_back(window.window());
        }
        Rect rest = screen;
        const Rect bar = rest.cutTop(topBarHeight(context, screen.width()));
        if (s.keyboard.shown()) {
            rest.y1 -= s.keyboard.panelHeight(s.layout);
        }
        if (s.keyboard.visible()) {
            s.ui.setBlockers({s.keyboard.panelRect(s.layout, screen)});
        }
        s.focus.beginFrame();
        s.text.beginReadable(readable);  // the screen's own words: what "Read aloud" reads
        if (closedScreen) {
            drawClosedScreen(context, rest, s.closed);
        } else {
            s.view().draw(context, rest);
        }
        s.text.endReadable();
        s.ui.clearBlockers();
        drawTopBar(context, bar, s.topBar);
    }
    if (s.focus.active() && !s.focus.drawnThisFrame()) {
        s.focus.blur();  // its screen has gone
        s.keyboard.hide();
    }
    if (!s.focus.active() && s.keyboard.shown()) {
        s.keyboard.hide();
    }
    if (s.keyboard.visible()) {
        const Rect panel = s.keyboard.panelRect(s.layout, screen);
        LayerWindow window("##keyboard", panel, true);
        s.ui.setLayer(0);
        s.ui.setMirrored(false);
        s.applyKeyEvents(s.keyboard.draw(s.ui, screen));
    }
    if (s.keyboard.shown() && s.focus.revealIfWanted(s.layout.gap * 2)) {
        s.ui.requestAnimationFrame();
    }
    if (s.chooser.isOpen()) {
        LayerWindow window("##chooser", screen, true);
        s.ui.setLayer(1);
        s.ui.setMirrored(rtl);
        if (rtl) {
            mirrored.push_back(window.window());
        }
        s.chooser.draw(s.ui, screen);
    }
    if (warning) {
        LayerWindow window("##idle", screen, true);
        s.ui.setLayer(2);
        s.ui.setMirrored(rtl);
        if (rtl) {
            mirrored.push_back(window.window());
        }
        drawIdleOverlay(context, screen, s.idle.warningSecondsLeft(now));
    }
    s.readAloud.endFrame(s.runtime.i18n.language());
    s.ui.setMirrored(false);
    s.ui.endFrame();
    mirrorWindows(mirrored, s.layout.width);
    s.text.endFrame();

    const auto actions = s.ui.takeActions();
    for (const auto& action : actions) {
        action();
    }
    if (s.session.resetCount() != s.seenResetCount) {
        s.dropVisitState();
    }
    s.applyLanguage();
    // The text size or contrast may have changed: say so now, so the shell rebuilds the atlas.
    s.layout = computeLayout(input.displayWidth, input.displayHeight, input.pixelsPerMillimetre,
                             s.session.textSize(), s.session.highContrast());
    s.animating = s.ui.animationRequested() || s.keyboard.isAnimating() || s.scrolls.anyMoving() ||
                  !actions.empty() || s.text.needsAnotherFrame();
}

void KioskApp::drawFaultNotice() {
    Impl& s = *m_impl;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav;
    ImGui::Begin("##shell-fault", nullptr, flags);
    const float margin = io.DisplaySize.x * 0.1f;
    const char* message = s.runtime.i18n.tr("shell.fault");
    try {
        s.text.setMirrored(false, io.DisplaySize.x);
        s.text.beginFrame();
        const Rect box{margin, io.DisplaySize.y * 0.4f, io.DisplaySize.x - margin,
                       io.DisplaySize.y};
        s.text.drawWrapped(ImGui::GetWindowDrawList(), TextStyle::Heading, box,
                           ImGui::GetColorU32(ImGuiCol_Text), message, Align::Centre);
        s.text.endFrame();
    } catch (const std::exception& error) {
        logError("ui", std::string("the fault notice could not be shaped: ") + error.what());
        ImGui::SetCursorPos(ImVec2(margin, io.DisplaySize.y * 0.4f));
        ImGui::PushTextWrapPos(io.DisplaySize.x - margin);
        ImGui::TextUnformatted(message);
        ImGui::PopTextWrapPos();
    }
    ImGui::End();
}

bool KioskApp::isAnimating() const noexcept {
    return m_impl->animating;
}

std::optional<std::chrono::steady_clock::time_point> KioskApp::nextWakeUp() const {
    const Impl& s = *m_impl;
    std::optional<SteadyClock::time_point> wake = s.idle.nextWakeUp(s.lastNow);
    auto consider = [&wake](std::optional<SteadyClock::time_point> candidate) {
        if (candidate && (!wake || *candidate < *wake)) {
            wake = candidate;
        }
    };
    const View& view = *s.views[static_cast<std::size_t>(s.session.screen())];
    consider(view.nextWakeUp(s.lastNow));
    consider(s.closed.nextWakeUp());
    if (view.showsOpenNow()) {
        // "Open now" can change at each minute boundary of the wall clock.
        const auto sinceEpoch = s.lastWallNow.time_since_epoch();
        const auto intoMinute = sinceEpoch - std::chrono::floor<std::chrono::minutes>(sinceEpoch);
        const auto untilNext = std::chrono::minutes(1) - intoMinute;
        consider(s.lastNow + std::chrono::duration_cast<SteadyClock::duration>(untilNext) +
                 std::chrono::milliseconds(50));
    }
    return wake;
}

ShellRequest KioskApp::shellRequest() const noexcept {
    return m_impl->request;
}

bool KioskApp::displayAwake() const noexcept {
    return m_impl->closed.displayAwake();
}

bool KioskApp::venueClosed() const noexcept {
    return m_impl->closed.venueClosed();
}

void KioskApp::settingsChanged() {
    Impl& s = *m_impl;
    const KioskConfig& config = s.runtime.config;
    s.closed.configure(openingHoursOf(config), config.sleepWhenClosed,
                       std::chrono::seconds(config.closedWakeSeconds));
    s.idle.setDurations(std::chrono::seconds(config.idleTimeoutSeconds),
                        std::chrono::seconds(config.idleWarningSeconds));
    std::vector<std::string> loaded;
    for (const LanguageInfo& language : s.runtime.i18n.languages()) {
        loaded.push_back(language.code);
    }
    if (loaded != config.languages) {
        try {
            const std::string current = s.runtime.i18n.language();
            s.runtime.i18n = I18n::load(s.runtime.assetsDir / "i18n", config.languages);
            if (!s.runtime.i18n.setLanguage(current)) {
                s.runtime.i18n.setLanguage("en");
            }
        } catch (const I18nError& error) {
            logError("ui", std::string("texts not reloaded: ") + error.what());
        }
    }
    SessionDefaults defaults = s.session.defaults();
    defaults.neighbourhood = config.neighbourhood;
    defaults.textSize = config.textSize;
    defaults.highContrast = config.highContrast;
    defaults.language = config.defaultLanguage.empty() ? "en" : config.defaultLanguage;
    s.session.setDefaults(defaults);
    s.animating = true;  // draw once more with the new settings
}
void KioskApp::setSyncEngine(sync::SyncEngine* engine) noexcept {
    m_impl->syncEngine = engine;
}

void KioskApp::setSpeechEngine(speech::SpeechEngine* engine) {
    m_impl->readAloud.setEngine(engine);
}

const std::vector<std::string>& KioskApp::readingAloud() const noexcept {
    return m_impl->readAloud.utterances();
}

void KioskApp::setWake(std::function<void()> wake) {
    m_impl->remoteSettings.setWake(std::move(wake));
}

std::string KioskApp::currentScreenId() const {
    return m_impl->map.screenId();
}

const UiMap& KioskApp::uiMap() const {
    return m_impl->map;
}

const KioskSession& KioskApp::session() const noexcept {
    return m_impl->session;
}

float KioskApp::scrollOffset(std::string_view area) const {
    return m_impl->scrolls.offset(area);
}

bool KioskApp::keyboardShown() const noexcept {
    return m_impl->keyboard.shown();
}

const std::string& KioskApp::focusedField() const noexcept {
    return m_impl->focus.id();
}

const Text& KioskApp::text() const noexcept {
    return m_impl->text;
}

void KioskApp::setTextAudit(TextAudit* audit) noexcept {
    m_impl->text.setAudit(audit);
}

}  // namespace signpost::ui
