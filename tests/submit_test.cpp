#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"
#include "core/referral/submit.h"
#include "support/fault_vfs.h"
#include "support/test_support.h"

using namespace signpost;
using test::FaultTarget;
using test::FaultVfs;

namespace {

ReferralForm sampleForm() {
    ReferralForm form;
    form.kind = ReferralKind::Service;
    form.serviceId = "svc-0042";
    form.serviceName = "Chorlton Tuesday Lunch Club";
    form.needCodes = {"lonely", "food"};
    form.needsText = "  I'd like to meet people\r\nand eat together  ";
    form.name = " Ann Example ";
    form.phone = "+44 (0)161 496 0123";
    form.email = "ann@example.org";
    form.bestTime = ContactTime::Morning;
    form.safeToLeaveMessage = Answer::Yes;
    form.preferredLanguage = "pl";
    form.interpreterNeeded = true;
    form.accessNeeds = "Step-free access";
    form.consentGiven = true;
    return form;
}

bool sameForm(const ReferralForm& a, const ReferralForm& b) {
    return a.kind == b.kind && a.serviceId == b.serviceId && a.serviceName == b.serviceName &&
           a.needCodes == b.needCodes && a.needsText == b.needsText && a.name == b.name &&
           a.phone == b.phone && a.email == b.email && a.bestTime == b.bestTime &&
           a.safeToLeaveMessage == b.safeToLeaveMessage &&
           a.preferredLanguage == b.preferredLanguage &&
           a.interpreterNeeded == b.interpreterNeeded && a.accessNeeds == b.accessNeeds &&
           a.consentGiven == b.consentGiven;
}

SystemTime fixedTime() {
    return *parseIsoUtc("2026-11-23T14:03:07Z");
}

struct Kiosk {
    test::TempDir dir{"submit"};
    std::filesystem::path path = dir / "outbox.db";
    CoordinatorKeyPair coordinators = CoordinatorKeyPair::generate();
    SubmitContext context;

    Kiosk() {
        setLogToStderr(false);
        context.venue = "Chorlton Library";
        context.neighbourhood = "Chorlton";
        context.formVersion = "2026.11";
        context.consentVersion = "consent-2026-11-v1";
        context.referencePrefix = "MCR";
        context.deviceId = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a";
        context.coordinatorKey = coordinators.publicKey();
        context.now = fixedTime();
    }

    DecodedReferral decode(const OutboxItem& item) const {
        const SecureBytes plaintext = coordinators.open(item.sealed);
        return parseReferral(view(plaintext));
    }
};

// What another process (the sync thread, `signpost open`, a restarted kiosk) would see.
std::int64_t durableRows(const std::filesystem::path& path) {
    Database db(path.string(), {.readOnly = true});
    Statement count = db.prepare("SELECT count(*) FROM outbox");
    REQUIRE(count.step());
    return count.columnInt64(0);
}

std::string durableIntegrity(const std::filesystem::path& path) {
    Database db(path.string(), {.readOnly = true});
    return db.integrityCheck();
}

// Runs a submit that must fail with a StorageError and returns that error.
StorageError failedSubmit(const ReferralForm& form, const SubmitContext& context, Outbox& outbox) {
    try {
        submitReferral(form, context, outbox);
    } catch (const StorageError& error) {
        return error;
    }
    FAIL("expected submit to throw a StorageError");
    return StorageError("unreachable", SQLITE_OK, SQLITE_OK);
}

// The invariants after any failed submit: nothing stored (in this connection and on disk), the
// database intact, and the form exactly as the resident left it.
void checkNothingStored(Outbox& outbox, const std::filesystem::path& path, std::int64_t rowsBefore,
                        const ReferralForm& form) {
    CHECK(static_cast<std::int64_t>(outbox.counts().queued) == rowsBefore);
    CHECK(durableRows(path) == rowsBefore);
    CHECK(outbox.database().integrityCheck() == "ok");
    CHECK(durableIntegrity(path) == "ok");
    CHECK(sameForm(form, sampleForm()));
}

}  // namespace

