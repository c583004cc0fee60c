// sync/engine/device_identity.h on its own: the three enrollment files (written 0600, read back
// whole, or "not enrolled" when they do not belong together, or an error when damaged), server
// URLs, and enrollDevice() against a stand-in server whose every answer the test picks — the
// refusals, a captive portal's page, a lost answer retried with the same key, and a data dir it
// cannot write.
#include <catch2/catch.hpp>

#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "support/loopback_server.h"
#include "support/process.h"
#include "support/test_support.h"
#include "sync/engine/device_identity.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

sync::DeviceIdentity sampleIdentity(const std::string& token = "token-one") {
    sync::DeviceIdentity identity;
    identity.enrollment = {"https://sync.example.org", "dev-1", "Kiosk", "Venue",
                           "2026-11-23T10:00:00Z"};
    identity.token = token;
    identity.key =
        std::make_shared<protocol::DeviceSigningKey>(protocol::DeviceSigningKey::generate());
    return identity;
}

HttpClient plainClient() {
    HttpClientOptions options;
    options.proxy = "none";
    options.connectTimeout = 5s;
    return HttpClient(options);
}

// A stand-in enrollment server: hands out a nonce, checks the signature as the real one does,
// and answers POST /v1/devices/enroll with whatever the test sets.
class FakeEnrollServer {
public:
    FakeEnrollServer() {
        m_loopback.server().Get("/v1/devices/enroll/nonce",
                                [this](const httplib::Request&, httplib::Response& res) {
                                    std::lock_guard lock(m_mutex);
                                    res.status = m_nonceStatus;
                                    res.set_content(m_nonceBody, m_nonceType);
                                });
        m_loopback.server().Post(
            "/v1/devices/enroll", [this](const httplib::Request& req, httplib::Response& res) {
                std::lock_guard lock(m_mutex);
                m_requests.push_back(protocol::parseEnrollRequest(req.body));
                m_signaturesValid =
                    m_signaturesValid && protocol::verifyEnrollRequest(m_requests.back());
                res.status = m_status;
                res.set_content(m_body, "application/json");
            });
        m_loopback.start();
    }

    std::string url() const { return m_loopback.url(); }
    void nonceAnswer(int status, std::string body, std::string type = "application/json") {
        std::lock_guard lock(m_mutex);
        m_nonceStatus = status;
        m_nonceBody = std::move(body);
        m_nonceType = std::move(type);
    }
    void enrollAnswer(int status, std::string body) {
        std::lock_guard lock(m_mutex);
        m_status = status;
        m_body = std::move(body);
    }
    std::vector<protocol::EnrollRequest> requests() {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    bool signaturesValid() {
        std::lock_guard lock(m_mutex);
        return m_signaturesValid;
    }

private:
    std::mutex m_mutex;
    int m_nonceStatus = 200;
    std::string m_nonceBody = R"({"nonce":"n-123","expires_in":300})";
    std::string m_nonceType = "application/json";
    int m_status = 201;
    std::string m_body = R"({"device_id":"dev-42","device_token":"tok-42"})";
    std::vector<protocol::EnrollRequest> m_requests;
    bool m_signaturesValid = true;
    test::LoopbackServer m_loopback;  // last: stopped first, before the state its handlers use
};

sync::EnrollParams params(const std::string& url) {
    sync::EnrollParams p;
    p.serverUrl = url + "/";
    p.enrollmentCode = "abcd-efgh-ijkl";
    p.deviceName = "Kiosk 7";
    p.venue = "Harpurhey Library";
    return p;
}

bool fileExists(const std::filesystem::path& file) {
    std::error_code error;
    return std::filesystem::exists(file, error);
}

}  // namespace

TEST_CASE("Server URLs are checked before enrolling", "[device_identity]") {
    CHECK(sync::normaliseServerUrl("https://sync.example.org/").value() ==
          "https://sync.example.org");
    CHECK(sync::normaliseServerUrl(" http://127.0.0.1:8443 ").value() == "http://127.0.0.1:8443");
    CHECK(sync::normaliseServerUrl("https://sync.example.org/base///").value() ==
          "https://sync.example.org/base");
    CHECK_FALSE(sync::normaliseServerUrl("sync.example.org"));
    CHECK_FALSE(sync::normaliseServerUrl("https://"));
    CHECK_FALSE(sync::normaliseServerUrl("https:///path"));
    CHECK_FALSE(sync::normaliseServerUrl("ftp://example.org"));
    CHECK_FALSE(sync::normaliseServerUrl("https://exa mple.org"));
    CHECK_FALSE(sync::normaliseServerUrl("https://example.org/\"><script>"));
    CHECK(sync::normaliseServerUrl("").error().code == "invalid_url");
}

