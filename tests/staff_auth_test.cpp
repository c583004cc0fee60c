#include <catch2/catch.hpp>

#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/staff/staff_auth.h"
#include "support/test_support.h"

using namespace signpost;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Outcome = PinCheck::Outcome;

namespace {

// 2026-11-23 10:00:00 UTC: a fixed wall clock the tests move by hand.
const SystemTime kNoon = SystemTime{} + std::chrono::seconds(1795428000);

std::string hashWithCost(const std::string& pin, unsigned long long ops, std::size_t memory) {
    ensureSodium();
    char hash[crypto_pwhash_STRBYTES];
    REQUIRE(crypto_pwhash_str(hash, pin.data(), pin.size(), ops, memory) == 0);
    return hash;
}

// Minimum-cost Argon2id: the same code path, without 64 MiB per attempt in every test.
const std::string& cheapHash() {
    static const std::string hash =
        hashWithCost("4821", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    return hash;
}

nlohmann::json stateOf(const fs::path& file) {
    return nlohmann::json::parse(test::readText(file));
}

// Wrong PINs are logged (as counts); keep the test output readable. The ring still records.
const bool kQuietLog = [] {
    setLogToStderr(false);
    return true;
}();

}  // namespace

TEST_CASE("new PINs: 4 to 8 digits, not all the same, not a straight run", "[staff]") {
    for (const char* good : {"4821", "1235", "13579", "00001", "90123", "24681357", "1029"}) {
        INFO(good);
        CHECK(StaffAuth::isAcceptableNewPin(good));
    }
    for (const char* bad :
         {"", "1", "482", "123456789", "0000", "99999999", "1234", "0123", "3456789", "9876",
          "43210", "12a4", "48 21", "-482", "４８２１", "٤٨٢١"}) {
        INFO(bad);
        CHECK_FALSE(StaffAuth::isAcceptableNewPin(bad));
    }
    CHECK_FALSE(
        StaffAuth::isAcceptableNewPin(std::string_view("48\0"
                                                       "21",
                                                       5)));
}

TEST_CASE("hashPin makes a salted Argon2id hash with interactive limits", "[staff]") {
    const std::string first = StaffAuth::hashPin("4821");
    const std::string second = StaffAuth::hashPin("4821");
    CHECK_THAT(first, Catch::StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
    CHECK(first != second);  // a fresh salt each time
    CHECK(crypto_pwhash_str_verify(first.c_str(), "4821", 4) == 0);
    CHECK(crypto_pwhash_str_verify(first.c_str(), "4822", 4) != 0);
    CHECK(crypto_pwhash_str_needs_rehash(first.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0);
    CHECK_THROWS_AS(StaffAuth::hashPin("1234"), std::invalid_argument);
    CHECK_THROWS_AS(StaffAuth::hashPin(""), std::invalid_argument);
}

TEST_CASE("the right PIN is accepted with a real interactive hash", "[staff]") {
    test::TempDir dir("staff");
    const std::string hash = StaffAuth::hashPin("4821");
    StaffAuth::writeFreshState(dir / "staff-lock.json", hash);
    StaffAuth auth(hash, dir / "staff-lock.json");
    CHECK(auth.hasPin());
    CHECK(auth.status(kNoon).outcome == Outcome::Ready);
    CHECK(auth.status(kNoon).attemptsLeft == 5);
    const PinCheck right = auth.check("4821", kNoon);
    CHECK(right.outcome == Outcome::Accepted);
    CHECK(right.attemptsLeft == 5);
    CHECK(right.lockRemaining == 0s);
    CHECK(auth.check("4812", kNoon).outcome == Outcome::Wrong);
}

TEST_CASE("with no PIN set, nothing is checked or counted", "[staff]") {
    test::TempDir dir("staff");
    StaffAuth auth("", dir / "staff-lock.json");
    CHECK_FALSE(auth.hasPin());
    CHECK(auth.status(kNoon).outcome == Outcome::NoPinSet);
    for (int i = 0; i < 10; ++i) {
        CHECK(auth.check("0000", kNoon).outcome == Outcome::NoPinSet);
    }
    CHECK_FALSE(fs::exists(dir / "staff-lock.json"));
    auth.adoptNewPin(cheapHash());  // the coordinators, say, set one
    CHECK(fs::exists(dir / "staff-lock.json"));
    CHECK(auth.hasPin());
    CHECK(auth.status(kNoon).attemptsLeft == 5);
    CHECK(auth.check("4821", kNoon).outcome == Outcome::Accepted);
}

TEST_CASE("five wrong PINs lock staff mode for five minutes", "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    StaffAuth::writeFreshState(stateFile, cheapHash());
    StaffAuth auth(cheapHash(), stateFile);
    for (int attempt = 1; attempt <= 4; ++attempt) {
        const PinCheck wrong = auth.check("0000", kNoon + std::chrono::seconds(attempt));
        CHECK(wrong.outcome == Outcome::Wrong);
        CHECK(wrong.attemptsLeft == 5 - attempt);
        CHECK(wrong.lockRemaining == 0s);
        CHECK(stateOf(stateFile)["failures"] == attempt);
    }
    const SystemTime fifth = kNoon + 10s;
    const PinCheck locked = auth.check("1111", fifth);
    CHECK(locked.outcome == Outcome::LockedOut);
    CHECK(locked.attemptsLeft == 0);
    CHECK(locked.lockRemaining == 300s);
    CHECK(stateOf(stateFile)["failures"] == 5);
    CHECK(stateOf(stateFile)["locked_until"] == formatIsoUtcMillis(fifth + 300s));

    // While locked, even the right PIN is refused, and nothing more is counted.
    const PinCheck duringLock = auth.check("4821", fifth + 60s);
    CHECK(duringLock.outcome == Outcome::LockedOut);
    CHECK(duringLock.lockRemaining == 240s);
    CHECK(stateOf(stateFile)["failures"] == 5);
    // Remaining time is whole seconds rounded up: never "0 s" while still locked.
    CHECK(auth.status(fifth + 299s + 500ms).lockRemaining == 1s);
    CHECK(auth.status(fifth + 500ms).lockRemaining == 300s);

    // When the lock ends, a fresh count starts.
    const PinCheck after = auth.status(fifth + 300s);
    CHECK(after.outcome == Outcome::Ready);
    CHECK(after.attemptsLeft == 5);
    const PinCheck wrongAfter = auth.check("0000", fifth + 301s);
    CHECK(wrongAfter.outcome == Outcome::Wrong);
    CHECK(wrongAfter.attemptsLeft == 4);
    CHECK(stateOf(stateFile)["locked_until"].is_null());
    CHECK(auth.check("4821", fifth + 302s).outcome == Outcome::Accepted);
    CHECK(stateOf(stateFile)["failures"] == 0);
}

TEST_CASE("the right PIN clears the count", "[staff]") {
    test::TempDir dir("staff");
    StaffAuth::writeFreshState(dir / "staff-lock.json", cheapHash());
    StaffAuth auth(cheapHash(), dir / "staff-lock.json");
    for (int i = 0; i < 4; ++i) {
        REQUIRE(auth.check("0000", kNoon).outcome == Outcome::Wrong);
    }
    CHECK(auth.check("4821", kNoon).outcome == Outcome::Accepted);
    CHECK(auth.status(kNoon).attemptsLeft == 5);
    CHECK(auth.check("0000", kNoon).attemptsLeft == 4);
}

TEST_CASE("a PIN of any length is verified and counted", "[staff]") {
    test::TempDir dir("staff");
    StaffAuth::writeFreshState(dir / "staff-lock.json", cheapHash());
    StaffAuth auth(cheapHash(), dir / "staff-lock.json");
    // No shortcut for odd input: each is a real, counted attempt.
    CHECK(auth.check("", kNoon).attemptsLeft == 4);
    CHECK(auth.check("4", kNoon).attemptsLeft == 3);
    CHECK(auth.check(std::string(1000, '4'), kNoon).attemptsLeft == 2);
    CHECK(auth.check(std::string_view("4821\0", 5), kNoon).attemptsLeft == 1);
    CHECK(auth.check("48210", kNoon).outcome == Outcome::LockedOut);
}

TEST_CASE("the lock survives a restart", "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    {
        StaffAuth::writeFreshState(stateFile, cheapHash());
        StaffAuth auth(cheapHash(), stateFile);
        for (int i = 0; i < 5; ++i) {
            (void)auth.check("0000", kNoon);
        }
        REQUIRE(auth.status(kNoon).outcome == Outcome::LockedOut);
    }
    CHECK(test::fileMode(stateFile) == 0600);  // the lock state is private

    StaffAuth restarted(cheapHash(), stateFile);
    const PinCheck afterRestart = restarted.status(kNoon + 120s);
    CHECK(afterRestart.outcome == Outcome::LockedOut);
    CHECK(afterRestart.lockRemaining == 180s);
    CHECK(restarted.check("4821", kNoon + 120s).outcome == Outcome::LockedOut);
    CHECK(restarted.check("4821", kNoon + 300s).outcome == Outcome::Accepted);
}

TEST_CASE("a partial count survives a restart too", "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    {
        StaffAuth::writeFreshState(stateFile, cheapHash());
        StaffAuth auth(cheapHash(), stateFile);
        for (int i = 0; i < 3; ++i) {
            (void)auth.check("0000", kNoon);
        }
    }
    StaffAuth restarted(cheapHash(), stateFile);
    CHECK(restarted.status(kNoon).attemptsLeft == 2);
    CHECK(restarted.check("0000", kNoon).attemptsLeft == 1);
    CHECK(restarted.check("0000", kNoon).outcome == Outcome::LockedOut);
}

TEST_CASE("a clock that jumps backwards never lengthens a lock", "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    StaffAuth::writeFreshState(stateFile, cheapHash());
    StaffAuth auth(cheapHash(), stateFile);
    for (int i = 0; i < 5; ++i) {
        (void)auth.check("0000", kNoon);
    }
    // The clock is set back a day (a flat RTC battery, a bad NTP answer).
    const SystemTime yesterday = kNoon - 24h;
    const PinCheck capped = auth.status(yesterday);
    CHECK(capped.outcome == Outcome::LockedOut);
    CHECK(capped.lockRemaining == 300s);
    CHECK(auth.status(yesterday + 100s).lockRemaining == 200s);  // counts down from the cap
    CHECK(auth.status(yesterday + 300s).outcome == Outcome::Ready);
    CHECK(auth.check("4821", yesterday + 301s).outcome == Outcome::Accepted);

    // After a restart the saved lock end is capped from the new "now" in the same way.
    StaffAuth::writeFreshState(dir / "other.json", cheapHash());
    StaffAuth other(cheapHash(), dir / "other.json");
    for (int i = 0; i < 5; ++i) {
        (void)other.check("0000", kNoon);
    }
    StaffAuth restarted(cheapHash(), dir / "other.json");
    CHECK(restarted.status(yesterday).lockRemaining == 300s);
    CHECK(restarted.status(yesterday + 300s).outcome == Outcome::Ready);
}

TEST_CASE("issue 9: a damaged, edited or missing state file locks for the longest lock",
          "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    // A valid state with two wrong attempts, then edited by hand in each way one might.
    StaffAuth::writeFreshState(stateFile, cheapHash());
    {
        StaffAuth auth(cheapHash(), stateFile);
        (void)auth.check("0000", kNoon);
        (void)auth.check("0000", kNoon);
    }
    const std::string valid = test::readText(stateFile);
    const auto edited = [&](const char* field, const nlohmann::json& value) {
        nlohmann::json state = nlohmann::json::parse(valid);
        state[field] = value;
        return state.dump();
    };
    std::vector<std::string> damaged = {
        "",
        "garbage",
        std::string("\x00\xFF\x01", 3),
        "[]",
        "{}",
        R"({"format":1,"failures":2})",
        R"({"format":2,"failures":0,"locked_until":null})",
        R"({"format":1,"failures":-1,"locked_until":null})",
        R"({"format":1,"failures":99,"locked_until":null})",
        R"({"format":1,"failures":"3","locked_until":null})",
        R"({"format":1,"failures":0,"locked_until":"yesterday"})",
        R"({"format":1,"failures":0,"locked_until":12})",
        R"({"format":1,"failures":0,"locked_until":null)",  // cut short
        edited("failures", 0),
        edited("lockouts", 3),
        edited("locked_until", "2020-01-01T00:00:00.000Z"),
        edited("check", std::string(64, '0')),
        edited("format", 3),
        valid.substr(0, valid.size() / 2),
    };
    damaged.push_back("MISSING");
    for (const std::string& contents : damaged) {
        INFO(contents);
        if (contents == "MISSING") {
            fs::remove(stateFile);
        } else {
            test::writeText(stateFile, contents);
        }
        const SystemTime before = std::chrono::system_clock::now();
        StaffAuth auth(cheapHash(), stateFile);
        const SystemTime now = std::chrono::system_clock::now();
        const PinCheck status = auth.status(now);
        CHECK(status.outcome == Outcome::LockedOut);
        CHECK(status.lockRemaining > 24h - 10s);
        CHECK(status.lockRemaining <= 24h);
        CHECK(auth.check("4821", now).outcome == Outcome::LockedOut);
        // Rewritten as a valid lock, so a restart keeps it rather than locking again from now.
        const nlohmann::json state = stateOf(stateFile);
        CHECK(state["format"] == 2);
        CHECK(state["failures"] == 5);
        const auto until = parseIsoUtc(state["locked_until"].get<std::string>());
        REQUIRE(until.has_value());
        CHECK(*until >= before + 24h - 1s);
        CHECK(*until <= now + 24h + 1s);
        // Locked once: after the lock, the right PIN works.
        StaffAuth restarted(cheapHash(), stateFile);
        CHECK(restarted.status(*until - 1s).outcome == Outcome::LockedOut);
        CHECK(restarted.status(*until + 2s).outcome == Outcome::Ready);
        CHECK(restarted.check("4821", *until + 2s).outcome == Outcome::Accepted);
    }
    // The valid file itself is taken as it is.
    test::writeText(stateFile, valid);
    StaffAuth intact(cheapHash(), stateFile);
    CHECK(intact.status(kNoon).attemptsLeft == 3);
}

TEST_CASE("issue 9: locks escalate 5, 10, 20 minutes ... up to a day, across restarts", "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    StaffAuth::writeFreshState(stateFile, cheapHash());
    SystemTime now = kNoon;
    const std::vector<std::chrono::seconds> expected = {
        5min, 10min, 20min, 40min, 80min, 160min, 320min, 640min, 1280min, 24h, 24h};
    for (std::size_t n = 0; n < expected.size(); ++n) {
        INFO("lock " << n + 1);
        // Each round on a freshly started kiosk: restarts change nothing.
        StaffAuth auth(cheapHash(), stateFile);
        CHECK(auth.lockouts() == static_cast<int>(n));
        for (int i = 0; i < 4; ++i) {
            REQUIRE(auth.check("0000", now).outcome == Outcome::Wrong);
        }
        const PinCheck locked = auth.check("0000", now);
        REQUIRE(locked.outcome == Outcome::LockedOut);
        CHECK(locked.lockRemaining == expected[n]);
        CHECK(auth.lockouts() == static_cast<int>(n) + 1);
        CHECK(auth.lockedUntil(now) == now + expected[n]);
        now += expected[n] + 1s;
        CHECK_FALSE(auth.lockedUntil(now));
    }
    // The right PIN ends the escalation: the next lock is five minutes again.
    StaffAuth auth(cheapHash(), stateFile);
    CHECK(auth.check("4821", now).outcome == Outcome::Accepted);
    CHECK(auth.lockouts() == 0);
    for (int i = 0; i < 4; ++i) {
        (void)auth.check("0000", now);
    }
    CHECK(auth.check("0000", now).lockRemaining == 5min);
}

TEST_CASE("issue 9: a new PIN set legitimately starts fresh, one changed behind the app does not",
          "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    StaffAuth::writeFreshState(stateFile, cheapHash());
    {
        StaffAuth auth(cheapHash(), stateFile);
        for (int i = 0; i < 5; ++i) {
            (void)auth.check("0000", kNoon);
        }
        REQUIRE(auth.status(kNoon).outcome == Outcome::LockedOut);
    }
    const std::string other =
        hashWithCost("7391", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    // kiosk.toml's pin_hash edited behind the app's back: the lock stays.
    {
        StaffAuth auth(other, stateFile);
        CHECK(auth.status(kNoon + 1min).outcome == Outcome::LockedOut);
        CHECK(auth.lockouts() == 1);
    }
    // The same PIN set with --set-pin (a fresh state is written with it): unlocked.
    StaffAuth::writeFreshState(stateFile, other);
    {
        StaffAuth auth(other, stateFile);
        CHECK(auth.status(kNoon + 1min).outcome == Outcome::Ready);
        CHECK(auth.check("7391", kNoon + 1min).outcome == Outcome::Accepted);
    }
    // From the coordinators while running: adoptNewPin.
    StaffAuth auth(other, stateFile);
    for (int i = 0; i < 5; ++i) {
        (void)auth.check("0000", kNoon);
    }
    REQUIRE(auth.status(kNoon).outcome == Outcome::LockedOut);
    auth.adoptNewPin(cheapHash());
    CHECK(auth.status(kNoon).outcome == Outcome::Ready);
    CHECK(auth.check("4821", kNoon).outcome == Outcome::Accepted);
    StaffAuth restarted(cheapHash(), stateFile);
    CHECK(restarted.status(kNoon).outcome == Outcome::Ready);
}

TEST_CASE("issue 9: a version 1 state is taken once, missing on a first start is fresh",
          "[staff]") {
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    test::writeText(stateFile, R"({"format":1,"failures":3,"locked_until":null})");
    {
        StaffAuth auth(cheapHash(), stateFile);
        CHECK(auth.status(kNoon).attemptsLeft == 2);
        CHECK(stateOf(stateFile)["format"] == 2);
    }
    StaffAuth again(cheapHash(), stateFile);
    CHECK(again.status(kNoon).attemptsLeft == 2);
    // The runtime's first start (no kiosk data yet, or an upgrade): missing is fresh.
    fs::remove(stateFile);
    StaffLockOptions firstStart;
    firstStart.missingIsFresh = true;
    StaffAuth fresh(cheapHash(), stateFile, firstStart);
    CHECK(fresh.status(kNoon).outcome == Outcome::Ready);
    CHECK(fs::exists(stateFile));
    // With no PIN there is nothing to lock, file or not.
    fs::remove(stateFile);
    StaffAuth none("", stateFile);
    CHECK(none.status(kNoon).outcome == Outcome::NoPinSet);
    CHECK_FALSE(fs::exists(stateFile));
}

TEST_CASE("a state file that cannot be read locks, and construction does not throw", "[staff]") {
    test::TempDir dir("staff");
    fs::create_directory(dir / "staff-lock.json");  // a directory where the file should be
    StaffAuth auth(cheapHash(), dir / "staff-lock.json");
    CHECK(auth.status(std::chrono::system_clock::now()).outcome == Outcome::LockedOut);
}

TEST_CASE("when the state cannot be saved, a wrong PIN throws but still counts", "[staff]") {
    test::TempDir dir("staff");
    StaffLockOptions fresh;
    fresh.missingIsFresh = true;  // nothing to read, nowhere to write
    StaffAuth auth(cheapHash(), dir / "missing-dir" / "staff-lock.json", fresh);
    CHECK_THROWS_AS(auth.check("0000", kNoon), FileError);
    CHECK(auth.status(kNoon).attemptsLeft == 4);  // fail closed: counted in memory
    for (int i = 0; i < 3; ++i) {
        CHECK_THROWS_AS(auth.check("0000", kNoon), FileError);
    }
    CHECK_THROWS_AS(auth.check("0000", kNoon), FileError);
    CHECK(auth.status(kNoon).outcome == Outcome::LockedOut);
    // Staff can still reach the panel on a failing disk once the lock is over.
    CHECK(auth.check("4821", kNoon + 300s).outcome == Outcome::Accepted);
}

TEST_CASE("the attempt is saved before the PIN is verified", "[staff]") {
    // A costly hash keeps the verification running long enough to cut the power in the middle.
    const std::string slowHash = hashWithCost("4821", 40, crypto_pwhash_MEMLIMIT_INTERACTIVE);
    test::TempDir dir("staff");
    const fs::path stateFile = dir / "staff-lock.json";
    StaffAuth::writeFreshState(stateFile, slowHash);
    const std::string freshState = test::readText(stateFile);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        StaffAuth auth(slowHash, stateFile);
        (void)auth.check("4821", kNoon);  // the RIGHT PIN: it would never count if saved after
        ::_exit(0);
    }
    // Wait for the state file to change, then pull the plug.
    for (int i = 0; i < 2000 && test::readText(stateFile) == freshState; ++i) {
        std::this_thread::sleep_for(1ms);
    }
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(fs::exists(stateFile));
    CHECK(WIFSIGNALED(status));  // killed mid-verification, not finished
    StaffAuth restarted(slowHash, stateFile);
    CHECK(restarted.status(kNoon).attemptsLeft == 4);
}

TEST_CASE("odd limits are clamped", "[staff]") {
    test::TempDir dir("staff");
    StaffAuth::writeFreshState(dir / "staff-lock.json", cheapHash());
    StaffAuth auth(cheapHash(), dir / "staff-lock.json", StaffLockOptions{0, 0s, 0s});
    const PinCheck first = auth.check("0000", kNoon);  // one attempt allowed
    CHECK(first.outcome == Outcome::LockedOut);
    CHECK(first.lockRemaining == 1s);
    CHECK(auth.status(kNoon + 1s).outcome == Outcome::Ready);
}

TEST_CASE("neither a tried PIN nor the hash reaches the log", "[staff]") {
    REQUIRE(kQuietLog);
    test::TempDir dir("staff");
    StaffAuth::writeFreshState(dir / "staff-lock.json", cheapHash());
    StaffAuth auth(cheapHash(), dir / "staff-lock.json");
    (void)auth.check("9753", kNoon);
    (void)auth.check("4821", kNoon);
    const std::vector<LogLine> lines = recentLogLines(500);
    REQUIRE_FALSE(lines.empty());  // the wrong attempt was logged, as a count
    for (const LogLine& line : lines) {
        CHECK_THAT(line.message, !Catch::Contains("9753"));
        CHECK_THAT(line.message, !Catch::Contains("4821"));
        CHECK_THAT(line.message, !Catch::Contains("$argon2id$"));
    }
}
