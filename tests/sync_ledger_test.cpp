// sync/engine/sync_ledger.h on its own, over a real outbox file (no server): batches in sequence
// order within their limit, exactly-once marking by each item's own result, failures counted
// only on what is still waiting, the dead-letter list, wiping sent ciphertext at the cutoff,
// restore generations, queue binding on re-enrollment, the engine's key/value state — and that
// each call is one transaction: a write that fails halfway leaves every row as it was.
#include <catch2/catch.hpp>

#include "core/storage/database.h"
#include "support/sync_world.h"
#include "sync/engine/sync_ledger.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

// A kiosk's outbox with `count` referrals queued (no server, no engine).
struct LedgerWorld {
    explicit LedgerWorld(const std::string& label, int count = 0)
        : dir(label),
          key(CoordinatorKeyPair::generate()),
          kiosk(dir / "kiosk", key.publicKey(), 0) {
        for (int i = 0; i < count; ++i) {
            receipts.push_back(kiosk.submit());
        }
    }
    const std::string& id(std::size_t i) const { return receipts.at(i).id; }
    OutboxItem item(const std::string& id) {
        for (OutboxItem& row : kiosk.outbox().allItems()) {
            if (row.id == id) {
                return row;
            }
        }
        FAIL("no outbox item " << id);
        return {};
    }

    test::TempDir dir;
    CoordinatorKeyPair key;
    test::SyncKiosk kiosk;
    std::vector<SubmitReceipt> receipts;
};

protocol::SubmissionResults resultsOf(
    std::initializer_list<std::tuple<std::string, protocol::ItemStatus, std::string>> items) {
    protocol::SubmissionResults results;
    for (const auto& [id, status, reason] : items) {
        results.results.push_back({id, status, reason});
    }
    return results;
}

}  // namespace

TEST_CASE("Ledger marks each item only on its own result", "[sync_ledger]") {
    LedgerWorld world("sync-ledger", 4);
    sync::SyncLedger ledger(world.kiosk.outbox());
    const auto batch = ledger.nextBatch(100);
    REQUIRE(batch.size() == 4);
    auto results = resultsOf({{world.id(0), protocol::ItemStatus::Stored, ""},
                              {world.id(1), protocol::ItemStatus::Duplicate, ""},
                              {world.id(2), protocol::ItemStatus::Rejected, "bad_signature"},
                              {"some-other-id", protocol::ItemStatus::Stored, ""}});
    const sync::MarkOutcome outcome =
        ledger.markResults(batch, results, std::chrono::system_clock::now());
    CHECK(outcome.sent == 2);
    CHECK(outcome.duplicates == 1);
    CHECK(outcome.rejected == 1);
    CHECK(outcome.unanswered == 1);
    const auto statuses = world.kiosk.outboxStatuses();
    CHECK(statuses.at(world.id(0)) == "sent");
    CHECK(statuses.at(world.id(1)) == "sent");
    CHECK(statuses.at(world.id(2)) == "rejected");
    CHECK(statuses.at(world.id(3)) == "queued");
    CHECK(world.item(world.id(2)).lastError == "bad_signature");
    CHECK(world.item(world.id(3)).attempts == 1);  // tried, unanswered: counted, still queued
    CHECK(ledger.nextBatch(100).size() == 1);
    // A late result cannot undo a settled item.
    results = resultsOf({{world.id(2), protocol::ItemStatus::Stored, ""}});
    CHECK(ledger.markResults(batch, results, std::chrono::system_clock::now()).sent == 0);
    CHECK(world.kiosk.outboxStatuses().at(world.id(2)) == "rejected");
    // A result for an item not in the batch is ignored, even when the item exists.
    results = resultsOf({{world.id(3), protocol::ItemStatus::Stored, ""}});
    CHECK(ledger.markResults({}, results, std::chrono::system_clock::now()).sent == 0);
    CHECK(world.kiosk.outboxStatuses().at(world.id(3)) == "queued");
}