TEST_CASE("an identity saved is read back whole, every file readable by its owner only",
          "[device_identity]") {
    test::TempDir dir("identity-save");
    const sync::DeviceIdentity saved = sampleIdentity();
    sync::saveDeviceIdentity(dir.path(), saved);
    for (const char* name :
         {sync::kSigningKeyFileName, sync::kDeviceTokenFileName, sync::kEnrollmentFileName}) {
        INFO(name);
        CHECK(test::fileMode(dir / name) == 0600);
    }
    const auto loaded = sync::loadDeviceIdentity(dir.path());
    REQUIRE(loaded);
    CHECK(loaded->enrollment.serverUrl == "https://sync.example.org");
    CHECK(loaded->enrollment.deviceId == "dev-1");
    CHECK(loaded->enrollment.deviceName == "Kiosk");
    CHECK(loaded->enrollment.venue == "Venue");
    CHECK(loaded->enrollment.enrolledAt == "2026-11-23T10:00:00Z");
    CHECK(loaded->token == "token-one");
    CHECK(loaded->key->publicKey() == saved.key->publicKey());
    // The token is on disk only in its own file; enrollment.json holds its hash.
    CHECK(test::readText(dir / sync::kEnrollmentFileName).find("token-one") == std::string::npos);

    // A second save replaces the first entirely.
    const sync::DeviceIdentity next = sampleIdentity("token-two");
    sync::saveDeviceIdentity(dir.path(), next);
    const auto reloaded = sync::loadDeviceIdentity(dir.path());
    REQUIRE(reloaded);
    CHECK(reloaded->token == "token-two");
    CHECK(reloaded->key->publicKey() == next.key->publicKey());
}

