// openKioskRuntime (core/runtime/kiosk_runtime.h): everything the kiosk opens at start, and the
// recoveries it makes when what it finds on disk is missing or damaged.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "core/common/ids.h"
#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/referral/outbox.h"
#include "core/runtime/directory_verification.h"
#include "core/runtime/kiosk_runtime.h"
#include "support/test_support.h"

using namespace signpost;
using namespace signpost::test;

namespace {

struct RuntimeSetup {
    TempDir dir{"runtime"};
    CoordinatorKeyPair key = CoordinatorKeyPair::generate();
    std::filesystem::path config = dir / "kiosk.toml";
    std::filesystem::path data = dir / "data";
    TomlDocument document = TomlDocument::parse(exampleKioskConfig(), "kiosk.toml");

    RuntimeSetup() {
        document.set("referral", "coordinator_public_key", key.publicKey().toBase64());
        save();
    }
    void save() { writeText(config, document.toString()); }
    KioskRuntime open() { return openKioskRuntime(KioskOptions{config, data}); }
};

bool hasNote(const KioskRuntime& runtime, const std::string& key) {
    for (const auto& note : runtime.notes) {
        if (note.key == key) {
            return true;
        }
    }
    return false;
}

const StaffNote* findNote(const KioskRuntime& runtime, const std::string& key) {
    for (const auto& note : runtime.notes) {
        if (note.key == key) {
            return &note;
        }
    }
    return nullptr;
}

std::vector<std::filesystem::path> filesStartingWith(const std::filesystem::path& dir,
                                                     const std::string& prefix) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().filename().string().rfind(prefix, 0) == 0) {
            found.push_back(entry.path());
        }
    }
    return found;
}

// Polls as the frame loop does (it never blocks on the check).
bool waitForResult(DirectoryVerification& check, std::optional<std::string>& result) {
    for (int i = 0; i < 3000 && !result; ++i) {
        result = check.takeResult();
        if (!result) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    return result.has_value();
}

}  // namespace

TEST_CASE("a fresh data dir gets everything the kiosk needs", "[kiosk_runtime]") {
    RuntimeSetup setup;
    KioskRuntime runtime = setup.open();

    CHECK(runtime.dataDir == setup.data);
    CHECK(runtime.configFile == setup.config);
    CHECK(test::fileMode(setup.data) == 0700);  // referrals and the device id are private

    REQUIRE(runtime.zone);
    CHECK(runtime.zone->name() == runtime.config.timeZone);
    REQUIRE(runtime.directory);
    CHECK(runtime.directory->stats().services >= 200);  // the bundled Manchester demo
    CHECK(hasNote(runtime, "note.directory_created"));
    REQUIRE(runtime.outbox);
    CHECK(runtime.outbox->allItems().empty());
    CHECK(std::filesystem::exists(setup.data / "outbox.db"));
    REQUIRE(runtime.staff);
    CHECK(runtime.coordinatorKey.bytes == setup.key.publicKey().bytes);
    CHECK(runtime.i18n.language() == runtime.config.defaultLanguage);
    CHECK(std::string(runtime.i18n.tr("note.directory_created")) != "");

    CHECK(isUuidV4(runtime.deviceId));
    CHECK(readText(setup.data / "device-id") == runtime.deviceId + "\n");
    CHECK_FALSE(hasNote(runtime, "note.outbox_recovered"));
    CHECK_FALSE(hasNote(runtime, "note.directory_rebuilt"));

    SECTION("a second start opens the same things quietly and keeps the device id") {
        const std::string deviceId = runtime.deviceId;
        runtime = KioskRuntime{};  // closes the databases, as a restart would
        KioskRuntime again = setup.open();
        CHECK(again.deviceId == deviceId);
        CHECK(again.notes.empty());
        CHECK(again.directory->stats().services >= 200);
    }
}

TEST_CASE("the data dir comes from the flag, then the config, then the default",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    SECTION("the flag wins over the config") {
        setup.document.set("paths", "data_dir", (setup.dir / "from-config").string());
        setup.save();
        KioskRuntime runtime = setup.open();
        CHECK(runtime.dataDir == setup.data);
        CHECK_FALSE(std::filesystem::exists(setup.dir / "from-config"));
    }
    SECTION("the config's path when there is no flag") {
        setup.document.set("paths", "data_dir", (setup.dir / "from-config").string());
        setup.save();
        KioskRuntime runtime = openKioskRuntime(KioskOptions{setup.config, {}});
        CHECK(runtime.dataDir == setup.dir / "from-config");
        CHECK(std::filesystem::exists(setup.dir / "from-config" / "outbox.db"));
    }
    SECTION("the default: $XDG_DATA_HOME/signpost when run from a build") {
        ScopedEnv xdg("XDG_DATA_HOME", (setup.dir / "xdg").string());
        KioskRuntime runtime = openKioskRuntime(KioskOptions{setup.config, {}});
        CHECK(runtime.dataDir == setup.dir / "xdg" / "signpost");
        CHECK(std::filesystem::exists(setup.dir / "xdg" / "signpost" / "device-id"));
    }
}

