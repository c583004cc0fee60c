#include "sync/engine/sync_engine.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/directory_store.h"
#include "core/directory/hsds_import.h"
#include "core/referral/outbox.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/enrollment_policy.h"
#include "sync/engine/sync_ledger.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

namespace signpost::sync {

const char* toString(SyncState state) {
    switch (state) {
        case SyncState::Stopped: return "stopped";
        case SyncState::NotEnrolled: return "not_enrolled";
        case SyncState::Idle: return "idle";
        case SyncState::Syncing: return "syncing";
        case SyncState::Offline: return "offline";
        case SyncState::CaptivePortal: return "captive_portal";
        case SyncState::Revoked: return "revoked";
    }
    return "stopped";
}

namespace {

constexpr const char* kLog = "sync";
using Clock = std::chrono::steady_clock;

// Keys of the engine's own state in the outbox's sync_state table.
constexpr const char* kDirectoryVersionKey = "directory_version";
constexpr const char* kDirectoryEtagKey = "directory_etag";
constexpr const char* kDirectoryStampKey = "directory_updated_at";
constexpr const char* kDirectoryServerKey = "directory_server";

std::string nowIso() { return formatIsoUtc(std::chrono::system_clock::now()); }

std::uint64_t freeDiskBytes(const std::filesystem::path& dir) {
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

}  // namespace

// Everything the engine thread owns. Lives on that thread's stack, so nothing here needs a lock.
struct SyncEngine::Worker {
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

    Clock::time_point retryAt{};          // no automatic network use before this
    bool retryAfterHonoured = false;      // retryAt came from the server's Retry-After
    Clock::time_point nextDirectory{};
    Clock::time_point nextHeartbeat{};
    Clock::time_point nextPurge{};
    bool pushWanted = true;               // try whatever is queued at start
    bool directoryWanted = true;
    bool heartbeatWanted = true;
    bool revoked = false;
    bool captive = false;
    std::optional<std::pair<std::string, std::string>> generationSeen;  // server, generation

    Worker(SyncEngine& owner, HttpClient& client)
        : engine(owner), options(owner.m_options), http(client), backoff(owner.m_options.backoff) {}

    bool stopping() const { return engine.m_stopRequested.load(); }

    void publish() {
        ++status.generation;
        engine.publish(status);
    }

    SyncState restingState() const {
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

    // --- Storage --------------------------------------------------------------------------

    void openStores() {
        if (!outbox) {
            const std::filesystem::path file = options.outboxFile.empty()
                                                   ? options.dataDir / "outbox.db"
                                                   : options.outboxFile;
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
                return;  // the runtime creates it from the bundle; until then there is nothing to update
            }
            try {
                if (!zone) {
                    zone = TimeZone::load(options.timeZone);
                }
                directory = std::make_unique<DirectoryStore>(file.string(), *zone);
            } catch (const std::exception& failure) {
                directoryOpenFailed = true;  // not worth retrying every loop; pushes go on
                logWarning(kLog, std::string("cannot open the directory for updates: ") + failure.what());
            }
        }
    }

