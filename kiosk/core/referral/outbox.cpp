#include "core/referral/outbox.h"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <system_error>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/referral/outbox_recovery.h"

namespace signpost {

namespace {

constexpr const char* kLog = "outbox";

struct Migration {
    int toVersion;
    const char* sql;
};

// Append-only: a step, once released, is never edited, because kiosks in the field have run it.
constexpr Migration kMigrations[] = {
    {1, R"sql(
        CREATE TABLE outbox (
            seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            id            TEXT NOT NULL UNIQUE,
            reference     TEXT NOT NULL UNIQUE,
            created_at    TEXT NOT NULL,
            form_version  TEXT NOT NULL,
            venue         TEXT NOT NULL,
            neighbourhood TEXT NOT NULL,
            service_id    TEXT NOT NULL DEFAULT '',
            sealed        BLOB NOT NULL,
            status        TEXT NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'sent', 'rejected')),
            test          INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
            attempts      INTEGER NOT NULL DEFAULT 0,
            last_error    TEXT NOT NULL DEFAULT '',
            sent_at       TEXT
        );
        CREATE INDEX outbox_status_seq ON outbox(status, seq);
    )sql"},
    // The sync engine's bookkeeping (sync/engine/sync_ledger.h): when an item was last tried,
    // when its ciphertext was wiped after the grace period, and a small key/value table for the
    // engine's own state (directory version and ETag it holds).
    {2, R"sql(
        ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
        ALTER TABLE outbox ADD COLUMN purged_at TEXT;
        CREATE INDEX outbox_sent_purge ON outbox(status, purged_at, sent_at);
        CREATE TABLE sync_state (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
    )sql"},
    // Issue 9. repush: a sent item the server lost in a restore, to be sent again (the engine
    // marks them when the server's generation changes). held_for: the server an item was queued
    // for, set when the kiosk re-enrolls elsewhere; it is not sent to another server until staff
    // confirm (or the kiosk returns to that server).
    {3, R"sql(
        ALTER TABLE outbox ADD COLUMN repush INTEGER NOT NULL DEFAULT 0 CHECK (repush IN (0, 1));
        ALTER TABLE outbox ADD COLUMN held_for TEXT;
        CREATE INDEX outbox_repush ON outbox(seq) WHERE repush = 1;
    )sql"},
};

static_assert(std::size(kMigrations) > 0 &&
                  kMigrations[std::size(kMigrations) - 1].toVersion == kOutboxSchemaVersion,
              "kOutboxSchemaVersion must be the last migration's version");

[[noreturn]] void throwNewerSchema(const std::string& path, int version) {
    throw StorageError("outbox " + path + " has schema version " + std::to_string(version) +
                           ", newer than this build understands (" +
                           std::to_string(kOutboxSchemaVersion) + "); update Signpost",
                       SQLITE_ERROR, SQLITE_ERROR);
}

// Is this file an outbox this build can use? Throws "newer schema" (not damage) or
// SQLITE_NOTADB "not an outbox" (damage: some other database sits where the outbox should be).
void checkOutboxShape(Database& db) {
    const int version = db.userVersion();
    if (version > kOutboxSchemaVersion) {
        throwNewerSchema(db.path(), version);
    }
    if (version == 0) {
        // A brand-new outbox has no tables at all; anything else at version 0 is some other
        // database, and creating our table inside it would hide the mistake.
        Statement tables = db.prepare("SELECT count(*) FROM sqlite_master");
        if (tables.step() && tables.columnInt(0) != 0) {
            throw StorageError(db.path() + " is a database but not a Signpost outbox",
                               SQLITE_NOTADB, SQLITE_NOTADB);
        }
        return;
    }
    Statement table =
        db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'");
    if (!table.step() || table.columnInt(0) != 1) {
        throw StorageError(db.path() + " is a database but not a Signpost outbox", SQLITE_NOTADB,
                           SQLITE_NOTADB);
    }
}

void requireOutboxTable(Database& db) {
    Statement table =
        db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'");
    if (!table.step() || table.columnInt(0) != 1) {
        throw StorageError(db.path() + " is a database but not a Signpost outbox", SQLITE_NOTADB,
                           SQLITE_NOTADB);
    }
}

void migrate(Database& db) {
    for (const Migration& migration : kMigrations) {
        if (db.userVersion() >= migration.toVersion) {
            continue;
        }
        Transaction transaction(db);
        const int version = db.userVersion();  // re-read under the write lock
        if (version > kOutboxSchemaVersion) {
            throwNewerSchema(db.path(), version);
        }
        if (version >= migration.toVersion) {
            continue;
        }
        if (version != migration.toVersion - 1) {
            throw StorageError(
                "outbox " + db.path() + " has unknown schema version " + std::to_string(version),
                SQLITE_ERROR, SQLITE_ERROR);
        }
        db.exec(migration.sql);
        db.setUserVersion(migration.toVersion);
        transaction.commit();
        logInfo(kLog, "schema migrated to version " + std::to_string(migration.toVersion));
    }
}

OutboxStatus statusFromText(std::string_view text) {
    if (text == "queued") {
        return OutboxStatus::Queued;
    }
    if (text == "sent") {
        return OutboxStatus::Sent;
    }
    if (text == "rejected") {
        return OutboxStatus::Rejected;
    }
    throw StorageError("outbox holds an unknown status", SQLITE_CORRUPT, SQLITE_CORRUPT);
}

}  // namespace

