#include "core/config/toml.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <optional>
#include <system_error>
#include <utility>

#include "core/common/text_util.h"
#include "core/common/utf8.h"

namespace signpost {

namespace {

std::string composeMessage(const std::string& file, int line, const std::string& key,
                           const std::string& problem) {
    std::string message = file;
    if (line > 0) {
        message += ':' + std::to_string(line);
    }
    message += ": ";
    if (!key.empty()) {
        message += key + ": ";
    }
    return message + problem;
}

bool isBareChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

std::string qualified(std::string_view table, std::string_view key) {
    return table.empty() ? std::string(key) : std::string(table) + '.' + std::string(key);
}

// Byte offsets of the start of each line ("\n"-separated; a CRLF's '\r' stays on its line).
std::vector<std::size_t> lineStarts(std::string_view text) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            starts.push_back(i + 1);
        }
    }
    return starts;
}

std::string_view lineText(std::string_view text, const std::vector<std::size_t>& starts, int line) {
    if (line < 1 || static_cast<std::size_t>(line) > starts.size()) {
        return {};
    }
    const std::size_t begin = starts[static_cast<std::size_t>(line - 1)];
    std::size_t end = text.find('\n', begin);
    end = end == std::string_view::npos ? text.size() : end;
    if (end > begin && text[end - 1] == '\r') {
        --end;
    }
    return text.substr(begin, end - begin);
}

// toml++ counts columns in code points from 1, after a byte-order mark on the first line.
std::size_t byteOffset(std::string_view text, const std::vector<std::size_t>& starts,
                       const toml::source_position& position) {
    if (position.line < 1 || position.line > starts.size()) {
        return text.size();
    }
    std::size_t at = starts[position.line - 1];
    if (position.line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") {
        at = 3;
    }
    for (toml::source_index column = 1; column < position.column && at < text.size(); ++column) {
        ++at;
        while (at < text.size() && utf8::isContinuation(text[at])) {
            ++at;
        }
    }
    return std::min(at, text.size());
}

// The bare key a line assigns ("name" for `  name = "x"`), or "" when it is not one.
std::string assignedKey(std::string_view line) {
    line = trim(line);
    std::size_t end = 0;
    while (end < line.size() && isBareChar(line[end])) {
        ++end;
    }
    if (end == 0 || trim(line.substr(end)).substr(0, 1) != "=") {
        return {};
    }
    return std::string(line.substr(0, end));
}

// The dotted name of a [table] or [[table]] header line ("a.b"), or nullopt for other lines.
std::optional<std::string> headerName(std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() != '[') {
        return std::nullopt;
    }
    const std::size_t close = line.find(']');
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    std::string name;
    for (char c : line.substr(0, close)) {
        if (c != '[' && c != ' ' && c != '\t') {
            name += c;
        }
    }
    return name;
}

// A plain-words hint for the mistakes people make by hand; "" when none applies.
std::string hintFor(std::string_view line) {
    const std::size_t equals = line.find('=');
    if (assignedKey(line).empty() || equals == std::string_view::npos) {
        return {};
    }
    std::string_view value = trim(line.substr(equals + 1));
    const std::size_t comment = value.find('#');
    value = trim(value.substr(0, comment));
    // One unquoted word: `name = Hulme`, `high_contrast = True`.
    if (value.empty() ||
        !((value.front() >= 'A' && value.front() <= 'Z') ||
          (value.front() >= 'a' && value.front() <= 'z')) ||
        !std::all_of(value.begin(), value.end(), isBareChar)) {
        return {};
    }
    std::string lower(value);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "true" || lower == "false") {
        return "; write true or false in lower case";
    }
    return "; got " + std::string(value) + " (text needs quotes)";
}

// toml++ says "Error while parsing <what>: <reason>"; we say "<reason> (in <what>, column N)".
ConfigError syntaxError(const toml::parse_error& error, std::string_view text,
                        const std::string& fileName) {
    const auto starts = lineStarts(text);
    const int line = static_cast<int>(error.source().begin.line);
    const std::string_view lineView = lineText(text, starts, line);

    // The key, when the bad line assigns one, qualified by the [table] above it.
    std::string key = assignedKey(lineView);
    if (!key.empty()) {
        for (int above = line - 1; above >= 1; --above) {
            if (auto name = headerName(lineText(text, starts, above))) {
                key = *name + '.' + key;
                break;
            }
        }
    }

    std::string description(error.description());
    std::string context;
    constexpr std::string_view kPrefix = "Error while parsing ";
    if (description.rfind(kPrefix, 0) == 0) {
        const std::size_t colon = description.find(": ", kPrefix.size());
        if (colon != std::string::npos) {
            context = description.substr(kPrefix.size(), colon - kPrefix.size());
            description = description.substr(colon + 2);
        }
    }
    std::string where = context.empty() ? "" : "in " + context;
    if (error.source().begin.column > 0) {
        where += (where.empty() ? "" : ", ") + std::string("column ") +
                 std::to_string(error.source().begin.column);
    }
    std::string problem = description;
    if (!where.empty()) {
        problem += " (" + where + ")";
    }
    if (description.find("utf-8") != std::string::npos) {
        problem += "; save the file as UTF-8";
    }
    return ConfigError(fileName, line, key, problem + hintFor(lineView));
}

