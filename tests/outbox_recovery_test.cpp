// Issue 9, part 3: a damaged outbox keeps its referrals. Real damage (a zeroed index page, zeroed
// table pages, a truncated file, a torn WAL), the crash-safe move aside killed at each of its
// steps (signpost-sync-harness open, a real process, SIGKILLed where the code says), the
// salvage's counts, copies left by older versions, and the package's purge rule for damaged
// copies that still hold unsent referrals.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/common/ids.h"
#include "core/referral/outbox.h"
#include "core/referral/outbox_recovery.h"
#include "core/referral/unsent_count.h"
#include "support/process.h"
#include "support/test_support.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kAlphabet = "ACDEFGHJKMNPQRTWXY34679";

NewOutboxItem item(int n) {
    NewOutboxItem it;
    it.id = uuidV4();
    it.reference = "MCR-";
    for (int i = 0, rest = n; i < 4; ++i, rest /= 23) {
        it.reference.push_back(kAlphabet[static_cast<std::size_t>(rest % 23)]);
    }
    it.createdAt = "2026-11-23T14:03:07Z";
    it.formVersion = "2026.11";
    it.venue = "Chorlton Library";
    it.neighbourhood = "Chorlton";
    it.sealed.assign(600, static_cast<std::uint8_t>(n & 0xFF));
    it.sealed[0] = static_cast<std::uint8_t>(n >> 8);
    return it;
}

struct Made {
    std::map<std::int64_t, NewOutboxItem> bySeq;
    std::map<std::int64_t, std::string> status;  // "queued", "sent", "rejected"
};

