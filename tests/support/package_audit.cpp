#include "support/package_audit.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <regex>

namespace signpost::test::audit {

namespace {

constexpr std::array kBuiltins = {
    ".",        ":",        "[",       "[[",     "]]",     "alias",    "bg",      "bind",
    "break",    "builtin",  "caller",  "case",   "cd",     "command",  "compgen", "complete",
    "compopt",  "continue", "declare", "dirs",   "disown", "do",       "done",    "echo",
    "elif",     "else",     "enable",  "esac",   "eval",   "exec",     "exit",    "export",
    "false",    "fc",       "fg",      "fi",     "for",    "function", "getopts", "hash",
    "help",     "history",  "if",      "in",     "jobs",   "kill",     "let",     "local",
    "logout",   "mapfile",  "popd",    "printf", "pushd",  "pwd",      "read",    "readarray",
    "readonly", "return",   "select",  "set",    "shift",  "shopt",    "source",  "suspend",
    "test",     "then",     "time",    "times",  "trap",   "true",     "type",    "typeset",
    "ulimit",   "umask",    "unalias", "unset",  "until",  "wait",     "while",   "{",
    "}",        "!"};

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' ||
           c == '-';
}

bool isBareName(std::string_view word) {
    return !word.empty() && word.front() != '-' &&
           std::all_of(word.begin(), word.end(), isNameChar);
}

bool isAssignment(std::string_view word) {
    static const std::regex assignment(R"(^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=)");
    return std::regex_search(word.begin(), word.end(), assignment);
}

// One word of a simple command: its text with quotes removed, and whether any part of it came
// from an expansion ($x, $(…), `…`), which makes it unknowable here.
struct Word {
    std::string text;
    bool expanded = false;
};

// Reads a shell script as a sequence of simple commands (see the header for what it finds).
class ShellScanner {
public:
    explicit ShellScanner(std::string_view text, std::set<std::string>& found,
                          std::set<std::string>& functions)
        : m_text(text), m_found(found), m_functions(functions) {}

    void run() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\n') {
                endCommand();
                ++m_pos;
                skipHeredocBodies();
            } else if (c == ' ' || c == '\t' || c == '\r') {
                endWord();
                ++m_pos;
            } else if (c == '\\' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
                endWord();  // line continuation
                m_pos += 2;
            } else if (c == '#' && !m_inWord) {
                while (m_pos < m_text.size() && m_text[m_pos] != '\n')
                    ++m_pos;
            } else if (c == ';' || c == '|' || c == '(' || c == ')') {
                if (c == '(' && m_inWord && !m_word.text.empty() && m_word.text.back() == '=') {
                    skipArrayLiteral();  // name=( … ): data, not commands
                    continue;
                }
                endCommand();
                ++m_pos;
            } else if (c == '&') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '>') {
                    endWord();
                    m_pos += 2;
                    if (m_pos < m_text.size() && m_text[m_pos] == '>')
                        ++m_pos;
                    m_dropNextWord = true;
                } else {
                    endCommand();
                    ++m_pos;
                }
            } else if (c == '<' || c == '>') {
                readRedirection();
            } else if (c == '\'') {
                m_inWord = true;
                const std::size_t close = m_text.find('\'', m_pos + 1);
                const std::size_t end = close == std::string_view::npos ? m_text.size() : close;
                m_word.text.append(m_text.substr(m_pos + 1, end - m_pos - 1));
                m_pos = end + 1;
            } else if (c == '"') {
                readDoubleQuoted();
            } else if (c == '`') {
                m_inWord = true;
                m_word.expanded = true;
                const std::size_t close = m_text.find('`', m_pos + 1);
                const std::size_t end = close == std::string_view::npos ? m_text.size() : close;
                scanNested(m_text.substr(m_pos + 1, end - m_pos - 1));
                m_pos = end + 1;
            } else if (c == '$') {
                readDollar();
            } else if (c == '\\') {
                m_inWord = true;
                if (m_pos + 1 < m_text.size())
                    m_word.text.push_back(m_text[m_pos + 1]);
                m_pos += 2;
            } else {
                m_inWord = true;
                m_word.text.push_back(c);
                ++m_pos;
            }
        }
        endCommand();
    }

