// The sync engine's worker: storage, outcomes, enrollment and the loop (sync_worker.h). The
// network rounds are in sync_rounds.cpp.

#include <sys/statvfs.h>

#include <algorithm>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/hsds_import.h"
#include "sync/engine/enrollment_policy.h"
#include "sync/engine/sync_worker.h"
#include "sync/protocol/submission_signing.h"

namespace signpost::sync {

using namespace engine_detail;

namespace engine_detail {

std::string nowIso() {
    return formatIsoUtc(std::chrono::system_clock::now());
}

std::uint64_t freeDiskBytes(const std::filesystem::path& dir) {
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

}  // namespace engine_detail

// --- Storage and status -----------------------------------------------------------------------

void SyncEngine::Worker::publish() {
    ++status.generation;
    engine.publish(status);
}

SyncState SyncEngine::Worker::restingState() const {
    if (!identity) {
        return SyncState::NotEnrolled;
    }
    if (revoked) {
        return SyncState::Revoked;
    }
    if (captive) {
        return SyncState::CaptivePortal;
    }
    if (!status.lastError.empty()) {
        return SyncState::Offline;
    }
    return SyncState::Idle;
}

void SyncEngine::Worker::openStores() {
    if (!outbox) {
        const std::filesystem::path file =
            options.outboxFile.empty() ? options.dataDir / "outbox.db" : options.outboxFile;
        outbox = std::make_unique<Outbox>(file.string());
        ledger = std::make_unique<SyncLedger>(*outbox);
        status.directoryVersion = std::stoll(ledger->value(kDirectoryVersionKey).value_or("0"));
    }
    if (!directory && options.syncDirectory && !directoryOpenFailed) {
        const std::filesystem::path file = options.directoryFile.empty()
                                               ? options.dataDir / "directory.db"
                                               : options.directoryFile;
        std::error_code error;
        if (!std::filesystem::exists(file, error)) {
            return;  // the runtime creates it from the bundle; until then there is nothing to
                     // update
        }
        try {
            if (!zone) {
                zone = TimeZone::load(options.timeZone);
            }
            directory = std::make_unique<DirectoryStore>(file.string(), *zone);
        } catch (const std::exception& failure) {
            directoryOpenFailed = true;  // not worth retrying every loop; pushes go on
            logWarning(kLog,
                       std::string("cannot open the directory for updates: ") + failure.what());
        }
    }
}

void SyncEngine::Worker::refreshCounts() {
    if (ledger) {
        status.counts = ledger->counts();
        status.heldFor.clear();
        if (status.counts.held > 0) {
            for (auto& [server, count] : ledger->heldServers()) {
                if (!identity || server != identity->enrollment.serverUrl) {
                    status.heldFor.emplace_back(std::move(server), count);
                }
            }
        }
    }
}

std::size_t SyncEngine::Worker::pushable() const {
    const OutboxCounts& c = status.counts;
    const std::size_t waiting = c.queued + c.resend;
    return waiting > c.held ? waiting - c.held : 0;
}

void SyncEngine::Worker::noteGeneration(const HttpResponse& response) {
    const std::string generation = response.header(protocol::kGenerationHeader);
    if (generation.empty() || !identity) {
        return;  // an older server
    }
    const std::string& server = identity->enrollment.serverUrl;
    if (generationSeen && generationSeen->first == server && generationSeen->second == generation) {
        return;
    }
    const std::size_t marked = ledger->noteServerGeneration(
        server, generation, std::chrono::system_clock::now() - options.sentGrace);
    generationSeen = std::make_pair(server, generation);
    if (marked > 0) {
        pushWanted = true;
        logWarning(kLog, "the server's data generation changed to " + generation +
                             " (restored from a backup): sending " + std::to_string(marked) +
                             " referral(s) again");
    }
}

// --- Outcomes ---------------------------------------------------------------------------------

void SyncEngine::Worker::succeeded() {
    backoff.succeeded();
    status.consecutiveFailures = 0;
    status.lastSuccessAt = nowIso();
    status.lastError.clear();
    status.lastErrorMessage.clear();
    captive = false;
    retryAfterHonoured = false;
}

void SyncEngine::Worker::failed(const std::string& code, const std::string& message,
                                std::optional<std::chrono::seconds> retryAfter) {
    if (code == "cancelled" && stopping()) {
        return;
    }
    const std::chrono::milliseconds delay = backoff.failed(retryAfter);
    retryAt = Clock::now() + delay;
    retryAfterHonoured = retryAfter.has_value();
    status.consecutiveFailures = backoff.failures();
    status.lastError = code;
    status.lastErrorMessage = message;
    status.lastErrorAt = nowIso();
    logInfo(kLog, "sync failed (" + code + "): " + message + "; next try in " +
                      std::to_string(delay.count() / 1000) + " s");
}

void SyncEngine::Worker::oddResponse(const HttpResponse& response) {
    HttpRequest probe;
    probe.url = identity->enrollment.serverUrl + "/v1/probe";
    Result<HttpResponse> answer = http.send(probe);
    if (answer && answer.value().status == 204 && answer.value().body.empty()) {
        failed("bad_response", "the server sent an answer that could not be read (HTTP " +
                                   std::to_string(response.status) + ")");
        return;
    }
    captive = true;
    failed("captive_portal",
           "the network answered in place of the server: the venue's Wi-Fi "
           "probably needs its login page accepted");
}

void SyncEngine::Worker::unexpected(const HttpResponse& response) {
    const long code = response.status;
    const auto apiError = protocol::parseApiError(response.body);
    const std::string message = apiError ? apiError->message : "";
    if (code == 401) {
        revoked = true;
        failed("revoked", message.empty() ? "the server no longer accepts this kiosk" : message);
        logWarning(kLog, "the server refused this kiosk's token (401): re-enrollment needed");
        return;
    }
    if ((code >= 300 && code < 400) || (code == 200 && !apiError)) {
        oddResponse(response);
        return;
    }
    if (code == 429 || code >= 500) {
        failed("http_" + std::to_string(code),
               message.empty() ? "the server is busy or failing" : message, response.retryAfter());
        return;
    }
    if (!apiError && code != 204 && code != 304) {
        oddResponse(response);  // a 404 page from a hotel login, say
        return;
    }
    failed("http_" + std::to_string(code), message.empty() ? "unexpected answer" : message);
}

Result<HttpResponse> SyncEngine::Worker::request(
    const std::string& method, const std::string& path, std::string body,
    std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest req;
    req.method = method;
    req.url = identity->enrollment.serverUrl + path;
    req.headers = std::move(headers);
    req.headers.emplace_back("Authorization", "Bearer " + identity->token);
    if (!body.empty()) {
        req.headers.emplace_back("Content-Type", "application/json");
    }
    req.body = std::move(body);
    return http.send(req);
}

// --- Enrollment -------------------------------------------------------------------------------

void SyncEngine::Worker::checkServerNow(const std::string& url, std::uint64_t ticket) {
    status.serverCheck = {};
    status.serverCheck.phase = ServerCheck::Phase::InProgress;
    status.serverCheck.ticket = ticket;
    publish();
    Result<ServerIdentity> checked = inspectServer(http, url);
    if (!checked) {
        status.serverCheck.phase = ServerCheck::Phase::Failed;
        status.serverCheck.error = checked.error().code;
        status.serverCheck.message = checked.error().message;
        logInfo(kLog, "server check failed: " + checked.error().code);
        return;
    }
    status.serverCheck.phase = ServerCheck::Phase::Ready;
    status.serverCheck.url = checked.value().url;
    status.serverCheck.plainLoopback = checked.value().plainLoopback;
    status.serverCheck.fingerprint = checked.value().fingerprint;
    status.serverCheck.pin = checked.value().pin;
    logInfo(kLog, "server checked for enrollment: " + checked.value().url + " key " +
                      (checked.value().plainLoopback ? "(plain http on this machine)"
                                                     : checked.value().fingerprint));
}

void SyncEngine::Worker::enrollNow(const std::string& url, const std::string& code,
                                   const std::string& pin) {
    status.enrollPhase = EnrollPhase::InProgress;
    status.enrollError.clear();
    status.enrollMessage.clear();
    status.state = SyncState::Syncing;
    publish();
    // https://, or http:// only on this machine (issue 9).
    if (Result<std::string> allowed = checkEnrollmentUrl(url); !allowed) {
        status.enrollPhase = EnrollPhase::Failed;
        status.enrollError = allowed.error().code;
        status.enrollMessage = allowed.error().message;
        logWarning(kLog, "enrollment refused: " + allowed.error().code);
        return;
    }
    // What waits for the current server stays bound to it: never sent elsewhere unasked.
    if (identity && ledger) {
        const Result<std::string> target = normaliseServerUrl(url);
        if (target && target.value() != identity->enrollment.serverUrl) {
            const std::size_t held = ledger->holdFor(identity->enrollment.serverUrl);
            if (held > 0) {
                logWarning(kLog, std::to_string(held) + " waiting referral(s) stay bound to " +
                                     identity->enrollment.serverUrl);
            }
        }
    }
    EnrollParams params;
    params.serverUrl = url;
    params.enrollmentCode = code;
    params.deviceName = options.deviceName;
    params.venue = options.venue;
    params.expectedPin = pin;
    Result<DeviceIdentity> enrolled = enrollDevice(http, params, options.dataDir);
    if (!enrolled) {
        status.enrollPhase = EnrollPhase::Failed;
        status.enrollError = enrolled.error().code;
        status.enrollMessage = enrolled.error().message;
        logInfo(kLog, "enrollment failed: " + enrolled.error().code);
        return;
    }
    identity = std::move(enrolled).value();
    revoked = false;
    captive = false;
    backoff.succeeded();
    retryAt = {};
    status.lastError.clear();
    status.lastErrorMessage.clear();
    status.consecutiveFailures = 0;
    pushWanted = directoryWanted = heartbeatWanted = true;
    status.enrollPhase = EnrollPhase::Succeeded;
    fillIdentity();
}

void SyncEngine::Worker::fillIdentity() {
    status.enrolled = identity.has_value();
    status.serverUrl = identity ? identity->enrollment.serverUrl : "";
    status.deviceId = identity ? identity->enrollment.deviceId : "";
    status.enrolledAt = identity ? identity->enrollment.enrolledAt : "";
}

// --- The loop ---------------------------------------------------------------------------------

void SyncEngine::Worker::step(bool& networkAllowed) {
    openStores();
    refreshCounts();
    const Clock::time_point now = Clock::now();
    if (!identity || revoked || now < retryAt || !networkAllowed) {
        return;
    }
    if (pushWanted || pushable() > 0) {
        if (!pushRound()) {
            return;
        }
    }
    if (stopping()) {
        return;
    }
    if (options.syncDirectory && (directoryWanted || Clock::now() >= nextDirectory)) {
        if (!directoryRound()) {
            return;
        }
    }
    if (heartbeatWanted || Clock::now() >= nextHeartbeat) {
        heartbeatRound();
    }
}

Clock::time_point SyncEngine::Worker::wakeAt() const {
    if (!identity || revoked) {
        return Clock::time_point::max();
    }
    Clock::time_point at = std::min(nextHeartbeat, nextPurge);
    if (options.syncDirectory) {
        at = std::min(at, nextDirectory);
    }
    if (pushWanted || directoryWanted || heartbeatWanted || pushable() > 0) {
        at = std::min(at, retryAt);
    }
    return std::max(at, retryAt);
}

void SyncEngine::Worker::purge() {
    const Clock::time_point now = Clock::now();
    if (!ledger || now < nextPurge) {
        return;
    }
    nextPurge = now + std::chrono::minutes(1);
    const std::size_t wiped =
        ledger->purgeSentBefore(std::chrono::system_clock::now() - options.sentGrace);
    if (wiped > 0) {
        logInfo(kLog, "wiped the ciphertext of " + std::to_string(wiped) + " sent referral(s)");
    }
}

void SyncEngine::Worker::run() {
    try {
        identity = loadDeviceIdentity(options.dataDir);
    } catch (const std::exception& failure) {
        logWarning(kLog, std::string("cannot read the enrollment: ") + failure.what());
    }
    fillIdentity();
    while (true) {
        bool syncNow = false;
        bool submission = false;
        bool staffChanged = false;
        std::optional<EnrollRequest> enrollRequest;
        std::optional<std::string> checkRequest;
        std::uint64_t checkTicket = 0;
        std::optional<std::string> releaseRequest;
        std::uint64_t enrollTicket = 0;
        {
            std::unique_lock lock(engine.m_mutex);
            if (engine.m_stopping) {
                break;
            }
            std::swap(syncNow, engine.m_syncNow);
            std::swap(staffChanged, engine.m_staffChanged);
            std::swap(submission, engine.m_submission);
            std::swap(enrollRequest, engine.m_enroll);
            enrollTicket = engine.m_enrollTicket;
            std::swap(checkRequest, engine.m_checkServer);
            checkTicket = engine.m_checkTicket;
            std::swap(releaseRequest, engine.m_release);
        }
        try {
            if (checkRequest) {
                checkServerNow(*checkRequest, checkTicket);
            }
            if (enrollRequest) {
                status.enrollTicket = enrollTicket;
                openStores();
                enrollNow(enrollRequest->url, enrollRequest->code, enrollRequest->pin);
            }
            if (releaseRequest) {
                openStores();
                const std::size_t released = ledger->release(*releaseRequest);
                logWarning(kLog, "staff confirmed: " + std::to_string(released) +
                                     " referral(s) held for " + *releaseRequest + " may go to " +
                                     status.serverUrl);
                pushWanted = true;
                retryAt = {};
            }
            if (syncNow) {
                pushWanted = directoryWanted = heartbeatWanted = true;
                retryAt = {};     // staff asked: try now, whatever the backoff said
                revoked = false;  // and find out again whether the server still refuses us
                if (!identity) {
                    try {
                        identity = loadDeviceIdentity(options.dataDir);
                        fillIdentity();
                    } catch (const std::exception&) {
                    }
                }
            }
            if (staffChanged) {
                heartbeatWanted = true;
                if (!retryAfterHonoured) {
                    retryAt = {};
                }
            }
            if (submission) {
                pushWanted = true;
                if (!retryAfterHonoured) {
                    retryAt =
                        {};  // a new referral: try at once, unless the server asked us to wait
                }
            }
            bool networkAllowed = true;
            step(networkAllowed);
            purge();
            refreshCounts();
        } catch (const std::exception& failure) {
            // Storage trouble (disk full, a damaged file): reopen next time, keep the kiosk up.
            ledger.reset();
            outbox.reset();
            directory.reset();
            failed("storage", failure.what());
        }
        status.state = restingState();
        status.nextAttemptAt.reset();
        const Clock::time_point wake = wakeAt();
        if (wake != Clock::time_point::max()) {
            status.nextAttemptAt = wake;
        }
        publish();
        std::unique_lock lock(engine.m_mutex);
        const auto woken = [&] {
            return engine.m_stopping || engine.m_syncNow || engine.m_submission ||
                   engine.m_staffChanged || engine.m_enroll.has_value() ||
                   engine.m_checkServer.has_value() || engine.m_release.has_value();
        };
        if (wake == Clock::time_point::max()) {
            engine.m_wake.wait(lock, woken);
        } else {
            engine.m_wake.wait_until(lock, wake, woken);
        }
    }
}

}  // namespace signpost::sync
