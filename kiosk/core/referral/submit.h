// Signpost — the submit path: validate, serialise, seal, wipe the plaintext, store durably.
// Thread-safety: call from one thread per Outbox.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/time_util.h"
#include "core/referral/outbox.h"
#include "core/referral/referral.h"
#include "core/referral/sealing.h"
#include "core/referral/validation.h"

namespace signpost {

struct SubmitContext {
    std::string venue;
    std::string neighbourhood;
    std::string formVersion;
    std::string consentVersion;
    std::string referencePrefix = "MCR";
    std::string deviceId;
    CoordinatorPublicKey coordinatorKey;
    bool test = false;
    SystemTime now;  // the submit time; left at the epoch (default), the system clock is used
};

struct SubmitReceipt {
    std::string id;
    std::string reference;
    std::int64_t seq = 0;
};

class ReferralInvalid : public std::runtime_error {
public:
    explicit ReferralInvalid(std::vector<FieldError> errors);
    const std::vector<FieldError>& errors() const noexcept { return m_errors; }

private:
    std::vector<FieldError> m_errors;
};

// Cleans and validates a copy of `form` (throws ReferralInvalid), serialises it, seals it to the
// coordinators' key, wipes the plaintext (sodium_memzero), and enqueues it in one durable
// transaction (retrying with a fresh reference on the rare reference clash). On any exception
// nothing is stored and `form` is unchanged, so the resident loses nothing typed.
// The cleaned copy and the plaintext are wiped on every path out. Logs seq and sizes only.
// Throws ReferralInvalid, CryptoError, StorageError; std::invalid_argument for a programming
// error (a service referral without a service id, a bad reference prefix).
SubmitReceipt submitReferral(const ReferralForm& form, const SubmitContext& context,
                             Outbox& outbox);

}  // namespace signpost
