// Signpost — config files in TOML 1.0, read with toml++ and edited in place.
//
// Parsing is toml++'s (libtomlplusplus, the Debian package): the whole of TOML 1.0 — multi-line
// strings and arrays, literal strings, inline tables, dotted keys, nested tables, arrays of
// tables, dates and times. This file adds only what our configs need on top of it:
//   - a flat view for the config engines: each key of each top-level [table] (or of the root) is
//     one TomlEntry with its line, in file order; its value is a TomlValue (a plain value type, so
//     no header outside toml.cpp includes toml++);
//   - errors as one ConfigError naming file, line and key ("kiosk.toml:12: kiosk.idle_timeout:
//     ..."), which toml++'s own errors do not (they have the position and the reason);
//   - set(): a staff save rewrites one value where toml++ says it sits (each value's source
//     position), so every comment, blank line and the rest of the file stay byte for byte.
//     toml++'s own writer reformats the whole document (and drops comments), which is why this
//     small setter exists. parse(text).toString() == text, byte for byte.
// formatTomlValue() (toml_format.cpp) is ours too: it writes the exact layout the example
// configs and the README's generated tables show (["en", "pl"], shortest round-trip floats),
// which toml++'s formatter does not ('en' literal strings, padded brackets, 17-digit floats).
//
// Thread-safety: value types; not safe for concurrent mutation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signpost {

// "kiosk.toml:12: idle_timeout: expected a whole number of seconds from 30 to 3600"
// what() is "file:line: key: problem"; the ":line" part is left out when line is 0 and the
// "key: " part when key is "".
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string file, int line, std::string key, const std::string& problem);
    const std::string& file() const noexcept { return m_file; }
    int line() const noexcept { return m_line; }               // 1-based; 0 when not about one line
    const std::string& key() const noexcept { return m_key; }  // "table.key" or ""

private:
    std::string m_file;
    int m_line;
    std::string m_key;
};

struct TomlValue;
struct TomlKeyValue;
using TomlArray = std::vector<TomlValue>;  // items may be of mixed types (TOML 1.0)

// A table as a value: an inline table { a = 1 }, a nested [a.b] table, a dotted key's table, or
// one [[array.of.tables]] element. Keys in file order.
struct TomlTableValue {
    std::vector<TomlKeyValue> items;
    int line = 0;  // 1-based line where the table starts in its file; 0 when not read from a file

    const TomlValue* find(std::string_view key) const;   // nullptr if absent
    bool operator==(const TomlTableValue& other) const;  // compares items only, not line
};

// A date, time or date-time, kept as written ("2026-11-23", "10:30:00"). No config key takes
// one; they parse so a key given one gets "expected ..., got 2026-11-23" like any wrong type.
struct TomlDateTime {
    std::string text;
    bool operator==(const TomlDateTime&) const = default;
};

struct TomlValue : std::variant<bool, std::int64_t, double, std::string, TomlArray, TomlTableValue,
                                TomlDateTime> {
    using variant::variant;
};

struct TomlKeyValue {
    std::string key;
    TomlValue value;
    bool operator==(const TomlKeyValue&) const = default;
};

struct TomlEntry {
    std::string table;  // the top-level table: "venue" for [venue]; "" for root keys
    std::string key;    // a key directly in that table ("sources" for [directory] sources = ...)
    TomlValue value;
    int line = 0;  // 1-based line of the key
};

struct TomlTable {
    std::string name;  // "venue" for [venue]
    int line = 0;      // 1-based line of its header (the first line that names it)
};

class TomlDocument {
public:
    // Parses with toml++. Throws ConfigError on any TOML error (syntax, a key or table defined
    // twice, text that is not UTF-8), naming the line and, where the line has one, the key.
    // `fileName` is only used in messages ("kiosk.toml:12: ...").
    static TomlDocument parse(std::string_view text, std::string fileName);

    const std::vector<TomlEntry>& entries() const noexcept { return m_entries; }  // file order
    const std::vector<TomlTable>& tables() const noexcept { return m_tables; }    // file order
    const TomlEntry* find(std::string_view table, std::string_view key) const;  // nullptr if absent
    const TomlTable* findTable(std::string_view name) const;                    // nullptr if absent
    const std::string& fileName() const noexcept { return m_fileName; }

    // Sets a value, keeping the rest of the file (comments, order, spacing) as it was: an existing
    // key has only its value's bytes rewritten (a multi-line value becomes one line); a new key
    // goes after the last key of its table (right under the header if it has none; root keys
    // above the first table and the comments that introduce it); a missing table is added at the
    // end. The result is parsed again and must hold the new value. Throws ConfigError (document
    // unchanged) if `table` or `key` is not a bare key, a string is not valid UTF-8, or the key
    // cannot be written there (it is a [table] of its own, or its table is an inline one).
    void set(std::string_view table, std::string_view key, const TomlValue& value);
    // The document as text, with every set() applied.
    std::string toString() const { return m_text; }

private:
    struct ValueSpan {  // where an entry's value sits in m_text, for in-place edits
        std::size_t begin = 0;
        std::size_t end = 0;    // byte offsets, value only (no comment)
        int lastLine = 0;       // last line holding any of the value (multi-line values)
        bool writable = false;  // false for [table]s and [[arrays of tables]] and dotted keys
    };
    std::string m_fileName;
    std::string m_text;
    std::vector<TomlEntry> m_entries;
    std::vector<ValueSpan> m_spans;  // parallel to m_entries
    std::vector<TomlTable> m_tables;
    std::vector<int> m_headerLines;  // every [header] and [[header]] line, any depth, ascending

    friend struct TomlDocumentBuilder;
};

// Writes a value in TOML syntax on one line: strings in "quotes" (control characters as \uXXXX,
// other UTF-8 kept), arrays as ["a", "b"], tables as { a = 1, b = "x" }, floats always with a
// '.' or an exponent (1.0, inf, nan), dates as written.
std::string formatTomlValue(const TomlValue& value);
// True for a bare key or table name: one or more of A-Z a-z 0-9 _ -.
bool isBareTomlKey(std::string_view name);

}  // namespace signpost
