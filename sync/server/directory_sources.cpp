#include "sync/server/directory_sources.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/directory/hsds_import.h"
#include "sync/server/directory_publisher.h"

namespace signpost::server {

using nlohmann::json;

namespace {

constexpr std::size_t kProblemLines = 50;

json entryJson(const FeedCacheEntry& e) {
    return {{"etag", e.etag},
            {"http_modified", e.httpModified},
            {"last_modified", e.lastModified},
            {"body", e.body}};
}

FeedCacheEntry entryFrom(const json& j) {
    return {j.value("etag", ""), j.value("http_modified", ""), j.value("last_modified", ""),
            j.value("body", "")};
}

json statusJson(const FeedStatus& s) {
    return {{"name", s.name},
            {"url", s.url},
            {"up", s.up},
            {"last_attempt_at", s.lastAttemptAt},
            {"last_success_at", s.lastSuccessAt},
            {"last_error", s.lastError},
            {"services", s.services},
            {"services_used", s.servicesUsed},
            {"skipped", s.skipped},
            {"field_problems", s.fieldProblems},
            {"problems", s.problems},
            {"requests", s.requests},
            {"not_modified", s.notModified},
            {"bytes", s.bytes}};
}

FeedStatus statusFrom(const json& j) {
    FeedStatus s;
    s.name = j.value("name", "");
    s.url = j.value("url", "");
    s.up = j.value("up", false);
    s.lastAttemptAt = j.value("last_attempt_at", "");
    s.lastSuccessAt = j.value("last_success_at", "");
    s.lastError = j.value("last_error", "");
    s.services = j.value("services", std::size_t{0});
    s.servicesUsed = j.value("services_used", std::size_t{0});
    s.skipped = j.value("skipped", std::size_t{0});
    s.fieldProblems = j.value("field_problems", std::size_t{0});
    s.problems = j.value("problems", std::vector<std::string>{});
    s.requests = j.value("requests", std::size_t{0});
    s.notModified = j.value("not_modified", std::size_t{0});
    s.bytes = j.value("bytes", std::size_t{0});
    return s;
}

std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
        }
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

}  // namespace

std::string feedSlug(const std::string& name) {
    std::string slug;
    for (char c : name) {
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
            slug += lower;
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    slug = slug.substr(0, 40);
    // Two names that slug alike ("A&B", "A-B") still get files of their own.
    unsigned char hash[4];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(name.data()),
                       name.size(), nullptr, 0);
    char hex[9];
    std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", hash[0], hash[1], hash[2], hash[3]);
    return (slug.empty() ? "feed" : slug) + "-" + hex;
}

FeedCache loadFeedCache(const std::filesystem::path& file) {
    FeedCache cache;
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError&) {
        return cache;
    }
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        logWarning("feeds", "unreadable feed cache " + file.string() + "; starting without it");
        return cache;
    }
    const json pages = j.contains("pages") && j["pages"].is_object() ? j["pages"] : json::object();
    for (auto it = pages.begin(); it != pages.end(); ++it) {
        cache.pages[it.key()] = entryFrom(it.value());
    }
    const json services =
        j.contains("services") && j["services"].is_object() ? j["services"] : json::object();
    for (auto it = services.begin(); it != services.end(); ++it) {
        cache.services[it.key()] = entryFrom(it.value());
    }
    cache.order = j.value("order", std::vector<std::string>{});
    return cache;
}

