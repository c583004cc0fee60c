// Search-as-you-type over synthetic directories of 10k and 100k services, file-backed, as the
// kiosk runs it: every prefix of ~20 realistic queries, typed a character at a time, with and
// without the neighbourhood and "open now" filters; plus browse-by-need and the service page.
// The same at 10k services written in Chinese and in Arabic script (script_directory.h), the
// queries typed in that script a character at a time.
//
// Run (Release): cmake --preset release && cmake --build --preset release -j2 --target search_bench
//                && build-release/bench/search_bench [--sizes 10000,100000] [--scripts
//                latin,chinese,arabic]
//                   [--script-sizes 10000] [--reps 5] [--dir PATH] [--keep]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/log.h"
#include "core/common/paths.h"
#include "core/directory/directory_store.h"
#include "core/runtime/kiosk_runtime.h"
#include "fixtures/synthetic_directory.h"
#include "script_directory.h"

using namespace signpost;
using bench::Row;
using bench::Samples;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kQueries = {"food bank",
                                           "lonely",
                                           "debt advice",
                                           "carers",
                                           "mental health",
                                           "english classes",
                                           "zumba",
                                           "foodbank moss side",
                                           "housing advice",
                                           "gp registration",
                                           "universal credit",
                                           "walking group",
                                           "parent and toddler",
                                           "dementia",
                                           "job club",
                                           "computer help",
                                           "night shelter",
                                           "wheelchair",
                                           "polish",
                                           "café levenshulme",
                                           "żółć",
                                           "anxiety support group"};

// Every prefix as typed, one character (not byte) at a time.
std::vector<std::string> prefixes(const std::string& text) {
    std::vector<std::string> result;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
            continue;  // inside a multi-byte character
        }
        result.push_back(text.substr(0, i));
    }
    return result;
}

// CPU time of this thread: with other processes on the machine, wall time includes waiting for
// a core; the CPU time shows what the search itself cost.
double threadCpuMilliseconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
}

double residentMegabytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
        }
    }
    return 0;
}

std::string ms(double value) {
    return bench::withUnit(value, value < 10 ? 2 : 1, "ms");
}

std::vector<std::size_t> parseSizes(const std::string& text) {
    std::vector<std::size_t> sizes;
    std::stringstream list(text);
    std::string item;
    while (std::getline(list, item, ',')) {
        sizes.push_back(static_cast<std::size_t>(std::stoul(item)));
    }
    return sizes;
}

struct Options {
    std::vector<std::size_t> sizes{10000, 100000};  // Latin script
    std::vector<std::size_t> scriptSizes{10000};    // Chinese and Arabic
    std::vector<bench::Script> scripts{bench::Script::Latin, bench::Script::Chinese,
                                       bench::Script::Arabic};
    int reps = 5;
    std::filesystem::path dir;
    bool keep = false;     // leave the database files for inspection
    bool slowest = false;  // list the slowest typed prefixes
    bool reuse = false;    // search an existing file in --dir instead of importing again
    std::vector<std::string> queries = kQueries;  // --query TEXT replaces them (profiling)
};

