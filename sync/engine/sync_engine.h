// Signpost — the kiosk's sync engine: one background thread that delivers every sealed referral
// to the sync server exactly once, keeps the directory fresh and reports what it is doing.
//
// What it does, in order of importance:
//   - Push: queued outbox items in sequence order, in batches (<= 100), signed at push time with
//     the device key (Ed25519 is deterministic: a retry is byte-identical). Each item becomes sent
//     only on its own stored/duplicate result; rejected items go to the dead-letter state and are
//     never retried automatically. Whole-request failures (transport, 5xx, 429, garbage) leave
//     the items queued and back off (backoff.h), honouring Retry-After. 401 means the server
//     revoked this kiosk: state Revoked, no pushing until re-enrolled.
//   - Captive portals: an HTML 200, a 3xx or an unparsable body triggers GET /v1/probe, which must
//     answer 204 with no body; anything else is state CaptivePortal, not "server down".
//   - Directory: GET /v1/directory?since=V with If-None-Match, applied through its own
//     DirectoryStore connection in one transaction (replaceAll for a full snapshot, applyChanges
//     for a delta); the UI's store sees it via refreshIfChanged(). Polled every
//     directoryInterval and after each push round that sent something.
//   - Heartbeat every heartbeatInterval: version, queue depth, last sync, last error, free disk,
//     directory version, the staff PIN's lock state (reportStaff: at once when it changes).
//   - Wipes the ciphertext of sent items once sentGrace has passed (the row stays for staff).
// It opens its own Outbox and DirectoryStore connections by path (WAL lets the UI keep reading and
// writing), never touches ImGui, and never throws out of its thread: storage failures become
// lastError "storage" and a backoff.
//
// Thread-safety: every public member function may be called from any thread. The status listener
// runs on the engine thread and must be quick and thread-safe (the shell passes
// glfwPostEmptyEvent).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sync/engine/backoff.h"
#include "sync/engine/sync_status.h"
#include "sync/net/http_client.h"
#include "sync/protocol/wire.h"

namespace signpost::sync {

struct SyncEngineOptions {
    std::filesystem::path dataDir;           // enrollment files live here; required
    std::filesystem::path outboxFile;        // "" = dataDir/outbox.db
    std::filesystem::path directoryFile;     // "" = dataDir/directory.db; must already exist to be
                                             // updated (the runtime creates it from the bundle)
    bool syncDirectory = true;               // false: never fetch the directory
    std::string timeZone = "Europe/London";  // for the engine's DirectoryStore connection
    std::string deviceName = "Signpost kiosk";  // sent at enrollment
    std::string venue;                          // sent at enrollment
    std::string appVersion = SIGNPOST_VERSION;
    HttpClientOptions http;       // CA file, pins, proxy, timeouts
    std::size_t batchSize = 100;  // 1..100 items per POST /v1/submissions
    BackoffPolicy backoff;
    std::chrono::seconds directoryInterval{15 * 60};
    std::chrono::seconds heartbeatInterval{5 * 60};
    std::chrono::seconds sentGrace{7 * 24 * 3600};  // keep sent ciphertext this long, then wipe
    std::function<void()> onStatusChanged;  // called on the engine thread after each publish
};

class SyncEngine {
public:
    explicit SyncEngine(SyncEngineOptions options);
    ~SyncEngine();  // stop()
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    // Starts the thread (no-op if running). Never throws for network or storage trouble: those
    // show in the status. Throws std::system_error if no thread can be created.
    void start();
    // Interrupts a request in flight (HttpClient::cancel) and joins the thread. Idempotent.
    void stop();
    bool running() const;

    // The latest snapshot; never null. Cheap (a shared_ptr copy under a mutex).
    std::shared_ptr<const SyncStatus> status() const;

    // Intents: each wakes the engine at once.
    void syncNow();  // push, fetch the directory and send a heartbeat now, ignoring backoff
    void notifySubmission();  // a referral was just queued: push now
    // Enrolls (or re-enrolls) with `serverUrl` using a single-use `code`; progress and the
    // result arrive in status().enrollPhase. A new enrollment replaces the old one only once the
    // server accepted it. Returns a ticket: status().enrollTicket equals it once the phase shown
    // is this call's (InProgress at once, then Succeeded or Failed). The URL must be https://
    // (plain http:// only on this machine: enrollment_policy.h); with `expectedPin` (from
    // checkServer, confirmed by staff) the request goes only to a server with that key. Before
    // enrolling away from another server, what waits in the queue is bound to that server.
    std::uint64_t enroll(const std::string& serverUrl, const std::string& code,
                         const std::string& expectedPin = "");
    // Checks `serverUrl` before a re-enrollment: the URL policy, that it is a Signpost server,
    // and its certificate's fingerprint; the outcome arrives in status().serverCheck (its ticket
    // equals the return value).
    std::uint64_t checkServer(const std::string& serverUrl);
    // Staff confirmed (a second time) that referrals held for `heldFor` may go to the server the
    // kiosk is enrolled with now.
    void releaseHeld(const std::string& heldFor);
    // The staff PIN's state, for the heartbeat (the UI thread owns StaffAuth). A change in the
    // lockouts or the lock sends a heartbeat at once, so coordinators see a kiosk being guessed at.
    void reportStaff(const protocol::StaffLockReport& report);

    const SyncEngineOptions& options() const noexcept { return m_options; }

private:
    struct Worker;
    void publish(const SyncStatus& status);

    SyncEngineOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::shared_ptr<const SyncStatus> m_status;
    // Intents, under m_mutex.
    bool m_stopping = false;
    std::atomic<bool> m_stopRequested{false};  // read by the worker between requests
    bool m_syncNow = false;
    bool m_submission = false;
    struct EnrollRequest {
        std::string url, code, pin;
    };
    std::optional<EnrollRequest> m_enroll;
    std::optional<std::string> m_checkServer;
    std::uint64_t m_checkTicket = 0;
    std::optional<std::string> m_release;
    protocol::StaffLockReport m_staff;  // under m_mutex
    bool m_staffChanged = false;        // under m_mutex: a heartbeat is wanted
    std::uint64_t m_enrollTicket = 0;
    std::unique_ptr<HttpClient> m_http;
    std::thread m_thread;

    friend struct Worker;
};

}  // namespace signpost::sync