    void refreshCounts() {
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

    // Items a push round would send now: queued or marked to send again, not held for another
    // server.
    std::size_t pushable() const {
        const OutboxCounts& c = status.counts;
        const std::size_t waiting = c.queued + c.resend;
        return waiting > c.held ? waiting - c.held : 0;
    }

    // The server said which generation of its database answered (issue 9). A new one for the
    // same server means it was restored from a backup: what it lost is sent again.
    void noteGeneration(const HttpResponse& response) {
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

    // --- Outcomes -------------------------------------------------------------------------

    void succeeded() {
        backoff.succeeded();
        status.consecutiveFailures = 0;
        status.lastSuccessAt = nowIso();
        status.lastError.clear();
        status.lastErrorMessage.clear();
        captive = false;
        retryAfterHonoured = false;
    }

    void failed(const std::string& code, const std::string& message,
                std::optional<std::chrono::seconds> retryAfter = std::nullopt) {
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

    // A 200 that is not our JSON, an HTML page, a redirect: is it us or the venue's Wi-Fi?
    void oddResponse(const HttpResponse& response) {
        HttpRequest probe;
        probe.url = identity->enrollment.serverUrl + "/v1/probe";
        Result<HttpResponse> answer = http.send(probe);
        if (answer && answer.value().status == 204 && answer.value().body.empty()) {
            failed("bad_response", "the server sent an answer that could not be read (HTTP " +
                                       std::to_string(response.status) + ")");
            return;
        }
        captive = true;
        failed("captive_portal", "the network answered in place of the server: the venue's Wi-Fi "
                                 "probably needs its login page accepted");
    }

    // Judges a response that is not the expected success. Always records a failure.
    void unexpected(const HttpResponse& response) {
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
                   message.empty() ? "the server is busy or failing" : message,
                   response.retryAfter());
            return;
        }
        if (!apiError && code != 204 && code != 304) {
            oddResponse(response);  // a 404 page from a hotel login, say
            return;
        }
        failed("http_" + std::to_string(code), message.empty() ? "unexpected answer" : message);
    }

    Result<HttpResponse> request(const std::string& method, const std::string& path,
                                 std::string body = {},
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
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

    // --- Push -----------------------------------------------------------------------------

    protocol::Submission toSubmission(const OutboxItem& item) const {
        protocol::Submission submission;
        submission.id = item.id;
        submission.seq = item.seq;
        submission.createdAt = item.createdAt;
        submission.formVersion = item.formVersion;
        submission.venue = item.venue;
        submission.neighbourhood = item.neighbourhood;
        submission.serviceId = item.serviceId;
        submission.test = item.test;
        submission.sealed = item.sealed;
        identity->key->sign(submission);
        return submission;
    }

    // Pushes until the queue is empty (true) or a request fails (false).
    bool pushRound() {
        const std::size_t batchSize =
            std::clamp<std::size_t>(options.batchSize, 1, protocol::kMaxBatchItems);
        bool sentSomething = false;
        while (!stopping()) {
            const std::vector<OutboxItem> batch =
                ledger->nextBatch(batchSize, identity->enrollment.serverUrl);
            if (batch.empty()) {
                pushWanted = false;
                if (sentSomething) {
                    status.lastPushAt = nowIso();
                    directoryWanted = true;  // a good moment: the network works
                }
                return true;
            }
            protocol::SubmissionBatch body;
            std::vector<std::int64_t> seqs;
            for (const OutboxItem& item : batch) {
                body.submissions.push_back(toSubmission(item));
                seqs.push_back(item.seq);
            }
            status.state = SyncState::Syncing;
            publish();
            Result<HttpResponse> sent = request("POST", "/v1/submissions", protocol::toJson(body));
            if (!sent) {
                ledger->recordFailure(seqs, sent.error().code, std::chrono::system_clock::now());
                failed(sent.error().code, sent.error().message);
                return false;
            }
            const HttpResponse& response = sent.value();
            if (response.status != 200) {
                unexpected(response);
                ledger->recordFailure(seqs, status.lastError, std::chrono::system_clock::now());
                return false;
            }
            protocol::SubmissionResults results;
            try {
                results = protocol::parseSubmissionResults(response.body);
            } catch (const std::exception&) {
                oddResponse(response);
                ledger->recordFailure(seqs, status.lastError, std::chrono::system_clock::now());
                return false;
            }
            // Before the results: the items just stored in a new generation are still queued,
            // so they are not marked to be sent once more.
            noteGeneration(response);
            const MarkOutcome outcome =
                ledger->markResults(batch, results, std::chrono::system_clock::now());
            succeeded();
            status.sentThisRun += outcome.sent;
            sentSomething = sentSomething || outcome.sent > 0;
            refreshCounts();
            if (outcome.rejected > 0) {
                logWarning(kLog, std::to_string(outcome.rejected) +
                                     " referral(s) refused by the server: kept as rejected for staff");
            }
            if (outcome.unanswered > 0) {
                failed("no_result", "the server did not answer for every referral sent");
                return false;
            }
        }
        return false;
    }

    // --- Directory ------------------------------------------------------------------------

    bool directoryRound() {
        directoryWanted = false;
        if (!directory) {
            nextDirectory = Clock::now() + options.directoryInterval;
            return true;
        }
        directory->refreshIfChanged();
        std::int64_t since = 0;
        std::string etag;
        // Our record of the server version counts only while the store still holds what we
        // applied (not a bundle rebuilt since) and came from this server.
        const DirectoryStats stats = directory->stats();
        if (ledger->value(kDirectoryStampKey) == stats.updatedAt &&
            ledger->value(kDirectoryServerKey) == identity->enrollment.serverUrl) {
            since = std::stoll(ledger->value(kDirectoryVersionKey).value_or("0"));
            etag = ledger->value(kDirectoryEtagKey).value_or("");
        }
        std::vector<std::pair<std::string, std::string>> headers;
        if (!etag.empty()) {
            headers.emplace_back("If-None-Match", etag);
        }
        status.state = SyncState::Syncing;
        publish();
        Result<HttpResponse> sent =
            request("GET", "/v1/directory?since=" + std::to_string(since), {}, std::move(headers));
        if (!sent) {
            failed(sent.error().code, sent.error().message);
            directoryWanted = true;
            return false;
        }
        const HttpResponse& response = sent.value();
        if (response.status == 304) {
            succeeded();
            status.directoryVersion = since;
            nextDirectory = Clock::now() + options.directoryInterval;
            return true;
        }
        if (response.status != 200) {
            unexpected(response);
            directoryWanted = true;
            return false;
        }
        protocol::DirectoryUpdate update;
        DirectoryData data;
        try {
            update = protocol::parseDirectoryUpdate(response.body);
        } catch (const std::exception&) {
            oddResponse(response);
            directoryWanted = true;
            return false;
        }
        if (update.version == 0 || (update.directoryJson.empty() && !update.full &&
                                    update.deletedServiceIds.empty())) {
            // The server has published no directory (yet), or nothing changed: keep ours.
            succeeded();
            nextDirectory = Clock::now() + options.directoryInterval;
            return true;
        }
        try {
            data = parseHsdsJson(update.directoryJson);
            if (data.version.empty()) {
                data.version = "server-" + std::to_string(update.version);
            }
            if (update.full) {
                directory->replaceAll(data, "server");
            } else {
                directory->applyChanges(data, update.deletedServiceIds, data.version);
            }
        } catch (const ImportError& failure) {
            // The server's data is wrong, not the network: try again at the next poll.
            failed("bad_directory", std::string("the directory update was refused: ") + failure.what());
            nextDirectory = Clock::now() + options.directoryInterval;
            return false;
        }
        const DirectoryStats after = directory->stats();
        ledger->setValues({{kDirectoryVersionKey, std::to_string(update.version)},
                           {kDirectoryEtagKey, response.header("ETag")},
                           {kDirectoryStampKey, after.updatedAt},
                           {kDirectoryServerKey, identity->enrollment.serverUrl}});
        succeeded();
        status.directoryVersion = update.version;
        status.directoryUpdatedAt = nowIso();
        nextDirectory = Clock::now() + options.directoryInterval;
        logInfo(kLog, std::string("directory ") + (update.full ? "snapshot" : "changes") +
                          " applied: version " + std::to_string(update.version) + ", " +
                          std::to_string(data.services.size()) + " service(s) changed, " +
                          std::to_string(update.deletedServiceIds.size()) + " removed");
        return true;
    }

    // --- Heartbeat ------------------------------------------------------------------------

    bool heartbeatRound() {
        heartbeatWanted = false;
        protocol::Heartbeat beat;
        beat.appVersion = options.appVersion;
        beat.queued = status.counts.queued;
        beat.sent = status.counts.sent;
        beat.rejected = status.counts.rejected;
        beat.lastSyncAt = status.lastSuccessAt;
        beat.lastError = status.lastError;
        beat.freeDiskBytes = freeDiskBytes(options.dataDir);
        beat.directoryVersion = status.directoryVersion;
        {
            std::lock_guard lock(engine.m_mutex);
            beat.staff = engine.m_staff;
        }
        Result<HttpResponse> sent = request("POST", "/v1/devices/heartbeat", protocol::toJson(beat));
        if (!sent) {
            failed(sent.error().code, sent.error().message);
            heartbeatWanted = true;
            return false;
        }
        if (sent.value().status != 204) {
            unexpected(sent.value());
            heartbeatWanted = true;
            return false;
        }
        noteGeneration(sent.value());
        succeeded();
        status.lastHeartbeatAt = nowIso();
        nextHeartbeat = Clock::now() + options.heartbeatInterval;
        return true;
    }

    // --- Enrollment -----------------------------------------------------------------------

    void checkServerNow(const std::string& url, std::uint64_t ticket) {
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
                          (checked.value().plainLoopback ? "(plain http on this machine)" : checked.value().fingerprint));
    }

    void enrollNow(const std::string& url, const std::string& code, const std::string& pin) {
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

    void fillIdentity() {
        status.enrolled = identity.has_value();
        status.serverUrl = identity ? identity->enrollment.serverUrl : "";
        status.deviceId = identity ? identity->enrollment.deviceId : "";
        status.enrolledAt = identity ? identity->enrollment.enrolledAt : "";
    }

    // --- The loop -------------------------------------------------------------------------

    void step(bool& networkAllowed) {
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

    Clock::time_point wakeAt() const {
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

    void purge() {
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

    void run() {
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
                    logWarning(kLog, "staff confirmed: " + std::to_string(released) + " referral(s) held for " +
                                         *releaseRequest + " may go to " + status.serverUrl);
                    pushWanted = true;
                    retryAt = {};
                }
                if (syncNow) {
                    pushWanted = directoryWanted = heartbeatWanted = true;
                    retryAt = {};  // staff asked: try now, whatever the backoff said
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
                        retryAt = {};  // a new referral: try at once, unless the server asked us to wait
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
};

SyncEngine::SyncEngine(SyncEngineOptions options)
    : m_options(std::move(options)), m_status(std::make_shared<const SyncStatus>()) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable()) {
        return;
    }
    m_stopping = false;
    m_stopRequested = false;
    m_http = std::make_unique<HttpClient>(m_options.http);
    m_thread = std::thread([this] {
        Worker worker(*this, *m_http);
        worker.run();
        SyncStatus last = worker.status;
        last.state = SyncState::Stopped;
        last.nextAttemptAt.reset();
        ++last.generation;
        publish(last);
    });
}

void SyncEngine::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable()) {
            return;
        }
        m_stopping = true;
        m_stopRequested = true;
        if (m_http) {
            m_http->cancel();
        }
    }
    m_wake.notify_all();
    m_thread.join();
    m_http.reset();
}

bool SyncEngine::running() const {
    std::lock_guard lock(m_mutex);
    return m_thread.joinable() && !m_stopping;
}

std::shared_ptr<const SyncStatus> SyncEngine::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SyncEngine::publish(const SyncStatus& status) {
    auto snapshot = std::make_shared<const SyncStatus>(status);
    {
        std::lock_guard lock(m_mutex);
        m_status = std::move(snapshot);
    }
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
}

void SyncEngine::syncNow() {
    {
        std::lock_guard lock(m_mutex);
        m_syncNow = true;
    }
    m_wake.notify_all();
}

void SyncEngine::notifySubmission() {
    {
        std::lock_guard lock(m_mutex);
        m_submission = true;
    }
    m_wake.notify_all();
}

void SyncEngine::reportStaff(const protocol::StaffLockReport& report) {
    {
        std::lock_guard lock(m_mutex);
        if (report == m_staff) {
            return;
        }
        // Only what coordinators act on sends a heartbeat now; the rest rides the next one.
        m_staffChanged = m_staffChanged || report.lockouts != m_staff.lockouts ||
                         report.lockedUntil != m_staff.lockedUntil || report.pinSet != m_staff.pinSet;
        m_staff = report;
    }
    m_wake.notify_all();
}

std::uint64_t SyncEngine::checkServer(const std::string& serverUrl) {
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        m_checkServer = serverUrl;
        ticket = ++m_checkTicket;
        auto shown = std::make_shared<SyncStatus>(*m_status);
        shown->serverCheck = {};
        shown->serverCheck.phase = ServerCheck::Phase::InProgress;
        shown->serverCheck.ticket = ticket;
        m_status = std::move(shown);
    }
    m_wake.notify_all();
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
    return ticket;
}

void SyncEngine::releaseHeld(const std::string& heldFor) {
    {
        std::lock_guard lock(m_mutex);
        m_release = heldFor;
    }
    m_wake.notify_all();
}

std::uint64_t SyncEngine::enroll(const std::string& serverUrl, const std::string& code,
                                 const std::string& expectedPin) {
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        m_enroll = EnrollRequest{serverUrl, code, expectedPin};
        ticket = ++m_enrollTicket;
        // Show "enrolling" at once; the engine may be busy with a request for a moment.
        auto shown = std::make_shared<SyncStatus>(*m_status);
        shown->enrollPhase = EnrollPhase::InProgress;
        shown->enrollTicket = ticket;
        shown->enrollError.clear();
        shown->enrollMessage.clear();
        m_status = std::move(shown);
    }
    m_wake.notify_all();
    if (m_options.onStatusChanged) {
        m_options.onStatusChanged();
    }
    return ticket;
}

}  // namespace signpost::sync
