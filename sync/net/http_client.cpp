#include "sync/net/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include "core/common/text_util.h"

namespace signpost {

namespace {

void ensureCurlGlobal() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl could not be initialised");
        }
    });
}

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

struct Transfer {
    HttpResponse* response;
    std::size_t cap;
    bool tooLarge = false;
    const std::atomic<bool>* cancelled;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (transfer->response->body.size() + bytes > transfer->cap) {
        transfer->tooLarge = true;
        return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
    }
    transfer->response->body.append(data, bytes);
    return bytes;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    std::string line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (after a 100 Continue, say): headers start over.
        transfer->response->headers.clear();
        return bytes;
    }
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
        transfer->response->headers[lowerCase(std::string(trim(line.substr(0, colon))))] =
            std::string(trim(line.substr(colon + 1), " \t\r\n"));
    }
    return bytes;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* transfer = static_cast<Transfer*>(user);
    return transfer->cancelled->load() ? 1 : 0;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

Error errorFor(CURLcode code, const Transfer& transfer, const char* detail) {
    std::string message = detail[0] != '\0' ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
            return {"dns", message};
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_PROXY:
            return {"proxy", message};
        case CURLE_COULDNT_CONNECT:
            return {"connect", message};
        case CURLE_OPERATION_TIMEDOUT:
            return {"timeout", message};
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return {"tls_pin", message};
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
            return {"tls", message};
        case CURLE_SEND_ERROR:
            return {"send", message};
        case CURLE_RECV_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
            return {"receive", message};
        case CURLE_BAD_CONTENT_ENCODING:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_HTTP2:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return {"protocol", message};
        case CURLE_ABORTED_BY_CALLBACK:
            return {"cancelled", "cancelled"};
        case CURLE_WRITE_ERROR:
            if (transfer.tooLarge) {
                return {"too_large",
                        "the response was larger than " + std::to_string(transfer.cap) + " bytes"};
            }
            return {"receive", message};
        default:
            return {"curl_" + std::to_string(static_cast<int>(code)), message};
    }
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(lowerCase(name));
    return it == headers.end() ? std::string() : it->second;
}

std::optional<std::chrono::seconds> HttpResponse::retryAfter() const {
    std::string value = header("retry-after");
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (value.size() > 9) {
            return std::chrono::seconds(999999999);
        }
        return std::chrono::seconds(std::stoll(value));
    }
    // An HTTP date: curl_getdate parses RFC 1123 and friends.
    time_t when = curl_getdate(value.c_str(), nullptr);
    if (when < 0) {
        return std::nullopt;
    }
    time_t now = std::time(nullptr);
    return std::chrono::seconds(when > now ? when - now : 0);
}

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)) {
    ensureCurlGlobal();
    m_curl = curl_easy_init();
    if (m_curl == nullptr) {
        throw std::runtime_error("libcurl could not create a handle");
    }
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);  // keeps the connection cache, forgets the last request's options

    HttpResponse response;
    Transfer transfer{&response, m_options.maxResponseBytes, false, &m_cancelled};
    char errorText[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_options.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, m_options.lowSpeedBytesPerSecond);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(m_options.lowSpeedTime.count()));
    if (m_options.totalTimeout.count() > 0) {
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(m_options.totalTimeout.count()));
    }
    // Verification is always on; only the trust anchors are configurable.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caFile.empty()) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.caFile.c_str());
    }
    std::string pins;
    for (const std::string& pin :
         request.pinnedPublicKeys.empty() ? m_options.pinnedPublicKeys : request.pinnedPublicKeys) {
        pins += (pins.empty() ? "" : ";") + pin;
    }
    if (!pins.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, pins.c_str());
    }
    if (m_options.proxy == "none") {
        curl_easy_setopt(curl, CURLOPT_PROXY, "");
    } else if (!m_options.proxy.empty()) {
        curl_easy_setopt(curl, CURLOPT_PROXY, m_options.proxy.c_str());
    }
    if (m_options.acceptGzip) {
        // gzip only: offered "" (every encoding curl decodes), cpp-httplib 0.11 answers with brotli
        // at its slowest setting, which costs the server more than the bytes it saves.
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    }
    const std::string agent = m_options.userAgent.empty()
                                  ? std::string("signpost/") + SIGNPOST_VERSION
                                  : m_options.userAgent;
    curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());

    curl_slist* headerList = nullptr;
    for (const auto& [name, value] : request.headers) {
        headerList = curl_slist_append(headerList, (name + ": " + value).c_str());
    }
    if (!request.body.empty() || request.method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        // No "Expect: 100-continue" round trip for our small bodies.
        headerList = curl_slist_append(headerList, "Expect:");
    }
    if (request.method != "GET" && request.method != "POST") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headerList);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    if (request.wantCertificate) {
        // A reused connection did its handshake earlier and has no certificate to show.
        curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
    }

    const CURLcode code = m_cancelled ? CURLE_ABORTED_BY_CALLBACK : curl_easy_perform(curl);
    curl_slist_free_all(headerList);
    if (code != CURLE_OK) {
        return errorFor(code, transfer, errorText);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_off_t downloaded = 0;
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
    response.bytesOnWire = static_cast<std::size_t>(downloaded);
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &response.seconds);
    if (request.wantCertificate) {
        curl_certinfo* chain = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &chain) == CURLE_OK && chain != nullptr &&
            chain->num_of_certs > 0) {
            for (curl_slist* field = chain->certinfo[0]; field != nullptr; field = field->next) {
                const std::string_view text(field->data);
                if (text.starts_with("Cert:")) {
                    response.peerCertificate = std::string(text.substr(5));
                }
            }
        }
    }
    return response;
}

}  // namespace signpost
