#include "core/referral/validation.h"

#include <algorithm>
#include <array>
#include <limits>

#include "core/common/utf8.h"

namespace signpost {

namespace {

// ---- cleaning ------------------------------------------------------------------------------

bool isTrimmedSpace(char32_t cp) {
    return cp == ' ' || cp == '\n' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isRemovedFormatCharacter(char32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) ||  // LRE, RLE, PDF, LRO, RLO
           (cp >= 0x2066 && cp <= 0x2069) ||  // LRI, RLI, FSI, PDI
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

// Writes into `out` (wiped first) so callers can clean straight into a form field: returning a
// temporary and move-assigning it would leave a short value behind in the temporary's inline
// small-string buffer, which no allocator ever wipes.
void cleanTextInto(std::string_view input, std::size_t maxCodePoints, bool allowNewlines,
                   SecureString& out) {
    wipe(out);
    // The output is never longer than the input, so this one reservation means no reallocation.
    out.reserve(input.size());
    std::size_t count = 0;
    std::size_t keep = 0;  // bytes up to the end of the last non-space code point
    for (std::size_t pos = 0; pos < input.size();) {
        const utf8::Step step = utf8::decode(input, pos);
        pos += step.length;
        if (!step.valid) {
            continue;
        }
        char32_t cp = step.codePoint;
        if (cp == '\r') {
            if (pos < input.size() && input[pos] == '\n') {
                ++pos;
            }
            cp = '\n';
        } else if (cp == 0x2028 || cp == 0x2029) {
            cp = '\n';
        }
        if (cp == '\n') {
            if (!allowNewlines) {
                cp = ' ';
            }
        } else if (cp == '\t' || cp == '\v' || cp == '\f') {
            cp = ' ';
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || isRemovedFormatCharacter(cp)) {
            continue;
        }
        const bool space = isTrimmedSpace(cp);
        if (space && out.empty()) {
            continue;
        }
        if (count == maxCodePoints) {
            break;
        }
        utf8::append(out, cp);
        ++count;
        if (!space) {
            keep = out.size();
        }
    }
    // What is cut here is whitespace only, so nothing sensitive stays in the spare capacity.
    out.resize(keep);
}

// ---- phone numbers -------------------------------------------------------------------------

// Enough for "0044 (0) 7700 900123" as digits (15); anything longer is not a UK number.
constexpr std::size_t kMaxPhoneDigits = 16;
constexpr std::size_t kMaxPhoneInput = 48;

// A fixed buffer on the stack that is wiped when it goes out of scope.
template <std::size_t N>
struct WipedChars {
    std::array<char, N> data{};
    std::size_t size = 0;
    WipedChars() = default;
    WipedChars(const WipedChars&) = delete;
    WipedChars& operator=(const WipedChars&) = delete;
    ~WipedChars() { secureWipe(data.data(), data.size()); }
    std::string_view view() const { return {data.data(), size}; }
    bool push(char c) {
        if (size == N) {
            return false;
        }
        data[size++] = c;
        return true;
    }
    void append(std::string_view text) {
        for (char c : text) {
            push(c);
        }
    }
};

constexpr std::array<std::string_view, 14> kSixDigitAreaCodes = {
    "13397", "13398", "13873", "15242", "15394", "15395", "15396",
    "16973", "16974", "16977", "17683", "17684", "17687", "19467"};

bool isLocalStart(char c) {
    return c >= '2' && c <= '9';
}

bool oneOf(char c, std::string_view set) {
    return set.find(c) != std::string_view::npos;
}

// Writes "0" + the national significant number `nsn`, with spaces after the given group sizes.
template <std::size_t N>
void writeGrouped(std::string_view nsn, std::initializer_list<std::size_t> groups,
                  WipedChars<N>& out) {
    out.push('0');
    std::size_t pos = 0;
    bool first = true;
    for (std::size_t group : groups) {
        if (!first) {
            out.push(' ');
        }
        out.append(nsn.substr(pos, group));
        pos += group;
        first = false;
    }
    if (pos < nsn.size()) {
        out.push(' ');
        out.append(nsn.substr(pos));
    }
}

// Checks a national significant number (the digits after the trunk 0) against the UK numbering
// plan as documented in validation.h and writes the grouped national form.
template <std::size_t N>
bool groupNationalNumber(std::string_view nsn, WipedChars<N>& out) {
    if (nsn.size() < 9 || nsn.size() > 10) {
        return false;
    }
    const bool ten = nsn.size() == 10;
    switch (nsn[0]) {
        case '7':  // mobiles; 070 personal numbers and 076 pagers (bar 07624) are refused
            if (!ten || !(oneOf(nsn[1], "12345789") || nsn.starts_with("7624"))) {
                return false;
            }
            writeGrouped(nsn, {4}, out);
            return true;
        case '1':
            if (nsn[1] == '1') {  // 011x
                if (!ten || !oneOf(nsn[2], "345678") || !isLocalStart(nsn[3])) {
                    return false;
                }
                writeGrouped(nsn, {3, 3}, out);
                return true;
            }
            if (nsn[2] == '1') {  // 01x1; 0171/0181 are out of use
                if (!ten || !oneOf(nsn[1], "234569") || !isLocalStart(nsn[3])) {
                    return false;
                }
                writeGrouped(nsn, {3, 3}, out);
                return true;
            }
            if (nsn[1] == '0') {
                return false;
            }
            if (std::find(kSixDigitAreaCodes.begin(), kSixDigitAreaCodes.end(), nsn.substr(0, 5)) !=
                kSixDigitAreaCodes.end()) {
                if (!ten || !isLocalStart(nsn[5])) {
                    return false;
                }
                writeGrouped(nsn, {5}, out);
                return true;
            }
            if (!isLocalStart(nsn[4])) {
                return false;
            }
            writeGrouped(nsn, {4}, out);
            return true;
        case '2':
            if (!ten || !oneOf(nsn[1], "03489") || !isLocalStart(nsn[2])) {
                return false;
            }
            writeGrouped(nsn, {2, 4}, out);
            return true;
        case '3':
            if (!ten || !oneOf(nsn[1], "0347")) {
                return false;
            }
            writeGrouped(nsn, {3, 3}, out);
            return true;
        case '8':
            if (nsn.starts_with("800") ||
                (ten && (nsn.starts_with("808") || oneOf(nsn[1], "47")))) {
                writeGrouped(nsn, {3, 3}, out);
                return true;
            }
            return false;
        default:  // 09 premium rate; 04, 05, 06 are not residents' phones
            return false;
    }
}

template <std::size_t N>
bool normalisePhone(std::string_view typed, WipedChars<N>& out) {
    if (typed.size() > kMaxPhoneInput) {
        return false;
    }
    WipedChars<kMaxPhoneDigits> digits;
    bool plus = false;
    bool started = false;  // anything other than spaces seen
    for (char c : typed) {
        if (c >= '0' && c <= '9') {
            if (!digits.push(c)) {
                return false;
            }
            started = true;
        } else if (c == '+') {
            if (started) {
                return false;  // only a leading + means "international"
            }
            plus = true;
            started = true;
        } else if (c == '(' || c == ')' || c == '-' || c == '.' || c == '/') {
            started = true;
        } else if (c != ' ') {
            return false;  // letters ("ext"), other symbols, non-ASCII
        }
    }
    std::string_view d = digits.view();
    std::string_view rest;
    bool international = true;
    if (plus) {
        if (!d.starts_with("44")) {
            return false;
        }
        rest = d.substr(2);
    } else if (d.starts_with("00")) {
        if (!d.starts_with("0044")) {
            return false;
        }
        rest = d.substr(4);
    } else if (d.starts_with("44") && (d.size() == 12 || (d.size() == 13 && d[2] == '0'))) {
        rest = d.substr(2);
    } else if (d.starts_with("0")) {
        rest = d.substr(1);
        international = false;
    } else {
        return false;
    }
    if (international && rest.starts_with("0")) {
        rest.remove_prefix(1);  // "+44 (0)161 ..." or "+44 0161 ..."
    }
    return groupNationalNumber(rest, out);
}

// ---- email ---------------------------------------------------------------------------------

bool isAtext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           oneOf(c, "!#$%&'*+-/=?^_`{|}~");
}

bool isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDotAtom(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.') {
        return false;
    }
    char previous = '\0';
    for (char c : text) {
        if (c == '.') {
            if (previous == '.') {
                return false;
            }
        } else if (!isAtext(c)) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool isDomain(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) {
        return false;
    }
    std::size_t labels = 0;
    std::string_view last;
    while (true) {
        const std::size_t dot = domain.find('.');
        const std::string_view label = domain.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            if (!isLetterOrDigit(c) && c != '-') {
                return false;
            }
        }
        ++labels;
        last = label;
        if (dot == std::string_view::npos) {
            break;
        }
        domain.remove_prefix(dot + 1);
    }
    if (labels < 2 || last.size() < 2) {
        return false;
    }
    const bool idn =
        last.size() > 4 && (last.substr(0, 4) == "xn--" || last.substr(0, 4) == "XN--");
    return idn || std::all_of(last.begin(), last.end(), isLetter);
}

// ---- steps ---------------------------------------------------------------------------------

const char* const kNeedsRequired = "error.needs.required";
const char* const kNameRequired = "error.name.required";
const char* const kContactRequired = "error.contact.required";
const char* const kPhoneInvalid = "error.phone.invalid";
const char* const kEmailInvalid = "error.email.invalid";
const char* const kMessageRequired = "error.message.required";
const char* const kConsentRequired = "error.consent.required";

void validateCleaned(ReferralStep step, const ReferralForm& form, std::vector<FieldError>& errors) {
    switch (step) {
        case ReferralStep::Needs:
            if (form.needCodes.empty() && form.needsText.empty()) {
                errors.push_back({ReferralField::Needs, kNeedsRequired});
            }
            break;
        case ReferralStep::Contact: {
            if (form.name.empty()) {
                errors.push_back({ReferralField::Name, kNameRequired});
            }
            if (form.phone.empty() && form.email.empty()) {
                errors.push_back({ReferralField::Phone, kContactRequired});
                break;
            }
            WipedChars<24> normalised;
            if (!form.phone.empty() && !normalisePhone(view(form.phone), normalised)) {
                errors.push_back({ReferralField::Phone, kPhoneInvalid});
            }
            if (!form.email.empty() && !isValidEmail(view(form.email))) {
                errors.push_back({ReferralField::Email, kEmailInvalid});
            }
            break;
        }
        case ReferralStep::Message:
            if (!form.phone.empty() && form.safeToLeaveMessage == Answer::NotAnswered) {
                errors.push_back({ReferralField::SafeToLeaveMessage, kMessageRequired});
            }
            break;
        case ReferralStep::Consent:
            if (!form.consentGiven) {
                errors.push_back({ReferralField::Consent, kConsentRequired});
            }
            break;
        case ReferralStep::BestTime:
        case ReferralStep::Language:
        case ReferralStep::Access:
            break;
        case ReferralStep::Review:
            for (ReferralStep each :
                 {ReferralStep::Needs, ReferralStep::Contact, ReferralStep::BestTime,
                  ReferralStep::Message, ReferralStep::Language, ReferralStep::Access,
                  ReferralStep::Consent}) {
                validateCleaned(each, form, errors);
            }
            break;
    }
}

}  // namespace

