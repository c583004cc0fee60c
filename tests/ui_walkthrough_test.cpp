// A resident's whole visit, driven headless through the real screens: home → need → results →
// service → "Ask them to contact me" → every step (typed on the on-screen keyboard) → submit,
// then the outbox is opened with the coordinators' key. Also: a save that fails keeps the form,
// and Polish end to end.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <sqlite3.h>

#include <algorithm>

#include "core/common/log.h"
#include "core/common/utf8.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"
#include "core/session/kiosk_session.h"
#include "core/storage/database.h"
#include "support/fault_vfs.h"
#include "support/test_support.h"
#include "ui/text.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::UiDriver;

namespace {

// From the results list, opens the first service that takes referrals.
std::string openReferrableService(UiDriver& ui) {
    for (int i = 0; i < 60; ++i) {
        const std::string id = "results.item." + std::to_string(i);
        REQUIRE(ui.scrollIntoView(id, "results.list"));
        REQUIRE(ui.press(id));
        REQUIRE(ui.screen() == "service");
        if (ui.find("service.refer")) {
            return ui.app().session().serviceId();
        }
        REQUIRE(ui.press("global.back"));
        REQUIRE(ui.screen() == "results");
    }
    FAIL("no service in the first results takes referrals");
    return {};
}

void next(UiDriver& ui, const char* expectedScreen) {
    REQUIRE(ui.press("referral.next"));
    REQUIRE(ui.screen() == expectedScreen);
}

// Home to the review screen, typing everything on the on-screen keyboard.
std::string walkToReview(UiDriver& ui) {
    REQUIRE(ui.screen() == "home");
    REQUIRE(ui.scrollIntoView("home.need.food", "home.scroll"));
    REQUIRE(ui.press("home.need.food"));
    REQUIRE(ui.screen() == "results");
    CHECK(ui.app().session().filters().needCode == "food");
    const std::string serviceId = openReferrableService(ui);
    REQUIRE(ui.press("service.refer"));
    REQUIRE(ui.screen() == "referral.needs");
    CHECK(ui.find("referral.safety_line"));
    CHECK(ui.find("referral.progress"));
    CHECK(ui.app().session().stepNumber() == 1);

    REQUIRE(ui.scrollIntoView("referral.need.money-debt", "referral.needs.scroll"));
    REQUIRE(ui.press("referral.need.money-debt"));
    REQUIRE(ui.scrollIntoView("referral.needs_text", "referral.needs.scroll"));
    REQUIRE(ui.typeText("referral.needs_text", "Help with food this week"));
    next(ui, "referral.contact");

    REQUIRE(ui.scrollIntoView("referral.name", "referral.contact.scroll"));
    REQUIRE(ui.typeText("referral.name", "Łucja Nowak-Wójcik"));
    REQUIRE(ui.scrollIntoView("referral.phone", "referral.contact.scroll"));
    REQUIRE(ui.typeText("referral.phone", "07700 900123"));
    REQUIRE(ui.scrollIntoView("referral.email", "referral.contact.scroll"));
    REQUIRE(ui.typeText("referral.email", "lucja@example.co.uk"));
    next(ui, "referral.best_time");

    REQUIRE(ui.press("referral.best_time.morning"));
    next(ui, "referral.message");
    REQUIRE(ui.press("referral.message.yes"));
    next(ui, "referral.language");
    REQUIRE(ui.scrollIntoView("referral.language.option.pl", "referral.language.scroll"));
    REQUIRE(ui.press("referral.language.option.pl"));
    REQUIRE(ui.scrollIntoView("referral.interpreter", "referral.language.scroll"));
    REQUIRE(ui.press("referral.interpreter"));
    next(ui, "referral.access");
    REQUIRE(ui.typeText("referral.access_needs", "Step-free access, please"));
    next(ui, "referral.consent");
    REQUIRE(ui.scrollIntoView("referral.consent.tick", "referral.consent.scroll"));
    REQUIRE(ui.press("referral.consent.tick"));
    next(ui, "referral.review");
    return serviceId;
}

}  // namespace

