#include "sync/engine/device_identity.h"

#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/text_util.h"
#include "core/common/time_util.h"

namespace signpost::sync {

namespace {

constexpr const char* kLog = "sync";

std::string tokenHash(const std::string& token) {
    ensureSodium();
    std::uint8_t hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return toHex(hash);
}

}  // namespace

Result<std::string> normaliseServerUrl(const std::string& url) {
    std::string text(trim(url, " \r\n"));
    while (!text.empty() && text.back() == '/') {
        text.pop_back();
    }
    const bool https = text.rfind("https://", 0) == 0;
    const bool http = text.rfind("http://", 0) == 0;
    const std::size_t hostStart = https ? 8 : 7;
    if ((!https && !http) || text.size() <= hostStart || text[hostStart] == '/' ||
        text.find_first_of(" \t\r\n\"<>\\") != std::string::npos) {
        return Error{"invalid_url", "the server address must start with https:// and name a host"};
    }
    return text;
}

std::optional<DeviceIdentity> loadDeviceIdentity(const std::filesystem::path& dataDir) {
    const std::filesystem::path enrollmentFile = dataDir / kEnrollmentFileName;
    std::error_code error;
    if (!std::filesystem::exists(enrollmentFile, error)) {
        return std::nullopt;
    }
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(readFile(enrollmentFile));
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(enrollmentFile.string() + " is not valid JSON");
    }
    DeviceIdentity identity;
    std::string publicKey, hash;
    try {
        identity.enrollment.serverUrl = doc.at("server_url").get<std::string>();
        identity.enrollment.deviceId = doc.at("device_id").get<std::string>();
        identity.enrollment.deviceName = doc.value("device_name", "");
        identity.enrollment.venue = doc.value("venue", "");
        identity.enrollment.enrolledAt = doc.value("enrolled_at", "");
        publicKey = doc.at("signing_public_key").get<std::string>();
        hash = doc.at("token_sha256").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(enrollmentFile.string() + " is missing a field");
    }
    if (!std::filesystem::exists(dataDir / kSigningKeyFileName, error) ||
        !std::filesystem::exists(dataDir / kDeviceTokenFileName, error)) {
        logWarning(kLog, "enrollment.json without its key or token: not enrolled");
        return std::nullopt;
    }
    auto key = std::make_shared<protocol::DeviceSigningKey>(
        protocol::DeviceSigningKey::load(dataDir / kSigningKeyFileName));
    identity.token = std::string(trim(readFile(dataDir / kDeviceTokenFileName), " \r\n"));
    if (toBase64(key->publicKey()) != publicKey || tokenHash(identity.token) != hash) {
        logWarning(kLog,
                   "the key or token does not match enrollment.json (an interrupted "
                   "enrollment?): not enrolled");
        return std::nullopt;
    }
    identity.key = std::move(key);
    return identity;
}

void saveDeviceIdentity(const std::filesystem::path& dataDir, const DeviceIdentity& identity) {
    identity.key->save(dataDir / kSigningKeyFileName);
    writeFileAtomically(dataDir / kDeviceTokenFileName, identity.token + "\n", 0600);
    const nlohmann::json doc = {
        {"server_url", identity.enrollment.serverUrl},
        {"device_id", identity.enrollment.deviceId},
        {"device_name", identity.enrollment.deviceName},
        {"venue", identity.enrollment.venue},
        {"enrolled_at", identity.enrollment.enrolledAt},
        {"signing_public_key", toBase64(identity.key->publicKey())},
        {"token_sha256", tokenHash(identity.token)},
    };
    writeFileAtomically(dataDir / kEnrollmentFileName, doc.dump(2) + "\n", 0600);
}

