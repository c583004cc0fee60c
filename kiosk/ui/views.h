// Signpost UI — what every screen is given each frame, the View interface each screen file
// implements, and the helpers screens share (need labels, headings, the referral chrome).
//
// One screen per file (home_screen.cpp, results_screen.cpp, ...). A screen reads the session
// and the runtime, draws, and queues intents with Ui::defer(); it never changes the session in
// the middle of drawing.
// Thread-safety: UI thread only.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/operations/opening_hours.h"
#include "core/runtime/kiosk_runtime.h"
#include "core/session/idle_timer.h"
#include "core/session/kiosk_session.h"
#include "ui/button.h"
#include "ui/chooser.h"
#include "ui/kiosk_app.h"
#include "ui/on_screen_keyboard.h"
#include "ui/qr_code.h"
#include "ui/read_aloud.h"
#include "ui/text_field.h"
#include "ui/touch_scroll.h"
#include "ui/ui_context.h"

namespace signpost {
class ClosedState;
}
namespace signpost::sync {
class SyncEngine;
struct SyncStatus;
}  // namespace signpost::sync

namespace signpost::ui {

// Directory facts the screens list, read once per visit (cheap to keep, costly per frame).
struct DirectoryCache {
    std::vector<TaxonomyTerm> needs;          // in the data's order
    std::vector<std::string> neighbourhoods;  // sorted
    std::vector<std::string> languages;       // language codes services offer
    void reload(DirectoryStore* store);
};

// Scroll positions by area name; all dropped at a session reset.
class ScrollStore {
public:
    TouchScroll& operator[](std::string_view name);
    void resetAll();
    bool anyMoving() const;
    // 0 for an area never drawn.
    float offset(std::string_view name) const;

private:
    std::map<std::string, TouchScroll, std::less<>> m_scrolls;
};

struct ScreenContext {
    Ui& ui;
    KioskSession& session;
    KioskRuntime& runtime;
    TextFocus& focus;
    OnScreenKeyboard& keyboard;
    Chooser& chooser;
    DirectoryCache& directory;
    ScrollStore& scrolls;
    IdleTimer& idle;
    ShellRequest& shellRequest;
    std::chrono::system_clock::time_point wallNow;
    sync::SyncEngine* syncEngine;                        // null when the kiosk runs without one
    std::shared_ptr<const sync::SyncStatus> syncStatus;  // this frame's snapshot; null without
    ReadAloud& readAloud;                                // the top bar's "Read aloud" and volume

