#include "core/common/utf8.h"

#include <utf8cpp/utf8.h>
#include <iterator>

namespace signpost::utf8 {

namespace {

bool isCharacter(char32_t cp) noexcept {
    return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

template <class String>
void appendTo(String& out, char32_t cp) {
    // ::utf8 is utfcpp's namespace; unchecked::append is safe once cp is a character.
    ::utf8::unchecked::append(isCharacter(cp) ? cp : kReplacement, std::back_inserter(out));
}

}  // namespace

Step decode(std::string_view text, std::size_t pos) noexcept {
    auto at = text.begin() + static_cast<std::ptrdiff_t>(pos);
    try {
        const auto cp = static_cast<char32_t>(::utf8::next(at, text.end()));
        return {cp, static_cast<std::size_t>(at - text.begin()) - pos, true};
    } catch (const ::utf8::exception&) {
        return {};  // utfcpp leaves `at` where it was: skip one byte
    }
}

char32_t next(std::string_view text, std::size_t& at) noexcept {
    const Step step = decode(text, at);
    at += step.length;
    return step.valid ? step.codePoint : kReplacement;
}

bool isValid(std::string_view text) noexcept {
    return ::utf8::is_valid(text.begin(), text.end());
}

std::size_t count(std::string_view text) noexcept {
    std::size_t result = 0;
    for (std::size_t at = 0; at < text.size(); ++result) {
        next(text, at);
    }
    return result;
}

std::string_view prefixBytes(std::string_view text, std::size_t bytes) noexcept {
    if (text.size() <= bytes) {
        return text;
    }
    while (bytes > 0 && isContinuation(text[bytes])) {
        --bytes;
    }
    return text.substr(0, bytes);
}

std::string_view prefixCodePoints(std::string_view text, std::size_t points) noexcept {
    std::size_t at = 0;
    for (std::size_t i = 0; i < points && at < text.size(); ++i) {
        next(text, at);
    }
    return text.substr(0, at);
}

std::size_t lastLength(std::string_view text) noexcept {
    if (text.empty()) {
        return 0;
    }
    // Walk back over at most three continuation bytes, then check the lead really spans them.
    std::size_t start = text.size() - 1;
    while (start > 0 && text.size() - start < 4 &&
           (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U) {
        --start;
    }
    const Step step = decode(text, start);
    return step.valid && start + step.length == text.size() ? step.length : 1;
}

void append(std::string& out, char32_t cp) {
    appendTo(out, cp);
}
void append(SecureString& out, char32_t cp) {
    appendTo(out, cp);
}

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