SecureString cleanText(std::string_view input, std::size_t maxCodePoints, bool allowNewlines) {
    SecureString out;
    cleanTextInto(input, maxCodePoints, allowNewlines, out);
    return out;
}

ReferralForm cleanedCopy(const ReferralForm& form) {
    ReferralForm copy;
    copy.kind = form.kind;
    copy.serviceId = form.serviceId;
    copy.serviceName = form.serviceName;
    for (const std::string& code : form.needCodes) {
        if (!code.empty() &&
            std::find(copy.needCodes.begin(), copy.needCodes.end(), code) == copy.needCodes.end()) {
            copy.needCodes.push_back(code);
        }
    }
    cleanTextInto(view(form.needsText), kMaxFreeTextLength, true, copy.needsText);
    cleanTextInto(view(form.name), kMaxNameLength, false, copy.name);
    // Phone and email are not cut at their widget caps: a cut could turn an over-long entry into
    // a valid but wrong number or address. Over-long ones stay over-long and fail validation.
    constexpr std::size_t kNoCap = std::numeric_limits<std::size_t>::max();
    cleanTextInto(view(form.phone), kNoCap, false, copy.phone);
    cleanTextInto(view(form.email), kNoCap, false, copy.email);
    cleanTextInto(view(form.accessNeeds), kMaxAccessNeedsLength, true, copy.accessNeeds);
    {
        WipedChars<24> normalised;
        if (!copy.phone.empty() && normalisePhone(view(copy.phone), normalised)) {
            wipe(copy.phone);
            copy.phone.append(normalised.view());
        }
    }
    copy.bestTime = form.bestTime;
    copy.safeToLeaveMessage = form.safeToLeaveMessage;
    copy.preferredLanguage = form.preferredLanguage;
    copy.interpreterNeeded = form.interpreterNeeded;
    copy.consentGiven = form.consentGiven;
    return copy;
}

std::vector<FieldError> validateStep(ReferralStep step, const ReferralForm& form) {
    ReferralForm cleaned = cleanedCopy(form);
    const WipeOnExit guard([&] { cleaned.wipe(); });  // however validation leaves
    std::vector<FieldError> errors;
    validateCleaned(step, cleaned, errors);
    return errors;
}

std::vector<FieldError> validateForSubmit(const ReferralForm& form) {
    return validateStep(ReferralStep::Review, form);
}

std::optional<std::string> normaliseUkPhone(std::string_view typed) {
    WipedChars<24> out;
    if (!normalisePhone(typed, out)) {
        return std::nullopt;
    }
    return std::string(out.view());
}

bool normaliseUkPhoneInto(std::string_view typed, SecureString& out) {
    wipe(out);
    WipedChars<24> normalised;
    if (!normalisePhone(typed, normalised)) {
        return false;
    }
    out.append(normalised.view());
    return true;
}

bool isValidEmail(std::string_view email) {
    if (email.size() > kMaxEmailLength) {
        return false;
    }
    const std::size_t at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    const std::string_view local = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    return local.size() <= 64 && isDotAtom(local) && isDomain(domain);
}

}  // namespace signpost
