// Signpost server — the embedded storage backend: one SQLite file in WAL mode with
// synchronous=FULL, so an answered request survives a power cut.
//
// Writes go through a GroupCommitWriter (one connection, one thread, many callers' writes per
// transaction); reads use a pool of connections that WAL lets run beside the writer. The schema
// is migrated by PRAGMA user_version when the store opens; a database newer than this program
// is refused rather than guessed at. Several processes may open the same file (the server and an
// admin command): SQLite's locks and the busy timeout serialise them.
//
// Tables: devices, enrollment_codes, coordinator_tokens, submissions (cursor INTEGER PRIMARY KEY
// AUTOINCREMENT is the monotonic server cursor), directory_versions, directory_services (one row
// per service revision: added_in .. removed_in), device_settings (reserved for remote settings).
//
// Thread-safety: every method may be called from any thread at once.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "sync/server/server_store.h"

namespace signpost::server {

class GroupCommitWriter;

class SqliteServerStore final : public ServerStore {
public:
    static constexpr int kSchemaVersion = 1;

    // Opens or creates the database (its directory must exist) and migrates it. Throws
    // StorageError, including for a schema newer than kSchemaVersion.
    explicit SqliteServerStore(const std::filesystem::path& file);
    ~SqliteServerStore() override;
    SqliteServerStore(const SqliteServerStore&) = delete;
    SqliteServerStore& operator=(const SqliteServerStore&) = delete;

    std::optional<Principal> authenticate(const TokenHash& tokenHash) override;
    void addEnrollmentCode(const TokenHash& codeHash, const std::string& venue,
                           SystemTime expiresAt, SystemTime now) override;
    EnrollResult enrollDevice(const EnrollmentAttempt& attempt, SystemTime now,
                              std::chrono::seconds reissueWindow) override;
    void addCoordinatorToken(const std::string& name, const TokenHash& tokenHash,
                             SystemTime now) override;
    bool revokeCoordinatorToken(const std::string& name, SystemTime now) override;
    std::vector<CoordinatorTokenRecord> listCoordinatorTokens() override;

    std::vector<DeviceRecord> listDevices() override;
    std::optional<DeviceRecord> findDevice(const std::string& deviceId) override;
    bool revokeDevice(const std::string& deviceId, SystemTime now) override;
    void recordHeartbeat(const std::string& deviceId, const std::string& heartbeatJson,
                         SystemTime now) override;
    void touchDevices(const std::vector<std::pair<std::string, SystemTime>>& seen) override;
    void setDeviceSetting(const std::string& deviceId, const std::string& key,
                          const std::string& value, SystemTime now) override;
    bool clearDeviceSetting(const std::string& deviceId, const std::string& key) override;
    std::vector<std::pair<std::string, std::string>> deviceSettings(
        const std::string& deviceId) override;

    std::vector<protocol::ItemResult> storeSubmissions(const std::string& deviceId,
                                                       const std::vector<IncomingSubmission>& items,
                                                       SystemTime now) override;
    protocol::SubmissionPage pullSubmissions(std::int64_t after, std::size_t limit) override;
    AckResult ackSubmissions(const std::vector<std::string>& ids, SystemTime now) override;
    std::size_t purgeAckedBefore(SystemTime cutoff, SystemTime now) override;

    DirectoryImportSummary publishDirectory(const DirectoryPublication& publication,
                                            int historyDepth, SystemTime now) override;
    DirectoryVersionInfo currentDirectoryVersion() override;
    std::vector<DirectoryVersionInfo> listDirectoryVersions() override;
    DirectoryChanges directoryChangesSince(std::int64_t since, int historyDepth) override;
    std::vector<std::pair<std::string, std::string>> serviceModifiedTimes() override;

    StoreStats stats() override;

    // PRAGMA integrity_check on a read connection: "ok" or the first problem.
    std::string integrityCheck();
    // Group transactions committed so far (how well group commit is batching).
    std::size_t commitCount() const;
    const std::filesystem::path& path() const noexcept { return m_path; }

private:
    class ReadPool;
    template <class F>
    auto read(F&& work);

    std::filesystem::path m_path;
    std::unique_ptr<ReadPool> m_readers;
    std::unique_ptr<GroupCommitWriter> m_writer;
};

}  // namespace signpost::server
