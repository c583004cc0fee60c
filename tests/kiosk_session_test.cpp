#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/common/utf8.h"
#include "core/referral/outbox.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"
#include "core/referral/sealing.h"
#include "core/session/kiosk_session.h"
#include "core/storage/database.h"
#include "support/fault_vfs.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

SessionDefaults venueDefaults() {
    SessionDefaults defaults;
    defaults.neighbourhood = "Chorlton & Whalley Range";
    defaults.textSize = TextSize::Large;
    defaults.highContrast = false;
    defaults.language = "en";
    return defaults;
}

struct Coordinators {
    CoordinatorKeyPair keys = CoordinatorKeyPair::generate();
    SubmitContext context() const {
        SubmitContext c;
        c.venue = "Chorlton Library";
        c.neighbourhood = "Chorlton & Whalley Range";
        c.formVersion = "2026.11";
        c.consentVersion = "consent-2026-11-v1";
        c.referencePrefix = "MCR";
        c.deviceId = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a";
        c.coordinatorKey = keys.publicKey();
        c.now = *parseIsoUtc("2026-11-23T14:03:07Z");
        return c;
    }
};

// Walks a session through every step with valid answers, leaving it on the review screen.
void fillToReview(KioskSession& session, bool withPhone = true) {
    session.chooseNeed("feeling-lonely");
    session.startServiceReferral("svc-1", "Chorlton Good Neighbours", {"feeling-lonely"});
    session.toggleReferralNeed("older-people");
    REQUIRE(session.typeText(TextTarget::NeedsText, "Someone to talk to on Sundays"));
    REQUIRE(session.nextStep());
    REQUIRE(session.screen() == Screen::ReferralContact);
    REQUIRE(session.typeText(TextTarget::Name, "Łucja Wójcik"));
    if (withPhone) {
        REQUIRE(session.typeText(TextTarget::Phone, "07700 900123"));
    }
    REQUIRE(session.typeText(TextTarget::Email, "lucja@example.org"));
    REQUIRE(session.nextStep());
    REQUIRE(session.screen() == Screen::ReferralBestTime);
    session.setBestTime(ContactTime::Morning);
    REQUIRE(session.nextStep());
    if (withPhone) {
        REQUIRE(session.screen() == Screen::ReferralMessage);
        session.setSafeToLeaveMessage(Answer::Yes);
        REQUIRE(session.nextStep());
    }
    REQUIRE(session.screen() == Screen::ReferralLanguage);
    session.setPreferredLanguage("pl");
    session.setInterpreterNeeded(true);
    REQUIRE(session.nextStep());
    REQUIRE(session.screen() == Screen::ReferralAccess);
    REQUIRE(session.typeText(TextTarget::AccessNeeds, "Hearing loop please"));
    REQUIRE(session.nextStep());
    REQUIRE(session.screen() == Screen::ReferralConsent);
    session.setConsent(true);
    REQUIRE(session.nextStep());
    REQUIRE(session.screen() == Screen::ReferralReview);
}

std::int64_t rowCount(Outbox& outbox) {
    Statement count = outbox.database().prepare("SELECT count(*) FROM outbox");
    REQUIRE(count.step());
    return count.columnInt64(0);
}

}  // namespace

TEST_CASE("a visit starts on the home screen with the venue's choices", "[session]") {
    KioskSession session(venueDefaults());
    CHECK(session.screen() == Screen::Home);
    CHECK(std::string(screenId(session.screen())) == "home");
    CHECK_FALSE(session.canGoBack());
    CHECK(session.isPristine());
    CHECK(session.filters().neighbourhood == "Chorlton & Whalley Range");
    CHECK(session.textSize() == TextSize::Large);
    CHECK(session.language() == "en");
    CHECK(session.searchText().empty());
    CHECK(session.resetCount() == 0);
}

TEST_CASE("every screen has a stable id", "[session]") {
    CHECK(std::string(screenId(Screen::ReferralBestTime)) == "referral.best_time");
    CHECK(std::string(screenId(Screen::ReferralContactSelf)) == "referral.contact_self");
    CHECK(std::string(screenId(Screen::StaffPanel)) == "staff.panel");
    CHECK(isReferralScreen(Screen::ReferralDone));
    CHECK_FALSE(isReferralScreen(Screen::Service));
    CHECK(isStaffScreen(Screen::StaffPin));
    for (ReferralStep step : {ReferralStep::Needs, ReferralStep::Contact, ReferralStep::Review}) {
        CHECK(stepOfScreen(screenOfStep(step)) == step);
    }
}

