// Signpost server under attack (issue #8, findings 4 and 5), against the real signpost-server
// process: rate limits that count only failures, per client (X-Forwarded-For believed only from
// trusted proxies) and per enrollment code; and enrollment that proves possession of the key it
// registers, so a lost 201 is recovered with the same code, only by that key's holder.
#include <catch2/catch.hpp>

#include "support/fault_proxy.h"
#include "support/server_attack_harness.h"
#include "sync/engine/device_identity.h"
#include "sync/net/http_client.h"

using namespace signpost;
using namespace std::chrono_literals;
using test::RawConnection;
using test::ServerProcess;
using test::TestKiosk;

namespace {

// POST /v1/devices/enroll over `client` as a client the proxy names `forwardedFor` ("" = none).
httplib::Result enrollAs(httplib::Client& client, const std::string& forwardedFor,
                         const std::string& body) {
    httplib::Headers headers;
    if (!forwardedFor.empty()) {
        headers.emplace("X-Forwarded-For", forwardedFor);
    }
    return client.Post("/v1/devices/enroll", headers, body, "application/json");
}

protocol::DeviceList fleet(httplib::Client& client, const std::string& coordinator) {
    auto result = client.Get("/v1/devices", test::bearer(coordinator));
    REQUIRE(test::statusOf(result) == 200);
    return protocol::parseDeviceList(result->body);
}

}  // namespace

TEST_CASE("issue 8.4: behind a trusted proxy, one client's failed enrollments limit only it",
          "[server_attack]") {
    test::AttackTarget target("attack-proxy", "trusted_proxies = [\"127.0.0.1\"]\n",
                              "enroll_burst = 2\nenroll_per_hour = 1\n");
    ServerProcess& server = target.server;
    auto proxy = test::httpClient(server);  // connects from 127.0.0.1: the trusted proxy
    const TestKiosk junk;
    const auto junkFrom = [&](const std::string& forwardedFor) {
        return test::statusOf(enrollAs(proxy, forwardedFor,
                                       test::signedEnrollBody(proxy, "AAAA-BBBB-CCCC", junk.key)));
    };
    CHECK(junkFrom("203.0.113.5") == 401);
    CHECK(junkFrom("203.0.113.5") == 401);
    CHECK(junkFrom("203.0.113.5") == 429);
    // Another client behind the same proxy is not affected.
    CHECK(junkFrom("203.0.113.9") == 401);
    // The list is read from the right, where our proxy writes what it saw: whatever a client
    // writes in front of its own address changes nothing, either way.
    CHECK(junkFrom("198.51.100.77, 203.0.113.5") == 429);
    CHECK(junkFrom("203.0.113.5, 198.51.100.78") == 401);
    // A good code with a good signature still enrolls from the limited client: only failures
    // count, and never against the innocent.
    const TestKiosk kiosk;
    auto good = enrollAs(proxy, "203.0.113.5",
                         test::signedEnrollBody(proxy, server.enrollmentCode(), kiosk.key));
    CHECK(test::statusOf(good) == 201);
}

