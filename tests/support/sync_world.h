// Signpost sync tests — a real signpost-server process on a random loopback port
// (support/server_process.h), the coordinator side (key pair, token, the pull API) and
// kiosk-side data dirs (outbox, directory, enrollment) for the sync engine. Header-only; included
// by tests/sync_*_test.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/ids.h"
#include "core/common/time_util.h"
#include "core/directory/directory_store.h"
#include "core/directory/hsds_import.h"
#include "core/referral/outbox.h"
#include "core/referral/referral.h"
#include "core/referral/sealing.h"
#include "core/referral/submit.h"
#include "core/storage/database.h"
#include "support/csv_reader.h"
#include "support/process.h"
#include "support/sample_directory.h"
#include "support/server_process.h"
#include "support/test_support.h"
#include "sync/engine/sync_engine.h"
#include "sync/net/http_client.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

#ifndef CATCH_VERSION_MAJOR
#include <catch2/catch.hpp>
#endif

namespace signpost::test {

inline TimeZone syncTestZone() {
    return TimeZone::load("Europe/London");
}

// A resident's referral, valid as submitReferral wants it.
inline ReferralForm syncTestForm(const std::string& name = "Zofia Wójcik") {
    ReferralForm form;
    form.kind = ReferralKind::Service;
    form.serviceId = "svc-0001";
    form.serviceName = "Service 0001";
    form.needCodes = {"feeling-lonely"};
    form.needsText.assign("I would like to meet people");
    form.name.assign(name);
    form.phone.assign("0161 496 0123");
    form.email.assign("resident@example.org");
    form.bestTime = ContactTime::Morning;
    form.safeToLeaveMessage = Answer::Yes;
    form.preferredLanguage = "pl";
    form.consentGiven = true;
    return form;
}

// HTTPS for a SyncServer: the certificate and key it serves, and the CA file its own coordinator
// client trusts. All empty (the default) = plain HTTP on loopback.
struct SyncServerTls {
    std::filesystem::path certFile;
    std::filesystem::path keyFile;
    std::filesystem::path caFile;
};

// The server (support/server_process.h), its admin verbs and the coordinator's view.
class SyncServer {
public:
    explicit SyncServer(const std::filesystem::path& dir, const SyncServerTls& tls = {})
        : m_server(dir, serverKeys(tls), "enroll_burst = 1000\nbad_token_burst = 1000\n"),
          m_http(coordinatorHttpOptions(tls)) {
        m_server.start();
        m_coordinatorKey.emplace(CoordinatorKeyPair::generate());
        m_coordinatorToken = m_server.coordinatorToken("coordinators");
    }

    std::filesystem::path configFile() const { return m_server.configFile(); }
    std::filesystem::path databaseFile() const { return m_server.databaseFile(); }
    const std::string& url() const { return m_server.url(); }
    int port() const { return m_server.port(); }
    const CoordinatorPublicKey& publicKey() const { return m_coordinatorKey->publicKey(); }
    const CoordinatorKeyPair& coordinatorKey() const { return *m_coordinatorKey; }
    ChildProcess& process() { return m_server.process(); }

    // Starts `serve` again on the same port (so kiosks keep their URL).
    void start() { m_server.start(); }
    void stop() { m_server.stop(); }
    void kill() { m_server.kill(); }

    // `signpost-server admin ARGS --config F`; throws on failure, returns stdout trimmed.
    std::string admin(std::vector<std::string> args) { return m_server.admin(std::move(args)); }
    std::string enrollmentCode() { return m_server.enrollmentCode(); }
    void importDirectory(const std::string& json) { m_server.importDirectory(json); }
    void backup(const std::filesystem::path& file) { m_server.backup(file); }
    void restore(const std::filesystem::path& file) { m_server.restore(file); }

    HttpResponse get(const std::string& path) {
        HttpRequest request;
        request.url = url() + path;
        request.headers.emplace_back("Authorization", "Bearer " + m_coordinatorToken);
        auto result = m_http.send(request);
        INFO((result ? std::string() : result.error().message));
        REQUIRE(result);
        return std::move(result).value();
    }

    // Every submission on the server, in cursor order (the coordinator's pull API, no acks).
    std::vector<protocol::PulledSubmission> pullAll() {
        std::vector<protocol::PulledSubmission> all;
        std::int64_t after = 0;
        while (true) {
            const HttpResponse response =
                get("/v1/submissions?after=" + std::to_string(after) + "&limit=1000");
            INFO(response.body);
            REQUIRE(response.status == 200);
            const protocol::SubmissionPage page = protocol::parseSubmissionPage(response.body);
            for (const auto& item : page.submissions) {
                all.push_back(item);
            }
            if (!page.hasMore || page.nextCursor == after) {
                return all;
            }
            after = page.nextCursor;
        }
    }

