#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "core/common/utf8.h"
#include "core/referral/referral.h"
#include "core/referral/validation.h"

using namespace signpost;

namespace {

std::string plain(const SecureString& text) {
    return std::string(view(text));
}

// A form that passes every step; each test breaks one thing.
ReferralForm completeForm() {
    ReferralForm form;
    form.kind = ReferralKind::Service;
    form.serviceId = "svc-0042";
    form.serviceName = "Chorlton Tuesday Lunch Club";
    form.needCodes = {"lonely"};
    form.name = "Ann Example";
    form.phone = "0161 496 0123";
    form.safeToLeaveMessage = Answer::Yes;
    form.consentGiven = true;
    return form;
}

bool hasError(const std::vector<FieldError>& errors, ReferralField field, const std::string& key) {
    for (const FieldError& error : errors) {
        if (error.field == field && error.messageKey == key) {
            return true;
        }
    }
    return false;
}

}  // namespace

// ---- phone numbers ---------------------------------------------------------------------------

TEST_CASE("UK phone numbers are normalised to the national form with the usual grouping",
          "[validation]") {
    struct Case {
        const char* typed;
        const char* expected;
    };
    const Case cases[] = {
        // mobiles, every way people type them
        {"07700 900123", "07700 900123"},
        {"07700900123", "07700 900123"},
        {"+447700900123", "07700 900123"},
        {"+44 7700 900123", "07700 900123"},
        {"+44 (0) 7700 900123", "07700 900123"},
        {"+44 (0)7700-900-123", "07700 900123"},
        {"+44 07700 900123", "07700 900123"},
        {"0044 7700 900123", "07700 900123"},
        {"0044 (0) 7700 900 123", "07700 900123"},
        {"447700900123", "07700 900123"},
        {"(07700) 900 123", "07700 900123"},
        {"077-0090-0123", "07700 900123"},
        {"07700.900.123", "07700 900123"},
        {"  07700 900123  ", "07700 900123"},
        {"07624 123456", "07624 123456"},  // Isle of Man mobile
        {"07123 456789", "07123 456789"},
        // London and other 02x
        {"020 7946 0000", "020 7946 0000"},
        {"02079460000", "020 7946 0000"},
        {"+44 20 7946 0000", "020 7946 0000"},
        {"(020) 7946-0000", "020 7946 0000"},
        {"029 2018 0123", "029 2018 0123"},
        {"028 9018 0123", "028 9018 0123"},
        // 01x1 and 011x
        {"0161 496 0123", "0161 496 0123"},
        {"01614960123", "0161 496 0123"},
        {"+44 161 496 0123", "0161 496 0123"},
        {"+44 (0)161 496 0123", "0161 496 0123"},
        {"0121 496 0000", "0121 496 0000"},
        {"0191 498 0000", "0191 498 0000"},
        {"0113 496 0000", "0113 496 0000"},
        {"0118 496 0000", "0118 496 0000"},
        // other 01 area codes
        {"01632 960123", "01632 960123"},
        {"01632960123", "01632 960123"},
        {"01204 52345", "01204 52345"},    // ten-digit numbers exist in some areas
        {"015394 32345", "015394 32345"},  // six-digit area code, five-digit local number
        {"017687 72345", "017687 72345"},
        // non-geographic that residents use
        {"0300 123 4567", "0300 123 4567"},
        {"03001234567", "0300 123 4567"},
        {"0345 123 4567", "0345 123 4567"},
        {"0800 123 4567", "0800 123 4567"},
        {"0800 123 456", "0800 123 456"},
        {"0808 123 4567", "0808 123 4567"},
        {"0845 123 4567", "0845 123 4567"},
        {"0870 123 4567", "0870 123 4567"},
    };
    for (const Case& c : cases) {
        INFO("typed: " << c.typed);
        std::optional<std::string> normalised = normaliseUkPhone(c.typed);
        REQUIRE(normalised.has_value());
        CHECK(*normalised == c.expected);
        // Normalising a normalised number changes nothing.
        CHECK(normaliseUkPhone(*normalised) == normalised);
        SecureString secure = "left over";
        CHECK(normaliseUkPhoneInto(c.typed, secure));
        CHECK(plain(secure) == c.expected);
    }
}

