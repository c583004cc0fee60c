// Signpost server tests — a server on a random loopback port in a temp dir, simulated kiosks
// that sign their submissions, and small HTTP helpers over cpp-httplib's client.
// Header-only; included by tests/server_*_test.cpp (they link signpost_server).
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/ids.h"
#include "core/directory/hsds_import.h"
#include "support/sample_directory.h"
#include "support/test_support.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/server_runtime.h"
#include "sync/server/tokens.h"

#ifndef CATCH_VERSION_MAJOR
#include <catch2/catch.hpp>
#endif

namespace signpost::test {

// A config for tests: loopback, any free port, data in `dir`, generous rate limits (tests that
// exercise the limits lower them).
inline server::ServerConfig testServerConfig(const std::filesystem::path& dir) {
    server::ServerConfig config;
    config.listenAddress = "127.0.0.1";
    config.port = 0;
    config.dataDir = (dir / "data").string();
    config.threads = 16;
    config.enrollBurst = 1000;
    config.enrollPerHour = 100000;
    config.badTokenBurst = 1000;
    config.badTokenPerHour = 100000;
    return config;
}

inline DirectoryData sampleDirectory(int services, const std::string& label = "2026-11-01") {
    return parseHsdsJson(sampleDirectoryJson(services, label).dump());
}

inline httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// A simulated kiosk: its enrollment, signing key and sequence counter.
struct TestKiosk {
    std::string deviceId;
    std::string token;
    protocol::DeviceSigningKey key = protocol::DeviceSigningKey::generate();
    std::int64_t nextSeq = 1;

