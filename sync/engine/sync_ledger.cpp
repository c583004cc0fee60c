#include "sync/engine/sync_ledger.h"

#include <unordered_map>

namespace signpost::sync {

SyncLedger::SyncLedger(Outbox& outbox) : m_outbox(outbox) {
    m_outbox.database().exec("PRAGMA secure_delete = ON");
}

namespace {

constexpr const char* kGenerationKey = "server_generation";
constexpr const char* kGenerationServerKey = "server_generation_server";

}  // namespace

std::vector<OutboxItem> SyncLedger::nextBatch(std::size_t limit, const std::string& server) {
    // Queued items first, then sent ones to send again; neither if held for another server.
    std::vector<OutboxItem> batch;
    Database& db = m_outbox.database();
    Statement queued = db.prepare(std::string("SELECT ") + kOutboxItemColumns +
                                  " FROM outbox WHERE status = 'queued' AND (held_for IS NULL OR "
                                  "held_for = ?) ORDER BY seq LIMIT ?");
    queued.bind(1, server);
    queued.bind(2, static_cast<std::int64_t>(limit));
    while (queued.step()) {
        batch.push_back(readOutboxItem(queued));
    }
    if (batch.size() < limit) {
        Statement again = db.prepare(std::string("SELECT ") + kOutboxItemColumns +
                                     " FROM outbox WHERE repush = 1 AND status = 'sent' AND "
                                     "length(sealed) > 0 AND (held_for IS NULL OR held_for = ?) "
                                     "ORDER BY seq LIMIT ?");
        again.bind(1, server);
        again.bind(2, static_cast<std::int64_t>(limit - batch.size()));
        while (again.step()) {
            batch.push_back(readOutboxItem(again));
        }
    }
    return batch;
}

std::size_t SyncLedger::noteServerGeneration(const std::string& server,
                                             const std::string& generation,
                                             SystemTime graceCutoff) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    const std::optional<std::string> knownServer = value(kGenerationServerKey);
    const std::optional<std::string> known = value(kGenerationKey);
    if (knownServer == server && known == generation) {
        return 0;
    }
    std::size_t marked = 0;
    if (knownServer == server && known.has_value()) {
        // The same server with another generation: it was restored from a backup and may have
        // lost what it stored since. Send again every sent item whose ciphertext is still kept;
        // the server answers "duplicate" for those it has.
        Statement mark = db.prepare(
            "UPDATE outbox SET repush = 1 WHERE status = 'sent' AND repush = 0 AND "
            "length(sealed) > 0 AND purged_at IS NULL AND sent_at > ? AND "
            "(held_for IS NULL OR held_for = ?)");
        mark.bindAll(formatIsoUtc(graceCutoff), server);
        mark.run();
        marked = static_cast<std::size_t>(db.changes());
    }
    Statement upsert = db.prepare(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    upsert.bindAll(kGenerationServerKey, server);
    upsert.run();
    upsert.reset();
    upsert.bindAll(kGenerationKey, generation);
    upsert.run();
    transaction.commit();
    return marked;
}

std::optional<std::string> SyncLedger::knownGeneration(const std::string& server) {
    if (value(kGenerationServerKey) != server) {
        return std::nullopt;
    }
    return value(kGenerationKey);
}

std::size_t SyncLedger::holdFor(const std::string& server) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    Statement hold = db.prepare(
        "UPDATE outbox SET held_for = ? WHERE held_for IS NULL AND "
        "(status = 'queued' OR (status = 'sent' AND repush = 1))");
    hold.bind(1, server);
    hold.run();
    const auto held = static_cast<std::size_t>(db.changes());
    transaction.commit();
    return held;
}

std::vector<std::pair<std::string, std::size_t>> SyncLedger::heldServers() {
    std::vector<std::pair<std::string, std::size_t>> servers;
    Statement query = m_outbox.database().prepare(
        "SELECT held_for, count(*) FROM outbox WHERE held_for IS NOT NULL AND "
        "(status = 'queued' OR (status = 'sent' AND repush = 1)) GROUP BY held_for ORDER BY "
        "held_for");
    while (query.step()) {
        servers.emplace_back(query.columnText(0), static_cast<std::size_t>(query.columnInt64(1)));
    }
    return servers;
}

std::size_t SyncLedger::release(const std::string& heldFor) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    Statement release = db.prepare("UPDATE outbox SET held_for = NULL WHERE held_for = ?");
    release.bind(1, heldFor);
    release.run();
    const auto released = static_cast<std::size_t>(db.changes());
    transaction.commit();
    return released;
}

void SyncLedger::recordFailure(const std::vector<std::int64_t>& seqs, const std::string& errorCode,
                               SystemTime at) {
    Database& db = m_outbox.database();
    Transaction transaction(db);
    Statement update = db.prepare(
        "UPDATE outbox SET last_error = ?, attempts = attempts + 1, last_attempt_at = ? "
        "WHERE seq = ? AND (status = 'queued' OR repush = 1)");
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
    // Only a queued row (or a sent one marked to send again) changes: a row the staff or an
    // earlier round already settled stays so. The try is counted with its outcome, in the same
    // transaction: one fsync per batch, not two. A re-sent item's sent_at starts again: its
    // ciphertext is kept another grace period, in case this server is restored again.
    Statement sent = db.prepare(
        "UPDATE outbox SET status = 'sent', repush = 0, sent_at = ?1, last_error = '', "
        "attempts = attempts + 1, last_attempt_at = ?1 "
        "WHERE seq = ?2 AND id = ?3 AND (status = 'queued' OR repush = 1)");
    Statement rejected = db.prepare(
        "UPDATE outbox SET status = 'rejected', repush = 0, last_error = ?1, "
        "attempts = attempts + 1, last_attempt_at = ?4 "
        "WHERE seq = ?2 AND id = ?3 AND (status = 'queued' OR repush = 1)");
    Statement unanswered = db.prepare(
        "UPDATE outbox SET last_error = 'no_result', attempts = attempts + 1, last_attempt_at = ?2 "
        "WHERE seq = ?1 AND (status = 'queued' OR repush = 1)");
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
        "WHERE status = 'sent' AND repush = 0 AND purged_at IS NULL AND sent_at IS NOT NULL AND "
        "sent_at <= ?");
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
