// Signpost — the kiosk's outbox: sealed referrals waiting to be sent, in their own SQLite file.
//
// The outbox holds ciphertext and non-personal metadata only. Every write is one BEGIN IMMEDIATE
// transaction on a WAL database with synchronous=FULL, so once enqueue() returns, the referral
// survives a crash or power cut. If a write fails (disk full, read-only, corrupt), it throws and
// nothing of it is left in the database.
//
// Schema (user_version 2): outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT — the per-device
// monotonic sequence, never reused; id TEXT UNIQUE — UUIDv4; reference TEXT UNIQUE; created_at;
// form_version; venue; neighbourhood; service_id; sealed BLOB; status queued|sent|rejected;
// test; attempts; last_error; sent_at; since version 2 last_attempt_at, purged_at; since
// version 3 repush 0|1 — a sent item to send again because the server was restored — and
// held_for — the server URL a queued item waits for after the kiosk re-enrolled elsewhere), index
// outbox_status_seq(status, seq); since version 2 sync_state(key, value), the sync engine's own
// state (sync/engine/sync_ledger.h does all sync-side writes).
// Migrations: outbox.cpp keeps an ordered list of steps, each taking user_version from N-1 to N
// in its own BEGIN IMMEDIATE transaction (the version is re-read inside it, so two processes
// opening at once cannot both migrate). A database with a newer user_version than this build
// knows is refused (StorageError, not "corrupt"), never rewritten or moved aside.
//
// Thread-safety: one Outbox per thread (each opens its own connection; WAL lets the UI thread
// write while the sync thread reads). Throws StorageError.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/referral/outbox_recovery.h"
#include "core/storage/database.h"

namespace signpost {

inline constexpr int kOutboxSchemaVersion = 3;  // PRAGMA user_version this build writes

enum class OutboxStatus { Queued, Sent, Rejected };
const char* toString(OutboxStatus status);  // "queued", "sent", "rejected"

struct NewOutboxItem {
    std::string id;         // UUIDv4
    std::string reference;  // "MCR-4K7Q" — not personal; lets staff confirm a referral synced
    std::string createdAt;  // UTC ISO 8601
    std::string formVersion;
    std::string venue;
    std::string neighbourhood;
    std::string serviceId;  // "" for a general referral
    std::vector<std::uint8_t> sealed;
    bool test = false;
};

struct OutboxItem : NewOutboxItem {
    std::int64_t seq = 0;
    OutboxStatus status = OutboxStatus::Queued;
    int attempts = 0;
    std::string lastError;  // non-personal: an error code or server message
    std::string sentAt;     // UTC ISO 8601; "" until sent
    bool repush = false;    // sent, but to be sent again: the server was restored (issue 9)
    std::string heldFor;    // "" = may go to the enrolled server; else only to this one
};

// An outbox row as every reader of the table reads it (the outbox, the sync ledger): select
// kOutboxItemColumns, then readOutboxItem() each row. Throws StorageError for a status the outbox
// does not know.
inline constexpr const char* kOutboxItemColumns =
    "seq, id, reference, created_at, form_version, venue, neighbourhood, service_id, sealed, "
    "status, test, attempts, last_error, sent_at, repush, held_for";
OutboxItem readOutboxItem(const Statement& row);

struct OutboxCounts {
    std::size_t queued = 0;
    std::size_t sent = 0;
    std::size_t rejected = 0;
    std::size_t resend = 0;  // of `sent`: waiting to be sent again to a restored server
    std::size_t held = 0;    // queued or resend items held for a server the kiosk left
};

// What opening the outbox had to do, for the staff panel.
struct OutboxOpenReport {
    enum class Outcome { Opened, Created, RecoveredFromDamage } outcome = Outcome::Opened;
    std::filesystem::path movedAsideTo;  // set for RecoveredFromDamage: the damaged file's new name
    std::string problem;                 // what was wrong with it
    std::vector<SalvageReport> salvaged;  // damaged copies salvaged by this open (this one's, and
                                          // any an earlier version left unsalvaged)
};

class Outbox {
public:
    // Opens or creates the outbox at `path` (":memory:" for tests); turns on WAL with
    // synchronous=FULL and migrates the schema. With options.readOnly (`signpost open`), nothing
    // is changed: the file must already be an outbox this build understands. Throws StorageError:
    // isCorrupt() for a file that is not a database or not an outbox (SQLITE_NOTADB),
    // isReadOnly() when it cannot be opened for writing, SQLITE_ERROR for a newer schema.
    explicit Outbox(const std::string& path, const DatabaseOptions& options = {});

    // Like the constructor, but a damaged database (not a database, not an outbox, fails
    // integrity_check) is never deleted: it is renamed aside with its -wal/-shm files to
    // "<name>.damaged-<UTC timestamp>" (+ "-wal"/"-shm"; e.g. "outbox.db.damaged-20261123T140307Z",
    // a "-2" suffix if that name is taken) through a journalled move that survives a crash at any
    // point, a fresh outbox is started, and every row SQLite can still read from the damaged
    // copy and its WAL is salvaged into it (outbox_recovery.h). The report says so, with the
    // counts. The file is judged through a read-only connection that never checkpoints, so the
    // damaged file and its WAL (which may hold committed referrals) are moved byte for byte;
    // only the -shm, an index SQLite rebuilds from the WAL, may be rewritten. Damaged copies an
    // earlier version moved aside without salvaging are salvaged too. Other failures
    // (read-only, newer schema, busy) are rethrown: they are not damage.
    // Throws StorageError, FileError (cannot rename).
    static Outbox openOrRecover(const std::filesystem::path& path, OutboxOpenReport& report,
                                const DatabaseOptions& options = {});

    // Stores one sealed referral durably (status queued); returns its sequence number. Throws
    // StorageError (isDiskFull / isReadOnly / isIoError / isCorrupt tell why); a UNIQUE clash on id
    // or reference throws StorageError with SQLITE_CONSTRAINT and writes nothing. Throws
    // std::invalid_argument for an item with no id, no reference or no sealed bytes.
    std::int64_t enqueue(const NewOutboxItem& item);

    bool hasReference(const std::string& reference);
    OutboxCounts counts();
    // Items with `status`, in sequence order, seq > afterSeq, at most `limit`.
    std::vector<OutboxItem> items(OutboxStatus status, std::size_t limit = 100,
                                  std::int64_t afterSeq = 0);
    // The newest `limit` items with `status`, newest first (the staff panel's dead letters).
    std::vector<OutboxItem> newestItems(OutboxStatus status, std::size_t limit);
    // Every item in sequence order (for `signpost open`).
    std::vector<OutboxItem> allItems();

    Database& database() noexcept { return m_db; }

private:
    static Outbox finishRecovery(const std::filesystem::path& path, const MoveAsideIntent& intent,
                                 OutboxOpenReport& report, const DatabaseOptions& options);
    static void salvageOldCopies(Outbox& outbox, const std::filesystem::path& path,
                                 OutboxOpenReport& report);

    Database m_db;
};

}  // namespace signpost
