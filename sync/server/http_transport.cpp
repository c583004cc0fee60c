#include "sync/server/http_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "sync/protocol/wire.h"
#include "sync/server/worker_pool.h"

namespace signpost::server {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kReaperPeriod = std::chrono::milliseconds(250);
constexpr auto kStopGrace = std::chrono::seconds(3);
constexpr const char* kTlsPriorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

// One TCP connection (libmicrohttpd's socket_context). Guarded by Impl::connectionsMutex.
struct Connection {
    MHD_socket fd = MHD_INVALID_SOCKET;
    std::string peer;         // canonical address text
    std::string key;          // addressKey(peer); "" when exempt from the per-address cap
    Clock::time_point since;  // opened, or its previous answer finished
    bool busy = false;        // the whole request is in: the server's turn, no deadline
    bool cut = false;         // shut down by the request deadline
};

enum class Phase {
    Admitting,  // suspended: the route's admit step runs on a worker
    Body,       // the body is arriving
    Working,    // suspended: the handler runs on a worker
    Answered,   // the response is queued
};

// One request (libmicrohttpd's req_cls), from its complete head to its completion.
struct Exchange {
    Connection* connection = nullptr;
    const HttpRoute* route = nullptr;
    Request request;
    Response response;
    Phase phase = Phase::Body;
    std::size_t limit = 0;      // body bytes kept at most
    bool overLimit = false;     // the body passed `limit`: the rest is dropped, the answer is 413
    std::size_t dropped = 0;    // bytes thrown away past the limit
    bool refused = false;       // the admit step answered
    bool closeAfter = false;    // the body was not read: the connection cannot be reused
    Clock::time_point started;  // the complete head arrived
    Clock::time_point answered;
};

void setError(Response& res, int status, const std::string& code, const std::string& message) {
    res.status = status;
    res.set_content(protocol::toJson(protocol::ApiError{code, message}), "application/json");
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

std::string addressText(const sockaddr* address) {
    if (address == nullptr) {
        return "";
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                    sizeof text);
    } else if (address->sa_family == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                    sizeof text);
    } else {
        return "";
    }
    const auto parsed = IpAddress::parse(text);  // ::ffff:192.0.2.7 → 192.0.2.7
    return parsed ? parsed->toString() : std::string(text);
}

MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<HeaderList*>(cls)->emplace_back(key == nullptr ? "" : key,
                                                value == nullptr ? "" : value);
    return MHD_YES;
}

}  // namespace

struct HttpTransport::Impl {
    HttpTransportOptions options;
    std::vector<HttpRoute> routes;
    CompletionHook completed;

    std::string certPem;
    std::string keyPem;
    MHD_Daemon* daemon = nullptr;
    int listenFd = -1;
    int boundPort = 0;
    std::unique_ptr<WorkerPool> pool;
    std::atomic<bool> stopping{false};

    std::mutex connectionsMutex;
    std::unordered_set<Connection*> connections;
    std::unordered_map<std::string, unsigned> perAddress;

    std::atomic<int> suspended{0};  // connections waiting for a worker
    std::atomic<int> live{0};       // exchanges not yet completed
    std::atomic<std::uint64_t> busyCount{0}, tooLargeCount{0}, deadlineCount{0}, drainedCount{0},
        cappedCount{0};

    std::thread reaper;
    std::mutex reaperMutex;
    std::condition_variable reaperWake;
    bool reaperStop = false;

    void bindListener();
    void reap();

    MHD_Result begin(MHD_Connection* mhd, Exchange& ex, const char* url, const char* method);
    MHD_Result body(Exchange& ex, const char* data, std::size_t* size);
    MHD_Result answer(MHD_Connection* mhd, Exchange& ex);
    MHD_Result refuse(MHD_Connection* mhd, Exchange& ex, int status, const std::string& code,
                      const std::string& message);
    // Suspends the connection and runs `work` on a worker, which resumes it; 503 at once when
    // the queue is full.
    MHD_Result toWorker(MHD_Connection* mhd, Exchange& ex, Phase phase, std::function<void()> work);
    void handle(Exchange& ex);
    void markBusy(Connection* connection, bool busy);

