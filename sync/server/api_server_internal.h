// Signpost server — what the ApiServer's source files share: the Impl (its state, the route
// table's handlers and the authorization they call) and the small helpers every handler uses to
// answer. api_server.cpp sets the server up (routes table, transport options, logging, start and
// stop); the handlers live by resource in api_auth.cpp, api_enrollment.cpp, api_devices.cpp,
// api_submissions.cpp, api_directory.cpp (with the ORUK adapter) and api_metrics.cpp. Not part of
// the server's API: include it only from those files.
//
// Thread-safety: as api_server.h. Handlers run on worker threads; the limiters, nonces, metrics
// and the activity map lock themselves; the rest of Impl is set before start() and only read.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/server/api_server.h"
#include "sync/server/directory_feed.h"
#include "sync/server/enrollment_nonce.h"
#include "sync/server/http_transport.h"
#include "sync/server/oruk_api.h"
#include "sync/server/rate_limiter.h"

namespace signpost::server {

namespace api_detail {

constexpr const char* kJson = "application/json";

// The device a handler found, for the request's log line. A handler runs on one worker thread
// from start to end, so a thread_local is exact; guarded() copies it into the response.
struct RequestContext {
    std::string deviceId;
};
inline thread_local RequestContext t_request;

// A JSON body with its status.
void sendJson(Response& res, int status, const std::string& body);
// An error (http_message.h's setApiError) with Retry-After (429, 503).
void sendRetryLater(Response& res, int status, const std::string& code, const std::string& message,
                    std::chrono::seconds retryAfter);
// A query parameter's whole decimal number; nullopt for anything else (signs, spaces, "").
std::optional<std::int64_t> parseInteger(const std::string& text);

}  // namespace api_detail

struct ApiServer::Impl {
    Impl(const ServerConfig& c, ServerStore& s)
        : config(c),
          store(s),
          directory(s, c.directoryHistory),
          enrollLimiter(c.enrollBurst, c.enrollPerHour),
          enrollCodeLimiter(c.enrollBurst, c.enrollPerHour),
          badTokenLimiter(c.badTokenBurst, c.badTokenPerHour) {}

    ServerConfig config;
    ServerStore& store;
    Metrics metrics;
    DirectoryFeed directory;
    OrukApi oruk{store};
    RateLimiter enrollLimiter;      // failed enrollments per client address
    RateLimiter enrollCodeLimiter;  // failed enrollments per code, from all addresses
    RateLimiter badTokenLimiter;    // failed token checks per client address
    EnrollmentNonces nonces;
    std::function<SystemTime()> clock = [] { return std::chrono::system_clock::now(); };
    std::function<std::string()> extraMetrics;

    std::vector<std::string> fixedPaths;  // the routes' exact paths, set by start()
    std::unique_ptr<HttpTransport> http;
    int boundPort = 0;

    std::mutex activityMutex;
    std::unordered_map<std::string, SystemTime> activity;  // device id → last request

    // --- plumbing ---
    HttpTransportOptions transportOptions() const;
    std::vector<HttpRoute> routes();
    // The route a path is logged and counted under: a fixed route's path, an ORUK template
    // ("/services/{id}"), else "unmatched" (never the raw path, which could hold anything).
    std::string routeTemplate(const std::string& path) const;
    void serveOruk(const Request& req, Response& res);
    void logRequest(const Request& req, const Response& res, double seconds);

    using Handler = std::function<void(const Request&, Response&)>;
    Handler guarded(Handler handler);

    enum class Access { Device, Coordinator };
    std::optional<Principal> authorize(const Request& req, Response& res, Access access);
    // The admit step of a route with a body: the token is checked before the body is read.
    std::function<bool(Request&, Response&)> admitFor(Access access);
    void noteDevice(const std::string& deviceId);

    // --- routes ---
    void enroll(const Request& req, Response& res);
    void enrollNonce(const Request& req, Response& res);
    void pushSubmissions(const Request& req, Response& res);
    void getDirectory(const Request& req, Response& res);
    void heartbeat(const Request& req, Response& res);
    void deviceSettings(const Request& req, Response& res);
    void pullSubmissions(const Request& req, Response& res);
    void ackSubmissions(const Request& req, Response& res);
    void listDevices(const Request& req, Response& res);
    void health(const Request& req, Response& res);
    void renderMetrics(const Request& req, Response& res);
    void appendBackupGauges(std::vector<Metrics::Gauge>& gauges) const;
};

}  // namespace signpost::server
