#include "core/i18n/i18n.h"

#include <unicode/locid.h>
#include <unicode/plurrule.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/text_util.h"
#include "core/i18n/language_tag.h"

namespace signpost {

struct I18n::Table {
    LanguageInfo info;
    // Values never move once inserted into an unordered_map node, so tr() can hand out c_str().
    std::unordered_map<std::string, std::string> texts;
    // The language's CLDR plural rules (ICU); null if ICU has none (then every number is "other").
    std::shared_ptr<const icu::PluralRules> plurals;
};

namespace {

constexpr std::array<std::string_view, 6> kPluralCategories = {"zero", "one",  "two",
                                                               "few",  "many", "other"};

std::shared_ptr<const icu::PluralRules> pluralRulesFor(const std::string& code) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(code, status);
    if (U_FAILURE(status)) {
        return nullptr;
    }
    std::shared_ptr<const icu::PluralRules> rules(icu::PluralRules::forLocale(locale, status));
    if (U_FAILURE(status)) {
        return nullptr;
    }
    return rules;
}

std::string categoryOf(const icu::PluralRules* rules, long long count) {
    if (rules == nullptr) {
        return "other";
    }
    std::string category;
    rules->select(static_cast<double>(count)).toUTF8String(category);
    return category.empty() ? std::string("other") : category;
}

std::string substitute(std::string text,
                       std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + std::string(name) + "}";
        std::size_t at = 0;
        while ((at = text.find(placeholder, at)) != std::string::npos) {
            text.replace(at, placeholder.size(), value);
            at += value.size();
        }
    }
    return text;
}

// Keys missing from every language: each is logged once and its own text is kept here so tr()
// can return a stable pointer without touching the language tables.
struct MissingKeys {
    std::mutex mutex;
    std::unordered_map<std::string, std::string> texts;
};
MissingKeys& missingKeys() {
    static MissingKeys instance;
    return instance;
}

std::shared_ptr<I18n::Table> parseTable(const std::string& expectedCode, const std::string& text,
                                        const std::string& fileName) {
    nlohmann::json document;
    // JSON parsers keep the last of two equal keys; in a translation file that silently drops a
    // text (a merge or a translator's copy-paste), so a repeated key is an error here.
    std::vector<std::set<std::string>> keysPerObject;
    std::string repeated;
    const nlohmann::json::parser_callback_t noteKeys = [&](int, nlohmann::json::parse_event_t event,
                                                           nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start) {
            keysPerObject.emplace_back();
        } else if (event == Event::object_end && !keysPerObject.empty()) {
            keysPerObject.pop_back();
        } else if (event == Event::key && !keysPerObject.empty() &&
                   !keysPerObject.back().insert(parsed.get<std::string>()).second &&
                   repeated.empty()) {
            repeated = parsed.get<std::string>();
        }
        return true;
    };
    try {
        document = nlohmann::json::parse(text, noteKeys);
    } catch (const nlohmann::json::parse_error& error) {
        throw I18nError(fileName + ": not valid JSON: " + error.what());
    }
    if (!repeated.empty()) {
        throw I18nError(fileName + ": key \"" + repeated + "\" appears twice");
    }
    if (!document.is_object()) {
        throw I18nError(fileName + ": must be a JSON object of \"key\": \"text\"");
    }
    auto table = std::make_shared<I18n::Table>();
    table->info.code = expectedCode;
    table->info.nativeName = expectedCode;
    table->info.englishName = expectedCode;
    for (const auto& [key, value] : document.items()) {
        if (key == "_meta") {
            if (!value.is_object()) {
                throw I18nError(fileName + ": \"_meta\" must be an object");
            }
            // `meta` by name: clang (the fuzz build) cannot capture a structured binding.
            auto metaText = [&, &meta = value](const char* field, const std::string& fallback) {
                const auto found = meta.find(field);
                if (found == meta.end()) {
                    return fallback;
                }
                if (!found->is_string()) {
                    throw I18nError(fileName + ": \"_meta\"." + field + " must be text");
                }
                return found->get<std::string>();
            };
            table->info.nativeName = metaText("native_name", expectedCode);
            table->info.englishName = metaText("english_name", expectedCode);
            const std::string direction = metaText("direction", "ltr");
            if (direction != "ltr" && direction != "rtl") {
                throw I18nError(fileName + ": \"_meta\".direction is \"" + direction +
                                "\", expected \"ltr\" or \"rtl\"");
            }
            table->info.rightToLeft = direction == "rtl";
            const std::string status = metaText("status", "draft");
            if (status != "draft" && status != "reviewed") {
                throw I18nError(fileName + ": \"_meta\".status is \"" + status +
                                "\", expected \"draft\" or \"reviewed\"");
            }
            table->info.status =
                status == "reviewed" ? TranslationStatus::Reviewed : TranslationStatus::Draft;
            std::string code = metaText("code", expectedCode);
            if (code != expectedCode) {
                throw I18nError(fileName + ": \"_meta\".code is \"" + code + "\", expected \"" +
                                expectedCode + "\"");
            }
            continue;
        }
        if (!value.is_string()) {
            throw I18nError(fileName + ": key \"" + key + "\" must map to a string");
        }
        if (const std::size_t hash = key.find('#'); hash != std::string::npos) {
            const std::string_view category = std::string_view(key).substr(hash + 1);
            if (hash == 0 || std::find(kPluralCategories.begin(), kPluralCategories.end(),
                                       category) == kPluralCategories.end()) {
                throw I18nError(
                    fileName + ": key \"" + key +
                    "\": a plural form ends in #zero, #one, #two, #few, #many or #other");
            }
        }
        table->texts.emplace(key, value.get<std::string>());
    }
    table->plurals = pluralRulesFor(expectedCode);
    return table;
}