TEST_CASE("implausible, premium, personal and non-UK numbers are rejected", "[validation]") {
    const char* cases[] = {
        "",
        "   ",
        "0",
        "999",  // emergency short code
        "111",
        "116 123",        // Samaritans: a short code, not a contact number
        "0770 090 012",   // mobile one digit short
        "07700 9001234",  // mobile one digit long
        "07700 900123 4",
        "7700 900123",     // no trunk 0
        "0161 496 012",    // too short
        "0161 496 01234",  // too long
        "020 7946 000",
        "020 1946 0000",  // local numbers do not start with 0 or 1
        "0161 096 0123",
        "0161 196 0123",
        "0171 946 0000",  // retired London codes
        "0181 946 0000",
        "0110 496 0000",  // 011x only for x = 3..8
        "0119 496 0000",
        "0101 496 0000",
        "021 7946 0000",  // 021, 022, 025-027 are not in use
        "022 7946 0000",
        "0900 123 4567",  // premium rate
        "0909 879 0000",
        "0871 ",
        "07000 123456",  // personal numbers
        "07011 123456",
        "07600 123456",  // pagers
        "07654 123456",
        "0500 123456",    // retired freephone
        "0560 123 4567",  // VoIP / corporate
        "0400 123 4567",
        "0600 123 4567",
        "0311 123 4567",  // 031x is not allocated
        "0811 123 4567",
        "0808 123 456",       // 0808 has no ten-digit numbers
        "+33 1 23 45 67 89",  // France
        "+1 212 555 0100",    // USA
        "0033 123456789",
        "001 212 555 0100",
        "+353 1 234 5678",  // Ireland
        "+44",
        "+44 (0)",
        "44 161 496 0123 0",
        "07700 9OO123",  // letters O for zeros
        "07700 900123 ext 12",
        "07700 900123 x12",
        "tel: 07700 900123",
        "07700+900123",  // + not at the start
        "++447700900123",
        "07700_900123",
        "07700\t900123",
        "\xEF\xBC\x90\xEF\xBC\x97\xEF\xBC\x97\xEF\xBC\x90\xEF\xBC\x90 900123",  // full-width digits
        "0770090012300000000000000000000000000000000000000000000000000",
    };
    for (const char* typed : cases) {
        INFO("typed: " << typed);
        CHECK_FALSE(normaliseUkPhone(typed).has_value());
        SecureString secure = "left over";
        CHECK_FALSE(normaliseUkPhoneInto(typed, secure));
        CHECK(secure.empty());
    }
}

// ---- email -----------------------------------------------------------------------------------