    static MHD_Result onAccept(void* cls, const sockaddr* address, socklen_t length);
    static void onConnection(void* cls, MHD_Connection* mhd, void** socketContext,
                             MHD_ConnectionNotificationCode code);
    static MHD_Result onRequest(void* cls, MHD_Connection* mhd, const char* url, const char* method,
                                const char* version, const char* uploadData,
                                std::size_t* uploadSize, void** requestContext);
    static void onCompleted(void* cls, MHD_Connection* mhd, void** requestContext,
                            MHD_RequestTerminationCode code);
    static void onLog(void* cls, const char* format, va_list arguments);
};

// --- Listening ---

void HttpTransport::Impl::bindListener() {
    std::string host = options.listenAddress == "localhost" ? "127.0.0.1" : options.listenAddress;
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(options.port));
        length = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        family = AF_INET6;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(options.port));
        length = sizeof(sockaddr_in6);
    }
    const auto fail = [&] {
        if (listenFd >= 0) {
            ::close(listenFd);
            listenFd = -1;
        }
        throw std::runtime_error("cannot listen on " + options.listenAddress + ":" +
                                 std::to_string(options.port) +
                                 " (address in use, or not an address of this machine?)");
    };
    if (length == 0) {
        fail();
    }
    listenFd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listenFd < 0) {
        fail();
    }
    // SO_REUSEADDR (not SO_REUSEPORT, which would let a second server share the port and take
    // half the traffic): a quick restart can bind again while old connections linger.
    int yes = 1;
    ::setsockopt(listenFd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(listenFd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
        ::listen(listenFd, SOMAXCONN) != 0) {
        fail();
    }
    sockaddr_storage bound{};
    socklen_t boundLength = sizeof bound;
    ::getsockname(listenFd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
    boundPort = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                        : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
}

// --- Connections ---

MHD_Result HttpTransport::Impl::onAccept(void* cls, const sockaddr* address, socklen_t) {
    auto& self = *static_cast<Impl*>(cls);
    const std::string peer = addressText(address);
    if (self.options.trustedProxies.contains(peer)) {
        return MHD_YES;
    }
    const std::string key = addressKey(peer);
    std::lock_guard lock(self.connectionsMutex);
    const auto it = self.perAddress.find(key);
    if (it != self.perAddress.end() && it->second >= self.options.maxConnectionsPerAddress) {
        ++self.cappedCount;
        return MHD_NO;
    }
    return MHD_YES;
}

void HttpTransport::Impl::onConnection(void* cls, MHD_Connection* mhd, void** socketContext,
                                       MHD_ConnectionNotificationCode code) {
    auto& self = *static_cast<Impl*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        auto connection = std::make_unique<Connection>();
        if (const auto* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD)) {
            connection->fd = info->connect_fd;
        }
        if (const auto* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
            connection->peer = addressText(info->client_addr);
        }
        if (!self.options.trustedProxies.contains(connection->peer)) {
            connection->key = addressKey(connection->peer);
        }
        connection->since = Clock::now();
        std::lock_guard lock(self.connectionsMutex);
        if (!connection->key.empty()) {
            ++self.perAddress[connection->key];
        }
        *socketContext = connection.get();
        self.connections.insert(connection.release());
        return;
    }
    // Closed: libmicrohttpd calls this before it closes the socket, so under the mutex the
    // reaper never shuts down a descriptor that was already reused.
    auto* connection = static_cast<Connection*>(*socketContext);
    if (connection == nullptr) {
        return;
    }
    {
        std::lock_guard lock(self.connectionsMutex);
        self.connections.erase(connection);
        if (!connection->key.empty()) {
            const auto it = self.perAddress.find(connection->key);
            if (it != self.perAddress.end() && --it->second == 0) {
                self.perAddress.erase(it);
            }
        }
    }
    delete connection;
    *socketContext = nullptr;
}

void HttpTransport::Impl::markBusy(Connection* connection, bool busy) {
    if (connection == nullptr) {
        return;
    }
    std::lock_guard lock(connectionsMutex);
    connection->busy = busy;  // back to false: the deadline counts on from `since`
}

