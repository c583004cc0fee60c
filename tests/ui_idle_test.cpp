// Idle and privacy, headless: the "Do you need more time?" countdown, the full reset after it
// (every field wiped, every choice and scroll position back to the start, the venue's text size,
// contrast and language), "Finish and clear" doing the same, and a pristine kiosk resetting
// silently.
#include <catch2/catch.hpp>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/session/kiosk_session.h"
#include "support/test_support.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

namespace {

constexpr int kTimeout = 60;
constexpr int kWarning = 25;

TestKioskOptions idleOptions() {
    TestKioskOptions options;
    options.idleTimeoutSeconds = kTimeout;
    options.idleWarningSeconds = kWarning;
    options.textSize = TextSize::Normal;
    return options;
}

// Touches everything a visit can touch: search text, filters, a scrolled list, display
// choices, and a referral form with every text field typed.
void busyVisit(UiDriver& ui) {
    REQUIRE(ui.press("home.search"));
    REQUIRE(ui.typeKeys("advice"));
    REQUIRE(ui.press("keyboard.done"));
    REQUIRE(ui.screen() == "results");
    REQUIRE(ui.press("results.filter.free"));
    REQUIRE(ui.press("results.filter.open_now"));
    REQUIRE(ui.press("results.filter.open_now"));
    REQUIRE(ui.press("results.neighbourhood"));
    REQUIRE(ui.press("home.neighbourhood.option.0"));
    REQUIRE(ui.press("global.text_size"));
    REQUIRE(ui.press("global.contrast"));
    REQUIRE(ui.press("global.language"));
    REQUIRE(ui.press("language.option.pl"));
    const auto list = ui.find("results.list");
    REQUIRE(list);
    ui.drag({list->x + 200, list->y + list->height - 40}, {list->x + 200, list->y + 40}, 0.5, 10,
            false);
    ui.wait(0.2, 1.0 / 60);
    ui.release();
    ui.settle();
    REQUIRE(ui.app().scrollOffset("results.list") > 0);
    REQUIRE(ui.scrollIntoView("results.ask_link_worker", "results.list"));
    REQUIRE(ui.press("results.ask_link_worker"));
    REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
    REQUIRE(ui.press("referral.need.food"));
    REQUIRE(ui.scrollIntoView("referral.needs_text", "referral.needs.scroll"));
    REQUIRE(ui.typeText("referral.needs_text", "private words"));
    REQUIRE(ui.press("referral.next"));
    REQUIRE(ui.typeText("referral.name", "Ana"));
    REQUIRE(ui.scrollIntoView("referral.phone", "referral.contact.scroll"));
    REQUIRE(ui.typeText("referral.phone", "07700900123"));
    REQUIRE(ui.scrollIntoView("referral.email", "referral.contact.scroll"));
    REQUIRE(ui.typeText("referral.email", "ana@example.org"));
    REQUIRE(ui.scrollIntoView("referral.name", "referral.contact.scroll"));
    REQUIRE(ui.press("referral.name"));  // leave the keyboard up, mid-edit
    REQUIRE(ui.app().keyboardShown());
    const KioskSession& session = ui.app().session();
    REQUIRE_FALSE(session.form().name.empty());
    REQUIRE(session.highContrast());
}

void checkFreshVisit(UiDriver& ui, const TestKiosk& kiosk) {
    const KioskSession& session = ui.app().session();
    CHECK(ui.screen() == "home");
    CHECK(session.screen() == Screen::Home);
    CHECK(session.isPristine());
    CHECK_FALSE(session.canGoBack());
    CHECK(session.searchText().empty());
    CHECK(session.serviceId().empty());
    CHECK(session.filters().neighbourhood == kiosk.runtime.config.neighbourhood);
    CHECK(session.filters().needCode.empty());
    CHECK_FALSE(session.filters().openNow);
    CHECK_FALSE(session.filters().freeOnly);
    CHECK_FALSE(session.filters().dropInOnly);
    CHECK(session.filters().languageCode.empty());
    const ReferralForm& form = session.form();
    CHECK(form.name.empty());
    CHECK(form.phone.empty());
    CHECK(form.email.empty());
    CHECK(form.needsText.empty());
    CHECK(form.accessNeeds.empty());
    CHECK(form.needCodes.empty());
    CHECK_FALSE(form.consentGiven);
    CHECK(session.textSize() == kiosk.runtime.config.textSize);
    CHECK(session.highContrast() == kiosk.runtime.config.highContrast);
    CHECK(session.language() == "en");
    CHECK(kiosk.runtime.i18n.language() == "en");
    CHECK(ui.app().scrollOffset("results.list") == 0);
    CHECK(ui.app().scrollOffset("referral.needs.scroll") == 0);
    CHECK(ui.app().scrollOffset("referral.contact.scroll") == 0);
    CHECK(ui.app().scrollOffset("home.scroll") == 0);
    CHECK_FALSE(ui.app().keyboardShown());
    CHECK(ui.app().focusedField().empty());
}

}  // namespace

