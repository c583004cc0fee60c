// core/common/secure_buffer.h: the one WipeOnExit guard the referral code and the tool share.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/common/secure_buffer.h"

using namespace signpost;

TEST_CASE("WipeOnExit wipes on a normal return and when an exception leaves", "[secure_buffer]") {
    SecureString secret = "a passphrase long enough to live on the heap, not inline";
    {
        const WipeOnExit guard([&] { wipe(secret); });
        CHECK_FALSE(secret.empty());
    }
    CHECK(secret.empty());

    SecureBytes plaintext(64, 0x41);
    const auto open = [&] {
        const WipeOnExit guard([&] { wipe(plaintext); });
        throw std::runtime_error("not a valid referral");
    };
    CHECK_THROWS_AS(open(), std::runtime_error);
    CHECK(plaintext.empty());
}