TEST_CASE("batches come in sequence order and never past their limit", "[sync_ledger]") {
    LedgerWorld world("sync-ledger-batch", 7);
    sync::SyncLedger ledger(world.kiosk.outbox());
    CHECK(ledger.nextBatch(0).empty());
    const auto first = ledger.nextBatch(3);
    REQUIRE(first.size() == 3);
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].id == world.id(i));
    }
    CHECK(first[0].seq < first[1].seq);
    CHECK(first[1].seq < first[2].seq);
    ledger.markResults(first,
                       resultsOf({{world.id(0), protocol::ItemStatus::Stored, ""},
                                  {world.id(1), protocol::ItemStatus::Stored, ""},
                                  {world.id(2), protocol::ItemStatus::Stored, ""}}),
                       std::chrono::system_clock::now());
    const auto next = ledger.nextBatch(3);
    REQUIRE(next.size() == 3);
    CHECK(next[0].id == world.id(3));
    CHECK(ledger.nextBatch(100).size() == 4);
}

TEST_CASE("a failed request is counted on what still waits, and only there", "[sync_ledger]") {
    LedgerWorld world("sync-ledger-failure", 3);
    sync::SyncLedger ledger(world.kiosk.outbox());
    const auto batch = ledger.nextBatch(100);
    ledger.markResults(batch, resultsOf({{world.id(0), protocol::ItemStatus::Stored, ""}}),
                       std::chrono::system_clock::now());
    std::vector<std::int64_t> seqs;
    for (const OutboxItem& item : batch) {
        seqs.push_back(item.seq);
    }
    seqs.push_back(9999);  // a seq that does not exist: ignored, not an error
    ledger.recordFailure(seqs, "timeout", std::chrono::system_clock::now());
    ledger.recordFailure(seqs, "connect", std::chrono::system_clock::now());
    CHECK(world.item(world.id(1)).attempts == 3);  // the unanswered try, then two failures
    CHECK(world.item(world.id(1)).lastError == "connect");
    CHECK(world.item(world.id(2)).attempts == 3);
    // The sent one is settled: a failure of a later request does not touch it.
    CHECK(world.item(world.id(0)).attempts == 1);
    CHECK(world.item(world.id(0)).lastError.empty());
    CHECK(world.kiosk.outbox().counts().queued == 2);
}

TEST_CASE("the dead-letter list is newest first, limited, and never batched", "[sync_ledger]") {
    LedgerWorld world("sync-ledger-rejected", 5);
    sync::SyncLedger ledger(world.kiosk.outbox());
    const auto batch = ledger.nextBatch(100);
    protocol::SubmissionResults results;
    for (std::size_t i = 0; i < 4; ++i) {
        results.results.push_back(
            {world.id(i), protocol::ItemStatus::Rejected, "reason-" + std::to_string(i)});
    }
    CHECK(ledger.markResults(batch, results, std::chrono::system_clock::now()).rejected == 4);
    const auto rejected = ledger.rejectedItems(3);
    REQUIRE(rejected.size() == 3);
    CHECK(rejected[0].id == world.id(3));
    CHECK(rejected[1].id == world.id(2));
    CHECK(rejected[2].id == world.id(1));
    CHECK(rejected[0].lastError == "reason-3");
    CHECK(ledger.rejectedItems().size() == 4);
    const auto left = ledger.nextBatch(100);
    REQUIRE(left.size() == 1);
    CHECK(left[0].id == world.id(4));
    CHECK(ledger.counts().rejected == 4);
}

TEST_CASE("sent ciphertext is wiped at the cutoff, not before, and queued items never",
          "[sync_ledger]") {
    LedgerWorld world("sync-ledger-purge", 3);
    sync::SyncLedger ledger(world.kiosk.outbox());
    const SystemTime sentAt = std::chrono::system_clock::now() - 48h;
    const auto batch = ledger.nextBatch(2);
    ledger.markResults(batch,
                       resultsOf({{world.id(0), protocol::ItemStatus::Stored, ""},
                                  {world.id(1), protocol::ItemStatus::Duplicate, ""}}),
                       sentAt);
    CHECK(ledger.purgeSentBefore(sentAt - 1s) == 0);  // the grace has not passed yet
    CHECK(ledger.purgeSentBefore(sentAt + 1s) == 2);
    CHECK(ledger.purgeSentBefore(sentAt + 1s) == 0);  // already wiped: not counted again
    for (std::size_t i = 0; i < 2; ++i) {
        const OutboxItem item = world.item(world.id(i));
        CHECK(item.sealed.empty());
        CHECK(item.status == OutboxStatus::Sent);
        CHECK(world.kiosk.outbox().hasReference(item.reference));  // the row and reference stay
    }
    CHECK(ledger.purgeSentBefore(std::chrono::system_clock::now() + 24h) == 0);
    CHECK_FALSE(world.item(world.id(2)).sealed.empty());
}

