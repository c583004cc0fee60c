// The ORUK 3.0 API served by signpost-server (issue 11): every response valid against the
// UK profile's schemas, filters and paging, ETag and gzip, the transport, and the round trip —
// importing the server's own /services gives back the directory Signpost shows.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "core/common/atomic_file.h"
#include "core/directory/hsds_import.h"
#include "core/directory/needs_mapping.h"
#include "core/directory/schedule.h"
#include "core/directory/stable_id.h"
#include "core/i18n/i18n.h"
#include "support/oruk_fixtures.h"
#include "support/process.h"
#include "support/server_harness.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/gzip.h"
#include "sync/server/oruk_api.h"

using nlohmann::json;
using namespace signpost;
using namespace signpost::server;

namespace {

OrukResponse get(OrukApi& api, const std::string& target, const std::string& ifNoneMatch = "",
                 bool gzip = false) {
    OrukRequest request;
    const std::size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) {
        std::string rest = target.substr(question + 1);
        while (!rest.empty()) {
            const std::size_t amp = rest.find('&');
            const std::string pair = rest.substr(0, amp);
            const std::size_t eq = pair.find('=');
            request.query.emplace_back(pair.substr(0, eq),
                                       eq == std::string::npos ? "" : pair.substr(eq + 1));
            rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
        }
    }
    request.ifNoneMatch = ifNoneMatch;
    request.acceptsGzip = gzip;
    return api.handle(request);
}

json body(const OrukResponse& response) {
    return json::parse(response.body);
}

std::string header(const OrukResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

struct Published {
    test::TempDir dir{"oruk-api"};
    std::unique_ptr<SqliteServerStore> store;
    DirectoryData data;

    explicit Published(const DirectoryData& directory) : data(directory) {
        store = std::make_unique<SqliteServerStore>(dir / "server.db");
        store->publishDirectory(preparePublication(directory), 30,
                                std::chrono::system_clock::now());
    }
};

// Runs the schema check over saved responses; returns the validator's output, REQUIREs success
// when `expectValid`.
std::string validate(const test::TempDir& dir,
                     const std::vector<std::pair<json, std::string>>& responses,
                     bool expectValid = true) {
    json manifest = json::array();
    for (std::size_t i = 0; i < responses.size(); ++i) {
        const auto file = dir / ("response-" + std::to_string(i) + ".json");
        test::writeText(file, responses[i].first.dump());
        const std::string& schema = responses[i].second;
        if (schema.rfind("page:", 0) == 0) {
            manifest.push_back({{"file", file.string()}, {"page_of", schema.substr(5)}});
        } else {
            manifest.push_back({{"file", file.string()}, {"schema", schema}});
        }
    }
    test::writeText(dir / "manifest.json", manifest.dump());
    test::ProcessOptions options;
    options.program = "/usr/bin/python3";  // Debian's, with python3-jsonschema (install-deps.sh)
    options.args = {
        (test::sourceDir() / "tests" / "tools" / "validate_oruk.py").string(),
        (test::sourceDir() / "tests" / "data" / "oruk-schema" / "oruk-3.0-uk.schema.json").string(),
        (dir / "manifest.json").string()};
    options.stdoutFile = dir / "validator.out";
    options.stderrFile = dir / "validator.out";
    const test::ExitStatus status = test::runProcess(options, std::chrono::seconds(120));
    const std::string output = test::readText(dir / "validator.out");
    INFO(output);
    if (expectValid) {
        REQUIRE(status.success());
    } else {
        REQUIRE(status.exitedWith(1));
    }
    return output;
}

}  // namespace

