// Signpost server — a read-only Open Referral UK 3.0 API over the published directory, so other
// services (the council's, the NHS's) can read what Signpost's kiosks show.
//
//   GET /                           API information: HSDS version "3.0", the UK profile
//   GET /services                   ORUK page of service list items; page, per_page (default 50,
//                                   at most 1000), text (or search), taxonomy_term_id, taxonomy_id,
//                                   organization_id, modified_after (RFC 3339 or a date),
//                                   full=true (nested services), minimal=true (id, last_modified)
//   GET /services/{id}              one fully nested service
//   GET /taxonomies[/{id}]          the vocabularies of the directory's terms
//   GET /taxonomy_terms[/{id}]      terms; taxonomy_id, parent_id filters
//   GET /organizations[/{id}]       organizations (one: with its services as list items)
//   GET /service_at_locations[/{id}]  each service at each of its locations
//
// Transport-neutral: handle() takes the path, the decoded query and the headers that matter and
// returns status, headers and body, so any HTTP server can carry it (api_server.cpp registers
// it and api_directory.cpp adapts it; the tests call it directly too). Responses carry an ETag (a
// hash of the body) and answer a matching If-None-Match with 304; bodies over 1 KB are gzipped
// when the client accepts gzip.
// The directory is read from the store once per published version and kept in memory.
// Errors are 400 (a bad parameter, naming it), 404 (no such record or route), 405 (not GET).
//
// Thread-safety: handle() is safe from any number of threads.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/server/oruk_documents.h"
#include "sync/server/server_store.h"

namespace signpost::server {

struct OrukRequest {
    std::string method = "GET";
    std::string path;                                        // "/services/abc", no query
    std::vector<std::pair<std::string, std::string>> query;  // decoded name=value pairs
    std::string ifNoneMatch;                                 // the header's value, "" if none
    bool acceptsGzip = false;                                // Accept-Encoding names gzip
};

struct OrukResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;  // ETag, Content-Encoding, Vary...
    std::string body;
};

struct OrukApiOptions {
    std::size_t defaultPerPage = 50;
    std::size_t maxPerPage = 1000;
    std::string description = "Community support in Manchester, as shown on Signpost's kiosks";
};

class OrukApi {
public:
    // `store` must outlive the API.
    OrukApi(ServerStore& store, OrukApiOptions options = {});

    // The route template of an ORUK path ("/services/{id}"), or "" when `path` is not one.
    // For logs and metrics, which never show raw paths.
    static std::string routeTemplate(std::string_view path);
    // Throws StorageError when the store fails; everything else is an answer.
    OrukResponse handle(const OrukRequest& request);

private:
    std::shared_ptr<const DirectoryIndex> current();

    ServerStore& m_store;
    OrukApiOptions m_options;
    std::mutex m_mutex;
    std::string m_tag;  // the published version's tag the index was built from
    std::shared_ptr<const DirectoryIndex> m_index;
};

}  // namespace signpost::server
