// The end-to-end driver's own parts that need no display: walkthrough scripts and UI-map files.
#include <catch2/catch.hpp>

#include "e2e/ui_map_reader.h"
#include "e2e/walk_script.h"
#include "support/test_support.h"

using namespace signpost::e2e;

TEST_CASE("walkthrough scripts parse into steps", "[e2e_driver]") {
    const auto steps = parseWalkScript(
        "# a comment\n"
        "\n"
        "wait-screen home\n"
        "  press home.need.food  \n"
        "press-first results.item.\n"
        "type referral.name Ana Nowak\n"
        "type referral.needs_text two  spaces kept\n"
        "screenshot 03-service\r\n"
        "expect-screen referral.done\n"
        "wait-element referral.next\n"
        "sleep 250\n"
        "hold global.staff_corner 3500\n"
        "scroll-to referral.consent.tick referral.consent.scroll\n",
        "t.walk");
    REQUIRE(steps.size() == 11);
    CHECK(steps[0].kind == WalkStep::Kind::WaitScreen);
    CHECK(steps[0].target == "home");
    CHECK(steps[0].line == 3);
    CHECK(steps[1].kind == WalkStep::Kind::Press);
    CHECK(steps[1].target == "home.need.food");
    CHECK(steps[2].kind == WalkStep::Kind::PressFirst);
    CHECK(steps[2].target == "results.item.");
    CHECK(steps[3].kind == WalkStep::Kind::Type);
    CHECK(steps[3].target == "referral.name");
    CHECK(steps[3].text == "Ana Nowak");
    CHECK(steps[4].text == "two  spaces kept");
    CHECK(steps[5].kind == WalkStep::Kind::Screenshot);
    CHECK(steps[5].target == "03-service");
    CHECK(steps[6].kind == WalkStep::Kind::ExpectScreen);
    CHECK(steps[7].kind == WalkStep::Kind::WaitElement);
    CHECK(steps[8].kind == WalkStep::Kind::Sleep);
    CHECK(steps[8].text == "250");
    CHECK(steps[9].kind == WalkStep::Kind::Hold);
    CHECK(steps[9].target == "global.staff_corner");
    CHECK(steps[9].text == "3500");
    CHECK(steps[10].kind == WalkStep::Kind::ScrollTo);
    CHECK(steps[10].target == "referral.consent.tick");
    CHECK(steps[10].text == "referral.consent.scroll");

    CHECK(typedInto(steps, "referral.name") == "Ana Nowak");
    CHECK(typedInto(steps, "referral.email").empty());
}

TEST_CASE("script mistakes are reported with file and line", "[e2e_driver]") {
    const auto fails = [](const std::string& text, const std::string& contains) {
        CHECK_THROWS_WITH(parseWalkScript(text, "bad.walk"), Catch::Contains(contains));
    };
    fails("wait-screen home\nclick home.search\n", "bad.walk:2: unknown command 'click'");
    fails("press\n", "bad.walk:1: press takes exactly one argument");
    fails("press a b\n", "takes exactly one argument");
    fails("type referral.name\n", "type needs an element id and some text");
    fails("sleep soon\n", "sleep takes milliseconds");
    fails("sleep -1\n", "sleep takes milliseconds");
    fails("screenshot ../escape\n", "a screenshot name is a plain file name");
    fails("hold global.staff_corner\n", "hold takes an element id and milliseconds");
    fails("hold global.staff_corner long\n", "hold takes milliseconds");
    fails("hold a 1 2\n", "hold takes an element id and milliseconds");
    fails("scroll-to referral.consent.tick\n",
          "scroll-to takes an element id and a scrolling area's id");
    fails("scroll-to a b c\n", "scroll-to takes an element id and a scrolling area's id");
    CHECK_THROWS_AS(loadWalkScript(signpost::test::sourceDir() / "no-such.walk"), WalkScriptError);
}

