#include "core/directory/needs_mapping.h"

#include <algorithm>

#include "core/common/atomic_file.h"
#include "core/common/text_util.h"
#include "core/config/toml.h"
#include "core/directory/stable_id.h"

namespace signpost {

namespace {

bool isNeedCode(std::string_view code) {
    return !code.empty() && code.size() <= 60 && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

}  // namespace

NeedsMapping NeedsMapping::parse(std::string_view text, const std::string& fileName) {
    const TomlDocument document = TomlDocument::parse(text, fileName);
    NeedsMapping mapping;
    for (const TomlEntry& entry : document.entries()) {
        if (entry.table.empty()) {
            throw ConfigError(fileName, entry.line, entry.key,
                              "every key belongs to a [need-code] table");
        }
    }
    for (const TomlTable& table : document.tables()) {
        if (!isNeedCode(table.name)) {
            throw ConfigError(
                fileName, table.line, table.name,
                "a need code is lower-case letters, digits and dashes, like feeling-lonely");
        }
        NeedDefinition need;
        need.code = table.name;
        auto textOf = [&](const char* key, bool required) -> std::string {
            const TomlEntry* entry = document.find(table.name, key);
            if (entry == nullptr) {
                if (required) {
                    throw ConfigError(fileName, table.line, table.name + "." + key,
                                      "required key is missing");
                }
                return {};
            }
            const auto* value = std::get_if<std::string>(&entry->value);
            if (value == nullptr || (required && value->empty())) {
                throw ConfigError(fileName, entry->line, table.name + "." + key,
                                  "expected text in quotes");
            }
            return *value;
        };
        auto list = [&](const char* key) {
            std::vector<std::string> out;
            const TomlEntry* entry = document.find(table.name, key);
            if (entry == nullptr) {
                return out;
            }
            const auto* array = std::get_if<TomlArray>(&entry->value);
            if (array == nullptr) {
                throw ConfigError(fileName, entry->line, table.name + "." + key,
                                  "expected a list of text, like [\"a\", \"b\"]");
            }
            for (const auto& item : *array) {
                const auto* value = std::get_if<std::string>(&item);
                if (value == nullptr || value->empty()) {
                    throw ConfigError(fileName, entry->line, table.name + "." + key,
                                      "expected a list of text, like [\"a\", \"b\"]");
                }
                out.push_back(*value);
            }
            return out;
        };
        need.name = textOf("name", true);
        need.description = textOf("description", false);
        need.termUri = textOf("term_uri", false);
        need.keywords = list("keywords");
        need.terms = list("terms");
        if (const TomlEntry* other = document.find(table.name, "other")) {
            const bool* flag = std::get_if<bool>(&other->value);
            if (flag == nullptr) {
                throw ConfigError(fileName, other->line, table.name + ".other",
                                  "expected true or false");
            }
            if (*flag && mapping.otherNeed() != nullptr) {
                throw ConfigError(fileName, other->line, table.name + ".other",
                                  "only one need can be the catch-all; " +
                                      mapping.otherNeed()->code + " already is");
            }
            need.other = *flag;
        }
        for (const TomlEntry& entry : document.entries()) {
            static constexpr std::string_view kKeys[] = {"name",     "description", "term_uri",
                                                         "keywords", "terms",       "other"};
            if (entry.table == table.name &&
                std::find(std::begin(kKeys), std::end(kKeys), entry.key) == std::end(kKeys)) {
                // A typo ("term" for "terms") would quietly map nothing: refuse it.
                throw ConfigError(
                    fileName, entry.line, table.name + "." + entry.key,
                    "unknown key; expected name, description, term_uri, keywords, terms or other");
            }
        }
        const std::size_t index = mapping.m_needs.size();
        for (const std::string& term : need.terms) {
            auto& needs = mapping.m_byKey[asciiLower(term)];
            if (std::find(needs.begin(), needs.end(), index) == needs.end()) {
                needs.push_back(index);
            }
        }
        mapping.m_needs.push_back(std::move(need));
    }
    return mapping;
}

NeedsMapping NeedsMapping::load(const std::filesystem::path& file) {
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& error) {
        throw ConfigError(file.string(), 0, "",
                          std::string("cannot read the needs mapping: ") + error.what());
    }
    return parse(text, file.filename().string());
}

const NeedDefinition* NeedsMapping::otherNeed() const noexcept {
    for (const NeedDefinition& need : m_needs) {
        if (need.other) {
            return &need;
        }
    }
    return nullptr;
}

std::vector<std::string> NeedsMapping::needsFor(const TaxonomyTerm& term) const {
    std::vector<std::size_t> hits;
    auto look = [&](const std::string& key) {
        if (key.empty()) {
            return;
        }
        if (auto it = m_byKey.find(asciiLower(key)); it != m_byKey.end()) {
            hits.insert(hits.end(), it->second.begin(), it->second.end());
        }
    };
    look(term.id);
    look(term.termUri);
    look(term.code);
    look(term.name);
    if (!term.taxonomy.empty() && !term.code.empty()) {
        look(term.taxonomy + ":" + term.code);
    }
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    std::vector<std::string> codes;
    for (std::size_t index : hits) {
        codes.push_back(m_needs[index].code);
    }
    return codes;
}

std::vector<TaxonomyTerm> NeedsMapping::needTerms() const {
    std::vector<TaxonomyTerm> terms;
    for (const NeedDefinition& need : m_needs) {
        TaxonomyTerm term;
        term.id = stableUuid("need", {need.code});  // ORUK ids are UUIDs
        term.code = need.code;
        term.name = need.name;
        term.description = need.description;
        term.taxonomy = std::string(kNeedsVocabulary);
        term.termUri = need.termUri;
        term.keywords = need.keywords;
        terms.push_back(std::move(term));
    }
    return terms;
}

}  // namespace signpost
