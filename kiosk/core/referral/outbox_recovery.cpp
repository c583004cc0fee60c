#include "core/referral/outbox_recovery.h"

#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/referral/outbox.h"

namespace signpost {

namespace {

constexpr const char* kLog = "outbox";
constexpr const char* kSalvageKeyPrefix = "salvage:";
constexpr const char* kSuffixes[] = {"-wal", "-shm", ""};  // the order files are moved in
// How far past the last row it could find salvage still looks (a damaged page can hide the
// table's true maximum).
constexpr std::int64_t kProbeBeyond = 1000;

std::filesystem::path directoryOf(const std::filesystem::path& file) {
    return file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
}

std::string compactUtcNow() {
    std::string compact;
    for (char c : formatIsoUtc(std::chrono::system_clock::now())) {  // 2026-11-23T14:03:07Z
        if (c != '-' && c != ':') {
            compact.push_back(c);
        }
    }
    return compact;  // 20261123T140307Z
}

bool present(const std::filesystem::path& file) {
    std::error_code error;
    return std::filesystem::exists(std::filesystem::symlink_status(file, error));
}

// A connection to a damaged copy that changes nothing in it: read-only, never checkpointing, so
// its WAL is read as it stands and left byte for byte.
Database openDamaged(const std::filesystem::path& file) {
    DatabaseOptions options;
    options.readOnly = true;
    options.create = false;
    Database db(file.string(), options);
    sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    // A truncated file is shorter than its header says; SQLite refuses to read it at all unless
    // the schema is "writable" (it then reads the pages that are there). Nothing can be written
    // through a read-only connection.
    db.exec("PRAGMA writable_schema = ON");
    return db;
}

std::optional<std::int64_t> queryInt(Database& db, const char* sql) {
    try {
        Statement query = db.prepare(sql);
        if (query.step() && !query.isNull(0)) {
            return query.columnInt64(0);
        }
    } catch (const StorageError&) {
    }
    return std::nullopt;
}

// One salvaged row, read with the columns every outbox version since 1 has.
struct Row {
    std::int64_t seq = 0;
    std::string id, reference, createdAt, formVersion, venue, neighbourhood, serviceId, status;
    std::vector<std::uint8_t> sealed;
    int test = 0;
    int attempts = 0;
    std::string lastError, sentAt, heldFor;
};

// A row read from a damaged page can be garbage that parses: only what looks like one of ours
// is put back (anything else counts as lost).
bool plausible(const Row& row) {
    return isUuidV4(row.id) && !row.reference.empty() &&
           (row.status == "queued" || row.status == "sent" || row.status == "rejected") &&
           (row.status != "queued" || !row.sealed.empty()) && (row.test == 0 || row.test == 1);
}

std::string reportJson(const SalvageReport& report) {
    return nlohmann::json{{"at", report.at},           {"saved", report.saved},
                          {"resent", report.resent},   {"rejected", report.rejected},
                          {"history", report.history}, {"lost", report.lost}}
        .dump();
}

}  // namespace

void outboxKillPoint(const char* name) {
    static const char* const wanted = std::getenv("SIGNPOST_OUTBOX_TEST_KILL_AT");
    if (wanted != nullptr && std::strcmp(wanted, name) == 0) {
        ::raise(SIGKILL);
    }
}

std::filesystem::path moveAsideIntentFile(const std::filesystem::path& outboxFile) {
    return outboxFile.string() + ".move-aside";
}

std::optional<MoveAsideIntent> pendingMoveAside(const std::filesystem::path& outboxFile) {
    const std::filesystem::path file = moveAsideIntentFile(outboxFile);
    if (!present(file)) {
        return std::nullopt;
    }
    try {
        const nlohmann::json json = nlohmann::json::parse(readFile(file));
        MoveAsideIntent intent;
        intent.target = json.at("to").get<std::string>();
        intent.files = json.at("files").get<std::vector<std::string>>();
        intent.problem = json.value("problem", std::string());
        const bool targetOk =
            !intent.target.empty() && intent.target.find('/') == std::string::npos &&
            intent.target.starts_with(outboxFile.filename().string() + ".damaged-");
        const bool filesOk = std::all_of(
            intent.files.begin(), intent.files.end(),
            [](const std::string& s) { return s.empty() || s == "-wal" || s == "-shm"; });
        if (targetOk && filesOk) {
            return intent;
        }
    } catch (const std::exception&) {
    }
    // Written atomically, so this is damage of another kind: never rename on a guess.
    std::error_code error;
    std::filesystem::rename(file, file.string() + ".unreadable", error);
    logError(kLog, "the outbox's move-aside intent could not be read; left as " +
                       file.filename().string() + ".unreadable");
    return std::nullopt;
}

std::string damagedCopyName(const std::filesystem::path& outboxFile) {
    const std::filesystem::path dir = directoryOf(outboxFile);
    const std::string base = outboxFile.filename().string() + ".damaged-" + compactUtcNow();
    std::string target = base;
    for (int n = 2; present(dir / target) || present(dir / (target + "-wal")) ||
                    present(dir / (target + "-shm"));
         ++n) {
        target = base + "-" + std::to_string(n);
    }
    return target;
}

void moveOutboxAside(const std::filesystem::path& outboxFile, const MoveAsideIntent& intent) {
    const std::filesystem::path dir = directoryOf(outboxFile);
    const std::filesystem::path intentFile = moveAsideIntentFile(outboxFile);
    if (!present(intentFile)) {
        const nlohmann::json json{
            {"to", intent.target}, {"files", intent.files}, {"problem", intent.problem}};
        writeFileAtomically(intentFile, json.dump() + "\n", 0600);  // durable before any rename
        outboxKillPoint("intent-written");
    }
    for (const char* suffix : kSuffixes) {
        if (std::find(intent.files.begin(), intent.files.end(), suffix) == intent.files.end()) {
            continue;
        }
        const std::filesystem::path from = outboxFile.string() + suffix;
        const std::filesystem::path to = dir / (intent.target + suffix);
        // A target that exists was moved already (a rename is atomic); the name at the source
        // may by now be the fresh outbox's own file, which must stay.
        if (present(to) || !present(from)) {
            continue;
        }
        std::error_code error;
        std::filesystem::rename(from, to, error);
        if (error) {
            throw FileError(from, "cannot move the damaged outbox aside", error.value());
        }
        outboxKillPoint(*suffix == '\0'    ? "moved-main"
                        : suffix[1] == 'w' ? "moved-wal"
                                           : "moved-shm");
    }
    syncDirectory(dir);
}

void clearMoveAside(const std::filesystem::path& outboxFile) {
    std::error_code error;
    std::filesystem::remove(moveAsideIntentFile(outboxFile), error);
    if (error) {
        throw FileError(moveAsideIntentFile(outboxFile), "cannot remove", error.value());
    }
    syncDirectory(directoryOf(outboxFile));
    outboxKillPoint("intent-cleared");
}

std::vector<std::filesystem::path> damagedCopies(const std::filesystem::path& outboxFile) {
    std::vector<std::filesystem::path> copies;
    const std::string prefix = outboxFile.filename().string() + ".damaged-";
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directoryOf(outboxFile), error)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(prefix) && !name.ends_with("-wal") && !name.ends_with("-shm") &&
            !name.ends_with("-journal")) {
            copies.push_back(entry.path());
        }
    }
    std::sort(copies.begin(), copies.end());  // the names carry the UTC time
    return copies;
}