TEST_CASE("email addresses: a practical RFC 5321/5322 subset", "[validation]") {
    const char* valid[] = {
        "ann@example.org",
        "ann.example@example.co.uk",
        "ANN@EXAMPLE.ORG",
        "ann+signpost@example.org",
        "o'brien@example.ie",
        "a_b-c@mail-server.example.com",
        "x@ex.co",
        "!#$%&'*+-/=?^_`{|}~@example.org",
        "1234@123.example.uk",
        "ann@xn--bcher-kva.example",
        "ann@example.xn--p1ai",
    };
    for (const char* email : valid) {
        INFO("email: " << email);
        CHECK(isValidEmail(email));
    }

    const std::string local64(64, 'a');
    const std::string label63(63, 'b');
    CHECK(isValidEmail(local64 + "@example.org"));
    CHECK_FALSE(isValidEmail(local64 + "a@example.org"));
    CHECK(isValidEmail("a@" + label63 + ".org"));
    CHECK_FALSE(isValidEmail("a@" + label63 + "b.org"));
    // 254 bytes in all is the limit.
    std::string domain = label63 + "." + label63 + "." + label63 + ".";
    std::string atLimit = "ann@" + domain + std::string(254 - 4 - domain.size(), 'c');
    REQUIRE(atLimit.size() == 254);
    CHECK(isValidEmail(atLimit));
    CHECK_FALSE(isValidEmail(atLimit + "c"));

    const char* invalid[] = {
        "",
        "ann",
        "ann@",
        "@example.org",
        "ann@@example.org",
        "ann@bob@example.org",
        "ann@example",      // a single label
        "ann@example.c",    // TLD of one letter
        "ann@example.c0m",  // TLD with a digit
        "ann@example.123",
        "ann@.example.org",
        "ann@example..org",
        "ann@example.org.",
        "ann@-example.org",
        "ann@example-.org",
        "ann@exa_mple.org",
        "ann@[192.0.2.1]",  // IP literals are not offered
        ".ann@example.org",
        "ann.@example.org",
        "an..n@example.org",
        "\"ann\"@example.org",  // quoted local parts are not offered
        "ann example@example.org",
        " ann@example.org",
        "ann@example.org ",
        "ann(comment)@example.org",
        "ann,bob@example.org",
        "ann@exam ple.org",
        "ann\n@example.org",
        "łukasz@example.pl",   // non-ASCII local part
        "ann@bücher.example",  // IDN domains are typed in their xn-- form
    };
    for (const char* email : invalid) {
        INFO("email: " << email);
        CHECK_FALSE(isValidEmail(email));
    }
}

// ---- cleaning --------------------------------------------------------------------------------

TEST_CASE("cleanText removes controls, bidi overrides and invalid UTF-8, and trims",
          "[validation]") {
    struct Case {
        std::string input;
        bool allowNewlines;
        std::string expected;
    };
    const Case cases[] = {
        {"Ann Example", false, "Ann Example"},
        {"  Ann  ", false, "Ann"},
        {"\n\t Ann \r\n", false, "Ann"},
        {"Ann\nExample", false, "Ann Example"},  // a newline in a one-line field is a space
        {"Ann\nExample", true, "Ann\nExample"},
        {"Ann\r\nExample", true, "Ann\nExample"},
        {"Ann\rExample", true, "Ann\nExample"},
        {"Ann\tExample", true, "Ann Example"},
        {"Ann\vEx\fample", false, "Ann Ex ample"},
        {std::string("An\0n", 4), false, "Ann"},  // NUL
        {"A\x01n\x1Bn\x7F", false, "Ann"},        // C0 and DEL
        {"A\xC2\x80n\xC2\x9Fn", false, "Ann"},    // C1 (U+0080, U+009F)
        {"\xE2\x80\xAE"
         "evil"
         "\xE2\x80\xAC",
         false, "evil"},  // RLO ... PDF
        {"a\xE2\x80\xAA"
         "b\xE2\x80\xAB"
         "c\xE2\x80\xAD"
         "d",
         false, "abcd"},  // LRE RLE LRO
        // isolates LRI RLI FSI PDI
        {"a\xE2\x81\xA6"
         "b\xE2\x81\xA7"
         "c\xE2\x81\xA8"
         "d\xE2\x81\xA9",
         false, "abcd"},
        {"\xEF\xBB\xBF"
         "Ann",
         false, "Ann"},                                                  // byte-order mark
        {"A\xEF\xBF\xBEnn\xEF\xBF\xBF", false, "Ann"},                   // noncharacters
        {"Line\xE2\x80\xA8two", true, "Line\ntwo"},                      // U+2028
        {"Line\xE2\x80\xA9two", false, "Line two"},                      // U+2029
        {"\xC2\xA0\xE3\x80\x80 Ann\xE2\x80\x8B\xC2\xA0", false, "Ann"},  // Unicode spaces trimmed
        {"Ann\xC2\xA0"
         "Example",
         false,
         "Ann\xC2\xA0"
         "Example"},                                                      // ...but kept inside
        {"Zo\xC3\xAB \xC5\x81ukasz", false, "Zo\xC3\xAB \xC5\x81ukasz"},  // Latin-extended kept
        {"\xF0\x9F\x98\x80 ok", false, "\xF0\x9F\x98\x80 ok"},            // emoji kept
        {"A\xFFnn", false, "Ann"},                                        // invalid byte
        {"A\xC3nn", false, "Ann"},                                        // truncated sequence
        {"A\xC0\xAFnn", false, "Ann"},                                    // overlong '/'
        {"A\xE0\x80\xAFnn", false, "Ann"},                                // overlong, 3 bytes
        {"A\xED\xA0\x80nn", false, "Ann"},                                // UTF-16 surrogate
        {"A\xF4\x90\x80\x80nn", false, "Ann"},                            // above U+10FFFF
        {"A\x80\xBFnn", false, "Ann"},  // stray continuation bytes
        {"\xF0\x9F\x98", false, ""},    // truncated at the end
        {"", false, ""},
        {" \n\t ", true, ""},
        {"\n\nfirst\n\n", true, "first"},
    };
    for (const Case& c : cases) {
        INFO("input bytes: " << c.input.size() << " expected: " << c.expected);
        const SecureString cleaned = cleanText(c.input, 1000, c.allowNewlines);
        CHECK(plain(cleaned) == c.expected);
        CHECK(cleaned.size() <= c.input.size());
        // Cleaning is idempotent.
        CHECK(plain(cleanText(view(cleaned), 1000, c.allowNewlines)) == c.expected);
    }
}

