#include "sync/engine/sync_ledger.h"

#include <unordered_map>

namespace signpost::sync {

SyncLedger::SyncLedger(Outbox& outbox) : m_outbox(outbox) {
    m_outbox.database().exec("PRAGMA secure_delete = ON");
}

std::vector<OutboxItem> SyncLedger::nextBatch(std::size_t limit) {
    return m_outbox.items(OutboxStatus::Queued, limit);
}

void SyncLedger::recordFailure(const std::vector<std::int64_t>& seqs, const std::string& errorCode,
                               SystemTime at) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    Statement update = db.prepare(
        "UPDATE outbox SET last_error = ?, attempts = attempts + 1, last_attempt_at = ? "
        "WHERE seq = ? AND status = 'queued'");
    const std::string stamp = formatIsoUtc(at);
    for (std::int64_t seq : seqs) {
        update.reset();
        update.bindAll(errorCode, stamp, seq);
        update.run();
    }
    transaction.commit();
}

MarkOutcome SyncLedger::markResults(const std::vector<OutboxItem>& batch,
                                    const protocol::SubmissionResults& results, SystemTime at) {
    std::unordered_map<std::string, const protocol::ItemResult*> byId;
    for (const protocol::ItemResult& result : results.results) {
        byId.emplace(result.id, &result);
    }
    MarkOutcome outcome;
    Database& db = m_outbox.database();
    Transaction transaction(db);
    // Only a queued row changes: a row the staff or an earlier round already settled stays so.
    // The try is counted with its outcome, in the same transaction: one fsync per batch, not two.
    Statement sent = db.prepare(
        "UPDATE outbox SET status = 'sent', sent_at = ?1, last_error = '', attempts = attempts + 1, "
        "last_attempt_at = ?1 WHERE seq = ?2 AND id = ?3 AND status = 'queued'");
    Statement rejected = db.prepare(
        "UPDATE outbox SET status = 'rejected', last_error = ?1, attempts = attempts + 1, "
        "last_attempt_at = ?4 WHERE seq = ?2 AND id = ?3 AND status = 'queued'");
    Statement unanswered = db.prepare(
        "UPDATE outbox SET last_error = 'no_result', attempts = attempts + 1, last_attempt_at = ?2 "
        "WHERE seq = ?1 AND status = 'queued'");
    const std::string stamp = formatIsoUtc(at);
    for (const OutboxItem& item : batch) {
        const auto found = byId.find(item.id);
        if (found == byId.end()) {
            unanswered.reset();
            unanswered.bindAll(item.seq, stamp);
            unanswered.run();
            ++outcome.unanswered;
            continue;
        }
        const protocol::ItemResult& result = *found->second;
        if (result.status == protocol::ItemStatus::Rejected) {
            rejected.reset();
            rejected.bindAll(result.error.empty() ? std::string("rejected") : result.error,
                             item.seq, item.id, stamp);
            rejected.run();
            outcome.rejected += static_cast<std::size_t>(db.changes());
        } else {
            sent.reset();
            sent.bindAll(stamp, item.seq, item.id);
            sent.run();
            const auto changed = static_cast<std::size_t>(db.changes());
            outcome.sent += changed;
            if (result.status == protocol::ItemStatus::Duplicate) {
                outcome.duplicates += changed;
            }
        }
    }
    transaction.commit();
    return outcome;
}

std::size_t SyncLedger::purgeSentBefore(SystemTime cutoff) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    // zeroblob(0) frees the ciphertext's pages; secure_delete overwrites them with zeros.
    Statement purge = db.prepare(
        "UPDATE outbox SET sealed = zeroblob(0), purged_at = ? "
        "WHERE status = 'sent' AND purged_at IS NULL AND sent_at IS NOT NULL AND sent_at <= ?");
    purge.bindAll(formatIsoUtc(std::chrono::system_clock::now()), formatIsoUtc(cutoff));
    purge.run();
    const auto wiped = static_cast<std::size_t>(db.changes());
    transaction.commit();
    return wiped;
}

std::vector<OutboxItem> SyncLedger::rejectedItems(std::size_t limit) {
    return m_outbox.newestItems(OutboxStatus::Rejected, limit);
}

std::optional<std::string> SyncLedger::value(const std::string& key) {
    Statement query = m_outbox.database().prepare("SELECT value FROM sync_state WHERE key = ?");
    query.bind(1, key);
    if (!query.step()) {
        return std::nullopt;
    }
    return query.columnText(0);
}

void SyncLedger::setValues(const std::vector<std::pair<std::string, std::string>>& values) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    Statement upsert = db.prepare(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    for (const auto& [key, value] : values) {
        upsert.reset();
        upsert.bindAll(key, value);
        upsert.run();
    }
    transaction.commit();
}

}  // namespace signpost::sync
