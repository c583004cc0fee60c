// Signpost server — the store's credentials and fleet: bearer-token look-up, enrollment codes and
// enrollment (with the re-issue of a lost answer), coordinator tokens, the devices (list, revoke,
// heartbeat, last seen) and their remote settings.
#include "sync/server/sqlite_server_store.h"

#include "sync/server/sqlite_server_store_internal.h"

namespace signpost::server {

using namespace store_detail;

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

}  // namespace signpost::server