TEST_CASE("the shipped walkthroughs parse", "[e2e_driver]") {
    for (const char* name :
         {"self_referral.walk", "portrait_first_screens.walk", "staff_restart.walk",
          "self_referral_ar.walk", "readme_screens.walk", "language_tour.walk"}) {
        INFO(name);
        const auto steps = loadWalkScript(std::filesystem::path(SIGNPOST_E2E_DIR) / name);
        CHECK(steps.size() > 3);
    }
    const auto walk =
        loadWalkScript(std::filesystem::path(SIGNPOST_E2E_DIR) / "self_referral.walk");
    CHECK_FALSE(typedInto(walk, "referral.name").empty());
    CHECK_FALSE(typedInto(walk, "referral.phone").empty());
    CHECK_FALSE(typedInto(walk, "referral.email").empty());
    CHECK(walk.back().kind == WalkStep::Kind::Screenshot);
}

TEST_CASE("UI-map files are read with the window's place", "[e2e_driver]") {
    const auto map = parseUiMap(R"({"window":{"x":10,"y":20,"width":1080,"height":1920},
        "screen":"results","frame":42,"elements":[
        {"id":"results.item.10","x":0,"y":900,"w":1000,"h":100,"enabled":true},
        {"id":"results.item.2","x":0,"y":300,"w":1000,"h":100,"enabled":true},
        {"id":"results.filter.free","x":0,"y":100,"w":200,"h":80,"enabled":false},
        {"id":"results.item.3","x":0,"y":2500,"w":1000,"h":100,"enabled":true}]})");
    REQUIRE(map);
    CHECK(map->windowX == 10);
    CHECK(map->windowY == 20);
    CHECK(map->windowWidth == 1080);
    CHECK(map->screen == "results");
    CHECK(map->frame == 42);
    REQUIRE(map->elements.size() == 4);
    REQUIRE(map->find("results.item.2"));
    CHECK(map->find("results.item.2")->y == 300);
    CHECK(map->find("nope") == nullptr);

    const auto items = map->withPrefix("results.item.");
    REQUIRE(items.size() == 3);
    CHECK(items[0]->id == "results.item.2");
    CHECK(items[1]->id == "results.item.3");
    CHECK(items[2]->id == "results.item.10");

    CHECK(map->pressable(*map->find("results.item.2")));
    CHECK_FALSE(map->pressable(*map->find("results.filter.free")));  // disabled
    CHECK_FALSE(map->pressable(*map->find("results.item.3")));       // below the window
    CHECK(map->summary().find("screen 'results'") != std::string::npos);
}

TEST_CASE("half-written or foreign UI-map files are not maps", "[e2e_driver]") {
    CHECK_FALSE(parseUiMap(""));
    CHECK_FALSE(parseUiMap(R"({"window":{"x":0,"y":0,"width":1,"height":1},"screen":"home","fr)"));
    CHECK_FALSE(parseUiMap(R"({"screen":"home"})"));
    CHECK_FALSE(parseUiMap(R"({"screen":"home","elements":[{"id":"a"}]})"));
    // NaN coordinates arrive as null: the element is known but cannot be pressed.
    const auto odd = parseUiMap(R"({"window":{"x":0,"y":0,"width":100,"height":100},"screen":"home",
        "elements":[{"id":"a","x":null,"y":1,"w":10,"h":10,"enabled":true}]})");
    REQUIRE(odd);
    REQUIRE(odd->find("a"));
    CHECK_FALSE(odd->pressable(*odd->find("a")));
    CHECK_FALSE(parseUiMap("[1,2,3]"));
    CHECK_FALSE(readUiMap(signpost::test::sourceDir() / "no-such-map.json"));
    const auto minimal = parseUiMap(R"({"screen":"home","elements":[]})");
    REQUIRE(minimal);
    CHECK(minimal->elements.empty());
    CHECK(minimal->windowWidth == 0);
}
