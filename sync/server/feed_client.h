// Signpost server — reading a live Open Referral UK 3.0 feed over HTTP(S).
//
// One run walks `/services?page=N&per_page=…` to the last page (the whole list every time: only
// a full walk shows which services were withdrawn), then takes each service's full record: the
// list item itself when the feed lists full detail, else `/services/{id}`. Requests are cheap to
// repeat: every page and record is asked for with the validators it came with (If-None-Match,
// If-Modified-Since; a 304 reuses the copy), and a record whose list item carries the same
// `last_modified` as last time is not asked for at all. (`modified_after` alone cannot show a
// withdrawn service, and a feed that ignores it would look unchanged; per-record last_modified
// gives the same saving without trusting it.)
//
// Network results are values: transport errors, timeouts, oversized answers and bad pages end
// the run with `ok = false` and a reason, and the caller keeps the feed's last good data. 429
// and 5xx answers and dropped connections are retried with capped exponential backoff and full
// jitter, honouring Retry-After. A record that fails on its own (not JSON, 404 after the list
// named it) keeps its previous copy if there is one and is reported in `warnings`.
//
// cpp-httplib's client (Debian's build has OpenSSL): certificates are verified against the
// system's CAs (or `caFile`); signpost-server does not link libcurl.
//
// Thread-safety: fetchOrukFeed is reentrant; one call per source at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace signpost::server {

struct FeedSource {
    std::string name;  // shown in status, metrics and problems ("Manchester City Council")
    std::string url;   // the API's base: "https://directory.example/api/v3" (no trailing /services)
};

struct FeedClientOptions {
    std::size_t perPage = 500;  // asked for; the feed may send fewer
    std::chrono::milliseconds connectTimeout{10000};
    std::chrono::milliseconds readTimeout{30000};  // one read of a response
    std::chrono::seconds deadline{900};            // the whole run
    std::size_t maxResponseBytes = 64u << 20;      // one page or record, decompressed
    std::size_t maxPages = 10000;
    std::size_t maxServices = 200000;
    int attempts = 5;  // per request, the first included
    std::chrono::milliseconds backoffBase{1000};
    std::chrono::milliseconds backoffCap{60000};  // also caps a Retry-After
    std::string caFile;                           // "" = the system's CAs
    // How to wait between attempts (tests may record the waits); default sleeps.
    std::function<void(std::chrono::milliseconds)> sleep;
};

// What a previous run fetched, kept so unchanged pages and records cost a 304 or nothing.
struct FeedCacheEntry {
    std::string etag;          // the response's ETag
    std::string httpModified;  // its Last-Modified header
    std::string lastModified;  // the record's own last_modified field
    std::string body;          // the page or the full service record
};

struct FeedCache {
    std::map<std::string, FeedCacheEntry>
        pages;  // by request target ("/services?page=1&per_page=500")
    std::map<std::string, FeedCacheEntry> services;  // by service id
    std::vector<std::string> order;                  // service ids as the list gave them
};

struct FeedFetch {
    bool ok = false;
    std::string error;  // why the run failed: "GET /services?page=3: not valid JSON"
    FeedCache cache;    // when ok: the feed now (its services in `order`)
    std::vector<std::string> warnings;  // records that failed on their own
    std::size_t pages = 0;
    std::size_t requests = 0;          // HTTP requests sent, retries included
    std::size_t notModified = 0;       // 304 answers
    std::size_t unchangedRecords = 0;  // records not asked for (same last_modified)
    std::size_t retries = 0;
    std::size_t bytes = 0;  // response bytes received (decompressed)
};

// Fetches the whole feed. Never throws for network or data problems (see above).
FeedFetch fetchOrukFeed(const FeedSource& source, const FeedCache& previous,
                        const FeedClientOptions& options);

// The records of a fetch (or a cache) as one JSON array, in list order: what importHsds reads.
std::string feedDocument(const FeedCache& cache);

}  // namespace signpost::server