// Closes connections whose request has taken longer than request_timeout in all, whatever
// trickle of bytes keeps libmicrohttpd's per-read timeout from firing.
void HttpTransport::Impl::reap() {
    std::unique_lock wait(reaperMutex);
    while (!reaperWake.wait_for(wait, kReaperPeriod, [this] { return reaperStop; })) {
        const auto now = Clock::now();
        std::lock_guard lock(connectionsMutex);
        for (Connection* connection : connections) {
            if (!connection->busy && !connection->cut &&
                now - connection->since > options.requestTimeout &&
                connection->fd != MHD_INVALID_SOCKET) {
                ::shutdown(connection->fd, SHUT_RDWR);  // the event loop sees it and closes
                connection->cut = true;
                ++deadlineCount;
            }
        }
    }
}

// --- Requests ---

MHD_Result HttpTransport::Impl::onRequest(void* cls, MHD_Connection* mhd, const char* url,
                                          const char* method, const char*, const char* uploadData,
                                          std::size_t* uploadSize, void** requestContext) {
    auto& self = *static_cast<Impl*>(cls);
    auto* ex = static_cast<Exchange*>(*requestContext);
    if (ex == nullptr) {
        ex = new Exchange;
        *requestContext = ex;
        ++self.live;
        return self.begin(mhd, *ex, url, method);
    }
    switch (ex->phase) {
        case Phase::Admitting:  // resumed after the admit step
            --self.suspended;
            if (ex->refused) {
                ex->closeAfter = true;
                return self.answer(mhd, *ex);
            }
            ex->phase = Phase::Body;
            self.markBusy(ex->connection, false);
            return MHD_YES;  // now libmicrohttpd reads the body (100 Continue if asked)
        case Phase::Body:
            if (*uploadSize > 0) {
                return self.body(*ex, uploadData, uploadSize);
            }
            if (ex->overLimit) {
                ++self.tooLargeCount;
                return self.refuse(
                    mhd, *ex, 413, "too_large",
                    "the request body is larger than " + std::to_string(ex->limit) + " bytes");
            }
            return self.toWorker(mhd, *ex, Phase::Working, [&self, ex] { self.handle(*ex); });
        case Phase::Working:  // resumed after the handler
            --self.suspended;
            return self.answer(mhd, *ex);
        case Phase::Answered:
            break;
    }
    *uploadSize = 0;
    return MHD_YES;
}

