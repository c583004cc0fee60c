// Live ORUK feeds (issue 11), against a fake ORUK API on a real loopback port: paging, full
// records, caching between runs, 429 with Retry-After, a feed that stops answering, a malformed
// page, a changed service reaching kiosks as a delta, two feeds merged, the last good data kept
// across a restart, /metrics and the admin commands.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "core/common/atomic_file.h"
#include "support/fake_oruk_api.h"
#include "support/oruk_fixtures.h"
#include "support/process.h"
#include "support/server_harness.h"
#include "support/test_support.h"
#include "sync/server/directory_feed.h"
#include "sync/server/directory_sources.h"
#include "sync/server/directory_verbs.h"
#include "sync/server/feed_client.h"
#include "sync/server/server_cli.h"
#include "sync/server/sqlite_server_store.h"

using nlohmann::json;
using namespace signpost;
using namespace signpost::server;

namespace {

FeedClientOptions quickClient() {
    FeedClientOptions options;
    options.readTimeout = std::chrono::milliseconds(1500);
    options.connectTimeout = std::chrono::milliseconds(2000);
    options.attempts = 3;
    options.backoffBase = std::chrono::milliseconds(20);
    options.backoffCap = std::chrono::milliseconds(2000);
    return options;
}

struct World {
    test::TempDir dir{"feeds"};
    std::unique_ptr<SqliteServerStore> store =
        std::make_unique<SqliteServerStore>(dir / "server.db");

    DirectorySourcesConfig config(std::vector<FeedSource> sources) {
        DirectorySourcesConfig c;
        c.sources = std::move(sources);
        c.stateDir = dir / "feeds";
        c.needsMapping = test::orukNeedsMapping();
        c.client = quickClient();
        return c;
    }
};

SystemTime at(int minute) {
    return SystemTime{std::chrono::sys_days{std::chrono::year{2026} / 11 / 20}} +
           std::chrono::minutes(minute);
}

}  // namespace

TEST_CASE("a feed is walked page by page and its records fetched in full", "[feeds]") {
    test::FakeOrukApi feed(25, 10);  // the feed caps per_page at 10: three pages
    FeedFetch fetch = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, quickClient());
    INFO(fetch.error);
    REQUIRE(fetch.ok);
    CHECK(fetch.pages == 3);
    CHECK(fetch.cache.order.size() == 25);
    CHECK(feed.detailRequests() == 25);  // list items are not full records
    CHECK(fetch.cache.order.front() == test::FakeOrukApi::serviceId(0));

    SECTION("a second run asks again with validators and refetches nothing unchanged") {
        const std::size_t before = feed.detailRequests();
        const FeedFetch again =
            fetchOrukFeed({"Test feed", feed.baseUrl()}, fetch.cache, quickClient());
        REQUIRE(again.ok);
        CHECK(feed.detailRequests() == before);  // same last_modified: not asked for
        CHECK(again.unchangedRecords == 25);
        CHECK(again.notModified == 3);  // every page a 304
        CHECK(feedDocument(again.cache) == feedDocument(fetch.cache));
    }
    SECTION("a changed service is the only record fetched again") {
        feed.changeService(7, "Now on Thursdays too.");
        const std::size_t before = feed.detailRequests();
        const FeedFetch again =
            fetchOrukFeed({"Test feed", feed.baseUrl()}, fetch.cache, quickClient());
        REQUIRE(again.ok);
        CHECK(feed.detailRequests() == before + 1);
        CHECK(again.cache.services.at(test::FakeOrukApi::serviceId(7))
                  .body.find("Now on Thursdays too.") != std::string::npos);
    }
    SECTION("a feed that lists full records is not asked for each one") {
        feed.listFullRecords(true);
        const std::size_t before = feed.detailRequests();
        const FeedFetch full = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, quickClient());
        REQUIRE(full.ok);
        CHECK(feed.detailRequests() == before);
        CHECK(full.cache.order.size() == 25);
    }
    SECTION("429 with Retry-After is waited out and retried") {
        feed.throttle(2, 1);
        std::vector<std::chrono::milliseconds> waits;
        FeedClientOptions options = quickClient();
        options.sleep = [&](std::chrono::milliseconds wait) { waits.push_back(wait); };
        const FeedFetch throttled = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, options);
        REQUIRE(throttled.ok);
        CHECK(feed.throttled() == 2);
        CHECK(throttled.retries == 2);
        CHECK(waits == std::vector<std::chrono::milliseconds>{std::chrono::seconds(1),
                                                              std::chrono::seconds(1)});
    }
    SECTION("throttled past the attempts, the run fails") {
        feed.throttle(100, 1);
        FeedClientOptions options = quickClient();
        options.sleep = [](std::chrono::milliseconds) {};
        const FeedFetch throttled = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, options);
        CHECK_FALSE(throttled.ok);
        CHECK(throttled.error == "GET /oruk/services?page=1&per_page=500: HTTP 429");
    }
    SECTION("a page that takes longer than the read timeout fails the run after the retries") {
        feed.stall("/services?page=2", std::chrono::seconds(4), 3);
        const FeedFetch slow = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, quickClient());
        CHECK_FALSE(slow.ok);
        CHECK(slow.error == "GET /oruk/services?page=2&per_page=500: Read");
        CHECK(slow.retries == 2);
    }
    SECTION("a slow answer within the attempts is retried and the run succeeds") {
        feed.stall("/services/", std::chrono::seconds(4), 1);
        const FeedFetch slow = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, quickClient());
        INFO(slow.error);
        CHECK(slow.ok);
        CHECK(slow.retries == 1);
    }
    SECTION("a malformed page fails the run, naming the page") {
        feed.breakPage(2);
        const FeedFetch broken = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, quickClient());
        CHECK_FALSE(broken.ok);
        CHECK(broken.error ==
              "GET /oruk/services?page=2&per_page=500: not an ORUK page (not valid JSON)");
    }
    SECTION("an answer over the size cap is refused") {
        FeedClientOptions options = quickClient();
        options.maxResponseBytes = 2000;
        const FeedFetch big = fetchOrukFeed({"Test feed", feed.baseUrl()}, {}, options);
        CHECK_FALSE(big.ok);
        CHECK(big.error == "GET /oruk/services?page=1&per_page=500: the answer is over 2000 bytes");
    }
    SECTION("nothing listening is a failure, not a crash") {
        const FeedFetch dead = fetchOrukFeed(
            {"Dead", "http://127.0.0.1:" + std::to_string(test::findFreeLoopbackPort())}, {},
            quickClient());
        CHECK_FALSE(dead.ok);
        CHECK(dead.error.find("Connection") != std::string::npos);
        CHECK_FALSE(fetchOrukFeed({"Bad", "ftp://example"}, {}, quickClient()).ok);
    }
}

