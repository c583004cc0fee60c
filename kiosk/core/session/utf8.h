// Signpost — the few UTF-8 helpers the session and the UI need: walk code points, append one,
// drop the last one, and change the case of the letters the on-screen keyboard offers.
//
// Invalid bytes decode as U+FFFD one byte at a time, so a walk always ends. Nothing allocates
// except appendUtf8 (which appends to the caller's string).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/common/secure_buffer.h"

namespace signpost::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at `text[at]` and advances `at` past it. `at` must be < text.size().
char32_t next(std::string_view text, std::size_t& at) noexcept;
// Number of code points (invalid bytes count one each).
std::size_t count(std::string_view text) noexcept;
// Byte length of the last code point of `text` (0 for an empty string).
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