TEST_CASE("browsing: needs, services and back", "[session]") {
    KioskSession session(venueDefaults());
    const auto revision = session.searchRevision();
    session.chooseNeed("food");
    CHECK(session.screen() == Screen::Results);
    CHECK(session.filters().needCode == "food");
    CHECK(session.searchRevision() != revision);
    CHECK_FALSE(session.isPristine());
    session.chooseService("svc-42");
    CHECK(session.screen() == Screen::Service);
    CHECK(session.serviceId() == "svc-42");
    REQUIRE(session.back());
    CHECK(session.screen() == Screen::Results);
    REQUIRE(session.back());
    CHECK(session.screen() == Screen::Home);
    CHECK_FALSE(session.back());

    SECTION("filters each change the search") {
        auto before = session.searchRevision();
        session.setOpenNowFilter(true);
        session.setFreeOnlyFilter(true);
        session.setDropInFilter(true);
        session.setLanguageFilter("pl");
        session.setNeighbourhood("");
        CHECK(session.searchRevision() == before + 5);
        const SearchRequest request = session.searchRequest(50);
        CHECK(request.filters.openNow);
        CHECK(request.filters.freeOnly);
        CHECK(request.filters.dropInOnly);
        CHECK(request.filters.languageCode == "pl");
        CHECK(request.filters.neighbourhood.empty());
        CHECK(request.filters.needCode == "food");
        CHECK(request.limit == 50);
        session.clearNeed();
        CHECK(session.filters().needCode.empty());
    }
}

TEST_CASE("typing on the home screen opens the results as you type", "[session]") {
    KioskSession session(venueDefaults());
    session.chooseNeed("food");
    session.goHome();
    REQUIRE(session.typeText(TextTarget::Search, "d"));
    CHECK(session.screen() == Screen::Results);
    CHECK(session.filters().needCode.empty());  // a typed search starts afresh
    REQUIRE(session.typeText(TextTarget::Search, "ebt"));
    CHECK(session.searchRequest(10).text == "debt");
    CHECK(session.screen() == Screen::Results);
    REQUIRE(session.back());
    CHECK(session.screen() == Screen::Home);
}

TEST_CASE("text fields: caps on code points, cleaning on entry, erasing whole letters",
          "[session]") {
    KioskSession session(venueDefaults());

    SECTION("a name stops at 100 code points, even in Polish") {
        std::string polish;
        for (int i = 0; i < 120; ++i) {
            polish += "ż";
        }
        CHECK_FALSE(session.typeText(TextTarget::Name, polish));
        CHECK(utf8::count(session.text(TextTarget::Name)) == kMaxNameLength);
        CHECK(session.text(TextTarget::Name).size() == kMaxNameLength * 2);
        CHECK_FALSE(session.typeText(TextTarget::Name, "a"));
    }
    SECTION("control and bidi-override characters never get in; spaces do") {
        CHECK_FALSE(session.typeText(TextTarget::Name,
                                     "An\x01n\xE2\x80\xAE"
                                     "a"));
        CHECK(session.text(TextTarget::Name) == "Anna");
        CHECK(session.typeText(TextTarget::Name, " "));
        CHECK(session.text(TextTarget::Name) == "Anna ");
        CHECK_FALSE(session.typeText(TextTarget::Name, "\xFF"));  // invalid UTF-8
        CHECK(session.text(TextTarget::Name) == "Anna ");
    }
    SECTION("backspace removes one whole code point") {
        REQUIRE(session.typeText(TextTarget::Name, "Paweł"));
        REQUIRE(session.eraseLast(TextTarget::Name));
        CHECK(session.text(TextTarget::Name) == "Pawe");
        session.clearText(TextTarget::Name);
        CHECK_FALSE(session.eraseLast(TextTarget::Name));
    }
    SECTION("leaving a field trims it") {
        REQUIRE(session.typeText(TextTarget::Email, "  a@example.org  "));
        session.finishEditing(TextTarget::Email);
        CHECK(session.text(TextTarget::Email) == "a@example.org");
    }
    SECTION("every field has its cap") {
        CHECK(KioskSession::maxLength(TextTarget::NeedsText) == kMaxFreeTextLength);
        CHECK(KioskSession::maxLength(TextTarget::Phone) == kMaxPhoneLength);
        CHECK(KioskSession::maxLength(TextTarget::Email) == kMaxEmailLength);
        CHECK(KioskSession::maxLength(TextTarget::AccessNeeds) == kMaxAccessNeedsLength);
        CHECK(KioskSession::maxLength(TextTarget::Search) > 0);
    }
}