MHD_Result HttpTransport::Impl::begin(MHD_Connection* mhd, Exchange& ex, const char* url,
                                      const char* method) {
    ex.started = Clock::now();
    if (const auto* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT)) {
        ex.connection = static_cast<Connection*>(info->socket_context);
    }
    // The head is in: silence from here on is a stalled request, not an idle connection.
    MHD_set_connection_option(mhd, MHD_CONNECTION_OPTION_TIMEOUT,
                              static_cast<unsigned>(options.readTimeout.count()));
    Request& req = ex.request;
    req.method = method == nullptr ? "" : method;
    req.path = url == nullptr ? "" : url;
    MHD_get_connection_values(mhd, MHD_HEADER_KIND, &collect, &req.headers);
    MHD_get_connection_values(mhd, MHD_GET_ARGUMENT_KIND, &collect, &req.params);
    req.peer_addr = ex.connection != nullptr ? ex.connection->peer : "";
    std::string forwardedFor;
    for (const auto& [name, value] : req.headers) {
        if (equalsIgnoreCase(name, "X-Forwarded-For")) {
            forwardedFor += forwardedFor.empty() ? value : "," + value;
        }
    }
    req.remote_addr = options.trustedProxies.clientAddress(req.peer_addr, forwardedFor);

    const std::string routeMethod = req.method == "HEAD" ? std::string("GET") : req.method;
    std::string allow;
    // Exact paths first, then prefixes: "/v1/things/42" is not "/v1/things" but is under it.
    for (const bool underPrefix : {false, true}) {
        for (const HttpRoute& route : routes) {
            const bool matches =
                underPrefix ? route.prefix && req.path.size() > route.path.size() &&
                                  req.path.compare(0, route.path.size(), route.path) == 0 &&
                                  req.path[route.path.size()] == '/'
                            : route.path == req.path;
            if (!matches) {
                continue;
            }
            if (route.method == routeMethod) {
                ex.route = &route;
                break;
            }
            allow += allow.empty() ? "" : ", ";
            allow += route.method;
            if (route.method == "GET") {
                allow += ", HEAD";
            }
        }
        if (ex.route != nullptr || !allow.empty()) {
            break;
        }
    }
    if (ex.route == nullptr) {
        if (allow.empty()) {
            return refuse(mhd, ex, 404, "not_found", "no such route");
        }
        ex.response.set_header("Allow", allow);
        return refuse(mhd, ex, 405, "method_not_allowed",
                      req.method + " is not allowed here; use " + allow);
    }

    // The body's framing, decided before a byte of it is read.
    const bool hasTransferEncoding = req.has_header("Transfer-Encoding");
    const bool chunked =
        equalsIgnoreCase(trimmed(req.get_header_value("Transfer-Encoding")), "chunked");
    if (hasTransferEncoding && !chunked) {
        return refuse(mhd, ex, 400, "invalid_field",
                      "Transfer-Encoding: only \"chunked\" is supported");
    }
    std::uint64_t declared = 0;
    const auto lengths = std::count_if(req.headers.begin(), req.headers.end(), [](const auto& h) {
        return equalsIgnoreCase(h.first, "Content-Length");
    });
    if (lengths > 1) {
        // Two lengths: whichever one a proxy in front believed, the other could smuggle a request.
        return refuse(mhd, ex, 400, "invalid_field", "Content-Length: sent more than once");
    }
    if (req.has_header("Content-Length")) {
        if (hasTransferEncoding) {
            return refuse(mhd, ex, 400, "invalid_field",
                          "Content-Length: must not be sent with Transfer-Encoding");
        }
        const std::string text(trimmed(req.get_header_value("Content-Length")));
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), declared);
        if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
            return refuse(mhd, ex, 400, "invalid_field", "Content-Length: expected a whole number");
        }
    }
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && !equalsIgnoreCase(trimmed(encoding), "identity")) {
        // A compressed body could inflate far past the body cap.
        return refuse(mhd, ex, 415, "unsupported_encoding",
                      "request bodies must not be compressed");
    }
    ex.limit = std::min(ex.route->maxBodyBytes, options.maxBodyBytes);
    const bool bodyComing = chunked || declared > 0;
    if (bodyComing && (declared > ex.limit || ex.limit == 0)) {
        ++tooLargeCount;
        return refuse(mhd, ex, 413, "too_large",
                      ex.limit == 0 ? std::string("this route takes no request body")
                                    : "the request body is larger than " +
                                          std::to_string(ex.limit) + " bytes");
    }
    if (stopping) {
        ex.response.set_header("Retry-After", std::to_string(options.busyRetryAfter.count()));
        return refuse(mhd, ex, 503, "unavailable", "the server is restarting; try again shortly");
    }
    // Without a body the handler runs on the next call, once libmicrohttpd has the whole request:
    // an answer queued before that point makes it close the connection (no keep-alive).
    if (bodyComing && ex.route->admit) {
        return toWorker(mhd, ex, Phase::Admitting, [this, &ex] {
            try {
                ex.refused = !ex.route->admit(ex.request, ex.response);
            } catch (const std::exception& error) {
                logError("http", std::string("admitting a request failed: ") + error.what());
                setError(ex.response, 500, "internal", "the server failed to handle the request");
                ex.refused = true;
            }
        });
    }
    ex.phase = Phase::Body;
    return MHD_YES;
}

MHD_Result HttpTransport::Impl::body(Exchange& ex, const char* data, std::size_t* size) {
    const std::size_t length = *size;
    *size = 0;
    if (!ex.overLimit && ex.request.body.size() + length <= ex.limit) {
        ex.request.body.append(data, length);
    } else {
        if (!ex.overLimit) {
            ex.overLimit = true;
            std::string().swap(ex.request.body);  // give the memory back now
        }
        ex.dropped += length;
        if (ex.dropped > kDrainBytes) {
            ++drainedCount;
            return MHD_NO;  // the client does not stop: close instead of reading forever
        }
    }
    return MHD_YES;
}

