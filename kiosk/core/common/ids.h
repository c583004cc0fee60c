// Signpost — identifiers and encodings built on libsodium's CSPRNG.
// Thread-safety: all functions are thread-safe (libsodium is initialised on first use).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signpost {

// Calls sodium_init() once; throws std::runtime_error if libsodium cannot start.
void ensureSodium();

// A random RFC 4122 version-4 UUID in lower-case canonical form ("xxxxxxxx-xxxx-4xxx-yxxx-…").
std::string uuidV4();
// True if `text` is a canonical lower-case UUIDv4.
bool isUuidV4(std::string_view text);

// Standard base64 with padding (sodium_base64_VARIANT_ORIGINAL).
std::string toBase64(std::span<const std::uint8_t> bytes);
// Returns nullopt on any invalid character or padding.
std::optional<std::vector<std::uint8_t>> fromBase64(std::string_view text);
// Lower-case hex, two digits a byte.
std::string toHex(std::span<const std::uint8_t> bytes);
// A 16-byte BLAKE2b digest of `text` as 32 lower-case hex digits: for content tags (HTTP ETags),
// never for secrets or passwords.
std::string shortDigestHex(std::string_view text);

// Uniform random integer in [0, upperBound) from the CSPRNG.
std::uint32_t randomBelow(std::uint32_t upperBound);

}  // namespace signpost