TEST_CASE("the referral steps validate on Next and show errors on the fields", "[session]") {
    KioskSession session(venueDefaults());
    session.chooseNeed("feeling-lonely");
    session.startServiceReferral("svc-1", "Good Neighbours", {"feeling-lonely", "older-people"});
    CHECK(session.screen() == Screen::ReferralNeeds);
    // The need the resident came through is already chosen.
    CHECK(session.form().needCodes == std::vector<std::string>{"feeling-lonely"});
    CHECK(session.stepNumber() == 1);
    CHECK(session.stepCount() == 8);

    session.toggleReferralNeed("feeling-lonely");
    CHECK_FALSE(session.nextStep());
    CHECK(session.screen() == Screen::ReferralNeeds);
    REQUIRE(session.fieldError(ReferralField::Needs) != nullptr);
    CHECK(std::string(session.fieldError(ReferralField::Needs)) == "error.needs.required");
    session.toggleReferralNeed("older-people");
    CHECK(session.fieldError(ReferralField::Needs) == nullptr);  // cleared as soon as it is fixed
    REQUIRE(session.nextStep());

    CHECK(session.screen() == Screen::ReferralContact);
    CHECK(session.stepNumber() == 2);
    CHECK_FALSE(session.nextStep());
    CHECK(std::string(session.fieldError(ReferralField::Name)) == "error.name.required");
    CHECK(std::string(session.fieldError(ReferralField::Phone)) == "error.contact.required");
    session.typeText(TextTarget::Name, "Ana");
    CHECK(session.fieldError(ReferralField::Name) == nullptr);
    session.typeText(TextTarget::Phone, "12");
    CHECK(session.fieldError(ReferralField::Phone) == nullptr);
    CHECK_FALSE(session.nextStep());
    CHECK(std::string(session.fieldError(ReferralField::Phone)) == "error.phone.invalid");
    session.clearText(TextTarget::Phone);
    session.typeText(TextTarget::Email, "not an email");
    CHECK_FALSE(session.nextStep());
    CHECK(std::string(session.fieldError(ReferralField::Email)) == "error.email.invalid");
    session.clearText(TextTarget::Email);
    session.typeText(TextTarget::Email, "ana@example.org");
    REQUIRE(session.nextStep());

    SECTION("without a phone number the message step is skipped and not counted") {
        CHECK(session.screen() == Screen::ReferralBestTime);
        CHECK(session.stepCount() == 7);
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralLanguage);
        CHECK(session.stepNumber() == 4);
        REQUIRE(session.back());
        CHECK(session.screen() == Screen::ReferralBestTime);
    }
    SECTION("with a phone number, the message step needs an answer") {
        REQUIRE(session.back());
        session.typeText(TextTarget::Phone, "0161 496 0123");
        REQUIRE(session.nextStep());
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralMessage);
        CHECK(session.stepNumber() == 4);
        CHECK(session.stepCount() == 8);
        CHECK_FALSE(session.nextStep());
        CHECK(std::string(session.fieldError(ReferralField::SafeToLeaveMessage)) ==
              "error.message.required");
        session.setSafeToLeaveMessage(Answer::No);
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralLanguage);
    }
}

TEST_CASE("consent must be ticked", "[session]") {
    KioskSession session(venueDefaults());
    fillToReview(session);
    session.changeFromReview(ReferralStep::Consent);
    CHECK(session.screen() == Screen::ReferralConsent);
    session.setConsent(false);
    CHECK_FALSE(session.nextStep());
    CHECK(std::string(session.fieldError(ReferralField::Consent)) == "error.consent.required");
}