private:
    void scanNested(std::string_view inner) {
        std::set<std::string> functions;
        ShellScanner nested(inner, m_found, m_functions.empty() ? functions : m_functions);
        nested.run();
    }

    // From "$(" or "`" to the matching close, honouring quotes and nesting.
    std::size_t matchParen(std::size_t open) const {
        int depth = 0;
        for (std::size_t i = open; i < m_text.size(); ++i) {
            const char c = m_text[i];
            if (c == '\\') {
                ++i;
            } else if (c == '\'') {
                const std::size_t close = m_text.find('\'', i + 1);
                if (close == std::string_view::npos)
                    return m_text.size();
                i = close;
            } else if (c == '"') {
                for (++i; i < m_text.size() && m_text[i] != '"'; ++i) {
                    if (m_text[i] == '\\')
                        ++i;
                }
            } else if (c == '#' && (m_text[i - 1] == ' ' || m_text[i - 1] == '\t' ||
                                    m_text[i - 1] == '\n' || m_text[i - 1] == '(')) {
                while (i < m_text.size() && m_text[i] != '\n')
                    ++i;  // a comment
            } else if (c == '(') {
                ++depth;
            } else if (c == ')') {
                if (--depth == 0)
                    return i;
            }
        }
        return m_text.size();
    }

    void readDollar() {
        m_inWord = true;
        m_word.expanded = true;
        const std::size_t next = m_pos + 1;
        if (next < m_text.size() && m_text[next] == '(') {
            const std::size_t close = matchParen(next);
            if (next + 1 < m_text.size() && m_text[next + 1] == '(') {
                // $(( arithmetic )): its words are not commands, but a $(…) inside runs one.
                scanNested(m_text.substr(next + 2, close > next + 2 ? close - next - 2 : 0));
                m_pos = close + 1;
                if (m_pos < m_text.size() && m_text[m_pos] == ')')
                    ++m_pos;
                return;
            }
            scanNested(m_text.substr(next + 1, close - next - 1));
            m_pos = close + 1;
        } else if (next < m_text.size() && m_text[next] == '{') {
            const std::size_t close = m_text.find('}', next);
            m_pos = close == std::string_view::npos ? m_text.size() : close + 1;
        } else if (next < m_text.size() && m_text[next] == '\'') {
            const std::size_t close = m_text.find('\'', next + 1);  // $'…' ANSI-C quoting
            m_pos = close == std::string_view::npos ? m_text.size() : close + 1;
        } else {
            m_pos = next;
            while (
                m_pos < m_text.size() &&
                (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) {
                ++m_pos;
            }
            if (m_pos == next && m_pos < m_text.size())
                ++m_pos;  // $?, $#, $@, $1
        }
    }

    void readDoubleQuoted() {
        m_inWord = true;
        ++m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            const char c = m_text[m_pos];
            if (c == '\\' && m_pos + 1 < m_text.size()) {
                m_word.text.push_back(m_text[m_pos + 1]);
                m_pos += 2;
            } else if (c == '$') {
                readDollar();
            } else if (c == '`') {
                m_word.expanded = true;
                const std::size_t close = m_text.find('`', m_pos + 1);
                const std::size_t end = close == std::string_view::npos ? m_text.size() : close;
                scanNested(m_text.substr(m_pos + 1, end - m_pos - 1));
                m_pos = end + 1;
            } else {
                m_word.text.push_back(c);
                ++m_pos;
            }
        }
        ++m_pos;
    }

    void readRedirection() {
        // A word made only of digits before the operator is the descriptor ("2>"), not a word.
        if (m_inWord && !m_word.expanded && !m_word.text.empty() &&
            std::all_of(m_word.text.begin(), m_word.text.end(),
                        [](char d) { return std::isdigit(static_cast<unsigned char>(d)); })) {
            m_word = {};
            m_inWord = false;
        }
        endWord();
        const char first = m_text[m_pos];
        if (first == '<' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '(') {
            const std::size_t close = matchParen(m_pos + 1);  // <( process substitution )
            scanNested(m_text.substr(m_pos + 2, close - m_pos - 2));
            m_pos = close + 1;
            return;
        }
        if (first == '<' && m_text.substr(m_pos, 3) == "<<<") {
            m_pos += 3;
            m_dropNextWord = true;
            return;
        }
        if (first == '<' && m_text.substr(m_pos, 2) == "<<") {
            m_pos += 2;
            if (m_pos < m_text.size() && m_text[m_pos] == '-')
                ++m_pos;
            while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
                ++m_pos;
            std::string delimiter;
            while (m_pos < m_text.size() && m_text[m_pos] != '\n' && m_text[m_pos] != ' ' &&
                   m_text[m_pos] != ';' && m_text[m_pos] != '|' && m_text[m_pos] != '&' &&
                   m_text[m_pos] != ')') {
                if (m_text[m_pos] != '\'' && m_text[m_pos] != '"' && m_text[m_pos] != '\\') {
                    delimiter.push_back(m_text[m_pos]);
                }
                ++m_pos;
            }
            if (!delimiter.empty())
                m_heredocs.push_back(delimiter);
            return;
        }
        ++m_pos;
        while (m_pos < m_text.size() && (m_text[m_pos] == '>' || m_text[m_pos] == '|'))
            ++m_pos;
        if (m_pos < m_text.size() && m_text[m_pos] == '&') {
            ++m_pos;  // >&2, >&-: the target is a descriptor
            while (
                m_pos < m_text.size() &&
                (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '-')) {
                ++m_pos;
            }
            return;
        }
        m_dropNextWord = true;
    }

    void skipHeredocBodies() {
        for (const std::string& delimiter : m_heredocs) {
            while (m_pos < m_text.size()) {
                std::size_t end = m_text.find('\n', m_pos);
                if (end == std::string_view::npos)
                    end = m_text.size();
                std::string_view line = m_text.substr(m_pos, end - m_pos);
                while (!line.empty() && (line.front() == '\t'))
                    line.remove_prefix(1);
                m_pos = std::min(end + 1, m_text.size());
                if (line == delimiter)
                    break;
            }
        }
        m_heredocs.clear();
    }

    void skipArrayLiteral() {
        const std::size_t close = matchParen(m_pos);
        m_pos = close + 1;
    }

    void endWord() {
        if (!m_inWord)
            return;
        if (m_dropNextWord) {
            m_dropNextWord = false;
        } else {
            m_words.push_back(m_word);
        }
        m_word = {};
        m_inWord = false;
    }

    void endCommand() {
        endWord();
        m_dropNextWord = false;
        if (!m_words.empty())
            interpret(m_words);
        m_words.clear();
    }

    void record(const std::string& word) {
        if (m_functions.count(word) == 0)
            m_found.insert(word);
    }

    // Skips option words (and the values of `valued` options) from `k`; returns the new index.
    static std::size_t skipOptions(const std::vector<Word>& words, std::size_t k,
                                   const std::set<std::string>& valued) {
        while (k < words.size() && !words[k].text.empty() && words[k].text.front() == '-') {
            const std::string& option = words[k].text;
            ++k;
            if (option == "--")
                break;
            if (valued.count(option) != 0 && k < words.size())
                ++k;
        }
        return k;
    }

    void interpret(const std::vector<Word>& words) {
        std::size_t k = 0;
        while (k < words.size()) {
            while (k < words.size() && isAssignment(words[k].text))
                ++k;
            if (k >= words.size())
                return;
            const Word& word = words[k];
            const std::string& w = word.text;
            if (w == "if" || w == "then" || w == "else" || w == "elif" || w == "do" ||
                w == "while" || w == "until" || w == "!" || w == "time" || w == "{" || w == "}" ||
                w == "fi" || w == "done" || w == "esac" || w == ";;") {
                ++k;
                continue;
            }
            if (w == "for" || w == "case" || w == "select" || w == "function" || w == "in")
                return;
            if (word.expanded || w.empty())
                return;
            if (w.front() == '/') {
                record(w);
                return;
            }
            if (!isBareName(w))
                return;
            // A function definition "name() {": the parentheses ended the command already.
            if (isShellBuiltin(w)) {
                if (w == "exec" || w == "builtin") {
                    k = skipOptions(words, k + 1, {"-a"});
                    continue;
                }
                if (w == "command") {
                    if (k + 1 < words.size() &&
                        (words[k + 1].text == "-v" || words[k + 1].text == "-V")) {
                        for (std::size_t j = k + 2; j < words.size(); ++j) {
                            if (!words[j].expanded && isBareName(words[j].text) &&
                                !isShellBuiltin(words[j].text)) {
                                record(words[j].text);
                            }
                        }
                        return;
                    }
                    k = skipOptions(words, k + 1, {});
                    continue;
                }
                return;
            }
            record(w);
            if (w == "env") {  // options and NAME=value in any order, then the program
                ++k;
                for (std::size_t before = 0; before != k;) {
                    before = k;
                    k = skipOptions(words, k, {"-u", "-C", "-S"});
                    while (k < words.size() && isAssignment(words[k].text))
                        ++k;
                }
                continue;
            }
            if (w == "nohup" || w == "setsid" || w == "fakeroot" || w == "unshare" ||
                w == "stdbuf" || w == "ionice") {
                k = skipOptions(words, k + 1, {"-c", "-n"});
                continue;
            }
            if (w == "nice") {
                k = skipOptions(words, k + 1, {"-n"});
                continue;
            }
            if (w == "timeout") {
                k = skipOptions(words, k + 1, {"-s", "-k", "--signal", "--kill-after"});
                if (k < words.size())
                    ++k;  // the duration
                continue;
            }
            if (w == "sudo") {
                k = skipOptions(words, k + 1, {"-u", "-g", "-C", "-D", "-h", "-p", "-U"});
                continue;
            }
            if (w == "runuser") {
                k = skipOptions(words, k + 1, {"-u", "-g", "-G", "-c", "--user", "--group"});
                continue;
            }
            if (w == "xargs") {
                k = skipOptions(words, k + 1, {"-n", "-I", "-P", "-d", "-L", "-s", "-a", "-E"});
                continue;
            }
            if (w == "xvfb-run") {
                k = skipOptions(words, k + 1, {"-s", "-n", "-e", "-f", "-p", "--server-args"});
                continue;
            }
            if (w == "flock") {
                k = skipOptions(words, k + 1, {"-w", "-E", "--timeout"});
                if (k < words.size())
                    ++k;  // the lock file
                continue;
            }
            if (w == "sh" || w == "bash" || w == "dash") {
                for (std::size_t j = k + 1; j + 1 < words.size(); ++j) {
                    if (words[j].text == "-c" || words[j].text == "-ec" || words[j].text == "-lc" ||
                        words[j].text == "-euc") {
                        scanNested(words[j + 1].text);
                        break;
                    }
                }
                return;
            }
            return;  // chroot and everything else: the rest are arguments (or run in another root)
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::set<std::string>& m_found;
    std::set<std::string>& m_functions;
    std::vector<std::string> m_heredocs;
    std::vector<Word> m_words;
    Word m_word;
    bool m_inWord = false;
    bool m_dropNextWord = false;
};

std::vector<std::string> sortedUnique(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    return items;
}

}  // namespace