TEST_CASE("An interrupted re-enrollment reads as not enrolled, never a mismatched key",
          "[device_identity]") {
    test::TempDir dir("sync-identity");
    sync::saveDeviceIdentity(dir.path(), sampleIdentity());
    REQUIRE(sync::loadDeviceIdentity(dir.path()));
    CHECK(sync::loadDeviceIdentity(dir.path())->token == "token-one");

    SECTION("new key written, old enrollment.json") {
        protocol::DeviceSigningKey::generate().save(dir / sync::kSigningKeyFileName);
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("new token written, old enrollment.json") {
        test::writeText(dir / sync::kDeviceTokenFileName, "token-two\n");
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("token missing") {
        std::filesystem::remove(dir / sync::kDeviceTokenFileName);
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("key missing") {
        std::filesystem::remove(dir / sync::kSigningKeyFileName);
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("a damaged enrollment.json is an error, not silence") {
        test::writeText(dir / sync::kEnrollmentFileName, "{not json");
        CHECK_THROWS_WITH(sync::loadDeviceIdentity(dir.path()),
                          Catch::Contains("is not valid JSON"));
    }
    SECTION("an enrollment.json without a required field is an error") {
        auto doc = nlohmann::json::parse(test::readText(dir / sync::kEnrollmentFileName));
        doc.erase("token_sha256");
        test::writeText(dir / sync::kEnrollmentFileName, doc.dump());
        CHECK_THROWS_WITH(sync::loadDeviceIdentity(dir.path()),
                          Catch::Contains("is missing a field"));
    }
    SECTION("a damaged signing key is an error, not a different identity") {
        test::writeText(dir / sync::kSigningKeyFileName, "garbage");
        CHECK_THROWS_AS(sync::loadDeviceIdentity(dir.path()), std::runtime_error);
    }
    SECTION("no enrollment at all") {
        std::filesystem::remove(dir / sync::kEnrollmentFileName);
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("an empty data dir, or one that does not exist") {
        CHECK_FALSE(sync::loadDeviceIdentity(dir / "empty"));
    }
}

TEST_CASE("enrollDevice signs the nonce, saves the identity and drops the pending key",
          "[device_identity]") {
    test::TempDir dir("identity-enroll");
    FakeEnrollServer server;
    HttpClient http = plainClient();
    const auto enrolled = sync::enrollDevice(http, params(server.url()), dir.path());
    INFO((enrolled ? std::string() : enrolled.error().message));
    REQUIRE(enrolled);
    CHECK(enrolled.value().enrollment.serverUrl == server.url());  // trailing '/' gone
    CHECK(enrolled.value().enrollment.deviceId == "dev-42");
    CHECK(enrolled.value().token == "tok-42");

    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].nonce == "n-123");
    CHECK(requests[0].enrollmentCode == "abcd-efgh-ijkl");  // as typed: the server normalises
    CHECK(requests[0].deviceName == "Kiosk 7");
    CHECK(server.signaturesValid());
    // The key the server registered is the one saved.
    const auto loaded = sync::loadDeviceIdentity(dir.path());
    REQUIRE(loaded);
    CHECK(std::vector<std::uint8_t>(loaded->key->publicKey().begin(),
                                    loaded->key->publicKey().end()) ==
          requests[0].signingPublicKey);
    CHECK(loaded->enrollment.venue == "Harpurhey Library");
    CHECK_FALSE(fileExists(dir / sync::kPendingSigningKeyFileName));
}

TEST_CASE("enrollDevice: every refusal is a clear error and nothing is saved",
          "[device_identity]") {
    test::TempDir dir("identity-refused");
    FakeEnrollServer server;
    HttpClient http = plainClient();
    const auto enrollFails = [&](const std::string& code) {
        const auto result = sync::enrollDevice(http, params(server.url()), dir.path());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == code);
        CHECK_FALSE(fileExists(dir / sync::kEnrollmentFileName));
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
        return result.error().message;
    };

    SECTION("a used or expired code: the server's own words") {
        server.enrollAnswer(
            410, R"({"error":{"code":"code_used","message":"this code was already used"}})");
        CHECK(enrollFails("enroll_refused") == "this code was already used");
    }
    SECTION("a wrong code without a message still says what happened") {
        server.enrollAnswer(401, "");
        CHECK(enrollFails("enroll_refused") == "the enrollment code was not accepted");
    }
    SECTION("too many attempts") {
        server.enrollAnswer(429, "");
        enrollFails("rate_limited");
    }
    SECTION("a server error") {
        server.enrollAnswer(503, R"({"error":{"code":"busy","message":"try later"}})");
        CHECK(enrollFails("http_503") == "try later");
    }
    SECTION("a 201 that is not an enrollment") {
        server.enrollAnswer(201, R"({"device_id":"dev-42"})");
        enrollFails("bad_response");
    }
    SECTION("a captive portal's login page instead of a nonce") {
        server.nonceAnswer(200, "<html><body>Log in to Library Wi-Fi</body></html>", "text/html");
        CHECK_THAT(enrollFails("bad_response"), Catch::Contains("Wi-Fi login page"));
        CHECK(server.requests().empty());  // nothing was posted to a page like that
    }
    SECTION("the nonce refused") {
        server.nonceAnswer(404, R"({"error":{"code":"not_found","message":"no such route"}})");
        enrollFails("enroll_refused");
    }
}

TEST_CASE("enrollDevice retries with the same key after a lost answer, and replaces a damaged one",
          "[device_identity]") {
    test::TempDir dir("identity-retry");
    FakeEnrollServer server;
    HttpClient http = plainClient();
    server.enrollAnswer(500, "");
    REQUIRE_FALSE(sync::enrollDevice(http, params(server.url()), dir.path()));
    REQUIRE(fileExists(dir / sync::kPendingSigningKeyFileName));
    CHECK(test::fileMode(dir / sync::kPendingSigningKeyFileName) == 0600);
    server.enrollAnswer(201, R"({"device_id":"dev-42","device_token":"tok-42"})");
    REQUIRE(sync::enrollDevice(http, params(server.url()), dir.path()));
    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    // The same key both times: the server can re-issue the token instead of refusing the code.
    CHECK(requests[0].signingPublicKey == requests[1].signingPublicKey);

    // A pending key that cannot be read is replaced, not fatal.
    test::TempDir other("identity-damaged-pending");
    test::writeText(other / sync::kPendingSigningKeyFileName, "not a key");
    const auto enrolled = sync::enrollDevice(http, params(server.url()), other.path());
    REQUIRE(enrolled);
    requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[2].signingPublicKey != requests[0].signingPublicKey);
    CHECK(sync::loadDeviceIdentity(other.path()));
}

TEST_CASE("enrollDevice: a bad address, an unreachable server, a data dir it cannot write",
          "[device_identity]") {
    test::TempDir dir("identity-fail");
    HttpClient http = plainClient();
    SECTION("not an http(s) URL: nothing sent, nothing written") {
        auto p = params("ftp://example.org");
        const auto result = sync::enrollDevice(http, p, dir.path());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "invalid_url");
        CHECK(std::filesystem::is_empty(dir.path()));
    }
    SECTION("nobody listening: a transport error, and no identity") {
        const int port = test::findFreeLoopbackPort();  // free a moment ago: nothing listens
        const auto result = sync::enrollDevice(
            http, params("http://127.0.0.1:" + std::to_string(port)), dir.path());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "connect");
        CHECK_FALSE(sync::loadDeviceIdentity(dir.path()));
    }
    SECTION("the data dir is not a directory: a storage error before anything is sent") {
        FakeEnrollServer server;
        test::writeText(dir / "file", "x");
        const auto result = sync::enrollDevice(http, params(server.url()), dir / "file");
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "storage");
        CHECK(server.requests().empty());
    }
}
