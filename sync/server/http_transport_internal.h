// Signpost server — what the HttpTransport's source files share (http_transport.cpp: start,
// stop and the listening socket with its TLS set-up; http_transport_connections.cpp: the
// per-address cap and the request deadline; http_transport_requests.cpp: routing, body framing,
// the hand-off to workers and the answer): the Impl that libmicrohttpd's callbacks reach through
// their closure pointer, and the connection and request records it keeps. Not part of the
// transport's API: include it only from those files (they are the only ones to see
// microhttpd.h).
//
// Thread-safety: as http_transport.h; the fields say which lock guards them.
#pragma once

#include <microhttpd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sync/server/http_transport.h"
#include "sync/server/worker_pool.h"

namespace signpost::server {

namespace http_detail {

using Clock = std::chrono::steady_clock;

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

}  // namespace http_detail

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
    std::unordered_set<http_detail::Connection*> connections;
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

    MHD_Result begin(MHD_Connection* mhd, http_detail::Exchange& ex, const char* url,
                     const char* method);
    MHD_Result body(http_detail::Exchange& ex, const char* data, std::size_t* size);
    MHD_Result answer(MHD_Connection* mhd, http_detail::Exchange& ex);
    MHD_Result refuse(MHD_Connection* mhd, http_detail::Exchange& ex, int status,
                      const std::string& code, const std::string& message);
    // Suspends the connection and runs `work` on a worker, which resumes it; 503 at once when
    // the queue is full.
    MHD_Result toWorker(MHD_Connection* mhd, http_detail::Exchange& ex, http_detail::Phase phase,
                        std::function<void()> work);
    void handle(http_detail::Exchange& ex);
    void markBusy(http_detail::Connection* connection, bool busy);

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

}  // namespace signpost::server
