// Signpost — KioskSession (kiosk_session.h) apart from the self-referral: the screens and their
// ids, navigation and Back, the search text and filters, the text fields residents type into,
// this visit's display choices, and the end of a visit (resetSession). The referral form's steps,
// its intents and submit() are in kiosk_session_referral.cpp.
#include "core/session/kiosk_session.h"

#include <algorithm>

#include "core/common/utf8.h"

namespace signpost {

namespace {

constexpr std::size_t kMaxSearchLength = 100;

}  // namespace

const char* screenId(Screen screen) noexcept {
    switch (screen) {
        case Screen::Home:
            return "home";
        case Screen::Results:
            return "results";
        case Screen::Service:
            return "service";
        case Screen::ReferralNeeds:
            return "referral.needs";
        case Screen::ReferralContact:
            return "referral.contact";
        case Screen::ReferralContactSelf:
            return "referral.contact_self";
        case Screen::ReferralBestTime:
            return "referral.best_time";
        case Screen::ReferralMessage:
            return "referral.message";
        case Screen::ReferralLanguage:
            return "referral.language";
        case Screen::ReferralAccess:
            return "referral.access";
        case Screen::ReferralConsent:
            return "referral.consent";
        case Screen::ReferralReview:
            return "referral.review";
        case Screen::ReferralDone:
            return "referral.done";
        case Screen::StaffPin:
            return "staff.pin";
        case Screen::StaffPanel:
            return "staff.panel";
    }
    return "home";
}

bool isReferralScreen(Screen screen) noexcept {
    return screen >= Screen::ReferralNeeds && screen <= Screen::ReferralDone;
}

bool isStaffScreen(Screen screen) noexcept {
    return screen == Screen::StaffPin || screen == Screen::StaffPanel;
}

std::optional<ReferralStep> stepOfScreen(Screen screen) noexcept {
    switch (screen) {
        case Screen::ReferralNeeds:
            return ReferralStep::Needs;
        case Screen::ReferralContact:
            return ReferralStep::Contact;
        case Screen::ReferralBestTime:
            return ReferralStep::BestTime;
        case Screen::ReferralMessage:
            return ReferralStep::Message;
        case Screen::ReferralLanguage:
            return ReferralStep::Language;
        case Screen::ReferralAccess:
            return ReferralStep::Access;
        case Screen::ReferralConsent:
            return ReferralStep::Consent;
        case Screen::ReferralReview:
            return ReferralStep::Review;
        default:
            return std::nullopt;
    }
}

Screen screenOfStep(ReferralStep step) noexcept {
    switch (step) {
        case ReferralStep::Needs:
            return Screen::ReferralNeeds;
        case ReferralStep::Contact:
            return Screen::ReferralContact;
        case ReferralStep::BestTime:
            return Screen::ReferralBestTime;
        case ReferralStep::Message:
            return Screen::ReferralMessage;
        case ReferralStep::Language:
            return Screen::ReferralLanguage;
        case ReferralStep::Access:
            return Screen::ReferralAccess;
        case ReferralStep::Consent:
            return Screen::ReferralConsent;
        case ReferralStep::Review:
            return Screen::ReferralReview;
    }
    return Screen::ReferralNeeds;
}

KioskSession::KioskSession(SessionDefaults defaults) : m_defaults(std::move(defaults)) {
    resetSession();
    m_resetCount = 0;
}

// --- State -----------------------------------------------------------------------------------

SearchRequest KioskSession::searchRequest(std::size_t limit) const {
    SearchRequest request;
    request.text.assign(m_searchText.data(), m_searchText.size());
    request.filters = m_filters;
    request.limit = limit;
    return request;
}

// --- Navigation ------------------------------------------------------------------------------

void KioskSession::navigate(Screen screen) {
    m_pristine = false;
    if (screen == m_screen) {
        return;
    }
    m_backStack.push_back(m_screen);
    m_screen = screen;
}

bool KioskSession::back() {
    m_pristine = false;
    if (m_changingFromReview && stepOfScreen(m_screen)) {
        returnToReview();
        return true;
    }
    if (m_backStack.empty()) {
        return false;
    }
    m_screen = m_backStack.back();
    m_backStack.pop_back();
    return true;
}

void KioskSession::goHome() {
    m_pristine = false;
    m_backStack.clear();
    m_screen = Screen::Home;
    m_changingFromReview = false;
}

void KioskSession::chooseNeed(const std::string& needCode) {
    m_filters.needCode = needCode;
    wipe(m_searchText);
    touchSearch();
    navigate(Screen::Results);
}

void KioskSession::clearNeed() {
    m_filters.needCode.clear();
    touchSearch();
}

void KioskSession::chooseService(const std::string& serviceId) {
    m_serviceId = serviceId;
    navigate(Screen::Service);
}

// --- Filters ---------------------------------------------------------------------------------

void KioskSession::setNeighbourhood(const std::string& name) {
    m_filters.neighbourhood = name;
    touchSearch();
}

void KioskSession::setOpenNowFilter(bool on) {
    m_filters.openNow = on;
    touchSearch();
}

void KioskSession::setFreeOnlyFilter(bool on) {
    m_filters.freeOnly = on;
    touchSearch();
}

void KioskSession::setDropInFilter(bool on) {
    m_filters.dropInOnly = on;
    touchSearch();
}

void KioskSession::setLanguageFilter(const std::string& code) {
    m_filters.languageCode = code;
    touchSearch();
}

void KioskSession::touchSearch() {
    m_pristine = false;
    ++m_searchRevision;
}

// --- Text ------------------------------------------------------------------------------------

SecureString& KioskSession::field(TextTarget target) noexcept {
    switch (target) {
        case TextTarget::Search:
            return m_searchText;
        case TextTarget::NeedsText:
            return m_form.needsText;
        case TextTarget::Name:
            return m_form.name;
        case TextTarget::Phone:
            return m_form.phone;
        case TextTarget::Email:
            return m_form.email;
        case TextTarget::AccessNeeds:
            return m_form.accessNeeds;
    }
    return m_searchText;
}

std::string_view KioskSession::text(TextTarget target) const noexcept {
    switch (target) {
        case TextTarget::Search:
            return view(m_searchText);
        case TextTarget::NeedsText:
            return view(m_form.needsText);
        case TextTarget::Name:
            return view(m_form.name);
        case TextTarget::Phone:
            return view(m_form.phone);
        case TextTarget::Email:
            return view(m_form.email);
        case TextTarget::AccessNeeds:
            return view(m_form.accessNeeds);
    }
    return {};
}

std::size_t KioskSession::maxLength(TextTarget target) noexcept {
    switch (target) {
        case TextTarget::Search:
            return kMaxSearchLength;
        case TextTarget::NeedsText:
            return kMaxFreeTextLength;
        case TextTarget::Name:
            return kMaxNameLength;
        case TextTarget::Phone:
            return kMaxPhoneLength;
        case TextTarget::Email:
            return kMaxEmailLength;
        case TextTarget::AccessNeeds:
            return kMaxAccessNeedsLength;
    }
    return 0;
}

bool KioskSession::typeText(TextTarget target, std::string_view utf8Text) {
    SecureString& text = field(target);
    const std::size_t cap = maxLength(target);
    std::size_t length = utf8::count(view(text));
    bool everythingTaken = true;
    bool changed = false;
    for (std::size_t at = 0; at < utf8Text.size();) {
        const std::size_t start = at;
        const char32_t cp = utf8::next(utf8Text, at);
        // A space is kept as typed; everything else goes through the same cleaning as submit
        // (cleanText trims, so a lone space would vanish there).
        if (cp != U' ') {
            if (cp == utf8::kReplacement) {
                everythingTaken = false;
                continue;
            }
            const SecureString cleaned = cleanText(utf8Text.substr(start, at - start), 1, false);
            if (cleaned.empty()) {
                everythingTaken = false;
                continue;
            }
        }
        if (length >= cap) {
            everythingTaken = false;
            break;
        }
        text.append(utf8Text.data() + start, at - start);
        ++length;
        changed = true;
    }
    if (changed) {
        textChanged(target);
    }
    return everythingTaken;
}

bool KioskSession::eraseLast(TextTarget target) {
    SecureString& text = field(target);
    if (text.empty()) {
        return false;
    }
    const std::size_t length = utf8::lastLength(view(text));
    const std::size_t keep = text.size() - length;
    // Overwrite the removed bytes first: shrinking a string leaves them in its buffer.
    secureWipe(text.data() + keep, length);
    text.resize(keep);
    textChanged(target);
    return true;
}

void KioskSession::clearText(TextTarget target) {
    SecureString& text = field(target);
    if (text.empty()) {
        return;
    }
    wipe(text);
    textChanged(target);
}

void KioskSession::finishEditing(TextTarget target) {
    SecureString& text = field(target);
    SecureString cleaned = cleanText(view(text), maxLength(target), false);
    if (cleaned != text) {
        wipe(text);
        text.assign(cleaned.data(), cleaned.size());
        wipe(cleaned);
        if (target == TextTarget::Search) {
            touchSearch();
        }
    }
}

void KioskSession::textChanged(TextTarget target) {
    m_pristine = false;
    switch (target) {
        case TextTarget::Search:
            touchSearch();
            if (m_screen == Screen::Home && !m_searchText.empty()) {
                // Typing on the home screen starts a fresh search: results update as you type.
                m_filters.needCode.clear();
                navigate(Screen::Results);
            }
            break;
        case TextTarget::NeedsText:
            clearFieldError(ReferralField::Needs);
            clearFieldError(ReferralField::NeedsText);
            break;
        case TextTarget::Name:
            clearFieldError(ReferralField::Name);
            break;
        case TextTarget::Phone:
        case TextTarget::Email:
            // "Give a phone number or an email" may sit on either field.
            clearFieldError(ReferralField::Phone);
            clearFieldError(ReferralField::Email);
            break;
        case TextTarget::AccessNeeds:
            clearFieldError(ReferralField::AccessNeeds);
            break;
    }
}

// --- Display ---------------------------------------------------------------------------------

void KioskSession::setTextSize(TextSize size) {
    m_pristine = false;
    m_textSize = size;
}

void KioskSession::cycleTextSize() {
    switch (m_textSize) {
        case TextSize::Normal:
            setTextSize(TextSize::Large);
            break;
        case TextSize::Large:
            setTextSize(TextSize::Largest);
            break;
        case TextSize::Largest:
            setTextSize(TextSize::Normal);
            break;
    }
}

void KioskSession::setHighContrast(bool on) {
    m_pristine = false;
    m_highContrast = on;
}

void KioskSession::setLanguage(const std::string& code) {
    m_pristine = false;
    m_language = code;
}

// --- End of a visit --------------------------------------------------------------------------

void KioskSession::resetSession() {
    m_form.wipe();
    wipe(m_searchText);
    m_filters = SearchFilters{};
    m_filters.neighbourhood = m_defaults.neighbourhood;
    m_serviceId.clear();
    m_backStack.clear();
    m_screen = Screen::Home;
    m_fieldErrors.clear();
    m_submitErrorKey.clear();
    m_reference.clear();
    m_referredServiceId.clear();
    m_changingFromReview = false;
    m_textSize = m_defaults.textSize;
    m_highContrast = m_defaults.highContrast;
    m_language = m_defaults.language;
    ++m_searchRevision;
    ++m_resetCount;
    m_pristine = true;
}

void KioskSession::setDefaults(SessionDefaults defaults) {
    m_defaults = std::move(defaults);
    if (m_pristine) {
        resetSession();
    }
}

}  // namespace signpost
