#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>

#include "core/common/log.h"
#include "core/storage/database.h"
#include "support/process.h"
#include "support/raw_client.h"
#include "support/server_harness.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/gzip.h"

using namespace signpost;
using namespace signpost::server;
using namespace std::chrono_literals;
using test::bearer;
using test::errorCode;
using test::errorMessage;
using test::statusOf;
using test::TestKiosk;
using test::TestServer;

namespace {

template <class Client>
std::string enrollBody(Client& client, const std::string& code, const TestKiosk& kiosk,
                       const std::string& name = "Kiosk") {
    return test::signedEnrollBody(client, code, kiosk.key, name);
}

void publish(TestServer& server, const DirectoryData& data, int history = 30) {
    server.store().publishDirectory(preparePublication(data), history,
                                    std::chrono::system_clock::now());
}

httplib::Result getDirectory(TestServer& server, const TestKiosk& kiosk, std::int64_t since,
                             httplib::Headers extra = {}) {
    auto client = server.client();
    client.set_decompress(false);  // see exactly what went over the wire
    httplib::Headers headers = bearer(kiosk.token);
    headers.emplace("Accept-Encoding", "identity");
    for (auto& [key, value] : extra) {
        headers.erase(key);
        headers.emplace(key, value);
    }
    return client.Get(("/v1/directory?since=" + std::to_string(since)).c_str(), headers);
}

std::vector<std::string> logLinesContaining(const std::string& needle) {
    std::vector<std::string> out;
    for (const LogLine& line : recentLogLines(500)) {
        if (line.message.find(needle) != std::string::npos) {
            out.push_back(line.message);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("happy path: enroll, push, pull, verify, ack", "[server_api]") {
    TestServer server("api-happy");
    TestKiosk kiosk = server.enroll("Front desk");
    CHECK(isUuidV4(kiosk.deviceId));
    CHECK(isWellFormedToken(kiosk.token));

    std::vector<protocol::Submission> items = {kiosk.submission(), kiosk.submission(),
                                               kiosk.submission()};
    const auto results = server.push(kiosk, items);
    REQUIRE(results.results.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(results.results[i].id == items[i].id);
        CHECK(results.results[i].status == protocol::ItemStatus::Stored);
        CHECK(results.results[i].error.empty());
    }

    const std::string coordinator = server.coordinatorToken();
    auto page = server.pull(coordinator);
    REQUIRE(page.submissions.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& pulled = page.submissions[i];
        CHECK(pulled.submission.id == items[i].id);
        CHECK(pulled.submission.sealed == items[i].sealed);
        CHECK(pulled.deviceId == kiosk.deviceId);
        CHECK(pulled.deviceName == "Front desk");
        CHECK(protocol::verifySubmission(pulled.submission, pulled.signingPublicKey));
        CHECK(parseIsoUtc(pulled.receivedAt).has_value());
    }
    CHECK_FALSE(page.hasMore);

    auto client = server.client();
    protocol::AckRequest ack;
    ack.ids = {items[0].id, items[1].id, items[2].id};
    auto acked = client.Post("/v1/submissions/ack", bearer(coordinator), protocol::toJson(ack),
                             "application/json");
    REQUIRE(statusOf(acked) == 200);
    const auto ackBody = nlohmann::json::parse(acked->body);
    CHECK(ackBody["acked"] == 3);
    CHECK(ackBody["already_acked"] == 0);
    CHECK(ackBody["unknown_ids"].empty());

    // Paging from the last cursor finds nothing new.
    const auto next = server.pull(coordinator, page.nextCursor);
    CHECK(next.submissions.empty());
    CHECK(next.nextCursor == page.nextCursor);

    // The fleet view shows the kiosk.
    auto devices = client.Get("/v1/devices", bearer(coordinator));
    REQUIRE(statusOf(devices) == 200);
    const auto list = protocol::parseDeviceList(devices->body);
    REQUIRE(list.devices.size() == 1);
    CHECK(list.devices[0].deviceId == kiosk.deviceId);
    CHECK(list.devices[0].venue == "Harpurhey Library");
    CHECK_FALSE(list.devices[0].revoked);
    CHECK_FALSE(list.devices[0].lastSeenAt.empty());
}

TEST_CASE("issue 9: the generation travels on pages, pushes and heartbeats, a stale one restarts",
          "[server_api]") {
    TestServer server("api-generation");
    TestKiosk kiosk = server.enroll();
    const std::string generation = server.store().generation();
    auto client = server.client();
    auto pushed =
        client.Post("/v1/submissions", bearer(kiosk.token),
                    test::batchJson({kiosk.submission(), kiosk.submission(), kiosk.submission()}),
                    "application/json");
    REQUIRE(statusOf(pushed) == 200);
    CHECK(pushed->get_header_value(protocol::kGenerationHeader) == generation);
    auto beat = client.Post("/v1/devices/heartbeat", bearer(kiosk.token),
                            protocol::toJson(protocol::Heartbeat{}), "application/json");
    REQUIRE(statusOf(beat) == 204);
    CHECK(beat->get_header_value(protocol::kGenerationHeader) == generation);

    const std::string coordinator = server.coordinatorToken();
    const auto get = [&](const std::string& after) {
        auto result = client.Get(("/v1/submissions?after=" + after).c_str(), bearer(coordinator));
        REQUIRE(result);
        return std::make_pair(result->status, result->body);
    };
    // A cursor of this generation pages on; a bare cursor is read as this generation.
    const auto [status, body] = get(generation + ":1");
    REQUIRE(status == 200);
    const auto page = protocol::parseSubmissionPage(body);
    CHECK(page.generation == generation);
    CHECK_FALSE(page.restarted);
    CHECK(page.submissions.size() == 2);
    CHECK(protocol::parseSubmissionPage(get("1").second).submissions.size() == 2);
    // A cursor of another generation (the database was restored since) starts from the start.
    const auto stale = protocol::parseSubmissionPage(get("00ff00ff00ff00ff:3").second);
    CHECK(stale.restarted);
    CHECK(stale.generation == generation);
    CHECK(stale.submissions.size() == 3);
    for (const char* bad : {"x:1", "abc:", ":5", "ABC:1", "abc:-1", "abc:1:2",
                            "0123456789abcdef0123456789abcdef0:1"}) {
        INFO(bad);
        const auto [code, error] = get(bad);
        CHECK(code == 400);
        CHECK(error.find("after") != std::string::npos);
    }
}

TEST_CASE("a blind re-push is answered duplicate and stored once", "[server_api]") {
    TestServer server("api-duplicate");
    TestKiosk kiosk = server.enroll();
    std::vector<protocol::Submission> items = {kiosk.submission(), kiosk.submission()};
    CHECK(server.push(kiosk, items).results[0].status == protocol::ItemStatus::Stored);
    const auto again = server.push(kiosk, items);
    CHECK(again.results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(again.results[1].status == protocol::ItemStatus::Duplicate);
    // A re-enrolled kiosk (new key, so a new signature) re-pushing the same content: duplicate.
    TestKiosk reenrolled = server.enroll();
    protocol::Submission resigned = items[0];
    reenrolled.key.sign(resigned);
    CHECK(server.push(reenrolled, {resigned}).results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(server.pull(server.coordinatorToken()).submissions.size() == 2);
    CHECK(server.runtime().api().metrics().counter("signpost_submissions_total", "result",
                                                   "duplicate") == 3);
}

TEST_CASE("same id with different content is rejected as a conflict and logged without content",
          "[server_api]") {
    TestServer server("api-conflict");
    TestKiosk kiosk = server.enroll();
    protocol::Submission original = kiosk.submission();
    server.push(kiosk, {original});
    protocol::Submission changed = original;
    changed.sealed[0] ^= 0xFF;
    kiosk.key.sign(changed);
    protocol::Submission fresh = kiosk.submission();
    const auto results = server.push(kiosk, {changed, fresh});
    CHECK(results.results[0].status == protocol::ItemStatus::Rejected);
    CHECK(results.results[0].error == "conflict");
    CHECK(results.results[1].status ==
          protocol::ItemStatus::Stored);  // the rest of the batch goes in
    const auto page = server.pull(server.coordinatorToken());
    REQUIRE(page.submissions.size() == 2);
    CHECK(page.submissions[0].submission.sealed == original.sealed);  // the first version stands
    const auto lines = logLinesContaining("conflict: submission " + original.id);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find(toBase64(changed.sealed).substr(0, 16)) == std::string::npos);
}

TEST_CASE("bad signatures are rejected per item", "[server_api]") {
    TestServer server("api-signature");
    TestKiosk kiosk = server.enroll();
    TestKiosk stranger;  // a key the server never registered
    protocol::Submission forged = stranger.submission();
    protocol::Submission tampered = kiosk.submission();
    tampered.neighbourhood = "Moss Side";  // changed after signing
    protocol::Submission good = kiosk.submission();
    const auto results = server.push(kiosk, {forged, tampered, good});
    CHECK(results.results[0].status == protocol::ItemStatus::Rejected);
    CHECK(results.results[0].error == "bad_signature");
    CHECK(results.results[1].status == protocol::ItemStatus::Rejected);
    CHECK(results.results[1].error == "bad_signature");
    CHECK(results.results[2].status == protocol::ItemStatus::Stored);
    CHECK(server.pull(server.coordinatorToken()).submissions.size() == 1);
    CHECK(server.runtime().api().metrics().counter("signpost_submission_rejections_total", "reason",
                                                   "bad_signature") == 2);
}

TEST_CASE("a revoked device gets 401 and can no longer push", "[server_api]") {
    TestServer server("api-revoked");
    TestKiosk kiosk = server.enroll();
    server.push(kiosk, {kiosk.submission()});
    REQUIRE(server.store().revokeDevice(kiosk.deviceId, std::chrono::system_clock::now()));
    auto result = server.client().Post("/v1/submissions", bearer(kiosk.token),
                                       test::batchJson({kiosk.submission()}), "application/json");
    CHECK(statusOf(result) == 401);
    CHECK(errorCode(result) == "unauthorized");
    CHECK(errorMessage(result) == "this device has been revoked; enroll it again");
    CHECK(result->get_header_value("WWW-Authenticate").find("invalid_token") != std::string::npos);
    // What it sent before revocation is still there for the coordinators.
    CHECK(server.pull(server.coordinatorToken()).submissions.size() == 1);
}

TEST_CASE("the role matrix: every endpoint by every kind of caller", "[server_api]") {
    TestServer server("api-roles");
    TestKiosk device = server.enroll("Active");
    TestKiosk revoked = server.enroll("Revoked");
    REQUIRE(server.store().revokeDevice(revoked.deviceId, std::chrono::system_clock::now()));
    test::MatrixCredentials who;
    who.device = &device;
    who.coordinator = server.coordinatorToken("alice");
    who.revokedDevice = &revoked;
    who.revokedCoordinator = server.coordinatorToken("bob");
    REQUIRE(server.store().revokeCoordinatorToken("bob", std::chrono::system_clock::now()));
    who.freshEnrollmentCode = [&] { return server.enrollmentCode(); };
    auto client = server.client();
    test::checkRoleMatrix(client, who);
}

TEST_CASE("with metrics_public = false, /metrics needs a coordinator", "[server_api]") {
    TestServer server("api-roles-metrics", [](ServerConfig& c) { c.metricsPublic = false; });
    TestKiosk device = server.enroll();
    TestKiosk revoked = server.enroll();
    server.store().revokeDevice(revoked.deviceId, std::chrono::system_clock::now());
    test::MatrixCredentials who;
    who.device = &device;
    who.coordinator = server.coordinatorToken("alice");
    who.revokedDevice = &revoked;
    who.revokedCoordinator = server.coordinatorToken("bob");
    server.store().revokeCoordinatorToken("bob", std::chrono::system_clock::now());
    who.freshEnrollmentCode = [&] { return server.enrollmentCode(); };
    auto client = server.client();
    test::checkRoleMatrix(client, who, false);
}

TEST_CASE("400 names the offending field", "[server_api]") {
    TestServer server("api-400");
    TestKiosk kiosk = server.enroll();
    const std::string coordinator = server.coordinatorToken();
    auto client = server.client();
    struct Case {
        std::string what;
        std::function<httplib::Result()> call;
        std::string code;
        std::string message;
    };
    auto push = [&](const std::string& body) {
        return client.Post("/v1/submissions", bearer(kiosk.token), body, "application/json");
    };
    nlohmann::json missingSeq =
        nlohmann::json::parse(test::batchJson({kiosk.submission(), kiosk.submission()}));
    missingSeq["submissions"][1].erase("seq");
    nlohmann::json badSealed = nlohmann::json::parse(test::batchJson({kiosk.submission()}));
    badSealed["submissions"][0]["sealed"] = "not base64!";
    const TestKiosk other;
    nlohmann::json shortKey =
        nlohmann::json::parse(enrollBody(client, server.enrollmentCode(), other));
    shortKey["signing_public_key"] = toBase64(std::vector<std::uint8_t>(31, 1));

    const std::vector<Case> cases = {
        {"not JSON", [&] { return push("{\"submissions\": ["); }, "invalid_json",
         "the body is not valid JSON"},
        {"missing seq", [&] { return push(missingSeq.dump()); }, "invalid_field",
         "submissions[1].seq: required field is missing"},
        {"bad base64", [&] { return push(badSealed.dump()); }, "invalid_field",
         "submissions[0].sealed: is not valid base64"},
        {"empty batch", [&] { return push(R"({"submissions":[]})"); }, "invalid_field",
         "submissions: must hold at least one submission"},
        {"since", [&] { return client.Get("/v1/directory?since=abc", bearer(kiosk.token)); },
         "invalid_field", "since: expected a whole number, 0 or more"},
        {"negative after",
         [&] { return client.Get("/v1/submissions?after=-1", bearer(coordinator)); },
         "invalid_field", "after: expected a cursor: a whole number, 0 or more"},
        {"limit", [&] { return client.Get("/v1/submissions?limit=0", bearer(coordinator)); },
         "invalid_field", "limit: expected a whole number from 1 to 1000"},
        {"ack id",
         [&] {
             return client.Post("/v1/submissions/ack", bearer(coordinator), R"({"ids":["x"]})",
                                "application/json");
         },
         "invalid_field", "ids[0]: must be a submission id (UUIDv4)"},
        {"heartbeat",
         [&] {
             return client.Post("/v1/devices/heartbeat", bearer(kiosk.token), R"({"queue":{}})",
                                "application/json");
         },
         "invalid_field", "app_version: required field is missing"},
        {"enroll key",
         [&] { return client.Post("/v1/devices/enroll", shortKey.dump(), "application/json"); },
         "invalid_field", "signing_public_key: must be 32 bytes"},
        {"enroll code format",
         [&] {
             return client.Post("/v1/devices/enroll", enrollBody(client, "12-34", other),
                                "application/json");
         },
         "invalid_field", "enrollment_code: expected 12 letters and digits, like 7KQ3-M9XD-2F8H"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        auto result = c.call();
        CHECK(statusOf(result) == 400);
        CHECK(errorCode(result) == c.code);
        CHECK(errorMessage(result) == c.message);
    }
}

TEST_CASE("server limits: batch cap, sealed cap", "[server_api]") {
    TestServer server("api-limits", [](ServerConfig& c) {
        c.maxBatchItems = 3;
        c.maxSealedBytes = 100;
    });
    TestKiosk kiosk = server.enroll();
    std::vector<protocol::Submission> four;
    for (int i = 0; i < 4; ++i) {
        four.push_back(kiosk.submission());
    }
    auto result = server.client().Post("/v1/submissions", bearer(kiosk.token),
                                       test::batchJson(four), "application/json");
    CHECK(statusOf(result) == 400);
    CHECK(errorMessage(result) ==
          "submissions: holds 4 submissions; this server takes at most 3 per request");

    protocol::Submission small = kiosk.submission();
    small.sealed.resize(60);
    kiosk.key.sign(small);
    protocol::Submission big = kiosk.submission();  // 200 bytes sealed
    const auto results = server.push(kiosk, {small, big});
    CHECK(results.results[0].status == protocol::ItemStatus::Stored);
    CHECK(results.results[1].status == protocol::ItemStatus::Rejected);
    CHECK(results.results[1].error == "invalid: sealed is larger than 100 bytes");
}

TEST_CASE("413 over the body cap, decided from Content-Length before the body is read",
          "[server_api]") {
    TestServer server("api-413", [](ServerConfig& c) { c.maxBodyBytes = 4096; });
    TestKiosk kiosk = server.enroll();
    auto client = server.client();
    client.set_keep_alive(true);
    const std::string big(5000, 'x');
    auto result = client.Post("/v1/submissions", bearer(kiosk.token), big, "application/json");
    CHECK(statusOf(result) == 413);
    CHECK(errorCode(result) == "too_large");
    CHECK(errorMessage(result) == "the request body is larger than 4096 bytes");
    // The same connection still works afterwards.
    CHECK(statusOf(client.Get("/v1/probe")) == 204);

    // With Expect: 100-continue (libcurl does this for big bodies) the answer comes before any
    // body byte is sent: here no body is ever sent, yet the 413 arrives at once.
    const std::string response = test::rawExchange(
        server.port(), "POST /v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           kiosk.token +
                           "\r\nContent-Type: application/json\r\nContent-Length: "
                           "1000000000\r\nExpect: 100-continue\r\n\r\n");
    CHECK(test::responseStatus(response) == 413);
    CHECK(response.find("\"too_large\"") != std::string::npos);
    // A body within the cap with Expect gets 100 Continue first, once the token checked out.
    const std::string ok = test::rawExchange(server.port(),
                                             "POST /v1/submissions HTTP/1.1\r\nHost: "
                                             "x\r\nAuthorization: Bearer " +
                                                 kiosk.token +
                                                 "\r\nContent-Length: 10\r\nExpect: "
                                                 "100-continue\r\n\r\n",
                                             300ms);
    CHECK(ok.rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
    // Without a token the answer is 401, before any body byte is asked for.
    const std::string anonymous = test::rawExchange(
        server.port(),
        "POST /v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: "
        "100-continue\r\n\r\n",
        300ms);
    CHECK(test::responseStatus(anonymous) == 401);
}

TEST_CASE("chunked bodies count against the route's limit, compressed bodies are refused",
          "[server_api]") {
    TestServer server("api-chunked");
    TestKiosk kiosk = server.enroll();
    // Chunked (in any spelling) is read and parsed like any body.
    protocol::Heartbeat heartbeat;
    heartbeat.appVersion = "0.1.0";
    const std::string beat = protocol::toJson(heartbeat);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", beat.size());
    const std::string chunked = test::rawExchange(
        server.port(), "POST /v1/devices/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           kiosk.token +
                           "\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" + size +
                           "\r\n" + beat + "\r\n0\r\n\r\n");
    CHECK(test::responseStatus(chunked) == 204);
    // Past the route's limit (16 KB for a heartbeat) it is a 413, however it is framed.
    std::string big = "POST /v1/devices/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                      kiosk.token + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    for (int i = 0; i < 5; ++i) {
        big += "1000\r\n" + std::string(0x1000, ' ') + "\r\n";
    }
    big += "0\r\n\r\n";
    const std::string tooBig = test::rawExchange(server.port(), big);
    CHECK(test::responseStatus(tooBig) == 413);
    CHECK(tooBig.find("\"too_large\"") != std::string::npos);
    // Any other transfer coding, or one beside Content-Length, is refused before the body.
    const std::string gzipCoding =
        test::rawExchange(server.port(),
                          "POST /v1/devices/enroll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, "
                          "chunked\r\nConnection: close\r\n\r\n");
    CHECK(test::responseStatus(gzipCoding) == 400);
    const std::string both =
        test::rawExchange(server.port(),
                          "POST /v1/devices/enroll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                          "chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n");
    CHECK(test::responseStatus(both) == 400);
    const std::string gzipped =
        test::rawExchange(server.port(),
                          "POST /v1/submissions HTTP/1.1\r\nHost: "
                          "x\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n"
                          "Connection: close\r\n\r\nab");
    CHECK(test::responseStatus(gzipped) == 415);
    CHECK(gzipped.find("\"unsupported_encoding\"") != std::string::npos);
}

TEST_CASE("404 and 405 carry error bodies", "[server_api]") {
    TestServer server("api-404");
    auto client = server.client();
    auto missing = client.Get("/v2/anything");
    CHECK(statusOf(missing) == 404);
    CHECK(errorCode(missing) == "not_found");
    auto wrongMethod = client.Delete("/v1/submissions");
    CHECK(statusOf(wrongMethod) == 405);
    CHECK(errorCode(wrongMethod) == "method_not_allowed");
    CHECK(wrongMethod->get_header_value("Allow") == "POST, GET, HEAD");
    auto probe = client.Post("/v1/probe", "", "text/plain");
    CHECK(statusOf(probe) == 405);
}

TEST_CASE("enrollment: expired and reused codes, the lost-response retry", "[server_api]") {
    TestServer server("api-enroll");
    auto client = server.client();
    TestKiosk first, second;

    const std::string expired = server.enrollmentCode("Harpurhey Library", -1s);
    auto result =
        client.Post("/v1/devices/enroll", enrollBody(client, expired, first), "application/json");
    CHECK(statusOf(result) == 401);
    CHECK(errorMessage(result) == "the enrollment code has expired; ask for a new one");

    auto unknown = client.Post("/v1/devices/enroll", enrollBody(client, "AAAA-BBBB-CCCC", first),
                               "application/json");
    CHECK(statusOf(unknown) == 401);
    CHECK(errorMessage(unknown) == "the enrollment code is not valid");

    const std::string code = server.enrollmentCode();
    // Typed loosely on an on-screen keyboard: lower case, spaces, O for 0.
    std::string typed = code;
    for (char& c : typed) {
        c = c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    result =
        client.Post("/v1/devices/enroll", enrollBody(client, typed, first), "application/json");
    REQUIRE(statusOf(result) == 201);
    const auto enrolled = protocol::parseEnrollResponse(result->body);

    auto reused =
        client.Post("/v1/devices/enroll", enrollBody(client, code, second), "application/json");
    CHECK(statusOf(reused) == 401);
    CHECK(errorMessage(reused) == "the enrollment code was already used; ask for a new one");

    // The first kiosk never saw its answer and retries: same device, a new token.
    auto retry =
        client.Post("/v1/devices/enroll", enrollBody(client, code, first), "application/json");
    REQUIRE(statusOf(retry) == 201);
    const auto reissued = protocol::parseEnrollResponse(retry->body);
    CHECK(reissued.deviceId == enrolled.deviceId);
    CHECK(reissued.deviceToken != enrolled.deviceToken);
    first.deviceId = reissued.deviceId;
    first.token = reissued.deviceToken;
    CHECK(server.push(first, {first.submission()}).results[0].status ==
          protocol::ItemStatus::Stored);
    TestKiosk stale = first;
    stale.token = enrolled.deviceToken;
    CHECK(statusOf(server.client().Get("/v1/directory", bearer(stale.token))) == 401);
    CHECK(server.store().listDevices().size() == 1);
    auto& metrics = server.runtime().api().metrics();
    CHECK(metrics.counter("signpost_enrollments_total", "result", "enrolled") == 1);
    CHECK(metrics.counter("signpost_enrollments_total", "result", "reissued") == 1);
    CHECK(metrics.counter("signpost_enrollments_total", "result", "used_code") == 1);
}

TEST_CASE("429 with Retry-After: failed enrollments per address, and a good code still enrolls",
          "[server_api]") {
    TestServer server("api-429-enroll", [](ServerConfig& c) {
        c.enrollBurst = 2;
        c.enrollPerHour = 4;
    });
    auto client = server.client();
    TestKiosk kiosk;
    for (int i = 0; i < 2; ++i) {
        auto result = client.Post("/v1/devices/enroll", enrollBody(client, "AAAA-BBBB-CCCC", kiosk),
                                  "application/json");
        CHECK(statusOf(result) == 401);
    }
    // Two failures used the address's burst: the next failure is a 429, whatever its reason.
    auto limited = client.Post("/v1/devices/enroll", enrollBody(client, "AAAA-BBBB-DDDD", kiosk),
                               "application/json");
    REQUIRE(statusOf(limited) == 429);
    CHECK(errorCode(limited) == "rate_limited");
    const int retryAfter = std::stoi(limited->get_header_value("Retry-After"));
    CHECK(retryAfter >= 1);
    CHECK(retryAfter <= 900);  // 4 an hour: one every 15 minutes
    auto malformed = client.Post("/v1/devices/enroll", "{", "application/json");
    CHECK(statusOf(malformed) == 429);
    CHECK(server.runtime().api().metrics().counter("signpost_rate_limited_total", "limit",
                                                   "enroll") == 2);
    // Successes never count, and a good code with a good signature is not locked out by the
    // failures of others at the same address (a venue's NAT).
    auto good = client.Post("/v1/devices/enroll",
                            enrollBody(client, server.enrollmentCode(), kiosk), "application/json");
    CHECK(statusOf(good) == 201);
    TestKiosk second;
    auto alsoGood =
        client.Post("/v1/devices/enroll", enrollBody(client, server.enrollmentCode(), second),
                    "application/json");
    CHECK(statusOf(alsoGood) == 201);
}

TEST_CASE("429 with Retry-After: repeated bad tokens, good tokens still pass", "[server_api]") {
    TestServer server("api-429-token", [](ServerConfig& c) {
        c.badTokenBurst = 3;
        c.badTokenPerHour = 60;
    });
    TestKiosk kiosk = server.enroll();
    auto client = server.client();
    const std::string bogus = generateToken();
    for (int i = 0; i < 3; ++i) {
        CHECK(statusOf(client.Get("/v1/directory", bearer(bogus))) == 401);
    }
    auto limited = client.Get("/v1/directory", bearer(bogus));
    REQUIRE(statusOf(limited) == 429);
    CHECK(errorCode(limited) == "rate_limited");
    const int retryAfter = std::stoi(limited->get_header_value("Retry-After"));
    CHECK(retryAfter >= 1);
    CHECK(retryAfter <= 60);
    // A kiosk on the same network address is not locked out.
    CHECK(statusOf(client.Get("/v1/directory", bearer(kiosk.token))) == 200);
    // The scheme is case-insensitive.
    CHECK(statusOf(client.Get("/v1/directory", {{"Authorization", "bearer " + kiosk.token}})) ==
          200);
    // A request with no token at all is a plain 401, not counted.
    CHECK(statusOf(client.Get("/v1/directory")) == 401);
}

TEST_CASE("device clocks at 1970 and 2099 are accepted and ordered by the server cursor",
          "[server_api]") {
    TestServer server("api-clocks");
    TestKiosk kiosk = server.enroll();
    const auto before = std::chrono::system_clock::now() - 1s;
    protocol::Submission future = kiosk.submission("2099-12-31T23:59:59Z");
    protocol::Submission past = kiosk.submission("1970-01-01T00:00:00Z");
    protocol::Submission now = kiosk.submission("2026-11-23T14:03:07Z");
    server.push(kiosk, {future});
    server.push(kiosk, {past, now});
    const auto page = server.pull(server.coordinatorToken());
    REQUIRE(page.submissions.size() == 3);
    CHECK(page.submissions[0].submission.id == future.id);
    CHECK(page.submissions[1].submission.id == past.id);
    CHECK(page.submissions[2].submission.id == now.id);
    CHECK(page.submissions[0].submission.createdAt == "2099-12-31T23:59:59Z");
    CHECK(page.submissions[1].submission.createdAt == "1970-01-01T00:00:00Z");
    for (const auto& p : page.submissions) {
        const auto received = parseIsoUtc(p.receivedAt);
        REQUIRE(received);
        CHECK(*received >= before);  // the server's clock, not the device's
        CHECK(*received <= std::chrono::system_clock::now() + 1s);
    }
    CHECK(page.submissions[0].cursor < page.submissions[1].cursor);
    CHECK(page.submissions[1].cursor < page.submissions[2].cursor);
}

TEST_CASE("acked submissions are purged after the retention by the periodic task", "[server_api]") {
    TestServer server("api-purge", [](ServerConfig& c) {
        c.ackedRetention = 1s;
        c.purgeInterval = 1s;
    });
    TestKiosk kiosk = server.enroll();
    protocol::Submission acked = kiosk.submission();
    protocol::Submission pending = kiosk.submission();
    server.push(kiosk, {acked, pending});
    const std::string coordinator = server.coordinatorToken();
    auto client = server.client();
    protocol::AckRequest ack;
    ack.ids = {acked.id};
    REQUIRE(statusOf(client.Post("/v1/submissions/ack", bearer(coordinator), protocol::toJson(ack),
                                 "application/json")) == 200);
    // Waiting on an outcome, not timing: the purge runs every second and needs the ack to be
    // more than a second old.
    const bool purged = test::waitUntil(
        [&] { return server.pull(coordinator).submissions.size() == 1; }, 15s, 100ms);
    REQUIRE(purged);
    const auto page = server.pull(coordinator);
    CHECK(page.submissions[0].submission.id == pending.id);  // never purged while unacked
    // The kiosk re-pushing the purged one (say it never saw its answer) is told duplicate.
    CHECK(server.push(kiosk, {acked}).results[0].status == protocol::ItemStatus::Duplicate);
    CHECK(server.pull(coordinator).submissions.size() == 1);
}

TEST_CASE("runMaintenance purges by the configured retention", "[server_api]") {
    TestServer server("api-purge-now",
                      [](ServerConfig& c) { c.ackedRetention = std::chrono::hours(24 * 30); });
    TestKiosk kiosk = server.enroll();
    protocol::Submission s = kiosk.submission();
    server.push(kiosk, {s});
    server.store().ackSubmissions({s.id}, std::chrono::system_clock::now());
    const auto now = std::chrono::system_clock::now();
    CHECK(server.runtime().runMaintenance(now + std::chrono::hours(24 * 29)) == 0);
    CHECK(server.runtime().runMaintenance(now + std::chrono::hours(24 * 31)) == 1);
}

TEST_CASE("heartbeats show in the fleet list", "[server_api]") {
    TestServer server("api-heartbeat");
    TestKiosk kiosk = server.enroll("Lobby");
    protocol::Heartbeat beat;
    beat.appVersion = "0.1.0";
    beat.queued = 4;
    beat.sent = 120;
    beat.rejected = 1;
    beat.lastSyncAt = "2026-11-23T14:00:00Z";
    beat.lastError = "captive_portal";
    beat.freeDiskBytes = 123456789;
    beat.directoryVersion = 7;
    auto client = server.client();
    auto result = client.Post("/v1/devices/heartbeat", bearer(kiosk.token), protocol::toJson(beat),
                              "application/json");
    REQUIRE(statusOf(result) == 204);
    CHECK(result->body.empty());
    const auto list = protocol::parseDeviceList(
        client.Get("/v1/devices", bearer(server.coordinatorToken()))->body);
    REQUIRE(list.devices.size() == 1);
    const auto& shown = list.devices[0].lastHeartbeat;
    CHECK(shown.appVersion == "0.1.0");
    CHECK(shown.queued == 4);
    CHECK(shown.sent == 120);
    CHECK(shown.rejected == 1);
    CHECK(shown.lastError == "captive_portal");
    CHECK(shown.freeDiskBytes == 123456789);
    CHECK(shown.directoryVersion == 7);
    CHECK(list.devices[0].name == "Lobby");
}

TEST_CASE("last seen is written from any device request", "[server_api]") {
    TestServer server("api-last-seen");
    TestKiosk kiosk = server.enroll();
    REQUIRE(server.store().findDevice(kiosk.deviceId)->lastSeenAt.empty());
    CHECK(statusOf(server.client().Get("/v1/directory", bearer(kiosk.token))) == 200);
    server.runtime().api().flushDeviceActivity();
    CHECK_FALSE(server.store().findDevice(kiosk.deviceId)->lastSeenAt.empty());
    CHECK(server.runtime().api().metrics().devicesSeen() == 1);
}

TEST_CASE("directory: full snapshot, delta, ETag/304, unknown and too-old since, gzip",
          "[server_api]") {
    TestServer server("api-directory", [](ServerConfig& c) { c.directoryHistory = 2; });
    TestKiosk kiosk = server.enroll();

    // Nothing published yet: version 0, an empty (not full) answer — a kiosk keeps its bundle.
    auto empty = getDirectory(server, kiosk, 0);
    REQUIRE(statusOf(empty) == 200);
    auto update = protocol::parseDirectoryUpdate(empty->body);
    CHECK(update.version == 0);
    CHECK_FALSE(update.full);
    CHECK(update.directoryJson.empty());

    DirectoryData v1 = test::sampleDirectory(20, "2026-11-01");
    publish(server, v1);
    auto full = getDirectory(server, kiosk, 0);
    REQUIRE(statusOf(full) == 200);
    CHECK(full->get_header_value("Content-Type") == "application/json");
    CHECK(full->get_header_value("Content-Encoding").empty());
    update = protocol::parseDirectoryUpdate(full->body);
    CHECK(update.version == 1);
    CHECK(update.full);
    const DirectoryData snapshot = parseHsdsJson(update.directoryJson);
    CHECK(snapshot.services.size() == 20);
    CHECK(snapshot.version == "2026-11-01");
    const std::string etag1 = full->get_header_value("ETag");
    CHECK(std::regex_match(etag1, std::regex("\"1-[0-9a-f]{16}\"")));

    // Up to date: 304 with no body, plain or weak ETag.
    auto notModified = getDirectory(server, kiosk, 1, {{"If-None-Match", etag1}});
    CHECK(statusOf(notModified) == 304);
    CHECK(notModified->body.empty());
    CHECK(notModified->get_header_value("ETag") == etag1);
    CHECK(statusOf(getDirectory(server, kiosk, 1, {{"If-None-Match", "W/" + etag1 + ", \"x\""}})) ==
          304);

    // v2: one service changed and one removed.
    DirectoryData v2 = v1;
    v2.version = "2026-11-08";
    v2.services[4].phones[0].number = "0161 496 0999";
    v2.services.pop_back();  // svc-0020
    publish(server, v2);
    auto stale = getDirectory(server, kiosk, 1, {{"If-None-Match", etag1}});
    REQUIRE(statusOf(stale) == 200);  // the old ETag no longer matches
    update = protocol::parseDirectoryUpdate(stale->body);
    CHECK(update.version == 2);
    CHECK(update.since == 1);
    CHECK_FALSE(update.full);
    CHECK(update.deletedServiceIds == std::vector<std::string>{"svc-0020"});
    const DirectoryData delta = parseHsdsJson(update.directoryJson);  // importable on its own
    REQUIRE(delta.services.size() == 1);
    CHECK(delta.services[0].id == "svc-0005");
    CHECK(delta.services[0].phones[0].number == "0161 496 0999");
    CHECK(delta.organisations.size() == 1);
    CHECK(delta.locations.size() == 1);
    CHECK(delta.version == "2026-11-08");
    CHECK(stale->body.size() < 2048);
    const std::string etag2 = stale->get_header_value("ETag");
    CHECK(etag2 != etag1);

    // gzip when asked, identical once inflated.
    auto gzipped = getDirectory(server, kiosk, 1, {{"Accept-Encoding", "gzip, deflate, br"}});
    REQUIRE(statusOf(gzipped) == 200);
    CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
    CHECK(gzipped->get_header_value("Vary") == "Accept-Encoding");
    CHECK(gzipped->get_header_value("ETag") == etag2);
    const auto inflated = gzipDecompress(gzipped->body);
    REQUIRE(inflated);
    CHECK(*inflated == stale->body);
    CHECK(gzipped->body.size() < stale->body.size());
    auto fullGzip = getDirectory(server, kiosk, 0, {{"Accept-Encoding", "gzip"}});
    REQUIRE(statusOf(fullGzip) == 200);
    CHECK(fullGzip->body.size() * 3 < getDirectory(server, kiosk, 0)->body.size());
    // "gzip;q=0" is a refusal.
    CHECK(getDirectory(server, kiosk, 1, {{"Accept-Encoding", "gzip;q=0"}})
              ->get_header_value("Content-Encoding")
              .empty());

    // since newer than current, or unknown: a full snapshot.
    for (std::int64_t since : {3, 1000}) {
        auto result = getDirectory(server, kiosk, since);
        REQUIRE(statusOf(result) == 200);
        update = protocol::parseDirectoryUpdate(result->body);
        CHECK(update.full);
        CHECK(update.since == since);
        CHECK(parseHsdsJson(update.directoryJson).services.size() == 19);
    }
    // Too old for the retained history (2 versions): after v4, a kiosk at v1 gets everything.
    DirectoryData v3 = v2;
    v3.services[0].name = "Renamed once";
    publish(server, v3);
    DirectoryData v4 = v3;
    v4.services[0].name = "Renamed twice";
    publish(server, v4);
    update = protocol::parseDirectoryUpdate(getDirectory(server, kiosk, 1)->body);
    CHECK(update.version == 4);
    CHECK(update.full);
    update = protocol::parseDirectoryUpdate(getDirectory(server, kiosk, 2)->body);
    CHECK_FALSE(update.full);
    CHECK(parseHsdsJson(update.directoryJson).services.size() == 1);
    // Repeated requests are served from the cache.
    CHECK(server.runtime().api().metrics().requestCount("GET", "/v1/directory", 200) >= 10);
}

TEST_CASE("probe, health and metrics", "[server_api]") {
    TestServer server("api-ops");
    TestKiosk kiosk = server.enroll();
    server.push(kiosk, {kiosk.submission(), kiosk.submission()});
    auto client = server.client();

    auto probe = client.Get("/v1/probe");
    REQUIRE(statusOf(probe) == 204);
    CHECK(probe->body.empty());
    // A 204 carries no Content-Length at all (RFC 9110 §8.6) and no body.
    CHECK(
        (!probe->has_header("Content-Length") || probe->get_header_value("Content-Length") == "0"));

    // Counted under their route's template, never the raw path (which could hold anything).
    REQUIRE(statusOf(client.Get("/no/such/route-secret")) == 404);
    REQUIRE(statusOf(client.Get("/services/route-secret")) == 404);

    auto health = client.Get("/healthz");
    REQUIRE(statusOf(health) == 200);
    const auto body = nlohmann::json::parse(health->body);
    CHECK(body["status"] == "ok");
    CHECK(body["version"] == SIGNPOST_VERSION);

    // A request is counted by httplib's logger, which runs after its response was written, so
    // a scrape on another connection can trail the last request by a moment: scrape until every
    // expected line is there (or time runs out and the checks below say which is missing).
    const std::vector<std::string> expectedLines = {
        "signpost_http_requests_total{method=\"POST\",route=\"/v1/"
        "submissions\",status=\"200\"} 1\n",
        "signpost_http_requests_total{method=\"POST\",route=\"/v1/devices/"
        "enroll\",status=\"201\"} 1\n",
        "signpost_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/"
        "submissions\","
        "status=\"200\",le=\"+Inf\"} 1\n",
        "signpost_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/"
        "probe\",status=\"204\"} 1\n",
        "signpost_submissions_total{result=\"stored\"} 2\n",
        "signpost_submissions_total{result=\"duplicate\"} 0\n",
        "signpost_enrollments_total{result=\"enrolled\"} 1\n",
        "signpost_devices_seen 1\n",
        "signpost_submissions_unacked 2\n",
        "signpost_devices_active 1\n",
        "# TYPE signpost_http_request_duration_seconds histogram\n",
        "signpost_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
        "signpost_http_requests_total{method=\"GET\",route=\"/services/{id}\",status=\"404\"} "
        "1\n",
    };
    httplib::Result metrics = client.Get("/metrics");
    const auto hasAll = [&] {
        return statusOf(metrics) == 200 &&
               std::all_of(expectedLines.begin(), expectedLines.end(), [&](const std::string& e) {
                   return metrics->body.find(e) != std::string::npos;
               });
    };
    test::waitUntil(
        [&] {
            if (hasAll()) {
                return true;
            }
            metrics = client.Get("/metrics");
            return false;
        },
        std::chrono::seconds(5));
    REQUIRE(statusOf(metrics) == 200);
    CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    const std::string& text = metrics->body;
    for (const std::string& expected : expectedLines) {
        INFO(expected);
        CHECK(text.find(expected) != std::string::npos);
    }
    CHECK(text.find("route-secret") == std::string::npos);
    // Buckets are cumulative and end at the count.
    const std::regex bucket(
        R"(signpost_http_request_duration_seconds_bucket\{method="GET",route="/healthz",status="200",le="[^"]+"\} (\d+))");
    std::vector<int> counts;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), bucket);
         it != std::sregex_iterator(); ++it) {
        counts.push_back(std::stoi((*it)[1]));
    }
    REQUIRE(counts.size() == Metrics::kBuckets.size() + 1);
    CHECK(std::is_sorted(counts.begin(), counts.end()));
    CHECK(counts.back() == 1);
}

TEST_CASE("one log line per request, with no token, body or personal data", "[server_api]") {
    TestServer server("api-logs");
    TestKiosk kiosk = server.enroll("Reception");
    protocol::Submission s = kiosk.submission();
    server.push(kiosk, {s});
    auto client = server.client();
    client.Get(("/v1/directory?since=0&name=" + std::string("Jane%20Doe")).c_str(),
               bearer(kiosk.token));
    // The request line is written by httplib's logger after the response went out: wait for it.
    std::vector<std::string> pushes;
    test::waitUntil(
        [&] {
            pushes.clear();
            for (const std::string& line : logLinesContaining("POST /v1/submissions 200")) {
                if (line.find(kiosk.deviceId) != std::string::npos) {
                    pushes.push_back(line);
                }
            }
            return !pushes.empty() && !logLinesContaining("GET /v1/directory").empty();
        },
        std::chrono::seconds(5));
    REQUIRE(pushes.size() == 1);
    CHECK(std::regex_match(
        pushes[0], std::regex(R"(POST /v1/submissions 200 \d+\.\dms \d+B device=[0-9a-f-]{36})")));
    CHECK(pushes[0].find(kiosk.deviceId) != std::string::npos);
    const std::string sealedText = toBase64(s.sealed);
    for (const LogLine& line : recentLogLines(500)) {
        INFO(line.message);
        CHECK(line.message.find(kiosk.token) == std::string::npos);
        CHECK(line.message.find(sealedText.substr(0, 12)) == std::string::npos);
        CHECK(line.message.find("Jane") == std::string::npos);  // query strings are not logged
        CHECK(line.message.find("since=") == std::string::npos);
    }
}

TEST_CASE("HTTPS with a certificate made by the openssl CLI", "[server_api]") {
    test::TempDir certs("api-tls");
    const auto openssl = test::findInPath("openssl");
    REQUIRE(openssl);  // installer/install-deps.sh installs it
    test::ProcessOptions make;
    make.program = *openssl;
    make.args = {"req",
                 "-x509",
                 "-newkey",
                 "ec",
                 "-pkeyopt",
                 "ec_paramgen_curve:prime256v1",
                 "-nodes",
                 "-keyout",
                 (certs / "key.pem").string(),
                 "-out",
                 (certs / "cert.pem").string(),
                 "-days",
                 "2",
                 "-subj",
                 "/CN=127.0.0.1",
                 "-addext",
                 "subjectAltName=IP:127.0.0.1"};
    make.stderrFile = certs / "openssl.log";
    REQUIRE(test::runProcess(make, 30s).success());

    TestServer server("api-https", [&](ServerConfig& c) {
        c.tlsCertFile = (certs / "cert.pem").string();
        c.tlsKeyFile = (certs / "key.pem").string();
    });
    CHECK(server.runtime().baseUrl().rfind("https://127.0.0.1:", 0) == 0);

    httplib::SSLClient tls("127.0.0.1", server.port());
    tls.set_ca_cert_path((certs / "cert.pem").c_str());
    tls.enable_server_certificate_verification(true);
    auto health = tls.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);

    // The whole flow over TLS.
    TestKiosk kiosk;
    auto enrolled = tls.Post("/v1/devices/enroll", enrollBody(tls, server.enrollmentCode(), kiosk),
                             "application/json");
    REQUIRE(statusOf(enrolled) == 201);
    const auto response = protocol::parseEnrollResponse(enrolled->body);
    kiosk.token = response.deviceToken;
    auto pushed = tls.Post("/v1/submissions", bearer(kiosk.token),
                           test::batchJson({kiosk.submission()}), "application/json");
    REQUIRE(statusOf(pushed) == 200);
    CHECK(protocol::parseSubmissionResults(pushed->body).results[0].status ==
          protocol::ItemStatus::Stored);

    // Plain HTTP to the TLS port gets no HTTP answer.
    auto plain = server.client().Get("/healthz");
    CHECK_FALSE(plain);
    // A client that does not trust the certificate refuses to talk.
    httplib::SSLClient untrusting("127.0.0.1", server.port());
    untrusting.set_ca_cert_path("/dev/null");
    untrusting.enable_server_certificate_verification(true);
    CHECK_FALSE(untrusting.Get("/healthz"));
}

TEST_CASE("plain HTTP on a non-loopback address is refused unless allowed", "[server_api]") {
    test::TempDir dir("api-plain");
    ServerConfig config = test::testServerConfig(dir.path());
    config.listenAddress = "0.0.0.0";
    try {
        ServerRuntime refused(config);
        FAIL("plain HTTP on 0.0.0.0 was accepted");
    } catch (const ConfigError& error) {
        CHECK(error.key() == "server.listen_address");
        CHECK(std::string(error.what()).find("is refused") != std::string::npos);
    }
    config.allowPlainHttp = true;
    ServerRuntime allowed(config);
    allowed.start();
    httplib::Client client("127.0.0.1", allowed.port());
    CHECK(statusOf(client.Get("/v1/probe")) == 204);
    allowed.stop();
}

TEST_CASE("a second server on a port in use fails to start with a clear error", "[server_api]") {
    TestServer first("api-port-1");
    test::TempDir dir("api-port-2");
    ServerConfig config = test::testServerConfig(dir.path());
    config.port = first.port();
    ServerRuntime second(config);
    try {
        second.start();
        FAIL("bound a port already in use");
    } catch (const std::runtime_error& error) {
        CHECK(std::string(error.what())
                  .find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) !=
              std::string::npos);
    }
}

TEST_CASE("storage trouble is a 503 with Retry-After, not a crash", "[server_api]") {
    TestServer server("api-503");
    TestKiosk kiosk = server.enroll();
    // Another process holds the write lock longer than the busy timeout.
    Database blocker((server.runtime().config().databasePath()).string());
    blocker.exec("BEGIN IMMEDIATE");
    auto result = server.client().Post("/v1/submissions", bearer(kiosk.token),
                                       test::batchJson({kiosk.submission()}), "application/json");
    CHECK(statusOf(result) == 503);
    CHECK(errorCode(result) == "unavailable");
    CHECK(result->get_header_value("Retry-After") == "10");
    blocker.exec("ROLLBACK");
    CHECK(server.push(kiosk, {kiosk.submission()}).results[0].status ==
          protocol::ItemStatus::Stored);
}
