// Signpost — the one engine behind every config file's key table: the kiosk's kiosk.toml
// (kiosk_config_keys.cpp) and the server's server.toml (sync/server/server_config_keys.cpp)
// both declare their keys with it.
//
// A key is declared once, as a ConfigKey: its [table] and name, what values it allows (the text
// the docs show), its help text, flags, and how to read a TOML value into the config struct
// (checking it) and write the struct's value back as TOML. From that one declaration:
//   - readConfigKeys() reads a parsed TomlDocument into the struct: every known key read and
//     checked in file order, the first bad value a ConfigError "file:line: table.key: problem";
//     unknown keys and tables become ConfigWarnings ("did you mean venue.name?"); a Required key
//     that is absent is a ConfigError naming its table's line;
//   - exampleConfigText() writes the documented example file (every key with its help, allowed
//     values and default; config/kiosk.toml and config/server.toml are its output, tests keep
//     them equal) and keyReferenceMarkdown() the README's key reference, so the documentation
//     cannot drift from the code.
// The typed builders below (wholeNumberKey, flagKey, choiceKey, checkedTextKey, textListKey)
// cover the common shapes; a key with rules of its own (durations, lists of tables) fills
// ConfigKey's read/write itself.
//
// Adding a key to either config: one row in its table (and the struct field it fills, whose
// initialiser is the default). The in-place edits that staff saves need are TomlDocument::set's
// (toml.h), not this file's.
//
// Thread-safety: tables are built once (function-local statics) and then only read; every
// function here is safe to call from any thread on a table that is not being changed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/toml.h"

namespace signpost {

// An unknown key or table, or a note about a value that was accepted with a change ("en" added).
struct ConfigWarning {
    int line = 0;
    std::string key;      // "table.key", or "table" for an unknown [table]
    std::string message;  // "unknown key; it is ignored"
};

// The TOML type a key takes: remote settings read a value typed on a command line by it.
enum class KeyShape { Text, WholeNumber, Flag, TextList, Other };

namespace config_key {
inline constexpr unsigned Required = 1u << 0;  // absent is an error (it has no default)
inline constexpr unsigned Secret = 1u << 1;    // errors never show the value given (a PIN hash)
inline constexpr unsigned Terse = 1u << 2;     // errors say what was expected, not what was given
inline constexpr unsigned FirstOwnFlag = 1u << 8;  // each config's own flags start here
}  // namespace config_key

template <class Config>
struct ConfigKey {
    // Checks `value` and, if it passes, stores it in `config`; returns the problem for the error
    // message ("expected ...") or nullopt. `notes` (may be null) collects warnings about a value
    // accepted with a change. Must not throw.
    using Reader = std::function<std::optional<std::string>(Config&, const TomlValue& value,
                                                            std::vector<std::string>* notes)>;
    // The key's value in `config` as TOML (what the example file shows as the default).
    using Writer = std::function<TomlValue(const Config&)>;

    std::string_view table;
    std::string_view key;
    std::string allowed;    // "a whole number from 1 to 1024": docs' "Allowed:", errors' "expected"
    std::string_view help;  // what it does; a '\n' keeps a line break in the example file
    unsigned flags = 0;     // config_key::* and the config's own
    KeyShape shape = KeyShape::Other;
    Reader read;
    Writer write;

    std::string name() const { return std::string(table) + '.' + std::string(key); }
};

struct ConfigTableDoc {
    std::string_view name;  // "venue" for [venue]
    std::string_view help;  // the comment above it in the example file; "" for none
};

// How a key under an unknown [table] is reported.
enum class UnknownTableWarning {
    OncePerTable,  // one warning at the table's header: "unknown table [x]; it and its keys are
                   // ignored"
    OncePerKey,    // one per key in it, at its line: "unknown table [x]; the key is ignored"
};

template <class Config>
struct KeyTable {
    UnknownTableWarning unknownTables = UnknownTableWarning::OncePerTable;
    std::vector<ConfigTableDoc> tables;   // in example-file order
    std::vector<ConfigKey<Config>> keys;  // in example-file order, each table's keys together