TEST_CASE("cleanText caps on code points, never splitting one", "[validation]") {
    CHECK(plain(cleanText("abcdef", 3, false)) == "abc");
    CHECK(plain(cleanText("abc", 3, false)) == "abc");
    CHECK(plain(cleanText("abc", 0, false)).empty());
    // Polish letters are two bytes, emoji four: the cap counts code points, not bytes.
    CHECK(plain(cleanText("\xC5\x81\xC3\xB3\xC5\xBA", 2, false)) == "\xC5\x81\xC3\xB3");
    CHECK(plain(cleanText("\xF0\x9F\x98\x80\xF0\x9F\x98\x81", 1, false)) == "\xF0\x9F\x98\x80");
    // Leading spaces do not count; a cut that ends in spaces is trimmed again.
    CHECK(plain(cleanText("   abc def", 4, false)) == "abc");
    CHECK(plain(cleanText("ab  cd", 3, false)) == "ab");
    // Removed characters do not count either.
    CHECK(plain(cleanText("a\x01\x02\x03"
                          "bc",
                          3, false)) == "abc");

    const std::string longName(300, 'x');
    const SecureString capped = cleanText(longName, kMaxNameLength, false);
    CHECK(capped.size() == kMaxNameLength);
    CHECK(utf8::count(view(capped)) == kMaxNameLength);
}

TEST_CASE("codePointCount counts code points, not bytes", "[validation]") {
    CHECK(utf8::count("") == 0);
    CHECK(utf8::count("abc") == 3);
    CHECK(utf8::count("\xC5\x81\xC3\xB3\xC5\xBA") == 3);
    CHECK(utf8::count("\xF0\x9F\x98\x80 a") == 3);
    CHECK(utf8::count("\xE2\x82\xAC") == 1);
}

// ---- steps -----------------------------------------------------------------------------------

TEST_CASE("a complete form passes every step", "[validation]") {
    const ReferralForm form = completeForm();
    for (ReferralStep step : {ReferralStep::Needs, ReferralStep::Contact, ReferralStep::BestTime,
                              ReferralStep::Message, ReferralStep::Language, ReferralStep::Access,
                              ReferralStep::Consent, ReferralStep::Review}) {
        CHECK(validateStep(step, form).empty());
    }
    CHECK(validateForSubmit(form).empty());
}