TEST_CASE("every ORUK response is valid against the ORUK 3.0 UK profile schemas", "[oruk_api]") {
    Published published(test::orukFixtureDirectory());
    OrukApi api(*published.store);
    std::vector<std::pair<json, std::string>> responses;
    auto keep = [&](const std::string& target, const std::string& schema) {
        const OrukResponse response = get(api, target);
        INFO(target << ": " << response.body.substr(0, 300));
        REQUIRE(response.status == 200);
        responses.emplace_back(body(response), schema);
        return responses.back().first;
    };
    keep("/", "api_info");
    const json services = keep("/services?per_page=1000", "page:service_list");
    REQUIRE(services["total_items"] == published.data.services.size());
    keep("/services?full=true&per_page=2&page=2", "page:service");
    for (const json& item : services["contents"]) {
        keep("/services/" + item["id"].get<std::string>(), "service");
    }
    const json taxonomies = keep("/taxonomies", "page:taxonomy");
    keep("/taxonomies/" + taxonomies["contents"][0]["id"].get<std::string>(), "taxonomy");
    const json terms = keep("/taxonomy_terms?per_page=1000", "page:taxonomy_term");
    keep("/taxonomy_terms/" + terms["contents"][0]["id"].get<std::string>(), "taxonomy_term");
    const json organisations = keep("/organizations", "page:organization_list");
    keep("/organizations/" + organisations["contents"][0]["id"].get<std::string>(), "organization");
    const json sals = keep("/service_at_locations", "page:service_at_location_list");
    REQUIRE_FALSE(sals["contents"].empty());
    keep("/service_at_locations/" + sals["contents"][0]["id"].get<std::string>(),
         "service_at_location_list");
    test::TempDir dir("oruk-schema");
    const std::string output = validate(dir, responses);
    CHECK(output.find(" 0 problems") != std::string::npos);

    SECTION("the check is not vacuous: a response missing what the profile requires fails") {
        json broken = responses[2].first;  // a page of full services
        broken["contents"][0].erase("status");
        broken["contents"][0]["id"] = "not-a-uuid";
        test::TempDir bad("oruk-schema-bad");
        const std::string failure = validate(bad, {{broken, "page:service"}}, false);
        CHECK(failure.find("'status' is a required property") != std::string::npos);
        CHECK(failure.find("is not a 'uuid'") != std::string::npos);
    }
}

TEST_CASE("ORUK /services pages and filters", "[oruk_api]") {
    Published published(test::orukFixtureDirectory());
    OrukApi api(*published.store);
    const std::size_t total = published.data.services.size();
    SECTION("paging") {
        const json first = body(get(api, "/services?per_page=2"));
        CHECK(first["total_items"] == total);
        CHECK(first["total_pages"] == (total + 1) / 2);
        CHECK(first["page_number"] == 1);
        CHECK(first["size"] == 2);
        CHECK(first["first_page"] == true);
        CHECK(first["last_page"] == false);
        CHECK(first["empty"] == false);
        const json last =
            body(get(api, "/services?per_page=2&page=" + std::to_string((total + 1) / 2)));
        CHECK(last["last_page"] == true);
        const json beyond = body(get(api, "/services?per_page=2&page=99"));
        CHECK(beyond["empty"] == true);
        CHECK(beyond["contents"].empty());
    }
    SECTION("text, taxonomy_term_id, organization_id") {
        const json counselling = body(get(api, "/services?text=COUNSELLING"));
        REQUIRE(counselling["total_items"] == 1);
        CHECK(counselling["contents"][0]["name"] == "Talking Space Counselling");
        CHECK(body(get(api, "/services?search=gorton"))["total_items"] ==
              2);  // by organisation name
        const std::string food = stableUuid("need", {"food"});
        const json lonely =
            body(get(api, "/services?taxonomy_term_id=" + stableUuid("need", {"feeling-lonely"})));
        REQUIRE(lonely["total_items"] == 1);
        CHECK(lonely["contents"][0]["name"] == "Talking Space Counselling");
        CHECK(body(get(api, "/services?taxonomy_term_id=" + food))["total_items"] == 0);
        CHECK(
            body(get(
                api,
                "/services?organization_id=b2000000-0000-4000-8000-0000000000b1"))["total_items"] ==
            2);
    }
    SECTION("modified_after sees only what changed in a later version") {
        const json everything = body(get(api, "/services?modified_after=2000-01-01"));
        CHECK(everything["total_items"] == total);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const std::string between = formatIsoUtcMillis(std::chrono::system_clock::now());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        DirectoryData changed = published.data;
        changed.services[0].description += " Now with evening sessions.";
        published.store->publishDirectory(preparePublication(changed), 30,
                                          std::chrono::system_clock::now());
        const json after = body(get(api, "/services?modified_after=" + between));
        REQUIRE(after["total_items"] == 1);
        CHECK(after["contents"][0]["id"] == uuidFor("service", changed.services[0].id));
        const json minimal = body(get(api, "/services?minimal=true&modified_after=" + between));
        CHECK(minimal["contents"][0].size() == 2);  // id and last_modified
        // The offset form names the same instant.
        CHECK(body(get(api, "/services?modified_after=2000-01-01T01:00:00+01:00"))["total_items"] ==
              total);
    }
    SECTION("bad parameters name themselves; unknown records are 404") {
        for (const char* target :
             {"/services?per_page=0", "/services?per_page=1001", "/services?page=x",
              "/services?modified_after=yesterday", "/services?full=maybe"}) {
            INFO(target);
            const OrukResponse response = get(api, target);
            CHECK(response.status == 400);
            CHECK(body(response)["error"]["code"] == "invalid_parameter");
        }
        CHECK(body(get(api, "/services?per_page=0"))["error"]["message"] ==
              "per_page: expected a whole number from 1 to 1000");
        CHECK(get(api, "/services/00000000-0000-4000-8000-000000000000").status == 404);
        CHECK(get(api, "/organizations/nope").status == 404);
        CHECK(get(api, "/nothing").status == 404);
        OrukRequest post;
        post.method = "POST";
        post.path = "/services";
        CHECK(api.handle(post).status == 405);
    }
    SECTION("ETag answers If-None-Match with 304; gzip inflates to the same body") {
        const OrukResponse plain = get(api, "/services?full=true");
        const std::string etag = header(plain, "ETag");
        REQUIRE_FALSE(etag.empty());
        CHECK(get(api, "/services?full=true", etag).status == 304);
        CHECK(get(api, "/services?full=true", "\"other\"").status == 200);
        const OrukResponse zipped = get(api, "/services?full=true", "", true);
        CHECK(header(zipped, "Content-Encoding") == "gzip");
        CHECK(gzipDecompress(zipped.body) == plain.body);
        CHECK(header(zipped, "ETag") == etag);
    }
}

