// Signpost server — the store's life cycle: opening (migrate, read the generation, the read pool
// and the group writer), new generations, integrity and the figures /metrics shows. The queries by
// resource are in sqlite_server_store_devices.cpp, _submissions.cpp and _directory.cpp; the schema
// in sqlite_server_store_schema.cpp.
#include "sync/server/sqlite_server_store.h"

#include <sodium.h>

#include "sync/server/sqlite_server_store_internal.h"

namespace signpost::server {

using namespace store_detail;

SqliteServerStore::SqliteServerStore(const std::filesystem::path& file) : m_path(file) {
    Database db(file.string());
    db.useDurableWal();
    migrate(db);
    m_generation = currentGenerationOf(db);
    m_readers = std::make_unique<ReadPool>(file.string());
    m_writer = std::make_unique<GroupCommitWriter>(std::move(db));
}

SqliteServerStore::~SqliteServerStore() = default;

std::string SqliteServerStore::startNewGeneration(Database& db, const std::string& reason,
                                                  SystemTime now) {
    migrate(db);
    Transaction transaction(db);
    ensureSodium();
    std::array<std::uint8_t, 8> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    const std::string id = toHex(bytes);
    db.prepare(
          "INSERT INTO server_generations (id, started_at, reason, first_cursor) "
          "VALUES (?, ?, ?, (SELECT coalesce(max(cursor), 0) FROM submissions))")
        .bind(1, id)
        .bind(2, stamp(now))
        .bind(3, reason)
        .run();
    transaction.commit();
    return id;
}

std::vector<GenerationRecord> SqliteServerStore::generations() {
    return read([](Database& db) {
        std::vector<GenerationRecord> list;
        Statement rows = db.prepare(
            "SELECT id, started_at, reason, first_cursor FROM server_generations ORDER BY seq "
            "DESC");
        while (rows.step()) {
            list.push_back(
                {rows.columnText(0), rows.columnText(1), rows.columnText(2), rows.columnInt64(3)});
        }
        return list;
    });
}

std::size_t SqliteServerStore::commitCount() const {
    return m_writer->commits();
}

std::string SqliteServerStore::integrityCheck() {
    return read([](Database& db) { return db.integrityCheck(); });
}

StoreStats SqliteServerStore::stats() {
    return read([](Database& db) {
        StoreStats s;
        Statement submissions = db.prepare(
            "SELECT count(*), coalesce(sum(acked_at IS NULL), 0) FROM submissions "
            "WHERE sealed IS NOT NULL");
        if (submissions.step()) {
            s.submissionsStored = submissions.columnInt64(0);
            s.submissionsUnacked = submissions.columnInt64(1);
        }
        Statement devices = db.prepare(
            "SELECT coalesce(sum(revoked_at IS NULL), 0), coalesce(sum(revoked_at IS NOT NULL), 0) "
            "FROM devices");
        if (devices.step()) {
            s.devicesActive = devices.columnInt64(0);
            s.devicesRevoked = devices.columnInt64(1);
        }
        Statement version = db.prepare("SELECT coalesce(max(version), 0) FROM directory_versions");
        if (version.step()) {
            s.directoryVersion = version.columnInt64(0);
        }
        return s;
    });
}

}  // namespace signpost::server