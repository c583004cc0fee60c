// Signpost — what the sync engine is doing, as an immutable snapshot the UI reads each frame.
//
// The engine publishes a new SyncStatus (a shared_ptr to const) whenever something a person would
// notice changes; the UI keeps the pointer for the frame. Times are wall-clock UTC ISO 8601 text
// (for display) except nextAttemptAt, a time_point the staff panel turns into "in 2 minutes".
// Error codes are stable and non-personal; messages are one line of English for the log and the
// staff panel's "details" (the panel shows translated text chosen by state and code).
// Thread-safety: immutable once published.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/referral/outbox.h"

namespace signpost::sync {

enum class SyncState {
    Stopped,        // the engine is not running
    NotEnrolled,    // no enrollment yet: referrals wait in the queue
    Idle,           // online; nothing waiting
    Syncing,        // a request is in flight
    Offline,        // the last try failed (network, server down, busy); retrying with backoff
    CaptivePortal,  // the venue's Wi-Fi wants its login page accepted first
    Revoked,        // the server no longer accepts this kiosk (401): re-enroll
};
const char* toString(SyncState state);  // "stopped", "not_enrolled", "idle", ...

enum class EnrollPhase { None, InProgress, Succeeded, Failed };

// The server staff asked to re-enroll with, checked before its code is sent (issue 9): the
// fingerprint of its certificate's key, for staff to confirm (sync/engine/enrollment_policy.h).
struct ServerCheck {
    enum class Phase { None, InProgress, Ready, Failed } phase = Phase::None;
    std::uint64_t ticket = 0;    // SyncEngine::checkServer()'s return value this belongs to
    std::string url;             // normalised
    bool plainLoopback = false;  // http:// to this machine: no certificate
    std::string fingerprint;     // "AB12 CD34 ..." (16 groups)
    std::string pin;             // "sha256//<base64>": pass to enroll() once confirmed
    std::string error;           // code, for Failed ("insecure_url", "tls", "not_signpost" ...)
    std::string message;
};

struct SyncStatus {
    SyncState state = SyncState::Stopped;
    // Enrollment
    bool enrolled = false;
    std::string serverUrl;  // "" when not enrolled
    std::string deviceId;
    std::string enrolledAt;
    EnrollPhase enrollPhase = EnrollPhase::None;  // of the enroll() call numbered enrollTicket
    std::uint64_t enrollTicket = 0;  // SyncEngine::enroll()'s return value this phase belongs to
    std::string enrollError;         // code, for Failed ("enroll_refused", "connect", ...)
    std::string enrollMessage;       // one line, English, non-personal
    ServerCheck serverCheck;         // the last checkServer() call's outcome
    // Referrals held for servers this kiosk was enrolled with before, never sent elsewhere
    // until staff confirm (releaseHeld): server URL and count.
    std::vector<std::pair<std::string, std::size_t>> heldFor;
    // Queue (the outbox's counts as of this snapshot)
    OutboxCounts counts;
    std::size_t sentThisRun = 0;  // acked since the engine started
    // Outcomes
    std::string lastSuccessAt;  // last request the server answered properly; "" = never
    std::string lastPushAt;     // last push round that emptied the queue or made progress
    std::string lastError;      // code of the last failure ("" after a success)
    std::string lastErrorMessage;
    std::string lastErrorAt;
    // When the next automatic try is due (steady clock); nullopt = nothing scheduled.
    std::optional<std::chrono::steady_clock::time_point> nextAttemptAt;
    int consecutiveFailures = 0;
    // Directory
    std::int64_t directoryVersion = 0;  // the server's version this kiosk holds; 0 = bundle
    std::string directoryUpdatedAt;     // last update applied from the server
    std::string lastHeartbeatAt;
    std::uint64_t generation = 0;  // +1 per published snapshot
};

}  // namespace signpost::sync