MHD_Result HttpTransport::Impl::toWorker(MHD_Connection* mhd, Exchange& ex, Phase phase,
                                         std::function<void()> work) {
    ex.phase = phase;
    markBusy(ex.connection, true);
    ++suspended;
    MHD_suspend_connection(mhd);
    const bool queued = pool->trySubmit([mhd, work = std::move(work)] {
        work();
        MHD_resume_connection(mhd);  // `ex` belongs to the event loop again from here
    });
    if (!queued) {
        ++busyCount;
        ex.refused = true;
        ex.response = Response{};
        ex.response.set_header("Retry-After", std::to_string(options.busyRetryAfter.count()));
        setError(ex.response, 503, "unavailable", "the server is busy; try again shortly");
        MHD_resume_connection(mhd);
    }
    return MHD_YES;
}

void HttpTransport::Impl::handle(Exchange& ex) {
    try {
        ex.route->handle(ex.request, ex.response);
    } catch (const std::exception& error) {
        logError("http", std::string("request failed: ") + error.what());
        ex.response = Response{};
        setError(ex.response, 500, "internal", "the server failed to handle the request");
    }
}

MHD_Result HttpTransport::Impl::refuse(MHD_Connection* mhd, Exchange& ex, int status,
                                       const std::string& code, const std::string& message) {
    setError(ex.response, status, code, message);
    return answer(mhd, ex);
}

MHD_Result HttpTransport::Impl::answer(MHD_Connection* mhd, Exchange& ex) {
    ex.phase = Phase::Answered;
    ex.answered = Clock::now();
    Response& res = ex.response;
    if (!res.sharedBody) {
        res.sharedBody = std::make_shared<const std::string>(std::move(res.body));
        res.body.clear();
    }
    // The response points into the shared text; the copy of the pointer it owns keeps the text
    // alive until libmicrohttpd has sent the last byte and frees the response.
    auto* owner = new std::shared_ptr<const std::string>(res.sharedBody);
    MHD_Response* response = MHD_create_response_from_buffer_with_free_callback_cls(
        (*owner)->size(), const_cast<char*>((*owner)->data()),
        [](void* cls) { delete static_cast<std::shared_ptr<const std::string>*>(cls); }, owner);
    if (response == nullptr) {
        delete owner;
        return MHD_NO;
    }
    for (const auto& [name, value] : res.headers) {
        MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    if (options.keepAlive.count() == 0 || ex.closeAfter) {
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    const MHD_Result queued = MHD_queue_response(mhd, static_cast<unsigned>(res.status), response);
    MHD_destroy_response(response);
    return queued;
}

void HttpTransport::Impl::onCompleted(void* cls, MHD_Connection* mhd, void** requestContext,
                                      MHD_RequestTerminationCode code) {
    auto& self = *static_cast<Impl*>(cls);
    std::unique_ptr<Exchange> ex(static_cast<Exchange*>(*requestContext));
    *requestContext = nullptr;
    if (!ex) {
        return;
    }
    --self.live;
    if (ex->phase == Phase::Answered && self.completed) {
        try {
            self.completed(ex->request, ex->response,
                           std::chrono::duration<double>(ex->answered - ex->started).count());
        } catch (const std::exception& error) {
            logError("http", std::string("logging a request failed: ") + error.what());
        }
    }
    if (ex->connection != nullptr) {
        std::lock_guard lock(self.connectionsMutex);
        ex->connection->busy = false;
        ex->connection->since = Clock::now();  // the next request's deadline starts now
    }
    if (code == MHD_REQUEST_TERMINATED_COMPLETED_OK && self.options.keepAlive.count() > 0) {
        MHD_set_connection_option(mhd, MHD_CONNECTION_OPTION_TIMEOUT,
                                  static_cast<unsigned>(self.options.keepAlive.count()));
    }
}

void HttpTransport::Impl::onLog(void*, const char* format, va_list arguments) {
    char line[512];
    std::vsnprintf(line, sizeof line, format, arguments);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    logDebug("http", "libmicrohttpd: " + text);
}

// --- HttpTransport ---

HttpTransport::HttpTransport(HttpTransportOptions options, std::vector<HttpRoute> routes,
                             CompletionHook completed)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    m_impl->routes = std::move(routes);
    m_impl->completed = std::move(completed);
}

HttpTransport::~HttpTransport() {
    stop();
}

void HttpTransport::start() {
    Impl& impl = *m_impl;
    if (impl.daemon != nullptr) {
        return;
    }
    const HttpTransportOptions& o = impl.options;
    const bool tls = !o.tlsCertFile.empty();
    const std::string tlsProblem = "cannot load the TLS certificate \"" + o.tlsCertFile +
                                   "\" and key \"" + o.tlsKeyFile + "\"";
    if (tls) {
        try {
            impl.certPem = readFile(o.tlsCertFile);
            impl.keyPem = readFile(o.tlsKeyFile);
        } catch (const std::exception&) {
            throw std::runtime_error(tlsProblem);
        }
    }
    impl.bindListener();
    impl.stopping = false;
    impl.pool = std::make_unique<WorkerPool>(o.workerThreads, o.queueCapacity);

    std::vector<MHD_OptionItem> items = {
        {MHD_OPTION_LISTEN_SOCKET, impl.listenFd, nullptr},
        {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(o.maxConnections), nullptr},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(o.connectionMemory), nullptr},
        // A new connection is a request arriving; after an answer it is keep_alive (onCompleted).
        {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(o.readTimeout.count()), nullptr},
        {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Impl::onCompleted), &impl},
        {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&Impl::onConnection), &impl},
        {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&Impl::onLog), &impl},
        {MHD_OPTION_STRICT_FOR_CLIENT, 1, nullptr},
    };
    if (o.ioThreads > 1) {
        items.push_back({MHD_OPTION_THREAD_POOL_SIZE, static_cast<intptr_t>(o.ioThreads), nullptr});
    }
    if (tls) {
        items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, impl.keyPem.data()});
        items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, impl.certPem.data()});
        items.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, const_cast<char*>(kTlsPriorities)});
    }
    items.push_back({MHD_OPTION_END, 0, nullptr});
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (tls) {
        flags |= MHD_USE_TLS;
    }
    impl.daemon = MHD_start_daemon(flags, 0, &Impl::onAccept, &impl, &Impl::onRequest, &impl,
                                   MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
    if (impl.daemon == nullptr) {
        ::close(impl.listenFd);
        impl.listenFd = -1;
        impl.pool.reset();
        throw std::runtime_error(tls ? tlsProblem : "cannot start the HTTP server");
    }
    {
        std::lock_guard lock(impl.reaperMutex);
        impl.reaperStop = false;
    }
    impl.reaper = std::thread([&impl] { impl.reap(); });
}

