// The pieces under the screens: themes meet their contrast, layout meets the touch-target size,
// the text module wraps and falls back, the UiMap serialises, and every control on the main
// screens is at least one touch target in both orientations.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/common/log.h"
#include "core/session/kiosk_session.h"
#include "support/test_support.h"
#include "ui/layout.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "ui/ui_map.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace signpost::ui;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

TEST_CASE("themes: every text colour pair meets its contrast ratio", "[ui][theme]") {
    CHECK(contrastRatio(IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255)) == Approx(21.0));
    CHECK(contrastRatio(IM_COL32(119, 119, 119, 255), IM_COL32(255, 255, 255, 255)) ==
          Approx(4.48).epsilon(0.01));
    for (const auto& [name, pair] : textPairs(normalPalette())) {
        INFO("normal theme: " << name);
        CHECK(contrastRatio(pair.first, pair.second) >= 4.5);
    }
    for (const auto& [name, pair] : textPairs(highContrastPalette())) {
        INFO("high contrast theme: " << name);
        CHECK(contrastRatio(pair.first, pair.second) >= 7.0);
    }
    // Outlines stand out from what they sit on (WCAG 1.4.11: 3:1).
    CHECK(contrastRatio(normalPalette().border, normalPalette().surface) >= 3.0);
    CHECK(contrastRatio(highContrastPalette().border, highContrastPalette().surface) >= 3.0);
}

TEST_CASE("layout: touch targets are at least 64 px per 1080 and at least 9 mm", "[ui][layout]") {
    const Layout landscape = computeLayout(1920, 1080, 0, TextSize::Normal, false);
    CHECK_FALSE(landscape.portrait);
    CHECK(landscape.target >= 64);
    const Layout portrait = computeLayout(1080, 1920, 0, TextSize::Normal, false);
    CHECK(portrait.portrait);
    CHECK(portrait.target == landscape.target);
    // A small, dense screen (10" at 1080p ≈ 8.7 px/mm): 9 mm is more than 64 px.
    const Layout dense = computeLayout(1920, 1080, 8.7f, TextSize::Normal, false);
    CHECK(dense.target >= 9 * 8.7f - 0.5f);
    // A 4K screen scales everything.
    const Layout big = computeLayout(3840, 2160, 0, TextSize::Normal, false);
    CHECK(big.target >= 128);
    // Text grows in three steps.
    const Layout large = computeLayout(1920, 1080, 0, TextSize::Large, false);
    const Layout largest = computeLayout(1920, 1080, 0, TextSize::Largest, false);
    CHECK(large.bodySize > landscape.bodySize);
    CHECK(largest.bodySize > large.bodySize);
    CHECK(largest.bodySize == Approx(landscape.bodySize * 1.5f).margin(1));
    CHECK(computeLayout(1920, 1080, 0, TextSize::Normal, true).border > landscape.border);
}

namespace {

// A headless ImGui context with fonts built, for the text module on its own.
struct FontContext {
    ImGuiContext* context = ImGui::CreateContext();
    Layout layout = computeLayout(1920, 1080, 0, TextSize::Normal, false);
    Text text;
    explicit FontContext(FontConfig config = defaultFontConfig()) : text(std::move(config)) {
        text.build(*ImGui::GetIO().Fonts);
        text.setLayout(layout);
    }
    ~FontContext() { ImGui::DestroyContext(context); }
};

}  // namespace

TEST_CASE("text: wrapping at spaces, breaking long words, paragraphs, ellipsis", "[ui][text]") {
    FontContext f;
    Text& text = f.text;
    const float word = text.width(TextStyle::Body, "support");
    CHECK(word > 0);
    CHECK(text.width(TextStyle::Body, "support support") > word * 2);

    const auto lines = text.wrap(TextStyle::Body, "local support near you", word * 1.6f);
    REQUIRE(lines.size() >= 2);
    CHECK(lines[0] == "local");
    for (std::string_view line : lines) {
        CHECK(text.width(TextStyle::Body, line) <= word * 1.6f + 0.5f);
        CHECK((line.empty() || line.back() != ' '));
    }
    const auto paragraphs = text.wrap(TextStyle::Body, "one\n\ntwo", 10000);
    REQUIRE(paragraphs.size() == 3);
    CHECK(paragraphs[1].empty());
    CHECK(paragraphs[2] == "two");
    const auto broken = text.wrap(TextStyle::Body, "Konstantynopolitańczykowianeczka", word);
    CHECK(broken.size() >= 3);
    std::string joined;
    for (std::string_view line : broken) {
        joined += line;
        CHECK(text.width(TextStyle::Body, line) <= word + 0.5f);
    }
    CHECK(joined == "Konstantynopolitańczykowianeczka");  // no letter lost, none split in half
    CHECK(text.height(TextStyle::Body, "one\ntwo", 10000) > text.size(TextStyle::Body) * 2);
    CHECK(text.wrap(TextStyle::Body, "", 100).size() == 1);
    // Latin line boxes are Layout's sizes, as ImGui's baked fonts were.
    CHECK(text.size(TextStyle::Body) == Approx(f.layout.bodySize).margin(0.01));
    CHECK(text.size(TextStyle::Title) == Approx(f.layout.titleSize).margin(0.01));
    // A right-to-left script's line box is taller.
    text.setLanguage("ur", true);
    CHECK(text.size(TextStyle::Body) > f.layout.bodySize * 1.2f);
    text.setLanguage("en", false);
}

