// Signpost — DirectoryStore::search(): the resident's words and filters against the directory.
// The filters are resolved to cache indexes once, then every candidate service is tested with a
// few comparisons; words are planned (search_plan.h), scanned in the FTS5 index
// (phrase_scan.h) and ranked by bm25 here; an empty search with no match suggests needs whose
// words are close to what was typed. The store's opening, schema, writes and reads are in
// directory_store.cpp; the behaviour is documented in directory_store.h.
#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/common/text_util.h"
#include "core/common/utf8.h"
#include "core/directory/compact_schedule.h"
#include "core/directory/directory_store.h"
#include "core/directory/directory_store_impl.h"

namespace signpost {

using namespace directory_detail;

namespace {

constexpr std::size_t kMaxSuggestions = 4;

}  // namespace

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
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end());
    std::vector<std::uint32_t> chosen;
    chosen.reserve(keep);
    for (std::size_t i = 0; i < keep; ++i) {
        chosen.push_back(ranked[i].index);
    }
    return chosen;
}

std::vector<std::string> DirectoryStore::Impl::suggestNeeds(
    const Cache& c, const std::vector<std::string>& words) const {
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
            const std::size_t typedLength = utf8::count(typed);
            for (const std::string& word : c.needWords[n].words) {
                int score = 0;
                const std::size_t wordLength = utf8::count(word);
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
                            editDistance(typed, utf8::prefixCodePoints(word, typedLength), 1);
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

SearchResults DirectoryStore::search(const SearchRequest& request,
                                     std::chrono::sys_seconds now) const {
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
            areaUnknown =
                true;  // an area with no services of its own still gets the city-wide ones
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
        const std::string code = asciiLower(f.languageCode);
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
        if ((area || areaUnknown) && !s.cityWide &&
            (areaUnknown || !c.listContains(s.areaBegin, s.areaCount, *area))) {
            return false;
        }
        if (f.freeOnly && !s.isFree) {
            return false;
        }
        if (f.dropInOnly && s.access != AttendingAccess::DropIn) {
            return false;
        }
        if (languageFilter) {
            const bool listed =
                language && c.listContains(s.languageBegin, s.languageCount, *language);
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
        summary.organisationName =
            c.organisationNames.empty() ? std::string() : c.organisationNames[s.organisation];
        summary.cityWide = s.cityWide;
        if (!s.cityWide && s.areaCount > 0) {
            // Name the area the resident filtered by when the service covers several.
            const bool inFiltered = area && c.listContains(s.areaBegin, s.areaCount, *area);
            summary.areaLabel = c.areaNames[inFiltered ? *area : c.lists[s.areaBegin]];
        }
        summary.isFree = s.isFree;
        summary.costKnown = s.costKnown;
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

}  // namespace signpost
