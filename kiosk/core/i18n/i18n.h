// Signpost — user-visible text by key, per language, from assets/i18n/<code>.json.
//
// Each file is a flat JSON object of "key": "text" plus a "_meta" object
// ({"code", "native_name", "english_name", "direction": "ltr"|"rtl", "status":
// "draft"|"reviewed"}). The code is a BCP 47 tag (core/i18n/language_tag.h) and names the file:
// "zh-Hans.json". A translation is "draft" until a native speaker has checked it (a file without a
// status is a draft). English (en.json) is complete and is the fallback: a key missing in the
// current language shows the English text; a key missing everywhere shows the key itself and is
// logged once. Placeholders are "{name}".
//
// Plural forms: a text that holds a number may have one variant per CLDR plural category of its
// language, "key#zero", "key#one", "key#two", "key#few", "key#many", "key#other" (Arabic uses all
// six, Polish and Ukrainian one/few/many, Chinese none). trPlural() asks ICU's PluralRules which
// category a number is in, in that language, and falls back to the plain "key". Only categories
// the language has are used; the plain key is the form for any category without its own variant.
//
// Need words: "need.<code>.words" holds, per language, the comma-separated words a resident might
// type for that need ("samotność, samotny, ..."); search uses them (needWords()).
//
// Thread-safety: immutable after load except setLanguage(); use from the UI thread. tr() returns
// pointers that stay valid for the I18n object's lifetime.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost {

class I18nError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class TranslationStatus {
    Draft,     // machine- or non-native-written; not yet checked by a native speaker
    Reviewed,  // checked by a native speaker
};

struct LanguageInfo {
    std::string code;         // BCP 47 tag, "pl", "ckb", "zh-Hans"
    std::string nativeName;   // "Polski" — what the language button shows
    std::string englishName;  // "Polish"
    bool rightToLeft = false;
    TranslationStatus status = TranslationStatus::Draft;
};

// One need's words in one language: its tile name and the synonyms from "need.<code>.words".
struct NeedWords {
    std::string needCode;            // "feeling-lonely"
    std::string language;            // "pl"
    std::vector<std::string> words;  // {"Samotność", "samotność", "samotny", ...}: the tile name
                                     // first, then each comma-separated entry, trimmed, non-empty
};

class I18n {
public:
    // Loads en.json and each of `languages` from `directory`. Throws I18nError naming the file if
    // en.json is missing or any file is not a flat object of strings (or repeats a key). A
    // requested language with no file is skipped with a warning in the log.
    static I18n load(const std::filesystem::path& directory,
                     const std::vector<std::string>& languages);
    // From in-memory JSON texts keyed by language code (tests). Must include "en". Throws.
    static I18n fromJsonTexts(const std::map<std::string, std::string>& texts);
    // The languages whose files are in `directory` (every <tag>.json), with their _meta, English
    // first then by tag. Reads and checks every file: throws I18nError naming a file that is not
    // valid (as load()). Missing directory: empty. For the staff panel and tests; not per frame.
    static std::vector<LanguageInfo> available(const std::filesystem::path& directory);

    // Switches language; an unknown code is ignored and returns false.
    bool setLanguage(std::string_view code);
    const std::string& language() const noexcept { return m_current; }
    const LanguageInfo& languageInfo() const;
    const std::vector<LanguageInfo>& languages() const noexcept { return m_languages; }

    // The text for `key` in the current language (fallbacks as above). Never null.
    const char* tr(std::string_view key) const;
    // tr() then replaces each "{name}" with its value.
    std::string format(
        std::string_view key,
        std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;
    // The text of `key` for the number `count` (see "Plural forms" above): "key#<category>" in the
    // current language, else "key" there, else the same in English with English's category. Never
    // null.
    const char* trPlural(std::string_view key, long long count) const;
    // trPlural() then replaces each "{name}" with its value (pass the formatted count as one of
    // them).
    std::string formatPlural(
        std::string_view key, long long count,
        std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;
    // The CLDR plural category of `count` in language `code` ("one", "few", ...; "other" if the
    // language is not loaded). From ICU.
    std::string pluralCategory(std::string_view code, long long count) const;
    // The text of `key` in language `code` only (no fallback), or nullptr.
    const char* textIn(std::string_view code, std::string_view key) const;
    // Every loaded language's words for each need in `needCodes` (see NeedWords), languages in
    // load order. A language with neither the tile name nor words for a need adds nothing for it.
    std::vector<NeedWords> needWords(const std::vector<std::string>& needCodes) const;
    // True if `key` exists in the file of language `code`.
    bool has(std::string_view code, std::string_view key) const;
    // Every key in a language's file (sorted), for coverage tests.
    std::vector<std::string> keys(std::string_view code) const;

    struct Table;  // implementation detail (i18n.cpp)

private:
    std::vector<LanguageInfo> m_languages;
    std::map<std::string, std::shared_ptr<Table>, std::less<>> m_tables;
    std::string m_current = "en";
};

}  // namespace signpost
