// Signpost — UTF-8, one module for the whole tree (the session and the UI, the referral form's
// cleaning and its JSON writer): walk code points, append one, count them, find the last one,
// and upper-case the letters the on-screen keyboard offers.
//
// Strict, as RFC 3629 allows and nothing else: no overlong forms, no UTF-16 surrogates
// (U+D800–U+DFFF), nothing above U+10FFFF, no stray continuation bytes, no truncated sequences.
// Those rules are utfcpp's (libutfcpp-dev, included only in utf8.cpp). An invalid sequence is
// skipped one byte at a time, so a walk always ends and resynchronises on the next byte.
// Nothing allocates except append()/encode()/toUpper(), which write to the caller's string.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/secure_buffer.h"

namespace signpost::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Step {
    char32_t codePoint = 0;  // valid only when `valid`
    std::size_t length = 1;  // bytes consumed: the sequence's length, or 1 for an invalid byte
    bool valid = false;
};

// Decodes the code point starting at `pos` (< text.size()). An invalid sequence consumes exactly
// one byte so the caller can skip it and resynchronise on the next byte.
Step decode(std::string_view text, std::size_t pos) noexcept;
// Decodes the code point at `text[at]` (at < text.size()) and advances `at` past it; an invalid
// byte decodes as U+FFFD.
char32_t next(std::string_view text, std::size_t& at) noexcept;
// True when the whole text is valid UTF-8.
bool isValid(std::string_view text) noexcept;
// Number of code points (invalid bytes count one each).
std::size_t count(std::string_view text) noexcept;
// True for a byte that continues a sequence (10xxxxxx): never the place to cut a string.
constexpr bool isContinuation(char byte) noexcept {
    return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U;
}
// The longest prefix of `text` of at most `bytes` bytes that does not end inside a sequence.
std::string_view prefixBytes(std::string_view text, std::size_t bytes) noexcept;
// The first `points` code points of `text` (all of it when it is shorter).
std::string_view prefixCodePoints(std::string_view text, std::size_t points) noexcept;
// Byte length of the last code point of `text` (0 for an empty string; 1 for an invalid byte).
std::size_t lastLength(std::string_view text) noexcept;

// Appends `cp` as UTF-8; values above U+10FFFF or surrogates append U+FFFD.
void append(std::string& out, char32_t cp);
void append(SecureString& out, char32_t cp);
// `cp` encoded on its own ("ą").
std::string encode(char32_t cp);

// Upper-case form of the Latin letters the keyboard offers (ASCII, Latin-1, Latin Extended-A,
// Romanian ș/ț). Other code points come back unchanged; ß stays ß.
char32_t toUpper(char32_t cp) noexcept;
// The whole string through toUpper (used for shifted key labels).
std::string toUpper(std::string_view text);

}  // namespace signpost::utf8
