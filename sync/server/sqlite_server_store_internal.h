// Signpost server — what the SqliteServerStore's source files share (sqlite_server_store.cpp,
// _schema, _devices, _submissions, _directory.cpp): the read-connection pool, the row readers
// and the small conversions. Not part of the store's API: include it only from those files.
//
// Thread-safety: ReadPool is safe from any thread; the rest are pure functions.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/common/ids.h"
#include "core/common/time_util.h"
#include "core/storage/database.h"
#include "sync/server/group_commit_writer.h"
#include "sync/server/sqlite_server_store.h"

namespace signpost::server {

namespace store_detail {

inline std::string stamp(SystemTime time) {
    return formatIsoUtcMillis(time);
}

inline std::span<const std::uint8_t> bytesOf(const std::array<std::uint8_t, 32>& hash) {
    return hash;
}

inline bool sameBytes(const std::vector<std::uint8_t>& blob,
                      const std::array<std::uint8_t, 32>& hash) {
    return blob.size() == hash.size() && std::equal(blob.begin(), blob.end(), hash.begin());
}

// The columns readDevice() reads, in its order.
inline constexpr const char* kDeviceColumns =
    "id, name, venue, signing_key, enrolled_at, last_seen_at, revoked_at, last_heartbeat_at, "
    "last_heartbeat";

inline DeviceRecord readDevice(Statement& row) {
    DeviceRecord d;
    d.id = row.columnText(0);
    d.name = row.columnText(1);
    d.venue = row.columnText(2);
    d.signingKey = row.columnBlob(3);
    d.enrolledAt = row.columnText(4);
    d.lastSeenAt = row.columnText(5);
    d.revokedAt = row.columnText(6);
    d.lastHeartbeatAt = row.columnText(7);
    d.lastHeartbeatJson = row.columnText(8);
    return d;
}

// The columns readVersion() reads, in its order.
inline constexpr const char* kVersionColumns =
    "version, label, created_at, service_count, snapshot_hash";

inline DirectoryVersionInfo readVersion(Statement& row) {
    DirectoryVersionInfo v;
    v.version = row.columnInt64(0);
    v.label = row.columnText(1);
    v.createdAt = row.columnText(2);
    v.serviceCount = static_cast<std::size_t>(row.columnInt64(3));
    v.tag = toHex(row.columnBlob(4)).substr(0, 16);
    return v;
}

// Creates or migrates the schema to SqliteServerStore::kSchemaVersion, in one transaction.
// Throws StorageError for a database newer than this program (sqlite_server_store_schema.cpp).
void migrate(Database& db);
// The id of the newest server generation; throws StorageError if there is none.
std::string currentGenerationOf(Database& db);

}  // namespace store_detail

// Read connections, opened on demand and reused. WAL lets them read beside the writer.
class SqliteServerStore::ReadPool {
public:
    explicit ReadPool(std::string path) : m_path(std::move(path)) {}

    class Lease {
    public:
        Lease(ReadPool& pool, std::unique_ptr<Database> db) : m_pool(pool), m_db(std::move(db)) {}
        ~Lease() { m_pool.giveBack(std::move(m_db)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Database& db() { return *m_db; }

    private:
        ReadPool& m_pool;
        std::unique_ptr<Database> m_db;
    };

    Lease acquire() {
        {
            std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                auto db = std::move(m_free.back());
                m_free.pop_back();
                return Lease(*this, std::move(db));
            }
        }
        DatabaseOptions options;
        options.create = false;
        auto db = std::make_unique<Database>(m_path, options);
        db->exec("PRAGMA query_only = ON");
        return Lease(*this, std::move(db));
    }

private:
    void giveBack(std::unique_ptr<Database> db) {
        if (!db) {
            return;
        }
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(db));
    }

    std::string m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Database>> m_free;
};

template <class F>
auto SqliteServerStore::read(F&& work) {
    auto lease = m_readers->acquire();
    return work(lease.db());
}

}  // namespace signpost::server
