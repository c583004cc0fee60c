#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

#include "core/common/time_util.h"
#include "core/referral/referral_codec.h"

using namespace signpost;
using nlohmann::json;

namespace {

ReferralEnvelope sampleEnvelope() {
    ReferralEnvelope envelope;
    envelope.id = "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b";
    envelope.reference = "MCR-4K7Q";
    envelope.createdAt = "2026-11-23T14:03:07Z";
    envelope.formVersion = "2026.11";
    envelope.consentVersion = "consent-2026-11-v1";
    envelope.venue = "Chorlton Library";
    envelope.neighbourhood = "Chorlton";
    envelope.deviceId = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a";
    return envelope;
}

ReferralForm sampleForm() {
    ReferralForm form;
    form.kind = ReferralKind::Service;
    form.serviceId = "svc-0042";
    form.serviceName = "Chorlton Tuesday Lunch Club";
    form.needCodes = {"lonely", "food"};
    form.needsText = "I'd like to meet people\nand eat together";
    form.name = "Ann Example";
    form.phone = "+44 (0)161 496 0123";
    form.email = "ann@example.org";
    form.bestTime = ContactTime::Afternoon;
    form.safeToLeaveMessage = Answer::No;
    form.preferredLanguage = "pl";
    form.interpreterNeeded = true;
    form.accessNeeds = "Step-free access";
    form.consentGiven = true;
    return form;
}

std::string text(const SecureBytes& bytes) {
    return std::string(view(bytes));
}

std::string validJson() {
    return text(serialiseReferral(sampleForm(), sampleEnvelope()));
}

// Parses `document` and returns the error message; fails the test if it parses.
std::string formatError(const std::string& document) {
    try {
        parseReferral(document);
    } catch (const ReferralFormatError& error) {
        return error.what();
    }
    FAIL("expected a ReferralFormatError");
    return {};
}

}  // namespace

TEST_CASE("a referral survives the round trip through JSON", "[referral_codec]") {
    const ReferralForm form = sampleForm();
    const ReferralEnvelope envelope = sampleEnvelope();
    const DecodedReferral decoded = parseReferral(view(serialiseReferral(form, envelope)));

    CHECK(decoded.envelope.id == envelope.id);
    CHECK(decoded.envelope.reference == envelope.reference);
    CHECK(decoded.envelope.createdAt == envelope.createdAt);
    CHECK(decoded.envelope.formVersion == envelope.formVersion);
    CHECK(decoded.envelope.consentVersion == envelope.consentVersion);
    CHECK(decoded.envelope.venue == envelope.venue);
    CHECK(decoded.envelope.neighbourhood == envelope.neighbourhood);
    CHECK(decoded.envelope.deviceId == envelope.deviceId);
    CHECK_FALSE(decoded.envelope.test);
    CHECK(decoded.kind == "service");
    CHECK(decoded.serviceId == "svc-0042");
    CHECK(decoded.serviceName == "Chorlton Tuesday Lunch Club");
    CHECK(decoded.needs == std::vector<std::string>{"lonely", "food"});
    CHECK(decoded.needsText == "I'd like to meet people\nand eat together");
    CHECK(decoded.name == "Ann Example");
    CHECK(decoded.phone == "0161 496 0123");  // written in normalised form
    CHECK(decoded.email == "ann@example.org");
    CHECK(decoded.bestTime == "afternoon");
    CHECK(decoded.safeToLeaveMessage == "no");
    CHECK(decoded.language == "pl");
    CHECK(decoded.interpreterNeeded);
    CHECK(decoded.accessNeeds == "Step-free access");
    CHECK(decoded.consentGiven);
    CHECK(decoded.consentGivenAt == envelope.createdAt);
}

