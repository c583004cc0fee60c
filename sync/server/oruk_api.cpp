#include "sync/server/oruk_api.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/common/ids.h"
#include "core/common/time_util.h"
#include "core/directory/hsds_import.h"
#include "core/directory/stable_id.h"
#include "sync/server/directory_feed.h"
#include "sync/server/gzip.h"

namespace signpost::server {

using nlohmann::json;

namespace {

constexpr std::size_t kGzipAbove = 1024;
constexpr const char* kCollections[] = {"services", "taxonomies", "taxonomy_terms", "organizations",
                                        "service_at_locations"};

struct Route {
    std::string collection;  // "" for "/"
    std::string id;          // "" for the list
};

std::optional<Route> parseRoute(std::string_view path) {
    if (path == "/" || path.empty()) {
        return Route{};
    }
    if (path.front() != '/') {
        return std::nullopt;
    }
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    const std::size_t slash = path.find('/');
    const std::string_view collection = path.substr(0, slash);
    if (std::find(std::begin(kCollections), std::end(kCollections), collection) ==
        std::end(kCollections)) {
        return std::nullopt;
    }
    Route route{std::string(collection), ""};
    if (slash != std::string_view::npos) {
        route.id = std::string(path.substr(slash + 1));
        if (route.id.empty() || route.id.find('/') != std::string::npos) {
            return std::nullopt;
        }
    }
    return route;
}

struct BadParameter {
    std::string name;
    std::string message;
};

class Query {
public:
    explicit Query(const std::vector<std::pair<std::string, std::string>>& pairs)
        : m_pairs(pairs) {}

