// Signpost server — storage behind one interface.
//
// The HTTP layer (api_server.h) and the admin CLI talk only to ServerStore. SqliteServerStore
// (sqlite_server_store.h) is the embedded default; a PostgreSQL backend implements the same
// interface and nothing above it changes. Every method is one unit of work: writes are atomic
// (one transaction) and durable when they return, reads see only committed data.
//
// Times are passed in by the caller (the server's clock), so tests can move time and a backend
// never reads a clock of its own. Stored timestamps are UTC ISO 8601 with milliseconds.
//
// Errors: a backend failure (disk full, database locked for too long, corruption) throws
// StorageError (core/storage/database.h); expected outcomes (unknown code, duplicate item) are
// values. Implementations must be safe to call from many threads at once.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/common/time_util.h"
#include "sync/protocol/wire.h"
#include "sync/server/tokens.h"

namespace signpost::server {

using ContentHash = std::array<std::uint8_t, 32>;

// A name or id that must be unique already exists (an active coordinator token's name).
class StoreConflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Role { Device, Coordinator };

// Who a bearer token belongs to.
struct Principal {
    Role role = Role::Device;
    std::string id;                        // device id, or the coordinator token's name
    std::string venue;                     // devices: the venue it was enrolled for
    std::vector<std::uint8_t> signingKey;  // devices: registered Ed25519 public key (32 bytes)
    bool revoked = false;                  // revoked tokens are found so the answer can say so
};

struct DeviceRecord {
    std::string id;
    std::string name;
    std::string venue;
    std::vector<std::uint8_t> signingKey;
    std::string enrolledAt;
    std::string lastSeenAt;         // "" = never seen after enrolling
    std::string revokedAt;          // "" = active
    std::string lastHeartbeatAt;    // "" = no heartbeat yet
    std::string lastHeartbeatJson;  // the last heartbeat as its wire JSON (protocol::Heartbeat)
    bool revoked() const noexcept { return !revokedAt.empty(); }
};

struct CoordinatorTokenRecord {
    std::string name;
    std::string createdAt;
    std::string revokedAt;  // "" = active
};

// One enrollment attempt, already validated and with the new device's id and token hash made.
struct EnrollmentAttempt {
    TokenHash codeHash{};
    std::string deviceName;
    std::vector<std::uint8_t> signingKey;
    std::string newDeviceId;
    TokenHash newTokenHash{};
};

enum class EnrollStatus {
    Enrolled,  // a new device
    Reissued,  // the code was used moments ago by this same key (a retry after a lost
               // response): the same device gets the new token, the old one stops working
    UnknownCode,
    ExpiredCode,
    UsedCode,
};
const char* toString(EnrollStatus status);

struct EnrollResult {
    EnrollStatus status = EnrollStatus::UnknownCode;
    std::string deviceId;  // Enrolled / Reissued
    std::string venue;     // the code's venue
};

// One pushed submission whose signature the caller has already checked.
struct IncomingSubmission {
    protocol::Submission submission;
    ContentHash contentHash{};  // protocol::contentHash(submission)
};

struct AckResult {
    std::size_t acked = 0;  // newly acknowledged
    std::size_t alreadyAcked = 0;
    std::vector<std::string> unknownIds;
};

// --- Directory versions ---

// One service's canonical document (an HSDS-shaped JSON with the service and everything it
// needs) and its content hash.
struct ServiceRevision {
    std::string serviceId;
    ContentHash contentHash{};
    std::string document;
};

// A whole directory prepared for publishing (directory_publisher.h).
struct DirectoryPublication {
    std::string label;                      // the publisher's version label
    std::vector<ServiceRevision> services;  // sorted by serviceId, ids unique
    ContentHash termsHash{};                // over termsDocument
    std::string termsDocument;              // all taxonomy terms, as an HSDS-shaped document
    std::string snapshot;                   // the whole directory, HSDS-shaped
    ContentHash snapshotHash{};             // over snapshot: tells versions of different
                                            // databases apart in ETags
};

struct DirectoryImportSummary {
    std::int64_t version = 0;  // the current version after the import
    bool created = false;      // false: nothing changed, no new version
    std::size_t added = 0, changed = 0, removed = 0, unchanged = 0;
    bool termsChanged = false;
};

struct DirectoryVersionInfo {
    std::int64_t version = 0;  // 0 = nothing published yet
    std::string label;
    std::string createdAt;
    std::size_t serviceCount = 0;
    std::string tag;  // first 16 hex digits of the snapshot's hash ("" for version 0)
};

// What a kiosk at version `since` needs.
struct DirectoryChanges {
    std::int64_t current = 0;                    // 0 = nothing published yet
    std::string label;                           // the current version's label
    std::string tag;                             // the current version's tag
    bool full = false;                           // `snapshot` holds everything; replace
    std::string snapshot;                        // full only
    std::vector<std::string> changedDocuments;   // delta: one document per added/changed service
    std::vector<std::string> deletedServiceIds;  // delta
    std::string termsDocument;  // delta: all terms, when they changed since `since`
};

// One generation of the database (restore generations, issue 9): a new one starts each time the
// database is restored from a backup (and in each backup copy, so a backup put back by hand is a
// new generation too). Cursors count within a generation; a client holding a cursor of another
// generation must read again from the start (README "Sync API", GET /v1/submissions).
struct GenerationRecord {
    std::string id;  // 16 lower-case hex digits, random
    std::string startedAt;
    std::string reason;            // "created", "backup", "restore"
    std::int64_t firstCursor = 0;  // the highest cursor when it started
};

struct StoreStats {
    std::int64_t submissionsStored = 0;  // rows with ciphertext (not purged)
    std::int64_t submissionsUnacked = 0;
    std::int64_t devicesActive = 0;
    std::int64_t devicesRevoked = 0;
    std::int64_t directoryVersion = 0;
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    // --- Credentials ---
    // The device or coordinator whose token hashes to `tokenHash`, revoked or not.
    virtual std::optional<Principal> authenticate(const TokenHash& tokenHash) = 0;
    virtual void addEnrollmentCode(const TokenHash& codeHash, const std::string& venue,
                                   SystemTime expiresAt, SystemTime now) = 0;
    // Checks the code (exists, unexpired, unused — or used by this same key within
    // `reissueWindow`) and creates the device, all in one transaction, so two kiosks racing with
    // one code cannot both enroll.
    virtual EnrollResult enrollDevice(const EnrollmentAttempt& attempt, SystemTime now,
                                      std::chrono::seconds reissueWindow) = 0;
    // Throws StoreConflict if an active token already has this name.
    virtual void addCoordinatorToken(const std::string& name, const TokenHash& tokenHash,
                                     SystemTime now) = 0;
    // False if no active token has this name.
    virtual bool revokeCoordinatorToken(const std::string& name, SystemTime now) = 0;
    virtual std::vector<CoordinatorTokenRecord> listCoordinatorTokens() = 0;