TEST_CASE("after the idle timeout and its countdown, everything is wiped", "[ui][idle]") {
    setLogToStderr(false);
    test::TempDir dir("ui-idle");
    TestKiosk kiosk(dir.path(), test::assetsDir(), idleOptions());
    UiDriver ui(kiosk.runtime);
    busyVisit(ui);
    const std::string screen = ui.screen();
    REQUIRE(screen == "referral.contact");

    ui.wait(kTimeout - 2);
    CHECK(ui.screen() == screen);  // not yet
    ui.wait(3);
    REQUIRE(ui.screen() == screen + "+idle");
    CHECK(ui.find("idle.yes"));
    CHECK_FALSE(ui.find("referral.next"));  // nothing under the question can be pressed
    // The next frame is due within a second: the countdown ticks.
    const auto wake = ui.app().nextWakeUp();
    REQUIRE(wake);

    SECTION("a stray touch is not an answer; the countdown runs its full 20+ seconds") {
        ui.tapAt({10, 900});
        CHECK(ui.screen() == screen + "+idle");
        ui.wait(kWarning - 3);
        CHECK(ui.screen() == screen + "+idle");
        ui.wait(4);
        checkFreshVisit(ui, kiosk);
    }
    SECTION("\"Yes\" keeps everything") {
        REQUIRE(ui.press("idle.yes"));
        CHECK(ui.screen() == screen);
        CHECK(ui.app().session().text(TextTarget::Name) == "Ana");
        CHECK(ui.app().session().highContrast());
        // And the clock starts again from the answer.
        ui.wait(kTimeout - 2);
        CHECK(ui.screen() == screen);
    }
}

TEST_CASE("the \"Finish and clear\" button wipes everything at once", "[ui][idle]") {
    setLogToStderr(false);
    test::TempDir dir("ui-finish");
    TestKiosk kiosk(dir.path(), test::assetsDir(), idleOptions());
    UiDriver ui(kiosk.runtime);
    busyVisit(ui);
    REQUIRE(ui.press("global.finish"));
    checkFreshVisit(ui, kiosk);
    CHECK(ui.app().session().resetCount() == 1);
}

TEST_CASE("an untouched kiosk never asks, it resets silently", "[ui][idle]") {
    setLogToStderr(false);
    test::TempDir dir("ui-pristine");
    TestKiosk kiosk(dir.path(), test::assetsDir(), idleOptions());
    UiDriver ui(kiosk.runtime);
    for (int i = 0; i < 5; ++i) {
        ui.wait(kTimeout);
        CHECK(ui.screen() == "home");
    }
    CHECK(ui.app().session().isPristine());
    CHECK(ui.app().session().resetCount() == 0);

    SECTION("but a kiosk someone touched does ask") {
        REQUIRE(ui.press("global.text_size"));
        ui.wait(kTimeout + 1);
        CHECK(ui.screen() == "home+idle");
    }
}

TEST_CASE("render on demand: idle frames are not needed until the timer", "[ui][idle]") {
    setLogToStderr(false);
    test::TempDir dir("ui-wake");
    TestKiosk kiosk(dir.path(), test::assetsDir(), idleOptions());
    UiDriver ui(kiosk.runtime);
    ui.settle();
    CHECK_FALSE(ui.app().isAnimating());
    const auto wake = ui.app().nextWakeUp();
    REQUIRE(wake);
    ui.frame();
    const auto later = ui.app().nextWakeUp();
    REQUIRE(later);
    CHECK(*later == *wake);  // a frame with no input moves nothing
}

TEST_CASE("render on demand: a list with \"Open now\" wakes at the next minute", "[ui][idle]") {
    setLogToStderr(false);
    test::TempDir dir("ui-minute");
    TestKiosk kiosk(dir.path(), test::assetsDir());  // idle timeout 90 s
    UiDriver ui(kiosk.runtime);
    ui.setWallClock(*parseIsoUtc("2026-11-23T11:00:20Z"));
    ui.frame();
    // Home shows no opening times: the next wake-up is the idle timer's, 90 s away.
    const auto homeWake = ui.app().nextWakeUp();
    REQUIRE(homeWake);
    CHECK(*homeWake - ui.now() > std::chrono::seconds(85));
    REQUIRE(ui.press("home.neighbourhood"));
    REQUIRE(ui.press("home.neighbourhood.option.0"));
    REQUIRE(ui.press("home.need.food"));
    ui.settle();
    CHECK_FALSE(ui.app().isAnimating());
    // Results with opening hours: wake when the wall clock's minute turns (within 40 s of :20).
    const auto wake = ui.app().nextWakeUp();
    REQUIRE(wake);
    CHECK(*wake - ui.now() <= std::chrono::seconds(41));
    CHECK(*wake > ui.now());
}