TEST_CASE("text: fonts come from fonts.json, with fallbacks that never crash", "[ui][text]") {
    setLogToStderr(false);
    SECTION("the repository's fonts.json") {
        const FontConfig config = loadFontConfig(test::assetsDir());
        REQUIRE(config.families.size() >= 7);
        CHECK(config.families.front().regular.front().file.string().find("NotoSans-Regular") !=
              std::string::npos);
        const auto cjk =
            std::find_if(config.families.begin(), config.families.end(),
                         [](const auto& f) { return f.name == "chinese-traditional"; });
        REQUIRE(cjk != config.families.end());
        CHECK(cjk->regular.front().index == 3);
        CHECK(cjk->languages == std::vector<std::string>{"zh-Hant"});
        CHECK(config.families ==
              defaultFontConfig().families);  // the file and the built-in list agree
    }
    SECTION("a missing or malformed file gives the built-in list") {
        test::TempDir dir("fonts");
        CHECK(loadFontConfig(dir.path()).families == defaultFontConfig().families);
        test::writeText(dir / "fonts.json",
                        R"({"families": [{"name": "x", "scripts": ["Latn"]}]})");
        CHECK(loadFontConfig(dir.path()).families == defaultFontConfig().families);
        test::writeText(
            dir / "fonts.json",
            R"({"families": [{"name": "x", "scripts": ["Latn"], "regular": ["a.ttf"], "scale": 9}]})");
        CHECK(loadFontConfig(dir.path()).families == defaultFontConfig().families);
        test::writeText(
            dir / "fonts.json",
            R"({"families": [{"name": "mine", "scripts": ["Latn"], "regular": ["mine.ttf"], "bold": ["/x/b.ttc#2"], "ascent": 1.1}]})");
        const FontConfig relative = loadFontConfig(dir.path());
        REQUIRE(relative.families.size() == 1);
        CHECK(relative.families[0].regular[0].file == dir.path() / "mine.ttf");
        CHECK(relative.families[0].bold[0].file == "/x/b.ttc");
        CHECK(relative.families[0].bold[0].index == 2);
        CHECK(relative.families[0].ascent == Approx(1.1f));
    }
    SECTION("no usable font file: text measures nothing and draws nothing, without crashing") {
        FontConfig config;
        text::FontFamily latin;
        latin.name = "latin";
        latin.scripts = {"Latn", "Zyyy"};
        latin.regular = {{"/nonexistent/regular.ttf", 0}};
        config.families.push_back(latin);
        FontContext f(config);
        CHECK(f.text.sourceFile(TextStyle::Body).empty());
        CHECK(f.text.width(TextStyle::Body, "abc") == 0);
        CHECK(f.text.size(TextStyle::Body) > 0);
        CHECK_FALSE(f.text.hasGlyph(U'a'));
    }
    SECTION("a missing bold face is synthesised from the regular one") {
        FontConfig config = defaultFontConfig();
        config.families[0].bold = {{"/nonexistent/bold.ttf", 0}};
        FontContext f(config);
        CHECK(f.text.sourceFile(TextStyle::Bold) == f.text.sourceFile(TextStyle::Body));
        CHECK(f.text.hasGlyph(U'ł'));
        CHECK(f.text.width(TextStyle::Bold, "Gotowe") > 0);
    }
}

TEST_CASE("the UiMap lists ids and rectangles as JSON", "[ui][map]") {
    UiMap map;
    map.beginFrame("home");
    map.add("home.need.food", 10, 20, 300, 120);
    map.add("global.finish", 1600, 8, 280, 64, false);
    CHECK(map.frameNumber() == 1);
    REQUIRE(map.find("global.finish"));
    CHECK_FALSE(map.find("global.finish")->enabled);
    CHECK_FALSE(map.find("nope"));
    const auto json = nlohmann::json::parse(map.toJson());
    CHECK(json["screen"] == "home");
    CHECK(json["frame"] == 1);
    REQUIRE(json["elements"].size() == 2);
    CHECK(json["elements"][0]["id"] == "home.need.food");
    CHECK(json["elements"][0]["w"] == 300);
    CHECK(json["elements"][1]["enabled"] == false);
    map.beginFrame("results");
    CHECK(map.elements().empty());
    CHECK(map.frameNumber() == 2);
}

namespace {

// Every control wholly on screen is at least one touch target high and wide.
void checkTargets(UiDriver& ui, const char* where) {
    INFO(where << " on " << ui.screen());
    const float target = computeLayout(1920, 1080, 0, TextSize::Normal, false).target;
    std::vector<UiElement> areas;
    for (const UiElement& element : ui.map().elements()) {
        if (element.id.find(".scroll") != std::string::npos || element.id == "results.list" ||
            element.id == "chooser.list") {
            areas.push_back(element);
        }
    }
    const std::vector<std::string> notControls{
        "keyboard.panel",    "referral.progress",      "referral.safety_line",
        "staff.pin.display", "referral.submit_error",  "idle.panel",
        "staff.sync",        "referral.done.reference"};
    std::size_t checked = 0;
    for (const UiElement& element : ui.map().elements()) {
        if (std::find(notControls.begin(), notControls.end(), element.id) != notControls.end() ||
            std::find_if(areas.begin(), areas.end(),
                         [&](const UiElement& a) { return a.id == element.id; }) != areas.end()) {
            continue;
        }
        // Skip rows cut by the edge of a scrolling area: only their visible part is mapped.
        const bool cut = std::any_of(areas.begin(), areas.end(), [&](const UiElement& a) {
            return element.x >= a.x && element.x < a.x + a.width &&
                   (std::abs(element.y - a.y) < 1 ||
                    std::abs(element.y + element.height - (a.y + a.height)) < 1);
        });
        if (cut) {
            continue;
        }
        INFO(element.id << " " << element.width << "x" << element.height);
        CHECK(element.height >= target - 0.5f);
        CHECK(element.width >= target - 0.5f);
        ++checked;
    }
    CHECK(checked > 5);
}

}  // namespace

TEST_CASE("every control on the main screens is at least one touch target", "[ui][layout]") {
    setLogToStderr(false);
    for (const auto& [width, height] : {std::pair{1920.0f, 1080.0f}, std::pair{1080.0f, 1920.0f}}) {
        DYNAMIC_SECTION(width << "x" << height) {
            test::TempDir dir("ui-targets");
            TestKiosk kiosk(dir.path(), test::assetsDir());
            UiDriver ui(kiosk.runtime, width, height);
            checkTargets(ui, "home");
            REQUIRE(ui.press("home.neighbourhood"));
            checkTargets(ui, "neighbourhood chooser");
            REQUIRE(ui.press("chooser.close"));
            REQUIRE(ui.press("home.need.food"));
            checkTargets(ui, "results");
            REQUIRE(ui.pressFirst("results.item."));
            checkTargets(ui, "service");
            REQUIRE(ui.press("global.finish"));
            REQUIRE(ui.scrollIntoView("home.general_referral", "home.scroll"));
            REQUIRE(ui.press("home.general_referral"));
            checkTargets(ui, "needs step");
            REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
            REQUIRE(ui.press("referral.need.food"));
            REQUIRE(ui.press("referral.next"));
            REQUIRE(ui.press("referral.name"));
            checkTargets(ui, "contact step with the keyboard");
            REQUIRE(ui.press("keyboard.done"));
            REQUIRE(ui.hold("global.staff_corner", 3.2));
            checkTargets(ui, "PIN pad");
        }
    }
}

TEST_CASE("high contrast and text size are reachable from every screen", "[ui][layout]") {
    setLogToStderr(false);
    test::TempDir dir("ui-global");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    auto checkGlobals = [&] {
        INFO(ui.screen());
        CHECK(ui.find("global.text_size"));
        CHECK(ui.find("global.contrast"));
        CHECK(ui.find("global.finish"));
        CHECK(ui.find("global.language"));
        CHECK(ui.find("global.staff_corner"));
    };
    checkGlobals();
    REQUIRE(ui.press("home.need.food"));
    checkGlobals();
    CHECK(ui.find("global.back"));
    REQUIRE(ui.pressFirst("results.item."));
    checkGlobals();
    REQUIRE(ui.press("global.contrast"));
    CHECK(ui.app().session().highContrast());
    REQUIRE(ui.press("global.text_size"));
    CHECK(ui.app().session().textSize() == TextSize::Large);
    CHECK_FALSE(ui.app().fontAtlasStale());  // the driver rebuilt it, as the shell does
    checkGlobals();
    REQUIRE(ui.press("global.text_size"));
    REQUIRE(ui.press("global.text_size"));
    CHECK(ui.app().session().textSize() == TextSize::Normal);
}
