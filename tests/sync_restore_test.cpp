// Issue 9, part 1: a server restored from a backup must not hide referrals from coordinators,
// and what it lost must come back from the kiosks. Everything here is a real process or the real
// engine: signpost-server (serve, backup, restore), a kiosk's sync engine pushing sealed
// referrals, and the `signpost pull` binary writing CSV files. The checks read the coordinators'
// files themselves: every referral a kiosk saved is in them exactly once.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/sync_world.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> submitSent(test::SyncKiosk& kiosk, int count, std::set<std::string>& all) {
    std::vector<std::string> ids;
    const std::size_t sentBefore = kiosk.outbox().counts().sent;
    for (int i = 0; i < count; ++i) {
        ids.push_back(kiosk.submit().id);
        all.insert(ids.back());
    }
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        return s.counts.queued == 0 &&
               s.counts.sent >= sentBefore + static_cast<std::size_t>(count);
    });
    return ids;
}

// Waits until the server holds every id in `ids` (the kiosk's re-push after a restore).
void waitUntilServerHolds(test::SyncServer& server, const std::set<std::string>& ids) {
    std::set<std::string> missing;
    const bool all = test::waitUntil(
        [&] {
            const auto counts = server.idCounts();
            missing.clear();
            for (const std::string& id : ids) {
                if (!counts.contains(id)) {
                    missing.insert(id);
                }
            }
            return missing.empty();
        },
        30s, 50ms);
    INFO(missing.size() << " referral(s) the kiosk saved are not on the restored server");
    CHECK(all);
}

void requireExactlyOnce(const test::CoordinatorFiles& coordinators,
                        const std::set<std::string>& ids) {
    const auto written = coordinators.written();
    std::size_t missing = 0;
    std::size_t twice = 0;
    for (const std::string& id : ids) {
        const auto it = written.find(id);
        missing += it == written.end() ? 1 : 0;
        twice += it != written.end() && it->second > 1 ? 1 : 0;
    }
    INFO(ids.size() << " referrals saved on the kiosk; " << missing << " never written, " << twice
                    << " written more than once, " << written.size()
                    << " distinct ids in the files");
    CHECK(missing == 0);
    CHECK(twice == 0);
    CHECK(written.size() == ids.size());
}

}  // namespace

TEST_CASE("issue 9: push, pull, backup, push, pull, restore, push, pull: every referral once",
          "[restore]") {
    test::TempDir dir("restore");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 0);
    kiosk.startEnrolled(server);
    test::CoordinatorFiles coordinators(server, dir / "coordinators");
    std::set<std::string> saved;

    submitSent(kiosk, 5, saved);
    coordinators.pull();
    CHECK(coordinators.written().size() == 5);
    server.backup(dir / "backup.db");
    submitSent(kiosk, 5, saved);
    coordinators.pull();
    CHECK(coordinators.written().size() == 10);

    server.stop();
    server.restore(dir / "backup.db");
    server.start();
    const std::vector<std::string> after = submitSent(kiosk, 5, saved);
    // The 5 new ones are stored by the restored server, whatever it hands out as cursors.
    const auto onServer = server.idCounts();
    for (const std::string& id : after) {
        CHECK(onServer.contains(id));
    }
    // The 5 pushed after the backup were lost with the restore: the kiosk sends them again.
    waitUntilServerHolds(server, saved);
    const std::string said = coordinators.pull();
    CHECK_THAT(said, !Catch::Contains("No new referrals"));
    coordinators.pull();  // and once more: nothing is written twice
    requireExactlyOnce(coordinators, saved);
}

TEST_CASE("issue 9: a restore of a backup older than the first pull writes nothing twice",
          "[restore]") {
    test::TempDir dir("restore-old");
    test::SyncServer server(dir / "server");
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 0);
    kiosk.startEnrolled(server);
    test::CoordinatorFiles coordinators(server, dir / "coordinators");
    std::set<std::string> saved;

    submitSent(kiosk, 4, saved);
    // Taken before anything was pulled or acknowledged: the restored server has these 4 unacked.
    server.backup(dir / "backup.db");
    coordinators.pull();
    submitSent(kiosk, 6, saved);
    coordinators.pull();
    CHECK(coordinators.written().size() == 10);

    server.stop();
    server.restore(dir / "backup.db");
    server.start();
    // No new referral: the kiosk learns of the restore from its next heartbeat.
    kiosk.engine().syncNow();
    waitUntilServerHolds(server, saved);
    coordinators.pull();
    submitSent(kiosk, 3, saved);
    coordinators.pull();
    requireExactlyOnce(coordinators, saved);
    // Everything written is acknowledged again on the restored server (its acks were lost).
    Database db(server.databaseFile().string());
    Statement unacked = db.prepare("SELECT count(*) FROM submissions WHERE acked_at IS NULL");
    REQUIRE(unacked.step());
    CHECK(unacked.columnInt(0) == 0);
}
