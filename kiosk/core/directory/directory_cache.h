// Signpost — the directory's in-memory search cache (internal to the directory module).
//
// Everything search needs to filter and present a result without another query: each active
// service's summary fields, areas, needs, languages and packed opening hours, plus its row
// length for bm25. Strings live in one arena and small lists in one pool, about 150 bytes a
// service. Built from one read transaction, so it is a consistent snapshot.
//
// Thread-safety: immutable once built; built and used on the store's thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory/compact_schedule.h"
#include "core/directory/directory_types.h"
#include "core/directory/search_text.h"
#include "core/i18n/i18n.h"
#include "core/storage/database.h"

namespace signpost::directory_detail {

// One active service. Text is in Cache::text; lists (area, need and language indexes) in
// Cache::lists; opening rules in Cache::rules.
struct CachedService {
    std::int64_t rowid = 0;
    std::uint32_t idOffset = 0, nameOffset = 0, costOffset = 0;
    std::uint16_t idLength = 0, nameLength = 0, costLength = 0;
    std::uint32_t organisation = 0;  // index into Cache::organisationNames
    std::uint32_t nameRank = 0;      // position in name order (browse order, rank tie-break)
    std::uint32_t tokenCount = 0;    // tokens indexed for it, all columns (bm25's row length)
    std::uint32_t areaBegin = 0, needBegin = 0, languageBegin = 0, ruleBegin = 0;
    std::uint16_t areaCount = 0, needCount = 0, languageCount = 0, ruleCount = 0;
    AttendingAccess access = AttendingAccess::Unknown;
    bool cityWide = false;
    bool isFree = true;
    bool costKnown = true;
    bool acceptsReferrals = true;
};

// A need's single words for "did you mean" suggestions: folded words of its name, code and
// keywords in the directory, and of its tile name and need words in every language's texts.
struct SuggestWords {
    std::string code;
    std::vector<std::string> words;
};

// A need's name, keyword or synonym as folded tokens (stop words removed), for matching a query.
struct NeedPhrase {
    std::uint16_t need = 0;           // index into Cache::needCodes
    bool fromTexts = false;           // from the language files (else the directory's own words)
    std::vector<std::string> tokens;  // {"samotnosc"}, {"mental", "health"}, {"孤独"}
};

// Words packed back to back, for the index's vocabulary: sorted, binary-searchable.
struct WordList {
    std::string text;
    std::vector<std::uint32_t> ends;  // word i is text[ends[i-1] (or 0), ends[i])
    std::size_t size() const { return ends.size(); }
    std::string_view at(std::size_t i) const {
        const std::uint32_t begin = i == 0 ? 0 : ends[i - 1];
        return std::string_view(text).substr(begin, ends[i] - begin);
    }
    // First word not less than `key`.
    std::size_t lowerBound(std::string_view key) const {
        std::size_t low = 0;
        std::size_t high = size();
        while (low < high) {
            const std::size_t middle = (low + high) / 2;
            if (at(middle) < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
    bool anyStartsWith(std::string_view prefix) const {
        const std::size_t at0 = lowerBound(prefix);
        return at0 < size() && at(at0).substr(0, prefix.size()) == prefix;
    }
};

struct Cache {
    std::vector<CachedService> services;  // ordered by rowid
    std::vector<std::uint32_t> byName;    // indexes into services, in name order
    // rowid -> index into services; kNone if absent. Dense because SQLite assigns row ids
    // densely; a sparse file falls back to binary search over `services` (ordered by rowid).
    std::vector<std::uint32_t> byRowid;
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::string text;                  // ids, names and cost lines, back to back
    std::vector<std::uint16_t> lists;  // per-service runs of area/need/language indexes
    std::vector<CompactRule> rules;    // per-service runs of packed opening rules
    std::vector<std::string> organisationNames;
    std::vector<std::string> areaNames;               // neighbourhood names as the data spells them
    std::vector<std::string> areaKeys;                // the same, folded for matching a filter
    std::vector<std::string> needCodes;               // need index -> code
    std::vector<std::string> languageCodes;           // language index -> ISO code
    std::vector<SuggestWords> needWords;              // for "no results" suggestions, in need order
    std::vector<NeedPhrase> needPhrases;              // every need's words, for matching queries
    std::vector<std::vector<std::int64_t>> needRows;  // per need index: its active services' rowids
    // The index's words (not Chinese bigrams), for one-letter slips: sorted, and each reversed
    // (code point order) and sorted, to find words sharing an ending.
    WordList terms;
    WordList reversedTerms;

    std::uint32_t indexOf(std::int64_t rowid) const {
        if (!byRowid.empty()) {
            return rowid >= 0 && static_cast<std::uint64_t>(rowid) < byRowid.size()
                       ? byRowid[static_cast<std::size_t>(rowid)]
                       : kNone;
        }
        auto it =
            std::lower_bound(services.begin(), services.end(), rowid,
                             [](const CachedService& s, std::int64_t id) { return s.rowid < id; });
        return it != services.end() && it->rowid == rowid
                   ? static_cast<std::uint32_t>(it - services.begin())
                   : kNone;
    }
    void indexRowids() {
        const std::int64_t maxRowid = services.empty() ? 0 : services.back().rowid;
        if (maxRowid > static_cast<std::int64_t>(4 * services.size() + 65536)) {
            return;
        }
        byRowid.assign(static_cast<std::size_t>(maxRowid) + 1, kNone);
        for (std::uint32_t i = 0; i < services.size(); ++i) {
            byRowid[static_cast<std::size_t>(services[i].rowid)] = i;
        }
    }
    std::string_view textAt(std::uint32_t offset, std::uint16_t length) const {
        return std::string_view(text).substr(offset, length);
    }
    bool listContains(std::uint32_t begin, std::uint16_t count, std::uint16_t value) const {
        const auto* first = lists.data() + begin;
        return std::find(first, first + count, value) != first + count;
    }
};

// Reads every active service into a new cache, with `translated` need words (I18n::needWords())
// beside the directory's own. Throws StorageError.
std::unique_ptr<Cache> loadCache(Database& db, const SearchTokenizer& tokenizer,
                                 const std::vector<NeedWords>& translated);

// `text` reversed by code point ("abc" -> "cba"), for WordList suffix lookups.
std::string reversedCodePoints(std::string_view text);

}  // namespace signpost::directory_detail
