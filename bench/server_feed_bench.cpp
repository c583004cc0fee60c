// Live ORUK feeds (issue 11): a 10k-service feed served by the fake ORUK API on loopback is read
// page by page, every record fetched in full, imported with the needs mapping and published as a
// new directory version on an empty server; then one service changes in the feed and the next
// refresh reaches a kiosk as a delta.
//
//   build-release/bench/server_feed_bench [--services 10000] [--runs 3]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"
#include "core/common/log.h"
#include "core/directory/needs_mapping.h"
#include "support/fake_oruk_api.h"
#include "sync/server/directory_feed.h"
#include "sync/server/directory_sources.h"
#include "sync/server/sqlite_server_store.h"

using namespace signpost;
using namespace signpost::bench;

int main(int argc, char** argv) {
    std::size_t services = 10000;
    int runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--services") == 0) {
            services = std::stoul(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--runs") == 0) {
            runs = std::stoi(argv[i + 1]);
        }
    }
    setMinimumLogLevel(LogLevel::Warning);
    const std::filesystem::path root = std::filesystem::temp_directory_path() /
                                       ("signpost-feed-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    test::FakeOrukApi feed(services, 500);
    const NeedsMapping mapping = NeedsMapping::load(std::filesystem::path(SIGNPOST_SOURCE_DIR) /
                                                    "config" / "needs-mapping.toml");

    Samples cold, incremental, deltaBytes;
    std::size_t published = 0, requests = 0;
    for (int run = 0; run < runs; ++run) {
        const auto dir = root / std::to_string(run);
        std::filesystem::create_directories(dir);
        server::SqliteServerStore store(dir / "server.db");
        server::DirectorySourcesConfig config;
        config.sources = {{"Bench feed", feed.baseUrl()}};
        config.stateDir = dir / "feeds";
        config.needsMapping = mapping;
        server::DirectorySources sources(store, config);
        const std::size_t before = feed.requests();
        auto start = std::chrono::steady_clock::now();
        const auto first = sources.refreshNow(std::chrono::system_clock::now());
        cold.add(millisecondsSince(start) / 1000.0);
        if (!first.published || !first.feeds[0].up) {
            std::fprintf(stderr, "first refresh failed: %s %s\n", first.error.c_str(),
                         first.feeds[0].lastError.c_str());
            return 1;
        }
        published = store.currentDirectoryVersion().serviceCount;
        requests = feed.requests() - before;
        const std::int64_t version = store.currentDirectoryVersion().version;

        feed.changeService(static_cast<std::size_t>(42 + run),
                           "Changed in run " + std::to_string(run) + ".");
        start = std::chrono::steady_clock::now();
        const auto second = sources.refreshNow(std::chrono::system_clock::now());
        incremental.add(millisecondsSince(start) / 1000.0);
        if (!second.published || second.publish.changed != 1) {
            std::fprintf(stderr, "the change was not published as one changed service\n");
            return 1;
        }
        server::DirectoryFeed kiosks(store, 30);
        deltaBytes.add(static_cast<double>(kiosks.responseFor(version)->gzipBody.size()));
    }
    std::filesystem::remove_all(root);
    printTable(
        "Live ORUK feed → directory version (fake ORUK API on loopback, " +
            std::to_string(services) + " services, per_page 500)",
        {{"new directory version from the feed, empty server", withUnit(cold.median(), 2, "s"),
          "<= 30 s", cold.median() <= 30.0,
          "median of " + std::to_string(runs) + " (min " + formatNumber(cold.min(), 2) + ", max " +
              formatNumber(cold.max(), 2) + "); " + std::to_string(published) +
              " services published, " + std::to_string(requests) + " HTTP requests"},
         {"refresh after one service changed", withUnit(incremental.median(), 2, "s"), "report",
          true, "pages revalidated (304), one record fetched"},
         {"that change as a kiosk's delta, gzip", withUnit(deltaBytes.median(), 0, "B"), "<= 2 KB",
          deltaBytes.max() <= 2048, "max " + formatNumber(deltaBytes.max(), 0) + " B"}});
    return 0;
}
