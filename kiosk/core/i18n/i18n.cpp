#include "core/i18n/i18n.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/common/atomic_file.h"
#include "core/common/log.h"

namespace signpost {

struct I18n::Table {
    LanguageInfo info;
    // Values never move once inserted into an unordered_map node, so tr() can hand out c_str().
    std::unordered_map<std::string, std::string> texts;
};

namespace {

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
                   !keysPerObject.back().insert(parsed.get<std::string>()).second && repeated.empty()) {
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
            table->info.nativeName = value.value("native_name", expectedCode);
            table->info.englishName = value.value("english_name", expectedCode);
            table->info.rightToLeft = value.value("direction", std::string("ltr")) == "rtl";
            std::string code = value.value("code", expectedCode);
            if (code != expectedCode) {
                throw I18nError(fileName + ": \"_meta\".code is \"" + code + "\", expected \"" +
                                expectedCode + "\"");
            }
            continue;
        }
        if (!value.is_string()) {
            throw I18nError(fileName + ": key \"" + key + "\" must map to a string");
        }
        table->texts.emplace(key, value.get<std::string>());
    }
    return table;
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

const LanguageInfo& I18n::languageInfo() const { return m_tables.find(m_current)->second->info; }

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
    std::string text = tr(key);
    for (const auto& [name, value] : args) {
        std::string placeholder = "{" + std::string(name) + "}";
        std::size_t at = 0;
        while ((at = text.find(placeholder, at)) != std::string::npos) {
            text.replace(at, placeholder.size(), value);
            at += value.size();
        }
    }
    return text;
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
