// The kiosk's HTTPS client against a real signpost-server process serving TLS on loopback: the
// certificate chain is checked against the configured CA (never skipped), the host name must match
// the certificate, and public-key pins (current or backup) are enforced on top of both. The last
// case runs the sync engine configured from [sync] ca_file / pin / backup_pin in a KioskConfig.
//
// The certificates are made with the openssl CLI once per process (so once per case under ctest;
// ECDSA P-256 keeps that quick): a test CA, a server certificate for localhost and 127.0.0.1, one
// for another name, and a CA nobody here trusts. Pins are computed by openssl too, independently
// of the code under test.
#include <catch2/catch.hpp>

#include "core/common/ids.h"
#include "core/config/kiosk_config.h"
#include "support/sync_world.h"
#include "sync/engine/engine_options.h"
#include "sync/engine/enrollment_policy.h"

using namespace signpost;
using namespace std::chrono_literals;

namespace {

// openssl ARGS, run in `dir`; REQUIREs success and shows openssl's complaint if not.
void openssl(const std::filesystem::path& dir, std::vector<std::string> args) {
    static const std::optional<std::filesystem::path> program = test::findInPath("openssl");
    REQUIRE(program);  // installer/install-deps.sh installs it
    test::ProcessOptions options;
    options.program = *program;
    options.args = std::move(args);
    options.workingDirectory = dir;
    options.stderrFile = dir / "openssl.log";
    const test::ExitStatus status = test::runProcess(options, 30s);
    INFO(test::readText(options.stderrFile));
    REQUIRE(status.success());
}

// Extensions for each kind of certificate; -subj gives the subject, so [dn] is only a placeholder
// that lets req run without the system's openssl.cnf.
const char* const kOpensslConfig = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[other]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
)";

