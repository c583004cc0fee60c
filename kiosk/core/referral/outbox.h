// Signpost — the kiosk's outbox: sealed referrals waiting to be sent, in their own SQLite file.
//
// The outbox holds ciphertext and non-personal metadata only. Every write is one BEGIN IMMEDIATE
// transaction on a WAL database with synchronous=FULL, so once enqueue() returns, the referral
// survives a crash or power cut. If a write fails (disk full, read-only, corrupt), it throws and
// nothing of it is left in the database.
//
// Schema (user_version 1): outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT — the per-device
// monotonic sequence, never reused; id TEXT UNIQUE — UUIDv4; reference TEXT UNIQUE; created_at;
// form_version; venue; neighbourhood; service_id; sealed BLOB; status queued|sent|rejected;
// test; attempts; last_error; sent_at). The sync issue adds columns by migration.
//
// Thread-safety: one Outbox per thread (each opens its own connection; WAL lets the UI thread
// write while the sync thread reads). Throws StorageError.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/storage/database.h"

namespace signpost {

enum class OutboxStatus { Queued, Sent, Rejected };
const char* toString(OutboxStatus status);  // "queued", "sent", "rejected"

struct NewOutboxItem {
    std::string id;             // UUIDv4
    std::string reference;      // "MCR-4K7Q" — not personal; lets staff confirm a referral synced
    std::string createdAt;      // UTC ISO 8601
    std::string formVersion;
    std::string venue;
    std::string neighbourhood;
    std::string serviceId;      // "" for a general referral
    std::vector<std::uint8_t> sealed;
    bool test = false;
};

struct OutboxItem : NewOutboxItem {
    std::int64_t seq = 0;
    OutboxStatus status = OutboxStatus::Queued;
    int attempts = 0;
    std::string lastError;      // non-personal: an error code or server message
};

struct OutboxCounts {
    std::size_t queued = 0;
    std::size_t sent = 0;
    std::size_t rejected = 0;
};

// What opening the outbox had to do, for the staff panel.
struct OutboxOpenReport {
    enum class Outcome { Opened, Created, RecoveredFromDamage } outcome = Outcome::Opened;
    std::filesystem::path movedAsideTo;  // set for RecoveredFromDamage: the damaged file's new name
    std::string problem;                 // what was wrong with it
};

class Outbox {
public:
    // Opens or creates the outbox at `path`; migrates the schema. Throws StorageError.
    explicit Outbox(const std::string& path, const DatabaseOptions& options = {});

    // Like the constructor, but a damaged database (not a database, fails integrity_check) is
    // never deleted: it is renamed aside with its -wal/-shm files to
    // "<name>.damaged-<UTC timestamp>" and a fresh outbox is started. The report says so.
    static Outbox openOrRecover(const std::filesystem::path& path, OutboxOpenReport& report,
                                const DatabaseOptions& options = {});

    // Stores one sealed referral durably; returns its sequence number. Throws StorageError
    // (isDiskFull / isReadOnly / isCorrupt tell why); a UNIQUE clash on id or reference throws
    // StorageError with SQLITE_CONSTRAINT and writes nothing.
    std::int64_t enqueue(const NewOutboxItem& item);

    bool hasReference(const std::string& reference);
    OutboxCounts counts();
    // Items with `status`, in sequence order, seq > afterSeq, at most `limit`.
    std::vector<OutboxItem> items(OutboxStatus status, std::size_t limit = 100,
                                  std::int64_t afterSeq = 0);
    // Every item in sequence order (for `signpost open`).
    std::vector<OutboxItem> allItems();

    Database& database() noexcept { return m_db; }

private:
    Database m_db;
};

}  // namespace signpost
