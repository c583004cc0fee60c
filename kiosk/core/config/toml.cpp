#include "core/config/toml.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

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

bool isSpace(char c) { return c == ' ' || c == '\t'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// TOML forbids control characters other than tab in strings and comments.
bool isForbiddenControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

std::string hex4(unsigned value) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out = "U+";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += digits[(value >> shift) & 0xF];
    }
    return out;
}

// Returns the byte offset of the first invalid UTF-8 sequence, or npos. Rejects overlong forms,
// surrogates and code points above U+10FFFF, as TOML (and every later consumer) requires.
std::size_t invalidUtf8At(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        unsigned codePoint = 0;
        unsigned minimum = 0;
        if ((c & 0xE0) == 0xC0) {
            length = 2;
            codePoint = c & 0x1Fu;
            minimum = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            codePoint = c & 0x0Fu;
            minimum = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            codePoint = c & 0x07u;
            minimum = 0x10000;
        } else {
            return i;
        }
        if (i + static_cast<std::size_t>(length) > text.size()) {
            return i;
        }
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80) {
                return i;
            }
            codePoint = (codePoint << 6) | (next & 0x3Fu);
        }
        if (codePoint < minimum || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            return i;
        }
        i += static_cast<std::size_t>(length);
    }
    return std::string_view::npos;
}

void appendUtf8(std::string& out, unsigned codePoint) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

