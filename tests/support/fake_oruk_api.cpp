#include "support/fake_oruk_api.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace signpost::test {

using nlohmann::json;

namespace {

std::string uuid(std::size_t kind, std::size_t index) {
    char out[40];
    std::snprintf(out, sizeof out, "%08zx-0000-4000-8000-%012zx", kind, index);
    return out;
}

// Terms as a council's feed might carry them: names the mapping knows, and one it does not.
const char* const kTermNames[] = {"Food banks",  "Debt advice",           "Befriending",
                                  "Counselling", "Carers support groups", "Allotment society"};

}  // namespace

struct FakeOrukApi::Impl {
    std::size_t count;
    std::size_t maxPerPage;
    httplib::Server server;
    std::thread thread;
    int port = 0;

    mutable std::mutex mutex;
    std::map<std::size_t, std::pair<std::string, std::string>>
        changes;  // index -> description, last_modified
    int throttleLeft = 0;
    int retryAfter = 1;
    std::string stallPrefix;
    std::chrono::milliseconds stallDelay{0};
    int stallLeft = 0;
    std::size_t brokenPage = 0;
    bool fullRecords = false;
    std::atomic<std::size_t> requests{0}, details{0}, notModified{0}, throttled{0};

    std::pair<std::string, std::string> state(std::size_t i) const {
        std::lock_guard lock(mutex);
        auto it = changes.find(i);
        if (it != changes.end()) {
            return it->second;
        }
        return {"A weekly session run by volunteers, number " + std::to_string(i) + ".",
                "2026-11-01T09:00:00.000Z"};
    }

    json listItem(std::size_t i) const {
        const auto [description, modified] = state(i);
        const std::size_t org = i % 7;
        return {{"id", FakeOrukApi::serviceId(i)},
                {"name", "Community session " + std::to_string(i)},
                {"description", description},
                {"url",
                 "https://feed" + std::to_string(org) + ".example/sessions/" + std::to_string(i)},
                {"status", i % 97 == 5 ? "temporarily closed" : "active"},
                {"last_modified", modified},
                {"organization",
                 {{"id", uuid(2, org)},
                  {"name", "Neighbourhood Trust " + std::to_string(org)},
                  {"description", "A charity in ward " + std::to_string(org)},
                  {"website", "https://feed" + std::to_string(org) + ".example"}}}};
    }

    json fullRecord(std::size_t i) const {
        json s = listItem(i);
        const std::size_t place = i % 13;
        s["schedules"] = json::array({{{"id", uuid(3, i)},
                                       {"freq", "WEEKLY"},
                                       {"byday", i % 2 == 0 ? "MO,WE" : "TU"},
                                       {"opens_at", "10:00:00Z"},
                                       {"closes_at", "12:30:00Z"},
                                       {"description", "Term time"}}});
        s["phones"] =
            json::array({{{"id", uuid(4, i)},
                          {"number", "0161 496 " + std::to_string(1000 + i % 9000).substr(0, 4)}}});
        s["service_at_locations"] = json::array(
            {{{"id", uuid(5, i)},
              {"location",
               {{"id", uuid(6, place)},
                {"name", "Hall " + std::to_string(place)},
                {"latitude", 53.4 + static_cast<double>(place) / 100},
                {"longitude", -2.2},
                {"addresses",
                 json::array({{{"id", uuid(7, place)},
                               {"address_1", std::to_string(place + 1) + " High Street"},
                               {"city", "Manchester"},
                               {"state_province", ""},
                               {"postal_code", "M1" + std::to_string(place % 10) + " 1AA"},
                               {"country", "GB"},
                               {"address_type", "physical"}}})}}}}});
        s["cost_options"] =
            i % 3 == 0
                ? json::array({{{"id", uuid(8, i)}, {"amount", 0}}})
                : json::array(
                      {{{"id", uuid(8, i)}, {"amount", 2}, {"amount_description", "a session"}}});
        s["languages"] = json::array(
            {{{"id", uuid(9, i)}, {"code", "en"}}, {{"id", uuid(10, i)}, {"name", "Urdu"}}});
        s["service_areas"] = json::array(
            {{{"id", uuid(11, i)}, {"name", i % 4 == 0 ? "Manchester" : "Gorton & Abbey Hey"}}});
        const std::size_t term = i % (sizeof kTermNames / sizeof kTermNames[0]);
        s["attributes"] = json::array({{{"id", uuid(12, i)},
                                        {"taxonomy_term",
                                         {{"id", uuid(13, term)},
                                          {"name", kTermNames[term]},
                                          {"taxonomy", "Council services"}}}}});
        return s;
    }

