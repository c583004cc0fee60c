#include "core/i18n/language_tag.h"

#include <unicode/locid.h>
#include <unicode/uscript.h>

#include <vector>

namespace signpost {

namespace {

bool allLetters(std::string_view text) {
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return !text.empty();
}

bool allDigits(std::string_view text) {
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !text.empty();
}

std::string lower(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return result;
}

std::string upper(std::string_view text) {
    std::string result(text);
    for (char& c : result) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return result;
}

std::vector<std::string_view> subtags(std::string_view tag) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dash = tag.find('-', start);
        parts.push_back(tag.substr(
            start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
        if (dash == std::string_view::npos) {
            return parts;
        }
        start = dash + 1;
    }
}

// ICU names every language in its registry; for an unknown code it hands the code back.
bool isKnownLanguage(const std::string& language) {
    const icu::Locale locale(language.c_str());
    icu::UnicodeString name;
    locale.getDisplayLanguage(icu::Locale::getEnglish(), name);
    std::string english;
    name.toUTF8String(english);
    return !english.empty() && english != language;
}

bool isKnownScript(const std::string& script) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode codes[4];
    const int32_t count = uscript_getCode(script.c_str(), codes, 4, &status);
    return U_SUCCESS(status) && count > 0 && codes[0] != USCRIPT_INVALID_CODE;
}

bool isKnownRegion(const std::string& region) {
    if (allDigits(region)) {
        return true;  // UN M.49 area codes ("419"): well formed is enough
    }
    const icu::Locale locale("und", region.c_str());
    icu::UnicodeString name;
    locale.getDisplayCountry(icu::Locale::getEnglish(), name);
    std::string english;
    name.toUTF8String(english);
    return !english.empty() && english != region;
}

}  // namespace

std::optional<std::string> canonicalLanguageTag(std::string_view tag) {
    if (tag.empty() || tag.size() > 16) {
        return std::nullopt;
    }
    const std::vector<std::string_view> parts = subtags(tag);
    if (parts.size() > 3) {
        return std::nullopt;
    }
    const std::string_view language = parts[0];
    if (!allLetters(language) || language.size() < 2 || language.size() > 3) {
        return std::nullopt;
    }
    std::string result = lower(language);
    if (!isKnownLanguage(result)) {
        return std::nullopt;
    }
    std::size_t next = 1;
    if (next < parts.size() && parts[next].size() == 4 && allLetters(parts[next])) {
        std::string script = lower(parts[next]);
        script[0] = static_cast<char>(script[0] - 'a' + 'A');
        if (!isKnownScript(script)) {
            return std::nullopt;
        }
        result += "-" + script;
        ++next;
    }
    if (next < parts.size()) {
        const std::string_view region = parts[next];
        const bool letters = region.size() == 2 && allLetters(region);
        const bool digits = region.size() == 3 && allDigits(region);
        if (!letters && !digits) {
            return std::nullopt;
        }
        const std::string canonical = upper(region);
        if (!isKnownRegion(canonical)) {
            return std::nullopt;
        }
        result += "-" + canonical;
        ++next;
    }
    if (next != parts.size()) {
        return std::nullopt;
    }
    return result;
}

std::string primaryLanguage(std::string_view tag) {
    const std::string_view language = tag.substr(0, tag.find('-'));
    if (language.size() < 2 || language.size() > 3 || !allLetters(language)) {
        return {};
    }
    return lower(language);
}

}  // namespace signpost
