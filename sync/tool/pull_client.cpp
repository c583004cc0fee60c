#include "sync/tool/pull_client.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

constexpr int kAttempts = 3;
constexpr std::chrono::seconds kMaxRetryWait{10};

HttpClientOptions clientOptions(const CoordinatorConnection& connection) {
    HttpClientOptions options;
    options.caFile = connection.caFile;
    // A page holds up to 1000 sealed items of up to 64 KiB each, base64 on the wire.
    options.maxResponseBytes = 192u << 20;
    options.userAgent = std::string("signpost-pull/") + SIGNPOST_VERSION;
    return options;
}

bool retryable(long status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

std::string serverWords(const HttpResponse& response) {
    const auto error = protocol::parseApiError(response.body);
    return error ? error->message : std::string();
}

std::string hostOf(const std::string& url) {
    std::size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    std::size_t end = url.find_first_of("/?#", start);
    std::string authority =
        url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
        authority.erase(0, at + 1);
    }
    if (authority.starts_with("[")) {
        const std::size_t close = authority.find(']');
        return authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    }
    return authority.substr(0, authority.find(':'));
}

}  // namespace

std::string normaliseServerUrl(const std::string& url) {
    std::string result = url;
    while (result.ends_with("/")) {
        result.pop_back();
    }
    const bool http = result.starts_with("http://");
    const bool https = result.starts_with("https://");
    if ((!http && !https) || hostOf(result).empty()) {
        throw UsageError(
            "--server must be an http:// or https:// address, such as "
            "https://sync.example.org, not '" +
            url + "'");
    }
    return result;
}

bool isLoopbackUrl(const std::string& url) {
    const std::string host = hostOf(url);
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string readTokenFile(const std::filesystem::path& file, std::string& warning) {
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& error) {
        throw ToolError(std::string("cannot read the token file: ") + error.what());
    }
    const std::size_t lineEnd = text.find_first_of("\r\n");
    std::string token = text.substr(0, lineEnd);
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    token.erase(token.begin(), std::find_if(token.begin(), token.end(), notSpace));
    token.erase(std::find_if(token.rbegin(), token.rend(), notSpace).base(), token.end());
    if (token.empty()) {
        throw ToolError("the token file " + file.string() +
                        " is empty (its first line is the "
                        "coordinator token)");
    }
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
        warning =
            "warning: other users can read the token file " + file.string() + "; chmod 600 it";
    }
    return token;
}

CoordinatorClient::CoordinatorClient(CoordinatorConnection connection)
    : m_connection(std::move(connection)),
      m_http(clientOptions(m_connection)),
      m_loopback(isLoopbackUrl(m_connection.server)) {}

