#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/common/ids.h"
#include "core/referral/outbox.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

constexpr std::string_view kAlphabet = "ACDEFGHJKMNPQRTWXY34679";

NewOutboxItem sampleItem(int n, std::size_t sealedSize = 600) {
    NewOutboxItem item;
    item.id = uuidV4();
    item.reference = "MCR-";
    for (int i = 0, rest = n; i < 4; ++i, rest /= 23) {
        item.reference.push_back(kAlphabet[static_cast<std::size_t>(rest % 23)]);
    }
    item.createdAt = "2026-11-23T14:03:07Z";
    item.formVersion = "2026.11";
    item.venue = "Chorlton Library";
    item.neighbourhood = "Chorlton";
    item.serviceId = n % 2 == 0 ? "svc-" + std::to_string(n) : "";
    item.sealed.assign(sealedSize, static_cast<std::uint8_t>(n & 0xFF));
    item.test = n % 3 == 0;
    return item;
}

std::int64_t rowCount(const std::filesystem::path& path) {
    Database db(path.string(), {.readOnly = true});
    Statement count = db.prepare("SELECT count(*) FROM outbox");
    REQUIRE(count.step());
    return count.columnInt64(0);
}

std::string fileBytes(const std::filesystem::path& path) {
    return test::readText(path);
}

// Overwrites bytes of a closed database file in place (test damage).
void patchFile(const std::filesystem::path& path, std::size_t offset, const std::string& bytes) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(file);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(file);
}

int rootPage(const std::filesystem::path& path, const std::string& name) {
    Database db(path.string(), {.readOnly = true});
    Statement query = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?");
    query.bind(1, name);
    REQUIRE(query.step());
    return query.columnInt(0);
}

std::size_t pageSize(const std::filesystem::path& path) {
    Database db(path.string(), {.readOnly = true});
    Statement query = db.prepare("PRAGMA page_size");
    REQUIRE(query.step());
    return static_cast<std::size_t>(query.columnInt64(0));
}

}  // namespace

TEST_CASE("a new outbox has the schema, WAL and synchronous=FULL", "[outbox]") {
    test::TempDir dir("outbox");
    Outbox outbox((dir / "outbox.db").string());
    Database& db = outbox.database();
    CHECK(db.userVersion() == kOutboxSchemaVersion);

    Statement mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.columnText(0) == "wal");
    Statement sync = db.prepare("PRAGMA synchronous");
    REQUIRE(sync.step());
    CHECK(sync.columnInt(0) == 2);  // FULL

    std::vector<std::string> columns;
    Statement info = db.prepare("SELECT name FROM pragma_table_info('outbox') ORDER BY cid");
    while (info.step()) {
        columns.push_back(info.columnText(0));
    }
    CHECK(columns == std::vector<std::string>{"seq", "id", "reference", "created_at",
                                              "form_version", "venue", "neighbourhood",
                                              "service_id", "sealed", "status", "test", "attempts",
                                              "last_error", "sent_at", "last_attempt_at",
                                              "purged_at", "repush", "held_for"});
    CHECK(outbox.counts().queued == 0);
    CHECK(outbox.allItems().empty());
}

TEST_CASE("enqueue stores an item durably and reads it back", "[outbox]") {
    test::TempDir dir("outbox");
    const std::string path = (dir / "outbox.db").string();
    std::vector<NewOutboxItem> stored;
    {
        Outbox outbox(path);
        for (int n = 0; n < 3; ++n) {
            stored.push_back(sampleItem(n));
            CHECK(outbox.enqueue(stored.back()) == n + 1);
        }
        CHECK(outbox.hasReference(stored[1].reference));
        CHECK_FALSE(outbox.hasReference("MCR-XXXX"));
    }
    // A new connection (as after a restart) sees everything.
    Outbox outbox(path);
    const std::vector<OutboxItem> items = outbox.items(OutboxStatus::Queued);
    REQUIRE(items.size() == 3);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const OutboxItem& item = items[i];
        const NewOutboxItem& expected = stored[i];
        CHECK(item.seq == static_cast<std::int64_t>(i + 1));
        CHECK(item.id == expected.id);
        CHECK(item.reference == expected.reference);
        CHECK(item.createdAt == expected.createdAt);
        CHECK(item.formVersion == expected.formVersion);
        CHECK(item.venue == expected.venue);
        CHECK(item.neighbourhood == expected.neighbourhood);
        CHECK(item.serviceId == expected.serviceId);
        CHECK(item.sealed == expected.sealed);
        CHECK(item.test == expected.test);
        CHECK(item.status == OutboxStatus::Queued);
        CHECK(item.attempts == 0);
        CHECK(item.lastError.empty());
        CHECK(item.sentAt.empty());
    }
    CHECK(outbox.allItems().size() == 3);
    const OutboxCounts counts = outbox.counts();
    CHECK(counts.queued == 3);
    CHECK(counts.sent == 0);
    CHECK(counts.rejected == 0);
}

