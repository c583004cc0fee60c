// Touch behaviour, headless: drags scroll with inertia and press nothing, taps press, the on-screen
// keyboard types every layout and never covers the field being typed into.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/common/log.h"
#include "core/session/kiosk_session.h"
#include "support/test_support.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using signpost::ui::testing::Point;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

namespace {

Point centreOf(const ui::UiElement& element) {
    return {element.x + element.width * 0.5f, element.y + element.height * 0.5f};
}

// A broad list: everything in the city (no need, anywhere).
void openBrowse(UiDriver& ui) {
    REQUIRE(ui.press("home.neighbourhood"));
    REQUIRE(ui.press("home.neighbourhood.option.0"));
    REQUIRE(ui.pressFirst("home.need."));
    REQUIRE(ui.screen() == "results");
    REQUIRE(ui.press("results.need.clear"));
    REQUIRE(ui.find("results.item.0"));
}

void reachContactStep(UiDriver& ui) {
    REQUIRE(ui.scrollIntoView("home.general_referral", "home.scroll"));
    REQUIRE(ui.press("home.general_referral"));
    REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
    REQUIRE(ui.press("referral.need.food"));
    REQUIRE(ui.press("referral.next"));
    REQUIRE(ui.screen() == "referral.contact");
}

// Focuses `field` and checks it sits wholly above the keyboard, as tall as without it, before
// and after typing (`typedField`: where the text lands, when typing moves to another screen).
void checkAboveKeyboard(UiDriver& ui, std::string field, const std::string& area, const char* typed,
                        const std::string& typedField = {}) {
    INFO("field " << field);
    REQUIRE(ui.scrollIntoView(field, area));
    const float fullHeight = ui.find(field)->height;
    REQUIRE(ui.press(field));
    REQUIRE(ui.app().keyboardShown());
    auto check = [&] {
        const auto panel = ui.find("keyboard.panel");
        const auto rect = ui.find(field);
        REQUIRE(panel);
        REQUIRE(rect);
        CHECK(rect->height == Approx(fullHeight));  // not cut by the edge of the view
        CHECK(rect->y + rect->height <= panel->y);
        CHECK(rect->y >= 0);
    };
    check();
    REQUIRE(ui.typeKeys(typed));
    if (!typedField.empty()) {
        field = typedField;  // the same text field, on the screen typing opened
        REQUIRE(ui.app().keyboardShown());
    }
    check();
    REQUIRE(ui.press("keyboard.done"));
    CHECK_FALSE(ui.app().keyboardShown());
}

}  // namespace

TEST_CASE("a drag scrolls the list with inertia and presses nothing, a tap presses", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-drag");
    TestKioskOptions options;
    options.syntheticServices = 2000;
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    openBrowse(ui);
    const auto row = ui.find("results.item.2");
    REQUIRE(row);
    const Point start = centreOf(*row);

    ui.drag(start, {start.x, start.y - 400}, 0.2, 12);
    CHECK(ui.screen() == "results");  // the row the finger started on was not opened
    const float lifted = ui.app().scrollOffset("results.list");
    CHECK(lifted >= 390);
    // Inertia: it keeps going after the finger lifts, slows, and stops.
    CHECK(ui.app().isAnimating());
    ui.frame();
    ui.frame();
    const float coasting = ui.app().scrollOffset("results.list");
    CHECK(coasting > lifted);
    ui.settle(600);
    const float stopped = ui.app().scrollOffset("results.list");
    CHECK(stopped > coasting);
    CHECK_FALSE(ui.app().isAnimating());

    SECTION("a touch on a moving list stops it and opens nothing") {
        const auto visible = ui.findFirst("results.item.");
        REQUIRE(visible);
        const Point at = centreOf(*visible);
        ui.drag({at.x, at.y + 200}, {at.x, at.y - 300}, 0.15, 8);
        REQUIRE(ui.app().isAnimating());
        ui.tapAt(at);
        CHECK(ui.screen() == "results");
        const float held = ui.app().scrollOffset("results.list");
        ui.settle();
        CHECK(ui.app().scrollOffset("results.list") == held);
    }
    SECTION("a tap that wobbles a few pixels is still a tap") {
        const auto visible = ui.findFirst("results.item.");
        REQUIRE(visible);
        const Point at = centreOf(*visible);
        ui.drag(at, {at.x + 4, at.y + 3}, 0.1, 3);
        ui.settle();
        CHECK(ui.screen() == "service");
    }
    SECTION("a drag that ends over a button does not press it") {
        const auto back = ui.find("global.back");
        REQUIRE(back);
        const auto visible = ui.findFirst("results.item.");
        ui.drag(centreOf(*visible), centreOf(*back), 0.3, 10);
        ui.settle();
        CHECK(ui.screen() == "results");
    }
}