// A requested language's file name comes from config; only a canonical BCP 47 tag may become one.
bool isFileTag(const std::string& code) {
    const std::optional<std::string> canonical = canonicalLanguageTag(code);
    return canonical && *canonical == code;
}

}  // namespace

I18n I18n::load(const std::filesystem::path& directory, const std::vector<std::string>& languages) {
    std::map<std::string, std::string> texts;
    const std::filesystem::path english = directory / "en.json";
    try {
        texts["en"] = readFile(english);
    } catch (const FileError& error) {
        throw I18nError(std::string("English texts are required: ") + error.what());
    }
    for (const std::string& code : languages) {
        if (code == "en" || texts.count(code) != 0) {
            continue;
        }
        if (!isFileTag(code)) {
            logWarning("i18n", "\"" + code +
                                   "\" is not a BCP 47 language tag like \"pl\" or \"zh-Hans\"; it "
                                   "is not offered");
            continue;
        }
        const std::filesystem::path file = directory / (code + ".json");
        try {
            texts[code] = readFile(file);
        } catch (const FileError&) {
            logWarning("i18n", "no texts for language \"" + code + "\" (" + file.string() +
                                   "); it is not offered");
        }
    }
    // Parse with real file names so errors point at the file.
    I18n result;
    std::vector<std::string> order{"en"};
    for (const std::string& code : languages) {
        if (code != "en" && texts.count(code) != 0 &&
            std::find(order.begin(), order.end(), code) == order.end()) {
            order.push_back(code);
        }
    }
    for (const std::string& code : order) {
        auto table = parseTable(code, texts[code], (directory / (code + ".json")).string());
        result.m_languages.push_back(table->info);
        result.m_tables.emplace(code, std::move(table));
    }
    return result;
}

I18n I18n::fromJsonTexts(const std::map<std::string, std::string>& texts) {
    if (texts.count("en") == 0) {
        throw I18nError("English texts are required");
    }
    I18n result;
    auto add = [&](const std::string& code, const std::string& text) {
        auto table = parseTable(code, text, code + ".json");
        result.m_languages.push_back(table->info);
        result.m_tables.emplace(code, std::move(table));
    };
    add("en", texts.at("en"));
    for (const auto& [code, text] : texts) {
        if (code != "en") {
            add(code, text);
        }
    }
    return result;
}

bool I18n::setLanguage(std::string_view code) {
    if (m_tables.find(code) == m_tables.end()) {
        return false;
    }
    m_current = std::string(code);
    return true;
}

const LanguageInfo& I18n::languageInfo() const {
    return m_tables.find(m_current)->second->info;
}

const char* I18n::tr(std::string_view key) const {
    std::string keyText(key);
    auto current = m_tables.find(m_current);
    if (current != m_tables.end()) {
        auto found = current->second->texts.find(keyText);
        if (found != current->second->texts.end()) {
            return found->second.c_str();
        }
    }
    auto english = m_tables.find("en");
    if (english != m_tables.end()) {
        auto found = english->second->texts.find(keyText);
        if (found != english->second->texts.end()) {
            return found->second.c_str();
        }
    }
    // Missing everywhere: show the key (a bug, but never a crash or an empty button).
    MissingKeys& missing = missingKeys();
    std::lock_guard lock(missing.mutex);
    auto [entry, inserted] = missing.texts.emplace(keyText, keyText);
    if (inserted) {
        logWarning("i18n", "missing text key \"" + keyText + "\"");
    }
    return entry->second.c_str();
}

