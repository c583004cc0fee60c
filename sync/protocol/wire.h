// Signpost — the sync API v1 wire format: plain structs and their JSON, shared by the kiosk's sync
// engine, the central server and the coordinator tool. Routes and status codes are documented in
// README.md ("Sync API"). Binary fields (sealed, signature, keys) are standard base64 on the wire.
//
// Parsing validates as it goes (fields are read with core/common/json_fields.h) and throws
// WireFormatError naming the field ("submissions[3].seq: expected a whole number, got a
// string"), which the server turns into 400 {"error":{"code":"invalid_field",...}}.
// Nothing else escapes a parser: a number JSON can write but no integer can hold (1e400), a
// nesting too deep, text that is not UTF-8 — every one is a WireFormatError.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::protocol {

inline constexpr std::size_t kMaxBatchItems = 100;                 // per POST /v1/submissions
inline constexpr std::size_t kMaxSealedBytes = 64 * 1024;          // one sealed referral, decoded
inline constexpr std::size_t kMaxRequestBytes = 10 * 1024 * 1024;  // any request body
inline constexpr std::size_t kMaxPullPage = 1000;                  // GET /v1/submissions limit

class WireFormatError : public std::runtime_error {
public:
    WireFormatError(std::string field, const std::string& problem);
    const std::string& field() const noexcept { return m_field; }

private:
    std::string m_field;
};

// {"error":{"code":"…","message":"…"}} — every error response has this body.
struct ApiError {
    std::string code;     // "unauthorized", "forbidden", "invalid_json", "invalid_field",
                          // "too_large", "rate_limited", "not_found", "conflict", "internal"
    std::string message;  // one line for people; never personal data
};
std::string toJson(const ApiError& error);
// Reads an error body; nullopt if the text is not one (a captive portal's HTML, say).
std::optional<ApiError> parseApiError(std::string_view json);

// GET /v1/devices/enroll/nonce: a one-time value the enroll request signs (valid for
// `expiresIn` seconds, used once).
struct EnrollNonce {
    std::string nonce;           // opaque text, at most 128 characters
    std::int64_t expiresIn = 0;  // seconds
};

// POST /v1/devices/enroll. `signature` is the device key's Ed25519 signature over
// enrollSigningMessage() (submission_signing.h): proof that the caller holds the private half
// of `signingPublicKey`, bound to this code and a fresh server nonce.
struct EnrollRequest {
    std::string enrollmentCode;
    std::string deviceName;
    std::string venue;
    std::vector<std::uint8_t> signingPublicKey;  // Ed25519, 32 bytes
    std::string nonce;                           // from GET /v1/devices/enroll/nonce
    std::vector<std::uint8_t> signature;         // Ed25519, 64 bytes
};
struct EnrollResponse {
    std::string deviceId;
    std::string deviceToken;  // 256-bit random, base64url; the server keeps only its hash
};

// One sealed referral as pushed by a kiosk.
struct Submission {
    std::string id;         // UUIDv4, the idempotency key
    std::int64_t seq = 0;   // per-device monotonic sequence
    std::string createdAt;  // device clock, UTC ISO 8601 — informational only
    std::string formVersion;
    std::string venue;
    std::string neighbourhood;
    std::string serviceId;                // "" for a general referral
    bool test = false;                    // a staff "Send a test referral"
    std::vector<std::uint8_t> sealed;     // crypto_box_seal ciphertext
    std::vector<std::uint8_t> signature;  // Ed25519 over signingMessage(), 64 bytes
};

// POST /v1/submissions body and response.
struct SubmissionBatch {
    std::vector<Submission> submissions;  // 1..kMaxBatchItems
};
enum class ItemStatus { Stored, Duplicate, Rejected };
const char* toString(ItemStatus status);  // "stored" | "duplicate" | "rejected"
struct ItemResult {
    std::string id;
    ItemStatus status = ItemStatus::Rejected;
    std::string error;  // for Rejected: "conflict" | "bad_signature" | "invalid" (+ detail)
};
struct SubmissionResults {
    std::vector<ItemResult> results;  // one per submitted item, same order
};

// GET /v1/directory?since=V
struct DirectoryUpdate {
    std::int64_t version = 0;   // the server's current directory version
    std::int64_t since = 0;     // what the kiosk asked from
    bool full = false;          // true: `directory` is a whole snapshot, replace everything
    std::string directoryJson;  // HSDS-shaped document (core/directory/hsds_import.h): the
                                // changed services with their organisations, locations, terms
    std::vector<std::string> deletedServiceIds;
};

