// Signpost server — the transport's life cycle: the listening socket (bound here, so a port in
// use is a clear error), libmicrohttpd's daemon with its options and the TLS set-up (certificate
// and key read into memory, TLS 1.2/1.3 only), the orderly stop, and the counters /metrics reads.
// Connections and requests are in http_transport_connections.cpp and _requests.cpp.
#include "sync/server/http_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "sync/server/http_transport_internal.h"

namespace signpost::server {

using namespace http_detail;

namespace {

constexpr auto kStopGrace = std::chrono::seconds(3);
constexpr const char* kTlsPriorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

}  // namespace

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