    // id -> how many times the server holds it.
    std::map<std::string, int> idCounts() {
        std::map<std::string, int> counts;
        for (const auto& item : pullAll()) {
            ++counts[item.submission.id];
        }
        return counts;
    }

    protocol::DeviceList devices() {
        const HttpResponse response = get("/v1/devices");
        REQUIRE(response.status == 200);
        return protocol::parseDeviceList(response.body);
    }

private:
    static std::string serverKeys(const SyncServerTls& tls) {
        std::string keys = "threads = 8\n";
        if (!tls.certFile.empty()) {
            keys += "tls_cert_file = \"" + tls.certFile.string() + "\"\ntls_key_file = \"" +
                    tls.keyFile.string() + "\"\n";
        }
        return keys;
    }
    static HttpClientOptions coordinatorHttpOptions(const SyncServerTls& tls) {
        HttpClientOptions options;
        options.caFile = tls.caFile.string();
        return options;
    }

    ServerProcess m_server;
    std::optional<CoordinatorKeyPair> m_coordinatorKey;
    std::string m_coordinatorToken;
    HttpClient m_http;
};

// One kiosk's data dir: its outbox (the UI's connection), its directory, and an engine.
class SyncKiosk {
public:
    SyncKiosk(const std::filesystem::path& dataDir, const CoordinatorPublicKey& coordinatorKey,
              int directoryServices = 6)
        : m_dataDir(dataDir), m_coordinatorKey(coordinatorKey) {
        std::filesystem::create_directories(m_dataDir);
        m_outbox = std::make_unique<Outbox>((m_dataDir / "outbox.db").string());
        if (directoryServices > 0) {
            m_directory = std::make_unique<DirectoryStore>((m_dataDir / "directory.db").string(),
                                                           syncTestZone());
            m_directory->replaceAll(
                parseHsdsJson(sampleDirectoryJson(directoryServices, "bundle").dump()), "bundle");
        }
    }

    const std::filesystem::path& dataDir() const { return m_dataDir; }
    Outbox& outbox() { return *m_outbox; }
    DirectoryStore& directory() { return *m_directory; }

    // Options with test-sized timings (every wait still observable through status()).
    sync::SyncEngineOptions engineOptions() const {
        sync::SyncEngineOptions options;
        options.dataDir = m_dataDir;
        options.venue = "Harpurhey Library";
        options.deviceName = "Test kiosk";
        options.backoff.initial = std::chrono::milliseconds(200);
        options.backoff.minimum = std::chrono::milliseconds(50);
        options.backoff.cap = std::chrono::milliseconds(1000);
        options.http.connectTimeout = std::chrono::milliseconds(2000);
        options.http.lowSpeedTime = std::chrono::seconds(3);
        options.http.proxy = "none";
        options.directoryInterval = std::chrono::seconds(3600);
        options.heartbeatInterval = std::chrono::seconds(3600);
        return options;
    }

    sync::SyncEngine& startEngine(std::optional<sync::SyncEngineOptions> options = std::nullopt) {
        m_engine = std::make_unique<sync::SyncEngine>(options ? *options : engineOptions());
        m_engine->start();
        return *m_engine;
    }
    sync::SyncEngine& engine() { return *m_engine; }
    // The engine for tests about referrals only (no directory sync), enrolled with `server`.
    sync::SyncEngine& startEnrolled(SyncServer& server) {
        sync::SyncEngineOptions options = engineOptions();
        options.syncDirectory = false;
        startEngine(options);
        enroll(server);
        return *m_engine;
    }
    void stopEngine() {
        if (m_engine) {
            m_engine->stop();
        }
    }

    // A referral submitted the way the kiosk does it; `now` = epoch means the system clock.
    SubmitReceipt submit(SystemTime now = {}, const std::string& name = "Zofia Wójcik") {
        SubmitContext context;
        context.venue = "Harpurhey Library";
        context.neighbourhood = "Harpurhey";
        context.formVersion = "2026.11";
        context.consentVersion = "consent-2026-11-v1";
        context.deviceId = "test-device";
        context.coordinatorKey = m_coordinatorKey;
        context.now = now;
        SubmitReceipt receipt = submitReferral(syncTestForm(name), context, *m_outbox);
        if (m_engine) {
            m_engine->notifySubmission();
        }
        return receipt;
    }

    // Waits until `predicate(status)` holds; REQUIREs it within `timeout`.
    void waitFor(const std::function<bool(const sync::SyncStatus&)>& predicate,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const bool ok = waitUntil([&] { return predicate(*m_engine->status()); }, timeout);
        const auto status = m_engine->status();
        INFO("state " << sync::toString(status->state) << ", queued " << status->counts.queued
                      << ", sent " << status->counts.sent << ", rejected "
                      << status->counts.rejected << ", last error " << status->lastError << " ("
                      << status->lastErrorMessage << "), enroll " << status->enrollError << " "
                      << status->enrollMessage);
        REQUIRE(ok);
    }

