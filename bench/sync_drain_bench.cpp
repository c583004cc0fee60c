// Sync drain: a kiosk that was offline with 10,000 sealed referrals queued comes back and the sync
// engine pushes them all to a server on loopback. Real everything: the kiosk's outbox (SQLite WAL,
// synchronous=FULL; each batch's marks one transaction), the engine thread signing every item at
// push time (Ed25519), libcurl over a real socket, the real server (SQLite WAL, synchronous=FULL,
// group commit) in this process. Each run starts a fresh server, kiosk data dir and enrollment;
// the clock runs from engine start until the engine reports all of them sent.
//
//   build-release/bench/sync_drain_bench [--items 10000] [--runs 5] [--batch 100]
#include <sodium.h>
#include <stdlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench_support.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/storage/database.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/sync_engine.h"
#include "sync/server/server_runtime.h"
#include "sync/server/tokens.h"

using namespace signpost;
using namespace signpost::bench;

namespace {

struct Options {
    int items = 10000;
    int runs = 5;
    int batch = 100;
};

std::filesystem::path makeTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signpost-drain-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

// The outbox as a kiosk leaves it after `count` referrals while offline: sealed to the
// coordinators' key (~1 KB of referral JSON each), queued. Written in one transaction to keep
// setup short; the drain itself is what is measured.
void fillOutbox(const std::filesystem::path& file, int count, const CoordinatorPublicKey& key) {
    Outbox outbox(file.string());
    Database& db = outbox.database();
    std::string plaintext(1000, 'x');
    Transaction transaction(db);
    Statement insert = db.prepare(
        "INSERT INTO outbox (id, reference, created_at, form_version, venue, neighbourhood, "
        "service_id, sealed, status, test) VALUES (?, ?, ?, '2026.11', 'Harpurhey Library', "
        "'Harpurhey', 'svc-0042', ?, 'queued', 0)");
    for (int i = 0; i < count; ++i) {
        char reference[16];
        std::snprintf(reference, sizeof reference, "MCR-%06d", i);
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(plaintext.data());
        const std::vector<std::uint8_t> sealed =
            sealForCoordinators({bytes, plaintext.size()}, key);
        insert.reset();
        insert.bindAll(uuidV4(), std::string(reference),
                       formatIsoUtc(std::chrono::system_clock::now()));
        insert.bindBlob(4, sealed);
        insert.run();
    }
    transaction.commit();
}

struct RunResult {
    double seconds = 0;
    std::size_t sent = 0;
    std::size_t onServer = 0;
};

RunResult runOnce(const Options& o) {
    const auto dir = makeTempDir();
    const auto kioskDir = dir / "kiosk";
    std::filesystem::create_directories(kioskDir);
    server::ServerConfig config;
    config.listenAddress = "127.0.0.1";
    config.port = 0;
    config.dataDir = (dir / "server").string();
    config.threads = 8;
    config.logLevel = LogLevel::Warning;
    RunResult result;
    {
        server::ServerRuntime server(config);
        server.start();
        const std::string code = server::generateEnrollmentCode();
        const auto now = std::chrono::system_clock::now();
        server.store().addEnrollmentCode(server::hashToken(*server::normalizeEnrollmentCode(code)),
                                         "Harpurhey Library", now + std::chrono::hours(1), now);
        HttpClient http;
        const auto enrolled = sync::enrollDevice(
            http, {server.baseUrl(), code, "Drain bench", "Harpurhey Library"}, kioskDir);
        if (!enrolled) {
            throw std::runtime_error("enroll failed: " + enrolled.error().message);
        }
        fillOutbox(kioskDir / "outbox.db", o.items, CoordinatorKeyPair::generate().publicKey());

        sync::SyncEngineOptions options;
        options.dataDir = kioskDir;
        options.syncDirectory = false;
        options.batchSize = static_cast<std::size_t>(o.batch);
        options.http.proxy = "none";
        sync::SyncEngine engine(options);
        const auto start = std::chrono::steady_clock::now();
        engine.start();
        while (engine.status()->counts.sent < static_cast<std::size_t>(o.items)) {
            const auto status = engine.status();
            if (status->state == sync::SyncState::Offline) {
                throw std::runtime_error("drain failed: " + status->lastError + " " +
                                         status->lastErrorMessage);
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        result.seconds = millisecondsSince(start) / 1000.0;
        result.sent = engine.status()->counts.sent;
        engine.stop();
    }
    {
        DatabaseOptions readOnly;
        readOnly.readOnly = true;
        Database db((dir / "server" / "signpost-server.db").string(), readOnly);
        Statement count = db.prepare("SELECT count(DISTINCT id) FROM submissions");
        result.onServer = count.step() ? static_cast<std::size_t>(count.columnInt64(0)) : 0;
    }
    std::filesystem::remove_all(dir);
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&] {
            if (i + 1 >= argc) {
                throw std::runtime_error(arg + " needs a value");
            }
            return std::stoi(argv[++i]);
        };
        if (arg == "--items") {
            o.items = next();
        } else if (arg == "--runs") {
            o.runs = next();
        } else if (arg == "--batch") {
            o.batch = next();
        } else {
            std::fprintf(stderr, "usage: sync_drain_bench [--items N] [--runs N] [--batch N]\n");
            return 2;
        }
    }
    setLogToStderr(false);
    if (sodium_init() < 0) {
        return 1;
    }
    Samples rates;
    Samples seconds;
    bool exact = true;
    for (int run = 0; run < o.runs; ++run) {
        const RunResult r = runOnce(o);
        rates.add(static_cast<double>(r.sent) / r.seconds);
        seconds.add(r.seconds);
        exact = exact && r.sent == static_cast<std::size_t>(o.items) &&
                r.onServer == static_cast<std::size_t>(o.items);
        std::fprintf(stderr, "run %d: %zu sent in %.2f s (%.0f /s), %zu on the server\n", run + 1,
                     r.sent, r.seconds, static_cast<double>(r.sent) / r.seconds, r.onServer);
    }
    const double median = rates.median();
    printTable(
        "Sync drain: " + formatNumber(o.items, 0) +
            " queued referrals to a loopback server, batches of " + std::to_string(o.batch) + ", " +
            std::to_string(o.runs) + " runs",
        {{"drain rate (median)", withUnit(median, 0, "/s"), ">= 2,000 /s", median >= 2000,
          "min " + withUnit(rates.min(), 0, "/s") + ", max " + withUnit(rates.max(), 0, "/s") +
              "; ODK Central published ~41 /s"},
         {"drain time (median)", withUnit(seconds.median(), 2, "s"), "report", true,
          "engine start to all marked sent"},
         {"every item sent once and on the server", exact ? "yes" : "NO", "yes", exact, ""}});
    return 0;
}