std::optional<SalvageReport> salvageInto(Outbox& into, const std::filesystem::path& damaged) {
    Database& db = into.database();
    const std::string key = kSalvageKeyPrefix + damaged.filename().string();
    {
        Statement done = db.prepare("SELECT 1 FROM sync_state WHERE key = ?");
        done.bind(1, key);
        if (done.step()) {
            return std::nullopt;
        }
    }
    SalvageReport report;
    report.damagedFile = damaged.filename().string();
    report.at = formatIsoUtc(std::chrono::system_clock::now());
    std::vector<Row> rows;
    std::int64_t highest = 0;
    try {
        Database copy = openDamaged(damaged);
        // How many rows there were: the table's own maximum, or the sequence it kept.
        const std::optional<std::int64_t> maxSeq = queryInt(copy, "SELECT max(seq) FROM outbox");
        const std::optional<std::int64_t> sequence =
            queryInt(copy, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'");
        highest = std::max(maxSeq.value_or(0), sequence.value_or(0));
        if (!maxSeq && !sequence) {
            // Neither could be read: walk the table as far as it goes.
            try {
                Statement walk = copy.prepare("SELECT seq FROM outbox ORDER BY seq");
                while (walk.step()) {
                    highest = walk.columnInt64(0);
                }
            } catch (const StorageError&) {
            }
        }
        // And look beyond in any case: a damaged page can make the maximum read short.
        const std::int64_t limit = highest + kProbeBeyond;
        // held_for (outbox version 3) keeps an item away from servers it was not queued for.
        const bool hasHeldFor = queryInt(copy,
                                         "SELECT count(*) FROM pragma_table_info('outbox') "
                                         "WHERE name = 'held_for'")
                                    .value_or(0) > 0;
        Statement one = copy.prepare(
            std::string(
                "SELECT seq, id, reference, created_at, form_version, venue, neighbourhood, "
                "service_id, sealed, status, test, attempts, last_error, sent_at, ") +
            (hasHeldFor ? "held_for" : "NULL") + " FROM outbox WHERE seq = ?");
        std::size_t missing = 0;
        for (std::int64_t seq = 1; seq <= limit; ++seq) {
            try {
                one.reset();
                one.bind(1, seq);
                if (!one.step()) {
                    ++missing;  // rows are never deleted: a gap is a row on a damaged page
                    continue;
                }
                Row row;
                row.seq = one.columnInt64(0);
                row.id = one.columnText(1);
                row.reference = one.columnText(2);
                row.createdAt = one.columnText(3);
                row.formVersion = one.columnText(4);
                row.venue = one.columnText(5);
                row.neighbourhood = one.columnText(6);
                row.serviceId = one.columnText(7);
                row.sealed = one.columnBlob(8);
                row.status = one.columnText(9);
                row.test = one.columnInt(10);
                row.attempts = one.columnInt(11);
                row.lastError = one.columnText(12);
                row.sentAt = one.columnText(13);
                row.heldFor = one.columnText(14);
                if (!plausible(row)) {
                    ++missing;
                    continue;
                }
                highest = std::max(highest, row.seq);
                rows.push_back(std::move(row));
            } catch (const StorageError&) {
                ++missing;
            }
        }
        // Probed seqs past the last row found were never rows.
        report.lost =
            limit > highest ? missing - static_cast<std::size_t>(limit - highest) : missing;
    } catch (const StorageError& failure) {
        // Not even opened (a file that is no database at all): nothing can be read from it.
        logWarning(kLog,
                   "nothing could be read from " + report.damagedFile + ": " + failure.what());
    }

    Transaction transaction(db);
    Statement insert = db.prepare(
        "INSERT OR IGNORE INTO outbox (seq, id, reference, created_at, form_version, venue, "
        "neighbourhood, service_id, sealed, status, test, attempts, last_error, sent_at, repush, "
        "held_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Row& row : rows) {
        const bool resend = row.status == "sent" && !row.sealed.empty();
        insert.reset();
        insert.bindAll(row.seq, row.id, row.reference, row.createdAt, row.formVersion, row.venue,
                       row.neighbourhood, row.serviceId);
        insert.bindBlob(9, row.sealed);
        insert.bind(10, row.status);
        insert.bind(11, row.test);
        insert.bind(12, row.attempts);
        insert.bind(13, row.lastError);
        if (row.sentAt.empty()) {
            insert.bindNull(14);
        } else {
            insert.bind(14, row.sentAt);
        }
        insert.bind(15, resend ? 1 : 0);
        if (row.heldFor.empty()) {
            insert.bindNull(16);
        } else {
            insert.bind(16, row.heldFor);
        }
        insert.run();
        if (db.changes() == 0) {
            continue;  // already here (salvaged into this outbox from another copy)
        }
        if (row.status == "queued") {
            ++report.saved;
        } else if (resend) {
            ++report.resent;
        } else if (row.status == "rejected") {
            ++report.rejected;
        } else {
            ++report.history;
        }
    }
    // The per-device sequence is never reused, not even the numbers of rows that were lost.
    db.prepare(
          "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', 0 "
          "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')")
        .run();
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'")
        .bind(1, highest)
        .run();
    db.prepare("INSERT INTO sync_state (key, value) VALUES (?, ?)")
        .bind(1, key)
        .bind(2, reportJson(report))
        .run();
    transaction.commit();
    outboxKillPoint("salvaged");
    logWarning(kLog, "salvaged " + report.damagedFile + ": " + std::to_string(report.saved) +
                         " unsent referral(s) queued again, " + std::to_string(report.resent) +
                         " sent one(s) to send again, " + std::to_string(report.lost) +
                         " row(s) could not be read");
    return report;
}

std::vector<SalvageReport> salvageReports(Outbox& outbox) {
    std::vector<SalvageReport> reports;
    Statement query = outbox.database().prepare(
        "SELECT key, value FROM sync_state WHERE key LIKE 'salvage:%' ORDER BY key");
    while (query.step()) {
        SalvageReport report;
        report.damagedFile = query.columnText(0).substr(std::strlen(kSalvageKeyPrefix));
        const nlohmann::json json = nlohmann::json::parse(query.columnText(1), nullptr, false);
        if (json.is_object()) {
            report.at = json.value("at", std::string());
            report.saved = json.value("saved", std::size_t{0});
            report.resent = json.value("resent", std::size_t{0});
            report.rejected = json.value("rejected", std::size_t{0});
            report.history = json.value("history", std::size_t{0});
            report.lost = json.value("lost", std::size_t{0});
        }
        reports.push_back(std::move(report));
    }
    return reports;
}

}  // namespace signpost
