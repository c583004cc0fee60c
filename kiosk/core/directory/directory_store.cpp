// Signpost — DirectoryStore: opening the directory database (WAL, the schema, its version),
// replacing or updating it from HSDS data in one transaction, and the reads the screens make
// (one service's page, the needs, neighbourhoods and languages offered, the staff panel's
// figures). Search is in directory_search.cpp, checking and rebuilding a file in
// directory_recovery.cpp; the class's private state in directory_store_impl.h.
#include "core/directory/directory_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/directory_rows.h"
#include "core/directory/directory_store_impl.h"
#include "core/directory/directory_writer.h"

namespace signpost {

using namespace directory_detail;

namespace {

std::string recordName(std::size_t index, const std::string& id) {
    return "services[" + std::to_string(index) + "] (id \"" + id + "\")";
}

std::string nowIso() {
    return formatIsoUtc(std::chrono::system_clock::now());
}

// The first column of every row `sql` returns.
std::vector<std::string> textColumn(Database& db, const char* sql) {
    Statement rows = db.prepare(sql);
    std::vector<std::string> values;
    while (rows.step()) {
        values.push_back(rows.columnText(0));
    }
    return values;
}

bool isFileDatabase(const std::string& path) {
    return !path.empty() && path != ":memory:" && path.rfind("file::memory:", 0) != 0;
}

}  // namespace

Database DirectoryStore::Impl::openDatabase(const std::string& path) {
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
            throw StorageError(path + " is a database, but not a Signpost directory",
                               SQLITE_MISMATCH, SQLITE_MISMATCH);
        }
        Transaction transaction(database);
        database.exec(directorySchemaSql());
        database.setUserVersion(kSchemaVersion);
        transaction.commit();
    } else if (version != kSchemaVersion) {
        throw StorageError(path + " has directory schema " + std::to_string(version) +
                               ", this build reads " + std::to_string(kSchemaVersion),
                           SQLITE_MISMATCH, SQLITE_MISMATCH);
    }
    return database;
}

std::int64_t DirectoryStore::Impl::currentDataVersion() {
    if (!dataVersionStatement) {
        dataVersionStatement.emplace(db.prepare("PRAGMA data_version"));
    }
    dataVersionStatement->step();
    const std::int64_t value = dataVersionStatement->columnInt64(0);
    dataVersionStatement->reset();
    return value;
}

const Cache& DirectoryStore::Impl::ensureCache() {
    if (!cache) {
        dataVersion = currentDataVersion();
        cache = loadCache(db, tokenizer, translatedNeedWords);
    }
    return *cache;
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
        db.exec(
            "INSERT INTO service_fts (service_fts) VALUES ('delete-all');"
            "DELETE FROM service_at_locations; DELETE FROM phones; DELETE FROM schedules;"
            "DELETE FROM service_taxonomy; DELETE FROM service_languages; DELETE FROM "
            "service_areas;"
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
    logInfo("directory", "imported " + std::to_string(data.services.size()) +
                             " services, version " + data.version);
}

void DirectoryStore::applyChanges(const DirectoryData& data,
                                  const std::vector<std::string>& deletedServiceIds,
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
        Statement maxPosition =
            db.prepare("SELECT coalesce(max(position), -1) FROM taxonomy_terms");
        maxPosition.step();
        std::int64_t nextPosition = maxPosition.columnInt64(0) + 1;
        Statement existingPosition =
            db.prepare("SELECT position FROM taxonomy_terms WHERE id = ?1");
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
            collect("SELECT service_row FROM service_at_locations WHERE location_id = ?1",
                    location.id);
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
                             std::to_string(deletedServiceIds.size()) +
                             " deleted services, version " + newVersion);
}

