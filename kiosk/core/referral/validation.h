// Signpost — checking and cleaning what a resident typed. Errors are i18n keys so the message is
// shown, translated, on the field itself.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"
#include "core/referral/referral.h"

namespace signpost {

// The referral's steps, in order; each is its own screen.
enum class ReferralStep { Needs, Contact, BestTime, Message, Language, Access, Consent, Review };

enum class ReferralField {
    Needs, NeedsText, Name, Phone, Email, BestTime, SafeToLeaveMessage, Language, AccessNeeds,
    Consent
};

struct FieldError {
    ReferralField field;
    std::string messageKey;  // i18n key, e.g. "error.phone.invalid"
    bool operator==(const FieldError&) const = default;
};

// Errors that block leaving `step`. Needs: at least one need tile or some text. Contact: a name,
// and a valid phone and/or a valid email. Message: an answer when a phone was given. Consent: the
// tick. Other steps are optional.
std::vector<FieldError> validateStep(ReferralStep step, const ReferralForm& form);
// All steps together; what submit requires.
std::vector<FieldError> validateForSubmit(const ReferralForm& form);

// Removes control characters (C0 except '\n' when allowNewlines, DEL, C1), bidi override and
// isolate characters, and invalid UTF-8; trims surrounding whitespace; truncates to
// `maxCodePoints` on a code point boundary.
SecureString cleanText(std::string_view input, std::size_t maxCodePoints, bool allowNewlines);
std::size_t codePointCount(std::string_view utf8);

// UK numbers, landline or mobile, typed with or without +44 / 0044, spaces, dashes or brackets.
// Returns the national form with the usual grouping ("07700 900123", "0161 496 0123",
// "020 7946 0000"), or nullopt if it is not a plausible UK number.
std::optional<std::string> normaliseUkPhone(std::string_view typed);
bool isValidEmail(std::string_view email);

}  // namespace signpost
