#include "core/referral/submit.h"

#include <sqlite3.h>

#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"

namespace signpost {

namespace {

constexpr const char* kLog = "referral";
// 23^4 = 279,841 codes per prefix: a clash is rare while the outbox holds thousands, and 16
// fresh draws all clashing would mean the outbox is nearly full of references.
constexpr int kReferenceAttempts = 16;

std::string describe(const std::vector<FieldError>& errors) {
    // Keys only: the message may be logged, and must not carry what the resident typed.
    std::string text = "referral is not complete:";
    for (const FieldError& error : errors) {
        text += ' ';
        text += error.messageKey;
    }
    return text;
}

std::vector<std::uint8_t> serialiseAndSeal(const ReferralForm& cleaned,
                                           const ReferralEnvelope& envelope,
                                           const CoordinatorPublicKey& key) {
    SecureBytes plaintext = serialiseReferral(cleaned, envelope);
    const WipeOnExit guard([&] { wipe(plaintext); });  // also when sealing throws
    return sealForCoordinators(plaintext, key);
}

}  // namespace

ReferralInvalid::ReferralInvalid(std::vector<FieldError> errors)
    : std::runtime_error(describe(errors)), m_errors(std::move(errors)) {}

SubmitReceipt submitReferral(const ReferralForm& form, const SubmitContext& context,
                             Outbox& outbox) {
    ReferralForm cleaned = cleanedCopy(form);
    const WipeOnExit guard([&] { cleaned.wipe(); });

    std::vector<FieldError> errors = validateForSubmit(cleaned);
    if (!errors.empty()) {
        logInfo(kLog, "submit refused: " + std::to_string(errors.size()) + " field(s) to fix");
        throw ReferralInvalid(std::move(errors));
    }
    if (cleaned.kind == ReferralKind::Service && cleaned.serviceId.empty()) {
        throw std::invalid_argument("a service referral needs the service's id");
    }

    const SystemTime now =
        context.now == SystemTime{} ? std::chrono::system_clock::now() : context.now;
    ReferralEnvelope envelope;
    envelope.id = uuidV4();
    envelope.createdAt = formatIsoUtc(now);
    envelope.formVersion = context.formVersion;
    envelope.consentVersion = context.consentVersion;
    envelope.venue = context.venue;
    envelope.neighbourhood = context.neighbourhood;
    envelope.deviceId = context.deviceId;
    envelope.test = context.test;

    for (int attempt = 0; attempt < kReferenceAttempts; ++attempt) {
        envelope.reference = makeReferenceCode(context.referencePrefix);
        if (outbox.hasReference(envelope.reference)) {
            continue;  // the reference is inside the sealed payload: pick one before sealing
        }
        NewOutboxItem item;
        item.id = envelope.id;
        item.reference = envelope.reference;
        item.createdAt = envelope.createdAt;
        item.formVersion = envelope.formVersion;
        item.venue = envelope.venue;
        item.neighbourhood = envelope.neighbourhood;
        item.serviceId = cleaned.kind == ReferralKind::Service ? cleaned.serviceId : std::string();
        item.sealed = serialiseAndSeal(cleaned, envelope, context.coordinatorKey);
        item.test = envelope.test;
        std::int64_t seq = 0;
        try {
            seq = outbox.enqueue(item);
        } catch (const StorageError& error) {
            // Another writer took the reference between the check and the insert.
            if (error.extendedCode() == SQLITE_CONSTRAINT_UNIQUE &&
                outbox.hasReference(envelope.reference)) {
                continue;
            }
            throw;
        }
        return {envelope.id, envelope.reference, seq};
    }
    throw StorageError(
        "no free referral reference after " + std::to_string(kReferenceAttempts) + " tries",
        SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_UNIQUE);
}

}  // namespace signpost