    // A signed submission with a random 200-byte "sealed" payload.
    protocol::Submission submission(const std::string& createdAt = "2026-11-23T14:03:07Z") {
        protocol::Submission s;
        s.id = uuidV4();
        s.seq = nextSeq++;
        s.createdAt = createdAt;
        s.formVersion = "2026.11";
        s.venue = "Harpurhey Library";
        s.neighbourhood = "Harpurhey";
        s.serviceId = "svc-1";
        s.sealed.resize(200);
        for (auto& byte : s.sealed) {
            byte = static_cast<std::uint8_t>(randomBelow(256));
        }
        key.sign(s);
        return s;
    }
};

inline std::string batchJson(const std::vector<protocol::Submission>& items) {
    protocol::SubmissionBatch batch;
    batch.submissions = items;
    return protocol::toJson(batch);
}

// An enroll body as a kiosk sends it: a fresh nonce from the server (GET
// /v1/devices/enroll/nonce over `client`), signed with `key` over the code and the nonce.
template <class Client>  // httplib::Client or httplib::SSLClient
std::string signedEnrollBody(Client& client, const std::string& code,
                             const protocol::DeviceSigningKey& key,
                             const std::string& name = "Kiosk",
                             const std::string& venue = "Harpurhey Library") {
    auto asked = client.Get("/v1/devices/enroll/nonce");
    // 404: a server from before nonces (issue 8's tests run against it to show what it did); the
    // current server refuses a request without a nonce, so nothing is hidden by this.
    if (!asked || (asked->status != 200 && asked->status != 404)) {
        throw std::runtime_error("no enrollment nonce: " +
                                 (asked ? asked->body : std::string("no response")));
    }
    protocol::EnrollRequest request;
    request.enrollmentCode = code;
    request.deviceName = name;
    request.venue = venue;
    if (asked->status == 200) {
        request.nonce = protocol::parseEnrollNonce(asked->body).nonce;
    }
    key.sign(request);
    return protocol::toJson(request);
}

// The error code of an error response ("" if the body is not an error body).
inline std::string errorCode(const httplib::Result& result) {
    if (!result) {
        return "";
    }
    auto error = protocol::parseApiError(result->body);
    return error ? error->code : "";
}
inline std::string errorMessage(const httplib::Result& result) {
    if (!result) {
        return "";
    }
    auto error = protocol::parseApiError(result->body);
    return error ? error->message : "";
}
inline int statusOf(const httplib::Result& result) {
    return result ? result->status : -1;
}

// --- The role matrix: every endpoint × every kind of caller, with the expected status. ---

enum class Caller {
    None,
    Device,
    Coordinator,
    RevokedDevice,
    RevokedCoordinator,
    UnknownToken,
    Malformed
};

inline const char* callerName(Caller caller) {
    switch (caller) {
        case Caller::None:
            return "no token";
        case Caller::Device:
            return "device token";
        case Caller::Coordinator:
            return "coordinator token";
        case Caller::RevokedDevice:
            return "revoked device token";
        case Caller::RevokedCoordinator:
            return "revoked coordinator token";
        case Caller::UnknownToken:
            return "unknown token";
        case Caller::Malformed:
            return "malformed Authorization";
    }
    return "?";
}

struct MatrixCredentials {
    TestKiosk* device = nullptr;  // an active enrolled kiosk
    std::string coordinator;
    TestKiosk* revokedDevice = nullptr;  // enrolled, then revoked
    std::string revokedCoordinator;
    std::function<std::string()> freshEnrollmentCode;
};

inline void checkRoleMatrix(httplib::Client& client, const MatrixCredentials& who,
                            bool metricsPublic = true) {
    struct Endpoint {
        std::string name;
        std::function<httplib::Result(const httplib::Headers&)> call;
        Caller allowed;  // the one role that may call it (None = anyone)
        int okStatus;
    };
    const std::vector<Endpoint> endpoints = {
        {"POST /v1/devices/enroll",
         [&](const httplib::Headers& h) {
             const std::string body =
                 signedEnrollBody(client, who.freshEnrollmentCode(),
                                  protocol::DeviceSigningKey::generate(), "Matrix kiosk");
             return client.Post("/v1/devices/enroll", h, body, "application/json");
         },
         Caller::None, 201},
        {"POST /v1/submissions",
         [&](const httplib::Headers& h) {
             return client.Post("/v1/submissions", h, batchJson({who.device->submission()}),
                                "application/json");
         },
         Caller::Device, 200},
        {"GET /v1/directory",
         [&](const httplib::Headers& h) { return client.Get("/v1/directory?since=0", h); },
         Caller::Device, 200},
        {"POST /v1/devices/heartbeat",
         [&](const httplib::Headers& h) {
             protocol::Heartbeat beat;
             beat.appVersion = "0.1.0";
             return client.Post("/v1/devices/heartbeat", h, protocol::toJson(beat),
                                "application/json");
         },
         Caller::Device, 204},
        {"GET /v1/submissions",
         [&](const httplib::Headers& h) { return client.Get("/v1/submissions?after=0", h); },
         Caller::Coordinator, 200},
        {"POST /v1/submissions/ack",
         [&](const httplib::Headers& h) {
             return client.Post("/v1/submissions/ack", h, R"({"ids":[]})", "application/json");
         },
         Caller::Coordinator, 200},
        {"GET /v1/devices", [&](const httplib::Headers& h) { return client.Get("/v1/devices", h); },
         Caller::Coordinator, 200},
        {"GET /v1/probe", [&](const httplib::Headers& h) { return client.Get("/v1/probe", h); },
         Caller::None, 204},
        {"GET /healthz", [&](const httplib::Headers& h) { return client.Get("/healthz", h); },
         Caller::None, 200},
        {"GET /metrics", [&](const httplib::Headers& h) { return client.Get("/metrics", h); },
         metricsPublic ? Caller::None : Caller::Coordinator, 200},
    };
    const std::vector<Caller> callers = {Caller::None,
                                         Caller::Device,
                                         Caller::Coordinator,
                                         Caller::RevokedDevice,
                                         Caller::RevokedCoordinator,
                                         Caller::UnknownToken,
                                         Caller::Malformed};
    for (const Endpoint& endpoint : endpoints) {
        for (Caller caller : callers) {
            httplib::Headers headers;
            switch (caller) {
                case Caller::None:
                    break;
                case Caller::Device:
                    headers = bearer(who.device->token);
                    break;
                case Caller::Coordinator:
                    headers = bearer(who.coordinator);
                    break;
                case Caller::RevokedDevice:
                    headers = bearer(who.revokedDevice->token);
                    break;
                case Caller::RevokedCoordinator:
                    headers = bearer(who.revokedCoordinator);
                    break;
                case Caller::UnknownToken:
                    headers = bearer(server::generateToken());
                    break;
                case Caller::Malformed:
                    headers = {{"Authorization", "Basic dXNlcjpwYXNz"}};
                    break;
            }
            int expected = endpoint.okStatus;
            std::string expectedCode;
            if (endpoint.allowed != Caller::None && caller != endpoint.allowed) {
                const bool validOtherRole =
                    caller == Caller::Device || caller == Caller::Coordinator;
                expected = validOtherRole ? 403 : 401;
                expectedCode = validOtherRole ? "forbidden" : "unauthorized";
            }
            INFO(endpoint.name << " with " << callerName(caller));
            const httplib::Result result = endpoint.call(headers);
            REQUIRE(result);
            CHECK(result->status == expected);
            if (!expectedCode.empty()) {
                CHECK(errorCode(result) == expectedCode);
            }
            if (expected == 204) {
                CHECK(result->body.empty());
            }
            if (caller == Caller::RevokedDevice && expected == 401) {
                CHECK(errorMessage(result).find("revoked") != std::string::npos);
            }
        }
    }
}

// An in-process server (real sockets, real SQLite file) for one test.
class TestServer {
public:
    explicit TestServer(const std::string& label = "server")
        : TestServer(label, [](server::ServerConfig&) {}) {}