TEST_CASE("sequence numbers are monotonic and never reused", "[outbox]") {
    Outbox outbox(":memory:");
    for (int n = 0; n < 3; ++n) {
        outbox.enqueue(sampleItem(n));
    }
    // The sync issue deletes acknowledged rows; a later referral must not take their numbers.
    outbox.database().exec("DELETE FROM outbox WHERE seq = 3");
    CHECK(outbox.enqueue(sampleItem(3)) == 4);
}

TEST_CASE("items are listed by status, in sequence order, in pages", "[outbox]") {
    Outbox outbox(":memory:");
    for (int n = 0; n < 7; ++n) {
        outbox.enqueue(sampleItem(n));
    }
    outbox.database().exec("UPDATE outbox SET status = 'sent' WHERE seq IN (2, 5)");
    outbox.database().exec(
        "UPDATE outbox SET status = 'rejected', last_error = 'http_422' "
        "WHERE seq = 6");

    const OutboxCounts counts = outbox.counts();
    CHECK(counts.queued == 4);
    CHECK(counts.sent == 2);
    CHECK(counts.rejected == 1);

    const auto seqs = [](const std::vector<OutboxItem>& items) {
        std::vector<std::int64_t> result;
        for (const OutboxItem& item : items) {
            result.push_back(item.seq);
        }
        return result;
    };
    CHECK(seqs(outbox.items(OutboxStatus::Queued)) == std::vector<std::int64_t>{1, 3, 4, 7});
    CHECK(seqs(outbox.items(OutboxStatus::Queued, 2)) == std::vector<std::int64_t>{1, 3});
    CHECK(seqs(outbox.items(OutboxStatus::Queued, 2, 3)) == std::vector<std::int64_t>{4, 7});
    CHECK(outbox.items(OutboxStatus::Queued, 2, 7).empty());
    CHECK(seqs(outbox.items(OutboxStatus::Sent)) == std::vector<std::int64_t>{2, 5});
    const std::vector<OutboxItem> rejected = outbox.items(OutboxStatus::Rejected);
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].lastError == "http_422");
    CHECK(seqs(outbox.allItems()) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
    CHECK(std::string(toString(OutboxStatus::Rejected)) == "rejected");
}

TEST_CASE("a clash on id or reference writes nothing", "[outbox]") {
    Outbox outbox(":memory:");
    const NewOutboxItem first = sampleItem(1);
    outbox.enqueue(first);

    NewOutboxItem sameId = sampleItem(2);
    sameId.id = first.id;
    NewOutboxItem sameReference = sampleItem(3);
    sameReference.reference = first.reference;
    for (const NewOutboxItem& clash : {sameId, sameReference}) {
        try {
            outbox.enqueue(clash);
            FAIL("expected a constraint error");
        } catch (const StorageError& error) {
            CHECK(error.code() == SQLITE_CONSTRAINT);
            CHECK(error.extendedCode() == SQLITE_CONSTRAINT_UNIQUE);
        }
        CHECK(outbox.counts().queued == 1);
    }
    // The outbox is still usable; a rolled-back insert took no sequence number.
    CHECK(outbox.enqueue(sampleItem(4)) == 2);
}

TEST_CASE("items without an id, reference or sealed bytes are programming errors", "[outbox]") {
    Outbox outbox(":memory:");
    NewOutboxItem noId = sampleItem(1);
    noId.id.clear();
    NewOutboxItem noReference = sampleItem(2);
    noReference.reference.clear();
    NewOutboxItem nothingSealed = sampleItem(3);
    nothingSealed.sealed.clear();
    CHECK_THROWS_AS(outbox.enqueue(noId), std::invalid_argument);
    CHECK_THROWS_AS(outbox.enqueue(noReference), std::invalid_argument);
    CHECK_THROWS_AS(outbox.enqueue(nothingSealed), std::invalid_argument);
    CHECK(outbox.counts().queued == 0);
}

