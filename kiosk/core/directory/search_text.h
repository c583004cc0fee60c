// Signpost — turning what a resident typed into a safe FTS5 query, and folding text the same way
// the index does (internal to the directory module).
//
// The index uses SQLite's `unicode61 remove_diacritics 2` tokenizer with marks counted as letters
// (categories "L* N* Co M*": Bengali and Gurmukhi vowel signs are marks, and unicode61's default
// would cut every word at them). Queries are tokenized by that very tokenizer (through the FTS5 C
// API), so a query token is always a run of token characters: quotes, brackets, `*`, `AND`/`NEAR(`
// typed by a resident can never reach the FTS5 parser as syntax.
//
// Before the tokenizer, text is folded, on indexed text and on queries alike:
// - ICU's NFKC_Casefold: case, compatibility forms (Arabic presentation forms, full-width Latin),
//   default-ignorable characters (ZWNJ, ZWJ, soft hyphen) removed.
// - Letters with no Unicode decomposition, which unicode61 cannot fold (ł, ø, æ, ß, đ, ...), to
//   plain Latin ("zolc" finds "Żółć").
// - Arabic script (Arabic, Persian, Urdu, Kurdish Sorani): harakat, Quranic marks and tatweel
//   removed; alef forms (أ إ آ ٱ) to ا; ى ی ے ې and ئ to ي; ک to ك; ة ۀ ہ ھ ە to ه; ؤ to و —
//   the letters the four languages' keyboards write differently for the same word.
// - Native digits (Arabic-Indic, Persian, Bengali, Gurmukhi) to ASCII digits; nukta removed.
// - Chinese and Japanese, written without spaces: in indexed text each run of Han/kana becomes its
//   overlapping bigrams plus its last character ("食物银行" -> "食物 物银 银行 行"); a query keeps
//   the run whole and buildMatchExpression() makes it the phrase of its bigrams ("食物 物银 银行"),
//   or a prefix for a single character ("食"*). So any substring of two or more characters matches,
//   and so does any single character.
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

// The text the index stores for `text` (see the top of this file): folded, Chinese as bigrams
// ("Łódź" -> "lódź"; the tokenizer then removes the acute). The directory writer indexes this,
// and deletes with it, so it must never change without a schema version bump (directory_rows.h).
std::string foldLetters(std::string_view text);
// The same folding for a query: Chinese runs are kept whole (tokens() then marks them cjk).
std::string foldQueryText(std::string_view text);

// True if `token` (one token of folded text) is a run of Han or kana characters.
bool isCjkToken(std::string_view token);

struct SearchToken {
    std::string text;       // folded: lower case, no diacritics
    bool finished = false;  // more text was typed after it (the resident moved on)
    bool cjk = false;       // a run of Chinese/Japanese characters (see the top of this file)
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

// Builds the MATCH expression for a search: every token a prefix ("food" -> "food"*), a Chinese
// run the phrase of its bigrams, all required. Common short words the resident has finished
// typing ("and", "the", "for", "i", "في", ... in each of the kiosk's languages) are dropped unless
// nothing else is left. Returns "" when there is nothing to search for. (Search itself builds a
// richer query, search_plan.h; this is the plain form, which SQLite's bm25() can rank.)
std::string buildMatchExpression(const std::vector<SearchToken>& tokens);
// True if `token` (folded, as tokens() gives it) is one of the short words queries drop.
bool isStopWordToken(std::string_view token);
// The tokens buildMatchExpression() would keep.
std::vector<SearchToken> meaningfulSearchTokens(const std::vector<SearchToken>& tokens);
// Their texts.
std::vector<std::string> meaningfulTokens(const std::vector<SearchToken>& tokens);
// One token as an FTS5 phrase: "food"* (a prefix), "食物 物银" (a Chinese run's bigrams), "食"*.
// `prefix` false gives the exact term ("lonely"). Quotes inside are doubled.
std::string phraseFor(const SearchToken& token, bool prefix = true);
// The bigrams of a Chinese run, in order ("食物银" -> {"食物", "物银"}); the run itself if it is
// one character.
std::vector<std::string> cjkBigrams(std::string_view run);

// The last `count` code points of `text` (counting and prefixes: core/common/utf8.h).
std::string_view codePointSuffix(std::string_view text, std::size_t count);

// Optimal string alignment distance (Levenshtein plus adjacent transpositions) counted in code
// points ("تنهایی" vs "تنهاىی" is 1), stopping early once it exceeds `limit` (then returns
// limit + 1).
int editDistance(std::string_view a, std::string_view b, int limit);

}  // namespace signpost
