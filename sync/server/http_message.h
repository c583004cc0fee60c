// Signpost server — one HTTP request and its answer, apart from the HTTP library that carries
// them (http_transport.h). Route handlers (api_server.cpp) read a Request and fill a Response;
// the member names follow cpp-httplib's (has_header, get_param_value, set_content...), so a
// handler reads the same whichever library serves it.
//
// Thread-safety: plain values. A request is handled on one thread at a time.
#pragma once

#include <any>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost::server {

// Name/value pairs in the order received; names compare case-insensitively.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// True if the two ASCII strings are equal ignoring case (header names, tokens).
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;

struct Request {
    std::string method;       // "GET", "POST", "HEAD"...
    std::string path;         // "/v1/submissions", without the query string
    HeaderList headers;       // as received
    HeaderList params;        // query parameters, percent-decoded
    std::string body;         // the whole body, at most the route's body limit
    std::string remote_addr;  // the client: the TCP peer, or X-Forwarded-For's client when the
                              // peer is a trusted proxy (client_address.h); rate limits key on it
    std::string peer_addr;    // the TCP peer itself
    // Set by a route's admit step (before the body is read) for its handler: say, the
    // authenticated caller, so the token is checked once. Empty otherwise.
    std::any admitted;

    bool has_header(std::string_view name) const;
    std::string get_header_value(std::string_view name) const;  // the first; "" when absent
    bool has_param(std::string_view name) const;
    std::string get_param_value(std::string_view name) const;  // the first; "" when absent
};

struct Response {
    int status = 200;
    HeaderList headers;
    std::string body;
    // When set, sent instead of `body` without a copy (a cached directory snapshot shared by
    // many responses). The pointer keeps it alive until the last byte is written.
    std::shared_ptr<const std::string> sharedBody;
    // The device that asked, for the request's log line ("" when none). Never a secret.
    std::string caller;

    // Replaces any header of that name.
    void set_header(std::string_view name, std::string value);
    std::string get_header_value(std::string_view name) const;  // "" when absent
    void set_content(std::string text, std::string_view contentType);
    void set_shared_content(std::shared_ptr<const std::string> text, std::string_view contentType);
    std::string_view content() const noexcept {
        return sharedBody ? std::string_view(*sharedBody) : std::string_view(body);
    }
};

// Answers with the API's error body, {"error":{"code","message"}} as application/json (the
// README's "Sync API"), for the transport's own refusals and the handlers' alike.
void setApiError(Response& res, int status, const std::string& code, const std::string& message);

}  // namespace signpost::server
