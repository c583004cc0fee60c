#include "sync/server/sqlite_server_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "core/common/ids.h"
#include "sync/server/group_commit_writer.h"

namespace signpost::server {

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
};
static_assert(std::size(kMigrations) == SqliteServerStore::kSchemaVersion);

std::string stamp(SystemTime time) {
    return formatIsoUtcMillis(time);
}

std::span<const std::uint8_t> bytesOf(const std::array<std::uint8_t, 32>& hash) {
    return hash;
}

bool sameBytes(const std::vector<std::uint8_t>& blob, const std::array<std::uint8_t, 32>& hash) {
    return blob.size() == hash.size() && std::equal(blob.begin(), blob.end(), hash.begin());
}

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

DeviceRecord readDevice(Statement& row) {
    // Column order: id, name, venue, signing_key, enrolled_at, last_seen_at, revoked_at,
    // last_heartbeat_at, last_heartbeat
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

constexpr const char* kVersionColumns = "version, label, created_at, service_count, snapshot_hash";

DirectoryVersionInfo readVersion(Statement& row) {
    DirectoryVersionInfo v;
    v.version = row.columnInt64(0);
    v.label = row.columnText(1);
    v.createdAt = row.columnText(2);
    v.serviceCount = static_cast<std::size_t>(row.columnInt64(3));
    v.tag = toHex(row.columnBlob(4)).substr(0, 16);
    return v;
}

constexpr const char* kDeviceColumns =
    "id, name, venue, signing_key, enrolled_at, last_seen_at, revoked_at, last_heartbeat_at, "
    "last_heartbeat";

}  // namespace

const char* toString(EnrollStatus status) {
    switch (status) {
        case EnrollStatus::Enrolled:
            return "enrolled";
        case EnrollStatus::Reissued:
            return "reissued";
        case EnrollStatus::UnknownCode:
            return "unknown_code";
        case EnrollStatus::ExpiredCode:
            return "expired_code";
        case EnrollStatus::UsedCode:
            return "used_code";
    }
    return "unknown_code";
}

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

SqliteServerStore::SqliteServerStore(const std::filesystem::path& file) : m_path(file) {
    Database db(file.string());
    db.useDurableWal();
    migrate(db);
    m_readers = std::make_unique<ReadPool>(file.string());
    m_writer = std::make_unique<GroupCommitWriter>(std::move(db));
}

SqliteServerStore::~SqliteServerStore() = default;

std::size_t SqliteServerStore::commitCount() const {
    return m_writer->commits();
}

std::string SqliteServerStore::integrityCheck() {
    return read([](Database& db) { return db.integrityCheck(); });
}

// --- Credentials ---

std::optional<Principal> SqliteServerStore::authenticate(const TokenHash& tokenHash) {
    return read([&](Database& db) -> std::optional<Principal> {
        Statement device = db.prepare(
            "SELECT id, venue, signing_key, revoked_at IS NOT NULL FROM devices WHERE token_hash = "
            "?");
        device.bindBlob(1, bytesOf(tokenHash));
        if (device.step()) {
            Principal p;
            p.role = Role::Device;
            p.id = device.columnText(0);
            p.venue = device.columnText(1);
            p.signingKey = device.columnBlob(2);
            p.revoked = device.columnInt(3) != 0;
            return p;
        }
        Statement coordinator = db.prepare(
            "SELECT name, revoked_at IS NOT NULL FROM coordinator_tokens WHERE token_hash = ?");
        coordinator.bindBlob(1, bytesOf(tokenHash));
        if (coordinator.step()) {
            Principal p;
            p.role = Role::Coordinator;
            p.id = coordinator.columnText(0);
            p.revoked = coordinator.columnInt(1) != 0;
            return p;
        }
        return std::nullopt;
    });
}

void SqliteServerStore::addEnrollmentCode(const TokenHash& codeHash, const std::string& venue,
                                          SystemTime expiresAt, SystemTime now) {
    m_writer->run([&](Database& db) {
        db.prepare(
              "INSERT INTO enrollment_codes (code_hash, venue, created_at, expires_at) "
              "VALUES (?, ?, ?, ?)")
            .bindBlob(1, bytesOf(codeHash))
            .bind(2, venue)
            .bind(3, stamp(now))
            .bind(4, stamp(expiresAt))
            .run();
    });
}

