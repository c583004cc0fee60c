// Signpost — writing the directory: services with their child rows and FTS5 entries, and the
// organisations, locations, terms and metadata they refer to (internal to the directory module).
//
// The FTS table is contentless, so deleting a service's entry needs exactly the text that was
// indexed: the writer keeps it in the services row (indexed_* columns, plus name and description
// folded the same way) and always deletes with those values.
//
// Thread-safety: one Writer per transaction, on the connection's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/search_text.h"
#include "core/storage/database.h"

namespace signpost::directory_detail {

// The derived text a service is indexed under besides its own name and description.
struct IndexedText {
    std::string needs;         // its needs' names and keywords
    std::string organisation;  // its organisation's name
    std::string places;        // area names, venue names, streets and postcodes
};

// Writes services inside the caller's transaction. Lookups of organisations, needs and
// locations are memoised: a 100k import resolves the same few many times.
class Writer {
public:
    Writer(Database& db, const SearchTokenizer& tokenizer);

    // Inserts `service` (as row `rowid`, or a new row when 0) with its children and index entry;
    // returns its row id. Throws ImportError naming `record` for an unknown organisation, need or
    // location; StorageError for database failures (a duplicate id among them).
    std::int64_t insert(const Service& service, std::int64_t rowid, const std::string& record);
    // Removes a service row (children cascade) and its index entry. Returns false if absent.
    bool remove(std::int64_t rowid);
    // Recomputes a service's index entry after its organisation, needs or locations changed.
    void reindex(std::int64_t rowid);

private:
    struct NeedInfo {
        std::string id;
        std::string words;
    };
    struct LocationInfo {
        std::string words;
    };

    bool removeFromIndex(std::int64_t rowid);
    IndexedText indexedText(const std::string& organisationName,
                            const std::vector<std::string>& needCodes,
                            const std::vector<std::string>& areaNames,
                            const std::vector<std::string>& locationIds);
    const std::string* organisation(const std::string& id);
    const NeedInfo* need(const std::string& code);
    const LocationInfo* location(const std::string& id);

    Database& m_db;
    const SearchTokenizer& m_tokenizer;
    Statement m_insertService, m_insertLocation, m_insertPhone, m_insertSchedule, m_insertTerm,
        m_insertLanguage, m_insertArea, m_insertFts, m_deleteFts, m_findOrganisation, m_findNeed,
        m_findLocation;
    std::unordered_map<std::string, std::optional<std::string>> m_organisations;
    std::unordered_map<std::string, std::optional<NeedInfo>> m_needs;
    std::unordered_map<std::string, std::optional<LocationInfo>> m_locations;
};

void upsertOrganisation(Database& db, const Organisation& org);
// Replaces the location's accessibility statements too.
void upsertLocation(Database& db, const Location& location);
// `position` orders the need tiles; an existing term keeps the one it has.
void upsertTerm(Database& db, const TaxonomyTerm& term, std::int64_t position);
void setMeta(Database& db, std::string_view key, std::string_view value);
std::string getMeta(Database& db, std::string_view key);  // "" if unset

}  // namespace signpost::directory_detail
