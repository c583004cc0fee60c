#include "core/directory/directory_cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "core/common/utf8.h"
#include "core/directory/directory_rows.h"
#include "core/directory/schedule.h"

namespace signpost::directory_detail {

namespace {

template <class Map>
std::uint16_t internIndex(Map& indexes, std::vector<std::string>& values,
                          const std::string& value) {
    auto [it, inserted] = indexes.emplace(value, static_cast<std::uint16_t>(values.size()));
    if (inserted) {
        if (values.size() >= std::numeric_limits<std::uint16_t>::max()) {
            throw StorageError("directory has too many distinct areas, needs or languages",
                               SQLITE_TOOBIG, SQLITE_TOOBIG);
        }
        values.push_back(value);
    }
    return it->second;
}

std::uint16_t checkedLength(std::size_t length) {
    return static_cast<std::uint16_t>(
        std::min<std::size_t>(length, std::numeric_limits<std::uint16_t>::max()));
}

}  // namespace

std::string reversedCodePoints(std::string_view text) {
    std::string reversed;
    reversed.reserve(text.size());
    std::size_t end = text.size();
    while (end > 0) {
        std::size_t start = end - 1;
        while (start > 0 && utf8::isContinuation(text[start])) {
            --start;
        }
        reversed.append(text, start, end - start);
        end = start;
    }
    return reversed;
}

namespace {

void packWords(std::vector<std::string>& words, WordList& into) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    into.text.clear();
    into.ends.clear();
    for (const std::string& word : words) {
        into.text += word;
        into.ends.push_back(static_cast<std::uint32_t>(into.text.size()));
    }
    into.text.shrink_to_fit();
}

// The index's vocabulary through fts5vocab (one pass over the index: ~10 ms for 10k services,
// ~120 ms for 100k), minus Chinese bigrams, which never take part in slips.
void loadTerms(Database& db, Cache& c) {
    db.exec(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.signpost_terms USING fts5vocab(main, "
        "'service_fts', 'row')");
    std::vector<std::string> words;
    std::vector<std::string> reversed;
    Statement rows = db.prepare("SELECT term FROM temp.signpost_terms");
    while (rows.step()) {
        const std::string_view term = rows.columnTextView(0);
        if (term.empty() || isCjkToken(term)) {
            continue;
        }
        words.emplace_back(term);
        reversed.push_back(reversedCodePoints(term));
    }
    packWords(words, c.terms);
    packWords(reversed, c.reversedTerms);
}

// A need's words as token sequences, stop words out (as queries drop them).
void addNeedPhrase(Cache& c, const SearchTokenizer& tokenizer, std::uint16_t need, bool fromTexts,
                   std::string_view words) {
    NeedPhrase phrase{need, fromTexts, {}};
    for (SearchToken& token : tokenizer.tokens(words)) {
        if (!isStopWordToken(token.text)) {
            phrase.tokens.push_back(std::move(token.text));
        }
    }
    if (phrase.tokens.empty()) {
        return;
    }
    const auto same = [&](const NeedPhrase& other) {
        return other.need == need && other.tokens == phrase.tokens;
    };
    if (std::find_if(c.needPhrases.begin(), c.needPhrases.end(), same) == c.needPhrases.end()) {
        c.needPhrases.push_back(std::move(phrase));
    }
}

void addSuggestWords(Cache& c, const SearchTokenizer& tokenizer, std::size_t need,
                     std::string_view words) {
    for (SearchToken& token : tokenizer.tokens(words)) {
        std::vector<std::string>& list = c.needWords[need].words;
        if (std::find(list.begin(), list.end(), token.text) == list.end()) {
            list.push_back(std::move(token.text));
        }
    }
}

}  // namespace

std::unique_ptr<Cache> loadCache(Database& db, const SearchTokenizer& tokenizer,
                                 const std::vector<NeedWords>& translated) {
    auto c = std::make_unique<Cache>();
    // A read transaction: the cache is one consistent snapshot even if the sync thread commits.
    Transaction snapshot(db, TransactionMode::Deferred);

    std::unordered_map<std::string, std::uint32_t> organisationIndex;
    {
        Statement rows = db.prepare("SELECT id, name FROM organizations");
        while (rows.step()) {
            organisationIndex.emplace(rows.columnText(0),
                                      static_cast<std::uint32_t>(c->organisationNames.size()));
            c->organisationNames.push_back(rows.columnText(1));
        }
    }
    std::vector<std::string> sortKeys;
    {
        Statement rows = db.prepare(
            "SELECT row_id, id, name, organization_id, is_free, cost_description, "
            "attending_access, "
            "accepts_referrals, sort_key, indexed_tokens, cost_known FROM services WHERE status = "
            "'active' ORDER BY row_id");
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
            s.access =
                parseAttendingAccess(rows.columnTextView(6)).value_or(AttendingAccess::Unknown);
            s.acceptsReferrals = rows.columnInt(7) != 0;
            s.tokenCount = static_cast<std::uint32_t>(rows.columnInt64(9));
            s.costKnown = rows.columnInt(10) != 0;
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
    forEachChild(
        "SELECT service_row, name, extent_type FROM service_areas ORDER BY service_row, position",
        [&](CachedService& s, const Statement& row) {
            if (row.columnTextView(2) != "neighbourhood") {
                // "area" (a drawn shape from a feed) cannot be filtered on: like no area.
                s.cityWide = s.cityWide || row.columnTextView(2) == "city";
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
            "SELECT code, name, keywords FROM taxonomy_terms WHERE taxonomy = ?1 ORDER BY "
            "position");
        rows.bind(1, kNeedsVocabulary);
        while (rows.step()) {
            const std::string code = rows.columnText(0);
            const std::size_t known = c->needCodes.size();
            const std::uint16_t need = internIndex(needIndex, c->needCodes, code);
            if (c->needCodes.size() == known) {
                continue;  // the same code twice: the first term is the need
            }
            c->needWords.push_back({code, {}});
            addSuggestWords(*c, tokenizer, c->needWords.size() - 1,
                            rows.columnText(1) + " " + code);
            addNeedPhrase(*c, tokenizer, need, false, rows.columnTextView(1));
            for (const std::string& keyword : splitKeywords(rows.columnTextView(2))) {
                addSuggestWords(*c, tokenizer, c->needWords.size() - 1, keyword);
                addNeedPhrase(*c, tokenizer, need, false, keyword);
            }
        }
    }
    // The same needs' names and words in every language the texts have (I18n::needWords()).
    for (const NeedWords& entry : translated) {
        const auto found = needIndex.find(entry.needCode);
        if (found == needIndex.end()) {
            continue;  // a need this directory does not have
        }
        for (const std::string& words : entry.words) {
            addSuggestWords(*c, tokenizer, found->second, words);
            addNeedPhrase(*c, tokenizer, found->second, true, words);
        }
    }
    {
        Statement rows = db.prepare(
            "SELECT st.service_row, t.code FROM service_taxonomy st JOIN taxonomy_terms t ON t.id "
            "= st.term_id "
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
            const std::uint16_t need = internIndex(needIndex, c->needCodes, rows.columnText(1));
            c->lists.push_back(need);
            ++s.needCount;
            if (c->needRows.size() <= need) {
                c->needRows.resize(need + 1u);
            }
            if (c->needRows[need].empty() || c->needRows[need].back() != s.rowid) {
                c->needRows[need].push_back(s.rowid);  // rows arrive in rowid order
            }
        }
    }
    c->needRows.resize(c->needCodes.size());
    std::unordered_map<std::string, std::uint16_t> languageIndex;
    forEachChild(
        "SELECT service_row, code FROM service_languages ORDER BY service_row, position",
        [&](CachedService& s, const Statement& row) {
            if (s.languageCount == 0) {
                s.languageBegin = static_cast<std::uint32_t>(c->lists.size());
            }
            c->lists.push_back(internIndex(languageIndex, c->languageCodes, row.columnText(1)));
            ++s.languageCount;
        });
    forEachChild((std::string("SELECT service_row, ") + scheduleColumns() +
                  " FROM schedules ORDER BY service_row, position")
                     .c_str(),
                 [&](CachedService& s, const Statement& row) {
                     const std::optional<ScheduleRule> rule = readScheduleRow(row, 1);
                     if (!rule) {
                         return;
                     }
                     if (s.ruleCount == 0) {
                         s.ruleBegin = static_cast<std::uint32_t>(c->rules.size());
                     }
                     const std::size_t before = c->rules.size();
                     appendCompactRules(*rule, c->rules);
                     s.ruleCount =
                         static_cast<std::uint16_t>(s.ruleCount + (c->rules.size() - before));
                 });
    loadTerms(db, *c);
    snapshot.commit();
    c->text.shrink_to_fit();
    c->lists.shrink_to_fit();
    c->rules.shrink_to_fit();
    return c;
}

}  // namespace signpost::directory_detail