// Shows a piece of a bad line in an error without flooding the terminal.
std::string excerpt(std::string_view text) {
    constexpr std::size_t limit = 40;
    std::string out(text.substr(0, limit));
    while (!out.empty() && isSpace(out.back())) {
        out.pop_back();
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

// One line of the file. Every error names the line, and the key once it is known.
class LineParser {
public:
    LineParser(std::string_view line, int lineNumber, const std::string& file)
        : m_line(line), m_lineNumber(lineNumber), m_file(file) {
        if (!m_line.empty() && m_line.back() == '\r') {
            m_line.remove_suffix(1);  // CRLF files: the '\r' is part of the line end
        }
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw ConfigError(m_file, m_lineNumber, m_key, problem);
    }
    void setKeyContext(std::string key) { m_key = std::move(key); }

    void skipSpaces() {
        while (m_pos < m_line.size() && isSpace(m_line[m_pos])) {
            ++m_pos;
        }
    }
    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek(std::size_t ahead = 0) const {
        return m_pos + ahead < m_line.size() ? m_line[m_pos + ahead] : '\0';
    }
    std::string_view rest() const { return m_line.substr(std::min(m_pos, m_line.size())); }

    // Blank or comment only from here on; checks the comment for control characters.
    bool atEndOrComment() {
        skipSpaces();
        if (atEnd()) {
            return true;
        }
        if (peek() != '#') {
            return false;
        }
        for (std::size_t i = m_pos + 1; i < m_line.size(); ++i) {
            const auto c = static_cast<unsigned char>(m_line[i]);
            if (isForbiddenControl(c)) {
                fail("control character " + hex4(c) + " in a comment");
            }
        }
        m_pos = m_line.size();
        return true;
    }

    std::string bareName(const char* what) {
        const std::size_t start = m_pos;
        while (m_pos < m_line.size() && isBareChar(m_line[m_pos])) {
            ++m_pos;
        }
        if (m_pos == start) {
            if (peek() == '"' || peek() == '\'') {
                fail(std::string("quoted ") + what +
                     "s are not supported; use letters, digits, _ and -");
            }
            fail(std::string("expected a ") + what + " (letters, digits, _ and -), got \"" +
                 excerpt(rest()) + "\"");
        }
        return std::string(m_line.substr(start, m_pos - start));
    }

    std::string tableHeader() {
        ++m_pos;  // '['
        if (peek() == '[') {
            fail("arrays of tables ([[name]]) are not supported; use one [table] per name");
        }
        skipSpaces();
        if (peek() == ']') {
            fail("a table header needs a name, like [kiosk]");
        }
        std::string name = bareName("table name");
        skipSpaces();
        if (peek() == '.') {
            fail("nested tables ([" + name + ".…]) are not supported; use one level, like [" +
                 name + "]");
        }
        if (peek() != ']') {
            fail("expected ] to close the table header [" + name + "]");
        }
        ++m_pos;
        if (!atEndOrComment()) {
            fail("unexpected text after the table header: \"" + excerpt(rest()) + "\"");
        }
        return name;
    }

    std::string keyBeforeEquals() {
        std::string key = bareName("key name");
        skipSpaces();
        if (peek() == '.') {
            fail("dotted keys (" + key + ".… = …) are not supported; put the key under a [table]");
        }
        if (peek() != '=') {
            if (atEnd() || peek() == '#') {
                fail("expected = and a value after the key \"" + key + "\"");
            }
            fail("expected = after the key \"" + key + "\", got \"" + excerpt(rest()) + "\"");
        }
        ++m_pos;
        return key;
    }

    // Parses the value after "key =" up to the end of the line (or a comment).
    TomlValue value(std::size_t& begin, std::size_t& end) {
        skipSpaces();
        if (atEnd() || peek() == '#') {
            fail("value missing after =");
        }
        begin = m_pos;
        TomlValue result = scalarOrArray();
        end = m_pos;
        if (!atEndOrComment()) {
            fail("unexpected text after the value: \"" + excerpt(rest()) +
                 "\" (comments start with #)");
        }
        return result;
    }

private:
    TomlValue scalarOrArray() {
        const char c = peek();
        if (c == '"') {
            return basicString();
        }
        if (c == '\'') {
            return literalString();
        }
        if (c == '[') {
            return array();
        }
        if (c == '{') {
            fail("inline tables ({ … }) are not supported; use a [table] with one key per line");
        }
        const std::string_view token = bareToken(false);
        if (token == "true") {
            return true;
        }
        if (token == "false") {
            return false;
        }
        return number(token, false);
    }

    // A run of characters up to the next delimiter; the caller decides what it is.
    std::string_view bareToken(bool inArray) {
        const std::size_t start = m_pos;
        while (m_pos < m_line.size()) {
            const char c = m_line[m_pos];
            if (isSpace(c) || c == '#' || (inArray && (c == ',' || c == ']'))) {
                break;
            }
            ++m_pos;
        }
        return m_line.substr(start, m_pos - start);
    }

    TomlValue number(std::string_view token, bool inArray) {
        if (token.empty()) {
            fail("value missing");
        }
        if (token == "inf" || token == "+inf") {
            return std::numeric_limits<double>::infinity();
        }
        if (token == "-inf") {
            return -std::numeric_limits<double>::infinity();
        }
        if (token == "nan" || token == "+nan" || token == "-nan") {
            return std::numeric_limits<double>::quiet_NaN();
        }
        std::string_view body = token;
        bool negative = false;
        if (body.front() == '+' || body.front() == '-') {
            negative = body.front() == '-';
            body.remove_prefix(1);
        }
        if (body.empty() || !isDigit(body.front())) {
            if (token == "True" || token == "False" || token == "TRUE" || token == "FALSE" ||
                token == "yes" || token == "no") {
                fail("expected true or false in lower case, got " + std::string(token));
            }
            fail("expected a value: text in \"quotes\", a number, true/false or a [list]; got " +
                 excerpt(token) + (inArray ? "" : " (text needs quotes)"));
        }
        if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
            if (token.front() == '+' || token.front() == '-') {
                fail("a sign is not allowed on 0x, 0o or 0b numbers: " + excerpt(token));
            }
            const int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
            return integerDigits(body.substr(2), base, false, token);
        }
        // Dates and times look like numbers at first; say plainly that they need quotes.
        if ((body.size() >= 5 && body[4] == '-' && isDigit(body[3])) ||
            (body.size() >= 3 && body[2] == ':' && isDigit(body[1]))) {
            fail("dates and times are not supported; write them as text in \"quotes\"");
        }
        const bool isFloat = body.find_first_of(".eE") != std::string_view::npos;
        if (!isFloat) {
            if (body.size() > 1 && body[0] == '0') {
                fail("leading zeros are not allowed in numbers: " + excerpt(token));
            }
            return integerDigits(body, 10, negative, token);
        }
        if (inArray) {
            fail("lists may only hold text or whole numbers, got " + excerpt(token));
        }
        return floatValue(body, negative, token);
    }

    // Underscores only between digits, as TOML asks.
    std::string withoutUnderscores(std::string_view digits, std::string_view token, int base) {
        std::string clean;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            const char c = digits[i];
            if (c == '_') {
                const bool between = i > 0 && i + 1 < digits.size() && digits[i - 1] != '_' &&
                                     digits[i + 1] != '_' && isDigitOfBase(digits[i - 1], base) &&
                                     isDigitOfBase(digits[i + 1], base);
                if (!between) {
                    fail("an underscore in a number must sit between two digits: " +
                         excerpt(token));
                }
                continue;
            }
            clean += c;
        }
        return clean;
    }

    static bool isDigitOfBase(char c, int base) {
        if (base == 16) {
            return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        return c >= '0' && c < static_cast<char>('0' + std::min(base, 10));
    }

    std::int64_t integerDigits(std::string_view digits, int base, bool negative,
                               std::string_view token) {
        const std::string clean = withoutUnderscores(digits, token, base);
        if (clean.empty()) {
            fail("not a number: " + excerpt(token));
        }
        for (char c : clean) {
            if (!isDigitOfBase(c, base)) {
                fail("not a number: " + excerpt(token));
            }
        }
        // Parse the magnitude unsigned so that -9223372036854775808 is accepted.
        std::uint64_t magnitude = 0;
        const auto [ptr, error] =
            std::from_chars(clean.data(), clean.data() + clean.size(), magnitude, base);
        const std::uint64_t limit = static_cast<std::uint64_t>(
                                        std::numeric_limits<std::int64_t>::max()) +
                                    (negative ? 1u : 0u);
        if (error == std::errc::result_out_of_range || magnitude > limit) {
            fail("number out of range (whole numbers must fit in 64 bits): " + excerpt(token));
        }
        if (error != std::errc() || ptr != clean.data() + clean.size()) {
            fail("not a number: " + excerpt(token));
        }
        if (negative) {
            return magnitude == limit ? std::numeric_limits<std::int64_t>::min()
                                      : -static_cast<std::int64_t>(magnitude);
        }
        return static_cast<std::int64_t>(magnitude);
    }

    double floatValue(std::string_view body, bool negative, std::string_view token) {
        // TOML: an integer part (no leading zeros), then .digits and/or e[+-]digits.
        std::size_t i = 0;
        auto digitRun = [&]() {
            const std::size_t start = i;
            while (i < body.size() && (isDigit(body[i]) || body[i] == '_')) {
                ++i;
            }
            return body.substr(start, i - start);
        };
        const std::string_view integerPart = digitRun();
        if (integerPart.empty() || (integerPart.size() > 1 && integerPart[0] == '0')) {
            fail("not a number: " + excerpt(token));
        }
        std::string clean = withoutUnderscores(integerPart, token, 10);
        if (i < body.size() && body[i] == '.') {
            ++i;
            const std::string_view fraction = digitRun();
            if (fraction.empty()) {
                fail("a decimal point must have digits on both sides: " + excerpt(token));
            }
            clean += '.' + withoutUnderscores(fraction, token, 10);
        }
        if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
            ++i;
            clean += 'e';
            if (i < body.size() && (body[i] == '+' || body[i] == '-')) {
                clean += body[i];
                ++i;
            }
            const std::string_view exponent = digitRun();
            if (exponent.empty()) {
                fail("not a number: " + excerpt(token));
            }
            clean += withoutUnderscores(exponent, token, 10);
        }
        if (i != body.size()) {
            fail("not a number: " + excerpt(token));
        }
        double result = 0;
        const auto [ptr, error] = std::from_chars(clean.data(), clean.data() + clean.size(), result);
        if (error == std::errc::result_out_of_range) {
            fail("number out of range: " + excerpt(token));
        }
        if (ptr != clean.data() + clean.size()) {
            fail("not a number: " + excerpt(token));
        }
        return negative ? -result : result;
    }

    std::string basicString() {
        if (m_line.substr(m_pos, 3) == "\"\"\"") {
            fail("multi-line strings (\"\"\") are not supported; use \\n inside \"...\"");
        }
        ++m_pos;
        std::string out;
        while (true) {
            if (atEnd()) {
                fail("unterminated string: the closing \" is missing");
            }
            const char c = m_line[m_pos];
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c == '\\') {
                escape(out);
                continue;
            }
            if (isForbiddenControl(static_cast<unsigned char>(c))) {
                fail("control character " + hex4(static_cast<unsigned char>(c)) +
                     " in a string; write it as an escape like \\t or \\u0007");
            }
            out += c;
            ++m_pos;
        }
    }

    void escape(std::string& out) {
        ++m_pos;  // the backslash
        if (atEnd()) {
            fail("bad escape: a \\ at the end of the line (multi-line strings are not supported)");
        }
        const char c = m_line[m_pos++];
        switch (c) {
            case '"': out += '"'; return;
            case '\\': out += '\\'; return;
            case 'b': out += '\b'; return;
            case 't': out += '\t'; return;
            case 'n': out += '\n'; return;
            case 'f': out += '\f'; return;
            case 'r': out += '\r'; return;
            case 'u':
            case 'U': {
                const std::size_t count = c == 'u' ? 4 : 8;
                unsigned codePoint = 0;
                for (std::size_t k = 0; k < count; ++k) {
                    const char h = peek();
                    if (!isDigitOfBase(h, 16)) {
                        fail(std::string("bad escape \\") + c + ": expected " +
                             std::to_string(count) + " hex digits");
                    }
                    codePoint = codePoint * 16 +
                                static_cast<unsigned>(isDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
                    ++m_pos;
                }
                if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                    fail(std::string("bad escape \\") + c + ": not a Unicode character");
                }
                appendUtf8(out, codePoint);
                return;
            }
            default: {
                std::string shown(1, c);
                if (isForbiddenControl(static_cast<unsigned char>(c)) || c == '\t' || c == ' ') {
                    shown = hex4(static_cast<unsigned char>(c));
                }
                fail("bad escape \\" + shown +
                     " in a string; use \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX or \\UXXXXXXXX");
            }
        }
    }

    std::string literalString() {
        if (m_line.substr(m_pos, 3) == "'''") {
            fail("multi-line strings (''') are not supported");
        }
        ++m_pos;
        const std::size_t start = m_pos;
        while (!atEnd() && m_line[m_pos] != '\'') {
            const auto c = static_cast<unsigned char>(m_line[m_pos]);
            if (isForbiddenControl(c)) {
                fail("control character " + hex4(c) + " in a string");
            }
            ++m_pos;
        }
        if (atEnd()) {
            fail("unterminated string: the closing ' is missing");
        }
        std::string out(m_line.substr(start, m_pos - start));
        ++m_pos;
        return out;
    }

    TomlArray array() {
        ++m_pos;  // '['
        TomlArray items;
        while (true) {
            skipSpaces();
            if (atEnd() || peek() == '#') {
                fail("unterminated list: lists must close with ] on the same line");
            }
            if (peek() == ']') {
                ++m_pos;
                return items;
            }
            const char c = peek();
            if (c == '"') {
                items.emplace_back(basicString());
            } else if (c == '\'') {
                items.emplace_back(literalString());
            } else if (c == '[') {
                fail("lists inside lists are not supported");
            } else if (c == '{') {
                fail("inline tables ({ … }) are not supported");
            } else if (c == ',') {
                fail("a list item is missing before ,");
            } else {
                const std::string_view token = bareToken(true);
                if (token == "true" || token == "false") {
                    fail("lists may only hold text or whole numbers, got " + std::string(token));
                }
                const TomlValue item = number(token, true);
                if (!std::holds_alternative<std::int64_t>(item)) {
                    fail("lists may only hold text or whole numbers, got " + excerpt(token));
                }
                items.emplace_back(std::get<std::int64_t>(item));
            }
            skipSpaces();
            if (peek() == ',') {
                ++m_pos;
            } else if (peek() != ']') {
                if (atEnd() || peek() == '#') {
                    fail("unterminated list: lists must close with ] on the same line");
                }
                fail("expected , or ] in the list, got \"" + excerpt(rest()) + "\"");
            }
        }
    }

    std::string_view m_line;
    std::size_t m_pos = 0;
    int m_lineNumber;
    const std::string& m_file;
    std::string m_key;
};