TEST_CASE("a resident walks from home to a sealed referral", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-walk");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    const std::string serviceId = walkToReview(ui);

    // What was typed is on the review screen's session, exactly.
    const KioskSession& session = ui.app().session();
    CHECK(session.text(TextTarget::Name) == "Łucja Nowak-Wójcik");
    CHECK(session.text(TextTarget::Email) == "lucja@example.co.uk");
    CHECK(kiosk.runtime.outbox->counts().queued == 0);

    REQUIRE(ui.press("referral.submit"));
    REQUIRE(ui.screen() == "referral.done");
    const std::string reference = session.reference();
    CHECK(isValidReferenceCode(reference));
    CHECK(ui.find("referral.done.reference"));
    CHECK(ui.find("referral.safety_line"));
    CHECK_FALSE(ui.find("referral.back"));  // there is no way back into the form
    CHECK(session.form().name.empty());     // wiped the moment it was stored

    const std::vector<OutboxItem> items = kiosk.runtime.outbox->allItems();
    REQUIRE(items.size() == 1);
    CHECK(items[0].reference == reference);
    CHECK(items[0].serviceId == serviceId);
    CHECK(items[0].venue == "Test Library");
    CHECK(items[0].status == OutboxStatus::Queued);
    const std::string ciphertext(items[0].sealed.begin(), items[0].sealed.end());
    CHECK(ciphertext.find("Nowak") == std::string::npos);

    const SecureBytes plaintext = kiosk.coordinators.open(items[0].sealed);
    const DecodedReferral referral = parseReferral(view(plaintext));
    CHECK(referral.kind == "service");
    CHECK(referral.serviceId == serviceId);
    CHECK(referral.name == "Łucja Nowak-Wójcik");
    CHECK(referral.phone == "07700 900123");
    CHECK(referral.email == "lucja@example.co.uk");
    CHECK(std::find(referral.needs.begin(), referral.needs.end(), "money-debt") !=
          referral.needs.end());
    CHECK(referral.needsText == "Help with food this week");
    CHECK(referral.bestTime == "morning");
    CHECK(referral.safeToLeaveMessage == "yes");
    CHECK(referral.language == "pl");
    CHECK(referral.interpreterNeeded);
    CHECK(referral.accessNeeds == "Step-free access, please");
    CHECK(referral.consentGiven);
    CHECK(referral.envelope.reference == reference);
    CHECK(referral.envelope.consentVersion == kiosk.runtime.config.consentVersion);
    CHECK(referral.envelope.deviceId == kiosk.runtime.deviceId);

    REQUIRE(ui.press("referral.done.finish"));
    CHECK(ui.screen() == "home");
    CHECK(session.reference().empty());
}

TEST_CASE("a general referral from \"I'm not sure what I need\"", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-general");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.scrollIntoView("home.general_referral", "home.scroll"));
    REQUIRE(ui.press("home.general_referral"));
    REQUIRE(ui.screen() == "referral.needs");
    CHECK(ui.app().session().form().kind == ReferralKind::General);

    SECTION("Next with nothing chosen shows the message on the step") {
        REQUIRE(ui.press("referral.next"));
        CHECK(ui.screen() == "referral.needs");
        REQUIRE(ui.app().session().fieldError(ReferralField::Needs) != nullptr);
    }
    SECTION("\"I'd rather contact them myself\" shows the link worker number and sends nothing") {
        REQUIRE(ui.scrollIntoView("referral.need.housing", "referral.needs.scroll"));
        REQUIRE(ui.press("referral.need.housing"));
        REQUIRE(ui.press("referral.next"));
        REQUIRE(ui.scrollIntoView("referral.contact_myself", "referral.contact.scroll"));
        REQUIRE(ui.press("referral.contact_myself"));
        REQUIRE(ui.screen() == "referral.contact_self");
        CHECK(ui.find("referral.safety_line"));
        REQUIRE(ui.press("referral.contact_self.finish"));
        CHECK(ui.screen() == "home");
        CHECK(kiosk.runtime.outbox->counts().queued == 0);
        CHECK(ui.app().session().form().needCodes.empty());
    }
}