TEST_CASE("the directory searches in every language the texts have", "[kiosk_runtime]") {
    RuntimeSetup setup;
    // Only English offered: need words of every text file still reach search.
    setup.document.set("kiosk", "languages", TomlArray{"en"});
    setup.save();
    KioskRuntime runtime = setup.open();
    auto named = [&](const std::string& text) {
        SearchRequest request;
        request.text = text;
        const SearchResults results =
            runtime.directory->search(request, std::chrono::sys_seconds{});
        CHECK_FALSE(results.items.empty());
        return results.namedNeedCodes;
    };
    CHECK(named("samotność") == std::vector<std::string>{"feeling-lonely"});
    CHECK(named("تنهایی") == std::vector<std::string>{"feeling-lonely"});
    CHECK(named("孤独") == std::vector<std::string>{"feeling-lonely"});
    CHECK(named("борги") == std::vector<std::string>{"money-debt"});
    SECTION("after a rebuild too") {
        rebuildDirectory(runtime, "test");
        CHECK(named("samotność") == std::vector<std::string>{"feeling-lonely"});
    }
}

TEST_CASE("a damaged directory database is rebuilt from the bundle with a note",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    { KioskRuntime first = setup.open(); }
    writeText(setup.data / "directory.db", std::string(8192, '\x5a'));  // not a database any more

    KioskRuntime runtime = setup.open();
    CHECK(hasNote(runtime, "note.directory_rebuilt"));
    CHECK_FALSE(hasNote(runtime, "note.directory_created"));
    CHECK(runtime.directory->stats().services >= 200);
    const StaffNote* note = findNote(runtime, "note.directory_rebuilt");
    REQUIRE(note);
    CHECK(note->detail.find(".json") != std::string::npos);  // names the bundle it came from
}