std::string qualified(std::string_view table, std::string_view key) {
    return table.empty() ? std::string(key) : std::string(table) + '.' + std::string(key);
}

void appendEscaped(std::string& out, std::string_view text) {
    static const char digits[] = "0123456789ABCDEF";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    out += "\\u00";
                    out += digits[u >> 4];
                    out += digits[u & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

}  // namespace

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
    const std::string& file = document.m_fileName;

    if (!text.empty()) {
        std::size_t start = 0;
        while (true) {
            const std::size_t newline = text.find('\n', start);
            if (newline == std::string_view::npos) {
                if (start < text.size()) {
                    document.m_lines.emplace_back(text.substr(start));
                }
                break;
            }
            document.m_lines.emplace_back(text.substr(start, newline - start));
            start = newline + 1;
        }
        document.m_finalNewline = text.back() == '\n';
    }

    std::string table;
    for (std::size_t index = 0; index < document.m_lines.size(); ++index) {
        const int lineNumber = static_cast<int>(index) + 1;
        std::string_view line = document.m_lines[index];
        if (const std::size_t bad = invalidUtf8At(line); bad != std::string_view::npos) {
            throw ConfigError(file, lineNumber, "",
                              "the text is not valid UTF-8 (at column " + std::to_string(bad + 1) +
                                  "); save the file as UTF-8");
        }
        std::size_t skip = 0;
        if (index == 0 && line.substr(0, 3) == "\xEF\xBB\xBF") {
            skip = 3;  // a byte-order mark some editors add; kept on output
        }
        LineParser parser(line.substr(skip), lineNumber, file);
        parser.skipSpaces();
        if (parser.atEndOrComment()) {
            continue;
        }
        if (parser.peek() == '[') {
            table = parser.tableHeader();
            if (const TomlTable* earlier = document.findTable(table)) {
                parser.fail("table [" + table + "] defined twice (first on line " +
                            std::to_string(earlier->line) + ")");
            }
            if (const TomlEntry* clash = document.find("", table)) {
                parser.fail("[" + table + "] clashes with the key \"" + table + "\" on line " +
                            std::to_string(clash->line));
            }
            document.m_tables.push_back(TomlTable{table, lineNumber});
            continue;
        }
        std::string key = parser.keyBeforeEquals();
        parser.setKeyContext(qualified(table, key));
        if (const TomlEntry* earlier = document.find(table, key)) {
            parser.fail("key defined twice (first on line " + std::to_string(earlier->line) + ")");
        }
        std::size_t begin = 0;
        std::size_t end = 0;
        TomlValue value = parser.value(begin, end);
        document.m_entries.push_back(TomlEntry{table, std::move(key), std::move(value), lineNumber});
        document.m_spans.push_back(ValueSpan{index, begin + skip, end + skip});
    }
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
    auto checkText = [&](const std::string& text) {
        if (invalidUtf8At(text) != std::string_view::npos) {
            throw ConfigError(m_fileName, 0, where, "the text is not valid UTF-8 (not changed)");
        }
    };
    if (const auto* text = std::get_if<std::string>(&value)) {
        checkText(*text);
    } else if (const auto* items = std::get_if<TomlArray>(&value)) {
        for (const auto& item : *items) {
            if (const auto* itemText = std::get_if<std::string>(&item)) {
                checkText(*itemText);
            }
        }
    }

    std::vector<std::string> lines = m_lines;
    bool finalNewline = m_finalNewline;
    // New lines follow the file's own line ends, so a CRLF file stays CRLF.
    const std::string lineEnd =
        (!lines.empty() && !lines.front().empty() && lines.front().back() == '\r') ? "\r" : "";
    const std::string keyLine = std::string(key) + " = " + formatTomlValue(value) + lineEnd;

    auto insertAt = [&](std::size_t index, std::vector<std::string> added) {
        if (index >= lines.size()) {
            finalNewline = true;  // the old last line now ends with a newline too
        }
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(std::min(index, lines.size())),
                     added.begin(), added.end());
    };
    auto isBlank = [](const std::string& line) {
        return std::all_of(line.begin(), line.end(),
                           [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
    };
    auto isComment = [&](const std::string& line) {
        const std::size_t first = line.find_first_not_of(" \t");
        return first != std::string::npos && line[first] == '#';
    };

    bool found = false;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].table == table && m_entries[i].key == key) {
            const ValueSpan& span = m_spans[i];
            std::string& line = lines[span.lineIndex];
            line = line.substr(0, span.begin) + formatTomlValue(value) + line.substr(span.end);
            found = true;
            break;
        }
    }
    if (!found) {
        std::optional<std::size_t> lastKeyLine;
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            if (m_entries[i].table == table) {
                lastKeyLine = m_spans[i].lineIndex;
            }
        }
        const TomlTable* header = table.empty() ? nullptr : findTable(table);
        if (lastKeyLine) {
            insertAt(*lastKeyLine + 1, {keyLine});
        } else if (header != nullptr) {
            insertAt(static_cast<std::size_t>(header->line), {keyLine});
        } else if (table.empty()) {
            // Root keys go above the first table and above the comment block that introduces it.
            std::size_t index = m_tables.empty() ? lines.size()
                                                 : static_cast<std::size_t>(m_tables.front().line - 1);
            while (index > 0 && isComment(lines[index - 1])) {
                --index;
            }
            if (index < lines.size() && !isBlank(lines[index])) {
                insertAt(index, {keyLine, lineEnd});
            } else {
                insertAt(index, {keyLine});
            }
        } else {
            std::vector<std::string> added;
            if (!lines.empty() && !isBlank(lines.back())) {
                added.push_back(lineEnd);
            }
            added.push_back("[" + std::string(table) + "]" + lineEnd);
            added.push_back(keyLine);
            insertAt(lines.size(), std::move(added));
        }
    }

    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        text += lines[i];
        if (i + 1 < lines.size() || finalNewline) {
            text += '\n';
        }
    }
    // Parsing the edited text again keeps every line number and span exact; the original text
    // parsed and the new value is formatted by us, so this only fails on a bug.
    TomlDocument edited = parse(text, m_fileName);
    *this = std::move(edited);
}