    template <class Tweak>
    TestServer(const std::string& label, Tweak tweak) : m_dir(label) {
        server::ServerConfig config = testServerConfig(m_dir.path());
        tweak(config);
        // Request lines go to the in-memory ring only (tests read it), not to the test's stderr.
        setLogToStderr(false);
        setMinimumLogLevel(LogLevel::Info);
        m_runtime = std::make_unique<server::ServerRuntime>(config);
        m_runtime->start();
    }

    server::ServerRuntime& runtime() { return *m_runtime; }
    server::SqliteServerStore& store() { return m_runtime->store(); }
    const std::filesystem::path& dir() const { return m_dir.path(); }
    int port() const { return m_runtime->port(); }

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", m_runtime->port());
        c.set_connection_timeout(std::chrono::seconds(5));
        c.set_read_timeout(std::chrono::seconds(30));
        return c;
    }

    // A single-use code made the way `admin enrollment-code` makes one.
    std::string enrollmentCode(const std::string& venue = "Harpurhey Library",
                               std::chrono::seconds lifetime = std::chrono::hours(24)) {
        const std::string code = server::generateEnrollmentCode();
        const auto now = std::chrono::system_clock::now();
        store().addEnrollmentCode(server::hashToken(*server::normalizeEnrollmentCode(code)), venue,
                                  now + lifetime, now);
        return code;
    }

    std::string coordinatorToken(const std::string& name = "coordinators") {
        const std::string token = server::generateToken();
        store().addCoordinatorToken(name, server::hashToken(token),
                                    std::chrono::system_clock::now());
        return token;
    }

    // Enrolls over HTTP; REQUIREs success.
    TestKiosk enroll(const std::string& name = "Kiosk 1") {
        TestKiosk kiosk;
        auto http = client();
        auto result = http.Post("/v1/devices/enroll",
                                signedEnrollBody(http, enrollmentCode(), kiosk.key, name),
                                "application/json");
        if (!result || result->status != 201) {
            throw std::runtime_error("enroll failed: " +
                                     (result ? result->body : std::string("no response")));
        }
        auto response = protocol::parseEnrollResponse(result->body);
        kiosk.deviceId = response.deviceId;
        kiosk.token = response.deviceToken;
        return kiosk;
    }

    // Pushes and parses the per-item results; throws if the answer is not 200.
    protocol::SubmissionResults push(const TestKiosk& kiosk,
                                     const std::vector<protocol::Submission>& items) {
        auto result = client().Post("/v1/submissions", bearer(kiosk.token), batchJson(items),
                                    "application/json");
        if (!result || result->status != 200) {
            throw std::runtime_error("push failed: " +
                                     (result ? std::to_string(result->status) + " " + result->body
                                             : std::string("no response")));
        }
        return protocol::parseSubmissionResults(result->body);
    }

    protocol::SubmissionPage pull(const std::string& coordinator, std::int64_t after = 0,
                                  std::size_t limit = 1000) {
        auto result = client().Get(
            ("/v1/submissions?after=" + std::to_string(after) + "&limit=" + std::to_string(limit))
                .c_str(),
            bearer(coordinator));
        if (!result || result->status != 200) {
            throw std::runtime_error("pull failed");
        }
        return protocol::parseSubmissionPage(result->body);
    }

private:
    TempDir m_dir;
    std::unique_ptr<server::ServerRuntime> m_runtime;
};

}  // namespace signpost::test
