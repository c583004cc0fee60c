// Signpost — the sync engine's writes to the outbox: what was tried, what the server acked, what
// it refused, when sent ciphertext is wiped, and the engine's small key/value state.
//
// Exactly-once marking: an item becomes `sent` only when the server's result for *its* id says
// stored or duplicate; `rejected` is the dead-letter state (reason in last_error, never retried
// automatically); anything else leaves it queued. Each call is one BEGIN IMMEDIATE transaction,
// so a crash leaves either the old marks or the new ones. A crash after the server committed but
// before markResults() just means the next push gets "duplicate" for those ids.
//
// Thread-safety: like Outbox, one per thread (the sync thread owns its own Outbox connection).
// Throws StorageError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/time_util.h"
#include "core/referral/outbox.h"
#include "sync/protocol/wire.h"

namespace signpost::sync {

struct MarkOutcome {
    // Rows actually changed: an item already settled (sent or rejected) is not counted again.
    std::size_t sent = 0;        // stored or duplicate
    std::size_t duplicates = 0;  // of which the server already had
    std::size_t rejected = 0;
    std::size_t unanswered = 0;  // in the batch but missing from the results: left queued
};

class SyncLedger {
public:
    // Turns on secure_delete for this connection (wiped ciphertext is overwritten on disk).
    explicit SyncLedger(Outbox& outbox);

    // What to push to `server` (the enrolled URL), at most `limit`: queued items in sequence
    // order, then sent items marked for re-push (a restored server); items held for another
    // server (held_for) are left out.
    std::vector<OutboxItem> nextBatch(std::size_t limit, const std::string& server = "");
    // A whole-request failure: attempts + 1, last_attempt_at and `errorCode` (non-personal) in
    // last_error for each queued seq.
    void recordFailure(const std::vector<std::int64_t>& seqs, const std::string& errorCode,
                       SystemTime at);
    // Applies the server's per-item results to the items of `batch` (matched by id; results for
    // ids not in the batch are ignored), counting the try (attempts + 1, last_attempt_at) in the
    // same transaction: one commit per batch. A try cut short by a crash is not counted (the
    // counter is for staff, not for correctness).
    MarkOutcome markResults(const std::vector<OutboxItem>& batch,
                            const protocol::SubmissionResults& results, SystemTime at);
    // Overwrites the ciphertext of sent items whose sent_at is at or before `cutoff` (the grace
    // period has passed); the row, reference and status stay. Returns how many were wiped.
    std::size_t purgeSentBefore(SystemTime cutoff);
    // Items in the dead-letter state, newest first, at most `limit`.
    std::vector<OutboxItem> rejectedItems(std::size_t limit = 20);
    OutboxCounts counts() { return m_outbox.counts(); }

    std::optional<std::string> value(const std::string& key);
    void setValues(const std::vector<std::pair<std::string, std::string>>& values);

    // --- Restore generations (issue 9) ---
    // Records that `server` answered with `generation`. If the kiosk knew another generation of
    // the same server, the server was restored from a backup: every sent item whose ciphertext
    // is still kept (sent after `graceCutoff`, not purged) is marked for re-push, in the same
    // transaction as the new generation, so a crash cannot record one without the other.
    // Returns how many were marked (0 for the first generation seen from a server).
    std::size_t noteServerGeneration(const std::string& server, const std::string& generation,
                                     SystemTime graceCutoff);
    // The generation last recorded for `server`; nullopt if none (or it was for another server).
    std::optional<std::string> knownGeneration(const std::string& server);

    // --- Queue binding (re-enrollment, issue 9) ---
    // Before the kiosk re-enrolls away from `server`: every unsent item (queued, or marked for
    // re-push) not yet bound to a server is bound to `server`, so it is never sent to another
    // one unless staff confirm (release) or the kiosk re-enrolls with it. Returns how many.
    std::size_t holdFor(const std::string& server);
    // Servers holding unsent items, with how many each.
    std::vector<std::pair<std::string, std::size_t>> heldServers();
    // Staff confirmed: items held for `heldFor` may go to whichever server the kiosk is enrolled
    // with. Returns how many.
    std::size_t release(const std::string& heldFor);

private:
    Outbox& m_outbox;
};

}  // namespace signpost::sync
