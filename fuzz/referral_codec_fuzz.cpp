// Fuzz target: the referral codec's reader (core/referral/referral_codec.h), which the
// coordinators' tool runs on every decrypted referral a kiosk sent. Only ReferralFormatError
// may escape.
#include <cstdint>

#include "core/referral/referral_codec.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        signpost::parseReferral(signpost::fuzz::text(data, size));
    } catch (const signpost::ReferralFormatError&) {
        // The documented refusal.
    }
    return 0;
}