    std::chrono::sys_seconds wallSeconds() const {
        return std::chrono::time_point_cast<std::chrono::seconds>(wallNow);
    }
};

class View {
public:
    virtual ~View() = default;
    // Draws the screen into `area` (below the top bar, above the keyboard).
    virtual void draw(ScreenContext& context, const Rect& area) = 0;
    // Forget everything about this visit (the session was reset).
    virtual void resetVisit() {}
    // True while the screen shows "Open now" facts, which change on the minute.
    virtual bool showsOpenNow() const { return false; }
    // A moment this screen needs a frame without input (a countdown).
    virtual std::optional<SteadyClock::time_point> nextWakeUp(SteadyClock::time_point) const {
        return std::nullopt;
    }
};

std::unique_ptr<View> makeHomeView();
std::unique_ptr<View> makeResultsView();
std::unique_ptr<View> makeServiceView();
std::unique_ptr<View> makeReferralNeedsView();
std::unique_ptr<View> makeReferralContactView();
std::unique_ptr<View> makeReferralContactSelfView();
std::unique_ptr<View> makeReferralBestTimeView();
std::unique_ptr<View> makeReferralMessageView();
std::unique_ptr<View> makeReferralLanguageView();
std::unique_ptr<View> makeReferralAccessView();
std::unique_ptr<View> makeReferralConsentView();
std::unique_ptr<View> makeReferralReviewView();
std::unique_ptr<View> makeReferralDoneView();
std::unique_ptr<View> makeStaffPinView();
std::unique_ptr<View> makeStaffPanelView();

// --- Venue operations (operations) ----------------------------------------------------------
// The closed screen (closed_screen.cpp): drawn instead of the home screen outside the opening
// hours; UiMap screen id "closed".
void drawClosedScreen(ScreenContext& context, const Rect& area, const ClosedState& state);
// "We open again tomorrow at 9am." in the current language (closed.next_* keys).
std::string nextOpeningText(const I18n& i18n, const std::optional<NextOpening>& next);

// Staff panel sections (staff_operations.cpp): interface addresses; the last 50 log lines,
// newest first; and for a remote setting `key` ("kiosk.idle_timeout") its value with "Set by
// your coordinator", returning true — the caller then draws no control for it.
void drawStaffNetwork(ScreenContext& context, Flow& flow);
void drawStaffLog(ScreenContext& context, Flow& flow);
bool drawRemoteMark(ScreenContext& context, Flow& flow, std::string_view key, std::string_view id,
                    std::string_view value);
// "Send a test referral": a referral marked TEST (SubmitContext::test, and "TEST" in its text),
// queued like any other and pushed at once; the panel follows it until the server stored it.
struct TestReferralState {
    std::string id;
    std::string reference;
    std::int64_t seq = 0;
    std::string error;  // making it failed
};
void drawStaffTestReferral(ScreenContext& context, Flow& flow, TestReferralState& state);
// The next staff PIN screen starts at "Set a staff PIN" (the staff panel's "Change PIN").
void requestStaffPinChange();

// The idle question over everything ("Do you need more time?"); idle_overlay.cpp.
void drawIdleOverlay(ScreenContext& context, const Rect& screen, int secondsLeft);

// --- Labels ------------------------------------------------------------------------------------
// "need.<code>" in the current language (or English), else the term's own name.
std::string needLabel(const I18n& i18n, const TaxonomyTerm& term);
std::string needLabel(const I18n& i18n, const std::vector<TaxonomyTerm>& needs,
                      const std::string& code);
// "need.<code>.hint", else the term's description in English, else "".
std::string needHint(const I18n& i18n, const TaxonomyTerm& term);
// "langname.<code>", else the code in capitals.
std::string languageName(const I18n& i18n, const std::string& code);
// The i18n key for how a service is reached (drop-in, appointment, referral...); nullptr if
// unknown.
const char* accessKey(AttendingAccess access) noexcept;
// 12345 → "12,345".
std::string groupedNumber(std::size_t value);
// "Anywhere in Manchester" or the name.
std::string neighbourhoodLabel(const I18n& i18n, const std::string& name);

// --- Drawing helpers inside a Flow -------------------------------------------------------------
float flowText(Ui& ui, Flow& flow, TextStyle style, ImU32 colour, std::string_view text);
// An error message with a warning icon, in the error colour; nothing when key is null.
void flowError(Ui& ui, Flow& flow, const char* key);
// A "label: value" row of the staff panel: the translated label in bold on the left (38 % of the
// width), the value wrapped beside it, then a small gap.
void flowFactRow(Ui& ui, Flow& flow, const char* labelKey, std::string_view value);
// Label (bold), optional hint, the field, and its error: the whole group.
void labelledField(ScreenContext& context, Flow& flow, TouchScroll* scroll, const Rect& viewport,
                   float contentTop, std::string_view id, const char* labelKey, const char* hintKey,
                   TextFieldSpec spec, const TextBinding& binding, const char* errorKey);
// Binds a field to a session text target (caps and cleaning happen in the session).
TextBinding sessionBinding(KioskSession& session, TextTarget target);

// --- The self-referral chrome ------------------------------------------------------------------
struct ReferralFrame {
    Rect scroll;  // the scrolling content area
    Rect footer;  // Back / Next
    Rect safety;  // "In danger now?..."
};
ReferralFrame splitReferralArea(Ui& ui, const Rect& area);
void drawSafetyLine(Ui& ui, const Rect& rect);
// "Step 2 of 8" and a bar of segments; "For: <service>" under it for a service referral.
void drawProgress(ScreenContext& context, Flow& flow);
// The screen's title under the progress.
void drawStepTitle(ScreenContext& context, Flow& flow, const char* titleKey, const char* introKey);
// Back (referral.back) on the left; on the right `nextId` labelled `nextKey` (Next by default).
// Returns true when the right-hand button was pressed (Back is handled here).
bool referralFooter(ScreenContext& context, const Rect& footer,
                    const char* nextId = "referral.next", const char* nextKey = nullptr,
                    bool showBack = true);
// The standard "Next" action: validates and moves on (as an intent).
void deferNextStep(ScreenContext& context);

// --- Sync (sync_status_line.cpp, staff_sync_section.cpp) -------------------------------------
// The calm one-line status residents see in the top bar ("Online · all sent", "Offline · 2 waiting
// · last sent 14:03"), drawn into `space` if it fits; registered as "global.sync_status".
void drawSyncStatusLine(ScreenContext& context, const Rect& space);
// The staff panel's sync section: state in plain words, queue, last success and error, next try,
// "Sync now", and enrollment (server address + enrollment code). Its drafts live in `drafts`.
struct StaffSyncDrafts {
    std::string serverUrl;
    std::string code;
    std::uint64_t checkTicket = 0;  // the server check (fingerprint) shown; 0 = none
    std::string releaseArmedFor;    // held referrals' server whose "send them" was pressed once
    std::optional<SteadyClock::time_point> releaseArmedUntil;
    bool loaded = false;
    std::size_t rejectedShownFor = static_cast<std::size_t>(-1);  // counts.rejected last listed
    std::string rejectedReferences;  // "MCR-4K7Q, MCR-9PZT" (read from the outbox when it changes)
};
void drawStaffSyncSection(ScreenContext& context, Flow& flow, TouchScroll& scroll,
                          const ScrollArea& area, StaffSyncDrafts& drafts);

// The staff panel's settings section (staff_settings_section.cpp): venue name, neighbourhood, idle
// timeout, text size, contrast and the languages offered (with each translation's draft/reviewed
// status), and Save, which writes kiosk.toml atomically (saveKioskSettings) and applies the
// settings at once. The drafts start from the running config the first time the section is drawn
// after `drafts` was reset (the panel resets them on each visit); a remote setting shows its value
// instead of a control.
struct StaffSettingsDrafts {
    KioskSettings settings;
    std::vector<std::string> available;  // language codes with a file in assets/i18n
    std::vector<std::string> reviewed;   // of `available`: checked by a native speaker
    std::string saveMessage;             // "Settings saved" or what went wrong; "" = none yet
    bool saveFailed = false;
    bool loaded = false;
};
void drawStaffSettingsSection(ScreenContext& context, Flow& flow, TouchScroll& scroll,
                              const ScrollArea& area, StaffSettingsDrafts& drafts);

// --- The top bar (top_bar.cpp) -----------------------------------------------------------------
// Staff corner (press and hold 3 s), Back, and on the right the controls every screen has:
// language, text size, contrast, "Read aloud" and volume (where the language has a voice),
// "Finish and clear". One row when it fits, else two.
struct TopBarState {
    bool staffCornerFired = false;  // the hold already opened staff mode; wait for release
};
float topBarHeight(ScreenContext& context, float width);
void drawTopBar(ScreenContext& context, const Rect& rect, TopBarState& state);
// Opens the language chooser (the top bar's language button).
void openLanguageChooser(ScreenContext& context);
// Opens the neighbourhood chooser: option 0 "Anywhere in Manchester", then the directory's
// neighbourhoods in order (home.neighbourhood.option.<index>). Used on home and results.
void openNeighbourhoodChooser(ScreenContext& context);

// --- Service facts shared by the service page and "contact them yourself" (service_screen.cpp) --
// Phones (with what each is for), website, email and addresses of `detail`.
void drawContactDetails(ScreenContext& context, Flow& flow, const ServiceDetail& detail);
// The text of the confirmation's QR code, in the current language: "Your reference: MCR-4K7Q",
// a new line, and the "If nobody has contacted you…, call {phone}" sentence (plain text: any
// phone camera shows it; no bidi isolates in it).
std::string referralReceiptText(const I18n& i18n, const std::string& reference,
                                const std::string& phone);
// The service's details as a QR code a phone camera saves as a contact (qr.service_caption).
void drawServiceQr(ScreenContext& context, Flow& flow, const ServiceDetail& detail,
                   std::string_view id);
// A section heading and its wrapped text; nothing when `body` is empty.
void drawSection(Ui& ui, Flow& flow, const char* titleKey, std::string_view body);

// --- One self-referral step: progress, title, content, Back/Next, safety line ------------------
struct StepSpec {
    const char* scrollId = "referral.scroll";  // UiMap id of the step's scrolling area
    const char* titleKey = nullptr;
    const char* introKey = nullptr;
    const char* nextId = "referral.next";
    const char* nextKey = nullptr;  // nullptr = "Next"
    bool showBack = true;
};

// Draws the chrome and calls content(Flow&, TouchScroll&, const ScrollArea&) for the step's own
// widgets. Returns true when the right-hand footer button was pressed.
template <class Content>
bool drawReferralStep(ScreenContext& c, const Rect& area, const StepSpec& spec, Content&& content) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const ReferralFrame frame = splitReferralArea(ui, area);
    TouchScroll& scroll = c.scrolls[spec.scrollId];
    {
        ScrollArea scrollArea(ui, scroll, spec.scrollId, frame.scroll);
        const Rect inner = frame.scroll.shrink(l.margin, 0);
        Flow flow(inner.x0, inner.width());
        flow.gap(l.margin * 0.75f);
        drawProgress(c, flow);
        if (spec.titleKey != nullptr) {
            drawStepTitle(c, flow, spec.titleKey, spec.introKey);
        }
        content(flow, scroll, scrollArea);
        flow.gap(l.margin);
    }
    const bool next = referralFooter(c, frame.footer, spec.nextId, spec.nextKey, spec.showBack);
    drawSafetyLine(ui, frame.safety);
    return next;
}

// A grid of choice tiles sized for the flow (1–4 columns); returns the index tapped or -1.
struct ChoiceTile {
    std::string id;
    std::string title;
    std::string subtitle;
    bool selected = false;
};
int drawChoiceTiles(Ui& ui, Flow& flow, const std::vector<ChoiceTile>& tiles, TileMarker marker,
                    float minimumWidth = 330.0f, int maxColumns = 4);

}  // namespace signpost::ui
