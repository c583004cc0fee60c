// Signpost — the TOML subset our config files use, parsed with line numbers and edited in place.
//
// Supported: comments, [table] headers (one level), bare keys (A-Z a-z 0-9 _ -), values that are
// basic strings ("..." with \" \\ \b \t \n \f \r \uXXXX \UXXXXXXXX escapes), literal strings
// ('...'), integers (decimal, 0x, 0o, 0b, with _ separators), floats (incl. inf, nan), booleans
// and one-line arrays of strings or integers. The text must be UTF-8; CRLF line ends are kept.
// Anything else — multi-line strings, dotted keys, nested tables [a.b], arrays of tables [[a]],
// inline tables {..}, dates — is a ConfigError naming file, line and key with a plain reason.
//
// Editing keeps every comment and blank line: set() rewrites only the value on the key's line
// (the comment after it stays), or inserts the key after the last key of its table (creating the
// table at the end of the file if missing), so a staff save never loses the documentation.
// parse(text).toString() == text, byte for byte.
// Thread-safety: a value type; not safe for concurrent mutation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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
    int line() const noexcept { return m_line; }      // 1-based; 0 when not about one line
    const std::string& key() const noexcept { return m_key; }  // "table.key" or ""

private:
    std::string m_file;
    int m_line;
    std::string m_key;
};

using TomlArray = std::vector<std::variant<std::int64_t, std::string>>;
using TomlValue = std::variant<bool, std::int64_t, double, std::string, TomlArray>;

struct TomlEntry {
    std::string table;  // "" for keys before the first [table]
    std::string key;
    TomlValue value;
    int line = 0;       // 1-based
};

struct TomlTable {
    std::string name;   // "venue" for [venue]
    int line = 0;       // 1-based line of the header
};

class TomlDocument {
public:
    // Throws ConfigError on a syntax error, a key or table defined twice, or text that is not
    // UTF-8. `fileName` is only used in error messages ("kiosk.toml:12: ...").
    static TomlDocument parse(std::string_view text, std::string fileName);

    const std::vector<TomlEntry>& entries() const noexcept { return m_entries; }  // file order
    const std::vector<TomlTable>& tables() const noexcept { return m_tables; }    // file order
    const TomlEntry* find(std::string_view table, std::string_view key) const;  // nullptr if absent
    const TomlTable* findTable(std::string_view name) const;                    // nullptr if absent
    const std::string& fileName() const noexcept { return m_fileName; }

    // Sets a value, keeping the rest of the file (comments, order, spacing) as it was: an existing
    // key has only its value rewritten; a new key goes after the last key of its table (after the
    // header if it has none; root keys before the first table); a missing table is added at the
    // end. Throws ConfigError (document unchanged) if `table` or `key` is not a bare key or a
    // string is not valid UTF-8.
    void set(std::string_view table, std::string_view key, const TomlValue& value);
    // The document as text, with every set() applied.
    std::string toString() const;

private:
    struct ValueSpan {           // where an entry's value sits, for in-place edits
        std::size_t lineIndex = 0;
        std::size_t begin = 0;   // byte offsets in the line, value only (no comment)
        std::size_t end = 0;
    };
    std::string m_fileName;
    std::vector<std::string> m_lines;   // without '\n' (a '\r' of CRLF stays on the line)
    bool m_finalNewline = false;        // the text ended with '\n'
    std::vector<TomlEntry> m_entries;
    std::vector<ValueSpan> m_spans;     // parallel to m_entries
    std::vector<TomlTable> m_tables;
};

// Writes a value in TOML syntax: strings quoted and escaped (control characters as \uXXXX, other
// UTF-8 kept), arrays as ["a", "b"], floats always with a '.' or exponent (1.0, inf, nan).
std::string formatTomlValue(const TomlValue& value);
// True for a bare key or table name: one or more of A-Z a-z 0-9 _ -.
bool isBareTomlKey(std::string_view name);

}  // namespace signpost