std::string I18n::format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return substitute(tr(key), args);
}

std::string I18n::pluralCategory(std::string_view code, long long count) const {
    const auto table = m_tables.find(code);
    return categoryOf(table == m_tables.end() ? nullptr : table->second->plurals.get(), count);
}

const char* I18n::trPlural(std::string_view key, long long count) const {
    // Each language picks its own category: 21 is "one" in Ukrainian but "other" in English.
    for (const std::string_view code : {std::string_view(m_current), std::string_view("en")}) {
        const auto table = m_tables.find(code);
        if (table == m_tables.end()) {
            continue;
        }
        const std::string plural =
            std::string(key) + "#" + categoryOf(table->second->plurals.get(), count);
        for (const std::string& candidate : {plural, std::string(key)}) {
            const auto found = table->second->texts.find(candidate);
            if (found != table->second->texts.end()) {
                return found->second.c_str();
            }
        }
    }
    return tr(key);  // missing everywhere: tr() shows and logs the key
}

std::string I18n::formatPlural(
    std::string_view key, long long count,
    std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return substitute(trPlural(key, count), args);
}

const char* I18n::textIn(std::string_view code, std::string_view key) const {
    const auto table = m_tables.find(code);
    if (table == m_tables.end()) {
        return nullptr;
    }
    const auto found = table->second->texts.find(std::string(key));
    return found == table->second->texts.end() ? nullptr : found->second.c_str();
}

std::vector<NeedWords> I18n::needWords(const std::vector<std::string>& needCodes) const {
    std::vector<NeedWords> result;
    for (const LanguageInfo& language : m_languages) {
        for (const std::string& need : needCodes) {
            NeedWords entry{need, language.code, {}};
            if (const char* name = textIn(language.code, "need." + need)) {
                entry.words.emplace_back(name);
            }
            if (const char* words = textIn(language.code, "need." + need + ".words")) {
                // Entries are separated by commas; Arabic-script and CJK writers may type their
                // own.
                std::string current;
                const std::string_view text(words);
                auto flush = [&] {
                    if (const std::string_view word = trim(current); !word.empty()) {
                        entry.words.emplace_back(word);
                    }
                    current.clear();
                };
                for (std::size_t i = 0; i < text.size(); ++i) {
                    if (text[i] == ',') {
                        flush();
                    } else if (text.substr(i, 2) == "\xD8\x8C") {  // U+060C ARABIC COMMA
                        flush();
                        ++i;
                    } else if (text.substr(i, 3) == "\xEF\xBC\x8C" ||
                               text.substr(i, 3) == "\xE3\x80\x81") {
                        flush();  // U+FF0C FULLWIDTH COMMA, U+3001 IDEOGRAPHIC COMMA
                        i += 2;
                    } else {
                        current += text[i];
                    }
                }
                flush();
            }
            if (!entry.words.empty()) {
                result.push_back(std::move(entry));
            }
        }
    }
    return result;
}

std::vector<LanguageInfo> I18n::available(const std::filesystem::path& directory) {
    std::vector<LanguageInfo> result;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        const std::filesystem::path& file = entry.path();
        if (file.extension() != ".json" || !entry.is_regular_file(error)) {
            continue;
        }
        const std::string code = file.stem().string();
        if (!isFileTag(code)) {
            logWarning("i18n", file.filename().string() + " is not named by a BCP 47 tag; ignored");
            continue;
        }
        std::string text;
        try {
            text = readFile(file);
        } catch (const FileError& failure) {
            throw I18nError(failure.what());
        }
        result.push_back(parseTable(code, text, file.string())->info);
    }
    std::sort(result.begin(), result.end(), [](const LanguageInfo& a, const LanguageInfo& b) {
        return std::make_pair(a.code != "en", a.code) < std::make_pair(b.code != "en", b.code);
    });
    return result;
}

bool I18n::has(std::string_view code, std::string_view key) const {
    auto table = m_tables.find(code);
    return table != m_tables.end() && table->second->texts.count(std::string(key)) != 0;
}

std::vector<std::string> I18n::keys(std::string_view code) const {
    std::vector<std::string> result;
    auto table = m_tables.find(code);
    if (table != m_tables.end()) {
        for (const auto& [key, text] : table->second->texts) {
            result.push_back(key);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

}  // namespace signpost