TEST_CASE("needs: a tile or some text", "[validation]") {
    ReferralForm form = completeForm();
    form.needCodes.clear();
    CHECK(validateStep(ReferralStep::Needs, form) ==
          std::vector<FieldError>{{ReferralField::Needs, "error.needs.required"}});
    SECTION("text alone is enough") {
        form.needsText = "I would like to meet people";
        CHECK(validateStep(ReferralStep::Needs, form).empty());
    }
    SECTION("text that cleans to nothing is not") {
        form.needsText = " \n\t\x01\xE2\x80\xAE ";
        CHECK(hasError(validateStep(ReferralStep::Needs, form), ReferralField::Needs,
                       "error.needs.required"));
    }
    SECTION("an empty tile code is not a need") {
        form.needCodes = {""};
        CHECK(hasError(validateStep(ReferralStep::Needs, form), ReferralField::Needs,
                       "error.needs.required"));
    }
}

TEST_CASE("contact: a name, and a valid phone and/or email", "[validation]") {
    ReferralForm form = completeForm();

    SECTION("no name") {
        form.name = "   ";
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Name, "error.name.required"}});
    }
    SECTION("neither phone nor email") {
        form.phone.clear();
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Phone, "error.contact.required"}});
    }
    SECTION("no name and no contact: both are reported, in field order") {
        form.name.clear();
        form.phone = " ";
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Name, "error.name.required"},
                                      {ReferralField::Phone, "error.contact.required"}});
    }
    SECTION("an invalid phone") {
        form.phone = "0900 123 4567";
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Phone, "error.phone.invalid"}});
    }
    SECTION("email only") {
        form.phone.clear();
        form.email = "ann@example.org";
        CHECK(validateStep(ReferralStep::Contact, form).empty());
    }
    SECTION("an invalid email") {
        form.email = "ann@example";
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Email, "error.email.invalid"}});
    }
    SECTION("both invalid: both reported") {
        form.phone = "12345";
        form.email = "not an email";
        CHECK(validateStep(ReferralStep::Contact, form) ==
              std::vector<FieldError>{{ReferralField::Phone, "error.phone.invalid"},
                                      {ReferralField::Email, "error.email.invalid"}});
    }
    SECTION("an email typed with surrounding spaces is judged after cleaning") {
        form.email = "  ann@example.org \n";
        CHECK(validateStep(ReferralStep::Contact, form).empty());
    }
    SECTION("an over-long phone is not cut into a valid one") {
        form.phone = "07700 900123";
        form.phone.append(60, ' ');
        form.phone.push_back('4');
        CHECK(hasError(validateStep(ReferralStep::Contact, form), ReferralField::Phone,
                       "error.phone.invalid"));
    }
}

TEST_CASE("message: an answer is needed only when a phone is given", "[validation]") {
    ReferralForm form = completeForm();
    form.safeToLeaveMessage = Answer::NotAnswered;
    CHECK(validateStep(ReferralStep::Message, form) ==
          std::vector<FieldError>{{ReferralField::SafeToLeaveMessage, "error.message.required"}});
    form.safeToLeaveMessage = Answer::No;
    CHECK(validateStep(ReferralStep::Message, form).empty());

    form.safeToLeaveMessage = Answer::NotAnswered;
    form.phone.clear();
    form.email = "ann@example.org";
    CHECK(validateStep(ReferralStep::Message, form).empty());
}

TEST_CASE("consent: the tick is required", "[validation]") {
    ReferralForm form = completeForm();
    form.consentGiven = false;
    CHECK(validateStep(ReferralStep::Consent, form) ==
          std::vector<FieldError>{{ReferralField::Consent, "error.consent.required"}});
}

TEST_CASE("optional steps never block", "[validation]") {
    ReferralForm empty;
    CHECK(validateStep(ReferralStep::BestTime, empty).empty());
    CHECK(validateStep(ReferralStep::Language, empty).empty());
    CHECK(validateStep(ReferralStep::Access, empty).empty());
}

