#include "core/config/config_keys.h"

#include "core/common/utf8.h"

namespace signpost {

namespace {

void appendWrapped(std::string& out, std::string_view text, std::size_t width) {
    std::string line = "#";
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find(' ', start), text.size());
        const std::string_view word = text.substr(start, end - start);
        start = end + 1;
        if (word.empty()) {
            continue;
        }
        if (line.size() > 1 && line.size() + 1 + word.size() > width) {
            out += line + '\n';
            line = "#";
        }
        line += ' ';
        line += word;
    }
    out += line + '\n';
}

}  // namespace

std::string shownValue(const TomlValue& value) {
    std::string text = formatTomlValue(value);
    if (utf8::count(text) > 60) {
        text = std::string(utf8::prefixBytes(text, 57)) + "...";
    }
    return text;
}

std::string expectedValue(std::string_view allowed, const TomlValue& got, unsigned flags) {
    std::string problem = "expected " + std::string(allowed);
    // A mistyped PIN hash must not end up in a log.
    if ((flags & (config_key::Secret | config_key::Terse)) == 0) {
        problem += ", got " + shownValue(got);
    }
    return problem;
}

void appendComment(std::string& out, std::string_view text, std::size_t width) {
    while (true) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        if (line.empty()) {
            out += "#\n";
        } else if (line.size() + 2 <= width) {
            out += "# " + std::string(line) + '\n';
        } else {
            appendWrapped(out, line, width);
        }
        if (end == std::string_view::npos) {
            return;
        }
        text.remove_prefix(end + 1);
    }
}

std::string markdownCell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

TomlValue textListValue(const std::vector<std::string>& items) {
    TomlArray list;
    for (const std::string& item : items) {
        list.emplace_back(item);
    }
    return list;
}

}  // namespace signpost