    // Throttle, stall: what every request goes through first. True when answered already.
    bool gate(const httplib::Request& req, httplib::Response& res) {
        ++requests;
        std::chrono::milliseconds delay{0};
        {
            std::lock_guard lock(mutex);
            if (throttleLeft > 0) {
                --throttleLeft;
                ++throttled;
                res.status = 429;
                res.set_header("Retry-After", std::to_string(retryAfter));
                res.set_content(R"({"error":"slow down"})", "application/json");
                return true;
            }
            const std::string target = req.target;
            if (stallLeft > 0 && target.rfind(stallPrefix, 0) == 0) {
                --stallLeft;
                delay = stallDelay;
            }
        }
        if (delay.count() > 0) {
            std::this_thread::sleep_for(delay);
        }
        return false;
    }

    void send(const httplib::Request& req, httplib::Response& res, const std::string& body) {
        const std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
        res.set_header("ETag", etag);
        if (req.get_header_value("If-None-Match") == etag) {
            ++notModified;
            res.status = 304;
            return;
        }
        res.set_content(body, "application/json");
    }
};

FakeOrukApi::FakeOrukApi(std::size_t services, std::size_t maxPerPage)
    : m_impl(std::make_unique<Impl>()) {
    Impl& impl = *m_impl;
    impl.count = services;
    impl.maxPerPage = maxPerPage;
    impl.server.Get("/oruk/services", [&impl](const httplib::Request& req, httplib::Response& res) {
        if (impl.gate(req, res)) {
            return;
        }
        const std::size_t page =
            req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
        std::size_t perPage =
            req.has_param("per_page") ? std::stoul(req.get_param_value("per_page")) : 50;
        perPage = std::max<std::size_t>(1, std::min(perPage, impl.maxPerPage));  // feeds cap it
        {
            std::lock_guard lock(impl.mutex);
            if (page == impl.brokenPage) {
                res.set_content("{\"total_items\": 3, \"contents\": [{\"id\": ",
                                "application/json");
                return;
            }
        }
        const std::size_t totalPages = (impl.count + perPage - 1) / perPage;
        json contents = json::array();
        for (std::size_t i = (page - 1) * perPage; i < std::min(impl.count, page * perPage); ++i) {
            bool full = false;
            {
                std::lock_guard lock(impl.mutex);
                full = impl.fullRecords;
            }
            contents.push_back(full ? impl.fullRecord(i) : impl.listItem(i));
        }
        const json body = {{"total_items", impl.count}, {"total_pages", totalPages},
                           {"page_number", page},       {"size", contents.size()},
                           {"first_page", page == 1},   {"last_page", page >= totalPages},
                           {"empty", contents.empty()}, {"contents", std::move(contents)}};
        impl.send(req, res, body.dump());
    });
    impl.server.Get(R"(/oruk/services/([0-9a-f-]+))",
                    [&impl](const httplib::Request& req, httplib::Response& res) {
                        if (impl.gate(req, res)) {
                            return;
                        }
                        ++impl.details;
                        const std::string id = req.matches[1];
                        const std::size_t index = std::stoul(id.substr(24), nullptr, 16);
                        if (id != FakeOrukApi::serviceId(index) || index >= impl.count) {
                            res.status = 404;
                            return;
                        }
                        impl.send(req, res, impl.fullRecord(index).dump());
                    });
    impl.server.set_tcp_nodelay(true);
    impl.port = impl.server.bind_to_any_port("127.0.0.1");
    if (impl.port <= 0) {
        throw std::runtime_error("fake ORUK API: cannot bind");
    }
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    // Requests are queued on the bound socket until the loop runs; wait for it anyway.
    for (int i = 0; i < 500 && !impl.server.is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

FakeOrukApi::~FakeOrukApi() {
    m_impl->server.stop();
    if (m_impl->thread.joinable()) {
        m_impl->thread.join();
    }
}

std::string FakeOrukApi::baseUrl() const {
    return "http://127.0.0.1:" + std::to_string(m_impl->port) + "/oruk";
}

std::string FakeOrukApi::serviceId(std::size_t index) {
    return uuid(1, index);
}

void FakeOrukApi::throttle(int requests, int retryAfterSeconds) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->throttleLeft = requests;
    m_impl->retryAfter = retryAfterSeconds;
}

void FakeOrukApi::stall(const std::string& prefix, std::chrono::milliseconds delay, int times) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->stallPrefix = "/oruk" + prefix;
    m_impl->stallDelay = delay;
    m_impl->stallLeft = times;
}

void FakeOrukApi::breakPage(std::size_t page) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->brokenPage = page;
}

void FakeOrukApi::changeService(std::size_t index, const std::string& description) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->changes[index] = {description, "2026-11-20T10:00:00.000Z"};
}

void FakeOrukApi::listFullRecords(bool full) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->fullRecords = full;
}

std::size_t FakeOrukApi::requests() const {
    return m_impl->requests;
}
std::size_t FakeOrukApi::detailRequests() const {
    return m_impl->details;
}
std::size_t FakeOrukApi::notModified() const {
    return m_impl->notModified;
}
std::size_t FakeOrukApi::throttled() const {
    return m_impl->throttled;
}

}  // namespace signpost::test