TEST_CASE("submit needs every step, and the review step is the same check", "[validation]") {
    ReferralForm empty;
    const std::vector<FieldError> expected{
        {ReferralField::Needs, "error.needs.required"},
        {ReferralField::Name, "error.name.required"},
        {ReferralField::Phone, "error.contact.required"},
        {ReferralField::Consent, "error.consent.required"},
    };
    CHECK(validateForSubmit(empty) == expected);
    CHECK(validateStep(ReferralStep::Review, empty) == expected);

    ReferralForm form = completeForm();
    form.safeToLeaveMessage = Answer::NotAnswered;
    form.consentGiven = false;
    CHECK(validateForSubmit(form) ==
          std::vector<FieldError>{{ReferralField::SafeToLeaveMessage, "error.message.required"},
                                  {ReferralField::Consent, "error.consent.required"}});
}

TEST_CASE("validation does not change the form", "[validation]") {
    ReferralForm form = completeForm();
    form.name = "  Ann\x01 ";
    form.phone = "+44 (0)161 496 0123";
    validateForSubmit(form);
    CHECK(plain(form.name) == "  Ann\x01 ");
    CHECK(plain(form.phone) == "+44 (0)161 496 0123");
}

TEST_CASE("cleanedCopy cleans every text field as submit stores it", "[validation]") {
    ReferralForm form = completeForm();
    form.needCodes = {"lonely", "", "food", "lonely"};
    form.needsText = "  line one\r\nline two \x01 ";
    form.name.assign(150, 'n');
    form.name.append("  ");
    form.phone = " +44 (0)161 496 0123 ";
    form.email = " ann@example.org\t";
    form.accessNeeds =
        "\xE2\x80\xAE"
        "wheelchair\nuser ";
    form.bestTime = ContactTime::Evening;
    form.preferredLanguage = "pl";
    form.interpreterNeeded = true;

    ReferralForm copy = cleanedCopy(form);
    CHECK(copy.needCodes == std::vector<std::string>{"lonely", "food"});
    CHECK(plain(copy.needsText) == "line one\nline two");
    CHECK(plain(copy.name) == std::string(kMaxNameLength, 'n'));
    CHECK(plain(copy.phone) == "0161 496 0123");
    CHECK(plain(copy.email) == "ann@example.org");
    CHECK(plain(copy.accessNeeds) == "wheelchair\nuser");
    CHECK(copy.kind == ReferralKind::Service);
    CHECK(copy.serviceId == "svc-0042");
    CHECK(copy.bestTime == ContactTime::Evening);
    CHECK(copy.safeToLeaveMessage == Answer::Yes);
    CHECK(copy.preferredLanguage == "pl");
    CHECK(copy.interpreterNeeded);
    CHECK(copy.consentGiven);

    SECTION("an invalid phone is kept (cleaned) so validation still reports it") {
        form.phone = " 0900 123 4567 ";
        CHECK(plain(cleanedCopy(form).phone) == "0900 123 4567");
    }
}

TEST_CASE("wipe clears every field back to its default", "[validation]") {
    ReferralForm form = completeForm();
    form.needsText = std::string(500, 'x');  // on the heap
    form.email = "ann@example.org";          // in the small-string buffer
    form.accessNeeds = "ramp";
    form.bestTime = ContactTime::Morning;
    form.preferredLanguage = "pl";
    form.interpreterNeeded = true;
    const char* inlineBuffer = form.email.data();

    form.wipe();

    const ReferralForm fresh;
    CHECK(form.kind == fresh.kind);
    CHECK(form.serviceId.empty());
    CHECK(form.serviceName.empty());
    CHECK(form.needCodes.empty());
    CHECK(form.needsText.empty());
    CHECK(form.name.empty());
    CHECK(form.phone.empty());
    CHECK(form.email.empty());
    CHECK(form.accessNeeds.empty());
    CHECK(form.bestTime == ContactTime::NoPreference);
    CHECK(form.safeToLeaveMessage == Answer::NotAnswered);
    CHECK(form.preferredLanguage == "en");
    CHECK_FALSE(form.interpreterNeeded);
    CHECK_FALSE(form.consentGiven);
    // The small-string buffer itself was overwritten, not just marked empty.
    REQUIRE(form.email.data() == inlineBuffer);
    for (std::size_t i = 0; i < form.email.capacity(); ++i) {
        CHECK(inlineBuffer[i] == '\0');
    }
}
