#include "core/directory/directory_cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "core/directory/directory_rows.h"
#include "core/directory/schedule.h"

namespace signpost::directory_detail {

namespace {

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

std::unique_ptr<Cache> loadCache(Database& db, const SearchTokenizer& tokenizer) {
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
            s.access = parseAttendingAccess(rows.columnTextView(6)).value_or(AttendingAccess::Unknown);
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
    snapshot.commit();
    c->text.shrink_to_fit();
    c->lists.shrink_to_fit();
    c->rules.shrink_to_fit();
    return c;
}

}  // namespace signpost::directory_detail
