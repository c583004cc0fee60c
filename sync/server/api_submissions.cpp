// Signpost server — the submissions routes: a kiosk's POST /v1/submissions (size and signature
// checked on the worker, then stored by the single writer; a result per item), the coordinators'
// GET /v1/submissions (cursor-paged, restarting from the start after a restore) and POST
// /v1/submissions/ack.
#include "sync/server/api_server.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

void ApiServer::Impl::pushSubmissions(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    protocol::SubmissionBatch batch = protocol::parseSubmissionBatch(req.body);
    if (batch.submissions.size() > config.maxBatchItems) {
        throw protocol::WireFormatError("submissions",
                                        "holds " + std::to_string(batch.submissions.size()) +
                                            " submissions; this server takes at most " +
                                            std::to_string(config.maxBatchItems) + " per request");
    }
    // Checks that need no database run here, on the worker thread, so the single writer only
    // does the inserts.
    protocol::SubmissionResults answer;
    answer.results.resize(batch.submissions.size());
    std::vector<IncomingSubmission> accepted;
    std::vector<std::size_t> acceptedAt;
    for (std::size_t i = 0; i < batch.submissions.size(); ++i) {
        protocol::Submission& s = batch.submissions[i];
        answer.results[i].id = s.id;
        if (s.sealed.size() > config.maxSealedBytes) {
            answer.results[i].status = protocol::ItemStatus::Rejected;
            answer.results[i].error = "invalid: sealed is larger than " +
                                      std::to_string(config.maxSealedBytes) + " bytes";
            metrics.increment("signpost_submission_rejections_total", "reason", "invalid");
            continue;
        }
        if (!protocol::verifySubmission(s, principal->signingKey)) {
            answer.results[i].status = protocol::ItemStatus::Rejected;
            answer.results[i].error = "bad_signature";
            metrics.increment("signpost_submission_rejections_total", "reason", "bad_signature");
            logWarning("ingest",
                       "bad signature on submission " + s.id + " from device " + principal->id);
            continue;
        }
        IncomingSubmission item;
        item.contentHash = protocol::contentHash(s);
        item.submission = std::move(s);
        accepted.push_back(std::move(item));
        acceptedAt.push_back(i);
    }
    if (!accepted.empty()) {
        const auto stored = store.storeSubmissions(principal->id, accepted, clock());
        for (std::size_t k = 0; k < stored.size(); ++k) {
            answer.results[acceptedAt[k]] = stored[k];
            if (stored[k].status == protocol::ItemStatus::Rejected) {
                metrics.increment("signpost_submission_rejections_total", "reason",
                                  stored[k].error);
                logWarning("ingest", "conflict: submission " + stored[k].id + " from device " +
                                         principal->id + " differs from the stored one; rejected");
            }
        }
    }
    std::size_t counts[3] = {0, 0, 0};
    for (const protocol::ItemResult& r : answer.results) {
        ++counts[static_cast<int>(r.status)];
    }
    metrics.increment("signpost_submissions_total", "result", "stored", counts[0]);
    metrics.increment("signpost_submissions_total", "result", "duplicate", counts[1]);
    metrics.increment("signpost_submissions_total", "result", "rejected", counts[2]);
    // Kiosks re-send what a restored database lost when this changes (issue 9).
    res.set_header(protocol::kGenerationHeader, store.generation());
    sendJson(res, 200, protocol::toJson(answer));
}

void ApiServer::Impl::pullSubmissions(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Coordinator)) {
        return;
    }
    protocol::PullCursor after;
    std::int64_t limit = std::min<std::int64_t>(100, static_cast<std::int64_t>(config.maxPullPage));
    if (req.has_param("after")) {
        after = protocol::parsePullCursor(req.get_param_value("after"));
    }
    if (req.has_param("limit")) {
        const auto value = parseInteger(req.get_param_value("limit"));
        if (!value || *value < 1 || *value > static_cast<std::int64_t>(config.maxPullPage)) {
            throw protocol::WireFormatError(
                "limit", "expected a whole number from 1 to " + std::to_string(config.maxPullPage));
        }
        limit = *value;
    }
    // A cursor of another generation (the database was restored since) counts for nothing here:
    // read from the start of this one, and say so (issue 9).
    const std::string generation = store.generation();
    const bool restarted = !after.generation.empty() && after.generation != generation;
    auto page =
        store.pullSubmissions(restarted ? 0 : after.cursor, static_cast<std::size_t>(limit));
    page.generation = generation;
    page.restarted = restarted;
    sendJson(res, 200, protocol::toJson(page));
}

void ApiServer::Impl::ackSubmissions(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Coordinator)) {
        return;
    }
    const protocol::AckRequest request = protocol::parseAckRequest(req.body);
    const AckResult result = store.ackSubmissions(request.ids, clock());
    nlohmann::json body{{"acked", result.acked},
                        {"already_acked", result.alreadyAcked},
                        {"unknown_ids", result.unknownIds}};
    sendJson(res, 200, body.dump());
}

}  // namespace signpost::server
