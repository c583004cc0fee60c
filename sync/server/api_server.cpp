#include "sync/server/api_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/operations/remote_settings.h"
#include "core/storage/database.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/backup_status.h"
#include "sync/server/client_address.h"
#include "sync/server/directory_feed.h"
#include "sync/server/enrollment_nonce.h"
#include "sync/server/http_transport.h"
#include "sync/server/oruk_api.h"
#include "sync/server/rate_limiter.h"
#include "sync/server/tokens.h"

namespace signpost::server {

namespace {

constexpr const char* kJson = "application/json";
// A kiosk whose enroll response was lost may retry with the same code and key for this long.
constexpr std::chrono::minutes kReissueWindow{15};
constexpr int kUnavailableRetrySeconds = 10;

// Request bodies each route takes at most (all under [limits] max_body_bytes). Only a device's
// push may be large, and its body is read only after its token checked out; nothing a caller
// without a token sends is ever kept beyond a few kilobytes.
constexpr std::size_t kEnrollBodyBytes = 8 * 1024;
constexpr std::size_t kHeartbeatBodyBytes = 16 * 1024;
constexpr std::size_t kAckBodyBytes = 256 * 1024;  // 1,000 ids
// File descriptors kept for everything but client connections (database, logs, the event loops).
constexpr rlim_t kReservedDescriptors = 64;

// Every route is a fixed path, so the path is its own template; anything else is "unmatched"
// in logs and metrics (never the raw path, which could hold anything).
struct RouteInfo {
    const char* path;
    const char* method;
};
constexpr RouteInfo kRoutes[] = {
    {"/v1/devices/enroll", "POST"},
    {"/v1/devices/enroll/nonce", "GET"},
    {"/v1/submissions", "POST"},
    {"/v1/submissions", "GET"},
    {"/v1/submissions/ack", "POST"},
    {"/v1/directory", "GET"},
    {"/v1/devices/heartbeat", "POST"},
    {"/v1/devices/settings", "GET"},
    {"/v1/devices", "GET"},
    {"/v1/probe", "GET"},
    {"/healthz", "GET"},
    {"/metrics", "GET"},
};

std::string routeTemplate(const std::string& path) {
    for (const RouteInfo& route : kRoutes) {
        if (path == route.path) {
            return route.path;
        }
    }
    if (std::string oruk = OrukApi::routeTemplate(path); !oruk.empty()) {
        return oruk;
    }
    return "unmatched";
}

// The device a handler found, for the request's log line. A handler runs on one worker thread
// from start to end, so a thread_local is exact; guarded() copies it into the response.
struct RequestContext {
    std::string deviceId;
};
thread_local RequestContext t_request;

void sendJson(Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, kJson);
}

void sendError(Response& res, int status, const std::string& code, const std::string& message) {
    sendJson(res, status, protocol::toJson(protocol::ApiError{code, message}));
}

void sendRetryLater(Response& res, int status, const std::string& code, const std::string& message,
                    std::chrono::seconds retryAfter) {
    res.set_header("Retry-After", std::to_string(retryAfter.count()));
    sendError(res, status, code, message);
}

std::optional<std::int64_t> parseInteger(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

bool acceptsGzip(const Request& req) {
    // "gzip" listed and not refused with q=0. Good enough for libcurl and browsers.
    const std::string accept = req.get_header_value("Accept-Encoding");
    const auto at = accept.find("gzip");
    if (at == std::string::npos) {
        return false;
    }
    const auto end = accept.find(',', at);
    const std::string item =
        accept.substr(at, end == std::string::npos ? std::string::npos : end - at);
    return item.find("q=0") == std::string::npos || item.find("q=0.") != std::string::npos;
}

std::string jsonString(const std::string& text) {
    return nlohmann::json(text).dump();
}

// Raises the soft open-file limit to the hard one (a few thousand idle kiosks are a few thousand
// sockets) and returns how many connections fit. Under systemd the unit sets LimitNOFILE and
// forbids setrlimit; then the limit is what it is.
unsigned connectionsThatFit(unsigned wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return wanted;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        }
    }
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted + kReservedDescriptors) {
        return wanted;
    }
    const auto fit = static_cast<unsigned>(
        limit.rlim_cur > kReservedDescriptors + 16 ? limit.rlim_cur - kReservedDescriptors : 16);
    logWarning("server", "the open-file limit (" + std::to_string(limit.rlim_cur) + ") allows " +
                             std::to_string(fit) + " connections, not " + std::to_string(wanted) +
                             " (server.max_connections); raise LimitNOFILE");
    return fit;
}

}  // namespace

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

    std::unique_ptr<HttpTransport> http;
    int boundPort = 0;

    std::mutex activityMutex;
    std::unordered_map<std::string, SystemTime> activity;  // device id → last request

    // --- plumbing ---
    HttpTransportOptions transportOptions() const;
    std::vector<HttpRoute> routes();
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