TEST_CASE("a mark that fails halfway changes nothing (one transaction)", "[sync_ledger]") {
    LedgerWorld world("sync-ledger-atomic", 3);
    sync::SyncLedger ledger(world.kiosk.outbox());
    const auto batch = ledger.nextBatch(100);
    // The disk refuses the third row's update (as a full disk or an I/O error would).
    world.kiosk.outbox().database().exec(
        "CREATE TEMP TRIGGER refuse BEFORE UPDATE ON outbox WHEN OLD.id = '" + world.id(2) +
        "' BEGIN SELECT RAISE(ABORT, 'disk refused'); END");
    const auto all = resultsOf({{world.id(0), protocol::ItemStatus::Stored, ""},
                                {world.id(1), protocol::ItemStatus::Rejected, "x"},
                                {world.id(2), protocol::ItemStatus::Stored, ""}});
    CHECK_THROWS_AS(ledger.markResults(batch, all, std::chrono::system_clock::now()), StorageError);
    for (std::size_t i = 0; i < 3; ++i) {
        const OutboxItem item = world.item(world.id(i));
        CHECK(item.status == OutboxStatus::Queued);
        CHECK(item.attempts == 0);
    }
    std::vector<std::int64_t> seqs;
    for (const OutboxItem& item : batch) {
        seqs.push_back(item.seq);
    }
    CHECK_THROWS_AS(ledger.recordFailure(seqs, "timeout", std::chrono::system_clock::now()),
                    StorageError);
    CHECK(world.item(world.id(0)).attempts == 0);
    CHECK(world.item(world.id(0)).lastError.empty());
    // With the disk working again, the same results apply once each.
    world.kiosk.outbox().database().exec("DROP TRIGGER refuse");
    const auto outcome = ledger.markResults(batch, all, std::chrono::system_clock::now());
    CHECK(outcome.sent == 2);
    CHECK(outcome.rejected == 1);
}

TEST_CASE("issue 9: a new server generation marks sent items within the grace for re-push",
          "[sync_ledger]") {
    LedgerWorld world("sync-ledger-generation", 5);
    test::SyncKiosk& kiosk = world.kiosk;
    sync::SyncLedger ledger(kiosk.outbox());
    const auto now = std::chrono::system_clock::now();
    const auto batch = ledger.nextBatch(100, "https://a");
    protocol::SubmissionResults results;
    for (std::size_t i = 0; i < 4; ++i) {
        results.results.push_back({world.id(i), protocol::ItemStatus::Stored, ""});
    }
    ledger.markResults(batch, results, now - std::chrono::hours(1));
    // One sent long ago (past the grace) and one already wiped: neither can be sent again.
    kiosk.outbox().database().exec(
        "UPDATE outbox SET sent_at = '2020-01-01T00:00:00Z' WHERE seq = 1");
    kiosk.outbox().database().exec(
        "UPDATE outbox SET sealed = zeroblob(0), purged_at = "
        "'2026-01-01T00:00:00Z' WHERE seq = 2");
    const auto cutoff = now - std::chrono::hours(24 * 7);

    // The first generation seen from a server is only recorded.
    CHECK(ledger.noteServerGeneration("https://a", "g1", cutoff) == 0);
    CHECK(ledger.knownGeneration("https://a") == "g1");
    CHECK_FALSE(ledger.knownGeneration("https://b"));
    CHECK(ledger.noteServerGeneration("https://a", "g1", cutoff) == 0);
    CHECK(kiosk.outbox().counts().resend == 0);
    // Another generation of the same server: it was restored. Items 3 and 4 go again.
    CHECK(ledger.noteServerGeneration("https://a", "g2", cutoff) == 2);
    CHECK(kiosk.outbox().counts().resend == 2);
    CHECK(kiosk.outbox().counts().sent == 4);  // still sent: the server had them once
    const auto again = ledger.nextBatch(100, "https://a");
    REQUIRE(again.size() == 3);  // the queued one first, then the two to send again
    CHECK(again[0].id == world.id(4));
    CHECK(again[1].id == world.id(2));
    CHECK(again[1].repush);
    CHECK(again[2].id == world.id(3));
    // Wiping ciphertext past the grace takes the old one, and leaves what waits to go again.
    CHECK(ledger.purgeSentBefore(now) == 1);
    CHECK(kiosk.outbox().counts().resend == 2);
    const auto outcome =
        ledger.markResults(again,
                           resultsOf({{world.id(2), protocol::ItemStatus::Duplicate, ""},
                                      {world.id(3), protocol::ItemStatus::Stored, ""},
                                      {world.id(4), protocol::ItemStatus::Stored, ""}}),
                           now);
    CHECK(outcome.sent == 3);
    CHECK(outcome.duplicates == 1);
    CHECK(kiosk.outbox().counts().resend == 0);
    CHECK(kiosk.outbox().counts().sent == 5);
    CHECK(ledger.nextBatch(100, "https://a").empty());
    // Enrolled with another server: its first generation is not a restore.
    CHECK(ledger.noteServerGeneration("https://b", "g9", cutoff) == 0);
}

