// Signpost — the self-referral part of KioskSession (kiosk_session.h): the form's steps and their
// numbering, the intents that fill the form in, moving between steps (validating each), "Change"
// from the review, and submit(). Screens, navigation, filters, text fields and the end of a
// visit are in kiosk_session.cpp.
#include <algorithm>
#include <exception>

#include "core/common/log.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/session/kiosk_session.h"
#include "core/storage/database.h"

namespace signpost {

namespace {

// The step whose screen holds `field`.
std::optional<ReferralStep> stepOfField(ReferralField field) noexcept {
    switch (field) {
        case ReferralField::Needs:
        case ReferralField::NeedsText:
            return ReferralStep::Needs;
        case ReferralField::Name:
        case ReferralField::Phone:
        case ReferralField::Email:
            return ReferralStep::Contact;
        case ReferralField::BestTime:
            return ReferralStep::BestTime;
        case ReferralField::SafeToLeaveMessage:
            return ReferralStep::Message;
        case ReferralField::Language:
            return ReferralStep::Language;
        case ReferralField::AccessNeeds:
            return ReferralStep::Access;
        case ReferralField::Consent:
            return ReferralStep::Consent;
    }
    return std::nullopt;
}

}  // namespace

// --- State -----------------------------------------------------------------------------------

const char* KioskSession::fieldError(ReferralField field) const noexcept {
    for (const FieldError& error : m_fieldErrors) {
        if (error.field == field) {
            return error.messageKey.c_str();
        }
    }
    return nullptr;
}

std::vector<ReferralStep> KioskSession::steps() const {
    std::vector<ReferralStep> result{ReferralStep::Needs, ReferralStep::Contact,
                                     ReferralStep::BestTime};
    // Until the contact step is done we cannot know whether a phone number will be given, so the
    // message step counts; afterwards it counts only with a phone number.
    const std::optional<ReferralStep> current = stepOfScreen(m_screen);
    const bool beforeContactDone =
        !current || *current == ReferralStep::Needs || *current == ReferralStep::Contact;
    if (!m_form.phone.empty() || (beforeContactDone && !m_changingFromReview)) {
        result.push_back(ReferralStep::Message);
    }
    result.insert(result.end(), {ReferralStep::Language, ReferralStep::Access,
                                 ReferralStep::Consent, ReferralStep::Review});
    return result;
}

int KioskSession::stepNumber() const {
    const std::optional<ReferralStep> current = stepOfScreen(m_screen);
    if (!current) {
        return 0;
    }
    const std::vector<ReferralStep> all = steps();
    auto at = std::find(all.begin(), all.end(), *current);
    return at == all.end() ? 0 : static_cast<int>(at - all.begin()) + 1;
}

int KioskSession::stepCount() const {
    return stepOfScreen(m_screen) ? static_cast<int>(steps().size()) : 0;
}

// --- The self-referral -----------------------------------------------------------------------

void KioskSession::startServiceReferral(const std::string& serviceId,
                                        const std::string& serviceName,
                                        const std::vector<std::string>& serviceNeedCodes) {
    if (m_form.kind != ReferralKind::Service || m_form.serviceId != serviceId) {
        m_form.needCodes.clear();
    }
    m_form.kind = ReferralKind::Service;
    m_form.serviceId = serviceId;
    m_form.serviceName = serviceName;
    const std::string& need = m_filters.needCode;
    if (m_form.needCodes.empty() && !need.empty() &&
        std::find(serviceNeedCodes.begin(), serviceNeedCodes.end(), need) !=
            serviceNeedCodes.end()) {
        m_form.needCodes.push_back(need);
    }
    openForm();
}

void KioskSession::startGeneralReferral() {
    if (m_form.kind != ReferralKind::General) {
        m_form.needCodes.clear();
    }
    m_form.kind = ReferralKind::General;
    m_form.serviceId.clear();
    m_form.serviceName.clear();
    if (m_form.needCodes.empty() && !m_filters.needCode.empty()) {
        m_form.needCodes.push_back(m_filters.needCode);
    }
    openForm();
}

void KioskSession::openForm() {
    if (m_form.preferredLanguage == "en") {
        m_form.preferredLanguage = m_language;  // the language they are reading the kiosk in
    }
    m_fieldErrors.clear();
    m_submitErrorKey.clear();
    m_changingFromReview = false;
    navigate(Screen::ReferralNeeds);
}

void KioskSession::toggleReferralNeed(const std::string& needCode) {
    m_pristine = false;
    auto at = std::find(m_form.needCodes.begin(), m_form.needCodes.end(), needCode);
    if (at == m_form.needCodes.end()) {
        m_form.needCodes.push_back(needCode);
    } else {
        m_form.needCodes.erase(at);
    }
    clearFieldError(ReferralField::Needs);
}

void KioskSession::chooseContactThemselves() {
    navigate(Screen::ReferralContactSelf);
}

void KioskSession::setBestTime(ContactTime time) {
    m_pristine = false;
    m_form.bestTime = time;
    clearFieldError(ReferralField::BestTime);
}

void KioskSession::setSafeToLeaveMessage(Answer answer) {
    m_pristine = false;
    m_form.safeToLeaveMessage = answer;
    clearFieldError(ReferralField::SafeToLeaveMessage);
}

void KioskSession::setPreferredLanguage(const std::string& code) {
    m_pristine = false;
    m_form.preferredLanguage = code;
    clearFieldError(ReferralField::Language);
}

void KioskSession::setInterpreterNeeded(bool needed) {
    m_pristine = false;
    m_form.interpreterNeeded = needed;
}

void KioskSession::setConsent(bool given) {
    m_pristine = false;
    m_form.consentGiven = given;
    clearFieldError(ReferralField::Consent);
}

Screen KioskSession::nextScreenAfter(ReferralStep step) const {
    const std::vector<ReferralStep> all = steps();
    auto at = std::find(all.begin(), all.end(), step);
    if (at == all.end() || at + 1 == all.end()) {
        return Screen::ReferralReview;
    }
    // The message step is only for people who gave a phone number.
    if (*(at + 1) == ReferralStep::Message && m_form.phone.empty()) {
        return screenOfStep(*(at + 2));
    }
    return screenOfStep(*(at + 1));
}

void KioskSession::returnToReview() {
    // Unwind to the review screen already on the stack (it was there when "Change" was pressed),
    // so Back from the review still leads to the step before it.
    auto at = std::find(m_backStack.rbegin(), m_backStack.rend(), Screen::ReferralReview);
    if (at != m_backStack.rend()) {
        m_backStack.erase(std::prev(at.base()), m_backStack.end());
    }
    m_screen = Screen::ReferralReview;
    m_changingFromReview = false;
}

bool KioskSession::nextStep() {
    m_pristine = false;
    const std::optional<ReferralStep> step = stepOfScreen(m_screen);
    if (!step || *step == ReferralStep::Review) {
        return false;
    }
    for (TextTarget target : {TextTarget::NeedsText, TextTarget::Name, TextTarget::Phone,
                              TextTarget::Email, TextTarget::AccessNeeds}) {
        finishEditing(target);
    }
    std::vector<FieldError> errors = validateStep(*step, m_form);
    if (!errors.empty()) {
        // Keep errors from other steps; replace this step's.
        std::erase_if(m_fieldErrors,
                      [&](const FieldError& error) { return stepOfField(error.field) == step; });
        m_fieldErrors.insert(m_fieldErrors.end(), errors.begin(), errors.end());
        return false;
    }
    std::erase_if(m_fieldErrors,
                  [&](const FieldError& error) { return stepOfField(error.field) == step; });
    if (*step == ReferralStep::Contact && m_form.phone.empty()) {
        // An answer given for a phone number that has since been removed means nothing.
        m_form.safeToLeaveMessage = Answer::NotAnswered;
    }
    if (m_changingFromReview) {
        if (*step == ReferralStep::Contact && !m_form.phone.empty() &&
            m_form.safeToLeaveMessage == Answer::NotAnswered) {
            navigate(Screen::ReferralMessage);  // still changing: its Next returns to review
            return true;
        }
        returnToReview();
        return true;
    }
    navigate(nextScreenAfter(*step));
    return true;
}

void KioskSession::changeFromReview(ReferralStep step) {
    if (m_screen != Screen::ReferralReview || step == ReferralStep::Review) {
        return;
    }
    m_submitErrorKey.clear();
    navigate(screenOfStep(step));
    m_changingFromReview = true;
}

SubmitOutcome KioskSession::submit(const SubmitContext& context, Outbox& outbox) {
    m_pristine = false;
    m_submitErrorKey.clear();
    // The form is kept, so the resident can try again or ask staff.
    auto failed = [this](const char* what, const std::exception& error) {
        logError("session", what + std::string(error.what()));
        m_submitErrorKey = "error.submit.failed";
        return SubmitOutcome::Failed;
    };
    SubmitReceipt receipt;
    try {
        receipt = submitReferral(m_form, context, outbox);
    } catch (const ReferralInvalid& invalid) {
        m_fieldErrors = invalid.errors();
        // Show the first step that needs attention; its Next comes back to the review.
        std::optional<ReferralStep> first;
        for (ReferralStep step : steps()) {
            for (const FieldError& error : m_fieldErrors) {
                if (stepOfField(error.field) == step && !first) {
                    first = step;
                }
            }
        }
        if (first && m_screen == Screen::ReferralReview) {
            navigate(screenOfStep(*first));
            m_changingFromReview = true;
        }
        return SubmitOutcome::Invalid;
    } catch (const StorageError& error) {
        return failed("referral not saved (storage): ", error);
    } catch (const CryptoError& error) {
        return failed("referral not saved (sealing): ", error);
    } catch (const std::exception& error) {
        return failed("referral not saved: ", error);
    }
    m_reference = receipt.reference;
    m_referredServiceId = m_form.kind == ReferralKind::Service ? m_form.serviceId : std::string();
    // Durable now: nothing typed needs to stay in memory, and Back must not lead into the form.
    m_form.wipe();
    m_fieldErrors.clear();
    m_backStack.clear();
    m_changingFromReview = false;
    m_screen = Screen::ReferralDone;
    return SubmitOutcome::Submitted;
}

void KioskSession::clearFieldError(ReferralField field) {
    std::erase_if(m_fieldErrors, [field](const FieldError& error) { return error.field == field; });
}

}  // namespace signpost