    const ConfigKey<Config>* find(std::string_view table, std::string_view key) const {
        for (const auto& spec : keys) {
            if (spec.table == table && spec.key == key) {
                return &spec;
            }
        }
        return nullptr;
    }
    const ConfigKey<Config>* find(std::string_view name) const {  // "table.key"
        const std::size_t dot = name.find('.');
        return dot == std::string_view::npos ? nullptr
                                             : find(name.substr(0, dot), name.substr(dot + 1));
    }
    bool hasTable(std::string_view name) const {
        return std::any_of(tables.begin(), tables.end(),
                           [&](const ConfigTableDoc& table) { return table.name == name; });
    }
};

// --- Shared pieces (config_keys.cpp) ----------------------------------------------------------

// A value as an error shows it: TOML syntax, cut to 60 characters ("..." after 57).
std::string shownValue(const TomlValue& value);
// "expected <allowed>, got <value>"; just "expected <allowed>" for a Secret or Terse key.
std::string expectedValue(std::string_view allowed, const TomlValue& got, unsigned flags);
// Appends `text` as '#' comment lines: each '\n'-separated line as it is if it fits in `width`
// characters, otherwise wrapped at spaces.
void appendComment(std::string& out, std::string_view text, std::size_t width = 99);
// `text` with '|' escaped, for a Markdown table cell.
std::string markdownCell(std::string_view text);
TomlValue textListValue(const std::vector<std::string>& items);

// --- Reading -----------------------------------------------------------------------------------

// Reads every entry of `document` that `table` knows into `config`, in file order, and appends
// unknown keys and tables to `warnings` (then sorted by line). `keyLines` (may be null) gets
// "table.key" → line for each key read. Throws ConfigError (file:line: table.key: problem) on the
// first bad value, or on a Required key that is absent.
template <class Config>
void readConfigKeys(const KeyTable<Config>& table, const TomlDocument& document, Config& config,
                    std::vector<ConfigWarning>& warnings,
                    std::vector<std::pair<std::string, int>>* keyLines = nullptr) {
    const std::string& fileName = document.fileName();
    if (table.unknownTables == UnknownTableWarning::OncePerTable) {
        for (const TomlTable& header : document.tables()) {
            if (!table.hasTable(header.name)) {
                warnings.push_back(
                    {header.line, header.name,
                     "unknown table [" + header.name + "]; it and its keys are ignored"});
            }
        }
    }
    for (const TomlEntry& entry : document.entries()) {
        const std::string name = entry.table.empty() ? entry.key : entry.table + '.' + entry.key;
        const ConfigKey<Config>* spec = table.find(entry.table, entry.key);
        if (spec == nullptr) {
            if (!entry.table.empty() && !table.hasTable(entry.table)) {
                if (table.unknownTables == UnknownTableWarning::OncePerKey) {
                    warnings.push_back({entry.line, name,
                                        "unknown table [" + entry.table + "]; the key is ignored"});
                }
                continue;  // OncePerTable: the table's own warning covers it
            }
            std::string message = "unknown key; it is ignored";
            const auto similar =
                std::find_if(table.keys.begin(), table.keys.end(),
                             [&](const auto& other) { return other.key == entry.key; });
            if (similar != table.keys.end()) {
                message += " (did you mean " + similar->name() + "?)";
            }
            warnings.push_back({entry.line, name, std::move(message)});
            continue;
        }
        std::vector<std::string> notes;
        if (auto problem = spec->read(config, entry.value, &notes)) {
            throw ConfigError(fileName, entry.line, name, *problem);
        }
        for (std::string& note : notes) {
            warnings.push_back({entry.line, name, std::move(note)});
        }
        if (keyLines != nullptr) {
            keyLines->emplace_back(name, entry.line);
        }
    }
    for (const auto& spec : table.keys) {
        if ((spec.flags & config_key::Required) != 0 &&
            document.find(spec.table, spec.key) == nullptr) {
            const TomlTable* header = document.findTable(spec.table);
            throw ConfigError(
                fileName, header ? header->line : 0, spec.name(),
                "missing; expected " + spec.allowed + " under [" + std::string(spec.table) + "]");
        }
    }
    std::stable_sort(
        warnings.begin(), warnings.end(),
        [](const ConfigWarning& a, const ConfigWarning& b) { return a.line < b.line; });
}

// --- Documentation -----------------------------------------------------------------------------

struct ExampleStyle {
    std::vector<std::string_view> preamble;  // paragraphs of the top comment, "#" lines between
    std::string_view requiredNote;           // shown instead of "Default:" for a Required key
    // Sentences added after "Allowed: ...." for keys with the flag (" Also set from the staff
    // panel.").
    std::vector<std::pair<unsigned, std::string_view>> flagNotes;
};

// The documented example file: the preamble, then per table its help and header, then per key
// its help, "Allowed:", "Default:" and the key set to its default (Config{}'s value).
template <class Config>
std::string exampleConfigText(const KeyTable<Config>& table, const ExampleStyle& style) {
    const Config defaults{};
    std::string out;
    for (std::size_t i = 0; i < style.preamble.size(); ++i) {
        out += i == 0 ? "" : "#\n";
        appendComment(out, style.preamble[i]);
    }
    for (const ConfigTableDoc& doc : table.tables) {
        out += '\n';
        if (!doc.help.empty()) {
            appendComment(out, doc.help);
        }
        out += '[' + std::string(doc.name) + "]\n";
        bool first = true;
        for (const auto& spec : table.keys) {
            if (spec.table != doc.name) {
                continue;
            }
            out += first ? "" : "\n";
            first = false;
            const std::string value = formatTomlValue(spec.write(defaults));
            appendComment(out, spec.help);
            std::string allowed = "Allowed: " + spec.allowed + '.';
            for (const auto& [flag, note] : style.flagNotes) {
                allowed += (spec.flags & flag) != 0 ? note : "";
            }
            appendComment(out, allowed);
            if ((spec.flags & config_key::Required) != 0) {
                appendComment(out, style.requiredNote);
            } else if (value.size() + 11 <= 99) {
                appendComment(out, "Default: " + value);
            } else {
                // A list too long for one comment line (every language offered) is shown once,
                // on the key's own line below.
                appendComment(out, "Default: the value below.");
            }
            out += std::string(spec.key) + " = " + value + '\n';
        }
    }
    return out;
}

struct ReferenceColumn {
    std::string_view heading;  // "Staff panel"
    unsigned flag;             // the cell says "yes" for keys with this flag
};

// The README's key reference: per table a heading, its help and a Markdown table of key,
// default, allowed values, the `columns`, and what it does.
template <class Config>
std::string keyReferenceMarkdown(const KeyTable<Config>& table,
                                 const std::vector<ReferenceColumn>& columns) {
    const Config defaults{};
    std::string out;
    for (const ConfigTableDoc& doc : table.tables) {
        out += out.empty() ? "" : "\n";
        out += "### `[" + std::string(doc.name) + "]`\n\n" + std::string(doc.help) + "\n\n";
        out += "| Key | Default | Allowed values |";
        std::string rule = "|---|---|---|";
        for (const ReferenceColumn& column : columns) {
            out += ' ' + std::string(column.heading) + " |";
            rule += "---|";
        }
        out += " What it does |\n" + rule + "---|\n";
        for (const auto& spec : table.keys) {
            if (spec.table != doc.name) {
                continue;
            }
            const std::string fallback = (spec.flags & config_key::Required) != 0
                                             ? std::string("required")
                                             : '`' + formatTomlValue(spec.write(defaults)) + '`';
            out += "| `" + std::string(spec.key) + "` | " + markdownCell(fallback) + " | " +
                   markdownCell(spec.allowed) + " |";
            for (const ReferenceColumn& column : columns) {
                out += (spec.flags & column.flag) != 0 ? " yes |" : "  |";
            }
            out += ' ' + markdownCell(spec.help) + " |\n";
        }
    }
    return out;
}

// --- Typed builders ----------------------------------------------------------------------------

// An integer member (int, std::size_t, ...) from min to max; `unit` ("seconds") is named in the
// allowed text when given: "a whole number of seconds from 30 to 3600".
template <class Config, class Int>
ConfigKey<Config> wholeNumberKey(std::string_view table, std::string_view key, Int Config::*member,
                                 std::int64_t min, std::int64_t max, std::string_view unit,
                                 std::string_view help, unsigned flags = 0) {
    std::string allowed = "a whole number " +
                          (unit.empty() ? std::string() : "of " + std::string(unit) + ' ') +
                          "from " + std::to_string(min) + " to " + std::to_string(max);
    auto read = [member, min, max, allowed, flags](
                    Config& config, const TomlValue& value,
                    std::vector<std::string>*) -> std::optional<std::string> {
        const auto* number = std::get_if<std::int64_t>(&value);
        if (number == nullptr || *number < min || *number > max) {
            return expectedValue(allowed, value, flags);
        }
        config.*member = static_cast<Int>(*number);
        return std::nullopt;
    };
    auto write = [member](const Config& config) {
        return TomlValue(static_cast<std::int64_t>(config.*member));
    };
    return {table, key, std::move(allowed), help, flags, KeyShape::WholeNumber, read, write};
}

template <class Config>
ConfigKey<Config> flagKey(std::string_view table, std::string_view key, bool Config::*member,
                          std::string_view help, unsigned flags = 0) {
    auto read = [member, flags](Config& config, const TomlValue& value,
                                std::vector<std::string>*) -> std::optional<std::string> {
        const auto* flag = std::get_if<bool>(&value);
        if (flag == nullptr) {
            return expectedValue("true or false", value, flags);
        }
        config.*member = *flag;
        return std::nullopt;
    };
    auto write = [member](const Config& config) { return TomlValue(config.*member); };
    return {table, key, "true or false", help, flags, KeyShape::Flag, read, write};
}

// One of a few names, stored as an enum value.
template <class Config, class Enum>
ConfigKey<Config> choiceKey(std::string_view table, std::string_view key, Enum Config::*member,
                            std::vector<std::pair<std::string_view, Enum>> choices,
                            std::string allowed, std::string_view help, unsigned flags = 0) {
    auto read = [member, choices, allowed, flags](
                    Config& config, const TomlValue& value,
                    std::vector<std::string>*) -> std::optional<std::string> {
        const auto* name = std::get_if<std::string>(&value);
        for (const auto& [choice, setting] : choices) {
            if (name != nullptr && *name == choice) {
                config.*member = setting;
                return std::nullopt;
            }
        }
        return expectedValue(allowed, value, flags);
    };
    auto write = [member, choices](const Config& config) {
        for (const auto& [choice, setting] : choices) {
            if (config.*member == setting) {
                return TomlValue(std::string(choice));
            }
        }
        return TomlValue(std::string());
    };
    return {table, key, std::move(allowed), help, flags, KeyShape::Text, read, write};
}

// What a text value must look like.
struct TextRule {
    std::string allowed;                              // "text in quotes, 1 to 80 characters"
    std::function<bool(const std::string&)> accepts;  // the check
    std::function<std::string(const std::string&)> normalise =
        nullptr;  // stored form; null = as given
};

template <class Config>
ConfigKey<Config> checkedTextKey(std::string_view table, std::string_view key,
                                 std::string Config::*member, TextRule rule, std::string_view help,
                                 unsigned flags = 0) {
    auto read = [member, rule, flags](Config& config, const TomlValue& value,
                                      std::vector<std::string>*) -> std::optional<std::string> {
        const auto* text = std::get_if<std::string>(&value);
        if (text == nullptr || !rule.accepts(*text)) {
            return expectedValue(rule.allowed, value, flags);
        }
        config.*member = rule.normalise ? rule.normalise(*text) : *text;
        return std::nullopt;
    };
    auto write = [member](const Config& config) { return TomlValue(config.*member); };
    return {table, key, rule.allowed, help, flags, KeyShape::Text, read, write};
}

// A list of texts. `readItems` checks the items and fills `items` (returning the problem or
// nullopt; it may add notes); a value that is not a list gets `notAList` ("" = "expected
// <allowed>[, got ...]").
template <class Config>
ConfigKey<Config> textListKey(
    std::string_view table, std::string_view key, std::vector<std::string> Config::*member,
    std::string allowed, std::string notAList,
    std::function<std::optional<std::string>(const TomlArray& list, std::vector<std::string>& items,
                                             std::vector<std::string>* notes)>
        readItems,
    std::string_view help, unsigned flags = 0) {
    auto read = [member, allowed, notAList, readItems, flags](
                    Config& config, const TomlValue& value,
                    std::vector<std::string>* notes) -> std::optional<std::string> {
        const auto* list = std::get_if<TomlArray>(&value);
        if (list == nullptr) {
            return notAList.empty() ? expectedValue(allowed, value, flags) : notAList;
        }
        std::vector<std::string> items;
        if (auto problem = readItems(*list, items, notes)) {
            return problem;
        }
        config.*member = std::move(items);
        return std::nullopt;
    };
    auto write = [member](const Config& config) { return textListValue(config.*member); };
    return {table, key, std::move(allowed), help, flags, KeyShape::TextList, read, write};
}

}  // namespace signpost