TEST_CASE("Change from the review comes straight back to the review", "[session]") {
    KioskSession session(venueDefaults());
    fillToReview(session, false);
    CHECK(session.stepNumber() == 7);

    SECTION("Next returns to review") {
        session.changeFromReview(ReferralStep::BestTime);
        CHECK(session.screen() == Screen::ReferralBestTime);
        CHECK(session.changingFromReview());
        session.setBestTime(ContactTime::Evening);
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralReview);
        CHECK_FALSE(session.changingFromReview());
        CHECK(session.form().bestTime == ContactTime::Evening);
        // Back from the review still goes to the step before it.
        REQUIRE(session.back());
        CHECK(session.screen() == Screen::ReferralConsent);
    }
    SECTION("Back returns to review too") {
        session.changeFromReview(ReferralStep::Access);
        REQUIRE(session.back());
        CHECK(session.screen() == Screen::ReferralReview);
    }
    SECTION("adding a phone number asks the message question before returning") {
        session.changeFromReview(ReferralStep::Contact);
        session.typeText(TextTarget::Phone, "07700900123");
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralMessage);
        session.setSafeToLeaveMessage(Answer::Yes);
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralReview);
        CHECK(session.stepCount() == 8);
    }
    SECTION("removing the phone number forgets the message answer") {
        session.changeFromReview(ReferralStep::Contact);
        session.typeText(TextTarget::Phone, "07700900123");
        REQUIRE(session.nextStep());
        session.setSafeToLeaveMessage(Answer::Yes);
        REQUIRE(session.nextStep());
        session.changeFromReview(ReferralStep::Contact);
        session.clearText(TextTarget::Phone);
        REQUIRE(session.nextStep());
        CHECK(session.screen() == Screen::ReferralReview);
        CHECK(session.form().safeToLeaveMessage == Answer::NotAnswered);
    }
}

TEST_CASE("choosing \"I'd rather contact them myself\" sends nothing", "[session]") {
    KioskSession session(venueDefaults());
    session.startGeneralReferral();
    session.toggleReferralNeed("housing");
    REQUIRE(session.nextStep());
    session.chooseContactThemselves();
    CHECK(session.screen() == Screen::ReferralContactSelf);
    CHECK(session.contactingThemselves());
    CHECK(session.stepNumber() == 0);
    REQUIRE(session.back());
    CHECK(session.screen() == Screen::ReferralContact);
}

TEST_CASE("a referral in the resident's language preselects that language", "[session]") {
    KioskSession session(venueDefaults());
    session.setLanguage("pl");
    session.startGeneralReferral();
    CHECK(session.form().kind == ReferralKind::General);
    CHECK(session.form().preferredLanguage == "pl");
}

TEST_CASE("submit seals one referral, wipes the form and shows the reference", "[session]") {
    setLogToStderr(false);
    test::TempDir dir("session-submit");
    Outbox outbox((dir / "outbox.db").string());
    Coordinators coordinators;
    KioskSession session(venueDefaults());
    fillToReview(session);

    REQUIRE(session.submit(coordinators.context(), outbox) == SubmitOutcome::Submitted);
    CHECK(session.screen() == Screen::ReferralDone);
    CHECK(isValidReferenceCode(session.reference()));
    CHECK_FALSE(session.canGoBack());  // nobody can go back into the form
    CHECK(session.form().name.empty());
    CHECK(session.form().phone.empty());
    CHECK(session.form().needCodes.empty());
    CHECK_FALSE(session.form().consentGiven);

    const std::vector<OutboxItem> items = outbox.allItems();
    REQUIRE(items.size() == 1);
    CHECK(items[0].reference == session.reference());
    CHECK(items[0].serviceId == "svc-1");
    const SecureBytes plaintext = coordinators.keys.open(items[0].sealed);
    const DecodedReferral referral = parseReferral(view(plaintext));
    CHECK(referral.name == "Łucja Wójcik");
    CHECK(referral.phone == "07700 900123");
    CHECK(referral.email == "lucja@example.org");
    CHECK(referral.needs == std::vector<std::string>{"feeling-lonely", "older-people"});
    CHECK(referral.needsText == "Someone to talk to on Sundays");
    CHECK(referral.bestTime == "morning");
    CHECK(referral.safeToLeaveMessage == "yes");
    CHECK(referral.language == "pl");
    CHECK(referral.interpreterNeeded);
    CHECK(referral.accessNeeds == "Hearing loop please");
    CHECK(referral.consentGiven);
    CHECK(referral.envelope.consentVersion == "consent-2026-11-v1");

    session.finishAndClear();
    CHECK(session.screen() == Screen::Home);
    CHECK(session.reference().empty());
}