void HttpTransport::stop() {
    Impl& impl = *m_impl;
    if (impl.daemon == nullptr) {
        return;
    }
    impl.stopping = true;
    const MHD_socket listening = MHD_quiesce_daemon(impl.daemon);
    if (listening != MHD_INVALID_SOCKET) {
        ::close(listening);
    }
    impl.listenFd = -1;
    // Work already queued runs and resumes its connection; libmicrohttpd must not be stopped
    // while any connection is still suspended.
    impl.pool->stop();
    const auto deadline = Clock::now() + kStopGrace;
    while ((impl.suspended > 0 || impl.live > 0) && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    while (impl.suspended > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    {
        std::lock_guard lock(impl.reaperMutex);
        impl.reaperStop = true;
    }
    impl.reaperWake.notify_all();
    if (impl.reaper.joinable()) {
        impl.reaper.join();
    }
    MHD_stop_daemon(impl.daemon);
    impl.daemon = nullptr;
    impl.pool.reset();
}

int HttpTransport::port() const noexcept {
    return m_impl->boundPort;
}

HttpTransport::Counters HttpTransport::counters() const {
    Counters counters;
    counters.busy = m_impl->busyCount;
    counters.tooLarge = m_impl->tooLargeCount;
    counters.deadline = m_impl->deadlineCount;
    counters.drained = m_impl->drainedCount;
    counters.addressCapped = m_impl->cappedCount;
    std::lock_guard lock(m_impl->connectionsMutex);
    counters.openConnections = m_impl->connections.size();
    return counters;
}

}  // namespace signpost::server