void saveFeedCache(const std::filesystem::path& file, const FeedCache& cache) {
    json j = {{"pages", json::object()}, {"services", json::object()}, {"order", cache.order}};
    for (const auto& [target, entry] : cache.pages) {
        j["pages"][target] = entryJson(entry);
    }
    for (const auto& [id, entry] : cache.services) {
        j["services"][id] = entryJson(entry);
    }
    writeFileAtomically(file, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

struct DirectorySources::Source {
    FeedSource feed;
    std::filesystem::path cacheFile;
    FeedCache lastGood;  // empty order = never fetched
};

DirectorySources::DirectorySources(ServerStore& store, DirectorySourcesConfig config)
    : m_store(store), m_config(std::move(config)) {
    std::filesystem::create_directories(m_config.stateDir);
    const std::vector<FeedStatus> saved = readStatus(m_config.stateDir);
    for (const FeedSource& feed : m_config.sources) {
        auto source = std::make_unique<Source>();
        source->feed = feed;
        source->cacheFile = m_config.stateDir / (feedSlug(feed.name) + ".cache.json");
        source->lastGood = loadFeedCache(source->cacheFile);
        FeedStatus status;
        for (const FeedStatus& old : saved) {
            if (old.name == feed.name) {
                status = old;
            }
        }
        status.name = feed.name;
        status.url = feed.url;
        status.services = source->lastGood.order.size();
        m_status.push_back(status);
        m_runs.emplace_back(0, 0);
        m_sources.push_back(std::move(source));
    }
}

DirectorySources::~DirectorySources() {
    stop();
}

RefreshSummary DirectorySources::refreshNow(SystemTime now) {
    std::lock_guard refreshing(m_refreshMutex);
    RefreshSummary summary;
    DirectoryData merged;
    merged.version = "feeds " + formatIsoUtc(now);
    std::map<std::string, std::string> serviceOwner;  // service id -> source name
    std::set<std::string> terms, organisations, locations;
    std::vector<FeedStatus> statuses;
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        Source& source = *m_sources[i];
        FeedStatus status;
        {
            std::lock_guard lock(m_statusMutex);
            status = m_status[i];
        }
        status.lastAttemptAt = formatIsoUtc(now);
        const FeedFetch fetch = fetchOrukFeed(source.feed, source.lastGood, m_config.client);
        status.requests = fetch.requests;
        status.notModified = fetch.notModified;
        status.bytes = fetch.bytes;
        if (fetch.ok) {
            source.lastGood = fetch.cache;
            try {
                saveFeedCache(source.cacheFile, source.lastGood);
            } catch (const FileError& error) {
                logWarning("feeds", std::string("cannot save the feed's data: ") + error.what());
            }
            status.up = true;
            status.lastSuccessAt = formatIsoUtc(now);
            status.lastError.clear();
            ++m_runs[i].first;
        } else {
            status.up = false;
            status.lastError = fetch.error;
            ++m_runs[i].second;
            logWarning("feeds",
                       source.feed.name + ": " + fetch.error +
                           (source.lastGood.order.empty() ? "" : "; its last good data is kept"));
        }
        status.problems.clear();
        for (const std::string& warning : fetch.warnings) {
            if (status.problems.size() < kProblemLines) {
                status.problems.push_back(warning);
            }
        }
        status.services = source.lastGood.order.size();
        status.servicesUsed = 0;
        status.skipped = 0;
        status.fieldProblems = 0;
        if (!source.lastGood.order.empty()) {
            ImportOptions options;
            options.versionLabel = merged.version;
            options.needsMapping = m_config.needsMapping ? &*m_config.needsMapping : nullptr;
            try {
                ImportResult result = importHsds(feedDocument(source.lastGood), options);
                for (const ImportProblem& problem : result.problems) {
                    (problem.effect == ImportEffect::RecordSkipped ? status.skipped
                                                                   : status.fieldProblems) += 1;
                    if (status.problems.size() < kProblemLines) {
                        status.problems.push_back(problem.toString());
                    }
                }
                for (TaxonomyTerm& term : result.data.taxonomyTerms) {
                    if (terms.insert(term.id).second) {
                        merged.taxonomyTerms.push_back(std::move(term));
                    }
                }
                for (Organisation& org : result.data.organisations) {
                    if (organisations.insert(org.id).second) {
                        merged.organisations.push_back(std::move(org));
                    }
                }
                for (Location& location : result.data.locations) {
                    if (locations.insert(location.id).second) {
                        merged.locations.push_back(std::move(location));
                    }
                }
                for (Service& service : result.data.services) {
                    auto [owner, first] = serviceOwner.emplace(service.id, source.feed.name);
                    if (!first) {
                        summary.duplicates.push_back("service " + service.id + " of " +
                                                     source.feed.name + " is also in " +
                                                     owner->second + " (that one is used)");
                        continue;
                    }
                    ++status.servicesUsed;
                    merged.services.push_back(std::move(service));
                }
            } catch (const ImportError& error) {
                // The feed's data is not HSDS at all: nothing of it can be used.
                status.up = false;
                status.lastError = std::string("not an ORUK feed: ") + error.what();
            }
        }
        statuses.push_back(status);
    }
    summary.feeds = statuses;
    {
        std::lock_guard lock(m_statusMutex);
        m_status = statuses;
    }
    for (const std::string& duplicate : summary.duplicates) {
        logWarning("feeds", duplicate);
    }
    if (merged.services.empty()) {
        summary.error = "no feed has any services yet; the directory is unchanged";
    } else {
        summary.publish =
            m_store.publishDirectory(preparePublication(merged), m_config.historyDepth, now);
        summary.published = summary.publish.created;
    }
    saveStatus();
    return summary;
}

std::vector<FeedStatus> DirectorySources::status() const {
    std::lock_guard lock(m_statusMutex);
    return m_status;
}

std::string DirectorySources::renderMetrics() const {
    std::lock_guard lock(m_statusMutex);
    std::string out;
    auto family = [&](const char* name, const char* type, const char* help, auto&& value) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
        for (std::size_t i = 0; i < m_status.size(); ++i) {
            out += value(i);
        }
    };
    auto gauge = [&](const char* name, std::size_t i, double value) {
        char number[32];
        std::snprintf(number, sizeof number, "%.15g", value);
        return std::string(name) + "{feed=\"" + label(m_status[i].name) + "\"} " + number + "\n";
    };
    family(
        "signpost_feed_up", "gauge",
        "1 when the feed's last refresh succeeded; 0 when it failed (its last good data is used).",
        [&](std::size_t i) { return gauge("signpost_feed_up", i, m_status[i].up ? 1 : 0); });
    family("signpost_feed_last_success_timestamp_seconds", "gauge",
           "When the feed last refreshed successfully (0 = never).", [&](std::size_t i) {
               const auto at = parseIsoUtc(m_status[i].lastSuccessAt);
               return gauge("signpost_feed_last_success_timestamp_seconds", i,
                            at ? static_cast<double>(unixSeconds(*at)) : 0.0);
           });
    family("signpost_feed_services", "gauge", "Services in the feed's data in use.",
           [&](std::size_t i) {
               return gauge("signpost_feed_services", i, static_cast<double>(m_status[i].services));
           });
    family("signpost_feed_skipped_records", "gauge", "Records of the feed the last import skipped.",
           [&](std::size_t i) {
               return gauge("signpost_feed_skipped_records", i,
                            static_cast<double>(m_status[i].skipped));
           });
    out +=
        "# HELP signpost_feed_refreshes_total Feed refresh attempts since the server started.\n"
        "# TYPE signpost_feed_refreshes_total counter\n";
    for (std::size_t i = 0; i < m_status.size(); ++i) {
        const std::string feed = label(m_status[i].name);
        out += "signpost_feed_refreshes_total{feed=\"" + feed + "\",result=\"ok\"} " +
               std::to_string(m_runs[i].first) + "\n";
        out += "signpost_feed_refreshes_total{feed=\"" + feed + "\",result=\"failed\"} " +
               std::to_string(m_runs[i].second) + "\n";
    }
    return out;
}

