// Signpost — the kiosk's enrollment with a sync server: who it is to the server and how it proves
// it.
//
// Three files in the data dir, each written atomically (temp, fsync, rename):
//   device-signing.key  Ed25519 secret key (mode 0600), made at enrollment (first saved as
//                       device-signing.pending.key, reused by every retry until one succeeds)
//   device-token        the bearer token the server issued (mode 0600)
//   enrollment.json     {server_url, device_id, device_name, venue, enrolled_at,
//                        signing_public_key, token_sha256}; written last
// enrollment.json names the public key and a hash of the token it belongs to, so a crash halfway
// through a re-enrollment (new key written, old enrollment.json still there) is seen as "not
// enrolled" rather than signing with a key the server does not know.
//
// Submissions made before enrollment wait in the outbox; nothing here touches it.
// Thread-safety: free functions; callers serialise writes to one data dir (the sync thread).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/common/result.h"
#include "sync/net/http_client.h"
#include "sync/protocol/submission_signing.h"

namespace signpost::sync {

inline constexpr const char* kSigningKeyFileName = "device-signing.key";
inline constexpr const char* kDeviceTokenFileName = "device-token";
inline constexpr const char* kEnrollmentFileName = "enrollment.json";
// The key an enrollment in progress registers (mode 0600). Kept across failed attempts, so a
// retry after a lost 201 proves the same key and the server re-issues the token instead of
// refusing the used code; it becomes device-signing.key when the enrollment is saved.
inline constexpr const char* kPendingSigningKeyFileName = "device-signing.pending.key";

struct Enrollment {
    std::string serverUrl;  // "https://sync.example.org" (no trailing slash)
    std::string deviceId;   // the server's id for this kiosk
    std::string deviceName;
    std::string venue;
    std::string enrolledAt;  // UTC ISO 8601
};

struct DeviceIdentity {
    Enrollment enrollment;
    std::string token;
    std::shared_ptr<const protocol::DeviceSigningKey> key;
};

// Reads the three files. nullopt when the kiosk is not enrolled: enrollment.json missing, or the
// files do not belong together (an interrupted re-enrollment; logged). Throws FileError when a
// file exists but cannot be read, std::runtime_error when enrollment.json is malformed.
std::optional<DeviceIdentity> loadDeviceIdentity(const std::filesystem::path& dataDir);

// Writes the three files (key, token, then enrollment.json), replacing an earlier enrollment.
// Throws FileError.
void saveDeviceIdentity(const std::filesystem::path& dataDir, const DeviceIdentity& identity);

struct EnrollParams {
    std::string serverUrl;       // trailing '/' removed
    std::string enrollmentCode;  // as typed: spaces and case are the server's to normalise
    std::string deviceName;
    std::string venue;
    std::string expectedPin{};  // "sha256//<base64>": only a server with this key (issue 9)
};

// "https://host:port/base" without a trailing slash; an error value for anything that is not an
// http(s) URL with a host ("invalid_url").
Result<std::string> normaliseServerUrl(const std::string& url);

// Takes the pending signing key (or makes and saves one), asks GET /v1/devices/enroll/nonce,
// signs the request with the key over the code and the nonce, calls POST /v1/devices/enroll
// and, on 201, saves the identity in `dataDir`. Errors are values: "invalid_url", transport codes
// from HttpClient, "enroll_refused" (400/401/403/404/410: the code was wrong, used or expired;
// message from the server), "rate_limited" (429), "http_<status>", "bad_response", "storage" (could
// not save).
Result<DeviceIdentity> enrollDevice(HttpClient& http, const EnrollParams& params,
                                    const std::filesystem::path& dataDir);

}  // namespace signpost::sync