OutboxItem readOutboxItem(const Statement& row) {
    OutboxItem item;
    item.seq = row.columnInt64(0);
    item.id = row.columnText(1);
    item.reference = row.columnText(2);
    item.createdAt = row.columnText(3);
    item.formVersion = row.columnText(4);
    item.venue = row.columnText(5);
    item.neighbourhood = row.columnText(6);
    item.serviceId = row.columnText(7);
    item.sealed = row.columnBlob(8);
    item.status = statusFromText(row.columnTextView(9));
    item.test = row.columnInt(10) != 0;
    item.attempts = row.columnInt(11);
    item.lastError = row.columnText(12);
    item.sentAt = row.columnText(13);
    item.repush = row.columnInt(14) != 0;
    item.heldFor = row.columnText(15);
    return item;
}

const char* toString(OutboxStatus status) {
    switch (status) {
        case OutboxStatus::Queued:
            return "queued";
        case OutboxStatus::Sent:
            return "sent";
        case OutboxStatus::Rejected:
            return "rejected";
    }
    return "queued";
}

Outbox::Outbox(const std::string& path, const DatabaseOptions& options) : m_db(path, options) {
    if (options.readOnly) {
        checkOutboxShape(m_db);
        requireOutboxTable(m_db);  // an empty version-0 file is not an outbox to read from
        return;
    }
    m_db.useDurableWal();
    checkOutboxShape(m_db);
    migrate(m_db);
    requireOutboxTable(m_db);
}

Outbox Outbox::openOrRecover(const std::filesystem::path& path, OutboxOpenReport& report,
                             const DatabaseOptions& options) {
    report = {};
    // A move aside a killed process began is finished first: nothing may open the outbox's name
    // while the damaged files may still be under it (outbox_recovery.h).
    if (std::optional<MoveAsideIntent> pending = pendingMoveAside(path)) {
        moveOutboxAside(path, *pending);
        return finishRecovery(path, *pending, report, options);
    }
    std::error_code error;
    const bool existed =
        std::filesystem::exists(path, error) && std::filesystem::file_size(path, error) > 0;
    std::string problem;
    if (!std::filesystem::exists(path, error) &&
        (std::filesystem::exists(path.string() + "-wal", error) ||
         std::filesystem::exists(path.string() + "-shm", error))) {
        // A WAL with no database: an older version was killed while moving a damaged outbox
        // aside (it renamed the database first). Never let a new database replay it: it goes
        // to the copy it belongs to, the newest one without a WAL, and is salvaged with it.
        const std::vector<std::filesystem::path> copies = damagedCopies(path);
        MoveAsideIntent intent;
        for (auto it = copies.rbegin(); it != copies.rend(); ++it) {
            if (!std::filesystem::exists(it->string() + "-wal", error)) {
                intent.target = it->filename().string();
                break;
            }
        }
        if (intent.target.empty()) {
            intent.target = damagedCopyName(path);
        }
        for (const char* suffix : {"-wal", "-shm"}) {
            if (std::filesystem::exists(path.string() + suffix, error)) {
                intent.files.emplace_back(suffix);
            }
        }
        intent.problem = "a write-ahead log without its database";
        logWarning(kLog, "outbox: " + intent.problem + "; moved to " + intent.target);
        moveOutboxAside(path, intent);
        return finishRecovery(path, intent, report, options);
    }
    if (existed) {
        // Judge the file through a read-only connection that may not checkpoint on close. A
        // read-write connection would checkpoint a damaged file's WAL into it, or delete that
        // WAL when it closes: the committed referrals in it would be gone before we moved
        // anything aside.
        try {
            DatabaseOptions probeOptions = options;
            probeOptions.readOnly = true;
            probeOptions.create = false;
            Database probe(path.string(), probeOptions);
            sqlite3_db_config(probe.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            checkOutboxShape(probe);
            const std::string integrity = probe.integrityCheck();
            if (integrity != "ok") {
                problem = "integrity check failed: " + integrity;
            }
        } catch (const StorageError& failure) {
            if (!failure.isCorrupt()) {
                throw;  // read-only media, permissions, newer schema, busy: not damage
            }
            problem = failure.what();
        }
    }
    if (problem.empty()) {
        try {
            Outbox outbox(path.string(), options);
            report.outcome =
                existed ? OutboxOpenReport::Outcome::Opened : OutboxOpenReport::Outcome::Created;
            salvageOldCopies(outbox, path, report);
            return outbox;
        } catch (const StorageError& failure) {
            if (!failure.isCorrupt()) {
                throw;
            }
            problem = failure.what();
        }
    }
    MoveAsideIntent intent;
    intent.target = damagedCopyName(path);
    intent.problem = problem;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        if (std::filesystem::exists(path.string() + suffix, error)) {
            intent.files.emplace_back(suffix);
        }
    }
    moveOutboxAside(path, intent);
    return finishRecovery(path, intent, report, options);
}

