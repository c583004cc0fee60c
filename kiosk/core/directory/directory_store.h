// Signpost — the kiosk's offline directory in SQLite, and search over it.
//
// Schema: one table per HSDS object (organizations, services, locations, service_at_locations,
// phones, schedules, taxonomy_terms, service_taxonomy, service_languages, service_areas,
// location_accessibility) plus directory_meta (version, imported_at, updated_at, source) and a
// contentless FTS5 index over name, needs (need names and keywords), organisation, description
// and places (area names, venue, street, postcode) — unicode61 remove_diacritics 2, prefix
// indexes for 1-3 characters. Letters Unicode cannot decompose (ł, ø, æ, ß, ...) are folded
// before indexing, so "zolc" finds "Żółć" and "cafe" finds "Café".
//
// Search is "as you type": the text is folded and split by the index's own tokenizer (so quotes,
// brackets, `*`, AND/OR/NOT and NEAR( typed by a resident are plain characters, never query
// syntax), every word becomes a prefix ("foo" -> "foo"*), all words are required, and finished
// filler words ("and", "the", "help", "with", "i", "في", ... in each of the kiosk's languages) are
// dropped when other words remain. Text in any script is folded alike (search_text.h: case, Arabic
// script letter forms and harakat, native digits); Chinese is indexed as character bigrams, so
// any part of a name or description can be typed. A word also finds the services of a need it
// names in any language (setNeedWords(): "samotność", "تنهایی", "孤独" -> Feeling lonely), and a
// word of five letters or more that nothing in the index starts with finds the index's words one
// letter away ("lonley" -> "lonely"); search_plan.h has the rules. Results are ranked by bm25 with
// weights name 10, needs 5, organisation 3, places 1.5, description 1 (ties by name).
// The scores are SQLite's bm25() formula, computed from one internal FTS5 pass per word rather
// than one SQL step per row (see phrase_scan.h), so even a single letter over 100k services ranks
// in milliseconds. An empty text (or one with no letters or digits) browses everything in name
// order (case- and accent-insensitive).
//
// Visibility: only services with status "active" are searched, browsed or counted as offered
// (needs, neighbourhoods, languages). Inactive, defunct and temporarily closed services stay in
// the database (a sync may reopen them) and service(id) still returns them with their status, so a
// page already open can say "closed" rather than vanish.
//
// Filters: a neighbourhood matches services in that area plus city-wide ones (extent_type "city",
// or no service area at all); a neighbourhood with no services of its own gives only city-wide
// ones. Language "en" also matches services that list no languages. An unknown need or language
// code matches nothing. "Open now" uses the TimeZone given at construction; services without
// hours are never "open now".
//
// Memory: search keeps a compact cache of every active service's summary, filters and hours
// (about 150 bytes a service, 1.5 MB for 10k); it is built on first use (20-50 ms for 10k) and
// dropped after this store's writes or when refreshIfChanged() sees another connection's commit.
//
// Implemented in directory_store.cpp (opening, writes, reads), directory_search.cpp (search) and
// directory_recovery.cpp (verify, openOrRebuild), sharing directory_store_impl.h.
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

#include "core/common/time_zone.h"
#include "core/directory/directory_types.h"
#include "core/i18n/i18n.h"
#include "core/storage/database.h"