    // Waits for the outcome of the enroll() call that returned `ticket`.
    void waitForEnrollment(std::uint64_t ticket) {
        waitFor([ticket](const sync::SyncStatus& s) {
            return s.enrollTicket == ticket && (s.enrollPhase == sync::EnrollPhase::Succeeded ||
                                                s.enrollPhase == sync::EnrollPhase::Failed);
        });
    }

    // Enrolls with `server`, reached at `url` (default: the server's own, not through a proxy).
    void enroll(SyncServer& server, const std::string& url = "") {
        waitForEnrollment(
            m_engine->enroll(url.empty() ? server.url() : url, server.enrollmentCode()));
        const auto status = m_engine->status();
        INFO(status->enrollError << ": " << status->enrollMessage);
        REQUIRE(status->enrollPhase == sync::EnrollPhase::Succeeded);
    }

    // Every outbox id with its status text.
    std::map<std::string, std::string> outboxStatuses() {
        std::map<std::string, std::string> statuses;
        for (const OutboxItem& item : m_outbox->allItems()) {
            statuses[item.id] = toString(item.status);
        }
        return statuses;
    }

private:
    std::filesystem::path m_dataDir;
    CoordinatorPublicKey m_coordinatorKey;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<DirectoryStore> m_directory;
    std::unique_ptr<sync::SyncEngine> m_engine;
};

// id -> how many times it is in the referrals CSV files `signpost pull` wrote to `outDir`
// (empty when the folder does not exist yet).
inline std::map<std::string, int> pulledIds(const std::filesystem::path& outDir) {
    std::map<std::string, int> ids;
    if (!std::filesystem::exists(outDir)) {
        return ids;
    }
    for (const auto& entry : std::filesystem::directory_iterator(outDir)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("referrals-") || !name.ends_with(".csv") ||
            name.ends_with(".errors.csv")) {
            continue;
        }
        const auto rows = parseCsv(readText(entry.path()));
        REQUIRE_FALSE(rows.empty());
        const auto column = std::find(rows[0].begin(), rows[0].end(), "ID");
        REQUIRE(column != rows[0].end());
        const auto at = static_cast<std::size_t>(column - rows[0].begin());
        for (std::size_t r = 1; r < rows.size(); ++r) {
            ++ids[rows[r].at(at)];
        }
    }
    return ids;
}

// The coordinators' side of a SyncServer as the real `signpost pull` sees it: the key file
// (Argon2id "interactive", to keep tests quick), a token file (0600) and an output folder.
class CoordinatorFiles {
public:
    static constexpr const char* kPassphrase = "coordinator test passphrase, long enough";

    CoordinatorFiles(SyncServer& server, const std::filesystem::path& dir)
        : m_server(server), m_dir(dir) {
        std::filesystem::create_directories(m_dir);
        server.coordinatorKey().saveEncrypted(keyFile(), kPassphrase, KdfStrength::Interactive);
        writePrivateText(tokenFile(),
                         server.admin({"coordinator-token", "create", "--name", "pull"}) + "\n");
    }

    std::filesystem::path keyFile() const { return m_dir / "coordinator.key"; }
    std::filesystem::path tokenFile() const { return m_dir / "coordinator.token"; }
    std::filesystem::path outDir() const { return m_dir / "out"; }

    // `signpost pull` into outDir(), the passphrase in its environment (and no test kill point).
    ProcessOptions pullOptions() const {
        ProcessOptions options;
        options.program = builtProgram("signpost");
        options.args = {
            "pull",  "--server",         m_server.url(), "--token-file",   tokenFile().string(),
            "--key", keyFile().string(), "--out",        outDir().string()};
        options.unsetEnv = {"SIGNPOST_PULL_TEST_KILL_AT"};
        options.env["SIGNPOST_PASSPHRASE"] = kPassphrase;
        return options;
    }

    // Runs a pull to its end; REQUIREs exit 0 and returns its stderr.
    std::string pull() {
        ProcessOptions options = pullOptions();
        std::vector<std::string> args = options.args;
        const ProgramRun run = runBuiltProgram("signpost", std::move(args), m_dir, options);
        INFO(run.err);
        REQUIRE(run.status.success());
        return run.err;
    }

    // id -> how many times it appears across every referrals file in outDir().
    std::map<std::string, int> written() const { return pulledIds(outDir()); }

private:
    SyncServer& m_server;
    std::filesystem::path m_dir;
};

}  // namespace signpost::test
