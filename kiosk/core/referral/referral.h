// Signpost — a self-referral as the resident fills it in.
//
// Every field a resident types is a SecureString, wiped when the session resets (wipe()) and when
// freed. Lengths are capped at the widget (see the k*Max constants) and again by validation.
// Thread-safety: plain value type; owned by the UI thread's session.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/common/secure_buffer.h"

namespace signpost {

enum class ReferralKind { Service, General };  // for one service / "not sure what I need"
enum class ContactTime { NoPreference, Morning, Afternoon, Evening };
enum class Answer { NotAnswered, Yes, No };

// Widget caps, in Unicode code points.
constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxFreeTextLength = 1000;  // "anything else", needs text
constexpr std::size_t kMaxAccessNeedsLength = 500;
constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit
constexpr std::size_t kMaxPhoneLength = 20;   // as typed, with spaces and +44

struct ReferralForm {
    ReferralKind kind = ReferralKind::General;
    std::string serviceId;               // set when kind == Service (directory data, not personal)
    std::string serviceName;             // shown on review; copied from the directory
    std::vector<std::string> needCodes;  // multi-select need tiles; may be empty if needsText given
    SecureString needsText;              // optional free text, <= kMaxFreeTextLength
    SecureString name;                   // <= kMaxNameLength
    SecureString phone;                  // as typed; normalised at submit
    SecureString email;
    ContactTime bestTime = ContactTime::NoPreference;
    Answer safeToLeaveMessage = Answer::NotAnswered;  // asked only when a phone is given
    std::string preferredLanguage = "en";             // ISO 639-1
    bool interpreterNeeded = false;
    SecureString accessNeeds;  // optional, <= kMaxAccessNeedsLength
    bool consentGiven = false;

    // Clears every field back to its default and overwrites all resident text in memory.
    void wipe() noexcept;
};

}  // namespace signpost