HttpTransportOptions ApiServer::Impl::transportOptions() const {
    HttpTransportOptions o;
    o.listenAddress = config.listenAddress;
    o.port = config.port;
    o.tlsCertFile = config.tlsCertFile;
    o.tlsKeyFile = config.tlsKeyFile;
    o.ioThreads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    o.workerThreads = static_cast<std::size_t>(config.threads);
    o.queueCapacity = static_cast<std::size_t>(config.maxQueuedRequests);
    o.maxConnections = connectionsThatFit(static_cast<unsigned>(config.maxConnections));
    o.maxConnectionsPerAddress = static_cast<unsigned>(config.maxConnectionsPerAddress);
    o.keepAlive = std::chrono::seconds(config.keepAliveSeconds);
    o.readTimeout = std::chrono::seconds(config.readTimeoutSeconds);
    o.requestTimeout = std::chrono::seconds(config.requestTimeoutSeconds);
    o.maxBodyBytes = config.maxBodyBytes;
    o.trustedProxies = TrustedProxies::parse(config.trustedProxies);
    return o;
}

std::vector<HttpRoute> ApiServer::Impl::routes() {
    auto bind = [this](void (Impl::*method)(const Request&, Response&)) {
        return guarded(
            [this, method](const Request& req, Response& res) { (this->*method)(req, res); });
    };
    std::vector<HttpRoute> list{
        {"POST", "/v1/devices/enroll", kEnrollBodyBytes, {}, bind(&Impl::enroll)},
        {"GET", "/v1/devices/enroll/nonce", 0, {}, bind(&Impl::enrollNonce)},
        {"POST", "/v1/submissions", config.maxBodyBytes, admitFor(Access::Device),
         bind(&Impl::pushSubmissions)},
        {"GET", "/v1/submissions", 0, {}, bind(&Impl::pullSubmissions)},
        {"POST", "/v1/submissions/ack", kAckBodyBytes, admitFor(Access::Coordinator),
         bind(&Impl::ackSubmissions)},
        {"GET", "/v1/directory", 0, {}, bind(&Impl::getDirectory)},
        {"POST", "/v1/devices/heartbeat", kHeartbeatBodyBytes, admitFor(Access::Device),
         bind(&Impl::heartbeat)},
        {"GET", "/v1/devices/settings", 0, {}, bind(&Impl::deviceSettings)},
        {"GET", "/v1/devices", 0, {}, bind(&Impl::listDevices)},
        {"GET", "/v1/probe", 0, {}, [](const Request&, Response& res) { res.status = 204; }},
        {"GET", "/healthz", 0, {}, bind(&Impl::health)},
        {"GET", "/metrics", 0, {}, bind(&Impl::renderMetrics)},
    };
    if (config.orukEnabled) {
        // The ORUK 3.0 API at the root: "/" and each collection, with "/{id}" under it.
        list.push_back({"GET", "/", 0, {}, bind(&Impl::serveOruk)});
        for (const char* collection : {"/services", "/taxonomies", "/taxonomy_terms",
                                       "/organizations", "/service_at_locations"}) {
            list.push_back({"GET", collection, 0, {}, bind(&Impl::serveOruk), true});
        }
    }
    return list;
}

