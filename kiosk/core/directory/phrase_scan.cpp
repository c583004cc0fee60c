#include "core/directory/phrase_scan.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

#include "core/directory/search_text.h"

namespace signpost {

struct PhraseScanner::Target {
    PhraseScan* scan = nullptr;
    const std::vector<ScanGroup>* groups = nullptr;
};

namespace {

constexpr const char* kFunctionName = "signpost_phrase_scan";

struct PhraseWalk {
    PhraseHits* hits;
    const std::vector<std::int64_t>* keep;  // null: keep every row
    std::size_t cursor = 0;
};

int collectRow(const Fts5ExtensionApi* api, Fts5Context* fts, void* user) {
    auto* walk = static_cast<PhraseWalk*>(user);
    ++walk->hits->rowsWithPhrase;
    const sqlite3_int64 rowid = api->xRowid(fts);
    if (walk->keep != nullptr) {
        // Only rows every earlier phrase had matter beyond the count; both lists ascend.
        const std::vector<std::int64_t>& keep = *walk->keep;
        while (walk->cursor < keep.size() && keep[walk->cursor] < rowid) {
            ++walk->cursor;
        }
        if (walk->cursor == keep.size() || keep[walk->cursor] != rowid) {
            return SQLITE_OK;
        }
    }
    double frequency = 0.0;
    Fts5PhraseIter iterator{};
    int column = -1;
    int offset = -1;
    // In xQueryPhrase's context the query is just this phrase: phrase 0.
    for (api->xPhraseFirst(fts, 0, &iterator, &column, &offset); column >= 0;
         api->xPhraseNext(fts, &iterator, &column, &offset)) {
        frequency += static_cast<std::size_t>(column) < kColumnWeights.size()
                         ? kColumnWeights[static_cast<std::size_t>(column)]
                         : 1.0;
    }
    walk->hits->rowids.push_back(rowid);
    walk->hits->weightedFrequency.push_back(frequency);
    return SQLITE_OK;
}

// Called by FTS5 for matching rows; does all its work on the first and ignores the rest (the
// query has LIMIT 1, so there is no rest).
void scanFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context,
                  int /*argc*/, sqlite3_value** /*argv*/) {
    auto* target = static_cast<PhraseScanner::Target*>(api->xUserData(fts));
    if (target->scan == nullptr) {
        sqlite3_result_null(context);  // called from some other query: nothing to fill
        return;
    }
    PhraseScan& scan = *target->scan;
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) {
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    }
    // As fts5Bm25GetData: an empty index counts as one row.
    scan.rowCount = rows <= 0 ? 1 : rows;
    scan.averageLength = static_cast<double>(tokens) / static_cast<double>(scan.rowCount);
    const int phrases = api->xPhraseCount(fts);
    scan.phrases.resize(static_cast<std::size_t>(std::max(phrases, 0)));
    for (PhraseHits& hits : scan.phrases) {
        hits.rowsWithPhrase = 0;
        hits.rowids.clear();
        hits.weightedFrequency.clear();
    }
    std::vector<std::int64_t> keep;  // rows satisfying every group walked so far
    std::vector<std::int64_t> merged;
    bool first = true;
    for (const ScanGroup& group : *target->groups) {
        std::vector<std::int64_t> groupRows;
        for (const int phrase : group.phrases) {
            if (rc != SQLITE_OK || phrase < 0 || phrase >= phrases) {
                continue;
            }
            PhraseHits& hits = scan.phrases[static_cast<std::size_t>(phrase)];
            merged.clear();
            if (hits.rowsWithPhrase == 0) {
                PhraseWalk walk{&hits, first ? nullptr : &keep};
                rc = api->xQueryPhrase(fts, phrase, &walk, collectRow);
                std::set_union(groupRows.begin(), groupRows.end(), hits.rowids.begin(),
                               hits.rowids.end(), std::back_inserter(merged));
            } else {
                // The same phrase in an earlier group: walked then, against a wider set of rows.
                std::vector<std::int64_t> within;
                std::set_intersection(hits.rowids.begin(), hits.rowids.end(), keep.begin(),
                                      keep.end(), std::back_inserter(within));
                std::set_union(groupRows.begin(), groupRows.end(), within.begin(), within.end(),
                               std::back_inserter(merged));
            }
            groupRows.swap(merged);
        }
        if (group.extraRows != nullptr) {
            merged.clear();
            if (first) {
                std::set_union(groupRows.begin(), groupRows.end(), group.extraRows->begin(),
                               group.extraRows->end(), std::back_inserter(merged));
            } else {
                std::vector<std::int64_t> extra;
                std::set_intersection(group.extraRows->begin(), group.extraRows->end(),
                                      keep.begin(), keep.end(), std::back_inserter(extra));
                std::set_union(groupRows.begin(), groupRows.end(), extra.begin(), extra.end(),
                               std::back_inserter(merged));
            }
            groupRows.swap(merged);
        }
        keep.swap(groupRows);
        first = false;
    }
    scan.matched.swap(keep);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(context, rc);
        return;
    }
    sqlite3_result_int(context, 1);
}

}  // namespace

