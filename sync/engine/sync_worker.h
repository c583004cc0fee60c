// Signpost — the sync engine's worker thread (internal to sync/engine; not an API). SyncEngine
// (sync_engine.h) owns the thread and its intents; the Worker lives on that thread's stack and
// owns everything the rounds touch, so nothing in it needs a lock. Its methods are in
// sync_worker.cpp (storage, outcomes, enrollment, the loop) and sync_rounds.cpp (push,
// directory, heartbeat).
// Thread-safety: the engine thread only; `engine`'s intents are read under engine.m_mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/time_zone.h"
#include "core/directory/directory_store.h"
#include "core/referral/outbox.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/sync_engine.h"
#include "sync/engine/sync_ledger.h"
#include "sync/protocol/wire.h"

namespace signpost::sync {

namespace engine_detail {

inline constexpr const char* kLog = "sync";
using Clock = std::chrono::steady_clock;

// Keys of the engine's own state in the outbox's sync_state table.
inline constexpr const char* kDirectoryVersionKey = "directory_version";
inline constexpr const char* kDirectoryEtagKey = "directory_etag";
inline constexpr const char* kDirectoryStampKey = "directory_updated_at";
inline constexpr const char* kDirectoryServerKey = "directory_server";

// Now, as UTC ISO 8601.
std::string nowIso();
// Bytes free to an unprivileged user on the file system of `dir`; 0 when it cannot be read.
std::uint64_t freeDiskBytes(const std::filesystem::path& dir);

}  // namespace engine_detail

// Everything the engine thread owns. Lives on that thread's stack, so nothing here needs a lock.
struct SyncEngine::Worker {
    using Clock = engine_detail::Clock;

    SyncEngine& engine;
    const SyncEngineOptions& options;
    HttpClient& http;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<SyncLedger> ledger;
    std::optional<TimeZone> zone;
    std::unique_ptr<DirectoryStore> directory;
    bool directoryOpenFailed = false;
    std::optional<DeviceIdentity> identity;
    Backoff backoff;
    SyncStatus status;

    Clock::time_point retryAt{};      // no automatic network use before this
    bool retryAfterHonoured = false;  // retryAt came from the server's Retry-After
    Clock::time_point nextDirectory{};
    Clock::time_point nextHeartbeat{};
    Clock::time_point nextPurge{};
    bool pushWanted = true;  // try whatever is queued at start
    bool directoryWanted = true;
    bool heartbeatWanted = true;
    bool revoked = false;
    bool captive = false;
    std::optional<std::pair<std::string, std::string>> generationSeen;  // server, generation

    Worker(SyncEngine& owner, HttpClient& client)
        : engine(owner), options(owner.m_options), http(client), backoff(owner.m_options.backoff) {}

    bool stopping() const { return engine.m_stopRequested.load(); }

    void publish();

    SyncState restingState() const;

    // --- Storage --------------------------------------------------------------------------

    void openStores();

    void refreshCounts();

    // Items a push round would send now: queued or marked to send again, not held for another
    // server.
    std::size_t pushable() const;

    // The server said which generation of its database answered (issue 9). A new one for the
    // same server means it was restored from a backup: what it lost is sent again.
    void noteGeneration(const HttpResponse& response);

    // --- Outcomes -------------------------------------------------------------------------

    void succeeded();

    void failed(const std::string& code, const std::string& message,
                std::optional<std::chrono::seconds> retryAfter = std::nullopt);

    // A 200 that is not our JSON, an HTML page, a redirect: is it us or the venue's Wi-Fi?
    void oddResponse(const HttpResponse& response);

    // Judges a response that is not the expected success. Always records a failure.
    void unexpected(const HttpResponse& response);

    Result<HttpResponse> request(const std::string& method, const std::string& path,
                                 std::string body = {},
                                 std::vector<std::pair<std::string, std::string>> headers = {});

    // --- Push -----------------------------------------------------------------------------

    protocol::Submission toSubmission(const OutboxItem& item) const;

    // Pushes until the queue is empty (true) or a request fails (false).
    bool pushRound();

    // --- Directory ------------------------------------------------------------------------

    bool directoryRound();

    // --- Heartbeat ------------------------------------------------------------------------

    bool heartbeatRound();

    // --- Enrollment -----------------------------------------------------------------------

    void checkServerNow(const std::string& url, std::uint64_t ticket);

    void enrollNow(const std::string& url, const std::string& code, const std::string& pin);

    void fillIdentity();

    // --- The loop -------------------------------------------------------------------------

    void step(bool& networkAllowed);

    Clock::time_point wakeAt() const;

    void purge();

    void run();
};

}  // namespace signpost::sync