    // --- Devices ---
    virtual std::vector<DeviceRecord> listDevices() = 0;  // by enrollment time
    virtual std::optional<DeviceRecord> findDevice(const std::string& deviceId) = 0;
    // False if there is no such device or it was already revoked.
    virtual bool revokeDevice(const std::string& deviceId, SystemTime now) = 0;
    virtual void recordHeartbeat(const std::string& deviceId, const std::string& heartbeatJson,
                                 SystemTime now) = 0;
    // Batched "last seen" updates (the HTTP layer collects them in memory).
    virtual void touchDevices(const std::vector<std::pair<std::string, SystemTime>>& seen) = 0;
    // Per-device settings, reserved for remote kiosk settings (installer issue).
    virtual void setDeviceSetting(const std::string& deviceId, const std::string& key,
                                  const std::string& value, SystemTime now) = 0;
    virtual std::vector<std::pair<std::string, std::string>> deviceSettings(
        const std::string& deviceId) = 0;
    // Removes one remote setting (operations); false if it was not set.
    virtual bool clearDeviceSetting(const std::string& deviceId, const std::string& key) = 0;

    // --- Submissions ---
    // Stores a device's batch in one transaction and answers per item, in order: new id →
    // Stored (with the next cursor); same id and content hash → Duplicate; same id, other
    // content → Rejected "conflict". received_at is `now`.
    virtual std::vector<protocol::ItemResult> storeSubmissions(
        const std::string& deviceId, const std::vector<IncomingSubmission>& items,
        SystemTime now) = 0;
    // Submissions with cursor > after (purged ones skipped), by cursor, at most `limit`.
    virtual protocol::SubmissionPage pullSubmissions(std::int64_t after, std::size_t limit) = 0;
    virtual AckResult ackSubmissions(const std::vector<std::string>& ids, SystemTime now) = 0;
    // Drops the ciphertext and metadata of submissions acked before `cutoff`, keeping a
    // tombstone (id, device, content hash) so a late re-push is a duplicate. Returns how many.
    virtual std::size_t purgeAckedBefore(SystemTime cutoff, SystemTime now) = 0;

    // --- Directory ---
    // Diffs `publication` against the current version per service and, if anything changed,
    // creates version current+1 in one transaction. Drops history older than `historyDepth`
    // versions.
    virtual DirectoryImportSummary publishDirectory(const DirectoryPublication& publication,
                                                    int historyDepth, SystemTime now) = 0;
    // The newest version (version 0 with empty fields when nothing was published).
    virtual DirectoryVersionInfo currentDirectoryVersion() = 0;
    virtual std::vector<DirectoryVersionInfo> listDirectoryVersions() = 0;  // newest first
    // A delta from `since`, or a full snapshot when since is 0, unknown, newer than current or
    // older than the retained history.
    virtual DirectoryChanges directoryChangesSince(std::int64_t since, int historyDepth) = 0;
    // For each service in the current version: (service id, when the version that last changed
    // it was published). A service last changed in a version older than the kept history gets
    // the oldest kept version's time (it changed then or before). Sorted by id. For ORUK's
    // last_modified and modified_after.
    virtual std::vector<std::pair<std::string, std::string>> serviceModifiedTimes() = 0;

    virtual StoreStats stats() = 0;

    // --- Restore generations ---
    // The current generation's id, fixed while the store is open.
    virtual std::string generation() = 0;
    // Every generation this database went through, newest (current) first.
    virtual std::vector<GenerationRecord> generations() = 0;
};

}  // namespace signpost::server