bool isShellBuiltin(std::string_view word) {
    return std::find(kBuiltins.begin(), kBuiltins.end(), word) != kBuiltins.end();
}

std::vector<std::string> shellCommands(std::string_view script) {
    // Functions the script defines are its own words, not programs.
    std::set<std::string> functions;
    static const std::regex definition(
        R"((^|\n)[ \t]*(function[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\(\))");
    const std::string text(script);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), definition);
         it != std::sregex_iterator(); ++it) {
        functions.insert((*it)[3].str());
    }
    std::set<std::string> found;
    ShellScanner scanner(text, found, functions);
    scanner.run();
    return {found.begin(), found.end()};
}

std::vector<std::string> depfilePaths(std::string_view depfile) {
    std::vector<std::string> paths;
    std::set<std::string> seen;
    std::string token;
    auto flush = [&] {
        if (!token.empty() && token.back() != ':' && seen.insert(token).second) {
            paths.push_back(token);
        }
        token.clear();
    };
    for (std::size_t i = 0; i < depfile.size(); ++i) {
        const char c = depfile[i];
        if (c == '\\' && i + 1 < depfile.size() && depfile[i + 1] == ' ') {
            token.push_back(' ');
            ++i;
        } else if (c == '\\' && i + 1 < depfile.size() &&
                   (depfile[i + 1] == '\n' || depfile[i + 1] == '\r')) {
            flush();
            ++i;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            flush();
        } else {
            token.push_back(c);
        }
    }
    flush();
    return paths;
}

