#include "core/directory/search_text.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/storage/database.h"

namespace signpost {

namespace {

// Letters with no Unicode decomposition, which unicode61's remove_diacritics cannot fold.
std::string_view foldedLetter(unsigned codePoint) {
    switch (codePoint) {
        case 0x0141: return "L";   // Ł
        case 0x0142: return "l";   // ł
        case 0x00D8: return "O";   // Ø
        case 0x00F8: return "o";   // ø
        case 0x00C6: return "AE";  // Æ
        case 0x00E6: return "ae";  // æ
        case 0x0152: return "OE";  // Œ
        case 0x0153: return "oe";  // œ
        case 0x00DF: return "ss";  // ß
        case 0x0110: return "D";   // Đ
        case 0x0111: return "d";   // đ
        case 0x00D0: return "D";   // Ð
        case 0x00F0: return "d";   // ð
        case 0x0126: return "H";   // Ħ
        case 0x0127: return "h";   // ħ
        case 0x0131: return "i";   // ı (dotless i)
        case 0x013F: return "L";   // Ŀ
        case 0x0140: return "l";   // ŀ
        case 0x0166: return "T";   // Ŧ
        case 0x0167: return "t";   // ŧ
        case 0x00DE: return "TH";  // Þ
        case 0x00FE: return "th";  // þ
        case 0x014A: return "N";   // Ŋ
        case 0x014B: return "n";   // ŋ
        default: return {};
    }
}

// Short words people type around what they want ("I need help with debt"). Dropped only once
// finished and only if something else remains.
constexpr std::array<std::string_view, 34> kStopWords = {
    "a",    "an",  "and",  "any",  "are",  "at",   "by",   "can",   "for",    "from", "get", "help",
    "how",  "i",   "im",   "in",   "is",   "it",   "me",   "my",    "near",   "need", "of",  "on",
    "or",   "please", "some", "the", "to", "want", "what", "where", "with", "looking"};

bool isStopWord(std::string_view word) {
    return std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end();
}

constexpr std::size_t kMaxTokens = 8;
constexpr std::size_t kMaxTokenBytes = 64;
constexpr std::size_t kMaxInputBytes = 512;

}  // namespace

std::string foldLetters(std::string_view text) {
    std::string result;
    result.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead >= 0xC3 && lead <= 0xC5 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            const unsigned codePoint = ((lead & 0x1Fu) << 6) | (next & 0x3Fu);
            std::string_view replacement = foldedLetter(codePoint);
            if (!replacement.empty()) {
                result += replacement;
                ++i;
                continue;
            }
        }
        result += text[i];
    }
    return result;
}

struct SearchTokenizer::Api {
    fts5_tokenizer methods{};
};

fts5_api* fts5ApiOf(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (api == nullptr || api->iVersion < 2) {
        throw StorageError("SQLite was built without FTS5", SQLITE_ERROR, SQLITE_ERROR);
    }
    return api;
}

SearchTokenizer::SearchTokenizer(sqlite3* db) {
    fts5_api* api = fts5ApiOf(db);
    auto holder = std::make_unique<Api>();
    void* context = nullptr;
    if (api->xFindTokenizer(api, "unicode61", &context, &holder->methods) != SQLITE_OK) {
        throw StorageError("FTS5 has no unicode61 tokenizer", SQLITE_ERROR, SQLITE_ERROR);
    }
    const char* arguments[] = {"remove_diacritics", "2"};
    if (holder->methods.xCreate(context, arguments, 2, &m_tokenizer) != SQLITE_OK) {
        throw StorageError("cannot create the unicode61 tokenizer", SQLITE_ERROR, SQLITE_ERROR);
    }
    m_api = holder.release();
}

SearchTokenizer::~SearchTokenizer() {
    if (m_tokenizer != nullptr) {
        m_api->methods.xDelete(m_tokenizer);
    }
    delete m_api;
}