// An outbox with `inMain` referrals checkpointed into the database file and `inWal` more, each
// its own commit, left in the WAL (no checkpoint, not even on close). Every `sentEvery`-th is
// marked sent (in the same commit as the others are made), the 7th rejected.
Made makeOutbox(const std::filesystem::path& file, int inMain, int inWal, int sentEvery = 4) {
    Made made;
    Outbox outbox(file.string());
    Database& db = outbox.database();
    sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    db.exec("PRAGMA wal_autocheckpoint = 0");
    for (int n = 1; n <= inMain + inWal; ++n) {
        const NewOutboxItem it = item(n);
        const std::int64_t seq = outbox.enqueue(it);
        made.bySeq[seq] = it;
        std::string status = "queued";
        if (n % sentEvery == 0) {
            status = "sent";
        } else if (n == 7) {
            status = "rejected";
        }
        if (status != "queued") {
            db.prepare("UPDATE outbox SET status = ?, sent_at = ? WHERE seq = ?")
                .bind(1, status)
                .bind(2, status == "sent" ? "2099-01-01T00:00:00Z" : "")
                .bind(3, seq)
                .run();
        }
        made.status[seq] = status;
        if (n == inMain) {
            db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }
    return made;
}

std::size_t pageSizeOf(const std::filesystem::path& file) {
    Database db(file.string(), {.readOnly = true});
    Statement query = db.prepare("PRAGMA page_size");
    REQUIRE(query.step());
    return static_cast<std::size_t>(query.columnInt64(0));
}

void zeroPage(const std::filesystem::path& file, std::int64_t page, std::size_t pageSize) {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(out);
    out.seekp(static_cast<std::streamoff>((page - 1) * static_cast<std::int64_t>(pageSize)));
    const std::string zeros(pageSize, '\0');
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    REQUIRE(out);
}

// Pages of `name` (table or index) of `kind` ("leaf", "internal"), from SQLite's dbstat, with
// how many cells each holds. Read from the database file alone (the WAL is set aside meanwhile).
std::vector<std::pair<std::int64_t, int>> pagesOf(const std::filesystem::path& file,
                                                  const std::string& name,
                                                  const std::string& kind) {
    const std::filesystem::path wal = file.string() + "-wal";
    const std::filesystem::path parked = file.string() + ".parked-wal";
    const bool hasWal = std::filesystem::exists(wal);
    if (hasWal) {
        std::filesystem::rename(wal, parked);
    }
    std::vector<std::pair<std::int64_t, int>> pages;
    {
        Database db(file.string(), {.readOnly = true});
        Statement query = db.prepare(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno");
        query.bind(1, name).bind(2, kind);
        while (query.step()) {
            pages.emplace_back(query.columnInt64(0), query.columnInt(1));
        }
    }
    std::filesystem::remove(file.string() + "-shm");
    if (hasWal) {
        std::filesystem::rename(parked, wal);
    }
    return pages;
}

std::int64_t rootPage(const std::filesystem::path& file, const std::string& name) {
    Database db(file.string(), {.readOnly = true});
    Statement query = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?");
    query.bind(1, name);
    REQUIRE(query.step());
    return query.columnInt64(0);
}

// Every row of a healthy outbox by seq.
std::map<std::int64_t, OutboxItem> rowsOf(Outbox& outbox) {
    std::map<std::int64_t, OutboxItem> rows;
    for (const OutboxItem& it : outbox.allItems()) {
        rows[it.seq] = it;
    }
    return rows;
}

// The salvaged outbox holds exactly the rows of `made` whose seq is in `expected`, unchanged
// (id, reference, ciphertext), queued ones queued and sent ones marked to send again.
void requireSalvaged(Outbox& outbox, const Made& made, const std::set<std::int64_t>& expected,
                     std::optional<std::int64_t> highestKnown = std::nullopt) {
    const auto rows = rowsOf(outbox);
    std::set<std::int64_t> got;
    for (const auto& [seq, row] : rows) {
        got.insert(seq);
        INFO("seq " << seq);
        REQUIRE(made.bySeq.contains(seq));
        const NewOutboxItem& original = made.bySeq.at(seq);
        CHECK(row.id == original.id);
        CHECK(row.reference == original.reference);
        CHECK(row.sealed == original.sealed);
        const std::string& status = made.status.at(seq);
        CHECK(toString(row.status) == status);
        CHECK(row.repush == (status == "sent"));
    }
    CHECK(got == expected);
    // New referrals never reuse a number.
    const std::int64_t next = outbox.enqueue(item(9000));
    CHECK(next > highestKnown.value_or(made.bySeq.rbegin()->first));
    CHECK(outbox.database().integrityCheck() == "ok");
}

std::set<std::int64_t> seqsOf(const Made& made) {
    std::set<std::int64_t> seqs;
    for (const auto& [seq, it] : made.bySeq) {
        seqs.insert(seq);
    }
    return seqs;
}

std::vector<std::string> namesIn(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("issue 9: queued referrals in a damaged outbox are salvaged into the new one",
          "[outbox_recovery]") {
    test::TempDir dir("outbox-salvage");
    const std::filesystem::path file = dir / "outbox.db";
    const Made made = makeOutbox(file, 40, 0);
    const std::size_t pageSize = pageSizeOf(file);

    SECTION("a zeroed index page: every row is still readable") {
        zeroPage(file, rootPage(file, "outbox_status_seq"), pageSize);
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(file, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        REQUIRE(report.salvaged.size() == 1);
        CHECK(report.salvaged[0].saved == 29);  // 40 - 10 sent - 1 rejected
        CHECK(report.salvaged[0].resent == 10);
        CHECK(report.salvaged[0].rejected == 1);
        CHECK(report.salvaged[0].lost == 0);
        requireSalvaged(outbox, made, seqsOf(made));
    }
    SECTION("zeroed table pages: the rows on them are lost, every other one is saved") {
        const auto leaves = pagesOf(file, "outbox", "leaf");
        REQUIRE(leaves.size() >= 4);
        const auto cellsLost = static_cast<std::size_t>(leaves[1].second + leaves[2].second);
        zeroPage(file, leaves[1].first, pageSize);
        zeroPage(file, leaves[2].first, pageSize);
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(file, report);
        REQUIRE(report.salvaged.size() == 1);
        const SalvageReport& salvage = report.salvaged[0];
        CHECK(salvage.lost == cellsLost);
        CHECK(salvage.saved + salvage.resent + salvage.rejected + salvage.lost == 40);
        const auto rows = rowsOf(outbox);
        CHECK(rows.size() == 40 - cellsLost);
        std::set<std::int64_t> expected;
        for (const auto& [seq, row] : rows) {
            expected.insert(seq);
        }
        requireSalvaged(outbox, made, expected);
    }
    SECTION("a truncated file: what is left is saved, the rest counted lost") {
        // Cut in the middle of the table's pages (the first pages hold only the schema).
        const auto leaves = pagesOf(file, "outbox", "leaf");
        REQUIRE(leaves.size() >= 4);
        std::filesystem::resize_file(
            file, static_cast<std::uintmax_t>(leaves[leaves.size() / 2].first - 1) * pageSize);
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(file, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        REQUIRE(report.salvaged.size() == 1);
        const SalvageReport& salvage = report.salvaged[0];
        const auto rows = rowsOf(outbox);
        CHECK(salvage.saved + salvage.resent + salvage.rejected == rows.size());
        CHECK(rows.size() + salvage.lost == 40);
        CHECK(salvage.lost > 0);
        CHECK(rows.size() > 0);
        std::set<std::int64_t> expected;
        for (const auto& [seq, row] : rows) {
            expected.insert(seq);
        }
        requireSalvaged(outbox, made, expected);
    }
    SECTION("not a database at all: nothing to read, nothing lost silently") {
        test::writeText(file, std::string(8192, 'x'));
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(file, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        REQUIRE(report.salvaged.size() == 1);
        CHECK(report.salvaged[0].saved == 0);
        CHECK(outbox.allItems().empty());
        CHECK(test::readText(report.movedAsideTo) == std::string(8192, 'x'));
    }
    // The report stays in the new outbox for the staff panel.
    Outbox reopened(file.string());
    const auto reports = salvageReports(reopened);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].damagedFile.starts_with("outbox.db.damaged-"));
}

TEST_CASE("issue 9: a torn WAL: the commits before the tear are salvaged with the file's rows",
          "[outbox_recovery]") {
    test::TempDir dir("outbox-torn-wal");
    const std::filesystem::path file = dir / "outbox.db";
    const Made made = makeOutbox(file, 30, 10, 1000);  // 30 in the file, 10 commits in the WAL
    const std::filesystem::path wal = file.string() + "-wal";
    REQUIRE(std::filesystem::file_size(wal) > 0);
    const std::size_t pageSize = pageSizeOf(file);
    // Damage a table page of the file that no WAL commit rewrote (an early leaf), and tear the
    // WAL inside its last frame: SQLite stops at the first frame whose checksum fails.
    const auto leaves = pagesOf(file, "outbox", "leaf");
    REQUIRE(leaves.size() >= 3);
    zeroPage(file, leaves[0].first, pageSize);
    std::filesystem::resize_file(wal, std::filesystem::file_size(wal) - pageSize / 2);
    const std::string walBefore = test::readText(wal);
    const std::string fileBefore = test::readText(file);

    OutboxOpenReport report;
    Outbox outbox = Outbox::openOrRecover(file, report);
    CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
    REQUIRE(report.salvaged.size() == 1);
    // The damaged copy and its WAL moved byte for byte, together.
    CHECK(test::readText(report.movedAsideTo) == fileBefore);
    CHECK(test::readText(report.movedAsideTo.string() + "-wal") == walBefore);
    const auto rows = rowsOf(outbox);
    // Every WAL commit but the torn last one is there.
    for (std::int64_t seq = 31; seq <= 39; ++seq) {
        INFO("seq " << seq);
        CHECK(rows.contains(seq));
    }
    CHECK_FALSE(rows.contains(40));
    CHECK(report.salvaged[0].lost == static_cast<std::size_t>(leaves[0].second));
    CHECK(rows.size() == 39 - static_cast<std::size_t>(leaves[0].second));
    std::set<std::int64_t> expected;
    for (const auto& [seq, row] : rows) {
        expected.insert(seq);
    }
    // Seq 40 was torn away with its commit: nothing records that it existed.
    requireSalvaged(outbox, made, expected, 39);
}

TEST_CASE(
    "issue 9: an older version's interrupted move: its WAL is never replayed into a new outbox",
    "[outbox_recovery]") {
    // Before issue 9 the database was renamed first and its -wal second: killed in between, the
    // WAL stayed under the outbox's name with no database beside it.
    test::TempDir dir("outbox-orphan-wal");
    const std::filesystem::path file = dir / "outbox.db";
    const Made made = makeOutbox(file, 20, 8, 1000);
    zeroPage(file, rootPage(file, "outbox_status_seq"), pageSizeOf(file));
    const std::filesystem::path copy = dir / "outbox.db.damaged-20261101T120000Z";
    std::filesystem::rename(file, copy);
    std::filesystem::remove(file.string() + "-shm");
    REQUIRE(std::filesystem::exists(file.string() + "-wal"));

    OutboxOpenReport report;
    Outbox outbox = Outbox::openOrRecover(file, report);
    // The WAL went to its database, and everything in both was salvaged.
    CHECK(std::filesystem::exists(copy.string() + "-wal"));
    REQUIRE(report.salvaged.size() == 1);
    CHECK(report.salvaged[0].damagedFile == copy.filename().string());
    CHECK(report.salvaged[0].saved == 27);  // and the 7th, rejected, kept as it was
    CHECK(report.salvaged[0].rejected == 1);
    requireSalvaged(outbox, made, seqsOf(made));
}

TEST_CASE("issue 9: copies an earlier version moved aside are salvaged once", "[outbox_recovery]") {
    test::TempDir dir("outbox-old-copies");
    const std::filesystem::path file = dir / "outbox.db";
    const Made made = makeOutbox(file, 12, 0);
    std::filesystem::rename(file, dir / "outbox.db.damaged-20261101T120000Z");
    for (const char* suffix : {"-wal", "-shm"}) {
        std::filesystem::remove(file.string() + suffix);
    }
    { Outbox fresh(file.string()); }  // what the older version started after moving it
    OutboxOpenReport report;
    {
        Outbox outbox = Outbox::openOrRecover(file, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::Opened);
        REQUIRE(report.salvaged.size() == 1);
        CHECK(report.salvaged[0].saved == 8);  // 12 - 3 sent - 1 rejected
        requireSalvaged(outbox, made, seqsOf(made));
    }
    Outbox again = Outbox::openOrRecover(file, report);
    CHECK(report.salvaged.empty());  // never twice
}

TEST_CASE("issue 9: killed at each step of the move aside, the next start finishes it",
          "[outbox_recovery]") {
    const auto open = [](const std::filesystem::path& data, const std::filesystem::path& log,
                         const char* killAt) {
        test::ProcessOptions options;
        options.program = test::builtProgram("signpost-sync-harness");
        options.args = {"open", "--data-dir", data.string()};
        options.unsetEnv = {"SIGNPOST_OUTBOX_TEST_KILL_AT"};
        if (killAt != nullptr) {
            options.env["SIGNPOST_OUTBOX_TEST_KILL_AT"] = killAt;
        }
        options.stdoutFile = log;
        options.stderrFile = log.string() + ".err";
        return test::runProcess(options, 60s);
    };
    for (const char* point : {"intent-written", "moved-wal", "moved-shm", "moved-main",
                              "fresh-created", "salvaged", "intent-cleared"}) {
        INFO("killed at " << point);
        test::TempDir dir("outbox-move-kill");
        const std::filesystem::path data = dir / "data";
        std::filesystem::create_directories(data);
        const std::filesystem::path file = data / "outbox.db";
        const Made made = makeOutbox(file, 20, 6, 1000);
        // Damage the file where no WAL commit shadows it: the first table leaf.
        const auto leaves = pagesOf(file, "outbox", "leaf");
        REQUIRE(leaves.size() >= 2);
        zeroPage(file, leaves[0].first, pageSizeOf(file));
        // An -shm as a running kiosk leaves it, so there are three files to move.
        {
            Database probe(file.string(), {.readOnly = true});
            sqlite3_db_config(probe.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
            Statement count = probe.prepare("SELECT count(*) FROM sqlite_master");
            REQUIRE(count.step());
        }
        REQUIRE(std::filesystem::exists(file.string() + "-wal"));
        REQUIRE(std::filesystem::exists(file.string() + "-shm"));
        const std::string fileBefore = test::readText(file);
        const std::string walBefore = test::readText(file.string() + "-wal");
        // The same damage opened without a kill: what the result must be.
        const std::filesystem::path reference = dir / "reference";
        std::filesystem::create_directories(reference);
        for (const char* suffix : {"", "-wal"}) {
            std::filesystem::copy_file(file.string() + suffix,
                                       (reference / "outbox.db").string() + suffix);
        }
        REQUIRE(open(reference, dir / "reference.log", nullptr).success());

        const test::ExitStatus killed = open(data, dir / "killed.log", point);
        INFO(test::readText(dir / "killed.log.err"));
        REQUIRE(killed.signal == SIGKILL);
        const test::ExitStatus opened = open(data, dir / "open.log", nullptr);
        INFO(test::readText(dir / "open.log.err"));
        REQUIRE(opened.success());

        // One damaged copy, complete with its WAL; no intent left.
        std::vector<std::string> copies;
        for (const std::string& name : namesIn(data)) {
            if (name.starts_with("outbox.db.damaged-") && !name.ends_with("-wal") &&
                !name.ends_with("-shm")) {
                copies.push_back(name);
            }
            CHECK_FALSE(name.ends_with(".move-aside"));
        }
        REQUIRE(copies.size() == 1);
        CHECK(test::readText(data / copies[0]) == fileBefore);
        CHECK(test::readText(data / (copies[0] + "-wal")) == walBefore);
        Outbox outbox(file.string());
        Outbox expected((reference / "outbox.db").string());
        const auto rows = rowsOf(outbox);
        const auto expectedRows = rowsOf(expected);
        std::set<std::int64_t> seqs;
        for (const auto& [seq, row] : expectedRows) {
            seqs.insert(seq);
        }
        CHECK(rows.size() == 26 - static_cast<std::size_t>(leaves[0].second));
        requireSalvaged(outbox, made, seqs);
        const auto reports = salvageReports(outbox);
        const auto expectedReports = salvageReports(expected);
        REQUIRE(reports.size() == 1);
        REQUIRE(expectedReports.size() == 1);
        CHECK(reports[0].saved == expectedReports[0].saved);
        CHECK(reports[0].lost == expectedReports[0].lost);
        CHECK(reports[0].lost == static_cast<std::size_t>(leaves[0].second));
    }
}

TEST_CASE("issue 9: purge keeps a damaged copy that holds unsent referrals", "[outbox_recovery]") {
    // What the package's prerm asks before a purge (signpost-kiosk --count-unsent, issue 13):
    // the kiosk's own count, damaged copies included; "unknown" when it cannot be read.
    const auto unsent = [](const std::filesystem::path& data) -> std::string {
        try {
            return std::to_string(countUnsentReferrals(data).total());
        } catch (const std::exception&) {
            return "unknown";
        }
    };
    test::TempDir dir("postrm-damaged");
    const std::filesystem::path file = dir / "outbox.db";
    CHECK(unsent(dir.path()) == "0");
    const Made made = makeOutbox(file, 10, 0);  // 7 queued, 2 sent, 1 rejected
    CHECK(unsent(dir.path()) == "8");
    // Moved aside after damage, salvaged into a fresh outbox.
    zeroPage(file, rootPage(file, "outbox_status_seq"), pageSizeOf(file));
    OutboxOpenReport report;
    {
        Outbox outbox = Outbox::openOrRecover(file, report);
        // The new outbox has them queued again: they count there.
        CHECK(unsent(dir.path()) == "8");
        // Sent from the new outbox: the damaged copy still says "queued", but nothing is unsent.
        outbox.database().exec(
            "UPDATE outbox SET status = 'sent', repush = 0 WHERE status <> 'rejected'");
        outbox.database().exec("UPDATE outbox SET status = 'sent' WHERE status = 'rejected'");
    }
    CHECK(unsent(dir.path()) == "0");
    // A damaged copy whose rows never reached the new outbox (salvage never ran: an older
    // version moved it aside) holds unsent referrals, and purge must keep it.
    test::TempDir other("postrm-unsalvaged");
    makeOutbox(other / "outbox.db", 6, 0);  // 4 queued, 1 sent, 1 rejected
    std::filesystem::rename(other / "outbox.db", other / "outbox.db.damaged-20261101T120000Z");
    { Outbox fresh((other / "outbox.db").string()); }
    CHECK(unsent(other.path()) == "5");
    // A copy sqlite3 cannot read at all: it cannot be checked, so it is not deleted.
    test::writeText(other / "outbox.db.damaged-20261102T120000Z", std::string(4096, 'x'));
    CHECK(unsent(other.path()) == "unknown");
    (void)made;
}