Options parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << arg << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--sizes") {
            options.sizes = parseSizes(value());
        } else if (arg == "--script-sizes") {
            options.scriptSizes = parseSizes(value());
        } else if (arg == "--scripts") {
            options.scripts.clear();
            std::stringstream list(value());
            std::string item;
            while (std::getline(list, item, ',')) {
                if (item == "latin" || item == "chinese" || item == "arabic") {
                    options.scripts.push_back(item == "latin"     ? bench::Script::Latin
                                              : item == "chinese" ? bench::Script::Chinese
                                                                  : bench::Script::Arabic);
                } else {
                    std::cerr << "--scripts: latin, chinese or arabic, not " << item << "\n";
                    std::exit(2);
                }
            }
        } else if (arg == "--reps") {
            options.reps = std::max(1, std::stoi(value()));
        } else if (arg == "--dir") {
            options.dir = value();
        } else if (arg == "--keep") {
            options.keep = true;
        } else if (arg == "--slowest") {
            options.slowest = true;
        } else if (arg == "--reuse") {
            options.reuse = true;
        } else if (arg == "--query") {
            if (options.queries == kQueries) {
                options.queries.clear();
            }
            options.queries.push_back(value());
        } else {
            std::cerr
                << "usage: search_bench [--sizes 10000,100000] [--scripts latin,chinese,arabic] "
                   "[--script-sizes 10000] "
                   "[--reps 5] [--dir PATH] [--keep] [--slowest] [--reuse] [--query TEXT]...\n";
            std::exit(arg == "--help" ? 0 : 2);
        }
    }
    if (options.dir.empty()) {
        options.dir = std::filesystem::temp_directory_path() /
                      ("signpost-search-bench-" + std::to_string(::getpid()));
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    setLogToStderr(false);
    std::filesystem::create_directories(options.dir);
    const TimeZone london = TimeZone::load("Europe/London");
    // A Tuesday mid-morning in June: plenty open, plenty closed.
    const std::chrono::sys_seconds now = std::chrono::sys_days{std::chrono::year{2026} / 6 / 2} +
                                         std::chrono::hours{10} + std::chrono::minutes{30};
    const std::string neighbourhood = "Hulme, Moss Side & Rusholme";
    {
        // Other processes on the machine inflate wall-clock figures; say how busy it was.
        std::ifstream loadavg("/proc/loadavg");
        std::string one, five;
        loadavg >> one >> five;
        std::cout << "load average at start: " << one << " (1 min), " << five << " (5 min); "
                  << std::thread::hardware_concurrency() << " cores\n";
    }

    std::vector<std::pair<bench::Script, std::size_t>> runs;
    for (const bench::Script script : options.scripts) {
        for (const std::size_t size :
             script == bench::Script::Latin ? options.sizes : options.scriptSizes) {
            runs.emplace_back(script, size);
        }
    }
    for (const auto& [script, size] : runs) {
        std::vector<Row> rows;
        const std::string label =
            (size >= 1000 ? std::to_string(size / 1000) + "k" : std::to_string(size)) +
            (script == bench::Script::Latin ? "" : " " + std::string(bench::scriptName(script)));
        const double target = size <= 10000 ? 5.0 : 25.0;
        std::vector<std::string> queries;
        for (const std::string& query : options.queries) {
            queries.push_back(options.queries == kQueries ? bench::inScript(query, script) : query);
        }

        auto start = Clock::now();
        SyntheticDirectoryOptions generator;
        generator.services = size;
        const DirectoryData data =
            bench::rewriteInScript(generateSyntheticDirectory(generator), script);
        const double generateMs = bench::millisecondsSince(start);

        const std::filesystem::path file =
            options.dir / ("directory-" + std::string(bench::scriptName(script)) + "-" +
                           std::to_string(size) + ".sqlite");
        if (!options.reuse || !std::filesystem::exists(file)) {
            for (const char* suffix : {"", "-wal", "-shm"}) {
                std::filesystem::remove(file.string() + suffix);
            }
            start = Clock::now();
            {
                DirectoryStore store(file.string(), london);
                store.replaceAll(data, "synthetic");
            }
            const double importMs = bench::millisecondsSince(start);
            const auto fileBytes = static_cast<double>(std::filesystem::file_size(file));
            rows.push_back({"import " + label + " services into a new file", ms(importMs), "-",
                            true,
                            "generate " + ms(generateMs) + "; file " +
                                bench::withUnit(fileBytes / 1048576.0, 1, "MB")});
        }

        // Start-up checks of an existing file (warm page cache: the file was just written).
        for (const DirectoryCheck check : {DirectoryCheck::Fast, DirectoryCheck::Thorough}) {
            Samples opens;
            for (int rep = 0; rep < 3; ++rep) {
                DirectoryOpenOutcome outcome = DirectoryOpenOutcome::Opened;
                start = Clock::now();
                DirectoryStore opened = DirectoryStore::openOrRebuild(
                    file, "/nonexistent-bundle.json", london, outcome, check);
                opens.add(bench::millisecondsSince(start));
                if (outcome != DirectoryOpenOutcome::Opened) {
                    std::cerr << "unexpected rebuild\n";
                    return 1;
                }
            }
            rows.push_back({std::string("openOrRebuild, ") +
                                (check == DirectoryCheck::Fast ? "Fast" : "Thorough") + " check, " +
                                label,
                            ms(opens.median()), "-", true, "median of 3, warm page cache"});
        }

        // Reopen as the kiosk would at start-up; the first search builds the cache.
        const double rssBefore = residentMegabytes();
        start = Clock::now();
        DirectoryStore store(file.string(), london);
        // As the kiosk: every language's need words (assets/i18n), so queries also match needs.
        std::vector<NeedWords> needWords = needWordsForSearch(defaultAssetsDir() / "i18n", store);
        const double needWordsMs = bench::millisecondsSince(start);
        store.setNeedWords(std::move(needWords));
        store.search({"", {}, 50}, now);
        const double firstMs = bench::millisecondsSince(start);

        rows.push_back({"open + first search (cache build), " + label, ms(firstMs), "-", true,
                        "RSS +" + bench::withUnit(residentMegabytes() - rssBefore, 1, "MB") +
                            " for page cache and summaries"});
        rows.push_back({"  of which: need words from every text file, " + label, ms(needWordsMs),
                        "-", true, "I18n::load of all assets/i18n files, once at start"});

        Samples plain, byArea, byOpen, byBoth, all, cpu;
        std::vector<std::pair<double, std::string>> slowest;
        std::size_t emptyResults = 0;
        std::size_t searches = 0;
        for (int rep = 0; rep < options.reps; ++rep) {
            for (const std::string& query : queries) {
                for (const std::string& typed : prefixes(query)) {
                    for (int variant = 0; variant < 4; ++variant) {
                        SearchRequest request;
                        request.text = typed;
                        request.filters.neighbourhood = (variant & 1) != 0 ? neighbourhood : "";
                        request.filters.openNow = (variant & 2) != 0;
                        const double cpuStart = threadCpuMilliseconds();
                        start = Clock::now();
                        const SearchResults results = store.search(request, now);
                        const double elapsed = bench::millisecondsSince(start);
                        cpu.add(threadCpuMilliseconds() - cpuStart);
                        (variant == 0   ? plain
                         : variant == 1 ? byArea
                         : variant == 2 ? byOpen
                                        : byBoth)
                            .add(elapsed);
                        all.add(elapsed);
                        ++searches;
                        if (options.slowest) {
                            slowest.emplace_back(
                                threadCpuMilliseconds() - cpuStart,
                                "\"" + typed + "\" variant " + std::to_string(variant) + ", " +
                                    std::to_string(results.totalMatches) + " matches");
                        }
                        if (rep == 0 && variant == 0 && typed == query && results.items.empty()) {
                            ++emptyResults;
                            std::cerr << "note: \"" << query << "\" finds nothing at " << label
                                      << "\n";
                        }
                    }
                }
            }
        }
        rows.push_back({"search-as-you-type p99, " + label + " services", ms(all.p99()),
                        "<= " + ms(target), all.p99() <= target,
                        "median " + ms(all.median()) + ", max " + ms(all.max()) + ", " +
                            bench::formatNumber(static_cast<double>(searches), 0) +
                            " searches; thread CPU p99 " + ms(cpu.p99())});
        auto variantRow = [&](const std::string& name, const Samples& samples) {
            rows.push_back({"  " + name + " p99, " + label, ms(samples.p99()), "<= " + ms(target),
                            samples.p99() <= target, "median " + ms(samples.median())});
        };
        variantRow("no filters", plain);
        variantRow("neighbourhood", byArea);
        variantRow("open now", byOpen);
        variantRow("neighbourhood + open now", byBoth);

        Samples browse;
        // --query is for profiling one query: skip the other sections.
        const std::vector<TaxonomyTerm> needs =
            options.queries == kQueries ? store.needs() : std::vector<TaxonomyTerm>{};
        for (int rep = 0; rep < options.reps * 4; ++rep) {
            for (const TaxonomyTerm& need : needs) {
                for (bool withArea : {false, true}) {
                    SearchRequest request;
                    request.filters.needCode = need.code;
                    request.filters.neighbourhood = withArea ? neighbourhood : "";
                    start = Clock::now();
                    store.search(request, now);
                    browse.add(bench::millisecondsSince(start));
                }
            }
        }
        rows.push_back(
            {"browse by need p99, " + label, ms(browse.p99()), "<= " + ms(target),
             browse.p99() <= target,
             "median " + ms(browse.median()) + ", " + std::to_string(browse.size()) + " browses"});

        Samples detail;
        for (int rep = 0; rep < (needs.empty() ? 0 : options.reps * 40); ++rep) {
            const std::string id =
                "svc-" + std::to_string(1 + (static_cast<std::size_t>(rep) * 7919) % size);
            start = Clock::now();
            const auto page = store.service(id);
            detail.add(bench::millisecondsSince(start));
            if (!page) {
                std::cerr << "missing " << id << "\n";
                return 1;
            }
        }
        rows.push_back({"service() detail load p99, " + label, ms(detail.p99()), "<= " + ms(target),
                        detail.p99() <= target, "median " + ms(detail.median())});
        if (options.slowest) {
            std::sort(slowest.rbegin(), slowest.rend());
            for (std::size_t i = 0; i < std::min<std::size_t>(15, slowest.size()); ++i) {
                std::cerr << "slowest (thread CPU): " << ms(slowest[i].first) << " "
                          << slowest[i].second << "\n";
            }
        }
        bench::printTable("Directory search, " + label + " services (file-backed, Europe/London)",
                          rows);
        if (script != bench::Script::Latin) {
            std::cout << "queries typed: ";
            for (const std::string& query : queries) {
                std::cout << query << (query == queries.back() ? "\n" : " / ");
            }
        }
        if (emptyResults > 0) {
            std::cerr << emptyResults << " queries found nothing at " << label << "\n";
        }
    }
    if (options.keep) {
        std::cerr << "kept " << options.dir << "\n";
    } else {
        std::error_code ignored;
        std::filesystem::remove_all(options.dir, ignored);
    }
    return 0;
}
