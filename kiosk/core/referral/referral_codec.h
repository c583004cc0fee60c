// Signpost — the referral's wire form: JSON with a schema version, sealed before it is stored.
//
// Schema "signpost.referral" version 1 (documented in README.md, "Referral payload"):
// { "schema": "signpost.referral", "schema_version": 1, "id", "reference", "created_at",
//   "form_version", "venue", "neighbourhood", "device_id", "test",
//   "kind": "service"|"general", "service": {"id","name"} | null, "needs": [codes],
//   "needs_text", "contact": {"name","phone","email","best_time","safe_to_leave_message"},
//   "language", "interpreter_needed", "access_needs",
//   "consent": {"given": true, "wording_version", "given_at"} }
// Thread-safety: pure functions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"
#include "core/referral/referral.h"

namespace signpost {

inline constexpr int kReferralSchemaVersion = 1;

// Non-personal facts about a referral, known to the kiosk.
struct ReferralEnvelope {
    std::string id;              // UUIDv4
    std::string reference;       // "MCR-4K7Q"
    std::string createdAt;       // UTC ISO 8601, device clock
    std::string formVersion;     // config referral.form_version
    std::string consentVersion;  // config referral.consent_version: the wording the resident ticked
    std::string venue;
    std::string neighbourhood;
    std::string deviceId;
    bool test = false;  // staff "Send a test referral"
};

// Serialises into a buffer that is wiped when freed. The form must already be cleaned and
// validated; the phone is written in normalised form. Writes no intermediate std::string copies
// of resident text (the JSON writer is our own and writes straight into the SecureBytes).
SecureBytes serialiseReferral(const ReferralForm& form, const ReferralEnvelope& envelope);

class ReferralFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A decrypted referral on the coordinator's side (the coordinator's machine, not the kiosk).
struct DecodedReferral {
    ReferralEnvelope envelope;
    std::string kind;  // "service" | "general"
    std::string serviceId;
    std::string serviceName;
    std::vector<std::string> needs;
    std::string needsText;
    std::string name, phone, email;
    std::string bestTime;            // "no_preference" | "morning" | "afternoon" | "evening"
    std::string safeToLeaveMessage;  // "yes" | "no" | "not_answered"
    std::string language;
    bool interpreterNeeded = false;
    std::string accessNeeds;
    bool consentGiven = false;
    std::string consentGivenAt;
};

// Parses and checks schema and version; throws ReferralFormatError naming the field.
DecodedReferral parseReferral(std::string_view json);

}  // namespace signpost
