// Signpost — user-visible text by key, per language, from assets/i18n/<code>.json.
//
// Each file is a flat JSON object of "key": "text" plus a "_meta" object
// ({"code", "native_name", "english_name", "direction": "ltr"|"rtl"}). English (en.json) is
// complete and is the fallback: a key missing in the current language shows the English text; a
// key missing everywhere shows the key itself and is logged once. Placeholders are "{name}".
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

struct LanguageInfo {
    std::string code;         // ISO 639-1, "pl"
    std::string nativeName;   // "Polski" — what the language button shows
    std::string englishName;  // "Polish"
    bool rightToLeft = false;
};

class I18n {
public:
    // Loads en.json and each of `languages` from `directory`. Throws I18nError naming the file if
    // en.json is missing or any file is not a flat object of strings (or repeats a key). A requested language with no
    // file is skipped with a warning in the log.
    static I18n load(const std::filesystem::path& directory, const std::vector<std::string>& languages);
    // From in-memory JSON texts keyed by language code (tests). Must include "en". Throws.
    static I18n fromJsonTexts(const std::map<std::string, std::string>& texts);

    // Switches language; an unknown code is ignored and returns false.
    bool setLanguage(std::string_view code);
    const std::string& language() const noexcept { return m_current; }
    const LanguageInfo& languageInfo() const;
    const std::vector<LanguageInfo>& languages() const noexcept { return m_languages; }

    // The text for `key` in the current language (fallbacks as above). Never null.
    const char* tr(std::string_view key) const;
    // tr() then replaces each "{name}" with its value.
    std::string format(std::string_view key,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;
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