TEST_CASE("submit stores one sealed referral with non-personal metadata", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    const ReferralForm form = sampleForm();

    const SubmitReceipt receipt = submitReferral(form, kiosk.context, outbox);
    CHECK(isUuidV4(receipt.id));
    CHECK(isValidReferenceCode(receipt.reference));
    CHECK(receipt.reference.starts_with("MCR-"));
    CHECK(receipt.seq == 1);
    CHECK(sameForm(form, sampleForm()));  // the form on screen is untouched

    const std::vector<OutboxItem> items = outbox.allItems();
    REQUIRE(items.size() == 1);
    const OutboxItem& item = items[0];
    CHECK(item.seq == receipt.seq);
    CHECK(item.id == receipt.id);
    CHECK(item.reference == receipt.reference);
    CHECK(item.createdAt == "2026-11-23T14:03:07Z");
    CHECK(item.formVersion == "2026.11");
    CHECK(item.venue == "Chorlton Library");
    CHECK(item.neighbourhood == "Chorlton");
    CHECK(item.serviceId == "svc-0042");
    CHECK(item.status == OutboxStatus::Queued);
    CHECK_FALSE(item.test);

    // Only ciphertext: nothing the resident typed is readable in the row.
    const std::string sealed(item.sealed.begin(), item.sealed.end());
    for (const char* secret :
         {"Ann Example", "496 0123", "ann@example.org", "meet people", "Step-free"}) {
        CHECK(sealed.find(secret) == std::string::npos);
    }

    const DecodedReferral decoded = kiosk.decode(item);
    CHECK(decoded.envelope.id == receipt.id);
    CHECK(decoded.envelope.reference == receipt.reference);
    CHECK(decoded.envelope.createdAt == "2026-11-23T14:03:07Z");
    CHECK(decoded.envelope.consentVersion == "consent-2026-11-v1");
    CHECK(decoded.envelope.deviceId == kiosk.context.deviceId);
    CHECK(decoded.envelope.venue == "Chorlton Library");
    CHECK(decoded.kind == "service");
    CHECK(decoded.serviceId == "svc-0042");
    CHECK(decoded.needs == std::vector<std::string>{"lonely", "food"});
    // Stored as cleaned: trimmed, newline normalised, phone in national form.
    CHECK(decoded.needsText == "I'd like to meet people\nand eat together");
    CHECK(decoded.name == "Ann Example");
    CHECK(decoded.phone == "0161 496 0123");
    CHECK(decoded.email == "ann@example.org");
    CHECK(decoded.bestTime == "morning");
    CHECK(decoded.safeToLeaveMessage == "yes");
    CHECK(decoded.language == "pl");
    CHECK(decoded.interpreterNeeded);
    CHECK(decoded.accessNeeds == "Step-free access");
    CHECK(decoded.consentGiven);
    CHECK(decoded.consentGivenAt == "2026-11-23T14:03:07Z");

    SECTION("the kiosk itself cannot read it back") {
        // Only the public key is on the kiosk; another key pair (as a thief might make) fails.
        CHECK_THROWS_AS(CoordinatorKeyPair::generate().open(item.sealed), CryptoError);
    }
}

TEST_CASE("a general referral carries no service, a test referral says so", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    ReferralForm form = sampleForm();
    form.kind = ReferralKind::General;  // the service fields may still hold a previous choice
    kiosk.context.test = true;
    submitReferral(form, kiosk.context, outbox);
    const OutboxItem item = outbox.allItems().at(0);
    CHECK(item.serviceId.empty());
    CHECK(item.test);
    const DecodedReferral decoded = kiosk.decode(item);
    CHECK(decoded.kind == "general");
    CHECK(decoded.serviceId.empty());
    CHECK(decoded.envelope.test);
}

TEST_CASE("a referral that is not complete is refused and nothing is stored", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    ReferralForm form = sampleForm();
    form.phone = "0900 123 4567";
    form.consentGiven = false;
    const ReferralForm before = form;
    try {
        submitReferral(form, kiosk.context, outbox);
        FAIL("expected ReferralInvalid");
    } catch (const ReferralInvalid& invalid) {
        CHECK(invalid.errors() ==
              std::vector<FieldError>{{ReferralField::Phone, "error.phone.invalid"},
                                      {ReferralField::Consent, "error.consent.required"}});
        CHECK(std::string(invalid.what()) ==
              "referral is not complete: error.phone.invalid error.consent.required");
    }
    CHECK(outbox.counts().queued == 0);
    CHECK(sameForm(form, before));
}