Outbox Outbox::finishRecovery(const std::filesystem::path& path, const MoveAsideIntent& intent,
                              OutboxOpenReport& report, const DatabaseOptions& options) {
    const std::filesystem::path dir =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    Outbox fresh(path.string(), options);
    outboxKillPoint("fresh-created");
    report.outcome = OutboxOpenReport::Outcome::RecoveredFromDamage;
    report.problem = intent.problem;
    report.movedAsideTo = dir / intent.target;
    logWarning(kLog, "damaged outbox moved aside to " + intent.target +
                         "; a fresh outbox was started (" + intent.problem + ")");
    salvageOldCopies(fresh, path, report);
    clearMoveAside(path);
    return fresh;
}

void Outbox::salvageOldCopies(Outbox& outbox, const std::filesystem::path& path,
                              OutboxOpenReport& report) {
    // This copy, and any an earlier version moved aside and never salvaged.
    for (const std::filesystem::path& copy : damagedCopies(path)) {
        if (std::optional<SalvageReport> salvaged = salvageInto(outbox, copy)) {
            report.salvaged.push_back(std::move(*salvaged));
        }
    }
}

std::int64_t Outbox::enqueue(const NewOutboxItem& item) {
    if (item.id.empty() || item.reference.empty() || item.sealed.empty()) {
        throw std::invalid_argument("an outbox item needs an id, a reference and sealed bytes");
    }
    try {
        Transaction transaction(m_db);
        Statement insert = m_db.prepare(
            "INSERT INTO outbox (id, reference, created_at, form_version, venue, neighbourhood, "
            "service_id, sealed, status, test) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)");
        insert.bindAll(item.id, item.reference, item.createdAt, item.formVersion, item.venue,
                       item.neighbourhood, item.serviceId);
        insert.bindBlob(8, item.sealed);
        insert.bind(9, item.test ? 1 : 0);
        insert.run();
        const std::int64_t seq = m_db.lastInsertRowId();
        transaction.commit();
        logInfo(kLog, "queued referral seq " + std::to_string(seq) + " (" +
                          std::to_string(item.sealed.size()) + " bytes sealed)");
        return seq;
    } catch (const StorageError& error) {
        logWarning(kLog, std::string("could not store a referral: ") +
                             sqlite3_errstr(error.code()) + " (extended code " +
                             std::to_string(error.extendedCode()) + ")");
        throw;
    }
}

bool Outbox::hasReference(const std::string& reference) {
    Statement query = m_db.prepare("SELECT 1 FROM outbox WHERE reference = ?");
    query.bind(1, reference);
    return query.step();
}

OutboxCounts Outbox::counts() {
    OutboxCounts counts;
    Statement query = m_db.prepare("SELECT status, count(*) FROM outbox GROUP BY status");
    while (query.step()) {
        const auto n = static_cast<std::size_t>(query.columnInt64(1));
        switch (statusFromText(query.columnTextView(0))) {
            case OutboxStatus::Queued:
                counts.queued = n;
                break;
            case OutboxStatus::Sent:
                counts.sent = n;
                break;
            case OutboxStatus::Rejected:
                counts.rejected = n;
                break;
        }
    }
    Statement resend = m_db.prepare("SELECT count(*) FROM outbox WHERE repush = 1");
    if (resend.step()) {
        counts.resend = static_cast<std::size_t>(resend.columnInt64(0));
    }
    Statement held = m_db.prepare(
        "SELECT count(*) FROM outbox WHERE held_for IS NOT NULL AND (status = 'queued' OR repush = "
        "1)");
    if (held.step()) {
        counts.held = static_cast<std::size_t>(held.columnInt64(0));
    }
    return counts;
}

std::vector<OutboxItem> Outbox::items(OutboxStatus status, std::size_t limit,
                                      std::int64_t afterSeq) {
    Statement query =
        m_db.prepare(std::string("SELECT ") + kOutboxItemColumns +
                     " FROM outbox WHERE status = ? AND seq > ? ORDER BY seq LIMIT ?");
    query.bind(1, toString(status));
    query.bind(2, afterSeq);
    query.bind(3, static_cast<std::int64_t>(limit));
    std::vector<OutboxItem> result;
    while (query.step()) {
        result.push_back(readOutboxItem(query));
    }
    return result;
}

std::vector<OutboxItem> Outbox::newestItems(OutboxStatus status, std::size_t limit) {
    Statement query = m_db.prepare(std::string("SELECT ") + kOutboxItemColumns +
                                   " FROM outbox WHERE status = ? ORDER BY seq DESC LIMIT ?");
    query.bind(1, toString(status));
    query.bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxItem> result;
    while (query.step()) {
        result.push_back(readOutboxItem(query));
    }
    return result;
}

std::vector<OutboxItem> Outbox::allItems() {
    Statement query =
        m_db.prepare(std::string("SELECT ") + kOutboxItemColumns + " FROM outbox ORDER BY seq");
    std::vector<OutboxItem> result;
    while (query.step()) {
        result.push_back(readOutboxItem(query));
    }
    return result;
}

}  // namespace signpost
