#include "core/directory/directory_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/compact_schedule.h"
#include "core/directory/directory_cache.h"
#include "core/directory/directory_rows.h"
#include "core/directory/directory_writer.h"
#include "core/directory/hsds_import.h"
#include "core/directory/phrase_scan.h"
#include "core/directory/schedule.h"
#include "core/directory/search_plan.h"
#include "core/directory/search_text.h"

namespace signpost {

using namespace directory_detail;

namespace {

constexpr std::size_t kMaxSuggestions = 4;

std::string recordName(std::size_t index, const std::string& id) {
    return "services[" + std::to_string(index) + "] (id \"" + id + "\")";
}

std::string nowIso() { return formatIsoUtc(std::chrono::system_clock::now()); }

bool isFileDatabase(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file::memory:", 0) != 0;
}

}  // namespace

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
    std::unique_ptr<Cache> cache;
    std::vector<NeedWords> translatedNeedWords;  // setNeedWords()

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
            database.exec(directorySchemaSql());
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
            cache = loadCache(db, tokenizer, translatedNeedWords);
        }
        return *cache;
    }

    template <class Passes>
    std::vector<std::uint32_t> rankMatches(const Cache& c, const QueryPlan& plan,
                                           const Passes& passes, std::size_t limit,
                                           std::size_t& totalMatches);

    std::vector<std::string> suggestNeeds(const Cache& c, const std::vector<std::string>& words) const;
};

