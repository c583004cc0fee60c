// Signpost — one resident's visit to the kiosk, without any drawing: which screen is shown, how
// they got there, what they searched for and chose, the self-referral they are filling in, and
// their text size, contrast and language for this visit.
//
// Screens (kiosk/ui) read this state and send intents (navigate, chooseNeed, typeText,
// nextStep, submit, finishAndClear...). Everything here is testable without ImGui.
//
// Privacy: every field a resident types is a SecureString. resetSession() (the idle timeout,
// "Finish and clear", the end of a referral) wipes them all, clears every choice, and puts the
// venue's defaults back, so the next person finds a fresh kiosk. A successful submit wipes the
// form at once: the confirmation screen holds only the reference.
//
// kiosk_session.cpp holds the screens, navigation, filters, text fields and the end of a visit;
// kiosk_session_referral.cpp the self-referral form and submit().
//
// Thread-safety: UI thread only. submit() blocks for the durable commit (~10 ms).
// Throws: nothing except std::bad_alloc; submit() turns storage and crypto failures into an
// outcome and a message key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"
#include "core/config/kiosk_config.h"
#include "core/directory/directory_store.h"
#include "core/referral/referral.h"
#include "core/referral/submit.h"
#include "core/referral/validation.h"

namespace signpost {

class Outbox;

enum class Screen {
    Home,
    Results,
    Service,
    ReferralNeeds,
    ReferralContact,
    ReferralContactSelf,  // "I'd rather contact them myself": their details, no referral
    ReferralBestTime,
    ReferralMessage,
    ReferralLanguage,
    ReferralAccess,
    ReferralConsent,
    ReferralReview,
    ReferralDone,
    StaffPin,
    StaffPanel,
};

// The stable id of a screen ("home", "referral.best_time", "staff.pin"...) used by the UiMap.
const char* screenId(Screen screen) noexcept;
// True for the self-referral screens (they show the safety line and a progress indicator).
bool isReferralScreen(Screen screen) noexcept;
bool isStaffScreen(Screen screen) noexcept;
// The step a screen asks for; nullopt for screens that are not a numbered step.
std::optional<ReferralStep> stepOfScreen(Screen screen) noexcept;
Screen screenOfStep(ReferralStep step) noexcept;

// The text fields a resident types into.
enum class TextTarget { Search, NeedsText, Name, Phone, Email, AccessNeeds };

// What a visit starts with: the venue's settings from the config.
struct SessionDefaults {
    std::string neighbourhood;  // preselected neighbourhood; "" = anywhere
    TextSize textSize = TextSize::Normal;
    bool highContrast = false;
    std::string language = "en";
};

enum class SubmitOutcome {
    Submitted,  // stored durably; screen is ReferralDone and the form is wiped
    Invalid,    // validation failed; the first step with an error is shown, errors on fields
    Failed,     // storage or crypto failure; form kept, submitErrorKey() set
};

class KioskSession {
public:
    explicit KioskSession(SessionDefaults defaults);

    // --- What is shown -------------------------------------------------------------------------
    Screen screen() const noexcept { return m_screen; }
    bool canGoBack() const noexcept { return !m_backStack.empty(); }
    // Incremented by every resetSession(); the UI drops its own per-visit state (scroll
    // positions, focus, keyboard) when it changes.
    std::uint64_t resetCount() const noexcept { return m_resetCount; }
    // True when nobody has touched anything since the last reset (the idle timeout then resets
    // silently, without asking "Do you need more time?").
    bool isPristine() const noexcept { return m_pristine; }

    // --- Browsing ------------------------------------------------------------------------------
    const SecureString& searchText() const noexcept { return m_searchText; }
    const SearchFilters& filters() const noexcept { return m_filters; }
    // Changes whenever the search text or a filter changes, so the UI knows to search again.
    std::uint64_t searchRevision() const noexcept { return m_searchRevision; }
    // The request for the results screen (text and filters), with `limit`.
    SearchRequest searchRequest(std::size_t limit) const;
    const std::string& serviceId() const noexcept { return m_serviceId; }

    // --- This visit's display choices ----------------------------------------------------------
    TextSize textSize() const noexcept { return m_textSize; }
    bool highContrast() const noexcept { return m_highContrast; }
    const std::string& language() const noexcept { return m_language; }
    const SessionDefaults& defaults() const noexcept { return m_defaults; }