TEST_CASE("issue 9: items held for the server they were queued for go nowhere else",
          "[sync_ledger]") {
    LedgerWorld world("sync-ledger-held", 2);
    test::SyncKiosk& kiosk = world.kiosk;
    sync::SyncLedger ledger(kiosk.outbox());
    CHECK(ledger.holdFor("https://old") == 2);
    CHECK(ledger.holdFor("https://other") == 0);  // already bound: stays with the first server
    CHECK(kiosk.outbox().counts().held == 2);
    const SubmitReceipt third = kiosk.submit();  // queued after the re-enrollment
    auto batch = ledger.nextBatch(100, "https://new");
    REQUIRE(batch.size() == 1);
    CHECK(batch[0].id == third.id);
    // Back with the old server, they go to it.
    CHECK(ledger.nextBatch(100, "https://old").size() == 3);
    REQUIRE(ledger.heldServers().size() == 1);
    CHECK(ledger.heldServers()[0] == std::make_pair(std::string("https://old"), std::size_t{2}));
    // Releasing a server nothing is held for changes nothing.
    CHECK(ledger.release("https://never") == 0);
    // Staff confirmed: now they may go to the new one.
    CHECK(ledger.release("https://old") == 2);
    CHECK(ledger.nextBatch(100, "https://new").size() == 3);
    CHECK(kiosk.outbox().counts().held == 0);
    CHECK(ledger.heldServers().empty());
}

TEST_CASE("the engine's key/value state: upserts in one transaction, absent keys absent",
          "[sync_ledger]") {
    LedgerWorld world("sync-ledger-values");
    sync::SyncLedger ledger(world.kiosk.outbox());
    CHECK_FALSE(ledger.value("a"));
    ledger.setValues({{"a", "1"}, {"b", "2"}});
    ledger.setValues({{"a", "3"}});
    CHECK(ledger.value("a") == "3");
    CHECK(ledger.value("b") == "2");
    CHECK_FALSE(ledger.value("c"));
    ledger.setValues({{"empty", ""}});
    CHECK(ledger.value("empty") == "");  // an empty value is a value, not an absent key
    // A failing write in the middle keeps none of the batch.
    world.kiosk.outbox().database().exec(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON sync_state WHEN NEW.key = 'bad' "
        "BEGIN SELECT RAISE(ABORT, 'disk refused'); END");
    CHECK_THROWS_AS(ledger.setValues({{"a", "9"}, {"bad", "x"}}), StorageError);
    CHECK(ledger.value("a") == "3");
    CHECK_FALSE(ledger.value("bad"));
}