TEST_CASE("a save that fails keeps the form on screen with the message", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-fail");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    const std::string path = (dir / "outbox.db").string();
    test::FaultVfs::Scope faults;

    SECTION("the disk is full") {
        kiosk.runtime.outbox =
            std::make_unique<Outbox>(path, DatabaseOptions{.vfs = test::FaultVfs::kName});
        UiDriver ui(kiosk.runtime);
        walkToReview(ui);
        test::FaultVfs::instance().failWrites(SQLITE_FULL);
        REQUIRE(ui.press("referral.submit"));
        test::FaultVfs::instance().clear();
        CHECK(ui.screen() == "referral.review");
        CHECK(ui.find("referral.submit_error"));
        CHECK(ui.app().session().submitErrorKey() == "error.submit.failed");
        CHECK(ui.app().session().text(TextTarget::Name) == "Łucja Nowak-Wójcik");
        CHECK(ui.app().session().form().consentGiven);
        CHECK(kiosk.runtime.outbox->counts().queued == 0);
        CHECK(kiosk.runtime.outbox->database().integrityCheck() == "ok");
        // Room again: the same form goes through, once.
        REQUIRE(ui.press("referral.submit"));
        CHECK(ui.screen() == "referral.done");
        CHECK(kiosk.runtime.outbox->counts().queued == 1);
    }
    SECTION("a size-limited database") {
        UiDriver ui(kiosk.runtime);
        walkToReview(ui);
        Database& db = kiosk.runtime.outbox->database();
        Statement pages = db.prepare("PRAGMA page_count");
        REQUIRE(pages.step());
        const std::int64_t count = pages.columnInt64(0);
        pages.reset();
        db.exec("PRAGMA max_page_count = " + std::to_string(count));
        // Other referrals like this one fill what room is left.
        SubmitContext context;
        context.venue = "Test Library";
        context.formVersion = "2026.11";
        context.consentVersion = "consent-2026-11-v1";
        context.deviceId = kiosk.runtime.deviceId;
        context.coordinatorKey = kiosk.runtime.coordinatorKey;
        std::size_t stored = 0;
        for (; stored < 100; ++stored) {
            try {
                submitReferral(ui.app().session().form(), context, *kiosk.runtime.outbox);
            } catch (const StorageError& full) {
                REQUIRE(full.isDiskFull());
                break;
            }
        }
        REQUIRE(stored < 100);
        REQUIRE(ui.press("referral.submit"));
        CHECK(ui.screen() == "referral.review");
        CHECK(ui.find("referral.submit_error"));
        CHECK(kiosk.runtime.outbox->counts().queued == stored);
        CHECK(ui.app().session().text(TextTarget::Phone) == "07700 900123");
    }
    SECTION("no outbox could be opened") {
        UiDriver ui(kiosk.runtime);
        walkToReview(ui);
        kiosk.runtime.outbox.reset();
        REQUIRE(ui.press("referral.submit"));
        CHECK(ui.screen() == "referral.review");
        CHECK(ui.find("referral.submit_error"));
        CHECK(ui.app().session().text(TextTarget::Name) == "Łucja Nowak-Wójcik");
    }
}

TEST_CASE("Polish end to end: texts, glyphs, the keyboard's letters", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-polish");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.press("global.language"));
    REQUIRE(ui.find("language.option.pl"));
    REQUIRE(ui.press("language.option.pl"));
    CHECK(ui.screen() == "home");
    CHECK(ui.app().session().language() == "pl");
    CHECK(kiosk.runtime.i18n.language() == "pl");
    CHECK(std::string(kiosk.runtime.i18n.tr("home.title")) == "Znajdź pomoc w okolicy");
    CHECK(ui.find("home.need.food"));
    CHECK(ImGui::GetDrawData()->TotalVtxCount > 1000);  // the home screen was drawn

    const ui::Text& text = ui.app().text();
    CHECK(text.sourceFile(ui::TextStyle::Body).find("NotoSans-Regular") != std::string::npos);
    CHECK(text.sourceFile(ui::TextStyle::Bold).find("NotoSans-Bold") != std::string::npos);
    for (char32_t letter : std::u32string(U"ąćęłńóśźżĄĆĘŁŃÓŚŹŻ–’“”£€")) {
        INFO("U+" << std::hex << static_cast<unsigned>(letter));
        CHECK(text.hasGlyph(letter));
    }
    // Every character of every Polish text has a real glyph (no boxes anywhere).
    std::size_t checked = 0;
    for (const std::string& key : kiosk.runtime.i18n.keys("pl")) {
        const std::string_view value = kiosk.runtime.i18n.tr(key);
        for (std::size_t at = 0; at < value.size();) {
            const char32_t cp = utf8::next(value, at);
            if (cp != U'\n' && !text.hasGlyph(cp)) {
                FAIL_CHECK("no glyph for U+" << std::hex << static_cast<unsigned>(cp) << " in "
                                             << key);
            }
            ++checked;
        }
    }
    CHECK(checked > 5000);

    // Typing Polish letters on the accents page.
    REQUIRE(ui.press("home.search"));
    REQUIRE(ui.typeKeys("Żółw"));
    CHECK(ui.app().session().text(TextTarget::Search) == "Żółw");
    CHECK(ui.screen() == "results");

    // "Finish and clear" gives the next person the venue's language.
    REQUIRE(ui.press("global.finish"));
    CHECK(ui.app().session().language() == "en");
    CHECK(kiosk.runtime.i18n.language() == "en");
}