// The ORUK 3.0 API (oruk_api.h) carried over this transport.
void ApiServer::Impl::serveOruk(const Request& req, Response& res) {
    if (!config.orukPublic && !authorize(req, res, Access::Coordinator)) {
        return;
    }
    OrukRequest request{req.method, req.path, {}, req.get_header_value("If-None-Match"),
                        acceptsGzip(req)};
    for (const auto& [name, value] : req.params) {
        request.query.emplace_back(name, value);
    }
    OrukResponse answer = oruk.handle(request);
    for (const auto& [name, value] : answer.headers) {
        res.set_header(name, value);
    }
    res.status = answer.status;
    if (answer.status != 304) {
        // As /v1/directory: the body is sent as is (already gzipped when asked), without a copy.
        res.set_shared_content(std::make_shared<const std::string>(std::move(answer.body)),
                               answer.contentType);
    }
}

void ApiServer::Impl::logRequest(const Request& req, const Response& res, double seconds) {
    const std::size_t bytes = res.content().size();
    const std::string route = routeTemplate(req.path);
    metrics.observeRequest(req.method, route, res.status, seconds, bytes);
    char line[256];
    std::snprintf(line, sizeof line, "%s %s %d %.1fms %zuB%s%s", req.method.c_str(), route.c_str(),
                  res.status, seconds * 1000.0, bytes,
                  res.caller.empty() ? "" : " device=", res.caller.c_str());
    logMessage(res.status >= 500 ? LogLevel::Warning : LogLevel::Info, "http", line);
}

ApiServer::Impl::Handler ApiServer::Impl::guarded(Handler handler) {
    return [handler = std::move(handler)](const Request& req, Response& res) {
        t_request = RequestContext{};
        try {
            handler(req, res);
        } catch (const protocol::WireFormatError& error) {
            res.headers.clear();
            sendError(res, 400, error.field().empty() ? "invalid_json" : "invalid_field",
                      error.what());
        } catch (const StorageError& error) {
            // Busy, full or failing disk: transient from the client's side; it retries later.
            logError("http", std::string("storage failure: ") + error.what());
            res.headers.clear();
            sendRetryLater(res, 503, "unavailable",
                           "the server's storage is unavailable; try later",
                           std::chrono::seconds(kUnavailableRetrySeconds));
        } catch (const std::exception& error) {
            logError("http", std::string("request failed: ") + error.what());
            res.headers.clear();
            sendError(res, 500, "internal", "the server failed to handle the request");
        }
        res.caller = std::move(t_request.deviceId);
        t_request = RequestContext{};
    };
}

std::function<bool(Request&, Response&)> ApiServer::Impl::admitFor(Access access) {
    return [this, access](Request& req, Response& res) {
        bool admitted = false;
        guarded([&](const Request& request, Response& answer) {
            if (auto principal = authorize(request, answer, access)) {
                req.admitted = std::move(*principal);
                admitted = true;
            }
        })(req, res);
        return admitted;
    };
}

