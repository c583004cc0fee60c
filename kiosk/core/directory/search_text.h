// Signpost — turning what a resident typed into a safe FTS5 query, and folding text the same way
// the index does (internal to the directory module).
//
// The index uses SQLite's `unicode61 remove_diacritics 2` tokenizer. Queries are tokenized by that
// very tokenizer (through the FTS5 C API), so a query token is always a run of token characters:
// quotes, brackets, `*`, `AND`/`NEAR(` typed by a resident can never reach the FTS5 parser as
// syntax. unicode61 does not fold letters without a Unicode decomposition (ł, ø, æ, ß, đ, ...), so
// foldLetters() maps those first, on indexed text and on queries alike ("zolc" finds "Żółć").
//
// Thread-safety: a SearchTokenizer belongs to its connection's thread, like the connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct fts5_api;
struct Fts5Tokenizer;

namespace signpost {

// The connection's FTS5 C API (through the documented SELECT fts5(?1) with a bound pointer).
// Throws StorageError if SQLite was built without FTS5.
fts5_api* fts5ApiOf(sqlite3* db);

// Maps the letters unicode61 leaves alone to plain Latin ("Łódź" -> "Lódź"; the tokenizer then
// removes the acute). Everything else is copied unchanged.
std::string foldLetters(std::string_view text);

struct SearchToken {
    std::string text;        // folded: lower case, no diacritics
    bool finished = false;   // more text was typed after it (the resident moved on)
};

class SearchTokenizer {
public:
    // Uses the unicode61 tokenizer of `db`'s FTS5. Throws StorageError if FTS5 is unavailable.
    explicit SearchTokenizer(sqlite3* db);
    ~SearchTokenizer();
    SearchTokenizer(const SearchTokenizer&) = delete;
    SearchTokenizer& operator=(const SearchTokenizer&) = delete;

    // The folded tokens of `text`, as the index would see them.
    std::vector<SearchToken> tokens(std::string_view text) const;
    // Tokens joined by single spaces: a case- and accent-free key for sorting and comparing.
    std::string foldedKey(std::string_view text) const;
    // How many tokens FTS5 would index for `text` (no length cap, unlike tokens()).
    std::size_t countTokens(std::string_view text) const;

private:
    struct Api;
    Api* m_api = nullptr;
    Fts5Tokenizer* m_tokenizer = nullptr;
};

// Builds the MATCH expression for a search: every token a prefix ("food" -> "food"*), all
// required. Common short words the resident has finished typing ("and", "the", "for", ...) are
// dropped unless nothing else is left. Returns "" when there is nothing to search for.
std::string buildMatchExpression(const std::vector<SearchToken>& tokens);
// The tokens buildMatchExpression() would keep.
std::vector<std::string> meaningfulTokens(const std::vector<SearchToken>& tokens);

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early
// once it exceeds `limit` (then returns limit + 1).
int editDistance(std::string_view a, std::string_view b, int limit);

}  // namespace signpost
