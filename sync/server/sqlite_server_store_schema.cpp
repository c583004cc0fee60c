// Signpost server — the store's schema: the migrations that build it step by step (PRAGMA
// user_version counts them) and the reading of the current server generation. A schema change is
// one new entry at the end of kMigrations and kSchemaVersion + 1 (sqlite_server_store.h).
#include "sync/server/sqlite_server_store.h"

#include <sqlite3.h>

#include <iterator>

#include "sync/server/sqlite_server_store_internal.h"

namespace signpost::server::store_detail {

namespace {

// Each entry moves the schema from version i to i+1. Never edit a shipped entry; append.
const char* const kMigrations[] = {
    // 0 → 1
    R"sql(
CREATE TABLE devices (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    venue                TEXT NOT NULL,
    signing_key          BLOB NOT NULL,
    token_hash           BLOB NOT NULL UNIQUE,
    enrolled_at          TEXT NOT NULL,
    revoked_at           TEXT,
    last_seen_at         TEXT,
    last_heartbeat       TEXT,
    last_heartbeat_at    TEXT
);
CREATE TABLE enrollment_codes (
    code_hash   BLOB PRIMARY KEY,
    venue       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    device_id   TEXT REFERENCES devices(id)
);
CREATE TABLE coordinator_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE UNIQUE INDEX coordinator_tokens_active_name ON coordinator_tokens(name)
    WHERE revoked_at IS NULL;
CREATE TABLE submissions (
    cursor         INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    device_id      TEXT NOT NULL REFERENCES devices(id),
    seq            INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    form_version   TEXT NOT NULL,
    venue          TEXT NOT NULL,
    neighbourhood  TEXT NOT NULL,
    service_id     TEXT NOT NULL,
    test           INTEGER NOT NULL,
    sealed         BLOB,
    signature      BLOB,
    content_hash   BLOB NOT NULL,
    received_at    TEXT NOT NULL,
    acked_at       TEXT,
    purged_at      TEXT
);
CREATE INDEX submissions_purgeable ON submissions(acked_at)
    WHERE acked_at IS NOT NULL AND purged_at IS NULL;
CREATE TABLE directory_versions (
    version        INTEGER PRIMARY KEY,
    label          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    service_count  INTEGER NOT NULL,
    terms_hash     BLOB NOT NULL,
    terms_json     TEXT NOT NULL,
    snapshot_hash  BLOB NOT NULL,
    snapshot       TEXT
);
CREATE TABLE directory_services (
    service_id    TEXT NOT NULL,
    added_in      INTEGER NOT NULL,
    removed_in    INTEGER,
    content_hash  BLOB NOT NULL,
    document      TEXT NOT NULL,
    PRIMARY KEY (service_id, added_in)
);
CREATE INDEX directory_services_by_version ON directory_services(removed_in, added_in);
CREATE TABLE device_settings (
    device_id   TEXT NOT NULL REFERENCES devices(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (device_id, key)
);
)sql",
    // 1 → 2: restore generations (issue 9). A generation is one life of this database's cursor
    // space; a restore starts a new one, so clients holding a cursor of an earlier one know it.
    // The first row is made here for a database that predates generations.
    R"sql(
CREATE TABLE server_generations (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    started_at    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    first_cursor  INTEGER NOT NULL
);
INSERT INTO server_generations (id, started_at, reason, first_cursor)
    VALUES (lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'created',
            (SELECT coalesce(max(cursor), 0) FROM submissions));
)sql",
};
static_assert(std::size(kMigrations) == SqliteServerStore::kSchemaVersion);

}  // namespace

void migrate(Database& db) {
    Transaction transaction(db);
    const int version = db.userVersion();
    if (version > SqliteServerStore::kSchemaVersion) {
        throw StorageError("database schema version " + std::to_string(version) +
                               " is newer than this server understands (" +
                               std::to_string(SqliteServerStore::kSchemaVersion) +
                               "); upgrade signpost-server",
                           SQLITE_ERROR, SQLITE_ERROR);
    }
    for (int step = version; step < SqliteServerStore::kSchemaVersion; ++step) {
        db.exec(kMigrations[step]);
    }
    if (version != SqliteServerStore::kSchemaVersion) {
        db.setUserVersion(SqliteServerStore::kSchemaVersion);
    }
    transaction.commit();
}

std::string currentGenerationOf(Database& db) {
    Statement query = db.prepare("SELECT id FROM server_generations ORDER BY seq DESC LIMIT 1");
    if (!query.step()) {
        throw StorageError("the database has no server generation", SQLITE_CORRUPT, SQLITE_CORRUPT);
    }
    return query.columnText(0);
}

}  // namespace signpost::server::store_detail