std::optional<ServiceDetail> DirectoryStore::service(const std::string& id) const {
    Database& db = m_impl->db;
    Transaction snapshot(db, TransactionMode::Deferred);
    Statement row = db.prepare(
        "SELECT row_id, id, organization_id, name, description, eligibility_description, "
        "application_process, url, "
        "email, status, attending_types, attending_access, is_free, cost_description, minimum_age, "
        "maximum_age, "
        "assured_date, accepts_referrals, cost_known, check_times FROM services WHERE id = ?1");
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
    s.attendingAccess =
        parseAttendingAccess(row.columnTextView(11)).value_or(AttendingAccess::Unknown);
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
    s.costKnown = row.columnInt(18) != 0;
    s.checkTimes = row.columnInt(19) != 0;

    auto children = [&](const char* sql, auto&& add) {
        Statement rows = db.prepare(sql);
        rows.bind(1, rowid);
        while (rows.step()) {
            add(rows);
        }
    };
    children("SELECT number, description FROM phones WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) {
                 s.phones.push_back({r.columnText(0), r.columnText(1)});
             });
    children((std::string("SELECT ") + scheduleColumns() +
              " FROM schedules WHERE service_row = ?1 ORDER BY position")
                 .c_str(),
             [&](const Statement& r) {
                 if (auto rule = readScheduleRow(r, 0)) {
                     s.schedules.push_back(std::move(*rule));
                 }
             });
    children("SELECT name, extent_type FROM service_areas WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) {
                 s.serviceAreas.push_back({r.columnText(0), r.columnText(1)});
             });
    children("SELECT code FROM service_languages WHERE service_row = ?1 ORDER BY position",
             [&](const Statement& r) { s.languages.push_back(r.columnText(0)); });
    children(
        "SELECT location_id FROM service_at_locations WHERE service_row = ?1 ORDER BY position",
        [&](const Statement& r) { s.locationIds.push_back(r.columnText(0)); });
    Statement needs = db.prepare(std::string("SELECT ") + termColumns() +
                                 ", st.position FROM service_taxonomy st JOIN taxonomy_terms t ON "
                                 "t.id = st.term_id WHERE st.service_row = ?1 AND t.taxonomy = ?2 "
                                 "ORDER BY t.position");
    needs.bindAll(rowid, kNeedsVocabulary);
    std::vector<std::pair<std::int64_t, std::string>> codesInDataOrder;
    while (needs.step()) {
        TaxonomyTerm term = readTermRow(needs, 0);
        codesInDataOrder.emplace_back(needs.columnInt64(kTermColumnCount), term.code);
        detail.needs.push_back(std::move(term));
    }
    std::sort(codesInDataOrder.begin(), codesInDataOrder.end());
    for (auto& [position, code] : codesInDataOrder) {
        s.needCodes.push_back(std::move(code));
    }

    Statement org =
        db.prepare("SELECT id, name, description, website, email FROM organizations WHERE id = ?1");
    org.bind(1, s.organisationId);
    if (org.step()) {
        detail.organisation = {org.columnText(0), org.columnText(1), org.columnText(2),
                               org.columnText(3), org.columnText(4)};
    }
    Statement location = db.prepare(
        "SELECT id, name, address_1, address_2, city, postal_code, latitude, longitude, "
        "transportation "
        "FROM locations WHERE id = ?1");
    Statement accessibility = db.prepare(
        "SELECT description FROM location_accessibility WHERE location_id = ?1 ORDER BY position");
    for (const std::string& locationId : s.locationIds) {
        location.bind(1, locationId);
        if (location.step()) {
            Location l;
            l.id = location.columnText(0);
            l.name = location.columnText(1);
            l.address = {location.columnText(2), location.columnText(3), location.columnText(4),
                         location.columnText(5)};
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
    Statement rows =
        m_impl->db.prepare(std::string("SELECT ") + termColumns() +
                           " FROM taxonomy_terms t WHERE t.taxonomy = ?1 ORDER BY t.position");
    rows.bind(1, kNeedsVocabulary);
    std::vector<TaxonomyTerm> terms;
    while (rows.step()) {
        terms.push_back(readTermRow(rows, 0));
    }
    return terms;
}

std::vector<std::string> DirectoryStore::neighbourhoods() const {
    return textColumn(m_impl->db,
                      "SELECT DISTINCT a.name FROM service_areas a JOIN services s ON s.row_id = "
                      "a.service_row WHERE a.extent_type = 'neighbourhood' AND s.status = 'active' "
                      "ORDER BY a.name");
}

std::vector<std::string> DirectoryStore::languagesOffered() const {
    return textColumn(m_impl->db,
                      "SELECT DISTINCT l.code FROM service_languages l JOIN services s ON "
                      "s.row_id = l.service_row WHERE s.status = 'active' ORDER BY l.code");
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

}  // namespace signpost