TEST_CASE("no results: related needs and a link worker are offered", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-noresults");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.press("home.search"));

    SECTION("a one-letter slip finds the services and offers the need's tile beside them") {
        REQUIRE(ui.typeKeys("lonley"));
        REQUIRE(ui.press("keyboard.done"));
        REQUIRE(ui.screen() == "results");
        CHECK(ui.find("results.item.0"));
        REQUIRE(ui.press("results.named.feeling-lonely"));
        CHECK(ui.app().session().filters().needCode == "feeling-lonely");
        CHECK(ui.app().session().searchText().empty());
        CHECK(ui.find("results.item.0"));
        CHECK_FALSE(ui.find("results.named.feeling-lonely"));  // the need is chosen now
    }
    SECTION("a word further off suggests the need it looks like") {
        REQUIRE(ui.typeKeys("lonlyness"));
        REQUIRE(ui.press("keyboard.done"));
        REQUIRE(ui.screen() == "results");
        CHECK_FALSE(ui.find("results.item.0"));
        REQUIRE(ui.scrollIntoView("results.suggest.feeling-lonely", "results.list"));
        REQUIRE(ui.press("results.suggest.feeling-lonely"));
        // The need replaces the words: its services are listed.
        CHECK(ui.app().session().filters().needCode == "feeling-lonely");
        CHECK(ui.app().session().searchText().empty());
        CHECK(ui.find("results.item.0"));
    }
    SECTION("nonsense still leads to a person") {
        REQUIRE(ui.typeKeys("xyzzy plugh"));
        REQUIRE(ui.press("keyboard.done"));
        CHECK_FALSE(ui.find("results.item.0"));
        CHECK_FALSE(ui.findFirst("results.suggest."));
        REQUIRE(ui.scrollIntoView("results.ask_link_worker", "results.list"));
        REQUIRE(ui.press("results.ask_link_worker"));
        CHECK(ui.screen() == "referral.needs");
        CHECK(ui.app().session().form().kind == ReferralKind::General);
    }
    SECTION("clearing the words brings the list back") {
        REQUIRE(ui.typeKeys("xyzzy"));
        REQUIRE(ui.press("keyboard.done"));
        REQUIRE(ui.press("results.search.clear"));
        CHECK(ui.app().session().searchText().empty());
        CHECK(ui.find("results.item.0"));
    }
}

TEST_CASE("filters narrow the list and show as switched on", "[ui]") {
    setLogToStderr(false);
    test::TempDir dir("ui-filters");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    REQUIRE(ui.press("home.neighbourhood"));
    REQUIRE(ui.press("home.neighbourhood.option.0"));  // anywhere
    CHECK(ui.app().session().filters().neighbourhood.empty());
    REQUIRE(ui.press("home.need.food"));
    const auto count = [&] {
        SearchRequest request = ui.app().session().searchRequest(100000);
        return kiosk.runtime.directory
            ->search(request, std::chrono::time_point_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now()))
            .items.size();
    };
    const std::size_t all = count();
    REQUIRE(all > 3);
    REQUIRE(ui.press("results.filter.free"));
    CHECK(ui.app().session().filters().freeOnly);
    CHECK(count() <= all);
    REQUIRE(ui.press("results.filter.drop_in"));
    CHECK(ui.app().session().filters().dropInOnly);
    REQUIRE(ui.press("results.filter.language"));
    REQUIRE(ui.find("results.language.option.0"));
    REQUIRE(ui.pressFirst("results.language.option.1"));
    CHECK_FALSE(ui.app().session().filters().languageCode.empty());
    REQUIRE(ui.press("results.filter.language"));
    REQUIRE(ui.press("results.language.option.0"));
    CHECK(ui.app().session().filters().languageCode.empty());
    REQUIRE(ui.press("results.need.clear"));
    CHECK(ui.app().session().filters().needCode.empty());
    // Closing a chooser changes nothing.
    REQUIRE(ui.press("results.neighbourhood"));
    REQUIRE(ui.press("chooser.close"));
    CHECK(ui.app().session().filters().neighbourhood.empty());
    CHECK(ui.screen() == "results");
}