TEST_CASE("programming and key errors store nothing and keep the form", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    const ReferralForm form = sampleForm();

    SECTION("a service referral without a service id") {
        ReferralForm noService = sampleForm();
        noService.serviceId.clear();
        CHECK_THROWS_AS(submitReferral(noService, kiosk.context, outbox), std::invalid_argument);
    }
    SECTION("a bad reference prefix") {
        kiosk.context.referencePrefix = "manchester";
        CHECK_THROWS_AS(submitReferral(form, kiosk.context, outbox), std::invalid_argument);
    }
    SECTION("no coordinator key configured (all zeros)") {
        kiosk.context.coordinatorKey = CoordinatorPublicKey{};
        CHECK_THROWS_AS(submitReferral(form, kiosk.context, outbox), CryptoError);
    }
    checkNothingStored(outbox, kiosk.path, 0, form);
}

TEST_CASE("a context without a time uses the clock", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(":memory:");
    kiosk.context.now = {};
    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
    submitReferral(sampleForm(), kiosk.context, outbox);
    const auto created = parseIsoUtc(outbox.allItems().at(0).createdAt);
    REQUIRE(created.has_value());
    CHECK(*created >= std::chrono::floor<std::chrono::seconds>(before));
    CHECK(*created <= std::chrono::system_clock::now());
}

TEST_CASE("ids and references are unique, sequence numbers count up", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    std::set<std::string> ids;
    std::set<std::string> references;
    for (int n = 1; n <= 150; ++n) {
        const SubmitReceipt receipt = submitReferral(sampleForm(), kiosk.context, outbox);
        CHECK(receipt.seq == n);
        ids.insert(receipt.id);
        references.insert(receipt.reference);
    }
    CHECK(ids.size() == 150);
    CHECK(references.size() == 150);
}

TEST_CASE("a reference already in the outbox is never reused", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(":memory:");
    // Take every second code for the prefix, so most draws clash and submit has to retry.
    std::set<std::string> taken;
    {
        Transaction transaction(outbox.database());
        Statement insert = outbox.database().prepare(
            "INSERT INTO outbox (id, reference, created_at, form_version, venue, neighbourhood, "
            "sealed) VALUES (?, ?, '', '', '', '', x'00')");
        std::size_t index = 0;
        for (char a : kReferenceAlphabet) {
            for (char b : kReferenceAlphabet) {
                for (char c : kReferenceAlphabet) {
                    for (char d : kReferenceAlphabet) {
                        if (index++ % 2 == 0) {
                            const std::string reference = std::string("MCR-") + a + b + c + d;
                            insert.bindAll(reference, reference);
                            insert.run();
                            taken.insert(reference);
                        }
                    }
                }
            }
        }
        transaction.commit();
    }
    for (int n = 0; n < 20; ++n) {
        const SubmitReceipt receipt = submitReferral(sampleForm(), kiosk.context, outbox);
        CHECK(taken.count(receipt.reference) == 0);
        taken.insert(receipt.reference);
    }
}

TEST_CASE("when every reference is taken, submit says so and stores nothing", "[submit][.]") {
    Kiosk kiosk;
    Outbox outbox(":memory:");
    {
        Transaction transaction(outbox.database());
        Statement insert = outbox.database().prepare(
            "INSERT INTO outbox (id, reference, created_at, form_version, venue, neighbourhood, "
            "sealed) VALUES (?, ?, '', '', '', '', x'00')");
        for (char a : kReferenceAlphabet) {
            for (char b : kReferenceAlphabet) {
                for (char c : kReferenceAlphabet) {
                    for (char d : kReferenceAlphabet) {
                        const std::string reference = std::string("XY-") + a + b + c + d;
                        insert.bindAll(reference, reference);
                        insert.run();
                    }
                }
            }
        }
        transaction.commit();
    }
    const std::size_t before = outbox.counts().queued;
    kiosk.context.referencePrefix = "XY";
    const StorageError error = failedSubmit(sampleForm(), kiosk.context, outbox);
    CHECK(error.extendedCode() == SQLITE_CONSTRAINT_UNIQUE);
    CHECK_THAT(error.what(), Catch::Contains("no free referral reference"));
    CHECK(outbox.counts().queued == before);
}