    // --- The self-referral ---------------------------------------------------------------------
    const ReferralForm& form() const noexcept { return m_form; }
    // The resident chose "I'd rather contact them myself" on the contact step.
    bool contactingThemselves() const noexcept { return m_screen == Screen::ReferralContactSelf; }
    // Field errors from the last nextStep()/submit(), cleared field by field as they are edited.
    const std::vector<FieldError>& fieldErrors() const noexcept { return m_fieldErrors; }
    // The i18n key of the error on `field`, or nullptr.
    const char* fieldError(ReferralField field) const noexcept;
    // "error.submit.failed" after a failed submit; "" otherwise.
    const std::string& submitErrorKey() const noexcept { return m_submitErrorKey; }
    // The reference shown on the confirmation screen ("MCR-4K7Q"); "" before a submit.
    const std::string& reference() const noexcept { return m_reference; }
    // The service the stored referral was for ("" = a general referral, or none yet): directory
    // data, kept for the confirmation screen's QR code after the form itself is wiped.
    const std::string& referredServiceId() const noexcept { return m_referredServiceId; }
    // "Step n of total" for the current screen; 0 of 0 when it is not a numbered step. The
    // message step counts only when a phone number was given (or before the contact step).
    int stepNumber() const;
    int stepCount() const;
    // The steps this form goes through, in order.
    std::vector<ReferralStep> steps() const;
    // True while a step was opened with "Change" from the review screen.
    bool changingFromReview() const noexcept { return m_changingFromReview; }

    // --- Intents: navigation -------------------------------------------------------------------
    void navigate(Screen screen);                  // pushes the current screen for back()
    bool back();                                   // false when there is nowhere to go back to
    void goHome();                                 // home, keeping what was chosen (not a reset)
    void chooseNeed(const std::string& needCode);  // results for that need; search text cleared
    void clearNeed();
    void chooseService(const std::string& serviceId);  // the service page
    void noteInteraction() noexcept { m_pristine = false; }

    // --- Intents: filters ----------------------------------------------------------------------
    void setNeighbourhood(const std::string& name);  // "" = anywhere in the city
    void setOpenNowFilter(bool on);
    void setFreeOnlyFilter(bool on);
    void setDropInFilter(bool on);
    void setLanguageFilter(const std::string& code);  // "" = any language

    // --- Intents: text -------------------------------------------------------------------------
    std::string_view text(TextTarget target) const noexcept;
    // Types `utf8` at the end of the field: control and bidi characters are dropped (cleanText
    // on entry), and nothing goes past the field's cap (code points). Returns false if anything
    // was refused. Typing a search on the home screen opens the results. Clears the field's error.
    bool typeText(TextTarget target, std::string_view utf8);
    // Removes the last code point; false if the field was empty.
    bool eraseLast(TextTarget target);
    // Empties the field (wiping its memory).
    void clearText(TextTarget target);
    // Cleans the whole field (trims, drops controls) when the resident leaves it.
    void finishEditing(TextTarget target);
    static std::size_t maxLength(TextTarget target) noexcept;

    // --- Intents: the self-referral ------------------------------------------------------------
    // For the service on screen: the need the resident came through is preselected when the
    // service offers it.
    void startServiceReferral(const std::string& serviceId, const std::string& serviceName,
                              const std::vector<std::string>& serviceNeedCodes);
    void startGeneralReferral();
    void toggleReferralNeed(const std::string& needCode);
    void chooseContactThemselves();  // shows their details instead of a form (ReferralContactSelf)
    void setBestTime(ContactTime time);
    void setSafeToLeaveMessage(Answer answer);
    void setPreferredLanguage(const std::string& code);
    void setInterpreterNeeded(bool needed);
    void setConsent(bool given);
    // Validates the current step; on success moves to the next one (or back to the review after
    // "Change"). On failure stays, with the errors on the fields. Returns success.
    bool nextStep();
    // Opens `step` from the review screen; its Next (and Back) come straight back to review.
    void changeFromReview(ReferralStep step);
    // Seals and stores the referral (core/referral/submit.h). See SubmitOutcome.
    SubmitOutcome submit(const SubmitContext& context, Outbox& outbox);

    // --- Intents: display ----------------------------------------------------------------------
    void setTextSize(TextSize size);
    void cycleTextSize();  // normal → large → largest → normal
    void setHighContrast(bool on);
    void setLanguage(const std::string& code);

    // --- Intents: the end of a visit -----------------------------------------------------------
    // "Finish and clear", the idle timeout, the end of a referral: wipes every field, clears
    // every choice, back to home with the venue's defaults.
    void resetSession();
    void finishAndClear() { resetSession(); }
    // New venue defaults (staff saved settings); applied now and at every reset.
    void setDefaults(SessionDefaults defaults);

private:
    SecureString& field(TextTarget target) noexcept;
    void textChanged(TextTarget target);
    void clearFieldError(ReferralField field);
    void touchSearch();
    void returnToReview();
    void openForm();  // the first step of a new or resumed referral form
    Screen nextScreenAfter(ReferralStep step) const;

    SessionDefaults m_defaults;
    Screen m_screen = Screen::Home;
    std::vector<Screen> m_backStack;
    std::uint64_t m_resetCount = 0;
    bool m_pristine = true;

    SecureString m_searchText;
    SearchFilters m_filters;
    std::uint64_t m_searchRevision = 0;
    std::string m_serviceId;
    std::string m_referredServiceId;

    TextSize m_textSize = TextSize::Normal;
    bool m_highContrast = false;
    std::string m_language = "en";

    ReferralForm m_form;
    bool m_changingFromReview = false;
    std::vector<FieldError> m_fieldErrors;
    std::string m_submitErrorKey;
    std::string m_reference;
};

}  // namespace signpost
