// Signpost — the TOML subset our config files use, parsed with line numbers and edited in place.
//
// Supported: comments, [table] headers (one level), bare keys, values that are basic strings
// ("..." with \" \\ \n \t \uXXXX escapes), literal strings ('...'), integers, floats, booleans and
// one-line arrays of strings or integers. Anything else is a ConfigError naming file and line.
//
// Editing keeps every comment and blank line: set() rewrites only the value on the key's line (or
// appends the key at the end of its table), so a staff save never loses the documentation.
// Thread-safety: a value type; not safe for concurrent mutation.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signpost {

// "kiosk.toml:12: idle_timeout: expected a whole number of seconds from 30 to 3600"
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

class TomlDocument {
public:
    // Throws ConfigError on a syntax error or a key defined twice.
    static TomlDocument parse(std::string_view text, std::string fileName);

    const std::vector<TomlEntry>& entries() const noexcept { return m_entries; }
    const TomlEntry* find(std::string_view table, std::string_view key) const;
    const std::string& fileName() const noexcept { return m_fileName; }

    // Sets a value, keeping the rest of the file (comments, order, spacing) as it was.
    void set(std::string_view table, std::string_view key, const TomlValue& value);
    // The document as text, with every set() applied.
    std::string toString() const;

private:
    std::string m_fileName;
    std::vector<std::string> m_lines;
    std::vector<TomlEntry> m_entries;
};

// Writes a value in TOML syntax: strings quoted and escaped, arrays as ["a", "b"].
std::string formatTomlValue(const TomlValue& value);

}  // namespace signpost