// What a kiosk says about its staff PIN in each heartbeat (issue 9), so coordinators see a kiosk
// whose staff mode is locked after wrong PINs (`signpost devices` flags it).
struct StaffLockReport {
    bool reported = false;    // false: a kiosk too old to report it
    bool pinSet = false;      // false: staff mode is not set up on the kiosk
    int lockouts = 0;         // locks imposed since the right PIN was last entered
    std::string lockedUntil;  // UTC ISO 8601 while locked, else ""
    bool operator==(const StaffLockReport&) const = default;
};

// POST /v1/devices/heartbeat
struct Heartbeat {
    std::string appVersion;
    std::size_t queued = 0, sent = 0, rejected = 0;
    std::string lastSyncAt;  // UTC ISO 8601 or ""
    std::string lastError;   // non-personal error code/message or ""
    std::uint64_t freeDiskBytes = 0;
    std::int64_t directoryVersion = 0;
    StaffLockReport staff{};  // "staff": {pin_set, lockouts, locked_until}, when reported
};

// GET /v1/submissions?after=CURSOR&limit=N (coordinator)
struct PulledSubmission {
    std::int64_t cursor = 0;  // server-assigned, strictly increasing in received order
    Submission submission;
    std::string deviceId;
    std::string deviceName;
    std::vector<std::uint8_t> signingPublicKey;  // the device's registered Ed25519 key
    std::string receivedAt;                      // server clock, UTC ISO 8601
};
// Cursors count within one generation of the server's database (a restore from a backup starts
// a new one: issue 9). A client sends `after=GENERATION:CURSOR`; when GENERATION is not the
// server's current one, the page starts again from the beginning of the current generation and
// says so (`restarted`). A bare `after=CURSOR` (clients before generations) is read as the
// current generation.
struct SubmissionPage {
    std::vector<PulledSubmission> submissions;
    std::int64_t nextCursor = 0;  // pass as `after` to continue; == after when nothing new
    bool hasMore = false;
    std::string generation;  // the server's current generation ("" from an older server)
    bool restarted = false;  // the `after` given was of another generation: this page
                             // starts from the beginning of `generation`
};

// The response header carrying the server's generation on device answers (push, heartbeat).
inline constexpr const char* kGenerationHeader = "Signpost-Generation";

// "GENERATION:CURSOR" for `after` ("CURSOR" alone when generation is "").
std::string formatPullCursor(const std::string& generation, std::int64_t cursor);
struct PullCursor {
    std::string generation;  // "" = not given
    std::int64_t cursor = 0;
};
// Parses `after`: "CURSOR" or "GENERATION:CURSOR" (GENERATION: 1 to 32 of [0-9a-f]). Throws
// WireFormatError("after") for anything else.
PullCursor parsePullCursor(std::string_view text);

// POST /v1/submissions/ack
struct AckRequest {
    std::vector<std::string> ids;
};

// GET /v1/devices (coordinator)
struct DeviceInfo {
    std::string deviceId;
    std::string name;
    std::string venue;
    std::string enrolledAt;
    std::string lastSeenAt;
    bool revoked = false;
    Heartbeat lastHeartbeat;
};
struct DeviceList {
    std::vector<DeviceInfo> devices;
};

std::string toJson(const EnrollNonce& value);
std::string toJson(const EnrollRequest& value);
std::string toJson(const EnrollResponse& value);
std::string toJson(const SubmissionBatch& value);
std::string toJson(const SubmissionResults& value);
std::string toJson(const DirectoryUpdate& value);
std::string toJson(const Heartbeat& value);
std::string toJson(const SubmissionPage& value);
std::string toJson(const AckRequest& value);
std::string toJson(const DeviceList& value);

// Each throws WireFormatError naming the offending field. Limits (batch size, sealed size) are
// enforced here, so every receiver applies the same ones.
EnrollNonce parseEnrollNonce(std::string_view json);
EnrollRequest parseEnrollRequest(std::string_view json);
EnrollResponse parseEnrollResponse(std::string_view json);
SubmissionBatch parseSubmissionBatch(std::string_view json);
SubmissionResults parseSubmissionResults(std::string_view json);
DirectoryUpdate parseDirectoryUpdate(std::string_view json);
Heartbeat parseHeartbeat(std::string_view json);
SubmissionPage parseSubmissionPage(std::string_view json);
AckRequest parseAckRequest(std::string_view json);
DeviceList parseDeviceList(std::string_view json);

}  // namespace signpost::protocol
