#include "sync/engine/enrollment_policy.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <memory>

#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/referral/outbox.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/sync_ledger.h"

namespace signpost::sync {

namespace {

std::string hostOf(const std::string& url) {
    const std::size_t scheme = url.find("://");
    std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const std::size_t at = rest.rfind('@'); at != std::string::npos) {
        rest = rest.substr(at + 1);
    }
    if (!rest.empty() && rest.front() == '[') {
        return rest.substr(0, rest.find(']') + 1);
    }
    return rest.substr(0, rest.find(':'));
}

}  // namespace

bool isLoopbackServerUrl(const std::string& url) {
    const std::string host = hostOf(url);
    if (host == "localhost" || host == "[::1]") {
        return true;
    }
    // 127.0.0.0/8, written as four decimal numbers.
    int parts[4];
    char tail = 0;
    return std::sscanf(host.c_str(), "%d.%d.%d.%d%c", &parts[0], &parts[1], &parts[2], &parts[3],
                       &tail) == 4 &&
           parts[0] == 127 && parts[1] >= 0 && parts[1] <= 255 && parts[2] >= 0 &&
           parts[2] <= 255 && parts[3] >= 0 && parts[3] <= 255;
}

Result<std::string> checkEnrollmentUrl(const std::string& url) {
    Result<std::string> normalised = normaliseServerUrl(url);
    if (!normalised) {
        return normalised;
    }
    if (normalised.value().starts_with("http://") && !isLoopbackServerUrl(normalised.value())) {
        return Error{"insecure_url",
                     "a sync server is reached over https://; plain http:// only "
                     "on this machine"};
    }
    return normalised;
}

std::pair<std::string, std::string> publicKeyPinOf(const std::string& pemCertificate) {
    std::string pem = pemCertificate;
    if (pem.find("-----BEGIN") == std::string::npos) {
        return {};
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    if (!bio) {
        return {};
    }
    std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!certificate) {
        return {};
    }
    unsigned char* der = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate.get()), &der);
    if (length <= 0 || der == nullptr) {
        return {};
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digestLength = 0;
    const bool hashed = EVP_Digest(der, static_cast<std::size_t>(length), digest.data(),
                                   &digestLength, EVP_sha256(), nullptr) == 1;
    OPENSSL_free(der);
    if (!hashed || digestLength != 32) {
        return {};
    }
    const std::span<const std::uint8_t> bytes(digest.data(), digestLength);
    const std::string hex = toHex(bytes);
    std::string grouped;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        grouped += (grouped.empty() ? "" : " ") + hex.substr(i, 4);
    }
    for (char& c : grouped) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return {"sha256//" + toBase64(bytes), grouped};
}

Result<ServerIdentity> inspectServer(HttpClient& http, const std::string& url) {
    Result<std::string> checked = checkEnrollmentUrl(url);
    if (!checked) {
        return checked.error();
    }
    ServerIdentity identity;
    identity.url = checked.value();
    identity.plainLoopback = identity.url.starts_with("http://");
    HttpRequest probe;
    probe.url = identity.url + "/v1/probe";
    probe.wantCertificate = !identity.plainLoopback;
    Result<HttpResponse> answer = http.send(probe);
    if (!answer) {
        return answer.error();
    }
    if (answer.value().status != 204 || !answer.value().body.empty()) {
        return Error{"not_signpost", "the address did not answer as a Signpost sync server (HTTP " +
                                         std::to_string(answer.value().status) + ")"};
    }
    if (!identity.plainLoopback) {
        std::tie(identity.pin, identity.fingerprint) =
            publicKeyPinOf(answer.value().peerCertificate);
        if (identity.pin.empty()) {
            return Error{"no_certificate", "the server's certificate could not be read"};
        }
    }
    return identity;
}

std::size_t holdQueueBeforeEnrolling(const std::filesystem::path& outboxFile,
                                     const std::filesystem::path& dataDir,
                                     const std::string& newServer) {
    std::optional<DeviceIdentity> current;
    try {
        current = loadDeviceIdentity(dataDir);
    } catch (const std::exception&) {
        return 0;  // no readable enrollment: nothing is bound to a server yet
    }
    Result<std::string> target = normaliseServerUrl(newServer);
    if (!current || !target || current->enrollment.serverUrl == target.value()) {
        return 0;
    }
    Outbox outbox(outboxFile.string());
    SyncLedger ledger(outbox);
    const std::size_t held = ledger.holdFor(current->enrollment.serverUrl);
    if (held > 0) {
        logWarning("sync", std::to_string(held) + " waiting referral(s) stay bound to " +
                               current->enrollment.serverUrl +
                               " until staff confirm sending them elsewhere");
    }
    return held;
}

}  // namespace signpost::sync