std::optional<Principal> ApiServer::Impl::authorize(const Request& req, Response& res,
                                                    Access access) {
    if (const auto* admitted = std::any_cast<Principal>(&req.admitted)) {
        // Checked by the route's admit step before the body was read.
        if (admitted->role == Role::Device) {
            t_request.deviceId = admitted->id;
        }
        return *admitted;
    }
    const std::string header = req.get_header_value("Authorization");
    if (header.empty()) {
        res.set_header("WWW-Authenticate", "Bearer");
        sendError(res, 401, "unauthorized", "a bearer token is required");
        return std::nullopt;
    }
    std::optional<Principal> principal;
    constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive (RFC 9110)
    std::string scheme = header.substr(0, std::min(header.size(), kBearer.size()));
    for (char& c : scheme) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (header.size() > kBearer.size() && scheme == kBearer) {
        const std::string token = header.substr(kBearer.size());
        if (isWellFormedToken(token)) {
            principal = store.authenticate(hashToken(token));
        }
    }
    if (!principal || principal->revoked) {
        // Only failures are counted, per client address (behind a trusted proxy, the client it
        // names), so guessing and broken clients cost little while good tokens from the same
        // address (a shared library network) always get through.
        const auto wait = badTokenLimiter.take(addressKey(req.remote_addr));
        if (wait.count() > 0) {
            metrics.increment("signpost_rate_limited_total", "limit", "bad_token");
            sendRetryLater(res, 429, "rate_limited", "too many requests with a bad token", wait);
            return std::nullopt;
        }
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        if (principal && principal->role == Role::Device) {
            t_request.deviceId = principal->id;
            sendError(res, 401, "unauthorized", "this device has been revoked; enroll it again");
        } else if (principal) {
            sendError(res, 401, "unauthorized", "this coordinator token has been revoked");
        } else {
            sendError(res, 401, "unauthorized", "the token is not valid");
        }
        return std::nullopt;
    }
    if (principal->role == Role::Device) {
        t_request.deviceId = principal->id;
        noteDevice(principal->id);
    }
    if (access == Access::Device && principal->role != Role::Device) {
        sendError(res, 403, "forbidden", "this route is for enrolled devices, not coordinators");
        return std::nullopt;
    }
    if (access == Access::Coordinator && principal->role != Role::Coordinator) {
        sendError(res, 403, "forbidden", "this route needs a coordinator token");
        return std::nullopt;
    }
    return principal;
}

void ApiServer::Impl::noteDevice(const std::string& deviceId) {
    metrics.deviceSeen(deviceId);
    std::lock_guard lock(activityMutex);
    activity[deviceId] = clock();
}

// --- Routes ---

void ApiServer::Impl::enrollNonce(const Request&, Response& res) {
    res.set_header("Cache-Control", "no-store");
    sendJson(res, 200,
             protocol::toJson(protocol::EnrollNonce{nonces.issue(clock()),
                                                    EnrollmentNonces::kLifetime.count()}));
}