std::vector<std::string> linkInputs(std::string_view linkLine) {
    std::vector<std::string> inputs;
    std::size_t start = 0;
    bool first = true;
    while (start < linkLine.size()) {
        while (start < linkLine.size() &&
               std::isspace(static_cast<unsigned char>(linkLine[start]))) {
            ++start;
        }
        std::size_t end = start;
        while (end < linkLine.size() && !std::isspace(static_cast<unsigned char>(linkLine[end]))) {
            ++end;
        }
        if (end == start)
            break;
        const std::string word(linkLine.substr(start, end - start));
        start = end;
        if (first) {  // the compiler driver
            first = false;
            continue;
        }
        if (word.front() != '/')
            continue;
        const bool library =
            word.size() > 3 && (word.ends_with(".so") || word.ends_with(".a") ||
                                word.ends_with(".o") || word.find(".so.") != std::string::npos);
        if (library)
            inputs.push_back(word);
    }
    return sortedUnique(std::move(inputs));
}

std::vector<std::string> cppProgramNames(std::string_view source) {
    static const std::regex call(R"re(findInPath\(\s*"([^"]+)"\s*\))re");
    static const std::regex assign(R"re(\bprogram\s*=\s*"([^"]+)")re");
    std::vector<std::string> names;
    const std::string text(source);
    for (const std::regex* pattern : {&call, &assign}) {
        for (auto it = std::sregex_iterator(text.begin(), text.end(), *pattern);
             it != std::sregex_iterator(); ++it) {
            names.push_back((*it)[1].str());
        }
    }
    return sortedUnique(std::move(names));
}

std::vector<std::string> cmakeCommands(std::string_view cmake) {
    std::vector<std::string> names;
    const std::string text(cmake);
    static const std::regex command(R"(\bCOMMAND\s+([^\s()]+))");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), command);
         it != std::sregex_iterator(); ++it) {
        const std::string word = (*it)[1].str();
        if (word.find('$') == std::string::npos && word.find('"') == std::string::npos) {
            names.push_back(word);
        }
    }
    static const std::regex findProgram(R"(find_program\s*\(\s*[A-Za-z0-9_]+\s+([^)]*)\))");
    static const std::set<std::string> keywords = {"NAMES", "NAMES_PER_DIR", "HINTS",   "PATHS",
                                                   "DOC",   "REQUIRED",      "NO_CACHE"};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), findProgram);
         it != std::sregex_iterator(); ++it) {
        const std::string arguments = (*it)[1].str();
        std::size_t start = 0;
        while (start < arguments.size()) {
            while (start < arguments.size() &&
                   std::isspace(static_cast<unsigned char>(arguments[start])))
                ++start;
            std::size_t end = start;
            while (end < arguments.size() &&
                   !std::isspace(static_cast<unsigned char>(arguments[end])))
                ++end;
            const std::string word = arguments.substr(start, end - start);
            start = end;
            if (word.empty())
                continue;
            if (word == "HINTS" || word == "PATHS" || word == "DOC")
                break;  // the rest are not names
            if (keywords.count(word) != 0 || word.find('$') != std::string::npos ||
                word.find('"') != std::string::npos) {
                continue;
            }
            names.push_back(word);
        }
    }
    return sortedUnique(std::move(names));
}