std::vector<SearchToken> SearchTokenizer::tokens(std::string_view text) const {
    struct Collector {
        std::vector<SearchToken> tokens;
        std::vector<int> ends;
    } collector;
    const std::string folded = foldLetters(text.substr(0, kMaxInputBytes));
    auto callback = [](void* context, int /*flags*/, const char* token, int length, int /*start*/,
                       int end) -> int {
        auto* into = static_cast<Collector*>(context);
        if (length > 0) {
            into->tokens.push_back({std::string(token, static_cast<std::size_t>(length)), false});
            into->ends.push_back(end);
        }
        return SQLITE_OK;
    };
    m_api->methods.xTokenize(m_tokenizer, &collector, FTS5_TOKENIZE_QUERY, folded.data(),
                             static_cast<int>(folded.size()), callback);
    for (std::size_t i = 0; i < collector.tokens.size(); ++i) {
        collector.tokens[i].finished = static_cast<std::size_t>(collector.ends[i]) < folded.size();
    }
    return std::move(collector.tokens);
}

std::size_t SearchTokenizer::countTokens(std::string_view text) const {
    std::size_t count = 0;
    auto callback = [](void* context, int /*flags*/, const char* /*token*/, int length, int /*start*/,
                       int /*end*/) -> int {
        if (length > 0) {
            ++*static_cast<std::size_t*>(context);
        }
        return SQLITE_OK;
    };
    m_api->methods.xTokenize(m_tokenizer, &count, FTS5_TOKENIZE_DOCUMENT, text.data(),
                             static_cast<int>(text.size()), callback);
    return count;
}

std::string SearchTokenizer::foldedKey(std::string_view text) const {
    std::string key;
    for (const SearchToken& token : tokens(text)) {
        if (!key.empty()) {
            key += ' ';
        }
        key += token.text;
    }
    return key;
}

std::vector<std::string> meaningfulTokens(const std::vector<SearchToken>& tokens) {
    std::vector<std::string> kept;
    for (const SearchToken& token : tokens) {
        if (!(token.finished && isStopWord(token.text))) {
            kept.push_back(token.text.substr(0, kMaxTokenBytes));
        }
    }
    if (kept.empty()) {
        for (const SearchToken& token : tokens) {
            kept.push_back(token.text.substr(0, kMaxTokenBytes));
        }
    }
    // Drop repeats ("food food") and keep the query bounded whatever is pasted in.
    std::vector<std::string> unique;
    for (std::string& token : kept) {
        if (std::find(unique.begin(), unique.end(), token) == unique.end()) {
            unique.push_back(std::move(token));
        }
    }
    if (unique.size() > kMaxTokens) {
        unique.resize(kMaxTokens);
    }
    return unique;
}

std::string buildMatchExpression(const std::vector<SearchToken>& tokens) {
    std::string expression;
    for (const std::string& token : meaningfulTokens(tokens)) {
        if (!expression.empty()) {
            expression += ' ';
        }
        // A string in double quotes is never FTS5 syntax; a quote inside is doubled. (unicode61
        // treats '"' as a separator, so there is none, but the quoting must not depend on that.)
        expression += '"';
        for (char c : token) {
            expression += c;
            if (c == '"') {
                expression += '"';
            }
        }
        expression += "\"*";
    }
    return expression;
}

int editDistance(std::string_view a, std::string_view b, int limit) {
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) {
        return limit + 1;
    }
    std::vector<int> before(static_cast<std::size_t>(m) + 1);
    std::vector<int> previous(static_cast<std::size_t>(m) + 1);
    std::vector<int> current(static_cast<std::size_t>(m) + 1);
    for (int j = 0; j <= m; ++j) {
        previous[static_cast<std::size_t>(j)] = j;
    }
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int rowMinimum = current[0];
        for (int j = 1; j <= m; ++j) {
            const auto uj = static_cast<std::size_t>(j);
            const int cost = a[static_cast<std::size_t>(i - 1)] == b[uj - 1] ? 0 : 1;
            int value = std::min({previous[uj] + 1, current[uj - 1] + 1, previous[uj - 1] + cost});
            if (i > 1 && j > 1 && a[static_cast<std::size_t>(i - 1)] == b[uj - 2] &&
                a[static_cast<std::size_t>(i - 2)] == b[uj - 1]) {
                value = std::min(value, before[uj - 2] + 1);
            }
            current[uj] = value;
            rowMinimum = std::min(rowMinimum, value);
        }
        if (rowMinimum > limit) {
            return limit + 1;
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[static_cast<std::size_t>(m)], limit + 1);
}

}  // namespace signpost
