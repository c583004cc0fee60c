// Signpost server — GET /v1/directory responses: built from the store once, then served from
// memory (plain and gzip) until a new directory version is published.
//
// A response is keyed by the current version's ETag and the kiosk's `since`, so publishing a new
// version (even from another process, the admin CLI) is seen on the next request. The ETag names
// the version a kiosk ends up at, "<version>-<snapshot hash>"; a kiosk that already has it sends
// it back in If-None-Match and gets 304. The hash part keeps a kiosk from a previous database
// (versions start again at 1) from ever matching by accident.
//
// Thread-safety: every method is safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "sync/server/server_store.h"

namespace signpost::server {

struct DirectoryResponse {
    std::int64_t version = 0;
    std::int64_t since = 0;
    bool full = false;
    std::size_t changedServices = 0;
    std::size_t deletedServices = 0;
    std::string etag;      // quoted, as sent in the ETag header
    std::string body;      // protocol::DirectoryUpdate as JSON
    std::string gzipBody;  // the same, gzip-compressed
};

class DirectoryFeed {
public:
    // cacheBytes bounds the memory held by cached responses (least recently used go first).
    DirectoryFeed(ServerStore& store, int historyDepth, std::size_t cacheBytes = 256u << 20);

    // The ETag a kiosk holding `version` would have.
    static std::string etagFor(const DirectoryVersionInfo& version);
    static std::string etagFor(std::int64_t version, const std::string& tag);
    // True if an If-None-Match header value ("a", W/"b", *) names `etag`.
    static bool etagMatches(std::string_view ifNoneMatch, std::string_view etag);

    // The response for a kiosk at `since`. Throws StorageError.
    std::shared_ptr<const DirectoryResponse> responseFor(std::int64_t since);

    std::size_t cachedResponses() const;

private:
    using Key = std::pair<std::string, std::int64_t>;  // current ETag, since
    struct Entry {
        Key key;
        std::shared_ptr<const DirectoryResponse> response;
    };
    std::shared_ptr<const DirectoryResponse> build(std::int64_t since);

    ServerStore& m_store;
    int m_historyDepth;
    std::size_t m_cacheBytes;
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru;  // most recent first
    std::map<Key, std::list<Entry>::iterator> m_index;
    std::size_t m_bytes = 0;
};

}  // namespace signpost::server