// ---- failures of the storage underneath --------------------------------------------------------

TEST_CASE("a full disk: submit fails cleanly and succeeds once there is room", "[submit]") {
    Kiosk kiosk;
    FaultVfs& vfs = FaultVfs::instance();
    FaultVfs::Scope faults;
    Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
    submitReferral(sampleForm(), kiosk.context, outbox);  // one already queued
    const ReferralForm form = sampleForm();

    vfs.failWrites(SQLITE_FULL);
    const StorageError error = failedSubmit(form, kiosk.context, outbox);
    CHECK(error.isDiskFull());
    CHECK_FALSE(error.isCorrupt());
    CHECK(vfs.faultsInjected() > 0);
    vfs.clear();
    checkNothingStored(outbox, kiosk.path, 1, form);

    const SubmitReceipt retry = submitReferral(form, kiosk.context, outbox);
    CHECK(retry.seq == 2);
    CHECK(durableRows(kiosk.path) == 2);
    CHECK(kiosk.decode(outbox.allItems().at(1)).name == "Ann Example");
}

TEST_CASE("a write I/O error (as from a disk remounted read-only)", "[submit]") {
    Kiosk kiosk;
    FaultVfs& vfs = FaultVfs::instance();
    FaultVfs::Scope faults;
    Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
    const ReferralForm form = sampleForm();

    vfs.failWrites(SQLITE_IOERR_WRITE);
    const StorageError error = failedSubmit(form, kiosk.context, outbox);
    CHECK(error.extendedCode() == SQLITE_IOERR_WRITE);
    CHECK(error.isIoError());
    CHECK_FALSE(error.isReadOnly());
    CHECK_FALSE(error.isDiskFull());
    vfs.clear();
    checkNothingStored(outbox, kiosk.path, 0, form);
    CHECK(submitReferral(form, kiosk.context, outbox).seq == 1);
    CHECK(durableRows(kiosk.path) == 1);
}

TEST_CASE("an fsync that fails: not durable, so not stored", "[submit]") {
    Kiosk kiosk;
    FaultVfs& vfs = FaultVfs::instance();
    FaultVfs::Scope faults;
    Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
    const ReferralForm form = sampleForm();

    vfs.failSyncs();
    const StorageError error = failedSubmit(form, kiosk.context, outbox);
    CHECK(error.code() == SQLITE_IOERR);
    CHECK(error.extendedCode() == SQLITE_IOERR_FSYNC);
    CHECK(error.isIoError());
    vfs.clear();
    checkNothingStored(outbox, kiosk.path, 0, form);
    CHECK(submitReferral(form, kiosk.context, outbox).seq == 1);

    SECTION("and the failed commit does not come back when the outbox is reopened") {
        vfs.failSyncs();
        failedSubmit(form, kiosk.context, outbox);
        vfs.clear();
        { Outbox moved = std::move(outbox); }  // close: the only connection
        CHECK(durableRows(kiosk.path) == 1);
        Outbox reopened(kiosk.path.string());
        CHECK(reopened.counts().queued == 1);
    }
}

TEST_CASE("every write and every fsync of a submit, failing in turn, leaves nothing behind",
          "[submit]") {
    // Like SQLite's own I/O-error tests: find how many writes and syncs one submit makes, then
    // fail each of them on its own, checking the invariants after every one.
    Kiosk kiosk;
    FaultVfs& vfs = FaultVfs::instance();
    FaultVfs::Scope faults;
    Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
    const ReferralForm form = sampleForm();
    submitReferral(form, kiosk.context, outbox);  // warm: schema and WAL exist

    vfs.clear();
    submitReferral(form, kiosk.context, outbox);
    const int writes = vfs.writes();
    const int syncs = vfs.syncs();
    REQUIRE(writes >= 2);  // WAL frames: the page(s) and the commit frame
    REQUIRE(syncs >= 1);
    std::int64_t stored = 2;

    for (int nth = 1; nth <= writes; ++nth) {
        for (int code : {SQLITE_FULL, SQLITE_IOERR_WRITE}) {
            INFO("write " << nth << " of " << writes << " fails with " << code);
            vfs.failWrites(code, nth, /*sticky=*/false);
            try {
                submitReferral(form, kiosk.context, outbox);
                ++stored;
                CHECK(vfs.faultsInjected() == 0);  // only acceptable if the fault never fired
            } catch (const StorageError& error) {
                CHECK(vfs.faultsInjected() == 1);
                CHECK((error.isDiskFull() || error.isIoError()));
            }
            vfs.clear();
            checkNothingStored(outbox, kiosk.path, stored, form);
            CHECK(submitReferral(form, kiosk.context, outbox).seq > 0);  // retry succeeds
            ++stored;
        }
    }
    for (int nth = 1; nth <= syncs; ++nth) {
        INFO("sync " << nth << " of " << syncs << " fails");
        vfs.failSyncs(SQLITE_IOERR_FSYNC, nth, /*sticky=*/false);
        CHECK_THROWS_AS(submitReferral(form, kiosk.context, outbox), StorageError);
        vfs.clear();
        checkNothingStored(outbox, kiosk.path, stored, form);
        submitReferral(form, kiosk.context, outbox);
        ++stored;
    }
    CHECK(durableRows(kiosk.path) == stored);
}

