// Signpost — everything bm25 needs for a search, gathered inside FTS5 in one pass per phrase
// (internal to the directory module).
//
// SQLite's bm25() scores one row per SQL step: a virtual-table step, an aux-function call and a
// docsize lookup each, about a microsecond a row, and it also walks each phrase's whole doclist
// once to count the rows containing it. For "a"* over 100k services that is 100 ms. Instead, a
// tiny auxiliary function runs once on the first matching row and calls xQueryPhrase for every
// phrase: FTS5 then walks each doclist internally, and for every row we keep its rowid and the
// column-weighted number of times the phrase occurs in it. A query is a list of groups, one per
// word typed, all required; a group is satisfied by any of its phrases (the word as typed, and the
// index's words one letter away from it) or by extra rows the caller supplies (the services of a
// need the word names in another language). The scan keeps the rows satisfying every group; the
// caller takes each row's length from its own cache and computes exactly what bm25() would for the
// same phrases (same constants, same order of floating-point operations; a test checks it).
//
// Thread-safety: one PhraseScanner per connection, used from that connection's thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/database.h"

namespace signpost {

struct PhraseHits {
    std::size_t rowsWithPhrase = 0;  // every row containing the phrase (for its idf)
    // The rows containing this phrase and every phrase walked before it (see scan()), ascending,
    // with the sum of the column weights of the phrase's hits in each.
    std::vector<std::int64_t> rowids;
    std::vector<double> weightedFrequency;
};

struct PhraseScan {
    std::int64_t rowCount = 0;  // rows in the index (bm25's N)
    double averageLength = 0;   // tokens per row, all columns (bm25's avgdl)
    std::vector<PhraseHits> phrases;
    std::vector<std::int64_t> matched;  // rows satisfying every group, ascending
};

// One required part of a query (see above).
struct ScanGroup {
    std::vector<int> phrases;                              // indexes into the expression's phrases
    const std::vector<std::int64_t>* extraRows = nullptr;  // ascending; rows that satisfy it anyway
};

// The FTS table's columns, in order, and their bm25 weights.
inline constexpr std::array<double, 5> kColumnWeights = {10.0, 5.0, 3.0, 1.0, 1.5};

class PhraseScanner {
public:
    // Registers the auxiliary function on `db`'s FTS5. Throws StorageError.
    explicit PhraseScanner(Database& db);
    PhraseScanner(const PhraseScanner&) = delete;
    PhraseScanner& operator=(const PhraseScanner&) = delete;

    // Runs `expression` (an FTS5 MATCH over service_fts, normally all the groups' phrases joined by
    // OR). Returns false, with `into` untouched, when no row matches the expression at all (the
    // caller may still have rows from groups' extraRows). Groups are walked in the order given:
    // the first keeps every row it matches, each later one only the rows every earlier one had,
    // so `into.matched` ends as the rows satisfying them all, and each phrase's hits cover every
    // matched row. Put the most selective group first (a longer prefix usually is). Reuses
    // `into`'s storage. Throws StorageError.
    bool scan(const std::string& expression, const std::vector<ScanGroup>& groups,
              PhraseScan& into);

    struct Target;  // implementation detail (phrase_scan.cpp)

private:
    Target* m_target = nullptr;  // owned by the connection's FTS5 (freed when it closes)
    Statement m_statement;
};

// bm25 for one row, as SQLite's fts5 bm25() computes it: idf[i] from the phrase's row count,
// k1 = 1.2, b = 0.75. Lower (more negative) is better, as in SQLite.
double phraseIdf(std::int64_t rowCount, std::size_t rowsWithPhrase);
double bm25Score(const double* idf, const double* weightedFrequency, std::size_t phrases,
                 double rowLength, double averageLength);

}  // namespace signpost