HttpResponse CoordinatorClient::call(const std::string& method, const std::string& path,
                                     const std::string& body, const char* what) {
    HttpRequest request;
    request.method = method;
    request.url = m_connection.server + path;
    // Offered every encoding curl knows, cpp-httplib 0.11 picks brotli at its slowest quality
    // (measured: 4.5 s to compress one 2 MB page of 1,000 submissions, against 0.07 s for gzip).
    // So: gzip only, and nothing on loopback where compressing costs more than it saves. Naming
    // the encoding here overrides curl's list, and curl still decodes the answer.
    request.headers = {{"Authorization", "Bearer " + m_connection.token},
                       {"Accept", "application/json"},
                       {"Accept-Encoding", m_loopback ? "identity" : "gzip"}};
    if (method == "POST") {
        request.headers.emplace_back("Content-Type", "application/json");
    }
    request.body = body;
    const std::string& server = m_connection.server;
    for (int attempt = 1;; ++attempt) {
        Result<HttpResponse> result = m_http.send(request);
        if (!result) {
            const Error& error = result.error();
            if (error.code == "tls" || error.code == "tls_pin") {
                throw ToolError("TLS failed with " + server + " while trying to " + what + ": " +
                                error.message + " (curl: " + error.code +
                                "); if the server uses "
                                "its own certificate authority, give it with --ca-file");
            }
            if (error.code == "too_large") {
                throw ToolError("the server's answer while trying to " + std::string(what) +
                                " was too large: " + error.message);
            }
            throw ToolError("cannot reach the server at " + server + " to " + what + ": " +
                            error.message + " (curl: " + error.code + ")");
        }
        HttpResponse response = std::move(result).value();
        if (response.status >= 200 && response.status < 300) {
            return response;
        }
        const std::string words = serverWords(response);
        const std::string detail = words.empty() ? std::string() : ": " + words;
        if (response.status == 401) {
            throw ToolError("the server refused the token in " + m_connection.tokenFile + " (401" +
                            detail +
                            "); it is wrong or has been revoked: ask the "
                            "server's administrator for a new coordinator token");
        }
        if (response.status == 403) {
            throw ToolError("the token in " + m_connection.tokenFile +
                            " is not a coordinator "
                            "token (403" +
                            detail +
                            "); it looks like a kiosk's device token: "
                            "use a token made by `signpost-server admin coordinator-token create`");
        }
        if (retryable(response.status) && attempt < kAttempts) {
            const auto wait =
                std::min(response.retryAfter().value_or(std::chrono::seconds(1)), kMaxRetryWait);
            std::this_thread::sleep_for(wait);
            continue;
        }
        if (response.status == 404) {
            throw ToolError(server + " is not a Signpost sync server (404 for " + path +
                            "); check --server");
        }
        throw ToolError("the server at " + server + " answered " + std::to_string(response.status) +
                        detail + " while trying to " + what +
                        (retryable(response.status) ? "; try again later" : ""));
    }
}

protocol::SubmissionPage CoordinatorClient::fetchPage(const std::string& generation,
                                                      std::int64_t after, std::size_t limit) {
    const HttpResponse response =
        call("GET",
             "/v1/submissions?after=" + protocol::formatPullCursor(generation, after) +
                 "&limit=" + std::to_string(limit),
             "", "fetch submissions");
    try {
        return protocol::parseSubmissionPage(response.body);
    } catch (const protocol::WireFormatError& error) {
        throw ToolError("the answer from " + m_connection.server +
                        " is not a page of submissions (" + error.what() +
                        "); is --server a Signpost sync server?");
    }
}

AckSummary CoordinatorClient::ack(const std::vector<std::string>& ids) {
    AckSummary summary;
    for (std::size_t start = 0; start < ids.size(); start += protocol::kMaxPullPage) {
        const std::size_t end = std::min(ids.size(), start + protocol::kMaxPullPage);
        protocol::AckRequest request;
        request.ids.reserve(end - start);
        for (std::size_t i = start; i < end; ++i) {
            request.ids.push_back(ids[i]);
        }
        const HttpResponse response = call("POST", "/v1/submissions/ack", protocol::toJson(request),
                                           "acknowledge submissions");
        const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            throw ToolError(
                "the answer from " + m_connection.server +
                " to an acknowledgement is not JSON; is --server a Signpost sync server?");
        }
        const auto count = [&](const char* name) -> std::size_t {
            const auto it = body.find(name);
            return it != body.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
        };
        summary.acked += count("acked");
        summary.alreadyAcked += count("already_acked");
        if (const auto unknown = body.find("unknown_ids");
            unknown != body.end() && unknown->is_array()) {
            for (const auto& id : *unknown) {
                if (id.is_string()) {
                    summary.unknownIds.push_back(id.get<std::string>());
                }
            }
        }
    }
    return summary;
}

protocol::DeviceList CoordinatorClient::devices() {
    const HttpResponse response = call("GET", "/v1/devices", "", "list devices");
    try {
        return protocol::parseDeviceList(response.body);
    } catch (const protocol::WireFormatError& error) {
        throw ToolError("the answer from " + m_connection.server + " is not a device list (" +
                        error.what() + "); is --server a Signpost sync server?");
    }
}

}  // namespace signpost::tool