TEST_CASE("the ORUK API over HTTP: public or token-protected, ETag and gzip", "[oruk_api]") {
    const DirectoryData directory = test::orukFixtureDirectory();
    SECTION("public by default") {
        test::TestServer server("oruk-http");
        server.store().publishDirectory(preparePublication(directory), 30,
                                        std::chrono::system_clock::now());
        httplib::Client client = server.client();
        auto root = client.Get("/");
        REQUIRE(root);
        CHECK(root->status == 200);
        CHECK(json::parse(root->body)["version"] == "3.0");
        auto page = client.Get("/services?per_page=1");
        REQUIRE(page);
        CHECK(json::parse(page->body)["size"] == 1);
        const std::string etag = page->get_header_value("ETag");
        auto again = client.Get("/services?per_page=1", {{"If-None-Match", etag}});
        REQUIRE(again);
        CHECK(again->status == 304);
        httplib::Client raw = server.client();
        raw.set_decompress(false);
        auto zipped = raw.Get("/services?full=true", {{"Accept-Encoding", "gzip"}});
        REQUIRE(zipped);
        CHECK(zipped->get_header_value("Content-Encoding") == "gzip");
        CHECK(gzipDecompress(zipped->body) == client.Get("/services?full=true")->body);
        // The sync API's routes are unchanged around it.
        CHECK(test::statusOf(client.Get("/v1/probe")) == 204);
        CHECK(test::statusOf(client.Get("/nothing/here/at/all")) == 404);
    }
    SECTION("token-protected when [oruk] public = false") {
        test::TestServer server("oruk-private",
                                [](ServerConfig& config) { config.orukPublic = false; });
        server.store().publishDirectory(preparePublication(directory), 30,
                                        std::chrono::system_clock::now());
        httplib::Client client = server.client();
        CHECK(test::statusOf(client.Get("/services")) == 401);
        CHECK(test::statusOf(client.Get("/services", test::bearer(server.coordinatorToken()))) ==
              200);
    }
    SECTION("off when [oruk] enabled = false") {
        test::TestServer server("oruk-off",
                                [](ServerConfig& config) { config.orukEnabled = false; });
        CHECK(test::statusOf(server.client().Get("/services")) == 404);
    }
}

TEST_CASE("importing the server's own /services gives back the directory Signpost shows",
          "[oruk_api]") {
    const DirectoryData original = test::orukFixtureDirectory();
    Published published(original);
    OrukApi api(*published.store);
    // As a feed reader does: walk the pages, then fetch each service in full.
    json fullServices = json::array();
    for (std::size_t page = 1;; ++page) {
        const json list = body(get(api, "/services?per_page=2&page=" + std::to_string(page)));
        for (const json& item : list["contents"]) {
            fullServices.push_back(body(get(api, "/services/" + item["id"].get<std::string>())));
        }
        if (list["last_page"] == true) {
            break;
        }
    }
    const ImportResult back = importHsds(fullServices.dump());
    CHECK(back.problems.empty());
    for (const ImportProblem& problem : back.problems) {
        INFO(problem.toString());
    }
    CHECK(test::shownDifference(original, back.data) == "");
    // The comparison sees a change in anything shown, hours included.
    DirectoryData tampered = back.data;
    REQUIRE_FALSE(tampered.services[0].schedules.empty());
    tampered.services[0].schedules[0].validTo = CivilDate{std::chrono::year{2026} / 6 / 1};
    CHECK(test::shownDifference(original, tampered) != "");
    tampered = back.data;
    tampered.services[1].costKnown = !tampered.services[1].costKnown;
    CHECK(test::shownDifference(original, tampered) != "");
}
