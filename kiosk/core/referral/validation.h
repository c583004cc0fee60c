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
    Needs,
    NeedsText,
    Name,
    Phone,
    Email,
    BestTime,
    SafeToLeaveMessage,
    Language,
    AccessNeeds,
    Consent
};

struct FieldError {
    ReferralField field;
    std::string messageKey;  // i18n key, e.g. "error.phone.invalid"
    bool operator==(const FieldError&) const = default;
};

// Errors that block leaving `step`, in field order; empty when the step is complete. Fields are
// judged as submit would store them (after cleanText: "   " is no name). The keys:
//   Needs    — no need tile and no text:              {Needs, "error.needs.required"}
//   Contact  — no name:                               {Name, "error.name.required"}
//              neither phone nor email:               {Phone, "error.contact.required"}
//              a phone that is not a UK number:       {Phone, "error.phone.invalid"}
//              an email that is not an address:       {Email, "error.email.invalid"}
//   Message  — a phone given, no answer to "safe to leave a message?":
//                                                     {SafeToLeaveMessage,
//                                                     "error.message.required"}
//   Consent  — not ticked:                            {Consent, "error.consent.required"}
//   BestTime, Language, Access — optional, never an error. Review — validateForSubmit().
std::vector<FieldError> validateStep(ReferralStep step, const ReferralForm& form);
// All steps together; what submit requires.
std::vector<FieldError> validateForSubmit(const ReferralForm& form);

// Removes control characters (C0 except '\n' when allowNewlines, DEL, C1), bidi override and
// isolate characters, and invalid UTF-8; trims surrounding whitespace; truncates to
// `maxCodePoints` on a code point boundary.
// In detail:
//  - "\r\n", a lone '\r' and U+2028/U+2029 count as a newline. Newlines are kept as '\n' when
//    `allowNewlines`; otherwise they, '\t', '\v' and '\f' become one space each (so two lines of
//    a pasted name do not run together). Every other C0 control, DEL (U+007F) and every C1
//    control (U+0080–U+009F) is removed.
//  - Removed too: bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069 (they can
//    make text display in a misleading order), U+FEFF (byte-order mark) and the noncharacters
//    U+FFFE/U+FFFF. Invalid UTF-8 (overlongs, surrogates, stray or truncated bytes) is dropped
//    byte by byte.
//  - Trimmed: spaces, newlines, no-break and other Unicode spaces (U+00A0, U+1680, U+2000–U+200B,
//    U+202F, U+205F, U+3000) at either end.
//  - The cap applies after trimming; trailing space left by the cut is trimmed again.
// The result never holds more bytes than `input`. Throws std::bad_alloc only.
SecureString cleanText(std::string_view input, std::size_t maxCodePoints, bool allowNewlines);

// A copy of `form` with every resident text field cleaned as submit stores it: needs text and
// access needs keep newlines (caps kMaxFreeTextLength / kMaxAccessNeedsLength), name, phone and
// email do not (name cut at kMaxNameLength; phone and email are never cut, so an over-long one
// fails validation instead of becoming a different number or address); need codes lose empty and
// repeated entries (order kept). A valid phone is replaced by its normalised form; an invalid
// one is kept as cleaned, so validation still reports it. The copy is a SecureString-holding
// value: call wipe() on it when done (small strings live inside the object, not on the heap).
ReferralForm cleanedCopy(const ReferralForm& form);

// UK numbers, landline or mobile, typed with or without +44 / 0044, spaces, dashes or brackets.
// Returns the national form with the usual grouping ("07700 900123", "0161 496 0123",
// "020 7946 0000"), or nullopt if it is not a plausible UK number.
// Accepted (national significant number after the leading 0; the first local digit of a
// geographic number must be 2–9):
//   07 mobiles 071–075, 077–079 and 07624 (Isle of Man) — 11 digits, "07xxx xxxxxx"
//   02 London/Southampton/Coventry/NI/Cardiff 020, 023, 024, 028, 029 — "02x xxxx xxxx"
//   011x (x = 3–8) and 01x1 (x = 2, 3, 4, 5, 6, 9) — "011x xxx xxxx", "01x1 xxx xxxx"
//   other 01 area codes — "01xxx xxxxxx", the 10-digit ones "01xxx xxxxx", and the 14 six-digit
//   area codes with five-digit local numbers (015394 etc.) — "0xxxxx xxxxx"
//   03 (030, 033, 034, 037) — "03xx xxx xxxx"; 0800/0808 freephone and 084/087 — "08xx xxx xxxx",
//   and the old 10-digit 0800 numbers — "0800 xxx xxx"
// Rejected on purpose: 09 premium rate, 070 "personal numbers" (charged like premium rate and
// common in scams), 076 pagers other than 07624, 05 and 04/06 (not residents' phones), short
// codes (999, 111), numbers with letters or an extension, and any non-UK number (+ or 00 followed
// by a country code other than 44). "44 7700 900123" without the + is taken as +44.
std::optional<std::string> normaliseUkPhone(std::string_view typed);
// The same, writing into a SecureString (used on the submit path so the normalised number never
// sits in an unwiped std::string). Returns false and leaves `out` empty if not valid.
bool normaliseUkPhoneInto(std::string_view typed, SecureString& out);

// A practical RFC 5321/5322 subset: one '@'; a dot-atom local part (ASCII letters, digits and
// !#$%&'*+-/=?^_`{|}~, dots only between characters) of at most 64 bytes; a domain of at least
// two dot-separated labels, each 1–63 letters/digits/hyphens not starting or ending with '-';
// a top-level label of at least two letters (or an "xn--" IDN label); at most 254 bytes in all.
// Not accepted: quoted local parts, comments, IP-literal domains, non-ASCII (type IDN domains in
// their xn-- form), surrounding whitespace.
bool isValidEmail(std::string_view email);

}  // namespace signpost
