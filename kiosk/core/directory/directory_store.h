// Signpost — the kiosk's offline directory in SQLite, and search over it.
//
// Schema: one table per HSDS object (organizations, services, locations, service_at_locations,
// phones, schedules, taxonomy_terms, service_taxonomy, service_languages, service_areas,
// location_accessibility) plus directory_meta (version, imported_at, source) and an FTS5 index
// over name, description, organisation and needs (unicode61, remove_diacritics 2, prefix
// indexes). Search is "as you type": every word is a prefix, case- and accent-insensitive,
// ranked by bm25 with name weighted highest.
//
// Thread-safety: one DirectoryStore per thread. The kiosk's UI thread owns one; the sync thread
// opens its own connection to apply updates (SQLite WAL lets the UI keep reading meanwhile).
// Throws StorageError on database failures, ImportError on bad import data.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/time_zone.h"
#include "core/storage/database.h"

namespace signpost {

// One row of the results list.
struct ServiceSummary {
    std::string id;
    std::string name;
    std::string organisationName;
    std::string areaLabel;       // first neighbourhood, or "" when city-wide (UI shows "City-wide")
    bool cityWide = false;
    bool isFree = true;
    std::string costDescription;
    AttendingAccess access = AttendingAccess::Unknown;
    bool openNow = false;        // at the `now` the search was run with
    bool hasSchedule = false;    // false = no published hours; the UI shows no badge
    bool acceptsReferrals = true;
};

// Everything the service page shows.
struct ServiceDetail {
    Service service;
    Organisation organisation;
    std::vector<Location> locations;
    std::vector<TaxonomyTerm> needs;  // the linked need terms, in the directory's need order
};

struct SearchFilters {
    std::string neighbourhood;  // "" = anywhere; otherwise that area plus city-wide services
    std::string needCode;       // "" = any need
    bool openNow = false;
    bool freeOnly = false;
    bool dropInOnly = false;
    std::string languageCode;   // "" = any; ISO 639-1
};

struct SearchRequest {
    std::string text;           // what the resident typed; may be empty (browse)
    SearchFilters filters;
    std::size_t limit = 500;    // at most this many summaries are returned
};

struct SearchResults {
    std::vector<ServiceSummary> items;      // best first (by rank for text, by name for browse)
    std::size_t totalMatches = 0;           // before `limit`
    // Filled when items is empty and text was given: need codes related to the words typed
    // (name, keyword or fuzzy match), best first, at most 4.
    std::vector<std::string> suggestedNeedCodes;
};

struct DirectoryStats {
    std::string version;        // directory_version of the data loaded
    std::string importedAt;     // UTC ISO 8601
    std::string source;         // file path or "server"
    std::size_t services = 0;
    std::size_t organisations = 0;
    std::size_t locations = 0;
};

// What openOrRebuild() had to do, for the staff panel.
enum class DirectoryOpenOutcome { Opened, CreatedFromBundle, RebuiltAfterDamage };

class DirectoryStore {
public:
    // Opens an existing directory database at `path` (":memory:" allowed). Creates the schema if
    // the file is new. Throws StorageError (corrupt file, unreadable).
    explicit DirectoryStore(const std::string& path, const TimeZone& zone);
    ~DirectoryStore();
    DirectoryStore(DirectoryStore&&) noexcept;
    DirectoryStore& operator=(DirectoryStore&&) noexcept;

    // Opens `path`; if it is missing, empty or damaged (fails integrity_check or holds no
    // services), rebuilds it from the bundled HSDS file `bundledJson`. A damaged file is deleted
    // first (the directory is not precious; referrals live elsewhere). `outcome` says what happened.
    static DirectoryStore openOrRebuild(const std::filesystem::path& path,
                                        const std::filesystem::path& bundledJson,
                                        const TimeZone& zone, DirectoryOpenOutcome& outcome);

    // Replaces the whole directory with `data` in one transaction; `source` is recorded.
    void replaceAll(const DirectoryData& data, const std::string& source);
    // Applies a partial update in one transaction: upserts `changed` services (with their
    // organisations, locations and terms included in `data`), deletes `deletedServiceIds`, and
    // records `newVersion`. Readers never see half an update.
    void applyChanges(const DirectoryData& data, const std::vector<std::string>& deletedServiceIds,
                      const std::string& newVersion);

    SearchResults search(const SearchRequest& request, std::chrono::sys_seconds now) const;
    std::optional<ServiceDetail> service(const std::string& id) const;

    // Need terms (vocabulary "signpost-needs"), in the order the data lists them.
    std::vector<TaxonomyTerm> needs() const;
    // Distinct neighbourhood names (service areas with extentType "neighbourhood"), sorted.
    std::vector<std::string> neighbourhoods() const;
    // Distinct language codes any service offers, sorted.
    std::vector<std::string> languagesOffered() const;
    DirectoryStats stats() const;

    // Drops cached state after another connection changed the database (the sync thread); cheap
    // when nothing changed. The UI calls it once per frame at most.
    void refreshIfChanged();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace signpost
