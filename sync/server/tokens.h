// Signpost server — bearer tokens and enrollment codes.
//
// Device and coordinator tokens are 256 random bits from libsodium's CSPRNG, written base64url
// without padding (43 characters). The server keeps only hashToken(token): a keyed BLAKE2b-256
// (a fast hash is enough for 256-bit random secrets; there is nothing to brute-force).
//
// Enrollment codes are typed by staff on the kiosk's on-screen keyboard, so they are short and
// unambiguous: 12 characters of Crockford base32 (60 bits) shown as "7KQ3-M9XD-2F8H". Input is
// normalised (case, spaces, dashes, O→0, I/L→1) before hashing, so "7kq3 m9xd 2f8h" works too.
// Guessing is bounded by the enrollment rate limit and the codes' expiry.
//
// Thread-safety: pure functions (libsodium's CSPRNG is thread-safe).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signpost::server {

using TokenHash = std::array<std::uint8_t, 32>;

// 32 random bytes, base64url without padding.
std::string generateToken();
// True if `text` looks like a token generateToken() made (43 base64url characters).
bool isWellFormedToken(std::string_view text);
// Keyed BLAKE2b-256 of the token (or of a normalised enrollment code).
TokenHash hashToken(std::string_view token);

// "7KQ3-M9XD-2F8H"
std::string generateEnrollmentCode();
// Upper-cases, drops spaces and dashes, maps O→0 and I/L→1; nullopt unless exactly 12 Crockford
// base32 characters remain. Returns the 12 characters without dashes.
std::optional<std::string> normalizeEnrollmentCode(std::string_view text);

}  // namespace signpost::server
