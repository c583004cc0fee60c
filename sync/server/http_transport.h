// Signpost server — the HTTP(S) transport: libmicrohttpd's event loop in front of a bounded
// pool of workers, so a connection costs a file descriptor and a few kilobytes, never a thread,
// until its whole request has arrived.
//
//   accept ──► per-address cap ──► headers (≤ connection_memory, else 431 by libmicrohttpd)
//          ──► route, Transfer-Encoding / Content-Encoding / Content-Length checks (400/404/405/
//              413/415 before any body byte is read)
//          ──► admit (optional, on a worker: say, the bearer token) ──► body, kept up to the
//              route's limit (413 past it, whatever the transfer coding)
//          ──► handler on a worker ──► response
//
// - The event loop (io threads, epoll) only moves bytes. Route admits and handlers run on a
//   WorkerPool; while they run the connection is suspended, so the loop never waits on SQLite.
//   When every worker is busy and the queue is full, the request is answered 503 + Retry-After
//   at once.
// - Deadlines: read_timeout is the longest silence while a request arrives; request_timeout
//   bounds the whole request (headers and body) from the moment the connection was opened or
//   its previous response finished, however slowly the bytes trickle in; keep_alive is how long
//   an idle connection stays open. A connection past its deadline is closed without an answer.
// - Bodies: a route takes at most its maxBodyBytes (and never more than the global cap). A
//   declared Content-Length over that is refused before the body is read. A chunked body (any
//   spelling of "chunked") is counted as it arrives and dropped past the limit; the 413 follows
//   the end of the body, or, when the client keeps sending, the connection is closed once
//   kDrainBytes more have been thrown away. Nothing past the limit is ever kept in memory.
//   Any other Transfer-Encoding, or one together with Content-Length, is a 400.
// - Connections: at most maxConnections in all and maxConnectionsPerAddress from one client
//   address (addressKey(): IPv4, or an IPv6 /64); trusted proxies are exempt, since every client
//   behind them shares their address. Over a cap the connection is closed at once.
//
// Thread-safety: start()/stop() from one thread. Route callbacks run on worker threads, the
// completion hook on io threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sync/server/client_address.h"
#include "sync/server/http_message.h"

namespace signpost::server {

struct HttpTransportOptions {
    std::string listenAddress = "127.0.0.1";      // IPv4/IPv6 literal or "localhost"
    int port = 0;                                 // 0 = any free port
    std::string tlsCertFile;                      // PEM chain; "" = plain HTTP
    std::string tlsKeyFile;                       // PEM key for tlsCertFile
    unsigned ioThreads = 2;                       // event loops (TLS handshakes run here)
    std::size_t workerThreads = 8;                // run admits and handlers
    std::size_t queueCapacity = 256;              // work waiting for a worker; 503 beyond
    unsigned maxConnections = 10000;              // all connections
    unsigned maxConnectionsPerAddress = 32;       // from one client address (not trusted proxies)
    std::chrono::seconds keepAlive{5};            // idle between requests; 0 = close after each
    std::chrono::seconds readTimeout{10};         // silence while a request arrives
    std::chrono::seconds requestTimeout{30};      // a whole request, headers and body
    std::size_t connectionMemory = 32 * 1024;     // per connection: the request line and headers
                                                  // must fit (431 past that)
    std::size_t maxBodyBytes = 10 * 1024 * 1024;  // ceiling for every route's body
    TrustedProxies trustedProxies;
    std::chrono::seconds busyRetryAfter{2};  // Retry-After on the 503 when the queue is full
};

struct HttpRoute {
    std::string method;            // "GET" (HEAD is served by the GET route) or "POST"
    std::string path;              // matched exactly...
    std::size_t maxBodyBytes = 0;  // 0 = the route takes no body
    // Optional. Runs on a worker when a body is announced, before any of it is read; returns
    // false with `res` filled (401, 403, 429...) to refuse without reading the body. It may leave
    // something for the handler in req.admitted.
    std::function<bool(Request& req, Response& res)> admit;
    std::function<void(const Request& req, Response& res)> handle;
    // ...or, when true, also every path under it ("/v1/things" serves "/v1/things/42"; the
    // handler reads the rest from req.path). An exact route wins over a prefix route.
    bool prefix = false;
};

class HttpTransport {
public:
    // After each answered request (also the transport's own answers), on an io thread; `seconds`
    // from the complete request head to the queued answer.
    using CompletionHook = std::function<void(const Request&, const Response&, double seconds)>;

    // What the transport refused or cut, for /metrics.
    struct Counters {
        std::uint64_t busy = 0;             // 503: the work queue was full
        std::uint64_t tooLarge = 0;         // 413
        std::uint64_t deadline = 0;         // closed by request_timeout
        std::uint64_t drained = 0;          // closed after draining past the body limit
        std::uint64_t addressCapped = 0;    // connections refused by the per-address cap
        std::uint64_t openConnections = 0;  // now
    };

    static constexpr std::size_t kDrainBytes = 1024 * 1024;

    HttpTransport(HttpTransportOptions options, std::vector<HttpRoute> routes,
                  CompletionHook completed);
    ~HttpTransport();  // stop()
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Binds and starts serving. Throws std::runtime_error when the address cannot be bound
    // ("cannot listen on ...") or the TLS certificate/key cannot be loaded.
    void start();
    // Stops accepting, lets running work finish and its answers go out (a few seconds at most),
    // then closes every connection. Safe to call twice.
    void stop();

    int port() const noexcept;
    Counters counters() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace signpost::server