// Only failures are counted: per client address, and per code from every address once the code
// is known to exist. An address over its limit still enrolls with a good code and a good
// signature (a neighbour behind the same NAT must not lock a venue out), but every failure from
// it is answered 429, so guessing from there learns nothing.
void ApiServer::Impl::enroll(const Request& req, Response& res) {
    const std::string address = addressKey(req.remote_addr);
    const std::chrono::seconds addressWait = enrollLimiter.wait(address);
    std::string knownCode;  // the code's limiter key once the store has seen the code
    const auto fail = [&](int status, const std::string& code, const std::string& message,
                          const char* result) {
        metrics.increment("signpost_enrollments_total", "result", result);
        enrollLimiter.take(address);
        if (!knownCode.empty()) {
            enrollCodeLimiter.take(knownCode);
        }
        if (addressWait.count() > 0) {
            metrics.increment("signpost_rate_limited_total", "limit", "enroll");
            sendRetryLater(res, 429, "rate_limited",
                           "too many failed enrollment attempts; try again later",
                           std::max(enrollLimiter.wait(address), std::chrono::seconds(1)));
            return;
        }
        sendError(res, status, code, message);
    };

    protocol::EnrollRequest request;
    try {
        request = protocol::parseEnrollRequest(req.body);
    } catch (const protocol::WireFormatError& error) {
        fail(400, error.field().empty() ? "invalid_json" : "invalid_field", error.what(),
             "malformed");
        return;
    }
    const auto code = normalizeEnrollmentCode(request.enrollmentCode);
    if (!code) {
        fail(400, "invalid_field",
             "enrollment_code: expected 12 letters and digits, like 7KQ3-M9XD-2F8H",
             "malformed_code");
        return;
    }
    const TokenHash codeHash = hashToken(*code);
    const std::string codeKey = toHex(codeHash);
    if (const auto wait = enrollCodeLimiter.wait(codeKey); wait.count() > 0) {
        metrics.increment("signpost_rate_limited_total", "limit", "enroll_code");
        metrics.increment("signpost_enrollments_total", "result", "rate_limited");
        sendRetryLater(res, 429, "rate_limited",
                       "too many failed attempts with this enrollment code; try again later", wait);
        return;
    }
    switch (nonces.check(request.nonce, clock())) {
        case EnrollmentNonces::Check::Malformed:
            fail(400, "invalid_field",
                 "nonce: not a nonce from this server; fetch one from GET "
                 "/v1/devices/enroll/nonce",
                 "bad_nonce");
            return;
        case EnrollmentNonces::Check::Expired:
            fail(401, "unauthorized", "the nonce has expired; fetch a new one", "bad_nonce");
            return;
        case EnrollmentNonces::Check::Valid:
            break;
    }
    if (!protocol::verifyEnrollRequest(request)) {
        fail(401, "unauthorized", "the request is not signed by the key in signing_public_key",
             "bad_signature");
        return;
    }
    if (!nonces.claim(request.nonce, clock())) {
        fail(401, "unauthorized", "this nonce was already used; fetch a new one", "bad_nonce");
        return;
    }
    EnrollmentAttempt attempt;
    attempt.codeHash = codeHash;
    attempt.deviceName = request.deviceName;
    attempt.signingKey = request.signingPublicKey;
    attempt.newDeviceId = uuidV4();
    const std::string token = generateToken();
    attempt.newTokenHash = hashToken(token);

    EnrollResult result;
    try {
        result = store.enrollDevice(attempt, clock(), kReissueWindow);
    } catch (...) {
        nonces.release(request.nonce);
        throw;
    }
    switch (result.status) {
        case EnrollStatus::Enrolled:
        case EnrollStatus::Reissued: {
            metrics.increment("signpost_enrollments_total", "result", toString(result.status));
            t_request.deviceId = result.deviceId;
            logInfo("enroll",
                    std::string(result.status == EnrollStatus::Enrolled ? "enrolled"
                                                                        : "re-issued a token for") +
                        " device " + result.deviceId);
            sendJson(res, 201, protocol::toJson(protocol::EnrollResponse{result.deviceId, token}));
            return;
        }
        case EnrollStatus::UnknownCode:
            nonces.release(request.nonce);
            fail(401, "unauthorized", "the enrollment code is not valid", toString(result.status));
            return;
        case EnrollStatus::ExpiredCode:
            nonces.release(request.nonce);
            knownCode = codeKey;
            fail(401, "unauthorized", "the enrollment code has expired; ask for a new one",
                 toString(result.status));
            return;
        case EnrollStatus::UsedCode:
            nonces.release(request.nonce);
            knownCode = codeKey;
            fail(401, "unauthorized", "the enrollment code was already used; ask for a new one",
                 toString(result.status));
            return;
    }
}

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

void ApiServer::Impl::getDirectory(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Device)) {
        return;
    }
    std::int64_t since = 0;
    if (req.has_param("since")) {
        const auto value = parseInteger(req.get_param_value("since"));
        if (!value || *value < 0) {
            throw protocol::WireFormatError("since", "expected a whole number, 0 or more");
        }
        since = *value;
    }
    res.set_header("Vary", "Accept-Encoding");
    res.set_header("Cache-Control", "no-cache");
    const std::string current = DirectoryFeed::etagFor(store.currentDirectoryVersion());
    if (req.has_header("If-None-Match") &&
        DirectoryFeed::etagMatches(req.get_header_value("If-None-Match"), current)) {
        res.status = 304;
        res.set_header("ETag", current);
        return;
    }
    auto response = directory.responseFor(since);
    res.status = 200;
    res.set_header("ETag", response->etag);
    const bool gzip = acceptsGzip(req);
    if (gzip) {
        res.set_header("Content-Encoding", "gzip");
    }
    // The cached body is sent without a copy; the aliasing pointer keeps the cache entry alive.
    res.set_shared_content(
        std::shared_ptr<const std::string>(response, gzip ? &response->gzipBody : &response->body),
        kJson);
}

