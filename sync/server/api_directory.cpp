// Signpost server — the directory routes: a kiosk's GET /v1/directory?since=V (the changes since
// its version, cached and sent gzipped when asked, 304 when current) and the read-only ORUK 3.0
// API (oruk_api.h) carried over this transport.
#include "sync/server/api_server.h"

#include "sync/protocol/wire.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

namespace {

bool acceptsGzip(const Request& req) {
    // "gzip" listed and not refused with q=0. Good enough for libcurl and browsers.
    const std::string accept = req.get_header_value("Accept-Encoding");
    const auto at = accept.find("gzip");
    if (at == std::string::npos) {
        return false;
    }
    const auto end = accept.find(',', at);
    const std::string item =
        accept.substr(at, end == std::string::npos ? std::string::npos : end - at);
    return item.find("q=0") == std::string::npos || item.find("q=0.") != std::string::npos;
}

}  // namespace

// The ORUK 3.0 API (oruk_api.h) carried over this transport.
void ApiServer::Impl::serveOruk(const Request& req, Response& res) {
    if (!config.orukPublic && !authorize(req, res, Access::Coordinator)) {
        return;
    }
    OrukRequest request{
        req.method, req.path, {}, req.get_header_value("If-None-Match"), acceptsGzip(req)};
    for (const auto& [name, value] : req.params) {
        request.query.emplace_back(name, value);
    }
    OrukResponse answer = oruk.handle(request);
    for (const auto& [name, value] : answer.headers) {
        res.set_header(name, value);
    }
    res.status = answer.status;
    if (answer.status != 304) {
        // As /v1/directory: the body is sent as is (already gzipped when asked), without a copy.
        res.set_shared_content(std::make_shared<const std::string>(std::move(answer.body)),
                               answer.contentType);
    }
}

void ApiServer::Impl::getDirectory(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Device)) {
        return;
    }
    std::int64_t since = 0;
    if (req.has_param("since")) {
        const auto value = parseInteger(req.get_param_value("since"));
        if (!value || *value < 0) {
            throw protocol::WireFormatError("since", "expected a whole number, 0 or more");
        }
        since = *value;
    }
    res.set_header("Vary", "Accept-Encoding");
    res.set_header("Cache-Control", "no-cache");
    const std::string current = DirectoryFeed::etagFor(store.currentDirectoryVersion());
    if (req.has_header("If-None-Match") &&
        DirectoryFeed::etagMatches(req.get_header_value("If-None-Match"), current)) {
        res.status = 304;
        res.set_header("ETag", current);
        return;
    }
    auto response = directory.responseFor(since);
    res.status = 200;
    res.set_header("ETag", response->etag);
    const bool gzip = acceptsGzip(req);
    if (gzip) {
        res.set_header("Content-Encoding", "gzip");
    }
    // The cached body is sent without a copy; the aliasing pointer keeps the cache entry alive.
    res.set_shared_content(
        std::shared_ptr<const std::string>(response, gzip ? &response->gzipBody : &response->body),
        kJson);
}

}  // namespace signpost::server
