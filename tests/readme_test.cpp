// The README's generated parts match the code, and its Quick start names scripts that exist.
//
// Generated blocks sit between `<!-- NAME:begin -->` and `<!-- NAME:end -->` lines. When one
// drifts, run `SIGNPOST_UPDATE_DOCS=1 build-ci/tests/readme_test` to rewrite it, then review the
// diff: the test fails on that run too, so a stale README never passes by accident.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "core/config/kiosk_config.h"
#include "support/test_support.h"
#include "sync/tool/pull_format.h"

using namespace signpost;
namespace fs = std::filesystem;

namespace {

fs::path readmePath() {
    return test::sourceDir() / "README.md";
}

std::string beginMarker(const std::string& name) {
    return "<!-- " + name + ":begin -->\n";
}
std::string endMarker(const std::string& name) {
    return "<!-- " + name + ":end -->\n";
}

// The text between the markers; throws when a marker is missing or out of order.
std::string blockOf(const std::string& readme, const std::string& name) {
    const std::size_t begin = readme.find(beginMarker(name));
    const std::size_t end = readme.find(endMarker(name));
    if (begin == std::string::npos || end == std::string::npos || end < begin) {
        throw std::runtime_error("README.md has no " + name + " block");
    }
    const std::size_t from = begin + beginMarker(name).size();
    return readme.substr(from, end - from);
}

bool updating() {
    const char* value = std::getenv("SIGNPOST_UPDATE_DOCS");
    return value != nullptr && std::string(value) == "1";
}

// Compares the block with what the code generates; in update mode rewrites it (and still fails,
// so the rewrite is reviewed and committed rather than silently absorbed).
void checkBlock(const std::string& name, const std::string& expected) {
    std::string readme = test::readText(readmePath());
    const std::string actual = blockOf(readme, name);
    if (actual != expected && updating()) {
        const std::size_t from = readme.find(beginMarker(name)) + beginMarker(name).size();
        readme.replace(from, actual.size(), expected);
        test::writeText(readmePath(), readme);
        FAIL("README.md block '" << name << "' rewritten; review and commit it");
    }
    INFO(
        "README.md block '" << name
                            << "' is stale: run SIGNPOST_UPDATE_DOCS=1 build-ci/tests/readme_test");
    CHECK(actual == expected);
}

std::string csvColumnsMarkdown() {
    std::string out = "| # | column |\n|---|---|\n";
    int number = 1;
    for (const char* column : tool::kCsvColumns) {
        out += "| " + std::to_string(number++) + " | " + column + " |\n";
    }
    return out;
}

}  // namespace

TEST_CASE("the README's key reference is the config key table", "[readme]") {
    checkBlock("config-keys", kioskConfigReferenceMarkdown());
    // config/kiosk.toml is the generated example (kiosk_config_test checks it); rewritten here too.
    const std::filesystem::path example = test::sourceDir() / "config" / "kiosk.toml";
    if (updating() && test::readText(example) != exampleKioskConfig()) {
        test::writeText(example, exampleKioskConfig());
        FAIL("config/kiosk.toml rewritten; review and commit it");
    }
}

TEST_CASE("the README's CSV columns are the ones signpost pull writes", "[readme]") {
    checkBlock("csv-columns", csvColumnsMarkdown());
}

TEST_CASE("the Quick start has exactly two commands, both scripts that exist", "[readme]") {
    const std::string readme = test::readText(readmePath());
    const std::size_t start = readme.find("## Quick start");
    REQUIRE(start != std::string::npos);
    const std::size_t fenceOpen = readme.find("```sh\n", start);
    REQUIRE(fenceOpen != std::string::npos);
    const std::size_t bodyStart = fenceOpen + 6;
    const std::size_t fenceClose = readme.find("```", bodyStart);
    REQUIRE(fenceClose != std::string::npos);
    const std::string body = readme.substr(bodyStart, fenceClose - bodyStart);

    std::vector<std::string> commands;
    const std::regex line(R"(^(\S+).*$)", std::regex::multiline);
    for (auto it = std::sregex_iterator(body.begin(), body.end(), line);
         it != std::sregex_iterator(); ++it) {
        commands.push_back((*it)[1].str());
    }
    REQUIRE(commands == std::vector<std::string>{"installer/demo.sh", "installer/test.sh"});
    for (const std::string& command : commands) {
        const fs::path script = test::sourceDir() / command;
        INFO(command);
        REQUIRE(fs::exists(script));
        CHECK((fs::status(script).permissions() & fs::perms::owner_exec) != fs::perms::none);
    }
    // CI runs the README's test command, not a copy of it.
    CHECK_THAT(test::readText(test::sourceDir() / ".ci/run"), Catch::Contains("installer/test.sh"));
}

TEST_CASE("every benchmark is listed in the README with its command", "[readme]") {
    const std::string figures = blockOf(test::readText(readmePath()), "bench-figures");
    for (const auto& entry : fs::directory_iterator(test::sourceDir() / "bench")) {
        const std::string name = entry.path().stem().string();
        if (entry.path().extension() == ".cpp" && name.ends_with("_bench")) {
            INFO(name);
            CHECK_THAT(figures, Catch::Contains("build-release/bench/" + name));
        }
    }
}
