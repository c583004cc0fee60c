#include "core/directory/directory_rows.h"

#include <stdexcept>

#include "core/directory/schedule.h"

namespace signpost::directory_detail {

namespace {
constexpr char kKeywordSeparator = '\x1f';
}  // namespace

// One table per HSDS object. Services have an integer row_id (the FTS rowid) and their child rows
// hang off it with ON DELETE CASCADE, so replacing a service is delete + insert with the same id.
// The FTS table is contentless: the text it indexed is kept (or re-derivable) in `services`, which
// is what FTS5 needs to delete a row, and what the kiosk needs anyway.
const char* directorySchemaSql() {
    return R"sql(
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
    cost_known INTEGER NOT NULL DEFAULT 1,
    check_times INTEGER NOT NULL DEFAULT 0,
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
    interval INTEGER NOT NULL DEFAULT 1,
    anchor TEXT,
    wkst INTEGER NOT NULL DEFAULT 1,
    bymonthday TEXT NOT NULL DEFAULT '',
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
    tokenize = 'unicode61 remove_diacritics 2 categories ''L* N* Co M*''',
    prefix = '1 2 3'
);
)sql";
}

const char* scheduleColumns() {
    return "freq, byday, opens_at, closes_at, valid_from, valid_to, description, interval, anchor, "
           "wkst, bymonthday";
}

const char* termColumns() {
    return "t.id, t.code, t.name, t.description, t.parent_id, t.taxonomy, t.term_uri, t.keywords";
}

TaxonomyTerm readTermRow(const Statement& row, int first) {
    return {row.columnText(first),     row.columnText(first + 1),
            row.columnText(first + 2), row.columnText(first + 3),
            row.columnText(first + 4), row.columnText(first + 5),
            row.columnText(first + 6), splitKeywords(row.columnTextView(first + 7))};
}

std::optional<ScheduleRule> readScheduleRow(const Statement& row, int first) {
    ScheduleRule rule;
    try {
        rule.frequency = parseFrequency(row.columnTextView(first));
        rule.byDays = parseByDay(row.columnTextView(first + 1));
        rule.byMonthDays = parseByMonthDay(row.columnTextView(first + 10));
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // written from parsed values; unreadable means tampering
    }
    rule.opensAtMinutes = row.columnInt(first + 2);
    rule.closesAtMinutes = row.columnInt(first + 3);
    rule.validFrom = columnDate(row, first + 4);
    rule.validTo = columnDate(row, first + 5);
    rule.description = row.columnText(first + 6);
    rule.interval = row.columnInt(first + 7);
    rule.anchor = columnDate(row, first + 8);
    rule.weekStart = static_cast<unsigned>(row.columnInt(first + 9));
    return rule;
}

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

void appendWords(std::string& into, std::string_view words) {
    if (words.empty()) {
        return;
    }
    if (!into.empty()) {
        into += ' ';
    }
    into += words;
}

}  // namespace signpost::directory_detail