TEST_CASE("damage deep inside the directory is found by the background check and rebuilt",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    { KioskRuntime first = setup.open(); }
    // One page in the middle overwritten: the fast start-up check (header, schema, counts) cannot
    // see it; the thorough one (quick_check + FTS5 integrity-check) must.
    const auto file = setup.data / "directory.db";
    const auto pages = std::filesystem::file_size(file) / 4096;
    REQUIRE(pages > 10);
    {
        std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
        out.seekp(static_cast<std::streamoff>(pages / 2 * 4096));
        const std::string junk(4096, '\x77');
        out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    KioskRuntime runtime = setup.open();
    CHECK_FALSE(hasNote(runtime, "note.directory_rebuilt"));  // the fast start trusted it

    std::atomic<int> wakes{0};
    DirectoryVerification check(runtime.directoryFile, [&] { ++wakes; });
    const std::string problem = check.wait();
    CHECK_FALSE(problem.empty());
    CHECK(wakes == 1);

    DirectoryStore* before = runtime.directory.get();
    rebuildDirectory(runtime, problem);
    CHECK(runtime.directory.get() == before);  // the UI's pointer stays valid
    CHECK(hasNote(runtime, "note.directory_rebuilt"));
    CHECK(runtime.directory->stats().services >= 200);
    CHECK(DirectoryStore::verify(runtime.directoryFile).empty());

    SECTION("a sound directory passes, and the result is taken once") {
        DirectoryVerification again(runtime.directoryFile, {});
        std::optional<std::string> result;
        REQUIRE(waitForResult(again, result));
        CHECK(result->empty());
        CHECK_FALSE(again.takeResult().has_value());
    }
}

TEST_CASE("a damaged outbox is moved aside, never deleted, and a fresh one started",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    { KioskRuntime first = setup.open(); }
    const std::string garbage(16384, '\x13');
    writeText(setup.data / "outbox.db", garbage);
    std::filesystem::remove(setup.data / "outbox.db-wal");
    std::filesystem::remove(setup.data / "outbox.db-shm");

    KioskRuntime runtime = setup.open();
    const StaffNote* note = findNote(runtime, "note.outbox_recovered");
    REQUIRE(note);
    const auto aside = filesStartingWith(setup.data, "outbox.db.damaged-");
    REQUIRE(aside.size() == 1);
    CHECK(note->detail.find(aside[0].filename().string()) != std::string::npos);
    CHECK(readText(aside[0]) == garbage);  // kept byte for byte for whoever recovers it
    CHECK(runtime.outbox->allItems().empty());
    CHECK(runtime.outbox->database().integrityCheck() == "ok");
}

TEST_CASE("config problems stop the start with the config's own error", "[kiosk_runtime]") {
    RuntimeSetup setup;
    SECTION("missing config file") {
        try {
            openKioskRuntime(KioskOptions{setup.dir / "nowhere.toml", setup.data});
            FAIL("expected ConfigError");
        } catch (const ConfigError& error) {
            CHECK(error.line() == 0);
            CHECK(std::string(error.what()).find("nowhere.toml") != std::string::npos);
        }
    }
    SECTION("a bad value: file, line and key, and nothing created") {
        setup.document.set("kiosk", "idle_timeout", std::string("ninety"));
        setup.save();
        const int line = setup.document.find("kiosk", "idle_timeout")->line;
        try {
            setup.open();
            FAIL("expected ConfigError");
        } catch (const ConfigError& error) {
            CHECK(error.line() == line);
            CHECK(error.key() == "kiosk.idle_timeout");
            CHECK(std::string(error.what()).find("kiosk.toml:" + std::to_string(line)) !=
                  std::string::npos);
        }
        CHECK_FALSE(std::filesystem::exists(setup.data));
    }
    SECTION("no coordinator key: nothing could ever be sealed") {
        writeText(setup.config, exampleKioskConfig());
        CHECK_THROWS_AS(setup.open(), ConfigError);
        CHECK_FALSE(std::filesystem::exists(setup.data));
    }
}

TEST_CASE("config warnings and a damaged device id reach the staff panel", "[kiosk_runtime]") {
    RuntimeSetup setup;
    SECTION("an unknown key is a warning with its line") {
        setup.document.set("kiosk", "screensaver", true);
        setup.save();
        KioskRuntime runtime = setup.open();
        const StaffNote* note = findNote(runtime, "note.config_warning");
        REQUIRE(note);
        const int line = setup.document.find("kiosk", "screensaver")->line;
        CHECK(note->detail.find("kiosk.toml:" + std::to_string(line)) != std::string::npos);
        CHECK(note->detail.find("kiosk.screensaver") != std::string::npos);
    }
    SECTION("a damaged device-id file gets a new id and a note") {
        std::filesystem::create_directories(setup.data);
        writeText(setup.data / "device-id", "not-a-uuid\n");
        KioskRuntime runtime = setup.open();
        CHECK(isUuidV4(runtime.deviceId));
        CHECK(hasNote(runtime, "note.device_id_replaced"));
        CHECK(readText(setup.data / "device-id") == runtime.deviceId + "\n");
    }
}

TEST_CASE("the staff lock lives in the data dir", "[kiosk_runtime]") {
    RuntimeSetup setup;
    setup.document.set("staff", "pin_hash", StaffAuth::hashPin("258046"));
    setup.save();
    KioskRuntime runtime = setup.open();
    REQUIRE(runtime.staff->hasPin());
    CHECK(runtime.staff->check("000000", std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Wrong);
    CHECK(std::filesystem::exists(setup.data / "staff-lock.json"));
}

TEST_CASE("issue 9: a missing staff lock state is fresh only on a kiosk's first start",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    setup.document.set("staff", "pin_hash", StaffAuth::hashPin("258046"));
    setup.save();
    const auto now = std::chrono::system_clock::now();
    {
        // A brand-new kiosk (no outbox yet) with a PIN put in its config: usable.
        KioskRuntime first = setup.open();
        CHECK(first.staff->status(now).outcome == PinCheck::Outcome::Ready);
    }
    // Later, the lock state deleted (to get round a lock-out): locked for the longest lock.
    std::filesystem::remove(setup.data / "staff-lock.json");
    KioskRuntime later = setup.open();
    const PinCheck status = later.staff->status(now);
    CHECK(status.outcome == PinCheck::Outcome::LockedOut);
    CHECK(status.lockRemaining > std::chrono::hours(23));
}

TEST_CASE("issue 9: an upgraded kiosk (an outbox from before lock states) keeps working",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    setup.document.set("staff", "pin_hash", StaffAuth::hashPin("258046"));
    setup.save();
    std::filesystem::create_directories(setup.data);
    {
        Outbox outbox((setup.data / "outbox.db").string());
        // Back to schema 2, as version 0.1.0 left it.
        outbox.database().exec(
            "DROP INDEX outbox_repush; ALTER TABLE outbox DROP COLUMN repush; "
            "ALTER TABLE outbox DROP COLUMN held_for; PRAGMA user_version = 2;");
    }
    KioskRuntime runtime = setup.open();
    CHECK(runtime.staff->status(std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Ready);
}

TEST_CASE("issue 9: the coordinators' key comes from a root-owned file, never kiosk.toml",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    const CoordinatorKeyPair real = CoordinatorKeyPair::generate();
    const std::filesystem::path keyFile = setup.dir / "coordinator.pub";
    writeText(keyFile, real.publicKey().toBase64() + "\n");
    ::chmod(keyFile.c_str(), 0644);
    KioskOptions options{setup.config, setup.data};
    options.coordinatorKeyFile = keyFile;
    if (::geteuid() == 0) {
        // kiosk.toml holds another key (a compromised app could have written it): ignored, said so.
        KioskRuntime runtime = openKioskRuntime(options);
        CHECK(runtime.coordinatorKey.toBase64() == real.publicKey().toBase64());
        const StaffNote* note = findNote(runtime, "note.config_warning");
        REQUIRE(note);
        CHECK(note->detail.find("coordinator_public_key: ignored") != std::string::npos);
        // A file someone else may write, or one owned by another user (the kiosk's, say): refused.
        ::chmod(keyFile.c_str(), 0664);
        CHECK_THROWS_WITH(openKioskRuntime(options), Catch::Contains("other than its owner"));
        ::chmod(keyFile.c_str(), 0644);
        REQUIRE(::chown(keyFile.c_str(), 65534, 65534) == 0);
        CHECK_THROWS_WITH(openKioskRuntime(options), Catch::Contains("must be owned by root"));
    } else {
        // Not root: a file of our own is one the kiosk (us) could rewrite.
        CHECK_THROWS_WITH(openKioskRuntime(options), Catch::Contains("must be owned by root"));
    }
    // Missing, or not a key.
    options.coordinatorKeyFile = setup.dir / "nowhere.pub";
    CHECK_THROWS_WITH(openKioskRuntime(options), Catch::Contains("cannot be read"));
    // Without a key file (run from a build), kiosk.toml's key; "" there is an error at start.
    options.coordinatorKeyFile.clear();
    CHECK(openKioskRuntime(options).coordinatorKey.toBase64() == setup.key.publicKey().toBase64());
    setup.document.set("referral", "coordinator_public_key", std::string());
    setup.save();
    try {
        openKioskRuntime(options);
        FAIL("a kiosk with no key started");
    } catch (const ConfigError& error) {
        CHECK(error.key() == "referral.coordinator_public_key");
        CHECK_THAT(error.what(), Catch::Contains("signpost keygen"));
    }
    // Remote settings can never set it.
    KioskConfig config = loadKioskConfig(setup.config);
    const auto problems = applyRemoteSettings(
        config, {{"referral.coordinator_public_key", TomlValue(real.publicKey().toBase64())}});
    REQUIRE(problems.size() == 1);
    CHECK(config.coordinatorPublicKey.empty());
    CHECK_FALSE(remoteSettingName("coordinator_public_key"));
}

TEST_CASE("issue 9: what salvage saved from a damaged outbox reaches the staff notes",
          "[kiosk_runtime]") {
    RuntimeSetup setup;
    {
        KioskRuntime first = setup.open();
        for (int i = 0; i < 3; ++i) {
            NewOutboxItem item;
            item.id = uuidV4();
            item.reference = "MCR-AAA" + std::to_string(i);
            item.createdAt = "2026-11-23T14:03:07Z";
            item.formVersion = "2026.11";
            item.venue = "v";
            item.neighbourhood = "n";
            item.sealed.assign(100, 7);
            first.outbox->enqueue(item);
        }
    }
    // Made unreadable as a whole: moved aside, salvage reads what it can (here: nothing).
    writeText(setup.data / "outbox.db", std::string(16384, '\x13'));
    std::filesystem::remove(setup.data / "outbox.db-wal");
    std::filesystem::remove(setup.data / "outbox.db-shm");
    KioskRuntime runtime = setup.open();
    const StaffNote* note = findNote(runtime, "note.outbox_salvaged");
    REQUIRE(note);
    REQUIRE(note->args.size() == 2);
    CHECK(note->args[0] == std::make_pair(std::string("saved"), std::string("0")));
}
