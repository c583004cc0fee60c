// Signpost — short referral references a person can read aloud over the phone: "MCR-4K7Q".
//
// The code alphabet leaves out characters that are easy to confuse when read or heard
// (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). The reference is for people; the UUID is the real id.
// Thread-safety: thread-safe (libsodium CSPRNG).
#pragma once

#include <string>
#include <string_view>

namespace signpost {

inline constexpr std::string_view kReferenceAlphabet = "ACDEFGHJKMNPQRTWXY34679";
inline constexpr std::size_t kReferenceCodeLength = 4;

// "<prefix>-XXXX", each X drawn uniformly from kReferenceAlphabet by libsodium's CSPRNG (23^4 =
// 279,841 codes per prefix; uniqueness in the outbox is the caller's job — see submit.h).
// `prefix` is 2–5 upper-case letters A–Z (config venue.reference_prefix); throws
// std::invalid_argument otherwise.
std::string makeReferenceCode(std::string_view prefix);
bool isValidReferenceCode(std::string_view reference);
// What a coordinator typed ("mcr 4k7q", "MCR4K7Q", "M C R 4 K 7 Q") to canonical form, or ""
// if not valid. Case is ignored; spaces, '-', '_', '.', tabs and line ends separate. Exactly two
// parts are prefix and code; otherwise the code is the last four characters.
std::string canonicalReferenceCode(std::string_view typed);

}  // namespace signpost
