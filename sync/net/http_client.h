// Signpost — a small HTTP client on libcurl for the kiosk's sync engine and the coordinator tool.
//
// Network failures are values, not exceptions (STYLE.md §4): send() returns Result<HttpResponse>
// whose Error.code is one of "dns", "connect", "timeout", "tls", "tls_pin", "proxy",
// "too_large", "send", "receive", "protocol", "cancelled", "curl_<n>". Any HTTP status — 200,
// 404, 503 — is a response, for the caller to judge.
//
// Safe defaults for a kiosk on an unreliable public network (FACTS.md "libcurl"): connect timeout
// 10 s; abort when slower than 1 byte/s for 30 s; TLS verification always on (there is no switch
// to turn it off); optional public-key pins (current + backup); proxy from the environment
// (http_proxy / https_proxy / no_proxy) unless one is configured; gzip accepted; the response
// size capped in the write callback (libcurl 7.88's MAXFILESIZE does not stop bodies of unknown
// size); redirects never followed (a redirect on our API is a captive portal's doing);
// CURLOPT_NOSIGNAL so it is safe in threads.
//
// Thread-safety: one HttpClient per thread (it reuses one curl handle, and so one connection,
// across requests). cancel() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/result.h"

namespace signpost {

struct HttpClientOptions {
    std::chrono::milliseconds connectTimeout{10000};
    long lowSpeedBytesPerSecond = 1;            // abort below this rate ...
    std::chrono::seconds lowSpeedTime{30};      // ... sustained for this long
    std::chrono::milliseconds totalTimeout{0};  // 0 = no overall limit (low-speed guards instead)
    std::string caFile;                         // PEM bundle; "" = the system's trust store
    std::vector<std::string> pinnedPublicKeys;  // "sha256//<base64>" each; any one must match
    std::string proxy;                          // "" = from the environment; "none" = no proxy
    std::size_t maxResponseBytes = 32u << 20;   // larger bodies fail with "too_large"
    bool acceptGzip = true;
    std::string userAgent;  // "" = "signpost/<version>"
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Authorization", "Bearer …"}
    std::string body;                                          // sent when not empty (or POST)
    // When not empty, the server's key must match one of these ("sha256//<base64>") instead of
    // the client's pins: an enrollment confirmed against a fingerprint (issue 9).
    std::vector<std::string> pinnedPublicKeys;
    // Over a new connection, and fills HttpResponse::peerCertificate (the server's certificate).
    bool wantCertificate = false;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased; last value wins
    std::string body;                            // decoded (gunzipped) bytes
    std::size_t bytesOnWire = 0;                 // body bytes received before decoding
    double seconds = 0;                          // total time for the request
    std::string peerCertificate;                 // PEM of the server's certificate, when asked
                                                 // for (HttpRequest::wantCertificate) over TLS

    // The header value, or "" (name in any case).
    std::string header(const std::string& name) const;
    // Retry-After as seconds (delta-seconds or an HTTP date); nullopt when absent or unparsable.
    std::optional<std::chrono::seconds> retryAfter() const;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    Result<HttpResponse> send(const HttpRequest& request);
    // Makes a send() in progress (or the next one) fail soon with "cancelled". Thread-safe.
    void cancel() noexcept { m_cancelled = true; }
    void resetCancel() noexcept { m_cancelled = false; }
    const HttpClientOptions& options() const noexcept { return m_options; }

private:
    HttpClientOptions m_options;
    void* m_curl = nullptr;  // CURL*, kept out of this header
    std::atomic<bool> m_cancelled{false};
};

}  // namespace signpost
