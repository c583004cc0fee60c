#include "sync/server/feed_client.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <thread>

namespace signpost::server {

using nlohmann::json;

namespace {

// "https://host:8443/api/v3/" -> ("https://host:8443", "/api/v3")
struct SplitUrl {
    std::string schemeHostPort;
    std::string basePath;
};

std::optional<SplitUrl> splitUrl(const std::string& url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string::npos ||
        (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0)) {
        return std::nullopt;
    }
    const std::size_t path = url.find('/', scheme + 3);
    SplitUrl out{url.substr(0, path), path == std::string::npos ? "" : url.substr(path)};
    while (!out.basePath.empty() && out.basePath.back() == '/') {
        out.basePath.pop_back();
    }
    if (out.schemeHostPort.size() <= scheme + 3) {
        return std::nullopt;
    }
    return out;
}

struct Answer {
    bool transportOk = false;
    std::string transportError;  // "Read", "ConnectionTimeout", "response over 67108864 bytes"
    int status = 0;
    std::string body;
    std::string etag;
    std::string httpModified;
    std::string retryAfter;
};

class Fetcher {
public:
    Fetcher(const FeedSource& source, const FeedClientOptions& options, FeedFetch& stats)
        : m_options(options),
          m_stats(stats),
          m_started(std::chrono::steady_clock::now()),
          m_random(std::random_device{}()) {
        const auto url = splitUrl(source.url);
        if (!url) {
            m_invalid =
                "url: expected http:// or https:// followed by a host, got \"" + source.url + "\"";
            return;
        }
        m_base = url->basePath;
        m_client = std::make_unique<httplib::Client>(url->schemeHostPort);
        m_client->set_connection_timeout(
            std::chrono::duration_cast<std::chrono::microseconds>(options.connectTimeout));
        m_client->set_read_timeout(
            std::chrono::duration_cast<std::chrono::microseconds>(options.readTimeout));
        m_client->set_write_timeout(std::chrono::seconds(30));
        m_client->set_keep_alive(true);
        m_client->set_tcp_nodelay(true);  // small requests on one connection: no Nagle delay
        m_client->set_follow_location(false);
        m_client->set_decompress(true);
        if (!options.caFile.empty()) {
            m_client->set_ca_cert_path(options.caFile);
        }
        m_client->enable_server_certificate_verification(true);
    }

    const std::string& invalid() const { return m_invalid; }
    const std::string& base() const { return m_base; }
    bool pastDeadline() const {
        return std::chrono::steady_clock::now() - m_started > m_options.deadline;
    }

    // One GET with retries. `cached` supplies the validators for a conditional request.
    Answer get(const std::string& target, const FeedCacheEntry* cached) {
        Answer answer;
        for (int attempt = 1;; ++attempt) {
            answer = once(target, cached);
            const bool retryable =
                !answer.transportOk || answer.status == 429 || answer.status >= 500;
            if (!retryable || attempt >= m_options.attempts || pastDeadline()) {
                return answer;
            }
            ++m_stats.retries;
            wait(attempt, answer.retryAfter);
        }
    }

private:
    Answer once(const std::string& target, const FeedCacheEntry* cached) {
        Answer answer;
        httplib::Headers headers = {{"Accept", "application/json"}, {"Accept-Encoding", "gzip"}};
        if (cached != nullptr && !cached->etag.empty()) {
            headers.emplace("If-None-Match", cached->etag);
        }
        if (cached != nullptr && !cached->httpModified.empty()) {
            headers.emplace("If-Modified-Since", cached->httpModified);
        }
        bool tooBig = false;
        ++m_stats.requests;
        auto result = m_client->Get(
            m_base + target, headers,
            [&](const httplib::Response& response) {
                answer.status = response.status;
                answer.etag = response.get_header_value("ETag");
                answer.httpModified = response.get_header_value("Last-Modified");
                answer.retryAfter = response.get_header_value("Retry-After");
                return true;
            },
            [&](const char* data, std::size_t length) {
                if (answer.body.size() + length > m_options.maxResponseBytes) {
                    tooBig = true;
                    return false;  // an oversized answer stops here, not in memory
                }
                answer.body.append(data, length);
                return true;
            });
        m_stats.bytes += answer.body.size();
        if (tooBig) {
            answer.transportError =
                "the answer is over " + std::to_string(m_options.maxResponseBytes) + " bytes";
            answer.status = 0;
            answer.transportOk = true;  // not worth retrying: it will be as big again
            return answer;
        }
        if (!result) {
            answer.transportError = httplib::to_string(result.error());
            return answer;
        }
        answer.transportOk = true;
        answer.status = result->status;
        return answer;
    }