EnrollResult SqliteServerStore::enrollDevice(const EnrollmentAttempt& attempt, SystemTime now,
                                             std::chrono::seconds reissueWindow) {
    EnrollResult result;
    m_writer->run([&](Database& db) {
        Statement code = db.prepare(
            "SELECT venue, expires_at, used_at, device_id FROM enrollment_codes WHERE code_hash = "
            "?");
        code.bindBlob(1, bytesOf(attempt.codeHash));
        if (!code.step()) {
            result.status = EnrollStatus::UnknownCode;
            return;
        }
        result.venue = code.columnText(0);
        const std::string expiresAt = code.columnText(1);
        const std::string usedAt = code.columnText(2);
        const std::string usedBy = code.columnText(3);
        const bool expired = stamp(now) >= expiresAt;
        if (!usedAt.empty()) {
            // A retry after a lost response: same key, moments later, code still valid.
            const auto usedTime = parseIsoUtc(usedAt);
            Statement device =
                db.prepare("SELECT signing_key, revoked_at IS NOT NULL FROM devices WHERE id = ?");
            device.bind(1, usedBy);
            const bool sameKey = device.step() && device.columnBlob(0) == attempt.signingKey &&
                                 device.columnInt(1) == 0;
            if (sameKey && !expired && usedTime && now - *usedTime <= reissueWindow) {
                db.prepare("UPDATE devices SET token_hash = ?, name = ? WHERE id = ?")
                    .bindBlob(1, bytesOf(attempt.newTokenHash))
                    .bind(2, attempt.deviceName)
                    .bind(3, usedBy)
                    .run();
                result.status = EnrollStatus::Reissued;
                result.deviceId = usedBy;
                return;
            }
            result.status = EnrollStatus::UsedCode;
            return;
        }
        if (expired) {
            result.status = EnrollStatus::ExpiredCode;
            return;
        }
        db.prepare(
              "INSERT INTO devices (id, name, venue, signing_key, token_hash, enrolled_at) "
              "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, attempt.newDeviceId)
            .bind(2, attempt.deviceName)
            .bind(3, result.venue)
            .bindBlob(4, attempt.signingKey)
            .bindBlob(5, bytesOf(attempt.newTokenHash))
            .bind(6, stamp(now))
            .run();
        db.prepare("UPDATE enrollment_codes SET used_at = ?, device_id = ? WHERE code_hash = ?")
            .bind(1, stamp(now))
            .bind(2, attempt.newDeviceId)
            .bindBlob(3, bytesOf(attempt.codeHash))
            .run();
        result.status = EnrollStatus::Enrolled;
        result.deviceId = attempt.newDeviceId;
    });
    return result;
}

void SqliteServerStore::addCoordinatorToken(const std::string& name, const TokenHash& tokenHash,
                                            SystemTime now) {
    m_writer->run([&](Database& db) {
        Statement existing =
            db.prepare("SELECT 1 FROM coordinator_tokens WHERE name = ? AND revoked_at IS NULL");
        existing.bind(1, name);
        if (existing.step()) {
            throw StoreConflict("an active coordinator token is already named \"" + name + "\"");
        }
        db.prepare("INSERT INTO coordinator_tokens (name, token_hash, created_at) VALUES (?, ?, ?)")
            .bind(1, name)
            .bindBlob(2, bytesOf(tokenHash))
            .bind(3, stamp(now))
            .run();
    });
}

bool SqliteServerStore::revokeCoordinatorToken(const std::string& name, SystemTime now) {
    bool revoked = false;
    m_writer->run([&](Database& db) {
        db.prepare(
              "UPDATE coordinator_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .bind(1, stamp(now))
            .bind(2, name)
            .run();
        revoked = db.changes() > 0;
    });
    return revoked;
}

std::vector<CoordinatorTokenRecord> SqliteServerStore::listCoordinatorTokens() {
    return read([](Database& db) {
        std::vector<CoordinatorTokenRecord> out;
        Statement rows = db.prepare(
            "SELECT name, created_at, revoked_at FROM coordinator_tokens ORDER BY created_at, id");
        while (rows.step()) {
            out.push_back({rows.columnText(0), rows.columnText(1), rows.columnText(2)});
        }
        return out;
    });
}

// --- Devices ---

std::vector<DeviceRecord> SqliteServerStore::listDevices() {
    return read([](Database& db) {
        std::vector<DeviceRecord> out;
        Statement rows = db.prepare(std::string("SELECT ") + kDeviceColumns +
                                    " FROM devices ORDER BY enrolled_at, id");
        while (rows.step()) {
            out.push_back(readDevice(rows));
        }
        return out;
    });
}

std::optional<DeviceRecord> SqliteServerStore::findDevice(const std::string& deviceId) {
    return read([&](Database& db) -> std::optional<DeviceRecord> {
        Statement row =
            db.prepare(std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ?");
        row.bind(1, deviceId);
        if (!row.step()) {
            return std::nullopt;
        }
        return readDevice(row);
    });
}

bool SqliteServerStore::revokeDevice(const std::string& deviceId, SystemTime now) {
    bool revoked = false;
    m_writer->run([&](Database& db) {
        db.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(1, stamp(now))
            .bind(2, deviceId)
            .run();
        revoked = db.changes() > 0;
    });
    return revoked;
}

void SqliteServerStore::recordHeartbeat(const std::string& deviceId,
                                        const std::string& heartbeatJson, SystemTime now) {
    m_writer->run([&](Database& db) {
        db.prepare(
              "UPDATE devices SET last_heartbeat = ?, last_heartbeat_at = ?, last_seen_at = ? "
              "WHERE id = ?")
            .bind(1, heartbeatJson)
            .bind(2, stamp(now))
            .bind(3, stamp(now))
            .bind(4, deviceId)
            .run();
    });
}

void SqliteServerStore::touchDevices(const std::vector<std::pair<std::string, SystemTime>>& seen) {
    if (seen.empty()) {
        return;
    }
    m_writer->run([&](Database& db) {
        Statement update = db.prepare(
            "UPDATE devices SET last_seen_at = ?1 WHERE id = ?2 "
            "AND (last_seen_at IS NULL OR last_seen_at < ?1)");
        for (const auto& [id, time] : seen) {
            update.bind(1, stamp(time)).bind(2, id);
            update.run();
        }
    });
}

void SqliteServerStore::setDeviceSetting(const std::string& deviceId, const std::string& key,
                                         const std::string& value, SystemTime now) {
    m_writer->run([&](Database& db) {
        db.prepare(
              "INSERT INTO device_settings (device_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (device_id, key) DO UPDATE SET value = excluded.value, "
              "updated_at = excluded.updated_at")
            .bind(1, deviceId)
            .bind(2, key)
            .bind(3, value)
            .bind(4, stamp(now))
            .run();
    });
}

bool SqliteServerStore::clearDeviceSetting(const std::string& deviceId, const std::string& key) {
    bool removed = false;
    m_writer->run([&](Database& db) {
        db.prepare("DELETE FROM device_settings WHERE device_id = ? AND key = ?")
            .bind(1, deviceId)
            .bind(2, key)
            .run();
        removed = db.changes() > 0;
    });
    return removed;
}

std::vector<std::pair<std::string, std::string>> SqliteServerStore::deviceSettings(
    const std::string& deviceId) {
    return read([&](Database& db) {
        std::vector<std::pair<std::string, std::string>> out;
        Statement rows =
            db.prepare("SELECT key, value FROM device_settings WHERE device_id = ? ORDER BY key");
        rows.bind(1, deviceId);
        while (rows.step()) {
            out.emplace_back(rows.columnText(0), rows.columnText(1));
        }
        return out;
    });
}

// --- Submissions ---

std::vector<protocol::ItemResult> SqliteServerStore::storeSubmissions(
    const std::string& deviceId, const std::vector<IncomingSubmission>& items, SystemTime now) {
    std::vector<protocol::ItemResult> results;
    m_writer->run([&](Database& db) {
        results.clear();  // a retried job starts over
        const std::string receivedAt = stamp(now);
        Statement existing = db.prepare("SELECT content_hash FROM submissions WHERE id = ?");
        Statement insert = db.prepare(
            "INSERT INTO submissions (id, device_id, seq, created_at, form_version, venue, "
            "neighbourhood, service_id, test, sealed, signature, content_hash, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const IncomingSubmission& item : items) {
            const protocol::Submission& s = item.submission;
            protocol::ItemResult result;
            result.id = s.id;
            existing.bind(1, s.id);
            if (existing.step()) {
                const bool same = sameBytes(existing.columnBlob(0), item.contentHash);
                result.status =
                    same ? protocol::ItemStatus::Duplicate : protocol::ItemStatus::Rejected;
                if (!same) {
                    result.error = "conflict";
                }
                existing.reset();
            } else {
                existing.reset();
                insert.bind(1, s.id)
                    .bind(2, deviceId)
                    .bind(3, s.seq)
                    .bind(4, s.createdAt)
                    .bind(5, s.formVersion)
                    .bind(6, s.venue)
                    .bind(7, s.neighbourhood)
                    .bind(8, s.serviceId)
                    .bind(9, s.test ? 1 : 0)
                    .bindBlob(10, s.sealed)
                    .bindBlob(11, s.signature)
                    .bindBlob(12, bytesOf(item.contentHash))
                    .bind(13, receivedAt);
                insert.run();
                result.status = protocol::ItemStatus::Stored;
            }
            results.push_back(std::move(result));
        }
        db.prepare("UPDATE devices SET last_seen_at = ? WHERE id = ?")
            .bind(1, receivedAt)
            .bind(2, deviceId)
            .run();
    });
    return results;
}

protocol::SubmissionPage SqliteServerStore::pullSubmissions(std::int64_t after, std::size_t limit) {
    return read([&](Database& db) {
        protocol::SubmissionPage page;
        page.nextCursor = after;
        Statement rows = db.prepare(
            "SELECT s.cursor, s.id, s.seq, s.created_at, s.form_version, s.venue, s.neighbourhood, "
            "s.service_id, s.test, s.sealed, s.signature, s.received_at, s.device_id, d.name, "
            "d.signing_key "
            "FROM submissions s JOIN devices d ON d.id = s.device_id "
            "WHERE s.cursor > ? AND s.sealed IS NOT NULL ORDER BY s.cursor LIMIT ?");
        rows.bind(1, after).bind(2, static_cast<std::int64_t>(limit) + 1);
        while (rows.step()) {
            if (page.submissions.size() == limit) {
                page.hasMore = true;
                break;
            }
            protocol::PulledSubmission p;
            p.cursor = rows.columnInt64(0);
            p.submission.id = rows.columnText(1);
            p.submission.seq = rows.columnInt64(2);
            p.submission.createdAt = rows.columnText(3);
            p.submission.formVersion = rows.columnText(4);
            p.submission.venue = rows.columnText(5);
            p.submission.neighbourhood = rows.columnText(6);
            p.submission.serviceId = rows.columnText(7);
            p.submission.test = rows.columnInt(8) != 0;
            p.submission.sealed = rows.columnBlob(9);
            p.submission.signature = rows.columnBlob(10);
            p.receivedAt = rows.columnText(11);
            p.deviceId = rows.columnText(12);
            p.deviceName = rows.columnText(13);
            p.signingPublicKey = rows.columnBlob(14);
            page.nextCursor = p.cursor;
            page.submissions.push_back(std::move(p));
        }
        return page;
    });
}

AckResult SqliteServerStore::ackSubmissions(const std::vector<std::string>& ids, SystemTime now) {
    AckResult result;
    m_writer->run([&](Database& db) {
        result = AckResult{};
        Statement find = db.prepare("SELECT acked_at IS NOT NULL FROM submissions WHERE id = ?");
        Statement ack = db.prepare("UPDATE submissions SET acked_at = ? WHERE id = ?");
        const std::string ackedAt = stamp(now);
        std::set<std::string> seen;
        for (const std::string& id : ids) {
            if (!seen.insert(id).second) {
                continue;
            }
            find.bind(1, id);
            if (!find.step()) {
                result.unknownIds.push_back(id);
            } else if (find.columnInt(0) != 0) {
                ++result.alreadyAcked;
            } else {
                ack.bind(1, ackedAt).bind(2, id);
                ack.run();
                ++result.acked;
            }
            find.reset();
        }
    });
    return result;
}

std::size_t SqliteServerStore::purgeAckedBefore(SystemTime cutoff, SystemTime now) {
    std::size_t purged = 0;
    m_writer->run([&](Database& db) {
        db.prepare(
              "UPDATE submissions SET sealed = NULL, signature = NULL, created_at = '', "
              "form_version = '', venue = '', neighbourhood = '', service_id = '', "
              "purged_at = ? WHERE acked_at IS NOT NULL AND acked_at < ? AND purged_at IS NULL")
            .bind(1, stamp(now))
            .bind(2, stamp(cutoff))
            .run();
        purged = static_cast<std::size_t>(db.changes());
    });
    return purged;
}

// --- Directory ---

DirectoryImportSummary SqliteServerStore::publishDirectory(const DirectoryPublication& publication,
                                                           int historyDepth, SystemTime now) {
    DirectoryImportSummary summary;
    m_writer->run([&](Database& db) {
        summary = DirectoryImportSummary{};
        std::int64_t current = 0;
        std::vector<std::uint8_t> currentTermsHash;
        {
            Statement latest = db.prepare(
                "SELECT version, terms_hash FROM directory_versions ORDER BY version DESC LIMIT 1");
            if (latest.step()) {
                current = latest.columnInt64(0);
                currentTermsHash = latest.columnBlob(1);
            }
        }
        std::map<std::string, std::vector<std::uint8_t>> live;  // service id → content hash
        {
            Statement rows = db.prepare(
                "SELECT service_id, content_hash FROM directory_services WHERE removed_in IS NULL");
            while (rows.step()) {
                live.emplace(rows.columnText(0), rows.columnBlob(1));
            }
        }
        std::vector<const ServiceRevision*> toInsert;
        std::vector<std::string> toClose;  // changed or removed: their live revision ends
        std::set<std::string> published;
        for (const ServiceRevision& service : publication.services) {
            published.insert(service.serviceId);
            auto it = live.find(service.serviceId);
            if (it == live.end()) {
                ++summary.added;
                toInsert.push_back(&service);
            } else if (!sameBytes(it->second, service.contentHash)) {
                ++summary.changed;
                toInsert.push_back(&service);
                toClose.push_back(service.serviceId);
            } else {
                ++summary.unchanged;
            }
        }
        for (const auto& [id, hash] : live) {
            if (published.count(id) == 0) {
                ++summary.removed;
                toClose.push_back(id);
            }
        }
        summary.termsChanged = current == 0 || !sameBytes(currentTermsHash, publication.termsHash);
        if (current != 0 && toInsert.empty() && toClose.empty() && !summary.termsChanged) {
            summary.version = current;
            summary.created = false;
            return;
        }

        const std::int64_t version = current + 1;
        db.prepare("UPDATE directory_versions SET snapshot = NULL WHERE snapshot IS NOT NULL")
            .run();
        db.prepare(
              "INSERT INTO directory_versions (version, label, created_at, service_count, "
              "terms_hash, terms_json, snapshot_hash, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, version)
            .bind(2, publication.label)
            .bind(3, stamp(now))
            .bind(4, static_cast<std::int64_t>(publication.services.size()))
            .bindBlob(5, bytesOf(publication.termsHash))
            .bind(6, publication.termsDocument)
            .bindBlob(7, bytesOf(publication.snapshotHash))
            .bind(8, publication.snapshot)
            .run();
        Statement close = db.prepare(
            "UPDATE directory_services SET removed_in = ? WHERE service_id = ? AND removed_in IS "
            "NULL");
        for (const std::string& id : toClose) {
            close.bind(1, version).bind(2, id);
            close.run();
        }
        Statement insert = db.prepare(
            "INSERT INTO directory_services (service_id, added_in, content_hash, document) "
            "VALUES (?, ?, ?, ?)");
        for (const ServiceRevision* service : toInsert) {
            insert.bind(1, service->serviceId)
                .bind(2, version)
                .bindBlob(3, bytesOf(service->contentHash))
                .bind(4, service->document);
            insert.run();
        }
        // History a delta can still start from: versions >= version - depth. Older revisions and
        // version rows are never needed again (such kiosks get a full snapshot).
        const std::int64_t oldestKept = version - std::max(historyDepth, 1);
        db.prepare(
              "DELETE FROM directory_services WHERE removed_in IS NOT NULL AND removed_in <= ?")
            .bind(1, oldestKept)
            .run();
        db.prepare("DELETE FROM directory_versions WHERE version < ?").bind(1, oldestKept).run();
        summary.version = version;
        summary.created = true;
    });
    return summary;
}

DirectoryVersionInfo SqliteServerStore::currentDirectoryVersion() {
    return read([](Database& db) {
        Statement latest = db.prepare(std::string("SELECT ") + kVersionColumns +
                                      " FROM directory_versions ORDER BY version DESC LIMIT 1");
        return latest.step() ? readVersion(latest) : DirectoryVersionInfo{};
    });
}

std::vector<DirectoryVersionInfo> SqliteServerStore::listDirectoryVersions() {
    return read([](Database& db) {
        std::vector<DirectoryVersionInfo> out;
        Statement rows = db.prepare(std::string("SELECT ") + kVersionColumns +
                                    " FROM directory_versions ORDER BY version DESC");
        while (rows.step()) {
            out.push_back(readVersion(rows));
        }
        return out;
    });
}

std::vector<std::pair<std::string, std::string>> SqliteServerStore::serviceModifiedTimes() {
    return read([](Database& db) {
        std::vector<std::pair<std::string, std::string>> out;
        Statement rows = db.prepare(
            "SELECT d.service_id, coalesce(v.created_at, (SELECT min(created_at) FROM directory_versions)) "
            "FROM directory_services d LEFT JOIN directory_versions v ON v.version = d.added_in "
            "WHERE d.removed_in IS NULL ORDER BY d.service_id");
        while (rows.step()) {
            out.emplace_back(rows.columnText(0), rows.columnText(1));
        }
        return out;
    });
}

DirectoryChanges SqliteServerStore::directoryChangesSince(std::int64_t since, int historyDepth) {
    return read([&](Database& db) {
        DirectoryChanges changes;
        // One read transaction: every query below sees the same version.
        Transaction snapshot(db, TransactionMode::Deferred);
        std::vector<std::uint8_t> currentTermsHash;
        {
            Statement latest = db.prepare(
                "SELECT version, label, terms_hash, snapshot_hash FROM directory_versions "
                "ORDER BY version DESC LIMIT 1");
            if (!latest.step()) {
                snapshot.commit();
                return changes;  // nothing published yet
            }
            changes.current = latest.columnInt64(0);
            changes.label = latest.columnText(1);
            currentTermsHash = latest.columnBlob(2);
            changes.tag = toHex(latest.columnBlob(3)).substr(0, 16);
        }
        std::optional<std::vector<std::uint8_t>> sinceTermsHash;
        if (since > 0 && since <= changes.current &&
            since >= changes.current - std::max(historyDepth, 1)) {
            Statement row =
                db.prepare("SELECT terms_hash FROM directory_versions WHERE version = ?");
            row.bind(1, since);
            if (row.step()) {
                sinceTermsHash = row.columnBlob(0);
            }
        }
        if (!sinceTermsHash) {
            changes.full = true;
            Statement row = db.prepare("SELECT snapshot FROM directory_versions WHERE version = ?");
            row.bind(1, changes.current);
            if (!row.step() || row.isNull(0)) {
                throw StorageError(
                    "directory version " + std::to_string(changes.current) + " has no snapshot",
                    SQLITE_CORRUPT, SQLITE_CORRUPT);
            }
            changes.snapshot = row.columnText(0);
            snapshot.commit();
            return changes;
        }
        if (since < changes.current) {
            Statement changed = db.prepare(
                "SELECT document FROM directory_services WHERE removed_in IS NULL AND added_in > ? "
                "ORDER BY service_id");
            changed.bind(1, since);
            while (changed.step()) {
                changes.changedDocuments.push_back(changed.columnText(0));
            }
            // No DISTINCT/ORDER BY here: with them SQLite scans the whole table by service_id
            // instead of the few rows removed since `since`; the set sorts and dedupes instead.
            Statement deleted = db.prepare(
                "SELECT d.service_id FROM directory_services d "
                "WHERE d.removed_in > ?1 AND d.added_in <= ?1 AND NOT EXISTS ("
                "  SELECT 1 FROM directory_services c "
                "  WHERE c.service_id = d.service_id AND c.removed_in IS NULL)");
            deleted.bind(1, since);
            std::set<std::string> deletedIds;
            while (deleted.step()) {
                deletedIds.insert(deleted.columnText(0));
            }
            changes.deletedServiceIds.assign(deletedIds.begin(), deletedIds.end());
            if (*sinceTermsHash != currentTermsHash) {
                Statement terms =
                    db.prepare("SELECT terms_json FROM directory_versions WHERE version = ?");
                terms.bind(1, changes.current);
                if (terms.step()) {
                    changes.termsDocument = terms.columnText(0);
                }
            }
        }
        snapshot.commit();
        return changes;
    });
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
