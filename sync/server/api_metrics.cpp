// Signpost server — what operators watch: GET /healthz (touches the database) and GET /metrics
// (Prometheus text: request counters, store figures, the last backup recorded beside the
// database, the transport's refusals and whatever the directory feeds add).
#include "sync/server/api_server.h"

#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "sync/server/backup_status.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

namespace {

std::string jsonString(const std::string& text) {
    return nlohmann::json(text).dump();
}

}  // namespace

void ApiServer::Impl::health(const Request&, Response& res) {
    const DirectoryVersionInfo directoryVersion =
        store.currentDirectoryVersion();  // touches the DB
    sendJson(res, 200,
             "{\"status\":\"ok\",\"version\":" + jsonString(SIGNPOST_VERSION) +
                 ",\"directory_version\":" + std::to_string(directoryVersion.version) + "}");
}

// What `signpost-server backup` (the daily timer, or an admin) last recorded beside the database.
// Always present, 0 while nothing was recorded, so "time() - last backup > 2 days" also fires
// for a server that was never backed up.
void ApiServer::Impl::appendBackupGauges(std::vector<Metrics::Gauge>& gauges) const {
    BackupStatus status;
    try {
        status = readBackupStatus(backupStatusFile(config.databasePath()));
    } catch (const std::exception& error) {
        logWarning("metrics", std::string("backup status unreadable: ") + error.what());
    }
    const auto time = [](const std::optional<BackupStatus::Outcome>& outcome) {
        return outcome ? static_cast<double>(outcome->unixTime) : 0.0;
    };
    gauges.push_back({"signpost_last_backup_timestamp_seconds",
                      "When the last successful backup finished (Unix time; 0 = none recorded).",
                      time(status.lastSuccess)});
    gauges.push_back({"signpost_last_backup_size_bytes", "Size of the last successful backup.",
                      status.lastSuccess ? static_cast<double>(status.lastSuccess->bytes) : 0.0});
    gauges.push_back({"signpost_last_backup_failure_timestamp_seconds",
                      "When the last failed backup ended (Unix time; 0 = none recorded).",
                      time(status.lastFailure)});
    gauges.push_back({"signpost_backup_last_attempt_succeeded",
                      "1 if the most recent backup succeeded, 0 if it failed or none ran.",
                      status.lastAttemptSucceeded ? 1.0 : 0.0});
    gauges.push_back({"signpost_backups_total", "Successful backups recorded.",
                      static_cast<double>(status.successes), "counter"});
    gauges.push_back({"signpost_backup_failures_total", "Failed backups recorded.",
                      static_cast<double>(status.failures), "counter"});
}

void ApiServer::Impl::renderMetrics(const Request& req, Response& res) {
    if (!config.metricsPublic && !authorize(req, res, Access::Coordinator)) {
        return;
    }
    const StoreStats stats = store.stats();
    std::vector<Metrics::Gauge> gauges = {
        {"signpost_submissions_held", "Submissions whose ciphertext the server holds.",
         static_cast<double>(stats.submissionsStored)},
        {"signpost_submissions_unacked", "Submissions no coordinator has acknowledged yet.",
         static_cast<double>(stats.submissionsUnacked)},
        {"signpost_devices_active", "Enrolled devices that are not revoked.",
         static_cast<double>(stats.devicesActive)},
        {"signpost_devices_revoked", "Revoked devices.", static_cast<double>(stats.devicesRevoked)},
        {"signpost_directory_version", "The current directory version.",
         static_cast<double>(stats.directoryVersion)},
    };
    appendBackupGauges(gauges);
    if (http) {
        // What the transport refused or cut since the start (gauges of running totals).
        const HttpTransport::Counters c = http->counters();
        gauges.push_back({"signpost_http_connections_open", "Open client connections.",
                          static_cast<double>(c.openConnections)});
        gauges.push_back({"signpost_http_busy_refusals",
                          "Requests answered 503 because the work queue was full.",
                          static_cast<double>(c.busy)});
        gauges.push_back({"signpost_http_deadline_closes",
                          "Connections closed because a request took longer than "
                          "request_timeout_seconds.",
                          static_cast<double>(c.deadline)});
        gauges.push_back({"signpost_http_drain_closes",
                          "Connections closed while sending on far past the body limit.",
                          static_cast<double>(c.drained)});
        gauges.push_back({"signpost_http_address_cap_refusals",
                          "Connections refused by max_connections_per_address.",
                          static_cast<double>(c.addressCapped)});
    }
    res.status = 200;
    res.set_content(metrics.render(gauges) + (extraMetrics ? extraMetrics() : std::string()),
                    "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace signpost::server
