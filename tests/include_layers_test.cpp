// The folders of the tree depend on each other in one direction only (issue 12, "layering with
// no loops"): no include cycle between any two folders, and each layer includes only the layers
// below it. See tests/support/include_graph.h for why.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>

#include "support/include_graph.h"
#include "support/test_support.h"

using namespace signpost::test;

namespace {

// Where the build looks for quoted includes, in its order (CMake target include directories).
const std::vector<std::string> kIncludeRoots{"kiosk", ".", "tests"};

bool isUnder(std::string_view folder, std::string_view top) {
    return folder == top || (folder.size() > top.size() && folder.substr(0, top.size()) == top &&
                             folder[top.size()] == '/');
}

// Each layer and the layers it may include (its own sub-folders always may, within the rules of
// the cycle check). Bottom first: a newcomer reads the tree in this order.
struct Layer {
    std::string folder;
    std::vector<std::string> mayInclude;
};
const std::vector<Layer> kLayers{
    {"kiosk/core", {}},
    {"kiosk/text", {"kiosk/core"}},
    {"kiosk/speech", {"kiosk/core"}},
    {"sync/protocol", {"kiosk/core"}},
    {"sync/net", {"kiosk/core", "sync/protocol"}},
    {"sync/engine", {"kiosk/core", "sync/protocol", "sync/net"}},
    // The server never includes the kiosk's client side: it must not link libcurl or the engine.
    {"sync/server", {"kiosk/core", "sync/protocol"}},
    {"sync/tool", {"kiosk/core", "sync/protocol", "sync/net"}},
    {"kiosk/ui",
     {"kiosk/core", "kiosk/text", "kiosk/speech", "sync/protocol", "sync/net", "sync/engine"}},
    {"kiosk/app",
     {"kiosk/core", "kiosk/text", "kiosk/speech", "kiosk/ui", "sync/protocol", "sync/net",
      "sync/engine"}},
};

const Layer* layerOf(std::string_view folder) {
    for (const auto& layer : kLayers) {
        if (isUnder(folder, layer.folder)) {
            return &layer;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("include graph: no include cycle between any two folders of the tree") {
    const auto graph =
        buildFolderGraph(sourceDir(), {"kiosk", "sync", "tests", "bench", "fuzz"}, kIncludeRoots);
    // The scan really reads the tree: the kiosk's UI depends on the core.
    REQUIRE(graph.count("kiosk/ui") == 1);
    REQUIRE(graph.at("kiosk/ui").count("kiosk/core/common") == 1);

    std::string report;
    for (const auto& cycle : folderCycles(graph)) {
        report += describeCycle(graph, cycle) + "\n";
    }
    INFO("include cycles (each edge with one include line that makes it):\n" << report);
    CHECK(report.empty());
}

TEST_CASE("include graph: each layer includes only the layers below it") {
    const auto graph = buildFolderGraph(sourceDir(), {"kiosk", "sync"}, kIncludeRoots);
    std::string report;
    for (const auto& [from, targets] : graph) {
        const auto* layer = layerOf(from);
        INFO("a folder in no layer: add it to kLayers: " << from);
        REQUIRE(layer != nullptr);
        for (const auto& [to, site] : targets) {
            const bool allowed =
                isUnder(to, layer->folder) ||
                std::any_of(layer->mayInclude.begin(), layer->mayInclude.end(),
                            [&](const std::string& below) { return isUnder(to, below); });
            if (!allowed) {
                report += site.fromFile + ":" + std::to_string(site.line) + " includes " +
                          site.toFile + " (" + layer->folder + " may not include " + to + ")\n";
            }
        }
    }
    INFO("upward includes:\n" << report);
    CHECK(report.empty());
}

TEST_CASE(
    "include graph: finds a cycle, names the lines that make it, and resolves like the compiler") {
    TempDir tree("include-graph");
    for (const char* folder : {"src/a", "src/b", "src/c", "src/d", "src/e"}) {
        std::filesystem::create_directories(tree / folder);
    }
    writeText(tree / "src/a/one.h", "#pragma once\n#include \"b/two.h\"\n");
    writeText(tree / "src/b/two.h", "#pragma once\n\n#include \"c/three.h\"\n");
    writeText(tree / "src/c/three.h", "#include <vector>\n#include \"a/one.h\"  // back up\n");
    // Next to the includer first: "four.h" in d/ is d's own file, not a/'s, so no edge.
    writeText(tree / "src/d/user.cpp", "#include \"four.h\"\n#include \"missing/x.h\"\n");
    writeText(tree / "src/d/four.h", "#pragma once\n");
    writeText(tree / "src/a/four.h", "#pragma once\n");
    writeText(tree / "src/e/leaf.cpp", "#include \"a/one.h\"\n");

    const auto graph = buildFolderGraph(tree.path(), {"src"}, {"src"});
    CHECK(graph.count("src/d") == 0);
    REQUIRE(graph.at("src/e").count("src/a") == 1);

    const auto cycles = folderCycles(graph);
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0] == std::vector<std::string>{"src/a", "src/b", "src/c", "src/a"});
    const auto text = describeCycle(graph, cycles[0]);
    CHECK(text.find("src/b -> src/c   (src/b/two.h:3 includes src/c/three.h)") !=
          std::string::npos);
    CHECK(text.find("src/c -> src/a   (src/c/three.h:2 includes src/a/one.h)") !=
          std::string::npos);

    // Untying the loop leaves none.
    writeText(tree / "src/c/three.h", "#include <vector>\n");
    CHECK(folderCycles(buildFolderGraph(tree.path(), {"src"}, {"src"})).empty());
}
