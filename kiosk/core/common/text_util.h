// Signpost — small text helpers every module shares (one copy instead of one per file).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace signpost {

// `text` without the `characters` at either end (by default blanks: spaces and tabs). A view
// into `text`: it must outlive the result.
constexpr std::string_view trim(std::string_view text,
                                std::string_view characters = " \t") noexcept {
    const std::size_t begin = text.find_first_not_of(characters);
    if (begin == std::string_view::npos) {
        return {};
    }
    const std::size_t end = text.find_last_not_of(characters);
    return text.substr(begin, end - begin + 1);
}

// `text` with the ASCII letters A-Z lower-cased (or, asciiUpper, a-z upper-cased) and every other
// byte, UTF-8 included, unchanged: for codes and keywords ("GBP", "Fax", "EN"), never for words
// a person reads (search_text.h folds those). Unlike std::tolower it ignores the locale.
inline std::string asciiLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}
inline std::string asciiUpper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

}  // namespace signpost