void ApiServer::Impl::heartbeat(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    const protocol::Heartbeat beat = protocol::parseHeartbeat(req.body);
    store.recordHeartbeat(principal->id, protocol::toJson(beat), clock());
    res.set_header(protocol::kGenerationHeader, store.generation());
    res.status = 204;
}

// Remote settings (operations): the calling device's own settings, as
// core/operations/remote_settings.h describes, with a strong ETag; 304 when unchanged.
void ApiServer::Impl::deviceSettings(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    RemoteSettings settings;
    for (const auto& [key, value] : store.deviceSettings(principal->id)) {
        try {
            settings.values.emplace_back(key, remoteValueFromJson(value));
        } catch (const RemoteSettingsError&) {
            logError("api", "device setting " + key + " is not valid JSON in the database; skipped");
        }
    }
    const std::string etag = remoteSettingsEtag(settings);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "no-cache");
    if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    sendJson(res, 200, remoteSettingsToJson(settings, false));
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
    auto page = store.pullSubmissions(restarted ? 0 : after.cursor, static_cast<std::size_t>(limit));
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

void ApiServer::Impl::listDevices(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Coordinator)) {
        return;
    }
    protocol::DeviceList list;
    for (const DeviceRecord& record : store.listDevices()) {
        protocol::DeviceInfo info;
        info.deviceId = record.id;
        info.name = record.name;
        info.venue = record.venue;
        info.enrolledAt = record.enrolledAt;
        info.lastSeenAt = record.lastSeenAt;
        info.revoked = record.revoked();
        if (!record.lastHeartbeatJson.empty()) {
            try {
                info.lastHeartbeat = protocol::parseHeartbeat(record.lastHeartbeatJson);
            } catch (const protocol::WireFormatError&) {
                // Stored by an older server in another shape: show the device without it.
            }
        }
        list.devices.push_back(std::move(info));
    }
    sendJson(res, 200, protocol::toJson(list));
}

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

// --- ApiServer ---

ApiServer::ApiServer(const ServerConfig& config, ServerStore& store)
    : m_impl(std::make_unique<Impl>(config, store)) {}

ApiServer::~ApiServer() {
    try {
        stop();
    } catch (...) {
        // Destructors never throw; a failed final flush only loses "last seen" times.
    }
}

void ApiServer::start() {
    Impl& impl = *m_impl;
    if (impl.http) {
        return;
    }
    impl.http = std::make_unique<HttpTransport>(
        impl.transportOptions(), impl.routes(),
        [&impl](const Request& req, const Response& res, double seconds) {
            impl.logRequest(req, res, seconds);
        });
    try {
        impl.http->start();
    } catch (...) {
        impl.http.reset();
        throw;
    }
    impl.boundPort = impl.http->port();
}

void ApiServer::stop() {
    Impl& impl = *m_impl;
    if (!impl.http) {
        return;
    }
    impl.http->stop();
    impl.http.reset();
    flushDeviceActivity();
}

int ApiServer::port() const noexcept {
    return m_impl->boundPort;
}

std::string ApiServer::baseUrl() const {
    const std::string& host = m_impl->config.listenAddress;
    const bool ipv6 = host.find(':') != std::string::npos;
    return std::string(m_impl->config.usesTls() ? "https://" : "http://") + (ipv6 ? "[" : "") +
           host + (ipv6 ? "]" : "") + ":" + std::to_string(port());
}

void ApiServer::flushDeviceActivity() {
    std::vector<std::pair<std::string, SystemTime>> seen;
    {
        std::lock_guard lock(m_impl->activityMutex);
        seen.assign(m_impl->activity.begin(), m_impl->activity.end());
        m_impl->activity.clear();
    }
    m_impl->store.touchDevices(seen);
}

Metrics& ApiServer::metrics() noexcept {
    return m_impl->metrics;
}

void ApiServer::setExtraMetrics(std::function<std::string()> render) {
    m_impl->extraMetrics = std::move(render);
}

void ApiServer::setClock(std::function<SystemTime()> clock) {
    m_impl->clock = std::move(clock);
}

}  // namespace signpost::server