TEST_CASE("the JSON has the documented shape", "[referral_codec]") {
    const std::string document = validJson();
    CHECK(document.starts_with(R"({"schema":"signpost.referral","schema_version":1,"id":")"));
    const json parsed = json::parse(document);
    for (const char* key :
         {"schema", "schema_version", "id", "reference", "created_at", "form_version", "venue",
          "neighbourhood", "device_id", "test", "kind", "service", "needs", "needs_text", "contact",
          "language", "interpreter_needed", "access_needs", "consent"}) {
        INFO(key);
        CHECK(parsed.contains(key));
    }
    CHECK(parsed.size() == 19);
    CHECK(parsed["contact"].size() == 5);
    CHECK(parsed["consent"] == json({{"given", true},
                                     {"wording_version", "consent-2026-11-v1"},
                                     {"given_at", "2026-11-23T14:03:07Z"}}));
    CHECK(parsed["service"] == json({{"id", "svc-0042"}, {"name", "Chorlton Tuesday Lunch Club"}}));

    SECTION("a general referral has a null service") {
        ReferralForm form = sampleForm();
        form.kind = ReferralKind::General;
        const json general = json::parse(view(serialiseReferral(form, sampleEnvelope())));
        CHECK(general["kind"] == "general");
        CHECK(general["service"].is_null());
        CHECK(parseReferral(view(serialiseReferral(form, sampleEnvelope()))).serviceId.empty());
    }
    SECTION("every enum value is written by name") {
        ReferralForm form = sampleForm();
        const std::pair<ContactTime, const char*> times[] = {
            {ContactTime::NoPreference, "no_preference"},
            {ContactTime::Morning, "morning"},
            {ContactTime::Afternoon, "afternoon"},
            {ContactTime::Evening, "evening"}};
        for (const auto& [time, name] : times) {
            form.bestTime = time;
            CHECK(parseReferral(view(serialiseReferral(form, sampleEnvelope()))).bestTime == name);
        }
        const std::pair<Answer, const char*> answers[] = {
            {Answer::NotAnswered, "not_answered"}, {Answer::Yes, "yes"}, {Answer::No, "no"}};
        for (const auto& [answer, name] : answers) {
            form.safeToLeaveMessage = answer;
            CHECK(
                parseReferral(view(serialiseReferral(form, sampleEnvelope()))).safeToLeaveMessage ==
                name);
        }
    }
    SECTION("a test referral says so") {
        ReferralEnvelope envelope = sampleEnvelope();
        envelope.test = true;
        CHECK(parseReferral(view(serialiseReferral(sampleForm(), envelope))).envelope.test);
    }
}

TEST_CASE("strings are escaped correctly and UTF-8 passes through", "[referral_codec]") {
    ReferralForm form = sampleForm();
    form.name = "Ann \"Nan\" O\\Brien";
    form.needsText = "tab\there\nline\x01\x1F end";
    form.accessNeeds = "Zo\xC3\xAB \xC5\x81ukasz \xE2\x82\xAC \xF0\x9F\x98\x80 </script>";
    const std::string document = text(serialiseReferral(form, sampleEnvelope()));

    CHECK(document.find(R"("name":"Ann \"Nan\" O\\Brien")") != std::string::npos);
    CHECK(document.find(R"("needs_text":"tab\u0009here\u000aline\u0001\u001f end")") !=
          std::string::npos);
    // Multi-byte characters are written as they are, not as \u escapes; '/' is not escaped.
    CHECK(document.find("\"access_needs\":\"Zo\xC3\xAB \xC5\x81ukasz \xE2\x82\xAC "
                        "\xF0\x9F\x98\x80 </script>\"") != std::string::npos);
    for (char c : document) {
        CHECK(static_cast<unsigned char>(c) >= 0x20);  // no raw control characters at all
    }

    const DecodedReferral decoded = parseReferral(document);
    CHECK(decoded.name == "Ann \"Nan\" O\\Brien");
    CHECK(decoded.needsText == "tab\there\nline\x01\x1F end");
    CHECK(decoded.accessNeeds ==
          "Zo\xC3\xAB \xC5\x81ukasz \xE2\x82\xAC \xF0\x9F\x98\x80 </script>");
}

TEST_CASE("invalid UTF-8 never makes invalid JSON", "[referral_codec]") {
    ReferralEnvelope envelope = sampleEnvelope();
    envelope.venue = "Venue \xFF\xC3 name";
    const std::string document = text(serialiseReferral(sampleForm(), envelope));
    CHECK(document.find("\"venue\":\"Venue \xEF\xBF\xBD\xEF\xBF\xBD name\"") != std::string::npos);
    CHECK_NOTHROW(json::parse(document));
}

TEST_CASE("serialising needs a validated phone", "[referral_codec]") {
    ReferralForm form = sampleForm();
    form.phone = "0900 123 4567";
    CHECK_THROWS_AS(serialiseReferral(form, sampleEnvelope()), std::invalid_argument);
    form.phone.clear();
    CHECK(parseReferral(view(serialiseReferral(form, sampleEnvelope()))).phone.empty());
}

TEST_CASE("the buffer is filled in place, without growing", "[referral_codec]") {
    ReferralForm form = sampleForm();
    form.needsText.assign(kMaxFreeTextLength, '\x01');  // the worst case: every byte escaped
    const SecureBytes bytes = serialiseReferral(form, sampleEnvelope());
    CHECK(bytes.size() <= bytes.capacity());
    CHECK(parseReferral(view(bytes)).needsText.size() == kMaxFreeTextLength);
}

TEST_CASE("parseReferral checks the schema, its version and every field", "[referral_codec]") {
    const json valid = json::parse(validJson());
    REQUIRE_NOTHROW(parseReferral(valid.dump()));

    SECTION("not JSON, not an object") {
        CHECK(formatError("") == "referral is not valid JSON (at byte 1)");
        CHECK(formatError("{\"schema\": ").find("not valid JSON") != std::string::npos);
        CHECK(formatError("[1, 2]") == "referral is not a JSON object");
        CHECK(formatError("\"signpost.referral\"") == "referral is not a JSON object");
    }
    SECTION("a JSON error never quotes the payload") {
        std::string broken = valid.dump();
        broken.insert(broken.find("Ann Example") + 3, "\"");  // breaks the JSON inside the name
        const std::string message = formatError(broken);
        CHECK(message.find("Ann") == std::string::npos);
        CHECK(message.find("Example") == std::string::npos);
    }
    SECTION("schema") {
        json edited = valid;
        edited["schema"] = "something.else";
        CHECK(formatError(edited.dump()).find("\"schema\"") != std::string::npos);
        edited.erase("schema");
        CHECK(formatError(edited.dump()) == "referral field \"schema\": required field is missing");
    }
    SECTION("schema version") {
        json edited = valid;
        edited["schema_version"] = 2;
        CHECK(formatError(edited.dump()) ==
              "referral field \"schema_version\": version 2 is newer than this program "
              "understands (1); update signpost");
        edited["schema_version"] = 0;
        CHECK(formatError(edited.dump()).find("must be 1 or more") != std::string::npos);
        edited["schema_version"] = "1";
        CHECK(formatError(edited.dump()).find("whole number") != std::string::npos);
        edited["schema_version"] = 1.5;
        CHECK(formatError(edited.dump()).find("whole number") != std::string::npos);
    }
    SECTION("every required field, when missing, is named") {
        const char* topLevel[] = {"id",           "reference", "created_at",
                                  "form_version", "venue",     "neighbourhood",
                                  "device_id",    "test",      "kind",
                                  "service",      "needs",     "needs_text",
                                  "contact",      "language",  "interpreter_needed",
                                  "access_needs", "consent"};
        for (const char* key : topLevel) {
            json edited = valid;
            edited.erase(key);
            INFO(key);
            CHECK(formatError(edited.dump()) ==
                  std::string("referral field \"") + key + "\": required field is missing");
        }
        for (const char* key : {"name", "phone", "email", "best_time", "safe_to_leave_message"}) {
            json edited = valid;
            edited["contact"].erase(key);
            INFO(key);
            CHECK(formatError(edited.dump()) ==
                  std::string("referral field \"contact.") + key + "\": required field is missing");
        }
        for (const char* key : {"given", "wording_version", "given_at"}) {
            json edited = valid;
            edited["consent"].erase(key);
            INFO(key);
            CHECK(formatError(edited.dump()) ==
                  std::string("referral field \"consent.") + key + "\": required field is missing");
        }
        for (const char* key : {"id", "name"}) {
            json edited = valid;
            edited["service"].erase(key);
            INFO(key);
            CHECK(formatError(edited.dump()) ==
                  std::string("referral field \"service.") + key + "\": required field is missing");
        }
    }
    SECTION("wrong types are named") {
        struct Case {
            const char* pointer;
            json value;
            const char* field;
        };
        const Case cases[] = {
            {"/id", 42, "id"},
            {"/venue", nullptr, "venue"},
            {"/test", "false", "test"},
            {"/needs", "lonely", "needs"},
            {"/needs", json::array({"lonely", 3}), "needs[1]"},
            {"/needs_text", json::array(), "needs_text"},
            {"/contact", "Ann", "contact"},
            {"/contact/name", 1, "contact.name"},
            {"/interpreter_needed", 1, "interpreter_needed"},
            {"/consent", true, "consent"},
            {"/consent/given", "yes", "consent.given"},
            {"/service", "svc-0042", "service"},
            {"/service/id", 42, "service.id"},
        };
        for (const Case& c : cases) {
            json edited = valid;
            edited[json::json_pointer(c.pointer)] = c.value;
            INFO(c.pointer);
            CHECK(formatError(edited.dump())
                      .starts_with(std::string("referral field \"") + c.field + "\""));
        }
    }
    SECTION("values are checked") {
        struct Case {
            const char* pointer;
            json value;
            const char* field;
        };
        const Case cases[] = {
            {"/id", "not-a-uuid", "id"},
            {"/id", "3F2B8C1E-9A4D-4E6F-8B2A-1C3D5E7F9A0B", "id"},
            {"/reference", "MCR-0000", "reference"},
            {"/created_at", "yesterday", "created_at"},
            {"/kind", "urgent", "kind"},
            {"/contact/best_time", "night", "contact.best_time"},
            {"/contact/safe_to_leave_message", "maybe", "contact.safe_to_leave_message"},
            {"/contact/name", "", "contact.name"},
            {"/consent/given", false, "consent.given"},
            {"/consent/given_at", "", "consent.given_at"},
            {"/service/id", "", "service.id"},
            {"/service", nullptr, "service"},  // a service referral without its service
        };
        for (const Case& c : cases) {
            json edited = valid;
            edited[json::json_pointer(c.pointer)] = c.value;
            INFO(c.pointer);
            CHECK(formatError(edited.dump())
                      .starts_with(std::string("referral field \"") + c.field + "\""));
        }
    }
    SECTION("kind and service must agree") {
        json edited = valid;
        edited["kind"] = "general";
        CHECK(formatError(edited.dump()).starts_with("referral field \"service\""));
        edited["service"] = nullptr;
        CHECK_NOTHROW(parseReferral(edited.dump()));
    }
    SECTION("a referral needs a way to get in touch") {
        json edited = valid;
        edited["contact"]["phone"] = "";
        edited["contact"]["email"] = "";
        CHECK(formatError(edited.dump()) ==
              "referral field \"contact\": neither a phone number nor an email address");
        edited["contact"]["email"] = "ann@example.org";
        CHECK_NOTHROW(parseReferral(edited.dump()));
    }
    SECTION("unknown extra fields are ignored (additive changes keep version 1)") {
        json edited = valid;
        edited["future_field"] = {{"x", 1}};
        edited["contact"]["pronouns"] = "she/her";
        CHECK_NOTHROW(parseReferral(edited.dump()));
    }
}

// Found by fuzz/referral_codec_fuzz.cpp: the year 9999 (or -999) overflowed the nanosecond
// system clock inside parseIsoUtc (undefined behaviour), and "%2d" read a negative hour.
TEST_CASE("issue 8 fuzz: dates the clock cannot hold are refused, not overflowed",
          "[referral_codec]") {
    for (const char* text : {"9999-01-01T00:00:00Z", "-999-01-01T00:00:00Z", "1600-01-01T00:00:00Z",
                             "2026-11-23T-1:00:00Z", "2026-11-23T10:-5:00Z"}) {
        INFO(text);
        CHECK_FALSE(parseIsoUtc(text));
        json edited = json::parse(validJson());
        edited["created_at"] = text;
        CHECK(formatError(edited.dump()).find("created_at") != std::string::npos);
    }
    CHECK(parseIsoUtc("2200-12-31T23:59:59Z"));
    CHECK(parseIsoUtc("1970-01-01T00:00:00Z"));
}

// Found by fuzz/referral_codec_fuzz.cpp: nlohmann's out_of_range for 1e400 escaped the codec.
TEST_CASE("issue 8 fuzz: a number no double holds is a ReferralFormatError", "[referral_codec]") {
    CHECK(formatError(R"({"schema_version": 1e400})") ==
          "referral holds a number too large to read");
}