void DirectorySources::saveStatus() const {
    json list = json::array();
    for (const FeedStatus& s : status()) {
        list.push_back(statusJson(s));
    }
    try {
        writeFileAtomically(m_config.stateDir / "status.json", list.dump(1));
    } catch (const FileError& error) {
        logWarning("feeds", std::string("cannot save the feeds' status: ") + error.what());
    }
}

std::vector<FeedStatus> DirectorySources::readStatus(const std::filesystem::path& stateDir) {
    std::vector<FeedStatus> out;
    std::string text;
    try {
        text = readFile(stateDir / "status.json");
    } catch (const FileError&) {
        return out;
    }
    const json list = json::parse(text, nullptr, false);
    if (list.is_array()) {
        for (const json& item : list) {
            if (item.is_object()) {
                out.push_back(statusFrom(item));
            }
        }
    }
    return out;
}

void DirectorySources::start() {
    if (m_thread.joinable() || m_sources.empty()) {
        return;
    }
    m_stopping = false;
    m_thread = std::thread([this] {
        std::unique_lock lock(m_wakeMutex);
        while (!m_stopping) {
            lock.unlock();
            try {
                const RefreshSummary summary = refreshNow(std::chrono::system_clock::now());
                if (summary.published) {
                    logInfo("feeds",
                            "directory version " + std::to_string(summary.publish.version) +
                                " published from " + std::to_string(m_sources.size()) + " feed(s)");
                }
            } catch (const std::exception& error) {
                logError("feeds", std::string("refresh failed: ") + error.what());
            }
            lock.lock();
            m_wake.wait_for(lock, m_config.refresh, [this] { return m_stopping; });
        }
    });
}

void DirectorySources::stop() {
    {
        std::lock_guard lock(m_wakeMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

}  // namespace signpost::server