TEST_CASE("migrations: a version-0 file is migrated once, newer schemas are refused", "[outbox]") {
    test::TempDir dir("outbox");
    const std::filesystem::path path = dir / "outbox.db";

    SECTION("opening twice migrates once and keeps the rows") {
        { Outbox(path.string()).enqueue(sampleItem(1)); }
        Outbox again(path.string());
        CHECK(again.database().userVersion() == kOutboxSchemaVersion);
        CHECK(again.counts().queued == 1);
    }
    SECTION("a newer schema is an error, not damage: never moved aside or changed") {
        { Outbox(path.string()).enqueue(sampleItem(1)); }
        {
            Database db(path.string());
            db.setUserVersion(kOutboxSchemaVersion + 1);
        }
        const std::string before = fileBytes(path);
        try {
            Outbox outbox(path.string());
            FAIL("expected a StorageError");
        } catch (const StorageError& error) {
            CHECK(error.code() == SQLITE_ERROR);
            CHECK_FALSE(error.isCorrupt());
            CHECK_THAT(error.what(), Catch::Contains("newer than this build"));
        }
        OutboxOpenReport report;
        CHECK_THROWS_AS(Outbox::openOrRecover(path, report), StorageError);
        CHECK(fileBytes(path) == before);
        for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
            CHECK(entry.path().filename().string().find("damaged") == std::string::npos);
        }
        CHECK_THROWS_AS(Outbox(path.string(), {.readOnly = true}), StorageError);
    }
    SECTION("another application's database is not taken over") {
        {
            Database db(path.string());
            db.exec("CREATE TABLE services(id TEXT)");
        }
        try {
            Outbox outbox(path.string());
            FAIL("expected a StorageError");
        } catch (const StorageError& error) {
            CHECK(error.isCorrupt());
            CHECK_THAT(error.what(), Catch::Contains("not a Signpost outbox"));
        }
        Database db(path.string(), {.readOnly = true});
        Statement tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'");
        REQUIRE(tables.step());
        CHECK(tables.columnInt(0) == 0);
    }
}

TEST_CASE("read-only opening for `signpost open` changes nothing", "[outbox]") {
    test::TempDir dir("outbox");
    const std::filesystem::path path = dir / "outbox.db";
    CHECK_THROWS_AS(Outbox(path.string(), {.readOnly = true}), StorageError);
    CHECK_FALSE(std::filesystem::exists(path));

    { Outbox(path.string()).enqueue(sampleItem(1)); }
    Outbox reader(path.string(), {.readOnly = true});
    CHECK(reader.allItems().size() == 1);
    try {
        reader.enqueue(sampleItem(2));
        FAIL("expected a StorageError");
    } catch (const StorageError& error) {
        CHECK(error.isReadOnly());
    }
}

