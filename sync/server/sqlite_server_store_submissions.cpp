// Signpost server — the store's submissions: storing a device's batch (duplicates and conflicts
// by content hash), the coordinators' cursor-paged pull, acknowledgements, and the purge of
// acknowledged ciphertext after the retention period.
#include "sync/server/sqlite_server_store.h"

#include <set>

#include "sync/server/sqlite_server_store_internal.h"

namespace signpost::server {

using namespace store_detail;

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

}  // namespace signpost::server