TEST_CASE("a submit that cannot be stored keeps everything typed", "[session]") {
    setLogToStderr(false);
    test::TempDir dir("session-fail");
    Coordinators coordinators;
    KioskSession session(venueDefaults());
    fillToReview(session);
    const std::string nameBefore(session.text(TextTarget::Name));

    SECTION("a full disk (fault VFS)") {
        test::FaultVfs::Scope faults;
        Outbox outbox((dir / "outbox.db").string(), {.vfs = test::FaultVfs::kName});
        test::FaultVfs::instance().failWrites(SQLITE_FULL);
        CHECK(session.submit(coordinators.context(), outbox) == SubmitOutcome::Failed);
        test::FaultVfs::instance().clear();
        CHECK(rowCount(outbox) == 0);
    }
    SECTION("a size-limited database") {
        Outbox outbox((dir / "outbox.db").string());
        Statement pages = outbox.database().prepare("PRAGMA page_count");
        REQUIRE(pages.step());
        const std::int64_t count = pages.columnInt64(0);
        pages.reset();
        outbox.database().exec("PRAGMA max_page_count = " + std::to_string(count));
        // Fill what room the pages have left with referrals like this one; then it cannot fit.
        std::int64_t stored = 0;
        for (; stored < 100; ++stored) {
            try {
                submitReferral(session.form(), coordinators.context(), outbox);
            } catch (const StorageError& full) {
                REQUIRE(full.isDiskFull());
                break;
            }
        }
        REQUIRE(stored < 100);
        CHECK(session.submit(coordinators.context(), outbox) == SubmitOutcome::Failed);
        CHECK(rowCount(outbox) == stored);
    }
    CHECK(session.screen() == Screen::ReferralReview);
    CHECK(session.submitErrorKey() == "error.submit.failed");
    CHECK(session.text(TextTarget::Name) == nameBefore);
    CHECK(session.text(TextTarget::Phone) == "07700 900123");
    CHECK(session.form().consentGiven);
    CHECK(session.reference().empty());
}

TEST_CASE("a submit that fails validation shows the step to fix", "[session]") {
    setLogToStderr(false);
    test::TempDir dir("session-invalid");
    Outbox outbox((dir / "outbox.db").string());
    Coordinators coordinators;
    KioskSession session(venueDefaults());
    fillToReview(session);
    // Untick consent from the review, then come back without it: Back skips validation.
    session.changeFromReview(ReferralStep::Consent);
    session.setConsent(false);
    REQUIRE(session.back());
    REQUIRE(session.screen() == Screen::ReferralReview);
    CHECK(session.submit(coordinators.context(), outbox) == SubmitOutcome::Invalid);
    CHECK(session.screen() == Screen::ReferralConsent);
    CHECK(session.changingFromReview());
    CHECK(session.fieldError(ReferralField::Consent) != nullptr);
    CHECK(rowCount(outbox) == 0);
    session.setConsent(true);
    REQUIRE(session.nextStep());
    CHECK(session.screen() == Screen::ReferralReview);
    CHECK(session.submit(coordinators.context(), outbox) == SubmitOutcome::Submitted);
    CHECK(rowCount(outbox) == 1);
}