namespace signpost {

// One row of the results list.
struct ServiceSummary {
    std::string id;
    std::string name;
    std::string organisationName;
    std::string areaLabel;  // its neighbourhood (the filtered one if it has several), or ""
                            // when city-wide (UI shows "City-wide")
    bool cityWide = false;
    bool isFree = true;
    std::string costDescription;
    bool costKnown = true;  // false: no cost badge (the data says nothing about cost)
    AttendingAccess access = AttendingAccess::Unknown;
    bool openNow = false;      // at the `now` the search was run with
    bool hasSchedule = false;  // false = no published hours; the UI shows no badge
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
    std::string languageCode;  // "" = any; ISO 639-1
};

struct SearchRequest {
    std::string text;  // what the resident typed; may be empty (browse)
    SearchFilters filters;
    std::size_t limit = 500;  // at most this many summaries are returned
};

struct SearchResults {
    std::vector<ServiceSummary> items;  // best first (by rank for text, by name for browse)
    std::size_t totalMatches = 0;       // before `limit`
    // Filled when items is empty and text was given: need codes related to the words typed
    // (name, keyword or fuzzy match), best first, at most 4.
    std::vector<std::string> suggestedNeedCodes;
    // Needs the words typed name through a translation (any language's tile name or need words)
    // or a one-letter slip, in need order, at most 4, whether or not anything was found: the UI
    // can offer their tiles beside the results ("lonley" -> feeling-lonely).
    std::vector<std::string> namedNeedCodes;
};

struct DirectoryStats {
    std::string version;             // directory_version of the data loaded
    std::string importedAt;          // UTC ISO 8601 of the last replaceAll()
    std::string updatedAt;           // UTC ISO 8601 of the last replaceAll() or applyChanges()
    std::string source;              // file path or "server"
    std::size_t services = 0;        // active services (the ones residents can find)
    std::size_t hiddenServices = 0;  // inactive, defunct or temporarily closed
    std::size_t organisations = 0;
    std::size_t locations = 0;
};

// What openOrRebuild() had to do, for the staff panel.
enum class DirectoryOpenOutcome { Opened, CreatedFromBundle, RebuiltAfterDamage };

// How hard openOrRebuild() looks at an existing file before trusting it.
enum class DirectoryCheck {
    // Schema version, metadata and service count: a few pages, ~1 ms. Catches a missing, empty,
    // foreign, older or badly truncated file, not a damaged page deep inside.
    Fast,
    // Fast plus PRAGMA quick_check (every page's structure) and the FTS5 index's integrity-check.
    // Reads the whole file (about 23 MB for 10k services): 0.1-0.2 s with a warm page cache, more
    // from a cold SD card. Run it off the UI thread, or open with Fast and verify() later.
    Thorough,
};

class DirectoryStore {
public:
    // Opens an existing directory database at `path` (":memory:" allowed). Creates the schema if
    // the file is new. File databases use WAL (synchronous=NORMAL: the directory is re-fetchable).
    // Throws StorageError (corrupt file, unreadable, another application's database, or a
    // directory schema this build does not read — code SQLITE_MISMATCH for the last two).
    explicit DirectoryStore(const std::string& path, const TimeZone& zone);
    ~DirectoryStore();
    DirectoryStore(DirectoryStore&&) noexcept;
    DirectoryStore& operator=(DirectoryStore&&) noexcept;

    // Opens `path`; if it is missing, empty or damaged (not a database, fails the `check` — see
    // DirectoryCheck — or holds no services), rebuilds it from the bundled HSDS file
    // `bundledJson`. A damaged file is deleted first with its -wal/-shm/-journal (the directory is
    // not precious; referrals live elsewhere). `outcome` says what happened: CreatedFromBundle
    // for a missing or zero-length file or an older schema, RebuiltAfterDamage for damage (logged
    // as a warning with the reason). The bundle is parsed before anything is deleted; a broken
    // bundle throws ImportError and leaves the file alone.
    static DirectoryStore openOrRebuild(const std::filesystem::path& path,
                                        const std::filesystem::path& bundledJson,
                                        const TimeZone& zone, DirectoryOpenOutcome& outcome,
                                        DirectoryCheck check = DirectoryCheck::Thorough);
    // The Thorough check on its own, for a background verify after a Fast open: "" if the file
    // is a sound directory, else the reason (then call openOrRebuild with Thorough to rebuild).
    // Opens its own connection. Never throws.
    static std::string verify(const std::filesystem::path& path);

    // Replaces the whole directory with `data` in one transaction; `source` is recorded. `data`
    // must be consistent (as parseHsdsJson() guarantees): a service naming an unknown
    // organisation, location or need code throws ImportError and nothing changes.
    void replaceAll(const DirectoryData& data, const std::string& source);
    // Applies a partial update in one transaction: upserts the services in `data` (with their
    // organisations, locations and terms included in `data`, or already stored), deletes
    // `deletedServiceIds` (unknown ids are ignored), and records `newVersion`. Services whose
    // organisation, need terms or locations changed are re-indexed. Readers never see half an
    // update; any error (ImportError for a dangling reference, StorageError) rolls it all back.
    void applyChanges(const DirectoryData& data, const std::vector<std::string>& deletedServiceIds,
                      const std::string& newVersion);

    // Words residents may type for each need, in every language the texts have
    // (I18n::needWords() with the codes of needs()): search maps them to the need's services.
    // Replaces any earlier set; the search cache is rebuilt with them at the next search.
    void setNeedWords(std::vector<NeedWords> words);

    // See the top of this file. Never throws for anything a resident can type; StorageError only
    // if the database itself fails.
    SearchResults search(const SearchRequest& request, std::chrono::sys_seconds now) const;
    // Everything about one service (any status); nullopt if no such id.
    std::optional<ServiceDetail> service(const std::string& id) const;

    // Need terms (vocabulary "signpost-needs"), in the order the data lists them.
    std::vector<TaxonomyTerm> needs() const;
    // Distinct neighbourhood names (service areas with extentType "neighbourhood") of active
    // services, sorted. Runs a query: call it when a screen opens, not every frame.
    std::vector<std::string> neighbourhoods() const;
    // Distinct language codes any active service offers, sorted.
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
