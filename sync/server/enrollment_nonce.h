// Signpost server — the one-time nonces an enrolling kiosk signs (proof that it holds the private
// half of the signing key it registers; README "Sync API", enrollment).
//
// A nonce is stateless until used: version (1 byte) || expiry (8 bytes, Unix seconds, big-endian)
// || 16 random bytes || HMAC-SHA-256 of those under a key made when the server starts, in
// base64url without padding. Handing nonces out therefore costs no memory however many are asked
// for; a restart invalidates the ones outstanding (the kiosk asks again). An enrollment claims
// its nonce before it touches the database and gives it back if the code was refused, so a
// replayed request cannot enroll or re-issue twice, and only successful enrollments are
// remembered (until the nonce would have expired anyway).
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/common/time_util.h"

namespace signpost::server {

class EnrollmentNonces {
public:
    static constexpr std::chrono::seconds kLifetime{600};

    EnrollmentNonces();  // a fresh random key

    std::string issue(SystemTime now);

    enum class Check { Valid, Malformed, Expired };
    Check check(std::string_view nonce, SystemTime now) const;

    // Marks a valid nonce used; false when it already was (a replay, or a concurrent twin).
    bool claim(std::string_view nonce, SystemTime now);
    // Gives a claimed nonce back (the enrollment it was claimed for failed).
    void release(std::string_view nonce);

    std::size_t claimedCount() const;

private:
    std::array<std::uint8_t, 32> m_key{};
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, SystemTime> m_claimed;  // nonce → its expiry
};

}  // namespace signpost::server