TEST_CASE("issue 8.4: X-Forwarded-For from an untrusted peer is ignored", "[server_attack]") {
    test::AttackTarget target("attack-untrusted", "trusted_proxies = [\"127.0.0.1\"]\n",
                              "enroll_burst = 2\nenroll_per_hour = 1\n");
    ServerProcess& server = target.server;
    auto nonceClient = test::httpClient(server);
    const TestKiosk junk;
    int last = 0;
    for (int i = 0; i < 4; ++i) {
        // From 127.0.0.9, which is not a proxy: each claims to be someone new.
        RawConnection c = RawConnection::open(server.port(), "127.0.0.9");
        const std::string body = test::signedEnrollBody(nonceClient, "AAAA-BBBB-CCCC", junk.key);
        c.send("POST /v1/devices/enroll HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113." +
               std::to_string(100 + i) + "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body);
        last = test::responseStatus(c.readResponse(10s));
    }
    CHECK(last == 429);
}

TEST_CASE("issue 8.4: failures against one code are limited across every address",
          "[server_attack]") {
    test::AttackTarget target("attack-code", "trusted_proxies = [\"127.0.0.1\"]\n",
                              "enroll_burst = 2\nenroll_per_hour = 1\n");
    ServerProcess& server = target.server;
    auto proxy = test::httpClient(server);
    const std::string code = server.enrollmentCode();
    const TestKiosk owner;
    REQUIRE(test::statusOf(enrollAs(proxy, "198.51.100.1",
                                    test::signedEnrollBody(proxy, code, owner.key))) == 201);
    // Others try the used code with their own keys, each from a fresh address.
    for (int i = 0; i < 2; ++i) {
        const TestKiosk other;
        CHECK(test::statusOf(enrollAs(proxy, "198.51.100." + std::to_string(10 + i),
                                      test::signedEnrollBody(proxy, code, other.key))) == 401);
    }
    const TestKiosk third;
    auto limited = enrollAs(proxy, "198.51.100.20", test::signedEnrollBody(proxy, code, third.key));
    CHECK(test::statusOf(limited) == 429);
    CHECK(limited->has_header("Retry-After"));
    // Other codes are not affected.
    const TestKiosk fresh;
    CHECK(test::statusOf(
              enrollAs(proxy, "198.51.100.21",
                       test::signedEnrollBody(proxy, server.enrollmentCode(), fresh.key))) == 201);
}

TEST_CASE("issue 8.5: the same code and public key without the private key re-issue nothing",
          "[server_attack]") {
    test::AttackTarget target("attack-pop");
    ServerProcess& server = target.server;
    auto client = test::httpClient(server);
    const std::string code = server.enrollmentCode();
    TestKiosk kiosk;
    const std::string signedBody = test::signedEnrollBody(client, code, kiosk.key);
    auto enrolled = client.Post("/v1/devices/enroll", signedBody, "application/json");
    REQUIRE(test::statusOf(enrolled) == 201);
    kiosk.token = protocol::parseEnrollResponse(enrolled->body).deviceToken;

    // Someone who read the code off the screen and the public key from anywhere, signing with
    // a key of their own.
    const auto thief = protocol::DeviceSigningKey::generate();
    nlohmann::json forged = nlohmann::json::parse(test::signedEnrollBody(client, code, thief));
    forged["signing_public_key"] = toBase64(kiosk.key.publicKey());
    auto stolen = client.Post("/v1/devices/enroll", forged.dump(), "application/json");
    CHECK(test::statusOf(stolen) == 401);
    CHECK(test::errorMessage(stolen) ==
          "the request is not signed by the key in signing_public_key");
    // Without a signature at all it is not even read as an enrollment.
    forged.erase("signature");
    auto unsigned_ = client.Post("/v1/devices/enroll", forged.dump(), "application/json");
    CHECK(test::statusOf(unsigned_) == 400);
    CHECK(test::errorMessage(unsigned_) == "signature: required field is missing");
    // A copy of the kiosk's own request, replayed, is refused: its nonce was used.
    auto replayed = client.Post("/v1/devices/enroll", signedBody, "application/json");
    CHECK(test::statusOf(replayed) == 401);
    CHECK(test::errorMessage(replayed) == "this nonce was already used; fetch a new one");
    // A nonce this server never made is refused.
    nlohmann::json madeUp = nlohmann::json::parse(signedBody);
    madeUp["nonce"] =
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    CHECK(test::statusOf(client.Post("/v1/devices/enroll", madeUp.dump(), "application/json")) ==
          400);
    // The kiosk's token still works.
    CHECK(test::statusOf(client.Get("/v1/devices/settings", test::bearer(kiosk.token))) == 200);
}

TEST_CASE("issue 8.5: a kiosk whose 201 was lost enrolls again with the same code and key",
          "[server_attack]") {
    test::AttackTarget target("attack-lost-201");
    ServerProcess& server = target.server;
    const std::string coordinator = server.coordinatorToken("coordinators");
    const std::string code = server.enrollmentCode();
    // The 201 is lost on the way back: the server enrolled the kiosk, the kiosk never heard.
    test::FaultProxy relay(server.port());
    relay.setRule({test::Fault::ResetAfterCommit, "/v1/devices/enroll", 1, 30, "POST"});
    const std::filesystem::path kioskDir = target.dir / "kiosk";
    std::filesystem::create_directories(kioskDir);

    HttpClientOptions options;
    options.proxy = "none";
    options.connectTimeout = 5s;
    options.lowSpeedTime = 10s;
    HttpClient http(options);
    sync::EnrollParams params;
    params.serverUrl = relay.url();
    params.enrollmentCode = code;
    params.deviceName = "Lobby kiosk";
    params.venue = "Harpurhey Library";

    const auto lost = sync::enrollDevice(http, params, kioskDir);
    REQUIRE_FALSE(lost);
    CHECK(relay.faultsApplied() == 1);
    REQUIRE(std::filesystem::exists(kioskDir / sync::kPendingSigningKeyFileName));
    const auto pending =
        protocol::DeviceSigningKey::load(kioskDir / sync::kPendingSigningKeyFileName);
    auto client = test::httpClient(server);
    const protocol::DeviceList before = fleet(client, coordinator);
    REQUIRE(before.devices.size() == 1);  // the server enrolled it; the kiosk never heard

    // Staff press "Enroll" again with the same code: the same key proves it is the same kiosk.
    params.serverUrl = server.url();
    const auto again = sync::enrollDevice(http, params, kioskDir);
    INFO((again ? std::string() : again.error().code + ": " + again.error().message));
    REQUIRE(again);
    CHECK(again.value().enrollment.deviceId == before.devices[0].deviceId);
    CHECK(again.value().key->publicKey() == pending.publicKey());
    CHECK_FALSE(std::filesystem::exists(kioskDir / sync::kPendingSigningKeyFileName));
    CHECK(fleet(client, coordinator).devices.size() == 1);
    const auto loaded = sync::loadDeviceIdentity(kioskDir);
    REQUIRE(loaded);
    CHECK(test::statusOf(client.Get("/v1/devices/settings", test::bearer(loaded->token))) == 200);
}