TEST_CASE("feeds refresh the directory: publish, deltas, failures keep the last good data",
          "[feeds]") {
    World world;
    test::FakeOrukApi council(25, 10);
    test::FakeOrukApi network(5, 10);  // the same ids as the council's first five
    auto sources = std::make_unique<DirectorySources>(
        *world.store,
        world.config({{"Council", council.baseUrl()}, {"VCSE network", network.baseUrl()}}));

    RefreshSummary first = sources->refreshNow(at(0));
    INFO(first.error);
    REQUIRE(first.published);
    CHECK(first.publish.added == 25);
    CHECK(first.duplicates.size() == 5);
    CHECK(first.duplicates.front() == "service " + test::FakeOrukApi::serviceId(0) +
                                          " of VCSE network is also in Council (that one is used)");
    REQUIRE(first.feeds.size() == 2);
    CHECK(first.feeds[0].up);
    CHECK(first.feeds[0].services == 25);
    CHECK(first.feeds[0].servicesUsed == 25);
    CHECK(first.feeds[1].servicesUsed == 0);
    const std::int64_t version = world.store->currentDirectoryVersion().version;

    // Needs come through the mapping; an unmapped term lands under "Other support".
    const DirectoryChanges snapshot = world.store->directoryChangesSince(0, 30);
    const DirectoryData published = parseHsdsJson(snapshot.snapshot);
    std::map<std::string, int> needs;
    for (const Service& s : published.services) {
        for (const std::string& code : s.needCodes) {
            ++needs[code];
        }
    }
    CHECK(needs["food"] > 0);
    CHECK(needs["money-debt"] > 0);
    CHECK(needs["other-support"] > 0);

    SECTION("an unchanged feed publishes nothing") {
        const RefreshSummary again = sources->refreshNow(at(60));
        CHECK_FALSE(again.published);
        CHECK(world.store->currentDirectoryVersion().version == version);
    }
    SECTION("one changed service reaches kiosks as a small delta") {
        council.changeService(3, "Now also on Saturday mornings.");
        const RefreshSummary again = sources->refreshNow(at(60));
        REQUIRE(again.published);
        CHECK(again.publish.changed == 1);
        CHECK(again.publish.added == 0);
        DirectoryFeed kiosks(*world.store, 30);
        const auto delta = kiosks.responseFor(version);
        CHECK_FALSE(delta->full);
        CHECK(delta->changedServices == 1);
        CHECK(delta->gzipBody.size() <= 2048);
    }
    SECTION("a failing feed keeps its last good data and shows as down") {
        council.breakPage(2);
        const RefreshSummary broken = sources->refreshNow(at(60));
        CHECK_FALSE(broken.published);  // the same services: nothing to publish
        CHECK_FALSE(broken.feeds[0].up);
        CHECK(broken.feeds[0].lastError.find("page=2") != std::string::npos);
        CHECK(broken.feeds[0].services == 25);
        CHECK(world.store->directoryChangesSince(0, 30).snapshot == snapshot.snapshot);
        const std::string metrics = sources->renderMetrics();
        CHECK(metrics.find("signpost_feed_up{feed=\"Council\"} 0") != std::string::npos);
        CHECK(metrics.find("signpost_feed_up{feed=\"VCSE network\"} 1") != std::string::npos);
        CHECK(metrics.find("signpost_feed_refreshes_total{feed=\"Council\",result=\"failed\"} 1") !=
              std::string::npos);
        // ... also after a restart with the feed gone entirely.
        sources.reset();
        DirectorySourcesConfig config = world.config(
            {{"Council", "http://127.0.0.1:" + std::to_string(test::findFreeLoopbackPort())},
             {"VCSE network", network.baseUrl()}});
        config.client.attempts = 1;
        DirectorySources restarted(*world.store, config);
        CHECK(restarted.status()[0].lastError.find("page=2") !=
              std::string::npos);  // the saved status
        const RefreshSummary after = restarted.refreshNow(at(120));
        CHECK_FALSE(after.feeds[0].up);
        CHECK(after.feeds[0].servicesUsed == 25);
        CHECK(world.store->currentDirectoryVersion().version == version);
        // The feed comes back: up again.
        council.breakPage(0);
        DirectorySources back(*world.store, world.config({{"Council", council.baseUrl()},
                                                          {"VCSE network", network.baseUrl()}}));
        CHECK(back.refreshNow(at(180)).feeds[0].up);
    }
}

