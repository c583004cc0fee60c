// The sync engine's network rounds: push the outbox, update the directory, send the heartbeat
// (sync_worker.h).

#include <algorithm>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/directory/hsds_import.h"
#include "sync/engine/enrollment_policy.h"
#include "sync/engine/sync_worker.h"
#include "sync/protocol/submission_signing.h"

namespace signpost::sync {

using namespace engine_detail;

// --- Push -------------------------------------------------------------------------------------

protocol::Submission SyncEngine::Worker::toSubmission(const OutboxItem& item) const {
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

bool SyncEngine::Worker::pushRound() {
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

// --- Directory --------------------------------------------------------------------------------

bool SyncEngine::Worker::directoryRound() {
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
    if (update.version == 0 ||
        (update.directoryJson.empty() && !update.full && update.deletedServiceIds.empty())) {
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

// --- Heartbeat --------------------------------------------------------------------------------

bool SyncEngine::Worker::heartbeatRound() {
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

}  // namespace signpost::sync