TEST_CASE("openOrRecover opens, creates, or moves a damaged outbox aside", "[outbox]") {
    test::TempDir dir("outbox");
    const std::filesystem::path path = dir / "outbox.db";
    OutboxOpenReport report;

    SECTION("created, then opened") {
        { Outbox::openOrRecover(path, report).enqueue(sampleItem(1)); }
        CHECK(report.outcome == OutboxOpenReport::Outcome::Created);
        Outbox outbox = Outbox::openOrRecover(path, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::Opened);
        CHECK(report.movedAsideTo.empty());
        CHECK(outbox.counts().queued == 1);
    }
    SECTION("a file that is not a database, with -wal and -shm beside it") {
        const std::string junk(10000, 'x');
        test::writeText(path, junk);
        test::writeText(path.string() + "-wal", "old wal");
        test::writeText(path.string() + "-shm", "old shm");

        Outbox outbox = Outbox::openOrRecover(path, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        CHECK_THAT(report.problem, Catch::Contains("not a database"));
        const std::string aside = report.movedAsideTo.string();
        CHECK_THAT(report.movedAsideTo.filename().string(),
                   Catch::Matches(R"(outbox\.db\.damaged-\d{8}T\d{6}Z)"));
        // Never deleted: the same bytes, under the new name, with its companions.
        CHECK(fileBytes(aside) == junk);
        CHECK(fileBytes(aside + "-wal") == "old wal");
        // The -shm is only an index SQLite rebuilds from the WAL whenever it opens the file, so
        // its bytes are not kept, but the file moves with the others.
        CHECK(std::filesystem::exists(aside + "-shm"));
        // A fresh, working outbox in its place.
        CHECK(outbox.counts().queued == 0);
        CHECK(outbox.enqueue(sampleItem(1)) == 1);
        CHECK(outbox.database().integrityCheck() == "ok");
    }
    SECTION("a second recovery never overwrites the first") {
        { Outbox::openOrRecover(path, report); }
        CHECK(report.outcome == OutboxOpenReport::Outcome::Created);
        test::writeText(path, std::string(4096, 'A'));
        OutboxOpenReport second;
        { Outbox::openOrRecover(path, second); }
        test::writeText(path, std::string(4096, 'B'));
        OutboxOpenReport third;
        { Outbox::openOrRecover(path, third); }
        CHECK(second.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        CHECK(third.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        // Each damaged file keeps its own name, whether or not the clock moved on meanwhile.
        CHECK(second.movedAsideTo != third.movedAsideTo);
        CHECK(fileBytes(second.movedAsideTo) == std::string(4096, 'A'));
        CHECK(fileBytes(third.movedAsideTo) == std::string(4096, 'B'));
    }
    SECTION("the WAL of a damaged database, with committed referrals in it, is kept intact") {
        { Outbox(path.string()).enqueue(sampleItem(1)); }
        // A kiosk that lost power right after a commit: the referral is only in the WAL.
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            Outbox outbox(path.string());
            outbox.enqueue(sampleItem(2));
            ::_exit(0);  // no close, no checkpoint
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        REQUIRE(WIFEXITED(status));
        REQUIRE(std::filesystem::file_size(path.string() + "-wal") > 0);
        const std::string wal = fileBytes(path.string() + "-wal");
        patchFile(path, 0, "not a database!!");  // the header's magic string

        Outbox outbox = Outbox::openOrRecover(path, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        CHECK(fileBytes(report.movedAsideTo.string() + "-wal") == wal);
        CHECK(outbox.counts().queued == 0);
    }
    SECTION("a database that fails integrity_check") {
        {
            Outbox outbox(path.string());
            for (int n = 0; n < 5; ++n) {
                outbox.enqueue(sampleItem(n, 100));
            }
        }
        // Change a status inside the index so the index no longer matches the table: the file
        // still opens and reads, but integrity_check finds it.
        const std::size_t page = pageSize(path);
        const int indexRoot = rootPage(path, "outbox_status_seq");
        std::string bytes = fileBytes(path);
        const std::size_t start = (static_cast<std::size_t>(indexRoot) - 1) * page;
        const std::size_t at = bytes.find("queued", start);
        REQUIRE(at != std::string::npos);
        REQUIRE(at < start + page);
        patchFile(path, at, "queuex");
        {
            Outbox damaged(path.string());
            REQUIRE(damaged.database().integrityCheck() != "ok");
        }
        const std::string before = fileBytes(path);

        Outbox outbox = Outbox::openOrRecover(path, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
        CHECK_THAT(report.problem, Catch::StartsWith("integrity check failed"));
        CHECK(fileBytes(report.movedAsideTo) == before);
        // The table still reads: its five queued referrals are salvaged into the new outbox
        // (issue 9), and the damaged copy stays as it was.
        CHECK(outbox.counts().queued == 5);
    }
    SECTION("a zero-length file is simply a new outbox") {
        test::writeText(path, "");
        Outbox outbox = Outbox::openOrRecover(path, report);
        CHECK(report.outcome == OutboxOpenReport::Outcome::Created);
        CHECK(outbox.enqueue(sampleItem(1)) == 1);
    }
}

TEST_CASE("a writer killed mid-write leaves a consistent outbox", "[outbox]") {
    // After SQLite's own crash tests: a child process enqueues as fast as it can and is killed
    // with SIGKILL at an arbitrary moment; every committed row must be whole, and nothing else.
    test::TempDir dir("outbox");
    const std::filesystem::path path = dir / "outbox.db";
    { Outbox create(path.string()); }
    std::int64_t previous = 0;
    for (int round = 0; round < 4; ++round) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                Outbox outbox(path.string());
                for (int n = 0;; ++n) {
                    NewOutboxItem item = sampleItem(n, 3000);
                    item.reference = "CR" + std::to_string(round) + "-" + uuidV4().substr(0, 8);
                    outbox.enqueue(item);
                }
            } catch (...) {
                ::_exit(3);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(150 + 40 * round));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        REQUIRE(WIFSIGNALED(status));

        Outbox outbox(path.string());
        CHECK(outbox.database().integrityCheck() == "ok");
        const std::vector<OutboxItem> items = outbox.allItems();
        INFO("round " << round << ": " << items.size() << " rows");
        CHECK(static_cast<std::int64_t>(items.size()) > previous);
        for (const OutboxItem& item : items) {
            CHECK(item.sealed.size() == 3000);
            CHECK(isUuidV4(item.id));
        }
        previous = static_cast<std::int64_t>(items.size());
    }
    CHECK(rowCount(path) == previous);
}
