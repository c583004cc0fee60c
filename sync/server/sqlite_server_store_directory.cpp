// Signpost server — the store's directory versions: publishing a new version (only the services
// that changed get a new revision), the version list, and the changes since a version that
// kiosks fetch (directory_feed.h caches them).
#include "sync/server/sqlite_server_store.h"

#include <sqlite3.h>

#include <map>
#include <set>

#include "sync/server/sqlite_server_store_internal.h"

namespace signpost::server {

using namespace store_detail;

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
            "SELECT d.service_id, coalesce(v.created_at, (SELECT min(created_at) FROM "
            "directory_versions)) "
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

}  // namespace signpost::server
