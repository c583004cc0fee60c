// Signpost server — the transport's requests, as libmicrohttpd calls back for each: the route
// (404/405), the body's framing checked before a byte of it is read (400/413/415), the route's
// admit step and its handler on a worker while the connection is suspended (503 when the queue
// is full), the body kept up to the route's limit, and the answer handed back to libmicrohttpd.
#include "sync/server/http_transport.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "core/common/log.h"
#include "core/common/text_util.h"
#include "sync/protocol/wire.h"

#include "sync/server/http_transport_internal.h"

namespace signpost::server {

using namespace http_detail;

namespace {

MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<HeaderList*>(cls)->emplace_back(key == nullptr ? "" : key,
                                                value == nullptr ? "" : value);
    return MHD_YES;
}

}  // namespace

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
        equalsIgnoreCase(trim(req.get_header_value("Transfer-Encoding")), "chunked");
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
        const std::string text(trim(req.get_header_value("Content-Length")));
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), declared);
        if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
            return refuse(mhd, ex, 400, "invalid_field", "Content-Length: expected a whole number");
        }
    }
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && !equalsIgnoreCase(trim(encoding), "identity")) {
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
                setApiError(ex.response, 500, "internal",
                            "the server failed to handle the request");
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
        setApiError(ex.response, 503, "unavailable", "the server is busy; try again shortly");
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
        setApiError(ex.response, 500, "internal", "the server failed to handle the request");
    }
}

MHD_Result HttpTransport::Impl::refuse(MHD_Connection* mhd, Exchange& ex, int status,
                                       const std::string& code, const std::string& message) {
    setApiError(ex.response, status, code, message);
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

}  // namespace signpost::server
