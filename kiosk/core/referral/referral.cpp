#include "core/referral/referral.h"

namespace signpost {

void ReferralForm::wipe() noexcept {
    // Resident text is overwritten in place (heap and small-string buffers alike) before the
    // fields are reset; swapping with empty containers frees the rest without allocating.
    signpost::wipe(needsText);
    signpost::wipe(name);
    signpost::wipe(phone);
    signpost::wipe(email);
    signpost::wipe(accessNeeds);

    kind = ReferralKind::General;
    std::string().swap(serviceId);
    std::string().swap(serviceName);
    std::vector<std::string>().swap(needCodes);
    bestTime = ContactTime::NoPreference;
    safeToLeaveMessage = Answer::NotAnswered;
    // Two characters fit every std::string's small buffer: no allocation, so this cannot throw.
    preferredLanguage.assign("en", 2);
    interpreterNeeded = false;
    consentGiven = false;
}

}  // namespace signpost