int lastLineOf(const toml::node& node) {
    int last = static_cast<int>(node.source().end.line);
    if (const toml::table* table = node.as_table()) {
        for (const auto& [key, child] : *table) {
            last = std::max(last, lastLineOf(child));
        }
    } else if (const toml::array* array = node.as_array()) {
        for (const toml::node& child : *array) {
            last = std::max(last, lastLineOf(child));
        }
    }
    return last;
}

// True for a table that a [header] or [[header]] made (not inline, not a dotted key's).
bool isHeaderTable(const toml::node& node, std::string_view text,
                   const std::vector<std::size_t>& starts) {
    const toml::table* table = node.as_table();
    if (table == nullptr || table->is_inline() || !node.source().begin) {
        return false;
    }
    const std::size_t at = byteOffset(text, starts, node.source().begin);
    return at < text.size() && text[at] == '[';
}

void collectHeaderLines(const toml::node& node, std::string_view text,
                        const std::vector<std::size_t>& starts, std::vector<int>& lines) {
    if (isHeaderTable(node, text, starts)) {
        lines.push_back(static_cast<int>(node.source().begin.line));
    }
    if (const toml::table* table = node.as_table()) {
        for (const auto& [key, child] : *table) {
            collectHeaderLines(child, text, starts, lines);
        }
    } else if (const toml::array* array = node.as_array()) {
        for (const toml::node& child : *array) {
            collectHeaderLines(child, text, starts, lines);
        }
    }
}

TomlValue toValue(const toml::node& node, std::string_view text,
                  const std::vector<std::size_t>& starts) {
    switch (node.type()) {
        case toml::node_type::boolean:
            return node.as_boolean()->get();
        case toml::node_type::integer:
            return node.as_integer()->get();
        case toml::node_type::floating_point:
            return node.as_floating_point()->get();
        case toml::node_type::string:
            return node.as_string()->get();
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: {
            const std::size_t begin = byteOffset(text, starts, node.source().begin);
            const std::size_t end = byteOffset(text, starts, node.source().end);
            return TomlDateTime{std::string(text.substr(begin, end - begin))};
        }
        case toml::node_type::array: {
            TomlArray items;
            for (const toml::node& item : *node.as_array()) {
                items.push_back(toValue(item, text, starts));
            }
            return items;
        }
        case toml::node_type::table: {
            // toml++ keeps keys sorted; a person reads them in file order.
            std::vector<std::pair<const toml::key*, const toml::node*>> children;
            for (const auto& [key, child] : *node.as_table()) {
                children.emplace_back(&key, &child);
            }
            std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
                return a.first->source().begin < b.first->source().begin;
            });
            TomlTableValue table;
            table.line = static_cast<int>(node.source().begin.line);
            for (const auto& [key, child] : children) {
                table.items.push_back(
                    TomlKeyValue{std::string(key->str()), toValue(*child, text, starts)});
            }
            return table;
        }
        case toml::node_type::none:
            break;
    }
    return TomlTableValue{};
}