TEST_CASE("a size-limited database (a full disk, for real)", "[submit]") {
    Kiosk kiosk;
    Outbox outbox(kiosk.path.string());
    submitReferral(sampleForm(), kiosk.context, outbox);
    Statement pages = outbox.database().prepare("PRAGMA page_count");
    REQUIRE(pages.step());
    const std::int64_t pageCount = pages.columnInt64(0);
    pages.reset();
    // No room to grow: the next referral with long free text needs new pages.
    outbox.database().exec("PRAGMA max_page_count = " + std::to_string(pageCount));
    ReferralForm form = sampleForm();
    form.needsText.assign(kMaxFreeTextLength, 'x');
    form.accessNeeds.assign(kMaxAccessNeedsLength, 'y');
    const ReferralForm before = form;

    std::int64_t stored = 1;
    StorageError error("none", SQLITE_OK, SQLITE_OK);
    for (int attempt = 0; attempt < 50; ++attempt) {  // free space in existing pages runs out
        try {
            submitReferral(form, kiosk.context, outbox);
            ++stored;
        } catch (const StorageError& full) {
            error = full;
            break;
        }
    }
    CHECK(error.isDiskFull());
    CHECK(error.code() == SQLITE_FULL);
    CHECK(static_cast<std::int64_t>(outbox.counts().queued) == stored);
    CHECK(durableRows(kiosk.path) == stored);
    CHECK(outbox.database().integrityCheck() == "ok");
    CHECK(sameForm(form, before));

    outbox.database().exec("PRAGMA max_page_count = 1073741823");
    submitReferral(form, kiosk.context, outbox);
    CHECK(durableRows(kiosk.path) == stored + 1);
}

TEST_CASE("read-only media (fault VFS): the outbox cannot take a referral", "[submit]") {
    Kiosk kiosk;
    FaultVfs& vfs = FaultVfs::instance();
    FaultVfs::Scope faults;
    {
        Outbox seed(kiosk.path.string());
        submitReferral(sampleForm(), kiosk.context, seed);
    }
    const ReferralForm form = sampleForm();

    SECTION("media that went read-only while the kiosk runs") {
        // Another connection keeps the WAL open (as the sync thread would), so a reader can
        // still open the database on the read-only media; writing is what fails.
        Outbox keeper(kiosk.path.string());
        vfs.setReadOnlyMedia(true);
        Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
        CHECK(outbox.counts().queued == 1);  // reading still works (staff panel counts)
        const StorageError error = failedSubmit(form, kiosk.context, outbox);
        CHECK(error.isReadOnly());
        vfs.clear();
        checkNothingStored(outbox, kiosk.path, 1, form);
        Outbox writable(kiosk.path.string(), {.vfs = FaultVfs::kName});
        CHECK(submitReferral(form, kiosk.context, writable).seq == 2);
    }
    SECTION("a kiosk that starts on read-only media") {
        vfs.setReadOnlyMedia(true);
        try {
            Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
            submitReferral(form, kiosk.context, outbox);
            FAIL("expected a StorageError");
        } catch (const StorageError& error) {
            CHECK(error.isReadOnly());
        }
        vfs.clear();
        CHECK(durableRows(kiosk.path) == 1);
        CHECK(durableIntegrity(kiosk.path) == "ok");
        CHECK(sameForm(form, sampleForm()));
        Outbox outbox(kiosk.path.string(), {.vfs = FaultVfs::kName});
        CHECK(submitReferral(form, kiosk.context, outbox).seq == 2);
    }
}

