#include "core/referral/reference_code.h"

#include <stdexcept>
#include <vector>

#include "core/common/ids.h"

namespace signpost {

namespace {

constexpr std::size_t kMinPrefix = 2;
constexpr std::size_t kMaxPrefix = 5;

bool isUpperLetter(char c) {
    return c >= 'A' && c <= 'Z';
}

bool isValidPrefix(std::string_view prefix) {
    if (prefix.size() < kMinPrefix || prefix.size() > kMaxPrefix) {
        return false;
    }
    for (char c : prefix) {
        if (!isUpperLetter(c)) {
            return false;
        }
    }
    return true;
}

bool isCodeCharacter(char c) {
    return kReferenceAlphabet.find(c) != std::string_view::npos;
}

}  // namespace

std::string makeReferenceCode(std::string_view prefix) {
    if (!isValidPrefix(prefix)) {
        throw std::invalid_argument("a reference prefix is 2 to 5 upper-case letters A-Z");
    }
    std::string reference(prefix);
    reference.push_back('-');
    for (std::size_t i = 0; i < kReferenceCodeLength; ++i) {
        // randombytes_uniform has no modulo bias, so every code is equally likely.
        const auto size = static_cast<std::uint32_t>(kReferenceAlphabet.size());
        reference.push_back(kReferenceAlphabet[randomBelow(size)]);
    }
    return reference;
}

bool isValidReferenceCode(std::string_view reference) {
    const std::size_t dash = reference.find('-');
    if (dash == std::string_view::npos || !isValidPrefix(reference.substr(0, dash))) {
        return false;
    }
    const std::string_view code = reference.substr(dash + 1);
    if (code.size() != kReferenceCodeLength) {
        return false;
    }
    for (char c : code) {
        if (!isCodeCharacter(c)) {
            return false;
        }
    }
    return true;
}

std::string canonicalReferenceCode(std::string_view typed) {
    // Split on separators. Two parts are prefix and code ("mcr 4k7q", "MCR-4K7"); otherwise the
    // parts are joined and the code is the last four characters ("MCR4K7Q", "M C R 4 K 7 Q").
    // Honouring a typed separator matters: "MCR-4K7" is a code missing a character, not
    // "MC-R4K7".
    std::vector<std::string> parts;
    std::size_t total = 0;
    bool inPart = false;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t' || c == '\r' || c == '\n') {
            inPart = false;
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (!inPart) {
            parts.emplace_back();
            inPart = true;
        }
        parts.back().push_back(c);
        if (++total > kMaxPrefix + kReferenceCodeLength) {
            return {};
        }
    }
    std::string canonical;
    if (parts.size() == 2) {
        canonical = parts[0] + '-' + parts[1];
    } else {
        std::string compact;
        for (const std::string& part : parts) {
            compact += part;
        }
        if (compact.size() < kMinPrefix + kReferenceCodeLength) {
            return {};
        }
        const std::size_t split = compact.size() - kReferenceCodeLength;
        canonical = compact.substr(0, split) + '-' + compact.substr(split);
    }
    return isValidReferenceCode(canonical) ? canonical : std::string();
}

}  // namespace signpost
