// Signpost server — the v1 HTTP API on cpp-httplib (routes and status codes: README "Sync API").
//
//   POST /v1/devices/enroll      none (the enrollment code)  201 {device_id, device_token}
//   POST /v1/submissions         device                      200 {results:[...]} per item
//   GET  /v1/directory?since=V   device                      200 DirectoryUpdate | 304
//   POST /v1/devices/heartbeat   device                      204
//   GET  /v1/submissions?after=C&limit=N  coordinator        200 SubmissionPage
//   POST /v1/submissions/ack     coordinator                 200 {acked, already_acked,
//   unknown_ids} GET  /v1/devices             coordinator                 200 DeviceList GET
//   /v1/probe               none                        204, no body (captive-portal probe) GET
//   /healthz                none                        200 {"status":"ok",...} | 503 GET  /metrics
//   none (or coordinator)       200 Prometheus text
//
// Also, unless [oruk] enabled = false: the read-only ORUK 3.0 API (oruk_api.h) at GET /,
// /services[/{id}], /taxonomies, /taxonomy_terms, /organizations, /service_at_locations —
// public, or coordinator token with [oruk] public = false.
//
// Enrollment: the code names the venue; the device is registered for the code's venue whatever
// the request's `venue` says. A retry with the same code and signing key within 15 minutes (the
// first answer was lost) re-issues the token for the same device instead of failing.
// Ack: {"acked": newly acknowledged, "already_acked": n, "unknown_ids": [...]}; unknown ids are
// not an error (say, ids from another server's database in a stale state file).
//
// Every error is {"error":{"code","message"}}: 400 invalid_json / invalid_field (naming the
// field), 401 unauthorized (no, unknown or revoked token; bad enrollment code), 403 forbidden
// (wrong role), 404 not_found, 405 method_not_allowed, 411 length_required (chunked bodies),
// 413 too_large (Content-Length over the cap, refused before the body is read), 415
// unsupported_encoding, 429 rate_limited + Retry-After (enrollment attempts, repeated bad
// tokens, per client address), 500 internal, 503 unavailable + Retry-After (storage trouble).
//
// One log line per request: method, route template, status, duration, bytes, device id when
// known. Never a body, a token, a query value or anything a resident typed.
//
// Thread-safety: start()/stop() from one thread; requests are served on the worker pool.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/common/time_util.h"
#include "sync/server/metrics.h"
#include "sync/server/server_config.h"
#include "sync/server/server_store.h"

namespace signpost::server {

class ApiServer {
public:
    // `store` must outlive the server. Nothing listens until start().
    ApiServer(const ServerConfig& config, ServerStore& store);
    ~ApiServer();  // stops
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds (config.port, or any free port for 0) and serves on a background thread. Throws
    // std::runtime_error if the TLS certificate or key cannot be loaded or the bind fails.
    void start();
    // Stops accepting, finishes requests in flight, joins. Safe to call twice.
    void stop();

    int port() const noexcept;
    std::string baseUrl() const;  // "https://127.0.0.1:8443" (IPv6 literals in brackets)

    // Writes the "last seen" times collected since the previous flush (the maintenance task
    // calls this every few seconds; stop() calls it once more).
    void flushDeviceActivity();

    Metrics& metrics() noexcept;
    // More Prometheus text for GET /metrics, rendered at each scrape (the directory feeds').
    // Call before start().
    void setExtraMetrics(std::function<std::string()> render);
    // The clock stamped on received_at, acked_at, enrollments... Default: system_clock::now.
    // Tests set it before start().
    void setClock(std::function<SystemTime()> clock);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace signpost::server