void makeCa(const std::filesystem::path& dir, const std::string& name, const std::string& subject) {
    openssl(dir, {"req", "-x509", "-config", "openssl.cnf", "-extensions", "ca", "-newkey", "ec",
                  "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                  "-out", name + ".pem", "-days", "2", "-subj", subject});
}

// A key and a certificate for it signed by ca.pem, with the extensions of config section `name`.
void makeServerCert(const std::filesystem::path& dir, const std::string& name, int serial) {
    openssl(dir, {"req", "-new", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-out",
                  name + ".csr", "-subj", "/CN=" + name});
    openssl(dir, {"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                  "-set_serial", std::to_string(serial), "-days", "2", "-extfile", "openssl.cnf",
                  "-extensions", name, "-out", name + ".pem"});
}

// The pin libcurl compares: SHA-256 of the DER SubjectPublicKeyInfo, in base64.
std::string pinOf(const std::filesystem::path& dir, const std::string& name) {
    openssl(dir,
            {"pkey", "-in", name + ".key", "-pubout", "-outform", "DER", "-out", name + ".spki"});
    openssl(dir, {"dgst", "-sha256", "-binary", "-out", name + ".spki.sha256", name + ".spki"});
    const std::string digest = test::readText(dir / (name + ".spki.sha256"));
    REQUIRE(digest.size() == 32);
    return "sha256//" +
           toBase64(std::span(reinterpret_cast<const std::uint8_t*>(digest.data()), digest.size()));
}

struct TestPki {
    TestPki();

    test::TempDir dir{"sync-tls-pki"};
    std::filesystem::path caCert;          // the CA the kiosk is told to trust
    std::filesystem::path strangerCaCert;  // a CA that signed nothing the server serves
    std::filesystem::path serverCert;      // localhost + 127.0.0.1, signed by caCert
    std::filesystem::path serverKey;
    std::filesystem::path otherCert;  // other.example only, signed by caCert
    std::filesystem::path otherKey;
    std::string serverPin;  // "sha256//<base64>" of serverKey's public key
    std::string otherPin;   // ... of otherKey's: a real pin, of the wrong key
};

TestPki::TestPki() {
    const std::filesystem::path& at = dir.path();
    test::writeText(at / "openssl.cnf", kOpensslConfig);
    makeCa(at, "ca", "/CN=Signpost test CA");
    makeCa(at, "stranger-ca", "/CN=Somebody else's CA");
    makeServerCert(at, "localhost", 2);
    makeServerCert(at, "other", 3);
    caCert = at / "ca.pem";
    strangerCaCert = at / "stranger-ca.pem";
    serverCert = at / "localhost.pem";
    serverKey = at / "localhost.key";
    otherCert = at / "other.pem";
    otherKey = at / "other.key";
    serverPin = pinOf(at, "localhost");
    otherPin = pinOf(at, "other");
}

const TestPki& pki() {
    static const TestPki made;
    return made;
}

// A well-formed pin that matches no key at all.
std::string pinOfNoKey() {
    return "sha256//" + toBase64(std::vector<std::uint8_t>(32, 0x5a));
}

test::SyncServerTls servingLocalhost() {
    return {pki().serverCert, pki().serverKey, pki().caCert};
}

// GET base + /healthz with a fresh client (so no connection from an earlier check is reused).
Result<HttpResponse> health(const std::string& baseUrl, HttpClientOptions options) {
    options.proxy = "none";  // loopback only, whatever the environment says
    options.connectTimeout = 5s;
    HttpClient client(std::move(options));
    HttpRequest request;
    request.url = baseUrl + "/healthz";
    return client.send(request);
}

HttpClientOptions trusting(const std::filesystem::path& caFile,
                           std::vector<std::string> pins = {}) {
    HttpClientOptions options;
    options.caFile = caFile.string();
    options.pinnedPublicKeys = std::move(pins);
    return options;
}

std::string describe(const Result<HttpResponse>& result) {
    return result ? "HTTP " + std::to_string(result.value().status)
                  : result.error().code + ": " + result.error().message;
}

std::string localhostUrl(const test::SyncServer& server) {
    return "https://localhost:" + std::to_string(server.port());
}

}  // namespace

TEST_CASE("the trusted CA and a matching name: HTTPS works by address and by name", "[sync_tls]") {
    test::TempDir dir("sync-tls-trusted");
    test::SyncServer server(dir / "server", servingLocalhost());
    REQUIRE(server.url().rfind("https://127.0.0.1:", 0) == 0);

    for (const std::string& base : {server.url(), localhostUrl(server)}) {
        INFO(base);
        const Result<HttpResponse> answer = health(base, trusting(pki().caCert));
        INFO(describe(answer));
        REQUIRE(answer);
        CHECK(answer.value().status == 200);
    }
    // Plain HTTP to the same port gets no HTTP answer: the server really speaks TLS there.
    const Result<HttpResponse> plain =
        health("http://127.0.0.1:" + std::to_string(server.port()), {});
    CHECK_FALSE(plain);
}

TEST_CASE("without the CA, or trusting another CA, the server is refused as \"tls\"",
          "[sync_tls]") {
    test::TempDir dir("sync-tls-untrusted");
    test::SyncServer server(dir / "server", servingLocalhost());

    SECTION("the system's trust store alone does not know the test CA") {
        const Result<HttpResponse> answer = health(server.url(), trusting(""));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "tls");
        // What staff read in the panel's details: it says the certificate is the problem.
        CHECK_THAT(answer.error().message, Catch::Contains("certificate"));
    }
    SECTION("a CA file holding some other CA") {
        const Result<HttpResponse> answer = health(server.url(), trusting(pki().strangerCaCert));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "tls");
        CHECK_THAT(answer.error().message, Catch::Contains("certificate"));
    }
    SECTION("a CA file that is not there (a typo in ca_file) never falls back to trusting all") {
        const std::filesystem::path missing = dir / "no-such-ca.pem";
        const Result<HttpResponse> answer = health(server.url(), trusting(missing));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "tls");
        CHECK_THAT(answer.error().message, Catch::Contains(missing.string()));
    }
    SECTION("the right pin does not stand in for an untrusted chain") {
        const Result<HttpResponse> answer = health(server.url(), trusting("", {pki().serverPin}));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "tls");
    }
}