bool isBlank(std::string_view line) {
    return std::all_of(line.begin(), line.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

bool isComment(std::string_view line) {
    line = trim(line);
    return !line.empty() && line.front() == '#';
}

}  // namespace

// Reads toml++'s tree into the flat view, with each value's byte span for set().
struct TomlDocumentBuilder {
    static void build(TomlDocument& document, const toml::table& root) {
        const std::string_view text = document.m_text;
        const auto starts = lineStarts(text);
        struct Found {
            TomlEntry entry;
            TomlDocument::ValueSpan span;
            toml::source_position at;
        };
        std::vector<Found> found;
        auto add = [&](std::string table, const toml::key& key, const toml::node& node) {
            TomlDocument::ValueSpan span;
            span.begin = byteOffset(text, starts, node.source().begin);
            span.end = byteOffset(text, starts, node.source().end);
            span.lastLine = lastLineOf(node);
            // Only a value written after "key =" can be rewritten in place: not a [table],
            // an [[array of tables]] or a dotted key's table (their "value" is spread out).
            const bool arrayOfTables = node.is_array_of_tables() && !node.as_array()->empty() &&
                                       !node.as_array()->front().as_table()->is_inline();
            span.writable = !arrayOfTables && !(node.is_table() && !node.as_table()->is_inline());
            found.push_back(Found{
                TomlEntry{std::move(table), std::string(key.str()), toValue(node, text, starts),
                          static_cast<int>(key.source().begin.line)},
                span, key.source().begin});
        };
        for (const auto& [key, node] : root) {
            const toml::table* table = node.as_table();
            if (table != nullptr && !table->is_inline()) {
                document.m_tables.push_back(
                    TomlTable{std::string(key.str()), static_cast<int>(key.source().begin.line)});
                for (const auto& [childKey, child] : *table) {
                    add(std::string(key.str()), childKey, child);
                }
            } else {
                add("", key, node);
            }
        }
        std::stable_sort(found.begin(), found.end(),
                         [](const Found& a, const Found& b) { return a.at < b.at; });
        for (Found& item : found) {
            document.m_entries.push_back(std::move(item.entry));
            document.m_spans.push_back(item.span);
        }
        std::stable_sort(document.m_tables.begin(), document.m_tables.end(),
                         [](const TomlTable& a, const TomlTable& b) { return a.line < b.line; });
        collectHeaderLines(root, text, starts, document.m_headerLines);
        std::sort(document.m_headerLines.begin(), document.m_headerLines.end());
        document.m_headerLines.erase(
            std::unique(document.m_headerLines.begin(), document.m_headerLines.end()),
            document.m_headerLines.end());
    }
};

const TomlValue* TomlTableValue::find(std::string_view key) const {
    for (const TomlKeyValue& item : items) {
        if (item.key == key) {
            return &item.value;
        }
    }
    return nullptr;
}

bool TomlTableValue::operator==(const TomlTableValue& other) const {
    return items == other.items;
}

ConfigError::ConfigError(std::string file, int line, std::string key, const std::string& problem)
    : std::runtime_error(composeMessage(file, line, key, problem)),
      m_file(std::move(file)),
      m_line(line),
      m_key(std::move(key)) {}

bool isBareTomlKey(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), isBareChar);
}

TomlDocument TomlDocument::parse(std::string_view text, std::string fileName) {
    TomlDocument document;
    document.m_fileName = std::move(fileName);
    document.m_text = std::string(text);
    toml::table root;
    try {
        root =
            toml::parse(std::string_view(document.m_text), std::string_view(document.m_fileName));
    } catch (const toml::parse_error& error) {
        throw syntaxError(error, document.m_text, document.m_fileName);
    }
    TomlDocumentBuilder::build(document, root);
    return document;
}

const TomlEntry* TomlDocument::find(std::string_view table, std::string_view key) const {
    for (const TomlEntry& entry : m_entries) {
        if (entry.table == table && entry.key == key) {
            return &entry;
        }
    }
    return nullptr;
}

const TomlTable* TomlDocument::findTable(std::string_view name) const {
    for (const TomlTable& table : m_tables) {
        if (table.name == name) {
            return &table;
        }
    }
    return nullptr;
}

