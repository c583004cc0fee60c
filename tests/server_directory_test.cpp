#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "support/server_harness.h"
#include "sync/server/directory_feed.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/gzip.h"
#include "sync/server/sqlite_server_store.h"

using namespace signpost;
using namespace signpost::server;

namespace {

const ServiceRevision& revisionOf(const DirectoryPublication& p, const std::string& id) {
    for (const ServiceRevision& r : p.services) {
        if (r.serviceId == id) {
            return r;
        }
    }
    FAIL("no revision for " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("each service's canonical document is importable on its own", "[server_directory]") {
    DirectoryData data = test::sampleDirectory(6);
    // A parent term: need-food sits under a "basics" term; documents must carry the parent too.
    TaxonomyTerm basics;
    basics.id = "need-basics";
    basics.code = "basics";
    basics.name = "Basics";
    basics.taxonomy = "signpost-needs";
    data.taxonomyTerms.push_back(basics);
    for (TaxonomyTerm& t : data.taxonomyTerms) {
        if (t.id == "need-food") {
            t.parentId = "need-basics";
        }
    }
    const DirectoryPublication p = preparePublication(data);
    REQUIRE(p.services.size() == 6);
    CHECK(p.label == "2026-11-01");
    for (std::size_t i = 1; i < p.services.size(); ++i) {
        CHECK(p.services[i - 1].serviceId < p.services[i].serviceId);
    }
    for (const ServiceRevision& r : p.services) {
        INFO(r.serviceId);
        const DirectoryData one = parseHsdsJson(r.document);
        REQUIRE(one.services.size() == 1);
        CHECK(one.services[0].id == r.serviceId);
        CHECK(one.organisations.size() == 1);
        CHECK(one.locations.size() == 1);
        CHECK(one.services[0].needCodes.size() == 1);
    }
    const DirectoryData food = parseHsdsJson(revisionOf(p, "svc-0002").document);
    std::set<std::string> termIds;
    for (const TaxonomyTerm& t : food.taxonomyTerms) {
        termIds.insert(t.id);
    }
    CHECK(termIds == std::set<std::string>{"need-basics", "need-food"});
    CHECK(parseHsdsJson(p.termsDocument).taxonomyTerms.size() == 4);
    CHECK(parseHsdsJson(p.snapshot).services.size() == 6);
}

TEST_CASE("content hashes follow what a service depends on, not the label", "[server_directory]") {
    const DirectoryData base = test::sampleDirectory(6);
    const DirectoryPublication before = preparePublication(base);
    CHECK(preparePublication(base).services[0].contentHash ==
          before.services[0].contentHash);  // stable

    DirectoryData relabelled = base;
    relabelled.version = "2027-01-01";
    const DirectoryPublication afterRelabel = preparePublication(relabelled);
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(afterRelabel.services[i].contentHash == before.services[i].contentHash);
    }
    CHECK(afterRelabel.snapshotHash != before.snapshotHash);

    DirectoryData moved = base;
    moved.locations[0].address.postcode = "M40 7RT";  // svc-0001's hall
    const DirectoryPublication afterMove = preparePublication(moved);
    CHECK(afterMove.services[0].contentHash != before.services[0].contentHash);
    CHECK(afterMove.services[1].contentHash == before.services[1].contentHash);

    DirectoryData renamedOrg = base;
    renamedOrg.organisations[1].name = "New name";  // org-2: svc-0004..6
    const DirectoryPublication afterOrg = preparePublication(renamedOrg);
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK((afterOrg.services[i].contentHash != before.services[i].contentHash) == (i >= 3));
    }

    DirectoryData duplicated = base;
    duplicated.services.push_back(base.services[2]);
    CHECK_THROWS_AS(preparePublication(duplicated), std::invalid_argument);
}

TEST_CASE("merging documents keeps the first record of each id and sets the label",
          "[server_directory]") {
    const DirectoryPublication p = preparePublication(test::sampleDirectory(6));
    // svc-0001..0003 share org-1; merged, org-1 appears once.
    const std::string merged = mergeDirectoryDocuments(
        {p.services[0].document, p.services[1].document, p.services[2].document, p.termsDocument},
        "v9");
    const DirectoryData data = parseHsdsJson(merged);
    CHECK(data.version == "v9");
    CHECK(data.services.size() == 3);
    CHECK(data.organisations.size() == 1);
    CHECK(data.locations.size() == 3);
    CHECK(data.taxonomyTerms.size() == 3);
    CHECK(parseHsdsJson(mergeDirectoryDocuments({}, "v1")).services.empty());
    CHECK_THROWS_AS(mergeDirectoryDocuments({"[1,2]"}, "v1"), std::invalid_argument);
    CHECK_THROWS_AS(mergeDirectoryDocuments({"{not json"}, "v1"), std::invalid_argument);
}

TEST_CASE("ETags and If-None-Match", "[server_directory]") {
    DirectoryVersionInfo v;
    v.version = 12;
    v.tag = "0123456789abcdef";
    const std::string etag = DirectoryFeed::etagFor(v);
    CHECK(etag == "\"12-0123456789abcdef\"");
    CHECK(DirectoryFeed::etagFor(DirectoryVersionInfo{}) == "\"0\"");
    CHECK(DirectoryFeed::etagMatches(etag, etag));
    CHECK(DirectoryFeed::etagMatches("W/" + etag, etag));
    CHECK(DirectoryFeed::etagMatches("\"a\", " + etag + " ,\"b\"", etag));
    CHECK(DirectoryFeed::etagMatches("*", etag));
    CHECK_FALSE(DirectoryFeed::etagMatches("\"12\"", etag));
    CHECK_FALSE(DirectoryFeed::etagMatches("\"11-0123456789abcdef\"", etag));
    CHECK_FALSE(DirectoryFeed::etagMatches("", etag));
    CHECK_FALSE(DirectoryFeed::etagMatches("12-0123456789abcdef", etag));  // unquoted
}

TEST_CASE("the directory feed caches per version and sees new versions at once",
          "[server_directory]") {
    test::TempDir dir("server-feed");
    SqliteServerStore store(dir / "s.db");
    DirectoryFeed feed(store, 10);
    const auto now = std::chrono::system_clock::now();
    store.publishDirectory(preparePublication(test::sampleDirectory(8)), 10, now);

    const auto full = feed.responseFor(0);
    CHECK(full->full);
    CHECK(full->version == 1);
    CHECK(feed.responseFor(0) == full);  // the same object: cached
    CHECK(feed.cachedResponses() == 1);
    const auto inflated = gzipDecompress(full->gzipBody);
    REQUIRE(inflated);
    CHECK(*inflated == full->body);

    DirectoryData v2 = test::sampleDirectory(8);
    v2.services[3].name = "Changed";
    store.publishDirectory(preparePublication(v2), 10, now);
    const auto delta = feed.responseFor(1);
    CHECK_FALSE(delta->full);
    CHECK(delta->version == 2);
    CHECK(delta->changedServices == 1);
    CHECK(delta->etag != full->etag);
    const auto fullAgain = feed.responseFor(0);
    CHECK(fullAgain != full);  // a new version: rebuilt
    CHECK(fullAgain->version == 2);

    // The cache is bounded by bytes.
    DirectoryFeed tiny(store, 10, 1);
    CHECK(tiny.responseFor(0)->full);
    CHECK(tiny.cachedResponses() == 0);
}

TEST_CASE("concurrent requests for an uncached response build it once", "[server_directory]") {
    test::TempDir dir("server-feed-flight");
    SqliteServerStore store(dir / "s.db");
    store.publishDirectory(preparePublication(test::sampleDirectory(300)), 10,
                           std::chrono::system_clock::now());
    DirectoryFeed feed(store, 10);
    std::vector<std::shared_ptr<const DirectoryResponse>> answers(16);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        threads.emplace_back([&, i] { answers[i] = feed.responseFor(0); });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const auto& answer : answers) {
        REQUIRE(answer);
        CHECK(answer == answers[0]);  // one object: nobody built a second copy
    }
    CHECK(feed.cachedResponses() == 1);
}

TEST_CASE("gzip round trip and damaged streams", "[server_directory]") {
    std::string text;
    for (int i = 0; i < 2000; ++i) {
        text += "{\"id\":\"svc-" + std::to_string(i) + "\",\"name\":\"Lunch club\"},";
    }
    const std::string packed = gzipCompress(text);
    CHECK(packed.size() < text.size() / 5);
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
    CHECK(gzipDecompress(packed) == text);
    CHECK(gzipDecompress(gzipCompress("")) == std::string());
    CHECK_FALSE(gzipDecompress(packed.substr(0, packed.size() / 2)).has_value());  // truncated
    CHECK_FALSE(gzipDecompress("not gzip at all").has_value());
    CHECK_FALSE(gzipDecompress(packed, 100).has_value());  // inflates past the cap
    std::string corrupt = packed;
    corrupt[corrupt.size() / 2] ^= 0x55;
    CHECK_FALSE(gzipDecompress(corrupt).has_value());
}