TEST_CASE("long lists are clipped: only visible rows are drawn and mapped", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-clip");
    TestKioskOptions options;
    options.syntheticServices = 10000;
    TestKiosk kiosk(dir.path(), test::assetsDir(), options);
    UiDriver ui(kiosk.runtime);
    openBrowse(ui);
    std::size_t rows = 0;
    for (const ui::UiElement& element : ui.map().elements()) {
        rows += element.id.rfind("results.item.", 0) == 0 ? 1 : 0;
    }
    CHECK(rows > 3);
    CHECK(rows < 40);
    // Far down the list, still only a screenful.
    const auto list = ui.find("results.list");
    REQUIRE(list);
    for (int i = 0; i < 5; ++i) {
        ui.drag({list->x + 300, list->y + list->height - 20}, {list->x + 300, list->y + 20}, 0.05,
                3);
    }
    ui.settle(2000);
    CHECK(ui.app().scrollOffset("results.list") > 3000);
    CHECK_FALSE(ui.find("results.item.0"));
    rows = 0;
    for (const ui::UiElement& element : ui.map().elements()) {
        rows += element.id.rfind("results.item.", 0) == 0 ? 1 : 0;
    }
    CHECK(rows < 40);
}

TEST_CASE("the keyboard never covers the field being typed into", "[ui]") {
    setLogToStderr(false);
    struct Case {
        float width, height;
        TextSize size;
    };
    const Case cases[] = {{1920, 1080, TextSize::Normal},
                          {1080, 1920, TextSize::Normal},
                          {1920, 1080, TextSize::Largest},
                          {1080, 1920, TextSize::Largest}};
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.width << "x" << c.height << " text " << toString(c.size)) {
            test::TempDir dir("ui-keyboard");
            TestKioskOptions options;
            options.textSize = c.size;
            TestKiosk kiosk(dir.path(), test::assetsDir(), options);
            UiDriver ui(kiosk.runtime, c.width, c.height);
            checkAboveKeyboard(ui, "home.search", "home.scroll", "x", "results.search");
            REQUIRE(ui.press("global.finish"));
            reachContactStep(ui);
            checkAboveKeyboard(ui, "referral.name", "referral.contact.scroll", "Ana");
            checkAboveKeyboard(ui, "referral.phone", "referral.contact.scroll", "0161");
            checkAboveKeyboard(ui, "referral.email", "referral.contact.scroll", "a@b");
            REQUIRE(ui.press("referral.back"));
            checkAboveKeyboard(ui, "referral.needs_text", "referral.needs.scroll", "Hello there");
        }
    }
}