std::string TomlDocument::toString() const {
    std::string text;
    std::size_t size = 0;
    for (const std::string& line : m_lines) {
        size += line.size() + 1;
    }
    text.reserve(size);
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        text += m_lines[i];
        if (i + 1 < m_lines.size() || m_finalNewline) {
            text += '\n';
        }
    }
    return text;
}

std::string formatTomlValue(const TomlValue& value) {
    struct Formatter {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            if (std::isnan(d)) {
                return "nan";
            }
            if (std::isinf(d)) {
                return d < 0 ? "-inf" : "inf";
            }
            char buffer[64];
            const auto [ptr, error] = std::to_chars(buffer, buffer + sizeof buffer, d);
            std::string out(buffer, error == std::errc() ? ptr : buffer);
            // Shortest form may be "1" or "1e+20": TOML needs ".0" or an exponent with digits.
            if (out.find_first_of(".e") == std::string::npos) {
                out += ".0";
            }
            return out;
        }
        std::string operator()(const std::string& s) const {
            std::string out;
            appendEscaped(out, s);
            return out;
        }
        std::string operator()(const TomlArray& items) const {
            std::string out = "[";
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i > 0) {
                    out += ", ";
                }
                if (const auto* text = std::get_if<std::string>(&items[i])) {
                    appendEscaped(out, *text);
                } else {
                    out += std::to_string(std::get<std::int64_t>(items[i]));
                }
            }
            return out + "]";
        }
    };
    return std::visit(Formatter{}, value);
}

}  // namespace signpost