PhraseScanner::PhraseScanner(Database& db)
    : m_target(new Target()), m_statement([&] {
          fts5_api* api = fts5ApiOf(db.handle());
          const int rc =
              api->xCreateFunction(api, kFunctionName, m_target, scanFunction,
                                   [](void* target) { delete static_cast<Target*>(target); });
          if (rc != SQLITE_OK) {
              delete m_target;
              m_target = nullptr;
              throw StorageError("cannot register the FTS5 phrase scanner", rc, rc);
          }
          return db.prepare(
              "SELECT signpost_phrase_scan(service_fts) FROM service_fts WHERE service_fts MATCH "
              "?1 LIMIT 1");
      }()) {}

bool PhraseScanner::scan(const std::string& expression, const std::vector<ScanGroup>& groups,
                         PhraseScan& into) {
    m_target->scan = &into;
    m_target->groups = &groups;
    m_statement.bind(1, expression);
    bool matched = false;
    try {
        matched = m_statement.step();
    } catch (...) {
        m_statement.reset();
        m_target->scan = nullptr;
        m_target->groups = nullptr;
        throw;
    }
    m_statement.reset();
    m_target->scan = nullptr;
    m_target->groups = nullptr;
    if (matched) {
        // xQueryPhrase visits rows in rowid order; the intersection relies on it, so make sure.
        for (PhraseHits& hits : into.phrases) {
            if (!std::is_sorted(hits.rowids.begin(), hits.rowids.end())) {
                std::vector<std::size_t> order(hits.rowids.size());
                std::iota(order.begin(), order.end(), std::size_t{0});
                std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                    return hits.rowids[a] < hits.rowids[b];
                });
                PhraseHits sorted;
                for (std::size_t i : order) {
                    sorted.rowids.push_back(hits.rowids[i]);
                    sorted.weightedFrequency.push_back(hits.weightedFrequency[i]);
                }
                hits = std::move(sorted);
            }
        }
    }
    return matched;
}

double phraseIdf(std::int64_t rowCount, std::size_t rowsWithPhrase) {
    const auto nRow = static_cast<double>(rowCount);
    const auto nHit = static_cast<double>(rowsWithPhrase);
    double idf = std::log((nRow - nHit + 0.5) / (nHit + 0.5));
    if (idf <= 0.0) {
        idf = 1e-6;
    }
    return idf;
}

double bm25Score(const double* idf, const double* weightedFrequency, std::size_t phrases,
                 double rowLength, double averageLength) {
    const double k1 = 1.2;
    const double b = 0.75;
    double score = 0.0;
    for (std::size_t i = 0; i < phrases; ++i) {
        score += idf[i] * ((weightedFrequency[i] * (k1 + 1.0)) /
                           (weightedFrequency[i] + k1 * (1 - b + b * rowLength / averageLength)));
    }
    return -1.0 * score;
}

}  // namespace signpost
