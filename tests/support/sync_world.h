// Signpost sync tests — a real signpost-server process on a random loopback port, the coordinator
// side (key pair, token, the pull API) and kiosk-side data dirs (outbox, directory, enrollment)
// for the sync engine. Header-only; included by tests/sync_*_test.cpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
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
#include "support/process.h"
#include "support/sample_directory.h"
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

// The server, its admin verbs and the coordinator's view.
class SyncServer {
public:
    explicit SyncServer(const std::filesystem::path& dir, const SyncServerTls& tls = {})
        : m_dir(dir), m_http(coordinatorHttpOptions(tls)) {
        std::filesystem::create_directories(m_dir);
        std::string tlsKeys;
        if (!tls.certFile.empty()) {
            tlsKeys = "tls_cert_file = \"" + tls.certFile.string() + "\"\ntls_key_file = \"" +
                      tls.keyFile.string() + "\"\n";
        }
        writeText(configFile(),
                  "[server]\nlisten_address = \"127.0.0.1\"\nport = 0\nthreads = 8\n" + tlsKeys +
                      "\n[storage]\ndata_dir = \"" + (m_dir / "data").string() +
                      "\"\n\n[limits]\nenroll_burst = 1000\nbad_token_burst = 1000\n");
        start();
        m_coordinatorKey.emplace(CoordinatorKeyPair::generate());
        m_coordinatorToken = admin({"coordinator-token", "create", "--name", "coordinators"});
    }

    std::filesystem::path configFile() const { return m_dir / "server.toml"; }
    std::filesystem::path databaseFile() const { return m_dir / "data" / "signpost-server.db"; }
    const std::string& url() const { return m_url; }
    int port() const { return m_port; }
    const CoordinatorPublicKey& publicKey() const { return m_coordinatorKey->publicKey(); }
    const CoordinatorKeyPair& coordinatorKey() const { return *m_coordinatorKey; }
    ChildProcess& process() { return m_server; }

    // Starts `serve`; on a restart it asks for the same port again (so kiosks keep their URL).
    void start() {
        std::string config = readText(configFile());
        if (m_port != 0) {
            config = std::regex_replace(config, std::regex("port = [0-9]+"),
                                        "port = " + std::to_string(m_port));
            writeText(configFile(), config);
        }
        ProcessOptions options;
        options.program = builtProgram("signpost-server");
        options.args = {"serve", "--config", configFile().string()};
        options.stderrFile = m_dir / ("serve-" + std::to_string(m_runs++) + ".log");
        const std::regex listening("listening on (https?://127\\.0\\.0\\.1:([0-9]+))");
        for (int attempt = 0; attempt < 50; ++attempt) {
            m_server = ChildProcess::spawn(options);
            std::smatch match;
            waitUntil(
                [&] {
                    const std::string log = m_server.stderrText();
                    return std::regex_search(log, match, listening) || !m_server.running();
                },
                std::chrono::seconds(20));
            const std::string log = m_server.stderrText();
            if (std::regex_search(log, match, listening)) {
                m_url = match[1];
                m_port = std::stoi(match[2]);
                return;
            }
            // The old process's port may still be closing: try again shortly.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        INFO(m_server.report());
        FAIL("signpost-server did not start");
    }
    void stop() { m_server.stop(); }
    void kill() { m_server.kill(); }

    // `signpost-server admin ARGS --config F`; REQUIREs success, returns stdout trimmed.
    std::string admin(std::vector<std::string> args) {
        args.insert(args.begin(), "admin");
        args.push_back("--config");
        args.push_back(configFile().string());
        ProcessOptions options;
        options.program = builtProgram("signpost-server");
        options.args = args;
        const std::string tag = std::to_string(m_runs++);
        options.stdoutFile = m_dir / ("admin-" + tag + ".out");
        options.stderrFile = m_dir / ("admin-" + tag + ".err");
        const ExitStatus status = runProcess(options, std::chrono::seconds(60));
        INFO(readText(options.stderrFile));
        REQUIRE(status.success());
        std::string out = readText(options.stdoutFile);
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
            out.pop_back();
        }
        return out;
    }

    std::string enrollmentCode() { return admin({"enrollment-code", "--venue", "Harpurhey Library"}); }

    void importDirectory(const std::string& json) {
        const std::filesystem::path file = m_dir / ("directory-" + std::to_string(m_runs) + ".json");
        writeText(file, json);
        admin({"import-directory", file.string()});
    }

    HttpResponse get(const std::string& path) {
        HttpRequest request;
        request.url = m_url + path;
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
    static HttpClientOptions coordinatorHttpOptions(const SyncServerTls& tls) {
        HttpClientOptions options;
        options.caFile = tls.caFile.string();
        return options;
    }

    std::filesystem::path m_dir;
    ChildProcess m_server;
    std::string m_url;
    int m_port = 0;
    int m_runs = 0;
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
            m_directory->replaceAll(parseHsdsJson(sampleDirectoryJson(directoryServices, "bundle").dump()),
                                    "bundle");
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
        const bool ok =
            waitUntil([&] { return predicate(*m_engine->status()); }, timeout);
        const auto status = m_engine->status();
        INFO("state " << sync::toString(status->state) << ", queued " << status->counts.queued
                      << ", sent " << status->counts.sent << ", rejected " << status->counts.rejected
                      << ", last error " << status->lastError << " (" << status->lastErrorMessage
                      << "), enroll " << status->enrollError << " " << status->enrollMessage);
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

}  // namespace signpost::test