std::string plainPackageName(std::string_view name) {
    const std::size_t colon = name.find(':');
    return std::string(colon == std::string_view::npos ? name : name.substr(0, colon));
}

PackageGraph PackageGraph::parse(std::string_view text) {
    PackageGraph graph;
    std::string current;
    bool orWithNext = false;
    Alternative* lastVirtual = nullptr;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty())
            continue;
        if (line.front() != ' ') {  // a package (or a virtual package) heading its entries
            std::string name(line);
            if (name.front() == '<' && name.back() == '>')
                name = name.substr(1, name.size() - 2);
            current = plainPackageName(name);
            graph.m_depends[current];
            orWithNext = false;
            lastVirtual = nullptr;
            continue;
        }
        if (line.starts_with("    ")) {  // a provider of the virtual package just named
            const std::string provider = plainPackageName(line.substr(4));
            if (lastVirtual != nullptr)
                lastVirtual->providers.push_back(provider);
            continue;
        }
        const bool orMarker = line.size() > 1 && line[1] == '|';
        std::string_view entry = line.substr(2);
        const std::size_t colon = entry.find(": ");
        if (colon == std::string_view::npos || current.empty())
            continue;
        const std::string_view kind = entry.substr(0, colon);
        if (kind != "Depends" && kind != "PreDepends") {
            lastVirtual = nullptr;
            continue;
        }
        std::string target(entry.substr(colon + 2));
        Alternative alternative;
        if (target.front() == '<' && target.back() == '>') {
            alternative.isVirtual = true;
            target = target.substr(1, target.size() - 2);
        }
        alternative.name = plainPackageName(target);
        std::vector<Group>& groups = graph.m_depends[current];
        if (orWithNext && !groups.empty()) {
            groups.back().push_back(alternative);
        } else {
            groups.push_back({alternative});
        }
        orWithNext = orMarker;
        lastVirtual = alternative.isVirtual ? &groups.back().back() : nullptr;
    }
    for (const auto& [package, groups] : graph.m_depends) {
        for (const Group& group : groups) {
            for (const Alternative& alternative : group) {
                if (alternative.isVirtual) {
                    auto& providers = graph.m_providers[alternative.name];
                    for (const std::string& provider : alternative.providers) {
                        if (std::find(providers.begin(), providers.end(), provider) ==
                            providers.end()) {
                            providers.push_back(provider);
                        }
                    }
                }
            }
        }
    }
    return graph;
}

std::set<std::string> PackageGraph::closure(const std::vector<std::string>& roots) const {
    std::set<std::string> reached;
    std::vector<std::string> pending;
    for (const std::string& root : roots)
        pending.push_back(plainPackageName(root));
    while (!pending.empty()) {
        const std::string package = pending.back();
        pending.pop_back();
        if (!reached.insert(package).second)
            continue;
        const auto found = m_depends.find(package);
        if (found == m_depends.end())
            continue;
        for (const Group& group : found->second) {
            for (const Alternative& alternative : group) {
                if (!alternative.isVirtual) {
                    pending.push_back(alternative.name);
                    break;
                }
                const auto providers = m_providers.find(alternative.name);
                if (providers != m_providers.end() && !providers->second.empty()) {
                    for (const std::string& provider : providers->second) {
                        pending.push_back(provider);
                    }
                    break;
                }
                // A virtual package nothing provides: apt moves on to the next alternative.
            }
        }
    }
    return reached;
}

}  // namespace signpost::test::audit
