// Signpost server — keeping the directory fresh from live ORUK feeds ([directory] sources).
//
// refreshNow() reads every source (feed_client.h), imports each with the needs mapping
// (hsds_import.h: bad records are skipped and reported, the rest used), merges them into one
// directory — a service id in two feeds is reported and the first source's record wins — and
// publishes it as the next directory version if anything changed; kiosks then get the change as
// a delta. A source that fails keeps its last good data (on disk, so a restart keeps it too) and
// shows as down in status() and /metrics until a run succeeds.
//
// State lives in `stateDir` (<data_dir>/feeds): per source its last good records and the HTTP
// validators (<slug>.cache.json), and status.json, which `signpost-server admin directory
// status` reads from another process.
//
// Thread-safety: refreshNow() runs one refresh at a time (a second caller waits); status() and
// renderMetrics() are safe from any thread. start() runs refreshNow() at once and then every
// `refresh` on a background thread; stop() ends it (a run in progress finishes its request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/common/time_util.h"
#include "core/directory/needs_mapping.h"
#include "sync/server/feed_client.h"
#include "sync/server/server_store.h"

namespace signpost::server {

struct DirectorySourcesConfig {
    std::vector<FeedSource> sources;
    std::chrono::seconds refresh{std::chrono::hours(6)};
    std::filesystem::path stateDir;            // created if missing
    std::optional<NeedsMapping> needsMapping;  // none: only the feeds' own signpost-needs
    int historyDepth = 30;
    FeedClientOptions client;
};

struct FeedStatus {
    std::string name;
    std::string url;
    bool up = false;                    // the last attempt succeeded
    std::string lastAttemptAt;          // UTC ISO 8601, "" = never tried
    std::string lastSuccessAt;          // "" = never succeeded
    std::string lastError;              // why the last attempt failed ("" when up)
    std::size_t services = 0;           // services in its data in use (the last good run)
    std::size_t servicesUsed = 0;       // of those, in the published directory (duplicates lost)
    std::size_t skipped = 0;            // records the importer skipped
    std::size_t fieldProblems = 0;      // fields not used or hours marked "check times"
    std::vector<std::string> problems;  // the first 50 problems, one line each
    std::size_t requests = 0, notModified = 0, bytes = 0;  // of the last attempt
};

struct RefreshSummary {
    std::vector<FeedStatus> feeds;
    std::vector<std::string> duplicates;  // "service X of Feed B is also in Feed A (used)"
    bool published = false;               // a new directory version was created
    DirectoryImportSummary publish;
    std::string error;  // "" or why nothing could be published
};

class DirectorySources {
public:
    // `store` must outlive this. Loads each source's last good data and the saved status.
    DirectorySources(ServerStore& store, DirectorySourcesConfig config);
    ~DirectorySources();  // stops

    RefreshSummary refreshNow(SystemTime now);
    std::vector<FeedStatus> status() const;
    // Prometheus text: signpost_feed_up, signpost_feed_last_success_timestamp_seconds,
    // signpost_feed_services, signpost_feed_skipped_records, signpost_feed_refreshes_total.
    std::string renderMetrics() const;

    void start();
    void stop();

    // status.json as written by a running server ("" names no file): for the admin CLI.
    static std::vector<FeedStatus> readStatus(const std::filesystem::path& stateDir);

private:
    struct Source;
    void saveStatus() const;

    ServerStore& m_store;
    DirectorySourcesConfig m_config;
    std::vector<std::unique_ptr<Source>> m_sources;
    std::mutex m_refreshMutex;
    mutable std::mutex m_statusMutex;
    std::vector<FeedStatus> m_status;
    std::vector<std::pair<std::size_t, std::size_t>> m_runs;  // per source: ok runs, failed runs
    std::thread m_thread;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

// A file-safe name for a source: "manchester-city-council-1a2b3c4d".
std::string feedSlug(const std::string& name);
// Reads / writes a source's cache file; a missing or unreadable file reads as empty.
FeedCache loadFeedCache(const std::filesystem::path& file);
void saveFeedCache(const std::filesystem::path& file, const FeedCache& cache);

}  // namespace signpost::server