// Every match of every word, intersected, filtered and ranked by bm25 (see phrase_scan.h for why
// this is not SQLite's bm25() function, and why it gives the same scores). Cost grows with the
// doclists' lengths at a few nanoseconds a row, so a single letter over 100k services is fine.
// A row a word reaches only through a need it names (no phrase of that word in the row) scores as
// one hit of a phrase in the needs column whose rows are that need's services.
template <class Passes>
std::vector<std::uint32_t> DirectoryStore::Impl::rankMatches(const Cache& c, const QueryPlan& plan,
                                                             const Passes& passes,
                                                             std::size_t limit,
                                                             std::size_t& totalMatches) {
    totalMatches = 0;
    std::vector<ScanGroup> groups;
    groups.reserve(plan.groups.size());
    for (const QueryGroup& group : plan.groups) {
        groups.push_back({group.phrases, group.needRows.empty() ? nullptr : &group.needRows});
    }
    const bool anyPhraseMatched = scanner.scan(plan.expression, groups, scan);
    if (!anyPhraseMatched) {
        // Nothing in the index matched any phrase: only needs named in another language can
        // answer ("samotność"). bm25's N and average length then come from the cache.
        scan.phrases.assign(plan.phrases.size(), PhraseHits{});
        scan.matched.clear();
        bool first = true;
        for (const QueryGroup& group : plan.groups) {
            if (first) {
                scan.matched = group.needRows;
                first = false;
            } else {
                std::vector<std::int64_t> both;
                std::set_intersection(scan.matched.begin(), scan.matched.end(),
                                      group.needRows.begin(), group.needRows.end(),
                                      std::back_inserter(both));
                scan.matched.swap(both);
            }
        }
        if (scan.matched.empty()) {
            return {};
        }
        std::uint64_t tokens = 0;
        for (const CachedService& s : c.services) {
            tokens += s.tokenCount;
        }
        scan.rowCount = std::max<std::int64_t>(1, static_cast<std::int64_t>(c.services.size()));
        scan.averageLength = static_cast<double>(tokens) / static_cast<double>(scan.rowCount);
    }
    // Terms: every phrase, then one per group for rows it reaches only through a need.
    const std::size_t phraseCount = scan.phrases.size();
    const std::size_t termCount = phraseCount + plan.groups.size();
    std::vector<double> idf(termCount, 0.0);
    for (std::size_t p = 0; p < phraseCount; ++p) {
        idf[p] = phraseIdf(scan.rowCount, scan.phrases[p].rowsWithPhrase);
    }
    for (std::size_t g = 0; g < plan.groups.size(); ++g) {
        idf[phraseCount + g] = phraseIdf(scan.rowCount, plan.groups[g].needRows.size());
    }
    std::vector<Ranked>& ranked = rankedScratch;
    ranked.clear();
    std::vector<std::size_t> cursor(phraseCount, 0);
    std::vector<std::size_t> needCursor(plan.groups.size(), 0);
    std::vector<double> frequency(termCount, 0.0);
    // Frequency of phrase p in `rowid`; rows are visited in ascending order, so cursors only move
    // on.
    auto hitsIn = [&](std::size_t p, std::int64_t rowid) {
        const std::vector<std::int64_t>& ids = scan.phrases[p].rowids;
        auto at = std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(cursor[p]), ids.end(),
                                   rowid);
        cursor[p] = static_cast<std::size_t>(at - ids.begin());
        return at != ids.end() && *at == rowid ? scan.phrases[p].weightedFrequency[cursor[p]] : 0.0;
    };
    for (const std::int64_t rowid : scan.matched) {
        const std::uint32_t index = c.indexOf(rowid);
        if (index == Cache::kNone || !passes(c.services[index])) {
            continue;
        }
        for (std::size_t p = 0; p < phraseCount; ++p) {
            frequency[p] = hitsIn(p, rowid);
        }
        for (std::size_t g = 0; g < plan.groups.size(); ++g) {
            const QueryGroup& group = plan.groups[g];
            bool byPhrase = false;
            for (const int p : group.phrases) {
                byPhrase = byPhrase || frequency[static_cast<std::size_t>(p)] > 0.0;
            }
            double needHit = 0.0;
            if (!byPhrase && !group.needRows.empty()) {
                const std::vector<std::int64_t>& ids = group.needRows;
                auto at = std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(needCursor[g]),
                                           ids.end(), rowid);
                needCursor[g] = static_cast<std::size_t>(at - ids.begin());
                needHit = at != ids.end() && *at == rowid ? kColumnWeights[1] : 0.0;
            }
            frequency[phraseCount + g] = needHit;
        }
        const CachedService& s = c.services[index];
        ranked.push_back({bm25Score(idf.data(), frequency.data(), termCount,
                                    static_cast<double>(s.tokenCount), scan.averageLength),
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
            const std::size_t typedLength = utf8Length(typed);
            for (const std::string& word : c.needWords[n].words) {
                int score = 0;
                const std::size_t wordLength = utf8Length(word);
                if (typed == word) {
                    score = 100;
                } else if ((typedLength >= 3 || isCjkToken(typed)) && word.rfind(typed, 0) == 0) {
                    score = 80;  // still typing it: "lonel" -> "lonely", "孤" -> "孤独"
                } else if (wordLength >= 4 && typed.rfind(word, 0) == 0) {
                    score = 70;  // a longer form: "debts" -> "debt"
                } else if (isCjkToken(typed) && wordLength >= 2 &&
                           typed.find(word) != std::string::npos) {
                    score = 70;  // the word inside a Chinese run: "我很孤独" -> "孤独"
                } else if (typedLength >= 4 && !isCjkToken(typed)) {
                    const int limit = typedLength >= 7 ? 2 : 1;
                    const int distance = editDistance(typed, word, limit);
                    if (distance <= limit) {
                        score = 60 - 10 * distance;  // a slip: "lonley" -> "lonely"
                    } else if (typedLength < wordLength) {
                        // A slip in a word still being typed: compare with the word's start.
                        const int prefixDistance =
                            editDistance(typed, codePointPrefix(word, typedLength), 1);
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

DirectoryStore::DirectoryStore(const std::string& path, const TimeZone& zone)
    : m_impl(std::make_unique<Impl>(path, zone)) {}
DirectoryStore::~DirectoryStore() = default;
DirectoryStore::DirectoryStore(DirectoryStore&&) noexcept = default;
DirectoryStore& DirectoryStore::operator=(DirectoryStore&&) noexcept = default;

void DirectoryStore::setNeedWords(std::vector<NeedWords> words) {
    m_impl->translatedNeedWords = std::move(words);
    m_impl->cache.reset();  // rebuilt, with them, at the next search
}

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
    const std::vector<SearchToken> words = meaningfulSearchTokens(tokens);
    std::vector<std::uint32_t> chosen;
    if (!impossible && words.empty()) {
        for (std::uint32_t index : c.byName) {
            if (passes(c.services[index])) {
                ++results.totalMatches;
                if (chosen.size() < request.limit) {
                    chosen.push_back(index);
                }
            }
        }
    } else if (!words.empty()) {
        const QueryPlan plan = planQuery(words, c);
        for (const std::uint16_t named : plan.namedNeeds) {
            if (results.namedNeedCodes.size() < kMaxSuggestions) {
                results.namedNeedCodes.push_back(c.needCodes[named]);
            }
        }
        if (!impossible) {
            chosen = impl.rankMatches(c, plan, passes, request.limit, results.totalMatches);
        }
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
            // Name the area the resident filtered by when the service covers several.
            const bool inFiltered = area && c.listContains(s.areaBegin, s.areaCount, *area);
            summary.areaLabel = c.areaNames[inFiltered ? *area : c.lists[s.areaBegin]];
        }
        summary.isFree = s.isFree;
        summary.costDescription = c.textAt(s.costOffset, s.costLength);
        summary.access = s.access;
        summary.hasSchedule = s.ruleCount > 0;
        summary.openNow = summary.hasSchedule && isOpen(s);
        summary.acceptsReferrals = s.acceptsReferrals;
        results.items.push_back(std::move(summary));
    }
    if (results.items.empty() && !words.empty()) {
        std::vector<std::string> texts;
        for (const SearchToken& word : words) {
            texts.push_back(word.text);
        }
        results.suggestedNeedCodes = impl.suggestNeeds(c, texts);
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

Health inspect(const std::filesystem::path& path, DirectoryCheck level, std::string& reason) {
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
        if (level == DirectoryCheck::Thorough) {
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
        }
        Statement services = db.prepare("SELECT count(*) FROM services");
        services.step();
        if (services.columnInt64(0) == 0) {
            reason = "holds no services";
            return Health::Damaged;
        }
        Statement meta = db.prepare("SELECT count(*) FROM directory_meta WHERE key = 'version'");
        meta.step();
        if (meta.columnInt64(0) != 1) {
            reason = "no directory version recorded";
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

std::string DirectoryStore::verify(const std::filesystem::path& path) {
    std::string reason;
    try {
        switch (inspect(path, DirectoryCheck::Thorough, reason)) {
            case Health::Healthy: return {};
            case Health::Missing: return "missing";
            case Health::Empty: return "empty";
            case Health::OldSchema:
            case Health::Damaged: return reason.empty() ? std::string("damaged") : reason;
        }
    } catch (const std::exception& error) {
        return error.what();
    }
    return "damaged";
}

DirectoryStore DirectoryStore::openOrRebuild(const std::filesystem::path& path,
                                             const std::filesystem::path& bundledJson, const TimeZone& zone,
                                             DirectoryOpenOutcome& outcome, DirectoryCheck check) {
    std::string reason;
    const Health health = inspect(path, check, reason);
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
