// Signpost — the coordinator side of the sync API for `signpost pull` and `signpost devices`:
// fetch a page of sealed submissions, acknowledge ids, list the fleet.
//
// Every failure becomes one ToolError line a coordinator can act on:
//   - server unreachable: "cannot reach the server at URL: <curl's words> (curl: connect)"
//   - TLS: "TLS failed with URL: ... (curl: tls); if the server uses its own certificate
//     authority, give it with --ca-file"
//   - 401: the token is wrong or revoked; 403: a kiosk's device token was given instead of a
//     coordinator token; 429/5xx after retries: the server is busy or failing, try later
//   - a 200 that is not the expected JSON: not a Signpost server (a captive portal, a proxy)
// 429, 502, 503 and 504 are retried twice, waiting Retry-After (at most 10 s, default 1 s).
// Responses are asked for gzip-compressed (never brotli: see pull_client.cpp), or uncompressed
// from a loopback server.
//
// Thread-safety: one CoordinatorClient per thread (it owns an HttpClient).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sync/net/http_client.h"
#include "sync/protocol/wire.h"

namespace signpost::tool {

struct CoordinatorConnection {
    std::string server;     // base URL without a trailing '/', e.g. "https://sync.example.org"
    std::string token;      // the coordinator token
    std::string tokenFile;  // where it came from, for messages
    std::string caFile;     // "" = the system's trust store
};

struct AckSummary {
    std::size_t acked = 0;
    std::size_t alreadyAcked = 0;
    std::vector<std::string> unknownIds;  // ids the server does not have (purged, or never there)
};

class CoordinatorClient {
public:
    explicit CoordinatorClient(CoordinatorConnection connection);

    // GET /v1/submissions?after=GENERATION:A&limit=L (after=A when generation is ""). Throws
    // ToolError.
    protocol::SubmissionPage fetchPage(const std::string& generation, std::int64_t after,
                                       std::size_t limit);
    // POST /v1/submissions/ack in requests of at most kMaxPullPage ids. Throws ToolError; ids
    // acknowledged by requests before a failure stay acknowledged (acks are idempotent).
    AckSummary ack(const std::vector<std::string>& ids);
    // GET /v1/devices. Throws ToolError.
    protocol::DeviceList devices();

    // Makes a request in progress fail soon (from any thread).
    void cancel() noexcept { m_http.cancel(); }
    const CoordinatorConnection& connection() const noexcept { return m_connection; }

private:
    HttpResponse call(const std::string& method, const std::string& path, const std::string& body,
                      const char* what);

    CoordinatorConnection m_connection;
    HttpClient m_http;
    bool m_loopback = false;
};

// Checks a --server value: http:// or https:// and a host. Returns it without trailing '/'.
// Throws UsageError.
std::string normaliseServerUrl(const std::string& url);
// True when the URL's host is 127.x.x.x, ::1 or localhost.
bool isLoopbackUrl(const std::string& url);
// Reads a token file: its first line, surrounding whitespace trimmed. Throws ToolError when it
// is missing, unreadable or empty. `warning` is set when other users may read the file.
std::string readTokenFile(const std::filesystem::path& file, std::string& warning);

}  // namespace signpost::tool
