#include "sync/server/api_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
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
#include "sync/server/directory_feed.h"
#include "sync/server/oruk_api.h"
#include "sync/server/rate_limiter.h"
#include "sync/server/tokens.h"

namespace signpost::server {

namespace {

using httplib::Request;
using httplib::Response;

constexpr const char* kJson = "application/json";
// A kiosk whose enroll response was lost may retry with the same code and key for this long.
constexpr std::chrono::minutes kReissueWindow{15};
constexpr int kUnavailableRetrySeconds = 10;

// Every route is a fixed path, so the path is its own template; anything else is "unmatched"
// in logs and metrics (never the raw path, which could hold anything).
struct RouteInfo {
    const char* path;
    const char* method;
};
constexpr RouteInfo kRoutes[] = {
    {"/v1/devices/enroll", "POST"},
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

std::string allowedMethods(const std::string& path) {
    std::string allow;
    for (const RouteInfo& route : kRoutes) {
        if (path == route.path) {
            allow += allow.empty() ? "" : ", ";
            allow += route.method;
            if (std::string_view(route.method) == "GET") {
                allow += ", HEAD";
            }
        }
    }
    return allow;
}

// What the logger needs to know about the request this worker thread is serving. httplib runs
// a request from routing to the logger on one thread, so a thread_local is exact.
struct RequestContext {
    std::chrono::steady_clock::time_point start;
    bool started = false;
    std::string deviceId;
    std::size_t providedBytes = 0;  // body sent through a content provider (not res.body)
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

const char* defaultCode(int status) {
    switch (status) {
        case 400:
            return "invalid_request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 411:
            return "length_required";
        case 413:
            return "too_large";
        case 414:
            return "too_large";
        case 415:
            return "unsupported_encoding";
        case 429:
            return "rate_limited";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "invalid_request";
    }
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

// httplib 0.11 listens with a backlog of 5: when a fleet reconnects at once, the kernel drops
// SYNs past that and clients wait a second or more to retry. The listening socket is a protected
// member, so a thin subclass raises the backlog after binding (listen() again updates it).
template <class Base>
class WideBacklogServer : public Base {
public:
    using Base::Base;
    bool raiseBacklog() { return ::listen(this->svr_sock_, SOMAXCONN) == 0; }
};
using PlainServer = WideBacklogServer<httplib::Server>;
using TlsServer = WideBacklogServer<httplib::SSLServer>;

}  // namespace

struct ApiServer::Impl {
    Impl(const ServerConfig& c, ServerStore& s)
        : config(c),
          store(s),
          directory(s, c.directoryHistory),
          enrollLimiter(c.enrollBurst, c.enrollPerHour),
          badTokenLimiter(c.badTokenBurst, c.badTokenPerHour) {}

    ServerConfig config;
    ServerStore& store;
    Metrics metrics;
    DirectoryFeed directory;
    OrukApi oruk{store};
    RateLimiter enrollLimiter;
    RateLimiter badTokenLimiter;
    std::function<SystemTime()> clock = [] { return std::chrono::system_clock::now(); };
    std::function<std::string()> extraMetrics;

    std::unique_ptr<httplib::Server> http;
    std::function<bool()> raiseBacklog;
    std::thread listener;
    std::atomic<int> boundPort{0};

    std::mutex activityMutex;
    std::unordered_map<std::string, SystemTime> activity;  // device id → last request

    // --- plumbing ---
    void configure();
    void serveOruk(const Request& req, Response& res);
    void onRequestStart();
    void logRequest(const Request& req, const Response& res);
    httplib::Server::HandlerResponse onError(const Request& req, Response& res);
    int onExpectContinue(const Request& req, Response& res);

    using Handler = std::function<void(const Request&, Response&)>;
    Handler guarded(Handler handler);

    enum class Access { Device, Coordinator };
    std::optional<Principal> authorize(const Request& req, Response& res, Access access);
    void noteDevice(const std::string& deviceId);

    // --- routes ---
    void enroll(const Request& req, Response& res);
    void pushSubmissions(const Request& req, Response& res);
    void getDirectory(const Request& req, Response& res);
    void heartbeat(const Request& req, Response& res);
    void deviceSettings(const Request& req, Response& res);
    void pullSubmissions(const Request& req, Response& res);
    void ackSubmissions(const Request& req, Response& res);
    void listDevices(const Request& req, Response& res);
    void health(const Request& req, Response& res);
    void renderMetrics(const Request& req, Response& res);
};

void ApiServer::Impl::configure() {
    if (config.usesTls()) {
        auto tls =
            std::make_unique<TlsServer>(config.tlsCertFile.c_str(), config.tlsKeyFile.c_str());
        raiseBacklog = [server = tls.get()] { return server->raiseBacklog(); };
        http = std::move(tls);
    } else {
        auto plain = std::make_unique<PlainServer>();
        raiseBacklog = [server = plain.get()] { return server->raiseBacklog(); };
        http = std::move(plain);
    }
    if (!http->is_valid()) {
        throw std::runtime_error("cannot load the TLS certificate \"" + config.tlsCertFile +
                                 "\" and key \"" + config.tlsKeyFile + "\"");
    }
    const auto threads = static_cast<std::size_t>(config.threads);
    http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port
    // and silently take half the traffic. SO_REUSEADDR alone still allows a quick restart.
    // TCP_NODELAY (inherited by accepted sockets): httplib writes a response's headers and body
    // separately, and with Nagle the body waits for the client's delayed ACK, ~40 ms a request.
    http->set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    http->set_payload_max_length(config.maxBodyBytes);
    http->set_read_timeout(config.readTimeoutSeconds, 0);
    http->set_write_timeout(30, 0);
    if (config.keepAliveSeconds == 0) {
        http->set_keep_alive_max_count(1);
    } else {
        http->set_keep_alive_max_count(1000);
        http->set_keep_alive_timeout(config.keepAliveSeconds);
    }

    http->set_pre_routing_handler([this](const Request& req, Response& res) {
        onRequestStart();
        const bool hasBody = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
        if (hasBody &&
            req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos) {
            // Chunked bodies have no length to check before reading; kiosks always send one.
            sendError(res, 411, "length_required", "send the body with a Content-Length");
            return httplib::Server::HandlerResponse::Handled;
        }
        const std::string encoding = req.get_header_value("Content-Encoding");
        if (!encoding.empty() && encoding != "identity") {
            // A compressed body could inflate far past the body cap.
            sendError(res, 415, "unsupported_encoding", "request bodies must not be compressed");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http->set_expect_100_continue_handler(
        [this](const Request& req, Response& res) { return onExpectContinue(req, res); });
    http->set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const Request& req, Response& res) { return onError(req, res); }));
    http->set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
        sendError(res, 500, "internal", "the server failed to handle the request");
    });
    http->set_logger([this](const Request& req, const Response& res) { logRequest(req, res); });

    auto bind = [this](void (Impl::*method)(const Request&, Response&)) {
        return guarded(
            [this, method](const Request& req, Response& res) { (this->*method)(req, res); });
    };
    http->Post("/v1/devices/enroll", bind(&Impl::enroll));
    http->Post("/v1/submissions", bind(&Impl::pushSubmissions));
    http->Get("/v1/submissions", bind(&Impl::pullSubmissions));
    http->Post("/v1/submissions/ack", bind(&Impl::ackSubmissions));
    http->Get("/v1/directory", bind(&Impl::getDirectory));
    http->Post("/v1/devices/heartbeat", bind(&Impl::heartbeat));
    http->Get("/v1/devices/settings", bind(&Impl::deviceSettings));
    http->Get("/v1/devices", bind(&Impl::listDevices));
    http->Get("/v1/probe", [](const Request&, Response& res) { res.status = 204; });
    http->Get("/healthz", bind(&Impl::health));
    http->Get("/metrics", bind(&Impl::renderMetrics));
    if (config.orukEnabled) {
        http->Get(R"(/|/(services|taxonomies|taxonomy_terms|organizations|service_at_locations)(/[^/]+)?/?)",
                  bind(&Impl::serveOruk));
    }
}

// The ORUK 3.0 API (oruk_api.h) carried over this transport.
void ApiServer::Impl::serveOruk(const Request& req, Response& res) {
    if (!config.orukPublic && !authorize(req, res, Access::Coordinator)) {
        return;
    }
    OrukRequest request{req.method, req.path, {}, req.get_header_value("If-None-Match"), acceptsGzip(req)};
    for (const auto& [name, value] : req.params) {
        request.query.emplace_back(name, value);
    }
    OrukResponse answer = oruk.handle(request);
    for (const auto& [name, value] : answer.headers) {
        res.set_header(name, value);
    }
    res.status = answer.status;
    if (answer.status != 304) {
        // As /v1/directory: a sized provider is sent as is, never compressed a second time.
        auto body = std::make_shared<const std::string>(std::move(answer.body));
        t_request.providedBytes = body->size();
        res.set_content_provider(body->size(), answer.contentType,
                                 [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                     return sink.write(body->data() + offset, length);
                                 });
    }
}

void ApiServer::Impl::onRequestStart() {
    t_request = RequestContext{};
    t_request.start = std::chrono::steady_clock::now();
    t_request.started = true;
}

int ApiServer::Impl::onExpectContinue(const Request& req, Response& res) {
    // libcurl asks before sending a large body: answer 413 at once so it never sends it.
    onRequestStart();
    if (req.has_header("Content-Length") &&
        req.get_header_value<std::uint64_t>("Content-Length") > config.maxBodyBytes) {
        res.status = 413;
        return 413;
    }
    return 100;
}

httplib::Server::HandlerResponse ApiServer::Impl::onError(const Request& req, Response& res) {
    if (!res.body.empty()) {
        return httplib::Server::HandlerResponse::Unhandled;  // a route already wrote its error
    }
    if (res.status == 404) {
        const std::string allow = allowedMethods(req.path);
        if (!allow.empty()) {
            res.status = 405;
            res.set_header("Allow", allow);
            sendError(res, 405, "method_not_allowed",
                      req.method + " is not allowed here; use " + allow);
            return httplib::Server::HandlerResponse::Handled;
        }
        sendError(res, 404, "not_found", "no such route");
        return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 413) {
        sendError(
            res, 413, "too_large",
            "the request body is larger than " + std::to_string(config.maxBodyBytes) + " bytes");
        return httplib::Server::HandlerResponse::Handled;
    }
    sendError(res, res.status, defaultCode(res.status),
              res.status >= 500 ? "the server failed to handle the request"
                                : "the request could not be read");
    return httplib::Server::HandlerResponse::Handled;
}

void ApiServer::Impl::logRequest(const Request& req, const Response& res) {
    double seconds = 0;
    if (t_request.started) {
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request.start)
                      .count();
    }
    const std::size_t bytes = res.body.size() + t_request.providedBytes;
    const std::string route = routeTemplate(req.path);
    metrics.observeRequest(req.method, route, res.status, seconds, bytes);
    char line[256];
    std::snprintf(line, sizeof line, "%s %s %d %.1fms %zuB%s%s", req.method.c_str(), route.c_str(),
                  res.status, seconds * 1000.0, bytes,
                  t_request.deviceId.empty() ? "" : " device=", t_request.deviceId.c_str());
    logMessage(res.status >= 500 ? LogLevel::Warning : LogLevel::Info, "http", line);
    t_request = RequestContext{};
}

ApiServer::Impl::Handler ApiServer::Impl::guarded(Handler handler) {
    return [handler = std::move(handler)](const Request& req, Response& res) {
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
    };
}

std::optional<Principal> ApiServer::Impl::authorize(const Request& req, Response& res,
                                                    Access access) {
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
        // Bad tokens from one address are limited so guessing and broken clients cost little;
        // good tokens from the same address (a shared library network) still get through.
        const auto wait = badTokenLimiter.take(req.remote_addr);
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

void ApiServer::Impl::enroll(const Request& req, Response& res) {
    if (const auto wait = enrollLimiter.take(req.remote_addr); wait.count() > 0) {
        metrics.increment("signpost_rate_limited_total", "limit", "enroll");
        metrics.increment("signpost_enrollments_total", "result", "rate_limited");
        sendRetryLater(res, 429, "rate_limited", "too many enrollment attempts; try again later",
                       wait);
        return;
    }
    protocol::EnrollRequest request = protocol::parseEnrollRequest(req.body);
    const auto code = normalizeEnrollmentCode(request.enrollmentCode);
    if (!code) {
        metrics.increment("signpost_enrollments_total", "result", "malformed_code");
        throw protocol::WireFormatError("enrollment_code",
                                        "expected 12 letters and digits, like 7KQ3-M9XD-2F8H");
    }
    EnrollmentAttempt attempt;
    attempt.codeHash = hashToken(*code);
    attempt.deviceName = request.deviceName;
    attempt.signingKey = request.signingPublicKey;
    attempt.newDeviceId = uuidV4();
    const std::string token = generateToken();
    attempt.newTokenHash = hashToken(token);

    const EnrollResult result = store.enrollDevice(attempt, clock(), kReissueWindow);
    metrics.increment("signpost_enrollments_total", "result", toString(result.status));
    switch (result.status) {
        case EnrollStatus::Enrolled:
        case EnrollStatus::Reissued: {
            t_request.deviceId = result.deviceId;
            logInfo("enroll",
                    std::string(result.status == EnrollStatus::Enrolled ? "enrolled"
                                                                        : "re-issued a token for") +
                        " device " + result.deviceId);
            sendJson(res, 201, protocol::toJson(protocol::EnrollResponse{result.deviceId, token}));
            return;
        }
        case EnrollStatus::UnknownCode:
            sendError(res, 401, "unauthorized", "the enrollment code is not valid");
            return;
        case EnrollStatus::ExpiredCode:
            sendError(res, 401, "unauthorized",
                      "the enrollment code has expired; ask for a new one");
            return;
        case EnrollStatus::UsedCode:
            sendError(res, 401, "unauthorized",
                      "the enrollment code was already used; ask for a new one");
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
    const std::string& body = gzip ? response->gzipBody : response->body;
    if (gzip) {
        res.set_header("Content-Encoding", "gzip");
    }
    t_request.providedBytes = body.size();
    // A sized content provider is sent as is: httplib would otherwise compress the body again.
    res.set_content_provider(
        body.size(), kJson,
        [response, &body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body.data() + offset, length);
        });
}

void ApiServer::Impl::heartbeat(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    const protocol::Heartbeat beat = protocol::parseHeartbeat(req.body);
    store.recordHeartbeat(principal->id, protocol::toJson(beat), clock());
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
    std::int64_t after = 0;
    std::int64_t limit = std::min<std::int64_t>(100, static_cast<std::int64_t>(config.maxPullPage));
    if (req.has_param("after")) {
        const auto value = parseInteger(req.get_param_value("after"));
        if (!value || *value < 0) {
            throw protocol::WireFormatError("after",
                                            "expected a cursor: a whole number, 0 or more");
        }
        after = *value;
    }
    if (req.has_param("limit")) {
        const auto value = parseInteger(req.get_param_value("limit"));
        if (!value || *value < 1 || *value > static_cast<std::int64_t>(config.maxPullPage)) {
            throw protocol::WireFormatError(
                "limit", "expected a whole number from 1 to " + std::to_string(config.maxPullPage));
        }
        limit = *value;
    }
    const auto page = store.pullSubmissions(after, static_cast<std::size_t>(limit));
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
    impl.configure();
    const std::string& host = impl.config.listenAddress;
    int port = impl.config.port;
    if (port == 0) {
        port = impl.http->bind_to_any_port(host);
    } else if (!impl.http->bind_to_port(host, port)) {
        port = -1;
    }
    if (port <= 0) {
        impl.http.reset();
        throw std::runtime_error("cannot listen on " + host + ":" +
                                 std::to_string(impl.config.port) +
                                 " (address in use, or not an address of this machine?)");
    }
    if (!impl.raiseBacklog()) {
        logWarning("server", "could not raise the listen backlog; bursts of connections may wait");
    }
    impl.boundPort = port;
    impl.listener = std::thread([&impl] { impl.http->listen_after_bind(); });
}

void ApiServer::stop() {
    Impl& impl = *m_impl;
    if (!impl.http) {
        return;
    }
    impl.http->stop();
    if (impl.listener.joinable()) {
        impl.listener.join();
    }
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
