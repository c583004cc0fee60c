#include "core/directory/directory_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/compact_schedule.h"
#include "core/directory/hsds_import.h"
#include "core/directory/phrase_scan.h"
#include "core/directory/schedule.h"
#include "core/directory/search_text.h"

namespace signpost {

namespace {

// Bump when the schema or foldLetters() changes: an older file is then rebuilt from the bundle.
constexpr int kSchemaVersion = 1;
constexpr std::string_view kNeedsVocabulary = "signpost-needs";
constexpr char kKeywordSeparator = '\x1f';
constexpr std::size_t kMaxSuggestions = 4;

// One table per HSDS object. Services have an integer row_id (the FTS rowid) and their child rows
// hang off it with ON DELETE CASCADE, so replacing a service is delete + insert with the same id.
// The FTS table is contentless: the text it indexed is kept (or re-derivable) in `services`, which
// is what FTS5 needs to delete a row, and what the kiosk needs anyway.
constexpr const char* kSchema = R"sql(
CREATE TABLE directory_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
CREATE TABLE locations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    address_1 TEXT NOT NULL DEFAULT '',
    address_2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    transportation TEXT NOT NULL DEFAULT ''
);
CREATE TABLE location_accessibility (
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (location_id, position)
) WITHOUT ROWID;
CREATE TABLE taxonomy_terms (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    parent_id TEXT NOT NULL DEFAULT '',
    taxonomy TEXT NOT NULL DEFAULT '',
    term_uri TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE services (
    row_id INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    eligibility_description TEXT NOT NULL DEFAULT '',
    application_process TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    attending_types INTEGER NOT NULL,
    attending_access TEXT NOT NULL DEFAULT '',
    is_free INTEGER NOT NULL,
    cost_description TEXT NOT NULL DEFAULT '',
    minimum_age INTEGER,
    maximum_age INTEGER,
    assured_date TEXT,
    accepts_referrals INTEGER NOT NULL,
    sort_key TEXT NOT NULL,
    indexed INTEGER NOT NULL,
    indexed_tokens INTEGER NOT NULL,
    indexed_needs TEXT NOT NULL,
    indexed_organisation TEXT NOT NULL,
    indexed_places TEXT NOT NULL
);
CREATE INDEX services_by_organization ON services(organization_id);
CREATE TABLE service_at_locations (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    location_id TEXT NOT NULL REFERENCES locations(id),
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE INDEX service_at_locations_by_location ON service_at_locations(location_id);
CREATE TABLE phones (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE TABLE schedules (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    freq TEXT NOT NULL,
    byday TEXT NOT NULL DEFAULT '',
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE TABLE service_taxonomy (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    term_id TEXT NOT NULL REFERENCES taxonomy_terms(id),
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE INDEX service_taxonomy_by_term ON service_taxonomy(term_id);
CREATE TABLE service_languages (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE TABLE service_areas (
    service_row INTEGER NOT NULL REFERENCES services(row_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    extent_type TEXT NOT NULL,
    PRIMARY KEY (service_row, position)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE service_fts USING fts5(
    name, needs, organisation, description, places,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
)sql";

std::string joinKeywords(const std::vector<std::string>& keywords) {
    std::string joined;
    for (const std::string& keyword : keywords) {
        if (!joined.empty()) {
            joined += kKeywordSeparator;
        }
        joined += keyword;
    }
    return joined;
}

std::vector<std::string> splitKeywords(std::string_view joined) {
    std::vector<std::string> keywords;
    while (!joined.empty()) {
        const std::size_t at = joined.find(kKeywordSeparator);
        keywords.emplace_back(joined.substr(0, at));
        if (at == std::string_view::npos) {
            break;
        }
        joined.remove_prefix(at + 1);
    }
    return keywords;
}

void bindOptionalDate(Statement& statement, int index, const std::optional<CivilDate>& date) {
    if (date) {
        statement.bind(index, formatCivilDate(*date));
    } else {
        statement.bindNull(index);
    }
}

std::optional<CivilDate> columnDate(const Statement& statement, int column) {
    if (statement.isNull(column)) {
        return std::nullopt;
    }
    return parseCivilDate(statement.columnTextView(column));
}

std::string recordName(std::size_t index, const std::string& id) {
    return "services[" + std::to_string(index) + "] (id \"" + id + "\")";
}

void appendWords(std::string& into, std::string_view words) {
    if (words.empty()) {
        return;
    }
    if (!into.empty()) {
        into += ' ';
    }
    into += words;
}

bool isFileDatabase(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file::memory:", 0) != 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The in-memory cache: everything search needs to filter and present a result without another
// query. Strings live in one arena and small lists in one pool to keep 10k services near 1 MB.
// ---------------------------------------------------------------------------------------------

namespace {

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
    bool acceptsReferrals = true;
};

struct NeedWords {
    std::string code;
    std::vector<std::string> words;  // folded words of its name, code and keywords
};

struct Cache {
    std::vector<CachedService> services;
    std::vector<std::uint32_t> byName;
    // rowid -> index into services; kNone if absent. Dense because SQLite assigns row ids
    // densely; a sparse file falls back to binary search over `services` (ordered by rowid).
    std::vector<std::uint32_t> byRowid;
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::string text;
    std::vector<std::uint16_t> lists;
    std::vector<CompactRule> rules;
    std::vector<std::string> organisationNames;
    std::vector<std::string> areaNames;
    std::vector<std::string> areaKeys;
    std::vector<std::string> needCodes;
    std::vector<std::string> languageCodes;
    std::vector<NeedWords> needWords;

    std::uint32_t indexOf(std::int64_t rowid) const {
        if (!byRowid.empty()) {
            return rowid >= 0 && static_cast<std::uint64_t>(rowid) < byRowid.size()
                       ? byRowid[static_cast<std::size_t>(rowid)]
                       : kNone;
        }
        auto it = std::lower_bound(services.begin(), services.end(), rowid,
                                   [](const CachedService& s, std::int64_t id) { return s.rowid < id; });
        return it != services.end() && it->rowid == rowid ? static_cast<std::uint32_t>(it - services.begin()) : kNone;
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

template <class Map>
std::uint16_t internIndex(Map& indexes, std::vector<std::string>& values, const std::string& value) {
    auto [it, inserted] = indexes.emplace(value, static_cast<std::uint16_t>(values.size()));
    if (inserted) {
        if (values.size() >= std::numeric_limits<std::uint16_t>::max()) {
            throw StorageError("directory has too many distinct areas, needs or languages", SQLITE_TOOBIG,
                               SQLITE_TOOBIG);
        }
        values.push_back(value);
    }
    return it->second;
}

std::uint16_t checkedLength(std::size_t length) {
    return static_cast<std::uint16_t>(std::min<std::size_t>(length, std::numeric_limits<std::uint16_t>::max()));
}

}  // namespace

struct DirectoryStore::Impl {
    Database db;
    TimeZone zone;
    SearchTokenizer tokenizer;
    PhraseScanner scanner;
    PhraseScan scan;  // reused between searches
    std::optional<Statement> dataVersionStatement;
    std::int64_t dataVersion = -1;
    std::unique_ptr<Cache> cache;

    Impl(const std::string& path, const TimeZone& timeZone)
        : db(openDatabase(path)), zone(timeZone), tokenizer(db.handle()), scanner(db) {}

    static Database openDatabase(const std::string& path) {
        Database database(path);
        if (isFileDatabase(path)) {
            // WAL lets the UI read while the sync thread writes. NORMAL is enough: the directory is
            // not precious, a lost last update is fetched again.
            Statement mode = database.prepare("PRAGMA journal_mode = WAL");
            mode.step();
            database.exec("PRAGMA synchronous = NORMAL");
        }
        const int version = database.userVersion();
        if (version == 0) {
            Statement tables = database.prepare("SELECT count(*) FROM sqlite_schema");
            tables.step();
            if (tables.columnInt64(0) != 0) {
                throw StorageError(path + " is a database, but not a Signpost directory", SQLITE_MISMATCH,
                                   SQLITE_MISMATCH);
            }
            Transaction transaction(database);
            database.exec(kSchema);
            database.setUserVersion(kSchemaVersion);
            transaction.commit();
        } else if (version != kSchemaVersion) {
            throw StorageError(path + " has directory schema " + std::to_string(version) + ", this build reads " +
                                   std::to_string(kSchemaVersion),
                               SQLITE_MISMATCH, SQLITE_MISMATCH);
        }
        return database;
    }

    std::int64_t currentDataVersion() {
        if (!dataVersionStatement) {
            dataVersionStatement.emplace(db.prepare("PRAGMA data_version"));
        }
        dataVersionStatement->step();
        const std::int64_t value = dataVersionStatement->columnInt64(0);
        dataVersionStatement->reset();
        return value;
    }

    const Cache& ensureCache() {
        if (!cache) {
            dataVersion = currentDataVersion();
            cache = loadCache();
        }
        return *cache;
    }

    template <class Passes>
    std::vector<std::uint32_t> rankMatches(const Cache& c, const std::string& expression,
                                           const std::vector<std::string>& words, const Passes& passes,
                                           std::size_t limit, std::size_t& totalMatches);

    std::unique_ptr<Cache> loadCache();
    std::vector<std::string> suggestNeeds(const Cache& c, const std::vector<std::string>& words) const;
};

std::unique_ptr<Cache> DirectoryStore::Impl::loadCache() {
    auto c = std::make_unique<Cache>();
    // A read transaction: the cache is one consistent snapshot even if the sync thread commits.
    Transaction snapshot(db, TransactionMode::Deferred);

    std::unordered_map<std::string, std::uint32_t> organisationIndex;
    {
        Statement rows = db.prepare("SELECT id, name FROM organizations");
        while (rows.step()) {
            organisationIndex.emplace(rows.columnText(0), static_cast<std::uint32_t>(c->organisationNames.size()));
            c->organisationNames.push_back(rows.columnText(1));
        }
    }
    std::vector<std::string> sortKeys;
    {
        Statement rows = db.prepare(
            "SELECT row_id, id, name, organization_id, is_free, cost_description, attending_access, "
            "accepts_referrals, sort_key, indexed_tokens FROM services WHERE status = 'active' ORDER BY row_id");
        while (rows.step()) {
            CachedService s;
            s.rowid = rows.columnInt64(0);
            auto put = [&](int column, std::uint32_t& offset, std::uint16_t& length) {
                std::string_view value = rows.columnTextView(column);
                offset = static_cast<std::uint32_t>(c->text.size());
                length = checkedLength(value.size());
                c->text.append(value.substr(0, length));
            };
            put(1, s.idOffset, s.idLength);
            put(2, s.nameOffset, s.nameLength);
            put(5, s.costOffset, s.costLength);
            auto org = organisationIndex.find(rows.columnText(3));
            s.organisation = org != organisationIndex.end() ? org->second : 0;
            s.isFree = rows.columnInt(4) != 0;
            s.access = parseAttendingAccess(rows.columnTextView(6)).value_or(AttendingAccess::Unknown);
            s.acceptsReferrals = rows.columnInt(7) != 0;
            s.tokenCount = static_cast<std::uint32_t>(rows.columnInt64(9));
            c->services.push_back(s);
            sortKeys.push_back(rows.columnText(8));
        }
    }
    c->indexRowids();
    c->byName.resize(c->services.size());
    for (std::uint32_t i = 0; i < c->byName.size(); ++i) {
        c->byName[i] = i;
    }
    std::sort(c->byName.begin(), c->byName.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::tie(sortKeys[a], a) < std::tie(sortKeys[b], b);
    });
    for (std::uint32_t rank = 0; rank < c->byName.size(); ++rank) {
        c->services[c->byName[rank]].nameRank = rank;
    }

    // Child lists arrive ordered by service, so each service's entries are contiguous.
    auto forEachChild = [&](const char* sql, auto&& add) {
        Statement rows = db.prepare(sql);
        while (rows.step()) {
            const std::uint32_t index = c->indexOf(rows.columnInt64(0));
            if (index != Cache::kNone) {
                add(c->services[index], rows);
            }
        }
    };
    std::unordered_map<std::string, std::uint16_t> areaIndex;
    forEachChild("SELECT service_row, name, extent_type FROM service_areas ORDER BY service_row, position",
                 [&](CachedService& s, const Statement& row) {
                     if (row.columnTextView(2) == "city") {
                         s.cityWide = true;
                         return;
                     }
                     const std::uint16_t index = internIndex(areaIndex, c->areaNames, row.columnText(1));
                     if (s.areaCount == 0) {
                         s.areaBegin = static_cast<std::uint32_t>(c->lists.size());
                     }
                     c->lists.push_back(index);
                     ++s.areaCount;
                 });
    for (CachedService& s : c->services) {
        // A service that names no area at all serves everyone: it shows under every neighbourhood.
        if (s.areaCount == 0) {
            s.cityWide = true;
        }
    }
    for (const std::string& name : c->areaNames) {
        c->areaKeys.push_back(tokenizer.foldedKey(name));
    }
    std::unordered_map<std::string, std::uint16_t> needIndex;
    {
        Statement rows = db.prepare(
            "SELECT code, name, keywords FROM taxonomy_terms WHERE taxonomy = ?1 ORDER BY position");
        rows.bind(1, kNeedsVocabulary);
        while (rows.step()) {
            const std::string code = rows.columnText(0);
            internIndex(needIndex, c->needCodes, code);
            NeedWords need{code, {}};
            std::string source = rows.columnText(1) + " " + code;
            for (const std::string& keyword : splitKeywords(rows.columnTextView(2))) {
                source += " " + keyword;
            }
            for (SearchToken& token : tokenizer.tokens(source)) {
                if (std::find(need.words.begin(), need.words.end(), token.text) == need.words.end()) {
                    need.words.push_back(std::move(token.text));
                }
            }
            c->needWords.push_back(std::move(need));
        }
    }
    {
        Statement rows = db.prepare(
            "SELECT st.service_row, t.code FROM service_taxonomy st JOIN taxonomy_terms t ON t.id = st.term_id "
            "WHERE t.taxonomy = ?1 ORDER BY st.service_row, st.position");
        rows.bind(1, kNeedsVocabulary);
        while (rows.step()) {
            const std::uint32_t index = c->indexOf(rows.columnInt64(0));
            if (index == Cache::kNone) {
                continue;
            }
            CachedService& s = c->services[index];
            if (s.needCount == 0) {
                s.needBegin = static_cast<std::uint32_t>(c->lists.size());
            }
            c->lists.push_back(internIndex(needIndex, c->needCodes, rows.columnText(1)));
            ++s.needCount;
        }
    }
    std::unordered_map<std::string, std::uint16_t> languageIndex;
    forEachChild("SELECT service_row, code FROM service_languages ORDER BY service_row, position",
                 [&](CachedService& s, const Statement& row) {
                     if (s.languageCount == 0) {
                         s.languageBegin = static_cast<std::uint32_t>(c->lists.size());
                     }
                     c->lists.push_back(internIndex(languageIndex, c->languageCodes, row.columnText(1)));
                     ++s.languageCount;
                 });
    forEachChild(
        "SELECT service_row, freq, byday, opens_at, closes_at, valid_from, valid_to FROM schedules "
        "ORDER BY service_row, position",
        [&](CachedService& s, const Statement& row) {
            ScheduleRule rule;
            try {
                rule.frequency = parseFrequency(row.columnTextView(1));
                rule.byDays = parseByDay(row.columnTextView(2));
            } catch (const std::invalid_argument&) {
                return;  // written by this class from parsed values; unreadable means tampering
            }
            rule.opensAtMinutes = row.columnInt(3);
            rule.closesAtMinutes = row.columnInt(4);
            rule.validFrom = columnDate(row, 5);
            rule.validTo = columnDate(row, 6);
            if (s.ruleCount == 0) {
                s.ruleBegin = static_cast<std::uint32_t>(c->rules.size());
            }
            const std::size_t before = c->rules.size();
            appendCompactRules(rule, c->rules);
            s.ruleCount = static_cast<std::uint16_t>(s.ruleCount + (c->rules.size() - before));
        });
    snapshot.commit();
    c->text.shrink_to_fit();
    c->lists.shrink_to_fit();
    c->rules.shrink_to_fit();
    return c;
}

// Every match of every word, intersected, filtered and ranked by bm25 (see phrase_scan.h for why
// this is not SQLite's bm25() function, and why it gives the same scores). Cost grows with the
// doclists' lengths at a few nanoseconds a row, so a single letter over 100k services is fine.
template <class Passes>
std::vector<std::uint32_t> DirectoryStore::Impl::rankMatches(const Cache& c, const std::string& expression,
                                                            const std::vector<std::string>& words,
                                                            const Passes& passes, std::size_t limit,
                                                            std::size_t& totalMatches) {
    totalMatches = 0;
    // Longest word first: it is usually the rarest, and later walks then record only its rows.
    std::vector<int> walkOrder(words.size());
    std::iota(walkOrder.begin(), walkOrder.end(), 0);
    std::stable_sort(walkOrder.begin(), walkOrder.end(), [&](int a, int b) {
        return words[static_cast<std::size_t>(a)].size() > words[static_cast<std::size_t>(b)].size();
    });
    if (!scanner.scan(expression, walkOrder, scan) || scan.phrases.empty()) {
        return {};
    }
    const std::size_t phraseCount = scan.phrases.size();
    std::vector<double> idf(phraseCount);
    std::size_t driver = 0;
    for (std::size_t p = 0; p < phraseCount; ++p) {
        idf[p] = phraseIdf(scan.rowCount, scan.phrases[p].rowsWithPhrase);
        if (scan.phrases[p].rowids.size() < scan.phrases[driver].rowids.size()) {
            driver = p;
        }
    }
    struct Ranked {
        double score;
        std::uint32_t nameRank;
        std::uint32_t index;
        bool operator<(const Ranked& other) const {
            return std::tie(score, nameRank) < std::tie(other.score, other.nameRank);
        }
    };
    std::vector<Ranked> ranked;
    std::vector<std::size_t> cursor(phraseCount, 0);
    std::vector<double> frequency(phraseCount, 0.0);
    const PhraseHits& lead = scan.phrases[driver];
    bool exhausted = false;
    // Walk the shortest list; find each of its rows in the others (all lists ascend).
    for (std::size_t r = 0; r < lead.rowids.size() && !exhausted; ++r) {
        const std::int64_t rowid = lead.rowids[r];
        bool inAll = true;
        for (std::size_t p = 0; p < phraseCount && inAll; ++p) {
            if (p == driver) {
                frequency[p] = lead.weightedFrequency[r];
                continue;
            }
            const std::vector<std::int64_t>& ids = scan.phrases[p].rowids;
            auto at = std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(cursor[p]), ids.end(), rowid);
            cursor[p] = static_cast<std::size_t>(at - ids.begin());
            if (at == ids.end()) {
                exhausted = true;
                inAll = false;
            } else if (*at != rowid) {
                inAll = false;
            } else {
                frequency[p] = scan.phrases[p].weightedFrequency[cursor[p]];
            }
        }
        if (!inAll) {
            continue;
        }
        const std::uint32_t index = c.indexOf(rowid);
        if (index == Cache::kNone || !passes(c.services[index])) {
            continue;
        }
        const CachedService& s = c.services[index];
        ranked.push_back({bm25Score(idf.data(), frequency.data(), phraseCount, static_cast<double>(s.tokenCount),
                                    scan.averageLength),
                          s.nameRank, index});
    }
    totalMatches = ranked.size();
    const std::size_t keep = std::min(ranked.size(), limit);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
    std::vector<std::uint32_t> chosen;
    chosen.reserve(keep);
    for (std::size_t i = 0; i < keep; ++i) {
        chosen.push_back(ranked[i].index);
    }
    return chosen;
}

std::vector<std::string> DirectoryStore::Impl::suggestNeeds(const Cache& c,
                                                            const std::vector<std::string>& words) const {
    struct Scored {
        int score;
        std::size_t order;
        const std::string* code;
    };
    std::vector<Scored> scored;
    for (std::size_t n = 0; n < c.needWords.size(); ++n) {
        int best = 0;
        int matchedWords = 0;
        for (const std::string& typed : words) {
            int bestForWord = 0;
            for (const std::string& word : c.needWords[n].words) {
                int score = 0;
                if (typed == word) {
                    score = 100;
                } else if (typed.size() >= 3 && word.rfind(typed, 0) == 0) {
                    score = 80;  // still typing it: "lonel" -> "lonely"
                } else if (word.size() >= 4 && typed.rfind(word, 0) == 0) {
                    score = 70;  // a longer form: "debts" -> "debt"
                } else if (typed.size() >= 4) {
                    const int limit = typed.size() >= 7 ? 2 : 1;
                    const int distance = editDistance(typed, word, limit);
                    if (distance <= limit) {
                        score = 60 - 10 * distance;  // a slip: "lonley" -> "lonely"
                    } else if (typed.size() < word.size()) {
                        // A slip in a word still being typed: compare with the word's start.
                        const int prefixDistance = editDistance(typed, std::string_view(word).substr(0, typed.size()), 1);
                        if (prefixDistance <= 1) {
                            score = 40;
                        }
                    }
                }
                bestForWord = std::max(bestForWord, score);
            }
            if (bestForWord > 0) {
                ++matchedWords;
                best = std::max(best, bestForWord);
            }
        }
        if (best > 0) {
            scored.push_back({best + 5 * (matchedWords - 1), n, &c.needWords[n].code});
        }
    }
    std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        return std::tie(b.score, a.order) < std::tie(a.score, b.order);
    });
    std::vector<std::string> codes;
    for (const Scored& entry : scored) {
        if (codes.size() == kMaxSuggestions) {
            break;
        }
        codes.push_back(*entry.code);
    }
    return codes;
}

// ---------------------------------------------------------------------------------------------
// Writing: one Writer per transaction, with lookups memoised (a 100k import resolves the same
// organisations and needs many times).
// ---------------------------------------------------------------------------------------------

namespace {

struct IndexedText {
    std::string needs;
    std::string organisation;
    std::string places;
};

// Tokens FTS5 indexes for one row, all columns: bm25's row length, kept with the row.
std::int64_t indexedTokens(const SearchTokenizer& tokenizer, const std::string& foldedName,
                           const IndexedText& indexed, const std::string& foldedDescription) {
    return static_cast<std::int64_t>(tokenizer.countTokens(foldedName) + tokenizer.countTokens(indexed.needs) +
                                     tokenizer.countTokens(indexed.organisation) +
                                     tokenizer.countTokens(foldedDescription) + tokenizer.countTokens(indexed.places));
}

class Writer {
public:
    Writer(Database& db, const SearchTokenizer& tokenizer)
        : m_db(db),
          m_tokenizer(tokenizer),
          m_insertService(db.prepare(
              "INSERT INTO services (row_id, id, organization_id, name, description, eligibility_description, "
              "application_process, url, email, status, attending_types, attending_access, is_free, "
              "cost_description, minimum_age, maximum_age, assured_date, accepts_referrals, sort_key, indexed, "
              "indexed_needs, indexed_organisation, indexed_places, indexed_tokens) VALUES (?1, ?2, ?3, ?4, ?5, "
              "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)")),
          m_insertLocation(db.prepare("INSERT INTO service_at_locations (service_row, position, location_id) "
                                      "VALUES (?1, ?2, ?3)")),
          m_insertPhone(db.prepare("INSERT INTO phones (service_row, position, number, description) "
                                   "VALUES (?1, ?2, ?3, ?4)")),
          m_insertSchedule(db.prepare(
              "INSERT INTO schedules (service_row, position, freq, byday, opens_at, closes_at, valid_from, "
              "valid_to, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
          m_insertTerm(db.prepare("INSERT INTO service_taxonomy (service_row, position, term_id) "
                                  "VALUES (?1, ?2, ?3)")),
          m_insertLanguage(db.prepare("INSERT INTO service_languages (service_row, position, code) "
                                      "VALUES (?1, ?2, ?3)")),
          m_insertArea(db.prepare("INSERT INTO service_areas (service_row, position, name, extent_type) "
                                  "VALUES (?1, ?2, ?3, ?4)")),
          m_insertFts(db.prepare("INSERT INTO service_fts (rowid, name, needs, organisation, description, "
                                 "places) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
          m_deleteFts(db.prepare("INSERT INTO service_fts (service_fts, rowid, name, needs, organisation, "
                                 "description, places) VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)")),
          m_findOrganisation(db.prepare("SELECT name FROM organizations WHERE id = ?1")),
          m_findNeed(db.prepare("SELECT id, name, keywords FROM taxonomy_terms WHERE taxonomy = ?1 AND code = ?2")),
          m_findLocation(db.prepare(
              "SELECT name, address_1, address_2, postal_code FROM locations WHERE id = ?1")) {}

    // Inserts `service` (as row `rowid`, or a new row when 0) with its children and index entry.
    std::int64_t insert(const Service& service, std::int64_t rowid, const std::string& record) {
        const std::string* organisationName = organisation(service.organisationId);
        if (organisationName == nullptr) {
            throw ImportError(record, "organization_id: no organization with id \"" + service.organisationId + "\"");
        }
        std::vector<std::string> termIds;
        for (const std::string& code : service.needCodes) {
            const NeedInfo* need = this->need(code);
            if (need == nullptr) {
                throw ImportError(record, "needCodes: no need with code \"" + code + "\"");
            }
            termIds.push_back(need->id);
        }
        for (const std::string& locationId : service.locationIds) {
            if (location(locationId) == nullptr) {
                throw ImportError(record, "location_id: no location with id \"" + locationId + "\"");
            }
        }
        std::vector<std::string> areaNames;
        for (const ServiceArea& area : service.serviceAreas) {
            areaNames.push_back(area.name);
        }
        const IndexedText indexed = indexedText(*organisationName, service.needCodes, areaNames, service.locationIds);
        const bool active = service.status == ServiceStatus::Active;
        const std::string foldedName = foldLetters(service.name);
        const std::string foldedDescription = foldLetters(service.description);

        Statement& s = m_insertService;
        if (rowid != 0) {
            s.bind(1, rowid);
        } else {
            s.bindNull(1);
        }
        s.bind(2, service.id).bind(3, service.organisationId).bind(4, service.name).bind(5, service.description);
        s.bind(6, service.eligibility).bind(7, service.applicationProcess).bind(8, service.url).bind(9, service.email);
        s.bind(10, toHsds(service.status)).bind(11, static_cast<std::int64_t>(service.attendingTypes));
        s.bind(12, toHsds(service.attendingAccess)).bind(13, service.isFree ? 1 : 0).bind(14, service.costDescription);
        if (service.minimumAge) {
            s.bind(15, *service.minimumAge);
        } else {
            s.bindNull(15);
        }
        if (service.maximumAge) {
            s.bind(16, *service.maximumAge);
        } else {
            s.bindNull(16);
        }
        bindOptionalDate(s, 17, service.lastChecked);
        s.bind(18, service.acceptsReferrals ? 1 : 0).bind(19, m_tokenizer.foldedKey(service.name));
        s.bind(20, active ? 1 : 0).bind(21, indexed.needs).bind(22, indexed.organisation).bind(23, indexed.places);
        s.bind(24, indexedTokens(m_tokenizer, foldedName, indexed, foldedDescription));
        s.run();
        const std::int64_t row = m_db.lastInsertRowId();

        for (std::size_t i = 0; i < service.locationIds.size(); ++i) {
            m_insertLocation.bindAll(row, static_cast<std::int64_t>(i), service.locationIds[i]).run();
        }
        for (std::size_t i = 0; i < service.phones.size(); ++i) {
            m_insertPhone.bindAll(row, static_cast<std::int64_t>(i), service.phones[i].number, service.phones[i].description)
                .run();
        }
        for (std::size_t i = 0; i < service.schedules.size(); ++i) {
            const ScheduleRule& rule = service.schedules[i];
            m_insertSchedule.bindAll(row, static_cast<std::int64_t>(i), formatFrequency(rule.frequency),
                                     formatByDay(rule.byDays), rule.opensAtMinutes, rule.closesAtMinutes);
            bindOptionalDate(m_insertSchedule, 7, rule.validFrom);
            bindOptionalDate(m_insertSchedule, 8, rule.validTo);
            m_insertSchedule.bind(9, rule.description).run();
        }
        for (std::size_t i = 0; i < termIds.size(); ++i) {
            m_insertTerm.bindAll(row, static_cast<std::int64_t>(i), termIds[i]).run();
        }
        for (std::size_t i = 0; i < service.languages.size(); ++i) {
            m_insertLanguage.bindAll(row, static_cast<std::int64_t>(i), service.languages[i]).run();
        }
        for (std::size_t i = 0; i < service.serviceAreas.size(); ++i) {
            m_insertArea.bindAll(row, static_cast<std::int64_t>(i), service.serviceAreas[i].name,
                                 service.serviceAreas[i].extentType)
                .run();
        }
        if (active) {
            m_insertFts.bindAll(row, foldedName, indexed.needs, indexed.organisation, foldedDescription, indexed.places)
                .run();
        }
        return row;
    }

    // Removes a service row (children cascade) and its index entry. Returns false if absent.
    bool remove(std::int64_t rowid) {
        if (!removeFromIndex(rowid)) {
            return false;
        }
        Statement erase = m_db.prepare("DELETE FROM services WHERE row_id = ?1");
        erase.bind(1, rowid).run();
        return true;
    }

    // Recomputes a service's index entry after its organisation, needs or locations changed.
    void reindex(std::int64_t rowid) {
        Statement row = m_db.prepare(
            "SELECT name, description, organization_id, status, indexed, indexed_needs, indexed_organisation, "
            "indexed_places FROM services WHERE row_id = ?1");
        row.bind(1, rowid);
        if (!row.step()) {
            return;
        }
        const std::string name = row.columnText(0);
        const std::string description = row.columnText(1);
        const std::string organisationId = row.columnText(2);
        const bool active = row.columnTextView(3) == toHsds(ServiceStatus::Active);
        IndexedText old{row.columnText(5), row.columnText(6), row.columnText(7)};
        const bool wasIndexed = row.columnInt(4) != 0;

        std::vector<std::string> needCodes;
        Statement needs = m_db.prepare(
            "SELECT t.code FROM service_taxonomy st JOIN taxonomy_terms t ON t.id = st.term_id "
            "WHERE st.service_row = ?1 AND t.taxonomy = ?2 ORDER BY st.position");
        needs.bindAll(rowid, kNeedsVocabulary);
        while (needs.step()) {
            needCodes.push_back(needs.columnText(0));
        }
        std::vector<std::string> areas;
        Statement areaRows = m_db.prepare("SELECT name FROM service_areas WHERE service_row = ?1 ORDER BY position");
        areaRows.bind(1, rowid);
        while (areaRows.step()) {
            areas.push_back(areaRows.columnText(0));
        }
        std::vector<std::string> locations;
        Statement locationRows = m_db.prepare(
            "SELECT location_id FROM service_at_locations WHERE service_row = ?1 ORDER BY position");
        locationRows.bind(1, rowid);
        while (locationRows.step()) {
            locations.push_back(locationRows.columnText(0));
        }
        const std::string* organisationName = organisation(organisationId);
        const IndexedText fresh =
            indexedText(organisationName != nullptr ? *organisationName : std::string(), needCodes, areas, locations);
        if (fresh.needs == old.needs && fresh.organisation == old.organisation && fresh.places == old.places &&
            wasIndexed == active) {
            return;
        }
        if (wasIndexed) {
            m_deleteFts.bindAll(rowid, foldLetters(name), old.needs, old.organisation, foldLetters(description),
                                old.places)
                .run();
        }
        Statement update = m_db.prepare(
            "UPDATE services SET indexed = ?2, indexed_needs = ?3, indexed_organisation = ?4, indexed_places = ?5, "
            "indexed_tokens = ?6 WHERE row_id = ?1");
        update
            .bindAll(rowid, active ? 1 : 0, fresh.needs, fresh.organisation, fresh.places,
                     indexedTokens(m_tokenizer, foldLetters(name), fresh, foldLetters(description)))
            .run();
        if (active) {
            m_insertFts.bindAll(rowid, foldLetters(name), fresh.needs, fresh.organisation, foldLetters(description),
                                fresh.places)
                .run();
        }
    }

private:
    struct NeedInfo {
        std::string id;
        std::string words;  // name and keywords, as indexed
    };
    struct LocationInfo {
        std::string words;  // venue name, street, area and postcode, as indexed
    };

    bool removeFromIndex(std::int64_t rowid) {
        Statement row = m_db.prepare(
            "SELECT name, description, indexed, indexed_needs, indexed_organisation, indexed_places "
            "FROM services WHERE row_id = ?1");
        row.bind(1, rowid);
        if (!row.step()) {
            return false;
        }
        if (row.columnInt(2) != 0) {
            // FTS5 removes a contentless row given exactly the values it indexed.
            m_deleteFts.bindAll(rowid, foldLetters(row.columnTextView(0)), row.columnText(3), row.columnText(4),
                                foldLetters(row.columnTextView(1)), row.columnText(5))
                .run();
        }
        return true;
    }

    IndexedText indexedText(const std::string& organisationName, const std::vector<std::string>& needCodes,
                            const std::vector<std::string>& areaNames, const std::vector<std::string>& locationIds) {
        IndexedText text;
        for (const std::string& code : needCodes) {
            if (const NeedInfo* need = this->need(code)) {
                appendWords(text.needs, need->words);
            }
        }
        text.organisation = foldLetters(organisationName);
        for (const std::string& area : areaNames) {
            appendWords(text.places, foldLetters(area));
        }
        for (const std::string& id : locationIds) {
            if (const LocationInfo* info = location(id)) {
                appendWords(text.places, info->words);
            }
        }
        return text;
    }

    const std::string* organisation(const std::string& id) {
        auto it = m_organisations.find(id);
        if (it == m_organisations.end()) {
            m_findOrganisation.bind(1, id);
            std::optional<std::string> name;
            if (m_findOrganisation.step()) {
                name = m_findOrganisation.columnText(0);
            }
            m_findOrganisation.reset();
            it = m_organisations.emplace(id, std::move(name)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    const NeedInfo* need(const std::string& code) {
        auto it = m_needs.find(code);
        if (it == m_needs.end()) {
            m_findNeed.bindAll(kNeedsVocabulary, code);
            std::optional<NeedInfo> info;
            if (m_findNeed.step()) {
                std::string words = m_findNeed.columnText(1);
                for (const std::string& keyword : splitKeywords(m_findNeed.columnTextView(2))) {
                    appendWords(words, keyword);
                }
                info = NeedInfo{m_findNeed.columnText(0), foldLetters(words)};
            }
            m_findNeed.reset();
            it = m_needs.emplace(code, std::move(info)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    const LocationInfo* location(const std::string& id) {
        auto it = m_locations.find(id);
        if (it == m_locations.end()) {
            m_findLocation.bind(1, id);
            std::optional<LocationInfo> info;
            if (m_findLocation.step()) {
                std::string words;
                for (int column = 0; column < 4; ++column) {
                    appendWords(words, m_findLocation.columnTextView(column));
                }
                info = LocationInfo{foldLetters(words)};
            }
            m_findLocation.reset();
            it = m_locations.emplace(id, std::move(info)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    Database& m_db;
    const SearchTokenizer& m_tokenizer;
    Statement m_insertService, m_insertLocation, m_insertPhone, m_insertSchedule, m_insertTerm, m_insertLanguage,
        m_insertArea, m_insertFts, m_deleteFts, m_findOrganisation, m_findNeed, m_findLocation;
    std::unordered_map<std::string, std::optional<std::string>> m_organisations;
    std::unordered_map<std::string, std::optional<NeedInfo>> m_needs;
    std::unordered_map<std::string, std::optional<LocationInfo>> m_locations;
};

void upsertOrganisation(Database& db, const Organisation& org) {
    Statement s = db.prepare(
        "INSERT INTO organizations (id, name, description, website, email) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, "
        "website = excluded.website, email = excluded.email");
    s.bindAll(org.id, org.name, org.description, org.website, org.email).run();
}

void upsertLocation(Database& db, const Location& location) {
    Statement s = db.prepare(
        "INSERT INTO locations (id, name, address_1, address_2, city, postal_code, latitude, longitude, "
        "transportation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET "
        "name = excluded.name, address_1 = excluded.address_1, address_2 = excluded.address_2, "
        "city = excluded.city, postal_code = excluded.postal_code, latitude = excluded.latitude, "
        "longitude = excluded.longitude, transportation = excluded.transportation");
    s.bindAll(location.id, location.name, location.address.line1, location.address.line2, location.address.city,
              location.address.postcode);
    if (location.latitude && location.longitude) {
        s.bind(7, *location.latitude).bind(8, *location.longitude);
    } else {
        s.bindNull(7).bindNull(8);
    }
    s.bind(9, location.transportation).run();
    Statement clear = db.prepare("DELETE FROM location_accessibility WHERE location_id = ?1");
    clear.bind(1, location.id).run();
    Statement add = db.prepare(
        "INSERT INTO location_accessibility (location_id, position, description) VALUES (?1, ?2, ?3)");
    for (std::size_t i = 0; i < location.accessibility.size(); ++i) {
        add.bindAll(location.id, static_cast<std::int64_t>(i), location.accessibility[i]).run();
    }
}

void upsertTerm(Database& db, const TaxonomyTerm& term, std::int64_t position) {
    Statement s = db.prepare(
        "INSERT INTO taxonomy_terms (id, code, name, description, parent_id, taxonomy, term_uri, keywords, "
        "position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET code = excluded.code, "
        "name = excluded.name, description = excluded.description, parent_id = excluded.parent_id, "
        "taxonomy = excluded.taxonomy, term_uri = excluded.term_uri, keywords = excluded.keywords");
    s.bindAll(term.id, term.code, term.name, term.description, term.parentId, term.taxonomy, term.termUri,
              joinKeywords(term.keywords), position)
        .run();
}

void setMeta(Database& db, std::string_view key, std::string_view value) {
    Statement s = db.prepare(
        "INSERT INTO directory_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bindAll(key, value).run();
}

std::string getMeta(Database& db, std::string_view key) {
    Statement s = db.prepare("SELECT value FROM directory_meta WHERE key = ?1");
    s.bind(1, key);
    return s.step() ? s.columnText(0) : std::string();
}

std::string nowIso() { return formatIsoUtc(std::chrono::system_clock::now()); }

}  // namespace

// ---------------------------------------------------------------------------------------------

DirectoryStore::DirectoryStore(const std::string& path, const TimeZone& zone)
    : m_impl(std::make_unique<Impl>(path, zone)) {}
DirectoryStore::~DirectoryStore() = default;
DirectoryStore::DirectoryStore(DirectoryStore&&) noexcept = default;
DirectoryStore& DirectoryStore::operator=(DirectoryStore&&) noexcept = default;

void DirectoryStore::replaceAll(const DirectoryData& data, const std::string& source) {
    Database& db = m_impl->db;
    {
        Transaction transaction(db);
        db.exec("INSERT INTO service_fts (service_fts) VALUES ('delete-all');"
                "DELETE FROM service_at_locations; DELETE FROM phones; DELETE FROM schedules;"
                "DELETE FROM service_taxonomy; DELETE FROM service_languages; DELETE FROM service_areas;"
                "DELETE FROM services; DELETE FROM location_accessibility; DELETE FROM locations;"
                "DELETE FROM organizations; DELETE FROM taxonomy_terms; DELETE FROM directory_meta;");
        for (std::size_t i = 0; i < data.taxonomyTerms.size(); ++i) {
            upsertTerm(db, data.taxonomyTerms[i], static_cast<std::int64_t>(i));
        }
        for (const Organisation& org : data.organisations) {
            upsertOrganisation(db, org);
        }
        for (const Location& location : data.locations) {
            upsertLocation(db, location);
        }
        Writer writer(db, m_impl->tokenizer);
        for (std::size_t i = 0; i < data.services.size(); ++i) {
            writer.insert(data.services[i], 0, recordName(i, data.services[i].id));
        }
        const std::string now = nowIso();
        setMeta(db, "version", data.version);
        setMeta(db, "imported_at", now);
        setMeta(db, "updated_at", now);
        setMeta(db, "source", source);
        // One merged b-tree per term makes every later query cheaper.
        db.exec("INSERT INTO service_fts (service_fts) VALUES ('optimize')");
        transaction.commit();
    }
    m_impl->cache.reset();
    logInfo("directory", "imported " + std::to_string(data.services.size()) + " services, version " + data.version);
}

void DirectoryStore::applyChanges(const DirectoryData& data, const std::vector<std::string>& deletedServiceIds,
                                  const std::string& newVersion) {
    Database& db = m_impl->db;
    {
        Transaction transaction(db);
        std::set<std::int64_t> affected;
        auto collect = [&](const char* sql, const std::string& id) {
            Statement rows = db.prepare(sql);
            rows.bind(1, id);
            while (rows.step()) {
                affected.insert(rows.columnInt64(0));
            }
        };
        Statement maxPosition = db.prepare("SELECT coalesce(max(position), -1) FROM taxonomy_terms");
        maxPosition.step();
        std::int64_t nextPosition = maxPosition.columnInt64(0) + 1;
        Statement existingPosition = db.prepare("SELECT position FROM taxonomy_terms WHERE id = ?1");
        for (const TaxonomyTerm& term : data.taxonomyTerms) {
            existingPosition.bind(1, term.id);
            const bool exists = existingPosition.step();
            const std::int64_t position = exists ? existingPosition.columnInt64(0) : nextPosition++;
            existingPosition.reset();
            upsertTerm(db, term, position);
            collect("SELECT service_row FROM service_taxonomy WHERE term_id = ?1", term.id);
        }
        for (const Organisation& org : data.organisations) {
            upsertOrganisation(db, org);
            collect("SELECT row_id FROM services WHERE organization_id = ?1", org.id);
        }
        for (const Location& location : data.locations) {
            upsertLocation(db, location);
            collect("SELECT service_row FROM service_at_locations WHERE location_id = ?1", location.id);
        }
        Writer writer(db, m_impl->tokenizer);
        Statement findRow = db.prepare("SELECT row_id FROM services WHERE id = ?1");
        auto rowOf = [&](const std::string& id) -> std::int64_t {
            findRow.bind(1, id);
            const std::int64_t row = findRow.step() ? findRow.columnInt64(0) : 0;
            findRow.reset();
            return row;
        };
        for (const std::string& id : deletedServiceIds) {
            if (const std::int64_t row = rowOf(id); row != 0) {
                writer.remove(row);
                affected.erase(row);
            }
        }
        for (std::size_t i = 0; i < data.services.size(); ++i) {
            const Service& service = data.services[i];
            const std::int64_t row = rowOf(service.id);
            if (row != 0) {
                writer.remove(row);
            }
            // Keep the row id: it is the FTS rowid and what the cache maps from.
            const std::int64_t written = writer.insert(service, row, recordName(i, service.id));
            affected.erase(written);
        }
        for (std::int64_t row : affected) {
            writer.reindex(row);
        }
        setMeta(db, "version", newVersion);
        setMeta(db, "updated_at", nowIso());
        transaction.commit();
    }
    m_impl->cache.reset();
    logInfo("directory", "applied " + std::to_string(data.services.size()) + " changed and " +
                             std::to_string(deletedServiceIds.size()) + " deleted services, version " + newVersion);
}

SearchResults DirectoryStore::search(const SearchRequest& request, std::chrono::sys_seconds now) const {
    Impl& impl = *m_impl;
    const Cache& c = impl.ensureCache();
    SearchResults results;

    // Resolve the filters to cache indexes once, so the per-service test is a few comparisons.
    const SearchFilters& f = request.filters;
    bool impossible = false;
    std::optional<std::uint16_t> area;
    bool areaUnknown = false;
    if (!f.neighbourhood.empty()) {
        const std::string key = impl.tokenizer.foldedKey(f.neighbourhood);
        auto it = std::find(c.areaKeys.begin(), c.areaKeys.end(), key);
        if (it != c.areaKeys.end()) {
            area = static_cast<std::uint16_t>(it - c.areaKeys.begin());
        } else {
            areaUnknown = true;  // an area with no services of its own still gets the city-wide ones
        }
    }
    std::optional<std::uint16_t> need;
    if (!f.needCode.empty()) {
        auto it = std::find(c.needCodes.begin(), c.needCodes.end(), f.needCode);
        if (it == c.needCodes.end()) {
            impossible = true;
        } else {
            need = static_cast<std::uint16_t>(it - c.needCodes.begin());
        }
    }
    std::optional<std::uint16_t> language;
    bool englishByDefault = false;
    if (!f.languageCode.empty()) {
        std::string code = f.languageCode;
        std::transform(code.begin(), code.end(), code.begin(),
                       [](char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch; });
        // Services that list no languages are taken to work in English.
        englishByDefault = code == "en";
        auto it = std::find(c.languageCodes.begin(), c.languageCodes.end(), code);
        if (it != c.languageCodes.end()) {
            language = static_cast<std::uint16_t>(it - c.languageCodes.begin());
        } else if (!englishByDefault) {
            impossible = true;
        }
    }
    const bool languageFilter = !f.languageCode.empty();
    const OpenCheck openCheck(impl.zone.toLocal(now));
    auto isOpen = [&](const CachedService& s) {
        const CompactRule* first = c.rules.data() + s.ruleBegin;
        return openCheck.isOpen(first, first + s.ruleCount);
    };
    auto passes = [&](const CachedService& s) {
        if (need && !c.listContains(s.needBegin, s.needCount, *need)) {
            return false;
        }
        if ((area || areaUnknown) && !s.cityWide && (areaUnknown || !c.listContains(s.areaBegin, s.areaCount, *area))) {
            return false;
        }
        if (f.freeOnly && !s.isFree) {
            return false;
        }
        if (f.dropInOnly && s.access != AttendingAccess::DropIn) {
            return false;
        }
        if (languageFilter) {
            const bool listed = language && c.listContains(s.languageBegin, s.languageCount, *language);
            if (!listed && !(englishByDefault && s.languageCount == 0)) {
                return false;
            }
        }
        return !(f.openNow && !isOpen(s));
    };

    const std::vector<SearchToken> tokens = impl.tokenizer.tokens(request.text);
    const std::string expression = buildMatchExpression(tokens);
    std::vector<std::uint32_t> chosen;
    if (!impossible && expression.empty()) {
        for (std::uint32_t index : c.byName) {
            if (passes(c.services[index])) {
                ++results.totalMatches;
                if (chosen.size() < request.limit) {
                    chosen.push_back(index);
                }
            }
        }
    } else if (!impossible) {
        chosen = impl.rankMatches(c, expression, meaningfulTokens(tokens), passes, request.limit,
                                  results.totalMatches);
    }

    results.items.reserve(chosen.size());
    for (std::uint32_t index : chosen) {
        const CachedService& s = c.services[index];
        ServiceSummary summary;
        summary.id = c.textAt(s.idOffset, s.idLength);
        summary.name = c.textAt(s.nameOffset, s.nameLength);
        summary.organisationName = c.organisationNames.empty() ? std::string() : c.organisationNames[s.organisation];
        summary.cityWide = s.cityWide;
        if (!s.cityWide && s.areaCount > 0) {
            summary.areaLabel = c.areaNames[c.lists[s.areaBegin]];
        }
        summary.isFree = s.isFree;
        summary.costDescription = c.textAt(s.costOffset, s.costLength);
        summary.access = s.access;
        summary.hasSchedule = s.ruleCount > 0;
        summary.openNow = summary.hasSchedule && isOpen(s);
        summary.acceptsReferrals = s.acceptsReferrals;
        results.items.push_back(std::move(summary));
    }
    if (results.items.empty() && !tokens.empty()) {
        results.suggestedNeedCodes = impl.suggestNeeds(c, meaningfulTokens(tokens));
    }
    return results;
}

std::optional<ServiceDetail> DirectoryStore::service(const std::string& id) const {
    Database& db = m_impl->db;
    Transaction snapshot(db, TransactionMode::Deferred);
    Statement row = db.prepare(
        "SELECT row_id, id, organization_id, name, description, eligibility_description, application_process, url, "
        "email, status, attending_types, attending_access, is_free, cost_description, minimum_age, maximum_age, "
        "assured_date, accepts_referrals FROM services WHERE id = ?1");
    row.bind(1, id);
    if (!row.step()) {
        return std::nullopt;
    }
    ServiceDetail detail;
    Service& s = detail.service;
    const std::int64_t rowid = row.columnInt64(0);
    s.id = row.columnText(1);
    s.organisationId = row.columnText(2);
    s.name = row.columnText(3);
    s.description = row.columnText(4);
    s.eligibility = row.columnText(5);
    s.applicationProcess = row.columnText(6);
    s.url = row.columnText(7);
    s.email = row.columnText(8);
    s.status = parseServiceStatus(row.columnTextView(9)).value_or(ServiceStatus::Inactive);
    s.attendingTypes = static_cast<unsigned>(row.columnInt64(10));
    s.attendingAccess = parseAttendingAccess(row.columnTextView(11)).value_or(AttendingAccess::Unknown);
    s.isFree = row.columnInt(12) != 0;
    s.costDescription = row.columnText(13);
    if (!row.isNull(14)) {
        s.minimumAge = row.columnInt(14);
    }
    if (!row.isNull(15)) {
        s.maximumAge = row.columnInt(15);
    }
    s.lastChecked = columnDate(row, 16);
    s.acceptsReferrals = row.columnInt(17) != 0;

    auto children = [&](const char* sql, auto&& add) {
        Statement rows = db.prepare(sql);
        rows.bind(1, rowid);
        while (rows.step()) {
            add(rows);
        }
    };
    children("SELECT number, description FROM phones WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) { s.phones.push_back({r.columnText(0), r.columnText(1)}); });
    children(
        "SELECT freq, byday, opens_at, closes_at, valid_from, valid_to, description FROM schedules "
        "WHERE service_row = ?1 ORDER BY position",
        [&](const Statement& r) {
            ScheduleRule rule;
            try {
                rule.frequency = parseFrequency(r.columnTextView(0));
                rule.byDays = parseByDay(r.columnTextView(1));
            } catch (const std::invalid_argument&) {
                return;
            }
            rule.opensAtMinutes = r.columnInt(2);
            rule.closesAtMinutes = r.columnInt(3);
            rule.validFrom = columnDate(r, 4);
            rule.validTo = columnDate(r, 5);
            rule.description = r.columnText(6);
            s.schedules.push_back(std::move(rule));
        });
    children("SELECT name, extent_type FROM service_areas WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) { s.serviceAreas.push_back({r.columnText(0), r.columnText(1)}); });
    children("SELECT code FROM service_languages WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) { s.languages.push_back(r.columnText(0)); });
    children("SELECT location_id FROM service_at_locations WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) { s.locationIds.push_back(r.columnText(0)); });
    Statement needs = db.prepare(
        "SELECT t.id, t.code, t.name, t.description, t.parent_id, t.taxonomy, t.term_uri, t.keywords, st.position "
        "FROM service_taxonomy st JOIN taxonomy_terms t ON t.id = st.term_id "
        "WHERE st.service_row = ?1 AND t.taxonomy = ?2 ORDER BY t.position");
    needs.bindAll(rowid, kNeedsVocabulary);
    std::vector<std::pair<std::int64_t, std::string>> codesInDataOrder;
    while (needs.step()) {
        TaxonomyTerm term{needs.columnText(0), needs.columnText(1), needs.columnText(2), needs.columnText(3),
                          needs.columnText(4), needs.columnText(5), needs.columnText(6),
                          splitKeywords(needs.columnTextView(7))};
        codesInDataOrder.emplace_back(needs.columnInt64(8), term.code);
        detail.needs.push_back(std::move(term));
    }
    std::sort(codesInDataOrder.begin(), codesInDataOrder.end());
    for (auto& [position, code] : codesInDataOrder) {
        s.needCodes.push_back(std::move(code));
    }

    Statement org = db.prepare("SELECT id, name, description, website, email FROM organizations WHERE id = ?1");
    org.bind(1, s.organisationId);
    if (org.step()) {
        detail.organisation = {org.columnText(0), org.columnText(1), org.columnText(2), org.columnText(3),
                               org.columnText(4)};
    }
    Statement location = db.prepare(
        "SELECT id, name, address_1, address_2, city, postal_code, latitude, longitude, transportation "
        "FROM locations WHERE id = ?1");
    Statement accessibility = db.prepare(
        "SELECT description FROM location_accessibility WHERE location_id = ?1 ORDER BY position");
    for (const std::string& locationId : s.locationIds) {
        location.bind(1, locationId);
        if (location.step()) {
            Location l;
            l.id = location.columnText(0);
            l.name = location.columnText(1);
            l.address = {location.columnText(2), location.columnText(3), location.columnText(4), location.columnText(5)};
            if (!location.isNull(6) && !location.isNull(7)) {
                l.latitude = location.columnDouble(6);
                l.longitude = location.columnDouble(7);
            }
            l.transportation = location.columnText(8);
            accessibility.bind(1, locationId);
            while (accessibility.step()) {
                l.accessibility.push_back(accessibility.columnText(0));
            }
            accessibility.reset();
            detail.locations.push_back(std::move(l));
        }
        location.reset();
    }
    snapshot.commit();
    return detail;
}

std::vector<TaxonomyTerm> DirectoryStore::needs() const {
    Statement rows = m_impl->db.prepare(
        "SELECT id, code, name, description, parent_id, taxonomy, term_uri, keywords FROM taxonomy_terms "
        "WHERE taxonomy = ?1 ORDER BY position");
    rows.bind(1, kNeedsVocabulary);
    std::vector<TaxonomyTerm> terms;
    while (rows.step()) {
        terms.push_back({rows.columnText(0), rows.columnText(1), rows.columnText(2), rows.columnText(3),
                         rows.columnText(4), rows.columnText(5), rows.columnText(6),
                         splitKeywords(rows.columnTextView(7))});
    }
    return terms;
}

std::vector<std::string> DirectoryStore::neighbourhoods() const {
    Statement rows = m_impl->db.prepare(
        "SELECT DISTINCT a.name FROM service_areas a JOIN services s ON s.row_id = a.service_row "
        "WHERE a.extent_type = 'neighbourhood' AND s.status = 'active' ORDER BY a.name");
    std::vector<std::string> names;
    while (rows.step()) {
        names.push_back(rows.columnText(0));
    }
    return names;
}

std::vector<std::string> DirectoryStore::languagesOffered() const {
    Statement rows = m_impl->db.prepare(
        "SELECT DISTINCT l.code FROM service_languages l JOIN services s ON s.row_id = l.service_row "
        "WHERE s.status = 'active' ORDER BY l.code");
    std::vector<std::string> codes;
    while (rows.step()) {
        codes.push_back(rows.columnText(0));
    }
    return codes;
}

DirectoryStats DirectoryStore::stats() const {
    Database& db = m_impl->db;
    Transaction snapshot(db, TransactionMode::Deferred);
    DirectoryStats stats;
    stats.version = getMeta(db, "version");
    stats.importedAt = getMeta(db, "imported_at");
    stats.updatedAt = getMeta(db, "updated_at");
    stats.source = getMeta(db, "source");
    auto count = [&](const char* sql) {
        Statement statement = db.prepare(sql);
        statement.step();
        return static_cast<std::size_t>(statement.columnInt64(0));
    };
    stats.services = count("SELECT count(*) FROM services WHERE status = 'active'");
    stats.hiddenServices = count("SELECT count(*) FROM services WHERE status <> 'active'");
    stats.organisations = count("SELECT count(*) FROM organizations");
    stats.locations = count("SELECT count(*) FROM locations");
    snapshot.commit();
    return stats;
}

void DirectoryStore::refreshIfChanged() {
    Impl& impl = *m_impl;
    if (!impl.cache) {
        return;  // nothing cached; the next search loads fresh data anyway
    }
    const std::int64_t version = impl.currentDataVersion();
    if (version != impl.dataVersion) {
        impl.cache.reset();
        impl.dataVersion = version;
    }
}

// ---------------------------------------------------------------------------------------------

namespace {

enum class Health { Healthy, Missing, Empty, OldSchema, Damaged };

Health inspect(const std::filesystem::path& path, std::string& reason) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        return Health::Missing;
    }
    if (std::filesystem::file_size(path, error) == 0 && !error) {
        return Health::Empty;
    }
    try {
        DatabaseOptions options;
        options.create = false;
        Database db(path.string(), options);
        const int version = db.userVersion();
        if (version == 0) {
            Statement tables = db.prepare("SELECT count(*) FROM sqlite_schema");
            tables.step();
            if (tables.columnInt64(0) == 0) {
                return Health::Empty;
            }
            reason = "not a Signpost directory";
            return Health::Damaged;
        }
        if (version != kSchemaVersion) {
            reason = "schema " + std::to_string(version) + ", this build reads " + std::to_string(kSchemaVersion);
            return Health::OldSchema;
        }
        // quick_check reads every page and checks its structure (not index-to-table agreement):
        // what a torn or truncated file breaks, at a fraction of integrity_check's cost.
        const std::string check = [&] {
            Statement statement = db.prepare("PRAGMA quick_check(1)");
            return statement.step() ? statement.columnText(0) : std::string("no answer");
        }();
        if (check != "ok") {
            reason = "quick_check: " + check;
            return Health::Damaged;
        }
        db.exec("INSERT INTO service_fts (service_fts) VALUES ('integrity-check')");
        Statement services = db.prepare("SELECT count(*) FROM services");
        services.step();
        if (services.columnInt64(0) == 0) {
            reason = "holds no services";
            return Health::Damaged;
        }
        return Health::Healthy;
    } catch (const StorageError& failure) {
        reason = failure.what();
        return Health::Damaged;
    }
}

void removeDatabaseFiles(const std::filesystem::path& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(path.string() + suffix, ignored);
    }
}

}  // namespace

DirectoryStore DirectoryStore::openOrRebuild(const std::filesystem::path& path,
                                             const std::filesystem::path& bundledJson, const TimeZone& zone,
                                             DirectoryOpenOutcome& outcome) {
    std::string reason;
    const Health health = inspect(path, reason);
    if (health == Health::Healthy) {
        try {
            DirectoryStore store(path.string(), zone);
            outcome = DirectoryOpenOutcome::Opened;
            return store;
        } catch (const StorageError& failure) {
            reason = failure.what();
        }
    }
    // Parse the bundle before deleting anything: a broken bundle must not cost a working file.
    DirectoryData bundle = loadHsdsFile(bundledJson);
    const bool damaged = health == Health::Damaged || health == Health::Healthy;
    if (damaged) {
        logWarning("directory", "directory database " + path.string() + " is damaged (" + reason +
                                    "); rebuilding it from " + bundledJson.filename().string());
    } else if (health == Health::OldSchema) {
        logInfo("directory", "directory database " + path.string() + " has an older layout (" + reason +
                                 "); rebuilding it from " + bundledJson.filename().string());
    } else {
        logInfo("directory", "creating the directory database from " + bundledJson.filename().string());
    }
    removeDatabaseFiles(path);
    DirectoryStore store(path.string(), zone);
    store.replaceAll(bundle, bundledJson.string());
    outcome = damaged ? DirectoryOpenOutcome::RebuiltAfterDamage : DirectoryOpenOutcome::CreatedFromBundle;
    return store;
}

}  // namespace signpost
