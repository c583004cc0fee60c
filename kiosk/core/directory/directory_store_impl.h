// Signpost — the private state of a DirectoryStore (internal to the directory module), shared by
// the files that implement the class: directory_store.cpp (opening, the schema, writes and
// reads), directory_search.cpp (search: filters, ranking by bm25, need suggestions) and
// directory_recovery.cpp (checking a file and rebuilding it from the bundle). Nothing outside
// those three files includes it.
//
// Thread-safety: as DirectoryStore — one thread owns a store and its Impl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/directory/directory_cache.h"
#include "core/directory/directory_store.h"
#include "core/directory/phrase_scan.h"
#include "core/directory/search_plan.h"
#include "core/directory/search_text.h"

namespace signpost {

struct DirectoryStore::Impl {
    Database db;
    TimeZone zone;
    SearchTokenizer tokenizer;
    PhraseScanner scanner;
    PhraseScan scan;  // reused between searches
    // A ranked match; kept between searches so a broad query does not allocate megabytes anew.
    struct Ranked {
        double score;
        std::uint32_t nameRank;
        std::uint32_t index;
        bool operator<(const Ranked& other) const {
            return std::tie(score, nameRank) < std::tie(other.score, other.nameRank);
        }
    };
    std::vector<Ranked> rankedScratch;
    std::optional<Statement> dataVersionStatement;
    std::int64_t dataVersion = -1;
    std::unique_ptr<directory_detail::Cache> cache;
    std::vector<NeedWords> translatedNeedWords;  // setNeedWords()

    Impl(const std::string& path, const TimeZone& timeZone)
        : db(openDatabase(path)), zone(timeZone), tokenizer(db.handle()), scanner(db) {}

    // Opens `path`, creating the schema in a new database; refuses another application's
    // database or another schema version (StorageError, SQLITE_MISMATCH). directory_store.cpp.
    static Database openDatabase(const std::string& path);
    // PRAGMA data_version: changes when another connection commits. directory_store.cpp.
    std::int64_t currentDataVersion();
    // The search cache, loaded on first use after a write. directory_store.cpp.
    const directory_detail::Cache& ensureCache();

    // Every match of `plan` that `passes`, ranked by bm25, at most `limit`; `totalMatches` counts
    // them all. Defined (and only instantiated) in directory_search.cpp.
    template <class Passes>
    std::vector<std::uint32_t> rankMatches(const directory_detail::Cache& c,
                                           const directory_detail::QueryPlan& plan,
                                           const Passes& passes, std::size_t limit,
                                           std::size_t& totalMatches);
    // Need codes whose words are close to `words` (exact, prefix, a slip), best first, at most
    // four. directory_search.cpp.
    std::vector<std::string> suggestNeeds(const directory_detail::Cache& c,
                                          const std::vector<std::string>& words) const;
};

}  // namespace signpost