TEST_CASE("the server refreshes its feeds, shows them in /metrics, and the admin commands",
          "[feeds]") {
    test::FakeOrukApi feed(12, 5);
    test::TestServer server("feed-server", [&](ServerConfig& config) {
        config.directorySources = {{"Council", feed.baseUrl()}};
        config.directoryRefresh = std::chrono::hours(6);
    });
    // Published, and the status the admin command reads written (it is saved last).
    const auto stateDir = server.runtime().config().resolvedDataDir() / "feeds";
    REQUIRE(test::waitUntil(
        [&] {
            const auto saved = DirectorySources::readStatus(stateDir);
            return server.store().currentDirectoryVersion().version > 0 && !saved.empty() &&
                   saved[0].up;
        },
        std::chrono::seconds(60)));
    CHECK(server.store().currentDirectoryVersion().serviceCount == 12);
    auto metrics = server.client().Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("signpost_feed_up{feed=\"Council\"} 1") != std::string::npos);
    CHECK(metrics->body.find("signpost_feed_services{feed=\"Council\"} 12") != std::string::npos);

    // The admin CLI reads the status the server wrote, for the feeds server.toml names.
    const auto configFile = server.dir() / "server.toml";
    test::writeText(configFile, "[storage]\ndata_dir = \"" + server.runtime().config().dataDir +
                                    "\"\n[directory]\nsources = [{url = \"" + feed.baseUrl() +
                                    "\", name = \"Council\"}]\n");
    std::ostringstream out, err;
    CHECK(runServerCli({"admin", "directory", "status", "--config", configFile.string()}, out,
                       err) == 0);
    INFO(out.str() << err.str());
    CHECK(out.str().find("Council (" + feed.baseUrl() + "): up") != std::string::npos);
    CHECK(out.str().find("services: 12 (12 in the directory)") != std::string::npos);

    std::ostringstream importOut, importErr;
    const int code = runServerCli({"admin", "import-directory", "--from-url", feed.baseUrl(),
                                   "--name", "Council", "--config", configFile.string()},
                                  importOut, importErr);
    INFO(importErr.str());
    CHECK(code == 0);
    CHECK(importOut.str().find("12 services in 3 page(s)") != std::string::npos);
}