    std::string text(std::string_view name) const {
        for (const auto& [key, value] : m_pairs) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
    std::size_t number(std::string_view name, std::size_t fallback, std::size_t maximum) const {
        const std::string value = text(name);
        if (value.empty()) {
            return fallback;
        }
        std::size_t result = 0;
        const auto [end, error] =
            std::from_chars(value.data(), value.data() + value.size(), result);
        if (error != std::errc() || end != value.data() + value.size() || result < 1 ||
            result > maximum) {
            throw BadParameter{std::string(name),
                               "expected a whole number from 1 to " + std::to_string(maximum)};
        }
        return result;
    }
    bool flag(std::string_view name) const {
        const std::string value = text(name);
        if (value.empty() || value == "false" || value == "0") {
            return false;
        }
        if (value == "true" || value == "1") {
            return true;
        }
        throw BadParameter{std::string(name), "expected true or false"};
    }

private:
    const std::vector<std::pair<std::string, std::string>>& m_pairs;
};

// RFC 3339 ("2026-11-01T09:00:00Z", "…+01:00", with or without fractions) or a date.
std::optional<SystemTime> parseModifiedAfter(const std::string& text) {
    if (text.size() == 10) {
        auto date = parseCivilDate(text);
        if (!date) {
            return std::nullopt;
        }
        return SystemTime{std::chrono::sys_days{*date}};
    }
    if (auto utc = parseIsoUtc(text)) {
        return utc;
    }
    if (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
        text[text.size() - 3] == ':') {
        const std::string offset = text.substr(text.size() - 6);
        auto local = parseIsoUtc(text.substr(0, text.size() - 6) + "Z");
        int hours = 0;
        int minutes = 0;
        if (!local || std::sscanf(offset.c_str() + 1, "%2d:%2d", &hours, &minutes) != 2 ||
            hours > 18 || minutes > 59) {
            return std::nullopt;
        }
        const auto shift = std::chrono::hours(hours) + std::chrono::minutes(minutes);
        return offset[0] == '+' ? *local - shift : *local + shift;
    }
    return std::nullopt;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text;
}

json errorBody(const std::string& code, const std::string& message) {
    return {{"error", {{"code", code}, {"message", message}}}};
}

json page(const std::vector<json>& items, std::size_t pageNumber, std::size_t perPage) {
    const std::size_t total = items.size();
    const std::size_t totalPages = total == 0 ? 0 : (total + perPage - 1) / perPage;
    const std::size_t begin = std::min(total, (pageNumber - 1) * perPage);
    const std::size_t end = std::min(total, begin + perPage);
    json contents = json::array();
    for (std::size_t i = begin; i < end; ++i) {
        contents.push_back(items[i]);
    }
    return {{"total_items", total},          {"total_pages", totalPages},
            {"page_number", pageNumber},     {"size", end - begin},
            {"first_page", pageNumber == 1}, {"last_page", pageNumber >= totalPages},
            {"empty", end == begin},         {"contents", std::move(contents)}};
}

std::string bodyTag(const std::string& body) {
    return "\"oruk-" + shortDigestHex(body) + "\"";
}

}  // namespace

OrukApi::OrukApi(ServerStore& store, OrukApiOptions options)
    : m_store(store), m_options(std::move(options)) {}

std::string OrukApi::routeTemplate(std::string_view path) {
    const auto route = parseRoute(path);
    if (!route) {
        return {};
    }
    if (route->collection.empty()) {
        return "/";
    }
    return "/" + route->collection + (route->id.empty() ? "" : "/{id}");
}

std::shared_ptr<const DirectoryIndex> OrukApi::current() {
    const DirectoryVersionInfo version = m_store.currentDirectoryVersion();
    const std::string key = std::to_string(version.version) + "-" + version.tag;
    std::lock_guard lock(m_mutex);
    if (m_index && key == m_tag) {
        return m_index;
    }
    DirectoryData data;
    if (version.version != 0) {
        const DirectoryChanges changes = m_store.directoryChangesSince(0, 1);
        data = parseHsdsJson(changes.snapshot);  // the server's own snapshot: strict
    }
    m_index = std::make_shared<const DirectoryIndex>(
        DirectoryIndex::build(std::move(data), m_store.serviceModifiedTimes()));
    m_tag = key;
    return m_index;
}

OrukResponse OrukApi::handle(const OrukRequest& request) {
    OrukResponse response;
    auto fail = [&](int status, const std::string& code, const std::string& message) {
        response.status = status;
        response.body = errorBody(code, message).dump();
        return response;
    };
    const auto route = parseRoute(request.path);
    if (!route) {
        return fail(404, "not_found", "no such route");
    }
    if (request.method != "GET" && request.method != "HEAD") {
        response.headers.emplace_back("Allow", "GET, HEAD");
        return fail(405, "method_not_allowed", request.method + " is not allowed here; use GET");
    }
    const std::shared_ptr<const DirectoryIndex> index = current();
    const DirectoryData& data = index->data;
    const Query query(request.query);
    json body;
    try {
        const std::size_t pageNumber = query.number("page", 1, 1000000);
        const std::size_t perPage =
            query.number("per_page", m_options.defaultPerPage, m_options.maxPerPage);
        std::vector<json> items;
        if (route->collection.empty()) {
            body = {{"version", "3.0"},
                    {"profile", "https://github.com/OpenReferralUK/uk-profile"},
                    {"openapi_url",
                     "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/"
                     "openapi.json"},
                    {"description", m_options.description}};
        } else if (route->collection == "services") {
            if (!route->id.empty()) {
                auto it = index->serviceById.find(route->id);
                if (it == index->serviceById.end()) {
                    return fail(404, "not_found", "no service with this id");
                }
                body = orukServiceFull(*index, data.services[it->second]);
            } else {
                const std::string text =
                    lower(query.text("text").empty() ? query.text("search") : query.text("text"));
                const std::string termId = query.text("taxonomy_term_id");
                const std::string taxonomyId = query.text("taxonomy_id");
                const std::string organisationId = query.text("organization_id");
                const std::string modifiedText = query.text("modified_after");
                std::optional<SystemTime> modifiedAfter;
                if (!modifiedText.empty() && !(modifiedAfter = parseModifiedAfter(modifiedText))) {
                    throw BadParameter{
                        "modified_after",
                        "expected an RFC 3339 date-time like 2026-11-01T09:00:00Z, or a date"};
                }
                const bool full = query.flag("full");
                const bool minimal = query.flag("minimal");
                for (const Service& service : data.services) {
                    if (!text.empty()) {
                        const Organisation* org = index->organisation(service.organisationId);
                        const std::string haystack =
                            lower(service.name + "\n" + service.description + "\n" +
                                  (org != nullptr ? org->name : std::string()));
                        if (haystack.find(text) == std::string::npos) {
                            continue;
                        }
                    }
                    if (!organisationId.empty() && service.organisationId != organisationId &&
                        uuidFor("organization", service.organisationId) != organisationId) {
                        continue;
                    }
                    if (!termId.empty() || !taxonomyId.empty()) {
                        const bool linked = std::any_of(
                            service.needCodes.begin(), service.needCodes.end(),
                            [&](const std::string& code) {
                                auto need = index->needByCode.find(code);
                                if (need == index->needByCode.end()) {
                                    return false;
                                }
                                const TaxonomyTerm& term = *need->second;
                                return (termId.empty() || term.id == termId ||
                                        uuidFor("taxonomy_term", term.id) == termId) &&
                                       (taxonomyId.empty() ||
                                        stableUuid("taxonomy", {term.taxonomy}) == taxonomyId ||
                                        term.taxonomy == taxonomyId);
                            });
                        if (!linked) {
                            continue;
                        }
                    }
                    auto modified = index->lastModified.find(service.id);
                    if (modifiedAfter && modified != index->lastModified.end()) {
                        const auto at = parseIsoUtc(modified->second);
                        if (at && *at < *modifiedAfter) {
                            continue;
                        }
                    }
                    if (minimal) {
                        json item = {{"id", uuidFor("service", service.id)}};
                        if (modified != index->lastModified.end()) {
                            item["last_modified"] = modified->second;
                        }
                        items.push_back(std::move(item));
                    } else {
                        items.push_back(full ? orukServiceFull(*index, service)
                                             : orukServiceListItem(*index, service));
                    }
                }
                body = page(items, pageNumber, perPage);
            }
        } else if (route->collection == "taxonomies") {
            for (const std::string& name : index->taxonomies) {
                if (route->id.empty() || route->id == stableUuid("taxonomy", {name}) ||
                    route->id == name) {
                    items.push_back(orukTaxonomy(name));
                }
            }
            if (!route->id.empty()) {
                if (items.empty()) {
                    return fail(404, "not_found", "no taxonomy with this id");
                }
                body = items.front();
            } else {
                body = page(items, pageNumber, perPage);
            }
        } else if (route->collection == "taxonomy_terms") {
            if (!route->id.empty()) {
                auto it = index->termById.find(route->id);
                if (it == index->termById.end()) {
                    return fail(404, "not_found", "no taxonomy term with this id");
                }
                body = orukTaxonomyTerm(data.taxonomyTerms[it->second]);
            } else {
                const std::string taxonomyId = query.text("taxonomy_id");
                const std::string parentId = query.text("parent_id");
                for (const TaxonomyTerm& term : data.taxonomyTerms) {
                    if (!taxonomyId.empty() &&
                        stableUuid("taxonomy", {term.taxonomy}) != taxonomyId &&
                        term.taxonomy != taxonomyId) {
                        continue;
                    }
                    if (!parentId.empty() &&
                        (term.parentId.empty() ||
                         (term.parentId != parentId &&
                          uuidFor("taxonomy_term", term.parentId) != parentId))) {
                        continue;
                    }
                    items.push_back(orukTaxonomyTerm(term));
                }
                body = page(items, pageNumber, perPage);
            }
        } else if (route->collection == "organizations") {
            if (!route->id.empty()) {
                const Organisation* org = index->organisation(route->id);
                if (org == nullptr) {
                    return fail(404, "not_found", "no organization with this id");
                }
                body = orukOrganisation(*org);
                json services = json::array();
                for (const Service& service : data.services) {
                    if (service.organisationId == org->id) {
                        services.push_back(orukServiceListItem(*index, service));
                    }
                }
                body["services"] = std::move(services);
            } else {
                for (const Organisation& org : data.organisations) {
                    items.push_back(orukOrganisation(org));
                }
                body = page(items, pageNumber, perPage);
            }
        } else {  // service_at_locations
            for (const Service& service : data.services) {
                for (const std::string& locationId : service.locationIds) {
                    auto location = index->locationById.find(locationId);
                    if (location == index->locationById.end()) {
                        continue;
                    }
                    json item =
                        orukServiceAtLocation(*index, service, data.locations[location->second]);
                    if (route->id.empty() || item["id"] == route->id) {
                        items.push_back(std::move(item));
                    }
                }
            }
            if (!route->id.empty()) {
                if (items.empty()) {
                    return fail(404, "not_found", "no service_at_location with this id");
                }
                body = items.front();
            } else {
                body = page(items, pageNumber, perPage);
            }
        }
    } catch (const BadParameter& bad) {
        return fail(400, "invalid_parameter", bad.name + ": " + bad.message);
    }

    response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    const std::string etag = bodyTag(response.body);
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "no-cache");  // revalidate: cheap with the ETag
    response.headers.emplace_back("Vary", "Accept-Encoding");
    if (!request.ifNoneMatch.empty() && DirectoryFeed::etagMatches(request.ifNoneMatch, etag)) {
        response.status = 304;
        response.body.clear();
        return response;
    }
    if (request.acceptsGzip && response.body.size() > kGzipAbove) {
        response.body = gzipCompress(response.body, 6);
        response.headers.emplace_back("Content-Encoding", "gzip");
    }
    if (request.method == "HEAD") {
        response.body.clear();
    }
    return response;
}

}  // namespace signpost::server