    void wait(int attempt, const std::string& retryAfter) {
        std::chrono::milliseconds delay{0};
        if (!retryAfter.empty() &&
            retryAfter.find_first_not_of("0123456789") == std::string::npos &&
            retryAfter.size() < 7) {
            delay = std::chrono::seconds(std::stoi(retryAfter));  // the server said how long
        } else {
            // Capped exponential backoff with full jitter: many servers retrying never line up.
            const auto ceiling =
                std::min<std::int64_t>(m_options.backoffCap.count(),
                                       m_options.backoffBase.count() << std::min(attempt - 1, 20));
            delay = std::chrono::milliseconds(
                std::uniform_int_distribution<std::int64_t>(0, ceiling)(m_random));
        }
        delay = std::min(delay, m_options.backoffCap);
        if (m_options.sleep) {
            m_options.sleep(delay);
        } else {
            std::this_thread::sleep_for(delay);
        }
    }

    const FeedClientOptions& m_options;
    FeedFetch& m_stats;
    std::chrono::steady_clock::time_point m_started;
    std::mt19937_64 m_random;
    std::unique_ptr<httplib::Client> m_client;
    std::string m_base;
    std::string m_invalid;
};

std::string describe(const std::string& target, const Answer& answer) {
    if (!answer.transportError.empty()) {
        return "GET " + target + ": " + answer.transportError;
    }
    return "GET " + target + ": HTTP " + std::to_string(answer.status);
}

// A list item that already carries the nested arrays is the full record.
bool isFullRecord(const json& item) {
    for (const char* key : {"service_at_locations", "schedules", "phones", "contacts", "attributes",
                            "cost_options", "languages", "service_areas"}) {
        if (item.contains(key) && item[key].is_array()) {
            return true;
        }
    }
    return false;
}

// RFC 3986 percent-encoding for an id used as one path segment.
std::string encodePathSegment(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string textField(const json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>()
                                                           : std::string();
}

}  // namespace

FeedFetch fetchOrukFeed(const FeedSource& source, const FeedCache& previous,
                        const FeedClientOptions& options) {
    FeedFetch fetch;
    Fetcher fetcher(source, options, fetch);
    if (!fetcher.invalid().empty()) {
        fetch.error = fetcher.invalid();
        return fetch;
    }
    // 1. The list, page by page.
    struct Item {
        std::string id;
        std::string lastModified;
        std::string full;  // the record itself when the list gives full detail
    };
    std::vector<Item> items;
    std::map<std::string, bool> seen;
    for (std::size_t page = 1;; ++page) {
        if (page > options.maxPages) {
            fetch.error = "more than " + std::to_string(options.maxPages) + " pages";
            return fetch;
        }
        if (fetcher.pastDeadline()) {
            fetch.error =
                "the run took longer than " + std::to_string(options.deadline.count()) + " s";
            return fetch;
        }
        const std::string target = "/services?page=" + std::to_string(page) +
                                   "&per_page=" + std::to_string(options.perPage);
        auto cached = previous.pages.find(target);
        const Answer answer =
            fetcher.get(target, cached == previous.pages.end() ? nullptr : &cached->second);
        FeedCacheEntry entry;
        if (answer.status == 304 && cached != previous.pages.end()) {
            ++fetch.notModified;
            entry = cached->second;
        } else if (answer.status == 200) {
            entry = {answer.etag, answer.httpModified, "", answer.body};
        } else {
            fetch.error = describe(fetcher.base() + target, answer);
            return fetch;
        }
        ++fetch.pages;
        const json document = json::parse(entry.body, nullptr, false);
        if (document.is_discarded() || !document.is_object() || !document.contains("contents") ||
            !document["contents"].is_array()) {
            fetch.error = "GET " + fetcher.base() + target + ": not an ORUK page (" +
                          (document.is_discarded() ? "not valid JSON" : "no contents array") + ")";
            return fetch;
        }
        for (const json& item : document["contents"]) {
            const std::string id = item.is_object() ? textField(item, "id") : std::string();
            if (id.empty()) {
                fetch.warnings.push_back("page " + std::to_string(page) +
                                         ": an item without an id was left out");
                continue;
            }
            if (seen.emplace(id, true).second) {
                items.push_back({id, textField(item, "last_modified"),
                                 isFullRecord(item) ? item.dump() : std::string()});
            }
        }
        fetch.cache.pages[target] = std::move(entry);
        if (items.size() > options.maxServices) {
            fetch.error = "more than " + std::to_string(options.maxServices) + " services";
            return fetch;
        }
        const bool last =
            document.value("last_page", false) || document["contents"].empty() ||
            (document.contains("total_pages") && document["total_pages"].is_number_integer() &&
             page >= document["total_pages"].get<std::size_t>());
        if (last) {
            break;
        }
    }
    // 2. Each service's full record.
    for (const Item& item : items) {
        if (fetcher.pastDeadline()) {
            fetch.error =
                "the run took longer than " + std::to_string(options.deadline.count()) + " s";
            return fetch;
        }
        auto cached = previous.services.find(item.id);
        const FeedCacheEntry* before =
            cached == previous.services.end() ? nullptr : &cached->second;
        FeedCacheEntry entry;
        if (!item.full.empty()) {
            entry = {"", "", item.lastModified, item.full};
        } else if (before != nullptr && !item.lastModified.empty() &&
                   before->lastModified == item.lastModified) {
            ++fetch.unchangedRecords;
            entry = *before;
        } else {
            const std::string target = "/services/" + encodePathSegment(item.id);
            const Answer answer = fetcher.get(target, before);
            if (answer.status == 304 && before != nullptr) {
                ++fetch.notModified;
                entry = *before;
                entry.lastModified = item.lastModified;
            } else if (answer.status == 200 && json::accept(answer.body)) {
                entry = {answer.etag, answer.httpModified, item.lastModified, answer.body};
            } else if (!answer.transportOk &&
                       answer.transportError.find("over") == std::string::npos) {
                // The feed stopped answering mid-run: the run fails, the last good data stays.
                fetch.error = describe(fetcher.base() + target, answer);
                return fetch;
            } else {
                const std::string why = answer.status == 200
                                            ? "not valid JSON"
                                            : describe(fetcher.base() + target, answer);
                if (before != nullptr) {
                    fetch.warnings.push_back("service " + item.id + ": " + why +
                                             "; its previous copy is kept");
                    entry = *before;
                } else {
                    fetch.warnings.push_back("service " + item.id + ": " + why + "; left out");
                    continue;
                }
            }
        }
        fetch.cache.services[item.id] = std::move(entry);
        fetch.cache.order.push_back(item.id);
    }
    fetch.ok = true;
    return fetch;
}

std::string feedDocument(const FeedCache& cache) {
    std::string out = "[";
    for (const std::string& id : cache.order) {
        auto it = cache.services.find(id);
        if (it == cache.services.end()) {
            continue;
        }
        if (out.size() > 1) {
            out += ',';
        }
        out += it->second.body;
    }
    return out + "]";
}

}  // namespace signpost::server