TEST_CASE("reset wipes every field and restores the venue's defaults", "[session]") {
    KioskSession session(venueDefaults());
    session.typeText(TextTarget::Search, "debt advice");
    session.setNeighbourhood("");
    session.setOpenNowFilter(true);
    session.setFreeOnlyFilter(true);
    session.setDropInFilter(true);
    session.setLanguageFilter("ur");
    session.chooseService("svc-9");
    session.setTextSize(TextSize::Largest);
    session.setHighContrast(true);
    session.setLanguage("pl");
    fillToReview(session);
    const char* nameBuffer = session.form().name.data();
    const std::size_t nameLength = session.form().name.size();
    const auto before = session.resetCount();
    REQUIRE_FALSE(session.isPristine());

    session.resetSession();

    CHECK(session.resetCount() == before + 1);
    CHECK(session.isPristine());
    CHECK(session.screen() == Screen::Home);
    CHECK_FALSE(session.canGoBack());
    CHECK(session.searchText().empty());
    CHECK(session.serviceId().empty());
    CHECK(session.filters().neighbourhood == "Chorlton & Whalley Range");
    CHECK_FALSE(session.filters().openNow);
    CHECK_FALSE(session.filters().freeOnly);
    CHECK_FALSE(session.filters().dropInOnly);
    CHECK(session.filters().languageCode.empty());
    CHECK(session.filters().needCode.empty());
    CHECK(session.textSize() == TextSize::Large);
    CHECK_FALSE(session.highContrast());
    CHECK(session.language() == "en");
    const ReferralForm& form = session.form();
    CHECK(form.name.empty());
    CHECK(form.phone.empty());
    CHECK(form.email.empty());
    CHECK(form.needsText.empty());
    CHECK(form.accessNeeds.empty());
    CHECK(form.needCodes.empty());
    CHECK(form.serviceId.empty());
    CHECK_FALSE(form.consentGiven);
    CHECK_FALSE(form.interpreterNeeded);
    CHECK(form.preferredLanguage == "en");
    CHECK(session.fieldErrors().empty());
    // The name fitted in the string's own buffer: that memory now holds zeros, not the name.
    if (nameBuffer == session.form().name.data()) {
        CHECK(std::all_of(nameBuffer, nameBuffer + nameLength, [](char c) { return c == '\0'; }));
    }
}

TEST_CASE("new venue defaults apply now if untouched, else at the next reset", "[session]") {
    KioskSession session(venueDefaults());
    SessionDefaults changed = venueDefaults();
    changed.neighbourhood = "Didsbury & Burnage";
    changed.highContrast = true;
    session.setDefaults(changed);
    CHECK(session.filters().neighbourhood == "Didsbury & Burnage");
    CHECK(session.highContrast());

    session.chooseNeed("food");
    changed.neighbourhood = "Gorton & Levenshulme";
    session.setDefaults(changed);
    CHECK(session.filters().neighbourhood == "Didsbury & Burnage");
    session.finishAndClear();
    CHECK(session.filters().neighbourhood == "Gorton & Levenshulme");
}

TEST_CASE("display choices: text size cycles, contrast and language toggle", "[session]") {
    KioskSession session(venueDefaults());
    session.cycleTextSize();
    CHECK(session.textSize() == TextSize::Largest);
    session.cycleTextSize();
    CHECK(session.textSize() == TextSize::Normal);
    session.cycleTextSize();
    CHECK(session.textSize() == TextSize::Large);
    session.setHighContrast(true);
    CHECK(session.highContrast());
    session.setLanguage("pl");
    CHECK(session.language() == "pl");
    CHECK_FALSE(session.isPristine());
}

TEST_CASE("utf8 helpers: decode, count, last letter, upper case", "[session]") {
    const std::string text = "Łódź €1";
    std::size_t at = 0;
    CHECK(utf8::next(text, at) == U'Ł');
    CHECK(at == 2);
    CHECK(utf8::count(text) == 7);
    CHECK(utf8::lastLength("ż") == 2);
    CHECK(utf8::lastLength("a€") == 3);
    CHECK(utf8::lastLength("") == 0);
    CHECK(utf8::lastLength("a\x80") == 1);  // a stray continuation byte is one unit
    CHECK(utf8::toUpper("ąćęłńóśźż") == "ĄĆĘŁŃÓŚŹŻ");
    CHECK(utf8::toUpper("ăîșțčšžőß") == "ĂÎȘȚČŠŽŐß");
    CHECK(utf8::toUpper("a1@") == "A1@");
    std::size_t bad = 0;
    CHECK(utf8::next("\xC0\x80", bad) == utf8::kReplacement);  // overlong
    CHECK(bad == 1);
    CHECK(utf8::encode(U'€') == "\xE2\x82\xAC");
    CHECK(utf8::encode(0xD800) == "\xEF\xBF\xBD");
}
