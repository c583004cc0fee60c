#include "core/session/utf8.h"

namespace signpost::utf8 {

namespace {

unsigned char byteAt(std::string_view text, std::size_t at) noexcept {
    return static_cast<unsigned char>(text[at]);
}

bool isContinuation(unsigned char byte) noexcept { return (byte & 0xC0U) == 0x80U; }

template <class String>
void appendTo(String& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = kReplacement;
    }
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace

char32_t next(std::string_view text, std::size_t& at) noexcept {
    const unsigned char lead = byteAt(text, at);
    if (lead < 0x80) {
        ++at;
        return lead;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0U) == 0xC0U) {
        length = 2;
        cp = lead & 0x1FU;
        minimum = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
        length = 3;
        cp = lead & 0x0FU;
        minimum = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
        length = 4;
        cp = lead & 0x07U;
        minimum = 0x10000;
    } else {
        ++at;
        return kReplacement;
    }
    if (at + length > text.size()) {
        ++at;
        return kReplacement;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const unsigned char byte = byteAt(text, at + i);
        if (!isContinuation(byte)) {
            ++at;
            return kReplacement;
        }
        cp = (cp << 6) | (byte & 0x3FU);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not characters.
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++at;
        return kReplacement;
    }
    at += length;
    return cp;
}

std::size_t count(std::string_view text) noexcept {
    std::size_t result = 0;
    for (std::size_t at = 0; at < text.size(); ++result) {
        next(text, at);
    }
    return result;
}

std::size_t lastLength(std::string_view text) noexcept {
    if (text.empty()) {
        return 0;
    }
    // Walk back over at most three continuation bytes, then check the lead really spans them.
    std::size_t start = text.size() - 1;
    while (start > 0 && text.size() - start < 4 && isContinuation(byteAt(text, start))) {
        --start;
    }
    std::size_t at = start;
    next(text, at);
    return at == text.size() ? text.size() - start : 1;
}

void append(std::string& out, char32_t cp) { appendTo(out, cp); }
void append(SecureString& out, char32_t cp) { appendTo(out, cp); }

std::string encode(char32_t cp) {
    std::string out;
    appendTo(out, cp);
    return out;
}

char32_t toUpper(char32_t cp) noexcept {
    if (cp >= U'a' && cp <= U'z') {
        return cp - 0x20;
    }
    // Latin-1: à..þ map 0x20 down, except ÷ (U+00F7) which is not a letter.
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) {
        return cp - 0x20;
    }
    if (cp == 0xFF) {
        return 0x178;  // ÿ → Ÿ
    }
    // Latin Extended-A pairs: upper case even, lower case odd...
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) {
        return (cp & 1U) != 0 ? cp - 1 : cp;
    }
    // ...except U+0139–U+0148 and U+0179–U+017E, where upper case is odd.
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
        return (cp & 1U) == 0 ? cp - 1 : cp;
    }
    // Romanian comma-below letters (Latin Extended-B).
    if (cp == 0x219 || cp == 0x21B) {
        return cp - 1;
    }
    return cp;
}

std::string toUpper(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        appendTo(out, toUpper(next(text, at)));
    }
    return out;
}

}  // namespace signpost::utf8