TEST_CASE("key pins: the current or the backup pin admits the server, neither is \"tls_pin\"",
          "[sync_tls]") {
    test::TempDir dir("sync-tls-pins");
    test::SyncServer server(dir / "server", servingLocalhost());
    REQUIRE(pki().serverPin != pki().otherPin);

    const std::vector<std::pair<const char*, std::vector<std::string>>> admitted = {
        {"current pin right", {pki().serverPin}},
        {"current pin right, backup another key's", {pki().serverPin, pki().otherPin}},
        {"current pin wrong, backup right", {pki().otherPin, pki().serverPin}},
    };
    for (const auto& [label, pins] : admitted) {
        INFO(label);
        const Result<HttpResponse> answer = health(server.url(), trusting(pki().caCert, pins));
        INFO(describe(answer));
        REQUIRE(answer);
        CHECK(answer.value().status == 200);
    }

    const std::vector<std::pair<const char*, std::vector<std::string>>> refused = {
        {"another key's pin", {pki().otherPin}},
        {"both pins wrong", {pki().otherPin, pinOfNoKey()}},
    };
    for (const auto& [label, pins] : refused) {
        INFO(label);
        const Result<HttpResponse> answer = health(server.url(), trusting(pki().caCert, pins));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        // Not "tls": the chain and the name were fine; staff must be told the pin is the problem.
        CHECK(answer.error().code == "tls_pin");
        CHECK_THAT(answer.error().message, Catch::Contains("pinned"));
    }
}

TEST_CASE("a certificate from the trusted CA for another name is refused as \"tls\"",
          "[sync_tls]") {
    test::TempDir dir("sync-tls-name");
    test::SyncServer server(dir / "server", {pki().otherCert, pki().otherKey, pki().caCert});

    for (const std::string& base : {server.url(), localhostUrl(server)}) {
        INFO(base);
        const Result<HttpResponse> answer = health(base, trusting(pki().caCert));
        INFO(describe(answer));
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "tls");
        CHECK_THAT(answer.error().message, Catch::Contains("subject name"));
        // Pinning that very key does not excuse the wrong name either.
        const Result<HttpResponse> pinned = health(base, trusting(pki().caCert, {pki().otherPin}));
        INFO(describe(pinned));
        REQUIRE_FALSE(pinned);
        CHECK(pinned.error().code == "tls");
    }
}

// No ';' in this name: ctest's list would split it in two, and each half would match nothing.
TEST_CASE(
    "the engine configured by ca_file, pin and backup_pin delivers over HTTPS once, and a wrong "
    "pin keeps the referral queued and shows tls_pin",
    "[sync_tls]") {
    test::TempDir dir("sync-tls-engine");
    test::SyncServer server(dir / "server", servingLocalhost());
    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey());

    // The engine's options as the kiosk makes them from its config file, with test-sized waits.
    const auto engineOptions = [&](const std::string& pin, const std::string& backupPin) {
        const KioskConfig config = parseKioskConfig(
            "[referral]\ncoordinator_public_key = \"" + server.publicKey().toBase64() +
                "\"\n[venue]\nname = \"Harpurhey Library\"\n[sync]\nserver_url = \"" +
                server.url() + "\"\nca_file = \"" + pki().caCert.string() + "\"\npin = \"" + pin +
                "\"\nbackup_pin = \"" + backupPin + "\"\nproxy = \"none\"\n",
            "kiosk.toml");
        sync::SyncEngineOptions options = sync::syncEngineOptions(config, kiosk.dataDir());
        CHECK(options.http.caFile == pki().caCert.string());
        CHECK(options.http.pinnedPublicKeys == std::vector<std::string>{pin, backupPin});
        const sync::SyncEngineOptions quick = kiosk.engineOptions();
        options.backoff = quick.backoff;
        options.http.connectTimeout = quick.http.connectTimeout;
        options.http.lowSpeedTime = quick.http.lowSpeedTime;
        return options;
    };

    // Enrolled and delivering through the current pin.
    kiosk.startEngine(engineOptions(pki().serverPin, pki().otherPin));
    kiosk.enroll(server);
    const SubmitReceipt first = kiosk.submit();
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.counts.sent == 1 && s.state == sync::SyncState::Idle;
    });
    CHECK(kiosk.engine().status()->serverUrl.rfind("https://", 0) == 0);
    CHECK(server.idCounts() == std::map<std::string, int>{{first.id, 1}});

    // The server's key no longer matches either pin: nothing leaves, and staff see why.
    kiosk.stopEngine();
    kiosk.startEngine(engineOptions(pki().otherPin, pinOfNoKey()));
    const SubmitReceipt waiting = kiosk.submit();
    // Kept from inside the wait: the engine retries quickly here, so a later snapshot may catch
    // it mid-try (state Syncing) rather than resting in Offline, which is what staff would see.
    sync::SyncStatus refused;
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        if (s.lastError == "tls_pin" && s.counts.queued == 1 &&
            s.state == sync::SyncState::Offline) {
            refused = s;
            return true;
        }
        return false;
    });
    CHECK_THAT(refused.lastErrorMessage, Catch::Contains("pinned"));
    CHECK(refused.counts.sent == 1);
    CHECK(refused.sentThisRun == 0);
    CHECK(kiosk.outboxStatuses()[waiting.id] == "queued");
    CHECK(server.idCounts().count(waiting.id) == 0);

    // The backup pin (the server's next key, planned ahead) lets it through, exactly once.
    kiosk.stopEngine();
    kiosk.startEngine(engineOptions(pinOfNoKey(), pki().serverPin));
    kiosk.engine().syncNow();
    kiosk.waitFor([](const sync::SyncStatus& s) {
        return s.counts.sent == 2 && s.counts.queued == 0 && s.state == sync::SyncState::Idle &&
               s.lastError.empty();
    });
    CHECK(server.idCounts() == std::map<std::string, int>{{first.id, 1}, {waiting.id, 1}});
}

