// Issue 13 (7): `apt purge signpost-kiosk` decides from countUnsentReferrals() (asked through
// signpost-kiosk --count-unsent by the package's prerm) whether it may delete the data: checked
// against the real Outbox, its write-ahead log and damaged copies, and against outboxes that
// cannot be read (which must never count as empty).
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/referral/outbox.h"
#include "core/referral/unsent_count.h"
#include "core/storage/database.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

NewOutboxItem item(int n) {
    NewOutboxItem item;
    item.id = uuidV4();
    item.reference = "MCR-" + std::string(4, static_cast<char>('A' + n));
    item.createdAt = "2026-11-23T14:03:07Z";
    item.formVersion = "2026.11";
    item.venue = "Chorlton Library";
    item.neighbourhood = "Chorlton";
    item.sealed.assign(100, static_cast<std::uint8_t>(n));
    return item;
}

// Six referrals: seq 1-3 sent, 4 rejected by the server, 5-6 still queued.
void fillOutbox(Outbox& outbox) {
    for (int n = 1; n <= 6; ++n) {
        outbox.enqueue(item(n));
    }
    outbox.database().exec(
        "UPDATE outbox SET status = 'sent' WHERE seq <= 3; UPDATE outbox SET status = 'rejected' "
        "WHERE seq = 4");
}

}  // namespace

TEST_CASE("an empty data directory holds no unsent referral", "[unsent_count]") {
    test::TempDir dir("unsent-empty");
    const UnsentCount count = countUnsentReferrals(dir.path());
    CHECK(count.total() == 0);
    CHECK(count.copiesRead == 0);
}

TEST_CASE("queued and rejected referrals of the real outbox count, sent ones do not",
          "[unsent_count]") {
    test::TempDir dir("unsent-live");
    Outbox outbox((dir / "outbox.db").string());
    fillOutbox(outbox);
    // Counted while the kiosk still has the outbox open: what its WAL holds counts too.
    REQUIRE(std::filesystem::exists(dir / "outbox.db-wal"));
    const UnsentCount count = countUnsentReferrals(dir.path());
    CHECK(count.live == 3);
    CHECK(count.damagedCopies == 0);
    CHECK(count.total() == 3);
}

TEST_CASE("a damaged copy the kiosk moved aside counts what only it still holds",
          "[unsent_count]") {
    test::TempDir dir("unsent-damaged");
    {
        Outbox old((dir / "old.db").string());
        fillOutbox(old);
    }
    // The live outbox salvaged one of the copy's queued referrals (same id): counted once.
    std::string salvagedId;
    {
        Database copy((dir / "old.db").string(), {.readOnly = true});
        Statement queued =
            copy.prepare("SELECT id FROM outbox WHERE status = 'queued' ORDER BY seq LIMIT 1");
        REQUIRE(queued.step());
        salvagedId = queued.columnText(0);
    }
    {
        Outbox live((dir / "outbox.db").string());
        NewOutboxItem salvaged = item(9);
        salvaged.id = salvagedId;
        live.enqueue(salvaged);
    }
    std::filesystem::rename(dir / "old.db", dir / "outbox.db.damaged-20261201T101500Z");
    // Companions of a copy are not copies themselves.
    test::writeText(dir / "outbox.db.damaged-20261201T101500Z-shm", "");
    const auto copyBytes = test::readText(dir / "outbox.db.damaged-20261201T101500Z");

    const UnsentCount count = countUnsentReferrals(dir.path());
    CHECK(count.live == 1);           // the salvaged one, queued in the live outbox
    CHECK(count.damagedCopies == 2);  // the copy's rejected one and its other queued one
    CHECK(count.copiesRead == 1);
    CHECK(count.total() == 3);
    // Read-only: the copy is exactly as it was.
    CHECK(test::readText(dir / "outbox.db.damaged-20261201T101500Z") == copyBytes);
}

TEST_CASE("an outbox that cannot be read is never counted as empty", "[unsent_count]") {
    test::TempDir dir("unsent-unreadable");
    SECTION("not a database") {
        test::writeText(dir / "outbox.db", std::string(8192, 'x'));
        CHECK_THROWS_AS(countUnsentReferrals(dir.path()), StorageError);
    }
    SECTION("a write-ahead log without its database") {
        test::writeText(dir / "outbox.db-wal", std::string(4096, '\0'));
        CHECK_THROWS_AS(countUnsentReferrals(dir.path()), FileError);
    }
    SECTION("a damaged copy that is not a database") {
        test::writeText(dir / "outbox.db.damaged-20261201T101500Z", std::string(8192, 'y'));
        CHECK_THROWS_AS(countUnsentReferrals(dir.path()), StorageError);
    }
    SECTION("a database without the outbox table") {
        {
            Database db((dir / "outbox.db").string());
            db.exec("CREATE TABLE notes (body TEXT)");
        }
        CHECK_THROWS(countUnsentReferrals(dir.path()));
    }
}