void TomlDocument::set(std::string_view table, std::string_view key, const TomlValue& value) {
    const std::string where = qualified(table, key);
    if (!isBareTomlKey(key) || (!table.empty() && !isBareTomlKey(table))) {
        throw ConfigError(m_fileName, 0, where,
                          "names must be letters, digits, _ and - (not changed)");
    }
    const std::string formatted = formatTomlValue(value);
    try {
        // Our formatter writes valid TOML for every value but text that is not UTF-8.
        (void)toml::parse(std::string_view("v = " + formatted), std::string_view(m_fileName));
    } catch (const toml::parse_error& error) {
        throw ConfigError(
            m_fileName, 0, where,
            "cannot be written (" + std::string(error.description()) + "); not changed");
    }

    const auto starts = lineStarts(m_text);
    const int lineCount = static_cast<int>(starts.size());
    // New lines follow the file's own line ends, so a CRLF file stays CRLF.
    const std::size_t firstNewline = m_text.find('\n');
    const std::string lineEnd =
        (firstNewline != std::string::npos && firstNewline > 0 && m_text[firstNewline - 1] == '\r')
            ? "\r\n"
            : "\n";
    const std::string keyLine = std::string(key) + " = " + formatted + lineEnd;
    auto startOfLine = [&](int line) {  // 1-based; one past the last line = end of the text
        return line > lineCount ? m_text.size() : starts[static_cast<std::size_t>(line - 1)];
    };
    auto lineAt = [&](int line) { return lineText(m_text, starts, line); };
    // Text inserted at the end of a file without a final newline starts on a new line.
    auto atEnd = [&](std::string added) {
        if (!m_text.empty() && m_text.back() != '\n') {
            added = lineEnd + added;
        }
        return added;
    };

    std::string text = m_text;
    const auto entry = std::find_if(m_entries.begin(), m_entries.end(), [&](const TomlEntry& e) {
        return e.table == table && e.key == key;
    });
    if (entry != m_entries.end()) {
        const ValueSpan& span = m_spans[static_cast<std::size_t>(entry - m_entries.begin())];
        if (!span.writable) {
            throw ConfigError(
                m_fileName, entry->line, where,
                "is a table of its own and cannot be set to one value here (not changed)");
        }
        text.replace(span.begin, span.end - span.begin, formatted);
    } else {
        // The section a key of `table` goes in: from its header to the next header.
        const TomlTable* header = table.empty() ? nullptr : findTable(table);
        // A table made only by [table.sub] headers has no section of its own.
        const bool hasSection =
            table.empty() || (header != nullptr && headerName(lineAt(header->line)) == table);
        const int sectionBegin = table.empty() ? 1 : (header ? header->line : 0);
        const auto next = std::upper_bound(m_headerLines.begin(), m_headerLines.end(),
                                           table.empty() ? 0 : sectionBegin);
        const int sectionEnd = next == m_headerLines.end() ? lineCount + 1 : *next;
        int lastKeyLine = 0;
        for (std::size_t i = 0; hasSection && i < m_entries.size(); ++i) {
            if (m_entries[i].table == table && m_entries[i].line >= sectionBegin &&
                m_entries[i].line < sectionEnd) {
                lastKeyLine = std::max(lastKeyLine, m_spans[i].lastLine);
            }
        }
        if (lastKeyLine > 0) {
            const std::size_t at = startOfLine(lastKeyLine + 1);
            text.insert(at, at == m_text.size() ? atEnd(keyLine) : keyLine);
        } else if (table.empty()) {
            // Root keys go above the first table and above the comment block that introduces it.
            int line = m_headerLines.empty() ? lineCount + 1 : m_headerLines.front();
            while (line > 1 && isComment(lineAt(line - 1))) {
                --line;
            }
            const std::size_t at = startOfLine(line);
            if (at == m_text.size()) {
                text.insert(at, atEnd(keyLine));
            } else {
                text.insert(at, isBlank(lineAt(line)) ? keyLine : keyLine + lineEnd);
            }
        } else if (hasSection) {
            const std::size_t at = startOfLine(sectionBegin + 1);
            text.insert(at, at == m_text.size() ? atEnd(keyLine) : keyLine);
        } else {
            // A new table at the end, after a blank line.
            std::string added;
            if (!m_text.empty() && m_text.back() != '\n') {
                added += lineEnd;  // ends the last line first
            }
            const int lastLine =
                m_text.empty() ? 0 : (m_text.back() == '\n' ? lineCount - 1 : lineCount);
            if (lastLine > 0 && !isBlank(lineAt(lastLine))) {
                added += lineEnd;
            }
            text += added + "[" + std::string(table) + "]" + lineEnd + keyLine;
        }
    }

    // Parsed again: every line number and span stays exact, and the edit is checked — the key
    // now holds the value and every other key is as it was.
    TomlDocument edited;
    try {
        edited = parse(text, m_fileName);
    } catch (const ConfigError& error) {
        throw ConfigError(
            m_fileName, 0, where,
            std::string("cannot be written here (") + error.what() + "); not changed");
    }
    // Compared as written, so nan equals nan and 1 differs from 1.0.
    const TomlEntry* now = edited.find(table, key);
    bool othersKept =
        edited.m_entries.size() == m_entries.size() + (entry == m_entries.end() ? 1 : 0);
    for (const TomlEntry& before : m_entries) {
        if (before.table == table && before.key == key) {
            continue;
        }
        const TomlEntry* after = edited.find(before.table, before.key);
        othersKept = othersKept && after != nullptr &&
                     formatTomlValue(after->value) == formatTomlValue(before.value);
    }
    if (now == nullptr || formatTomlValue(now->value) != formatted || !othersKept) {
        throw ConfigError(m_fileName, 0, where,
                          "cannot be written here without changing other keys (not changed)");
    }
    *this = std::move(edited);
}

}  // namespace signpost
