// signpost-sync-harness — the kiosk's side of sync without a screen, for crash tests.
//
//   signpost-sync-harness enroll --data-dir D --server URL --code CODE
//       enrolls (device key, token, enrollment.json in D); exit 0 on success, 1 otherwise
//   signpost-sync-harness run --data-dir D --key BASE64 [--interval-ms 10]
//       opens the outbox as the kiosk does (salvaging a damaged one), then submits a referral every
//       interval (sealed to the coordinators' key, stored durably as the kiosk does) while the sync
//       engine pushes; prints "ready" once the engine runs; runs until killed
//   signpost-sync-harness open --data-dir D
//       opens D/outbox.db as the kiosk does at start (Outbox::openOrRecover: a damaged outbox is
//       moved aside and salvaged) and prints one line per salvage: "salvaged FILE saved N
//       resent N rejected N history N lost N"; exit 0
//   signpost-sync-harness drain --data-dir D [--timeout-s 60]
//       pushes until nothing is queued or waiting to be sent again (after a server restore) and a
//       heartbeat was answered; exit 0 when drained, 1 on timeout
// The sync engine uses short backoffs (100 ms .. 500 ms) so a restarted server is found quickly.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "core/common/log.h"
#include "core/referral/outbox.h"
#include "core/referral/submit.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/sync_engine.h"

using namespace signpost;

namespace {

std::string option(int argc, char** argv, const char* name, const char* fallback = nullptr) {
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    if (fallback == nullptr) {
        std::fprintf(stderr, "signpost-sync-harness: %s is required\n", name);
        std::exit(2);
    }
    return fallback;
}

sync::SyncEngineOptions engineOptions(const std::filesystem::path& dataDir) {
    sync::SyncEngineOptions options;
    options.dataDir = dataDir;
    options.syncDirectory = false;
    options.venue = "Harpurhey Library";
    options.http.proxy = "none";
    options.http.connectTimeout = std::chrono::milliseconds(1000);
    options.http.lowSpeedTime = std::chrono::seconds(3);
    options.backoff.initial = std::chrono::milliseconds(100);
    options.backoff.minimum = std::chrono::milliseconds(20);
    options.backoff.cap = std::chrono::milliseconds(500);
    options.heartbeatInterval = std::chrono::seconds(3600);
    return options;
}

ReferralForm form() {
    ReferralForm f;
    f.kind = ReferralKind::General;
    f.needCodes = {"feeling-lonely"};
    f.needsText.assign("I would like to meet people");
    f.name.assign("Crash Test");
    f.phone.assign("0161 496 0123");
    f.bestTime = ContactTime::Morning;
    f.safeToLeaveMessage = Answer::Yes;
    f.preferredLanguage = "en";
    f.consentGiven = true;
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    setLogToStderr(false);
    if (argc < 2) {
        std::fprintf(stderr, "usage: signpost-sync-harness enroll|run|drain --data-dir D ...\n");
        return 2;
    }
    const std::string verb = argv[1];
    const std::filesystem::path dataDir = option(argc, argv, "--data-dir");
    if (verb == "enroll") {
        HttpClient http;
        const auto enrolled =
            sync::enrollDevice(http,
                               {option(argc, argv, "--server"), option(argc, argv, "--code"),
                                "Crash harness", "Harpurhey Library"},
                               dataDir);
        if (!enrolled) {
            std::fprintf(stderr, "enroll failed: %s\n", enrolled.error().message.c_str());
            return 1;
        }
        return 0;
    }
    if (verb == "run") {
        SubmitContext context;
        context.venue = "Harpurhey Library";
        context.neighbourhood = "Harpurhey";
        context.formVersion = "2026.11";
        context.consentVersion = "consent-2026-11-v1";
        context.deviceId = "crash-harness";
        context.coordinatorKey = CoordinatorPublicKey::fromBase64(option(argc, argv, "--key"));
        const int interval = std::stoi(option(argc, argv, "--interval-ms", "10"));
        // As the kiosk opens it: a damaged outbox is moved aside and salvaged first.
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(dataDir / "outbox.db", report);
        sync::SyncEngine engine(engineOptions(dataDir));
        engine.start();
        std::printf("ready\n");
        std::fflush(stdout);
        const ReferralForm referral = form();
        while (true) {
            submitReferral(referral, context, outbox);
            engine.notifySubmission();
            std::this_thread::sleep_for(std::chrono::milliseconds(interval));
        }
    }
    if (verb == "open") {
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(dataDir / "outbox.db", report);
        for (const SalvageReport& salvage : report.salvaged) {
            std::printf("salvaged %s saved %zu resent %zu rejected %zu history %zu lost %zu\n",
                        salvage.damagedFile.c_str(), salvage.saved, salvage.resent,
                        salvage.rejected, salvage.history, salvage.lost);
        }
        return 0;
    }
    if (verb == "drain") {
        const int timeout = std::stoi(option(argc, argv, "--timeout-s", "60"));
        {
            // As the kiosk starts: a damaged outbox (or a move aside cut short) is seen to first.
            OutboxOpenReport report;
            Outbox::openOrRecover(dataDir / "outbox.db", report);
        }
        sync::SyncEngine engine(engineOptions(dataDir));
        engine.start();
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
        while (std::chrono::steady_clock::now() < until) {
            const auto status = engine.status();
            // Drained: nothing queued, nothing left to send again after a server restore, and
            // a heartbeat answered (it tells of a restore even when nothing was queued).
            if (status->state == sync::SyncState::Idle && status->counts.queued == 0 &&
                status->counts.resend == 0 && !status->lastHeartbeatAt.empty()) {
                std::printf("drained: %zu sent\n", status->counts.sent);
                return 0;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        std::fprintf(stderr, "not drained: %s\n", engine.status()->lastError.c_str());
        return 1;
    }
    std::fprintf(stderr, "signpost-sync-harness: unknown verb %s\n", verb.c_str());
    return 2;
}
