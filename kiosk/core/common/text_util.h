// Signpost — small text helpers every module shares (one copy instead of one per file).
// Thread-safety: pure functions.
#pragma once

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

}  // namespace signpost