TEST_CASE("each field gets its keyboard, shift, accents, symbols, backspace", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-keys");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    reachContactStep(ui);
    const KioskSession& session = ui.app().session();

    SECTION("phone: a keypad with + and space") {
        REQUIRE(ui.press("referral.phone"));
        CHECK(ui.find("keyboard.key.+"));
        CHECK(ui.find("keyboard.key.7"));
        CHECK_FALSE(ui.find("keyboard.key.q"));
        REQUIRE(ui.typeKeys("+44 161"));
        CHECK(session.text(TextTarget::Phone) == "+44 161");
    }
    SECTION("email: @ . and the .co.uk and .com keys") {
        REQUIRE(ui.press("referral.email"));
        CHECK(ui.find("keyboard.key.@"));
        REQUIRE(ui.typeKeys("ana@example"));
        REQUIRE(ui.press("keyboard.key.co_uk"));
        CHECK(session.text(TextTarget::Email) == "ana@example.co.uk");
        REQUIRE(ui.press("keyboard.key.com"));
        CHECK(session.text(TextTarget::Email) == "ana@example.co.uk.com");
    }
    SECTION("name: shift is one-shot; accents page; symbols page") {
        REQUIRE(ui.press("referral.name"));
        CHECK(ui.find("keyboard.accents"));
        REQUIRE(ui.press("keyboard.shift"));
        REQUIRE(ui.press("keyboard.key.a"));
        REQUIRE(ui.press("keyboard.key.n"));
        CHECK(session.text(TextTarget::Name) == "An");
        REQUIRE(ui.press("keyboard.accents"));
        REQUIRE(ui.press("keyboard.shift"));
        REQUIRE(ui.press("keyboard.key.ł"));
        CHECK(session.text(TextTarget::Name) == "AnŁ");
        REQUIRE(ui.typeKeys("ó&'"));
        CHECK(session.text(TextTarget::Name) == "AnŁó&'");
    }
    SECTION("backspace deletes one letter; held, it repeats") {
        REQUIRE(ui.press("referral.name"));
        REQUIRE(ui.typeKeys("Paweł"));
        REQUIRE(ui.press("keyboard.backspace"));
        CHECK(session.text(TextTarget::Name) == "Pawe");
        REQUIRE(ui.hold("keyboard.backspace", 0.9));
        CHECK(session.text(TextTarget::Name).size() < 3);
    }
    SECTION("a physical keyboard types into the focused field too (staff)") {
        REQUIRE(ui.press("referral.name"));
        ui.typePhysical("Ana\x01 Nowak");
        CHECK(session.text(TextTarget::Name) == "Ana Nowak");
    }
    SECTION("a field stops at its cap however it is typed") {
        REQUIRE(ui.press("referral.name"));
        ui.typePhysical(std::string(150, 'x'));
        CHECK(session.text(TextTarget::Name).size() == kMaxNameLength);
    }
    SECTION("leaving the screen closes the keyboard") {
        REQUIRE(ui.press("referral.name"));
        REQUIRE(ui.app().keyboardShown());
        REQUIRE(ui.press("referral.back"));
        CHECK_FALSE(ui.app().keyboardShown());
        CHECK(ui.app().focusedField().empty());
    }
}

TEST_CASE("the Arabic keyboard's second page and back, by touch, in a mirrored frame", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-keys-ar");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    kiosk.runtime.i18n = I18n::load(test::assetsDir() / "i18n", {"en", "ar"});
    kiosk.runtime.config.languages = {"en", "ar"};
    kiosk.runtime.config.defaultLanguage = "ar";
    UiDriver ui(kiosk.runtime);
    reachContactStep(ui);
    const KioskSession& session = ui.app().session();
    REQUIRE(ui.press("referral.name"));
    REQUIRE(ui.find("keyboard.key.ح"));
    REQUIRE(ui.press("keyboard.symbols"));  // there and back first, as the e2e driver does
    CHECK(ui.find("keyboard.key.#"));
    REQUIRE(ui.press("keyboard.symbols"));
    REQUIRE(ui.find("keyboard.key.ح"));
    REQUIRE(ui.press("keyboard.accents"));  // "أإآ": the second page
    REQUIRE(ui.find("keyboard.key.أ"));
    CHECK_FALSE(ui.find("keyboard.key.ح"));
    REQUIRE(ui.press("keyboard.key.أ"));
    REQUIRE(ui.press("keyboard.accents"));  // "أبت": back to the letters
    CHECK(ui.find("keyboard.key.ح"));
    REQUIRE(ui.press("keyboard.key.ح"));
    CHECK(session.text(TextTarget::Name) == "أح");
}