namespace {

// The key an enrollment registers: the one an earlier attempt saved (so a retry after a lost
// answer proves the same key and the server re-issues the token), or a new one, saved before it
// is ever sent. Throws FileError when it cannot be saved.
std::shared_ptr<protocol::DeviceSigningKey> pendingSigningKey(
    const std::filesystem::path& dataDir) {
    const std::filesystem::path file = dataDir / kPendingSigningKeyFileName;
    std::error_code error;
    if (std::filesystem::exists(file, error)) {
        try {
            return std::make_shared<protocol::DeviceSigningKey>(
                protocol::DeviceSigningKey::load(file));
        } catch (const std::exception& failure) {
            logWarning(kLog, std::string("the pending enrollment key is unreadable (") +
                                 failure.what() + "); making a new one");
        }
    }
    auto key = std::make_shared<protocol::DeviceSigningKey>(protocol::DeviceSigningKey::generate());
    key->save(file);
    return key;
}

// An enrollment answer that is not a success, as the error the staff panel shows.
Error refusal(const HttpResponse& response) {
    const auto apiError = protocol::parseApiError(response.body);
    const std::string message = apiError ? apiError->message : "";
    switch (response.status) {
        case 400:
        case 401:
        case 403:
        case 404:
        case 409:
        case 410:
            return Error{"enroll_refused",
                         message.empty() ? "the enrollment code was not accepted" : message};
        case 429:
            return Error{"rate_limited", "too many enrollment attempts; wait and retry"};
        default:
            return Error{"http_" + std::to_string(response.status),
                         message.empty() ? "the server could not enroll this kiosk" : message};
    }
}

}  // namespace

Result<DeviceIdentity> enrollDevice(HttpClient& http, const EnrollParams& params,
                                    const std::filesystem::path& dataDir) {
    Result<std::string> url = normaliseServerUrl(params.serverUrl);
    if (!url) {
        return url.error();
    }
    std::shared_ptr<protocol::DeviceSigningKey> key;
    try {
        key = pendingSigningKey(dataDir);
    } catch (const FileError& failure) {
        return Error{"storage", std::string("could not save the signing key: ") + failure.what()};
    }
    protocol::EnrollRequest request;
    request.enrollmentCode = params.enrollmentCode;
    request.deviceName = params.deviceName;
    request.venue = params.venue;

    // A fresh nonce from the server, signed with the key: proof that this kiosk holds it.
    HttpRequest ask;
    ask.method = "GET";
    ask.url = url.value() + "/v1/devices/enroll/nonce";
    Result<HttpResponse> asked = http.send(ask);
    if (!asked) {
        return asked.error();
    }
    if (asked.value().status != 200) {
        return refusal(asked.value());
    }
    try {
        request.nonce = protocol::parseEnrollNonce(asked.value().body).nonce;
    } catch (const protocol::WireFormatError&) {
        return Error{"bad_response",
                     "the server's answer was not an enrollment nonce (wrong "
                     "address, or the venue's Wi-Fi login page?)"};
    }
    key->sign(request);

    HttpRequest post;
    post.method = "POST";
    post.url = url.value() + "/v1/devices/enroll";
    post.headers.emplace_back("Content-Type", "application/json");
    post.body = protocol::toJson(request);
    if (!params.expectedPin.empty()) {
        post.pinnedPublicKeys = {params.expectedPin};  // the key staff confirmed, nothing else
    }
    Result<HttpResponse> sent = http.send(post);
    if (!sent) {
        return sent.error();
    }
    const HttpResponse& response = sent.value();
    if (response.status != 201) {
        return refusal(response);
    }
    DeviceIdentity identity;
    try {
        const protocol::EnrollResponse enrolled = protocol::parseEnrollResponse(response.body);
        identity.enrollment.deviceId = enrolled.deviceId;
        identity.token = enrolled.deviceToken;
    } catch (const protocol::WireFormatError&) {
        return Error{"bad_response",
                     "the server's answer was not an enrollment (wrong address, "
                     "or the venue's Wi-Fi login page?)"};
    }
    identity.enrollment.serverUrl = url.value();
    identity.enrollment.deviceName = params.deviceName;
    identity.enrollment.venue = params.venue;
    identity.enrollment.enrolledAt = formatIsoUtc(std::chrono::system_clock::now());
    identity.key = std::move(key);
    try {
        saveDeviceIdentity(dataDir, identity);
    } catch (const FileError& failure) {
        return Error{"storage", std::string("could not save the enrollment: ") + failure.what()};
    }
    std::error_code ignored;
    std::filesystem::remove(dataDir / kPendingSigningKeyFileName, ignored);  // now the device key
    logInfo(kLog, "enrolled as device " + identity.enrollment.deviceId);
    return identity;
}

}  // namespace signpost::sync