TEST_CASE("read-only file and directory (chmod)", "[submit]") {
    if (::geteuid() == 0) {
        WARN(
            "running as root, which ignores file permissions: the chmod 0444/0555 cases are "
            "skipped (the fault-VFS read-only cases above always run)");
        return;
    }
    Kiosk kiosk;
    {
        Outbox seed(kiosk.path.string());
        submitReferral(sampleForm(), kiosk.context, seed);
    }
    const ReferralForm form = sampleForm();

    SECTION("the database file is 0444") {
        REQUIRE(::chmod(kiosk.path.c_str(), 0444) == 0);
        try {
            Outbox outbox(kiosk.path.string());
            submitReferral(form, kiosk.context, outbox);
            FAIL("expected a StorageError");
        } catch (const StorageError& error) {
            CHECK(error.isReadOnly());
        }
        // SQLite gives the -wal/-shm it made meanwhile the database file's mode: clearing the
        // fault means making all three writable again.
        for (const char* suffix : {"", "-wal", "-shm"}) {
            ::chmod((kiosk.path.string() + suffix).c_str(), 0644);
        }
    }
    SECTION("the directory is 0555") {
        REQUIRE(::chmod(kiosk.dir.path().c_str(), 0555) == 0);
        try {
            Outbox outbox(kiosk.path.string());
            submitReferral(form, kiosk.context, outbox);
            FAIL("expected a StorageError");
        } catch (const StorageError& error) {
            CHECK(error.isReadOnly());
        }
        REQUIRE(::chmod(kiosk.dir.path().c_str(), 0755) == 0);
    }
    CHECK(durableRows(kiosk.path) == 1);
    CHECK(durableIntegrity(kiosk.path) == "ok");
    CHECK(sameForm(form, sampleForm()));
    Outbox outbox(kiosk.path.string());
    CHECK(submitReferral(form, kiosk.context, outbox).seq == 2);
}

TEST_CASE("a corrupt outbox: submit fails, the file is left alone, recovery starts afresh",
          "[submit]") {
    Kiosk kiosk;
    {
        Outbox outbox(kiosk.path.string());
        for (int n = 0; n < 3; ++n) {
            submitReferral(sampleForm(), kiosk.context, outbox);
        }
    }
    // Smash the outbox table's root page header (page type 0 is not a b-tree page).
    int root = 0;
    std::size_t pageSize = 0;
    {
        Database db(kiosk.path.string(), {.readOnly = true});
        Statement query = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'outbox'");
        REQUIRE(query.step());
        root = query.columnInt(0);
        Statement size = db.prepare("PRAGMA page_size");
        REQUIRE(size.step());
        pageSize = static_cast<std::size_t>(size.columnInt64(0));
    }
    {
        std::fstream file(kiosk.path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>((static_cast<std::size_t>(root) - 1) * pageSize));
        file.put('\0');
        REQUIRE(file);
    }
    const std::string damaged = test::readText(kiosk.path);
    const ReferralForm form = sampleForm();

    {
        Outbox outbox(kiosk.path.string());  // the header is fine, so it opens
        const StorageError error = failedSubmit(form, kiosk.context, outbox);
        CHECK(error.isCorrupt());
        CHECK(sameForm(form, sampleForm()));
    }
    CHECK(test::readText(kiosk.path) == damaged);  // nothing half-written into it

    OutboxOpenReport report;
    Outbox fresh = Outbox::openOrRecover(kiosk.path, report);
    CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
    CHECK(test::readText(report.movedAsideTo) == damaged);
    // The table's root page is gone, so salvage (issue 9) finds no row to bring along; seqs go
    // on after the three the damaged copy used, so a seq the server saw is never used again.
    const auto salvaged = fresh.allItems();
    CHECK(salvaged.empty());
    const SubmitReceipt retry = submitReferral(form, kiosk.context, fresh);
    CHECK(retry.seq == 4);
    REQUIRE(fresh.allItems().size() == salvaged.size() + 1);
    CHECK(kiosk.decode(fresh.allItems().back()).name == "Ann Example");
}
