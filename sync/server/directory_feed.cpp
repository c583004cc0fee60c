#include "sync/server/directory_feed.h"

#include "core/common/text_util.h"
#include "sync/protocol/wire.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/gzip.h"

namespace signpost::server {

namespace {
std::size_t sizeOf(const DirectoryResponse& response) {
    return response.body.size() + response.gzipBody.size() + 256;
}

}  // namespace

DirectoryFeed::DirectoryFeed(ServerStore& store, int historyDepth, std::size_t cacheBytes)
    : m_store(store), m_historyDepth(historyDepth), m_cacheBytes(cacheBytes) {}

std::string DirectoryFeed::etagFor(std::int64_t version, const std::string& tag) {
    // Appended piece by piece: GCC 12's -Wrestrict misfires on "literal" + std::string&&.
    std::string etag = "\"";
    etag += std::to_string(version);
    if (!tag.empty()) {
        etag += '-';
        etag += tag;
    }
    etag += '"';
    return etag;
}

std::string DirectoryFeed::etagFor(const DirectoryVersionInfo& version) {
    return etagFor(version.version, version.tag);
}

bool DirectoryFeed::etagMatches(std::string_view ifNoneMatch, std::string_view etag) {
    // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
    while (!ifNoneMatch.empty()) {
        const auto comma = ifNoneMatch.find(',');
        std::string_view candidate = trim(ifNoneMatch.substr(0, comma));
        ifNoneMatch =
            comma == std::string_view::npos ? std::string_view() : ifNoneMatch.substr(comma + 1);
        if (candidate == "*") {
            return true;
        }
        if (candidate.substr(0, 2) == "W/") {
            candidate.remove_prefix(2);
        }
        if (candidate == etag) {
            return true;
        }
    }
    return false;
}

std::shared_ptr<const DirectoryResponse> DirectoryFeed::responseFor(std::int64_t since) {
    const Key key{etagFor(m_store.currentDirectoryVersion()), since};
    std::promise<std::shared_ptr<const DirectoryResponse>> promise;
    {
        std::unique_lock lock(m_mutex);
        if (auto it = m_index.find(key); it != m_index.end()) {
            m_lru.splice(m_lru.begin(), m_lru, it->second);
            return it->second->response;
        }
        if (auto building = m_building.find(key); building != m_building.end()) {
            auto pending = building->second;
            lock.unlock();
            return pending.get();  // rethrows the builder's exception
        }
        m_building.emplace(key, promise.get_future().share());
    }
    // Built outside the lock: a 10k-service snapshot takes a while, and other kiosks' cached
    // answers must not wait for it.
    std::shared_ptr<const DirectoryResponse> response;
    try {
        response = build(since);
    } catch (...) {
        std::lock_guard lock(m_mutex);
        promise.set_exception(std::current_exception());
        m_building.erase(key);
        throw;
    }
    // A version published meanwhile makes the built key differ from the asked one; it is cached
    // under what it really is.
    const Key builtKey{response->etag, since};
    std::lock_guard lock(m_mutex);
    if (m_index.count(builtKey) == 0 && sizeOf(*response) <= m_cacheBytes) {
        m_lru.push_front({builtKey, response});
        m_index.emplace(builtKey, m_lru.begin());
        m_bytes += sizeOf(*response);
        while (m_bytes > m_cacheBytes && !m_lru.empty()) {
            m_bytes -= sizeOf(*m_lru.back().response);
            m_index.erase(m_lru.back().key);
            m_lru.pop_back();
        }
    }
    promise.set_value(response);
    m_building.erase(key);
    return response;
}

std::shared_ptr<const DirectoryResponse> DirectoryFeed::build(std::int64_t since) {
    DirectoryChanges changes = m_store.directoryChangesSince(since, m_historyDepth);
    auto response = std::make_shared<DirectoryResponse>();
    response->version = changes.current;
    response->since = since;
    response->full = changes.full;
    response->etag = etagFor(changes.current, changes.tag);

    protocol::DirectoryUpdate update;
    update.version = changes.current;
    update.since = since;
    update.full = changes.full;
    if (changes.full) {
        update.directoryJson = std::move(changes.snapshot);
    } else if (!changes.changedDocuments.empty() || !changes.termsDocument.empty()) {
        std::vector<std::string> documents = std::move(changes.changedDocuments);
        response->changedServices = documents.size();
        if (!changes.termsDocument.empty()) {
            documents.push_back(std::move(changes.termsDocument));
        }
        update.directoryJson = mergeDirectoryDocuments(documents, changes.label);
    }
    update.deletedServiceIds = std::move(changes.deletedServiceIds);
    response->deletedServices = update.deletedServiceIds.size();
    response->body = protocol::toJson(update);
    response->gzipBody = gzipCompress(response->body);
    return response;
}

std::size_t DirectoryFeed::cachedResponses() const {
    std::lock_guard lock(m_mutex);
    return m_lru.size();
}

}  // namespace signpost::server
