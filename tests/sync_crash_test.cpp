// Crash loops ([.]: slow, still run in CI). A kiosk without a screen (tests/harness, the real
// outbox, submit path and sync engine) submits and pushes while it is killed with SIGKILL at random
// moments, 200 times; then the server is killed at random moments and restarted, 50 times, while
// the kiosk keeps going. Afterwards, once the kiosk has drained: the server's set of ids equals
// the kiosk's, nothing is stored twice, and PRAGMA integrity_check is ok on both databases.
#include <catch2/catch.hpp>

#include <signal.h>

#include <random>
#include <set>
#include <thread>

#include "core/storage/database.h"
#include "sync_world.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

test::ChildProcess startHarness(const std::filesystem::path& dataDir, const std::string& key,
                                const std::filesystem::path& log) {
    test::ProcessOptions options;
    options.program = test::builtProgram("signpost-sync-harness");
    options.args = {"run", "--data-dir", dataDir.string(), "--key", key, "--interval-ms", "5"};
    options.stdoutFile = log;
    options.stderrFile = log.string() + ".err";
    test::ChildProcess child = test::ChildProcess::spawn(options);
    REQUIRE(test::waitUntil(
        [&] { return child.stdoutText().find("ready") != std::string::npos || !child.running(); }, 20s, 2ms));
    INFO(child.report());
    REQUIRE(child.running());
    return child;
}

std::set<std::string> kioskIds(const std::filesystem::path& outboxFile, std::size_t& notSent) {
    DatabaseOptions readOnly;
    readOnly.readOnly = true;
    Database db(outboxFile.string(), readOnly);
    std::set<std::string> ids;
    notSent = 0;
    Statement query = db.prepare("SELECT id, status FROM outbox");
    while (query.step()) {
        ids.insert(query.columnText(0));
        notSent += query.columnText(1) != "sent";
    }
    return ids;
}

std::string integrity(const std::filesystem::path& file) {
    Database db(file.string());
    return db.integrityCheck();
}

}  // namespace

TEST_CASE("kill -9 the kiosk 200 times and the server 50 times: every referral once", "[.][sync_crash]") {
    test::TempDir dir("sync-crash");
    test::SyncServer server(dir / "server");
    const std::filesystem::path kioskDir = dir / "kiosk";
    std::filesystem::create_directories(kioskDir);
    const std::string key = server.publicKey().toBase64();
    {
        test::ProcessOptions enroll;
        enroll.program = test::builtProgram("signpost-sync-harness");
        enroll.args = {"enroll", "--data-dir", kioskDir.string(), "--server", server.url(), "--code",
                       server.enrollmentCode()};
        enroll.stderrFile = dir / "enroll.err";
        REQUIRE(test::runProcess(enroll, 30s).success());
    }
    std::mt19937 random(std::random_device{}());
    const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };

    // The kiosk, killed mid-submit and mid-push.
    for (int round = 0; round < 200; ++round) {
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness.log");
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 250)));
        const test::ExitStatus status = harness.kill();
        INFO("round " << round << ": " << harness.report());
        REQUIRE_FALSE(status.exited);  // it was running when killed, not crashed on its own
    }
    // The server, killed while the kiosk pushes; restarted each time on the same port.
    {
        test::ChildProcess harness = startHarness(kioskDir, key, dir / "harness-server-loop.log");
        for (int round = 0; round < 50; ++round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(20, 400)));
            server.kill();
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 100)));
            server.start();
            INFO("server round " << round);
            REQUIRE(harness.running());
        }
        std::this_thread::sleep_for(300ms);
        harness.kill();
    }

    // Drain what is left, then compare.
    test::ProcessOptions drain;
    drain.program = test::builtProgram("signpost-sync-harness");
    drain.args = {"drain", "--data-dir", kioskDir.string(), "--timeout-s", "120"};
    drain.stdoutFile = dir / "drain.out";
    drain.stderrFile = dir / "drain.err";
    const test::ExitStatus drained = test::runProcess(drain, 150s);
    INFO(test::readText(dir / "drain.err"));
    REQUIRE(drained.success());

    std::size_t notSent = 0;
    const std::set<std::string> kiosk = kioskIds(kioskDir / "outbox.db", notSent);
    CHECK(notSent == 0);
    CHECK(kiosk.size() > 200);  // it did submit between the kills
    const std::map<std::string, int> counts = server.idCounts();
    std::set<std::string> onServer;
    for (const auto& [id, n] : counts) {
        INFO(id);
        CHECK(n == 1);
        onServer.insert(id);
    }
    CHECK(onServer == kiosk);
    server.stop();
    {
        // No duplicates in the server's own table either (not just in what the API shows).
        Database db(server.databaseFile().string());
        Statement duplicates = db.prepare("SELECT count(*) FROM (SELECT id FROM submissions GROUP BY id HAVING count(*) > 1)");
        REQUIRE(duplicates.step());
        CHECK(duplicates.columnInt(0) == 0);
    }
    CHECK(integrity(kioskDir / "outbox.db") == "ok");
    CHECK(integrity(server.databaseFile()) == "ok");
}
