// Signpost server — the API server's set-up: the routes table (method, path, body limit, admit
// step, handler), the transport's options from the config, the guard every handler runs in
// (errors to 400/503/500), the one log line per request, and start/stop. The handlers are in the
// api_*.cpp files by resource (api_server_internal.h lists them).
#include "sync/server/api_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "core/common/log.h"
#include "core/storage/database.h"
#include "sync/protocol/wire.h"
#include "sync/server/api_server_internal.h"

namespace signpost::server {

namespace api_detail {

void sendJson(Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, kJson);
}

void sendRetryLater(Response& res, int status, const std::string& code, const std::string& message,
                    std::chrono::seconds retryAfter) {
    res.set_header("Retry-After", std::to_string(retryAfter.count()));
    setApiError(res, status, code, message);
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

}  // namespace api_detail

using namespace api_detail;

namespace {

constexpr int kUnavailableRetrySeconds = 10;

// Request bodies each route takes at most (all under [limits] max_body_bytes). Only a device's
// push may be large, and its body is read only after its token checked out; nothing a caller
// without a token sends is ever kept beyond a few kilobytes.
constexpr std::size_t kEnrollBodyBytes = 8 * 1024;
constexpr std::size_t kHeartbeatBodyBytes = 16 * 1024;
constexpr std::size_t kAckBodyBytes = 256 * 1024;  // 1,000 ids
// File descriptors kept for everything but client connections (database, logs, the event loops).
constexpr rlim_t kReservedDescriptors = 64;

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

std::string ApiServer::Impl::routeTemplate(const std::string& path) const {
    if (std::find(fixedPaths.begin(), fixedPaths.end(), path) != fixedPaths.end()) {
        return path;
    }
    if (std::string orukTemplate = OrukApi::routeTemplate(path); !orukTemplate.empty()) {
        return orukTemplate;
    }
    return "unmatched";
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
            setApiError(res, 400, error.field().empty() ? "invalid_json" : "invalid_field",
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
            setApiError(res, 500, "internal", "the server failed to handle the request");
        }
        res.caller = std::move(t_request.deviceId);
        t_request = RequestContext{};
    };
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
    std::vector<HttpRoute> routes = impl.routes();
    impl.fixedPaths.clear();
    for (const HttpRoute& route : routes) {
        if (!route.prefix) {
            impl.fixedPaths.push_back(route.path);
        }
    }
    impl.http = std::make_unique<HttpTransport>(
        impl.transportOptions(), std::move(routes),
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