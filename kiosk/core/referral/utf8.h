// Signpost — strict UTF-8 decoding for the referral module (internal: used by validation and the
// referral codec, not part of any other module's contract).
//
// Strict means what RFC 3629 allows and nothing else: no overlong forms, no UTF-16 surrogates
// (U+D800–U+DFFF), nothing above U+10FFFF, no stray continuation bytes, no truncated sequences.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace signpost::utf8 {

struct Step {
    char32_t codePoint = 0;  // valid only when `valid`
    std::size_t length = 1;  // bytes consumed: the sequence's length, or 1 for an invalid byte
    bool valid = false;
};

// Decodes the code point starting at `pos` (< text.size()). An invalid sequence consumes exactly
// one byte so the caller can skip it and resynchronise on the next byte.
inline Step decode(std::string_view text, std::size_t pos) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) {
        return {lead, 1, true};
    }
    std::size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1Fu;
        minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0Fu;
        minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07u;
        minimum = 0x10000;
    } else {
        return {};  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
    }
    if (pos + length > text.size()) {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char next = byte(pos + i);
        if ((next & 0xC0u) != 0x80u) {
            return {};
        }
        value = (value << 6) | (next & 0x3Fu);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return {};
    }
    return {value, length, true};
}

// Appends the UTF-8 encoding of a valid code point to any string-like container of char or
// unsigned char (SecureString, SecureBytes).
template <class Out>
void append(Out& out, char32_t cp) {
    using Value = typename Out::value_type;
    if (cp < 0x80) {
        out.push_back(static_cast<Value>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<Value>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<Value>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<Value>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<Value>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<Value>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<Value>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<Value>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<Value>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<Value>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace signpost::utf8