TEST_CASE("issue 9: re-enrolling shows the server's key fingerprint and enrolls pinned to it",
          "[sync_tls]") {
    test::TempDir dir("sync-tls-reenroll");
    test::SyncServer server(dir / "server", servingLocalhost());
    // The fingerprint is the same SHA-256 openssl prints for the server's public key.
    CHECK(sync::publicKeyPinOf(test::readText(pki().serverCert)).first == pki().serverPin);
    CHECK(sync::publicKeyPinOf("not a certificate").first.empty());

    test::SyncKiosk kiosk(dir / "kiosk", server.publicKey(), 0);
    sync::SyncEngineOptions options = kiosk.engineOptions();
    options.syncDirectory = false;
    options.http.caFile = pki().caCert.string();
    kiosk.startEngine(options);
    sync::SyncEngine& engine = kiosk.engine();
    const std::string url = localhostUrl(server);

    const std::uint64_t ticket = engine.checkServer(url);
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        return s.serverCheck.ticket == ticket &&
               s.serverCheck.phase != sync::ServerCheck::Phase::InProgress;
    });
    const sync::ServerCheck check = kiosk.engine().status()->serverCheck;
    INFO(check.error << ": " << check.message);
    REQUIRE(check.phase == sync::ServerCheck::Phase::Ready);
    CHECK(check.pin == pki().serverPin);
    CHECK_FALSE(check.plainLoopback);
    // 64 hex digits in 16 groups: what staff compare with what their coordinators gave them.
    CHECK(check.fingerprint.size() == 16 * 4 + 15);
    const auto decoded = fromBase64(pki().serverPin.substr(8));
    REQUIRE(decoded);
    std::string hex = toHex(*decoded);
    std::string grouped;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        grouped += (grouped.empty() ? "" : " ") + hex.substr(i, 4);
    }
    for (char& c : grouped) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CHECK(check.fingerprint == grouped);

    // Confirmed against another key (the server changed in between): nothing is sent, the
    // code is still good.
    const std::string code = server.enrollmentCode();
    kiosk.waitForEnrollment(engine.enroll(url, code, pki().otherPin));
    CHECK(engine.status()->enrollPhase == sync::EnrollPhase::Failed);
    CHECK(engine.status()->enrollError == "tls_pin");
    CHECK(server.devices().devices.empty());
    // The confirmed key: enrolled.
    kiosk.waitForEnrollment(engine.enroll(url, code, check.pin));
    INFO(engine.status()->enrollError << ": " << engine.status()->enrollMessage);
    CHECK(engine.status()->enrollPhase == sync::EnrollPhase::Succeeded);
    CHECK(server.devices().devices.size() == 1);

    // A server that is not Signpost's (here: a TLS port that is not ours is hard to come by; a
    // plain address on another machine is refused before any connection).
    const std::uint64_t refused = engine.checkServer("http://192.0.2.7:8787");
    kiosk.waitFor([&](const sync::SyncStatus& s) {
        return s.serverCheck.ticket == refused &&
               s.serverCheck.phase == sync::ServerCheck::Phase::Failed;
    });
    CHECK(engine.status()->serverCheck.error == "insecure_url");
}
