#include "core/directory/directory_writer.h"

#include <sqlite3.h>

#include "core/directory/directory_rows.h"
#include "core/directory/hsds_import.h"
#include "core/directory/schedule.h"

namespace signpost::directory_detail {

namespace {

// Tokens FTS5 indexes for one row, all columns: bm25's row length, kept with the row.
std::int64_t indexedTokens(const SearchTokenizer& tokenizer, const std::string& foldedName,
                           const IndexedText& indexed, const std::string& foldedDescription) {
    return static_cast<std::int64_t>(
        tokenizer.countTokens(foldedName) + tokenizer.countTokens(indexed.needs) +
        tokenizer.countTokens(indexed.organisation) + tokenizer.countTokens(foldedDescription) +
        tokenizer.countTokens(indexed.places));
}

}  // namespace

Writer::Writer(Database& db, const SearchTokenizer& tokenizer)
    : m_db(db),
      m_tokenizer(tokenizer),
      m_insertService(db.prepare(
          "INSERT INTO services (row_id, id, organization_id, name, description, "
          "eligibility_description, "
          "application_process, url, email, status, attending_types, attending_access, is_free, "
          "cost_description, minimum_age, maximum_age, assured_date, accepts_referrals, sort_key, "
          "indexed, "
          "indexed_needs, indexed_organisation, indexed_places, indexed_tokens, cost_known, "
          "check_times) VALUES (?1, ?2, "
          "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
          "?22, ?23, ?24, "
          "?25, ?26)")),
      m_insertLocation(
          db.prepare("INSERT INTO service_at_locations (service_row, position, location_id) "
                     "VALUES (?1, ?2, ?3)")),
      m_insertPhone(db.prepare("INSERT INTO phones (service_row, position, number, description) "
                               "VALUES (?1, ?2, ?3, ?4)")),
      m_insertSchedule(db.prepare("INSERT INTO schedules (service_row, position, freq, byday, "
                                  "opens_at, closes_at, valid_from, "
                                  "valid_to, description, interval, anchor, wkst, bymonthday) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                  "?9, ?10, ?11, ?12, ?13)")),
      m_insertTerm(db.prepare("INSERT INTO service_taxonomy (service_row, position, term_id) "
                              "VALUES (?1, ?2, ?3)")),
      m_insertLanguage(db.prepare("INSERT INTO service_languages (service_row, position, code) "
                                  "VALUES (?1, ?2, ?3)")),
      m_insertArea(
          db.prepare("INSERT INTO service_areas (service_row, position, name, extent_type) "
                     "VALUES (?1, ?2, ?3, ?4)")),
      m_insertFts(
          db.prepare("INSERT INTO service_fts (rowid, name, needs, organisation, description, "
                     "places) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
      m_deleteFts(
          db.prepare("INSERT INTO service_fts (service_fts, rowid, name, needs, organisation, "
                     "description, places) VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)")),
      m_findOrganisation(db.prepare("SELECT name FROM organizations WHERE id = ?1")),
      m_findNeed(db.prepare(
          "SELECT id, name, keywords FROM taxonomy_terms WHERE taxonomy = ?1 AND code = ?2")),
      m_findLocation(db.prepare(
          "SELECT name, address_1, address_2, postal_code FROM locations WHERE id = ?1")) {}

// Inserts `service` (as row `rowid`, or a new row when 0) with its children and index entry.
std::int64_t Writer::insert(const Service& service, std::int64_t rowid, const std::string& record) {
    const std::string* organisationName = organisation(service.organisationId);
    if (organisationName == nullptr) {
        throw ImportError(
            record, "organization_id: no organization with id \"" + service.organisationId + "\"");
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
    const IndexedText indexed =
        indexedText(*organisationName, service.needCodes, areaNames, service.locationIds);
    const bool active = service.status == ServiceStatus::Active;
    const std::string foldedName = foldLetters(service.name);
    const std::string foldedDescription = foldLetters(service.description);

    Statement& s = m_insertService;
    if (rowid != 0) {
        s.bind(1, rowid);
    } else {
        s.bindNull(1);
    }
    s.bind(2, service.id)
        .bind(3, service.organisationId)
        .bind(4, service.name)
        .bind(5, service.description);
    s.bind(6, service.eligibility)
        .bind(7, service.applicationProcess)
        .bind(8, service.url)
        .bind(9, service.email);
    s.bind(10, toHsds(service.status)).bind(11, static_cast<std::int64_t>(service.attendingTypes));
    s.bind(12, toHsds(service.attendingAccess))
        .bind(13, service.isFree ? 1 : 0)
        .bind(14, service.costDescription);
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
    s.bind(20, active ? 1 : 0)
        .bind(21, indexed.needs)
        .bind(22, indexed.organisation)
        .bind(23, indexed.places);
    s.bind(24, indexedTokens(m_tokenizer, foldedName, indexed, foldedDescription));
    s.bind(25, service.costKnown ? 1 : 0).bind(26, service.checkTimes ? 1 : 0);
    s.run();
    const std::int64_t row = m_db.lastInsertRowId();

    for (std::size_t i = 0; i < service.locationIds.size(); ++i) {
        m_insertLocation.bindAll(row, static_cast<std::int64_t>(i), service.locationIds[i]).run();
    }
    for (std::size_t i = 0; i < service.phones.size(); ++i) {
        m_insertPhone
            .bindAll(row, static_cast<std::int64_t>(i), service.phones[i].number,
                     service.phones[i].description)
            .run();
    }
    for (std::size_t i = 0; i < service.schedules.size(); ++i) {
        const ScheduleRule& rule = service.schedules[i];
        m_insertSchedule.bindAll(row, static_cast<std::int64_t>(i), formatFrequency(rule.frequency),
                                 formatByDay(rule.byDays), rule.opensAtMinutes,
                                 rule.closesAtMinutes);
        bindOptionalDate(m_insertSchedule, 7, rule.validFrom);
        bindOptionalDate(m_insertSchedule, 8, rule.validTo);
        m_insertSchedule.bind(9, rule.description).bind(10, rule.interval);
        bindOptionalDate(m_insertSchedule, 11, rule.anchor);
        m_insertSchedule.bind(12, static_cast<std::int64_t>(rule.weekStart))
            .bind(13, formatByMonthDay(rule.byMonthDays))
            .run();
    }
    for (std::size_t i = 0; i < termIds.size(); ++i) {
        m_insertTerm.bindAll(row, static_cast<std::int64_t>(i), termIds[i]).run();
    }
    for (std::size_t i = 0; i < service.languages.size(); ++i) {
        m_insertLanguage.bindAll(row, static_cast<std::int64_t>(i), service.languages[i]).run();
    }
    for (std::size_t i = 0; i < service.serviceAreas.size(); ++i) {
        m_insertArea
            .bindAll(row, static_cast<std::int64_t>(i), service.serviceAreas[i].name,
                     service.serviceAreas[i].extentType)
            .run();
    }
    if (active) {
        m_insertFts
            .bindAll(row, foldedName, indexed.needs, indexed.organisation, foldedDescription,
                     indexed.places)
            .run();
    }
    return row;
}

// Removes a service row (children cascade) and its index entry. Returns false if absent.
bool Writer::remove(std::int64_t rowid) {
    if (!removeFromIndex(rowid)) {
        return false;
    }
    Statement erase = m_db.prepare("DELETE FROM services WHERE row_id = ?1");
    erase.bind(1, rowid).run();
    return true;
}

// Recomputes a service's index entry after its organisation, needs or locations changed.
void Writer::reindex(std::int64_t rowid) {
    Statement row = m_db.prepare(
        "SELECT name, description, organization_id, status, indexed, indexed_needs, "
        "indexed_organisation, "
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
    Statement areaRows =
        m_db.prepare("SELECT name FROM service_areas WHERE service_row = ?1 ORDER BY position");
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
        indexedText(organisationName != nullptr ? *organisationName : std::string(), needCodes,
                    areas, locations);
    if (fresh.needs == old.needs && fresh.organisation == old.organisation &&
        fresh.places == old.places && wasIndexed == active) {
        return;
    }
    if (wasIndexed) {
        m_deleteFts
            .bindAll(rowid, foldLetters(name), old.needs, old.organisation,
                     foldLetters(description), old.places)
            .run();
    }
    Statement update = m_db.prepare(
        "UPDATE services SET indexed = ?2, indexed_needs = ?3, indexed_organisation = ?4, "
        "indexed_places = ?5, "
        "indexed_tokens = ?6 WHERE row_id = ?1");
    update
        .bindAll(rowid, active ? 1 : 0, fresh.needs, fresh.organisation, fresh.places,
                 indexedTokens(m_tokenizer, foldLetters(name), fresh, foldLetters(description)))
        .run();
    if (active) {
        m_insertFts
            .bindAll(rowid, foldLetters(name), fresh.needs, fresh.organisation,
                     foldLetters(description), fresh.places)
            .run();
    }
}

bool Writer::removeFromIndex(std::int64_t rowid) {
    Statement row = m_db.prepare(
        "SELECT name, description, indexed, indexed_needs, indexed_organisation, indexed_places "
        "FROM services WHERE row_id = ?1");
    row.bind(1, rowid);
    if (!row.step()) {
        return false;
    }
    if (row.columnInt(2) != 0) {
        // FTS5 removes a contentless row given exactly the values it indexed.
        m_deleteFts
            .bindAll(rowid, foldLetters(row.columnTextView(0)), row.columnText(3),
                     row.columnText(4), foldLetters(row.columnTextView(1)), row.columnText(5))
            .run();
    }
    return true;
}

IndexedText Writer::indexedText(const std::string& organisationName,
                                const std::vector<std::string>& needCodes,
                                const std::vector<std::string>& areaNames,
                                const std::vector<std::string>& locationIds) {
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

const std::string* Writer::organisation(const std::string& id) {
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

const Writer::NeedInfo* Writer::need(const std::string& code) {
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

const Writer::LocationInfo* Writer::location(const std::string& id) {
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

void upsertOrganisation(Database& db, const Organisation& org) {
    Statement s = db.prepare(
        "INSERT INTO organizations (id, name, description, website, email) VALUES (?1, ?2, ?3, ?4, "
        "?5) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, "
        "website = excluded.website, email = excluded.email");
    s.bindAll(org.id, org.name, org.description, org.website, org.email).run();
}

void upsertLocation(Database& db, const Location& location) {
    Statement s = db.prepare(
        "INSERT INTO locations (id, name, address_1, address_2, city, postal_code, latitude, "
        "longitude, "
        "transportation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE "
        "SET "
        "name = excluded.name, address_1 = excluded.address_1, address_2 = excluded.address_2, "
        "city = excluded.city, postal_code = excluded.postal_code, latitude = excluded.latitude, "
        "longitude = excluded.longitude, transportation = excluded.transportation");
    s.bindAll(location.id, location.name, location.address.line1, location.address.line2,
              location.address.city, location.address.postcode);
    if (location.latitude && location.longitude) {
        s.bind(7, *location.latitude).bind(8, *location.longitude);
    } else {
        s.bindNull(7).bindNull(8);
    }
    s.bind(9, location.transportation).run();
    Statement clear = db.prepare("DELETE FROM location_accessibility WHERE location_id = ?1");
    clear.bind(1, location.id).run();
    Statement add = db.prepare(
        "INSERT INTO location_accessibility (location_id, position, description) VALUES (?1, ?2, "
        "?3)");
    for (std::size_t i = 0; i < location.accessibility.size(); ++i) {
        add.bindAll(location.id, static_cast<std::int64_t>(i), location.accessibility[i]).run();
    }
}

void upsertTerm(Database& db, const TaxonomyTerm& term, std::int64_t position) {
    Statement s = db.prepare(
        "INSERT INTO taxonomy_terms (id, code, name, description, parent_id, taxonomy, term_uri, "
        "keywords, "
        "position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET code "
        "= excluded.code, "
        "name = excluded.name, description = excluded.description, parent_id = excluded.parent_id, "
        "taxonomy = excluded.taxonomy, term_uri = excluded.term_uri, keywords = excluded.keywords");
    s.bindAll(term.id, term.code, term.name, term.description, term.parentId, term.taxonomy,
              term.termUri, joinKeywords(term.keywords), position)
        .run();
}

void setMeta(Database& db, std::string_view key, std::string_view value) {
    Statement s = db.prepare(
        "INSERT INTO directory_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value");
    s.bindAll(key, value).run();
}

std::string getMeta(Database& db, std::string_view key) {
    Statement s = db.prepare("SELECT value FROM directory_meta WHERE key = ?1");
    s.bind(1, key);
    return s.step() ? s.columnText(0) : std::string();
}

}  // namespace signpost::directory_detail
