// ORUK 3.0 / HSDS 3.0 documents as published (issue 11): every shape, nested records, RFC 5545
// schedules, cost, phones, languages, problems collected per record, the needs mapping.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "core/common/atomic_file.h"
#include "core/common/time_zone.h"
#include "core/config/toml.h"
#include "core/directory/hsds_export.h"
#include "core/directory/hsds_import.h"
#include "core/directory/needs_mapping.h"
#include "core/directory/schedule.h"

using nlohmann::json;
using namespace signpost;
using namespace std::chrono;

namespace {

std::string document(const std::string& name) {
    return readFile(std::filesystem::path(SIGNPOST_SOURCE_DIR) / "tests" / "data" / "oruk" / name);
}

const NeedsMapping& mapping() {
    static const NeedsMapping loaded = NeedsMapping::load(
        std::filesystem::path(SIGNPOST_SOURCE_DIR) / "config" / "needs-mapping.toml");
    return loaded;
}

ImportResult importWithMapping(const std::string& text) {
    ImportOptions options;
    options.needsMapping = &mapping();
    options.versionLabel = "test-feed";
    return importHsds(text, options);
}

const Service& serviceNamed(const DirectoryData& data, const std::string& name) {
    auto it = std::find_if(data.services.begin(), data.services.end(),
                           [&](const Service& s) { return s.name == name; });
    REQUIRE(it != data.services.end());
    return *it;
}

const ImportProblem* problemAt(const ImportResult& result, const std::string& field) {
    for (const ImportProblem& problem : result.problems) {
        if (problem.field == field) {
            return &problem;
        }
    }
    return nullptr;
}

bool hasPhone(const Service& s, const std::string& number, const std::string& description) {
    return std::any_of(s.phones.begin(), s.phones.end(), [&](const Phone& p) {
        return p.number == number && p.description == description;
    });
}

const TimeZone& london() {
    static const TimeZone zone = TimeZone::load("Europe/London");
    return zone;
}

// Open at this London wall-clock time? (Converted through the zone, so BST is real.)
bool openAtLondon(const std::vector<ScheduleRule>& rules, int y, unsigned m, unsigned d, int hh,
                  int mm) {
    // Try both offsets and keep the instant whose local reading is the one asked for.
    for (int offset : {0, 1}) {
        const sys_seconds instant =
            sys_days{year{y} / month{m} / day{d}} + hours{hh - offset} + minutes{mm};
        const LocalTime local = london().toLocal(instant);
        if (local.minutesOfDay == hh * 60 + mm) {
            return isOpenAt(rules, local);
        }
    }
    FAIL("no such London time");
    return false;
}

}  // namespace

TEST_CASE("a full ORUK service document imports with its nested records", "[oruk_import]") {
    const ImportResult result = importWithMapping(document("service_full.json"));
    CHECK(result.shape == "service");
    CHECK(result.servicesRead == 1);
    REQUIRE(result.data.services.size() == 1);
    const DirectoryData& data = result.data;
    CHECK(data.version == "test-feed");
    const Service& s = data.services[0];
    CHECK(s.id == "6f1c2a4e-9b1d-4c55-8e2f-3a7d0c1b5e01");
    CHECK(s.name == "Talking Space Counselling");
    CHECK(s.url == "https://talking-space.example/counselling");
    CHECK(s.email == "hello@talking-space.example");
    CHECK(s.eligibility == "Adults aged 18 and over who live in Manchester");
    CHECK(s.minimumAge == 18);
    CHECK(s.maximumAge == 120);
    CHECK(s.lastChecked == CivilDate{year{2026}, month{10}, day{2}});
    // The organisation was embedded: it is a record, and the service points at it.
    REQUIRE(data.organisations.size() == 1);
    CHECK(data.organisations[0].name == "Talking Space Manchester");
    CHECK(s.organisationId == data.organisations[0].id);
    // The location was embedded in service_at_locations[0].location.
    REQUIRE(data.locations.size() == 1);
    const Location& place = data.locations[0];
    CHECK(s.locationIds == std::vector<std::string>{place.id});
    CHECK(place.address.line1 ==
          "12 Birley Walk");  // the physical address, not the postal one first
    CHECK(place.address.postcode == "M15 5QQ");
    CHECK(place.accessibility ==
          std::vector<std::string>{"Step-free entrance. Automatic doors from the car park"});
    CHECK(place.latitude == Approx(53.4702));
    // Phones from the service, its contacts, the service_at_location and its contacts, and the
    // location and its contacts; a fax is no use at a kiosk; duplicates by digits go.
    CHECK(hasPhone(s, "0161 496 0701 ext. 12", "Reception"));
    CHECK(hasPhone(s, "07700 900701", "Duty counsellor, Counsellor"));
    CHECK(hasPhone(s, "0161 496 0702",
                   "Asha Patel, Centre manager"));  // quotes inside the string removed
    CHECK(hasPhone(s, "0161 496 0704", "Building"));
    CHECK(hasPhone(s, "0161 496 0703", "Front desk"));
    CHECK(s.phones.size() == 5);
    // Languages by code, by name only, and by a three-letter code.
    CHECK(s.languages == std::vector<std::string>{"en", "ur", "pl"});
    // Cost: the paid option explains; a free option for some people does not make it free.
    CHECK_FALSE(s.isFree);
    CHECK(s.costKnown);
    CHECK(s.costDescription == "Standard: £20 per one-hour session");
    // Areas: the city name is city-wide, a neighbourhood is one, a drawn shape is reported.
    REQUIRE(s.serviceAreas.size() == 3);
    CHECK(s.serviceAreas[0].extentType == "city");
    CHECK(s.serviceAreas[1].extentType == "neighbourhood");
    CHECK(s.serviceAreas[1].name == "Hulme, Moss Side & Rusholme");
    CHECK(s.serviceAreas[2].extentType == "area");
    REQUIRE(problemAt(result, "service_areas[2].extent_type") != nullptr);
    CHECK(problemAt(result, "service_areas[2].extent_type")->effect == ImportEffect::FieldIgnored);
    // The schedule-level attending_type is told with how to get the service.
    CHECK(s.applicationProcess.find("In person at the Hulme centre, or by video call") !=
          std::string::npos);
    // Needs from the mapping file: esdNeed:69 by CURIE, "Counselling" by name.
    CHECK(s.needCodes == std::vector<std::string>{"feeling-lonely", "mental-wellbeing"});
    // Its own term's parent is not in the document: the term stays, the link is reported.
    const ImportProblem* parent = problemAt(result, "parent_id");
    REQUIRE(parent != nullptr);
    CHECK(parent->effect == ImportEffect::FieldIgnored);
    // Every schedule was read exactly: service 4 + service_at_location 1 (the building's own hours
    // are the building's, not the service's).
    CHECK(s.schedules.size() == 5);
    CHECK_FALSE(s.checkTimes);
    for (const ImportProblem& problem : result.problems) {
        CHECK(problem.effect != ImportEffect::HoursIncomplete);
        CHECK(problem.effect != ImportEffect::RecordSkipped);
    }
}

TEST_CASE("RFC 5545 schedules from a feed are open exactly when they say",
          "[oruk_import][schedule]") {
    const ImportResult result = importWithMapping(document("service_full.json"));
    REQUIRE(result.data.services.size() == 1);
    const std::vector<ScheduleRule>& rules = result.data.services[0].schedules;
    SECTION("09:00:00Z is the venue's 9am in summer and in winter") {
        CHECK(openAtLondon(rules, 2026, 6, 1, 9, 0));  // Monday, BST
        CHECK_FALSE(openAtLondon(rules, 2026, 6, 1, 8, 59));
        CHECK(openAtLondon(rules, 2026, 12, 7, 16, 59));  // Monday, GMT
        CHECK_FALSE(openAtLondon(rules, 2026, 12, 7, 17, 0));
    }
    SECTION("interval 2 counts fortnights from dtstart") {
        CHECK(openAtLondon(rules, 2026, 1, 24, 10, 30));  // two weeks after 10 January
        CHECK_FALSE(openAtLondon(rules, 2026, 1, 17, 10, 30));
        CHECK(openAtLondon(rules, 2026, 7, 11, 12, 59));  // 26 weeks on
        CHECK_FALSE(openAtLondon(rules, 2026, 7, 18, 11, 0));
        CHECK_FALSE(openAtLondon(rules, 2026, 1, 3, 11, 0));  // before dtstart
    }
    SECTION("count 12 of last Fridays ends on the twelfth") {
        CHECK(openAtLondon(rules, 2026, 1, 30, 18, 30));
        CHECK(openAtLondon(rules, 2026, 12, 25, 19, 59));
        CHECK_FALSE(openAtLondon(rules, 2026, 12, 18, 19, 0));  // a Friday, not the last
        CHECK_FALSE(openAtLondon(rules, 2027, 1, 29, 19, 0));   // the thirteenth
    }
    SECTION("bymonthday with until (on Sundays, when nothing else is open)") {
        CHECK(openAtLondon(rules, 2026, 3, 15, 12, 30));
        CHECK(openAtLondon(rules, 2026, 11, 1, 12, 0));
        CHECK_FALSE(openAtLondon(rules, 2026, 11, 8, 12, 30));
        CHECK_FALSE(openAtLondon(rules, 2027, 8, 1, 12, 30));  // a 1st, after until
    }
    SECTION("DAILY limited by byday, from dtstart") {
        CHECK(openAtLondon(rules, 2026, 3, 2, 8, 10));  // Monday
        CHECK(openAtLondon(rules, 2026, 3, 4, 8, 10));  // Wednesday
        CHECK_FALSE(openAtLondon(rules, 2026, 3, 3, 8, 10));
        CHECK_FALSE(openAtLondon(rules, 2026, 2, 27, 8, 10));  // a Friday before dtstart
    }
    SECTION("DAILY every third day from dtstart") {
        json doc = json::parse(document("services_page.json"))["contents"][0];
        doc["schedules"] = json::parse(R"([{"freq": "DAILY", "interval": 3, "dtstart": "2026-03-02",
                                            "opens_at": "08:00:00", "closes_at": "08:30:00"}])");
        const auto daily = importHsds(doc.dump()).data.services.at(0).schedules;
        CHECK(openAtLondon(daily, 2026, 3, 2, 8, 10));
        CHECK(openAtLondon(daily, 2026, 3, 5, 8, 10));
        CHECK_FALSE(openAtLondon(daily, 2026, 3, 4, 8, 10));
        CHECK_FALSE(openAtLondon(daily, 2026, 3, 1, 8, 10));
    }
}

TEST_CASE("issue 11: a schedule with until is closed after it ended", "[oruk_import][schedule]") {
    // Before: until was neither honoured nor refused, so the service showed "open" for ever.
    json service = json::parse(document("services_page.json"))["contents"][0];
    service["schedules"] = json::parse(
        R"([{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00:00Z", "closes_at": "12:00:00Z", "until": "2026-03-31"}])");
    const ImportResult result = importHsds(service.dump());
    REQUIRE(result.data.services.size() == 1);
    const auto& rules = result.data.services[0].schedules;
    CHECK(openAtLondon(rules, 2026, 3, 31, 11, 0));
    CHECK_FALSE(openAtLondon(rules, 2026, 4, 7, 11, 0));
    // An until with a time before the opening leaves that day out.
    service["schedules"][0]["until"] = "2026-03-31T09:00:00Z";
    const auto early = importHsds(service.dump()).data.services.at(0).schedules;
    CHECK_FALSE(openAtLondon(early, 2026, 3, 31, 11, 0));
    CHECK(openAtLondon(early, 2026, 3, 24, 11, 0));
}

TEST_CASE("issue 11: fees_description without cost options is not free", "[oruk_import]") {
    json service = json::parse(document("services_page.json"))["contents"][0];
    service["fees_description"] = "£50 per hour";
    Service s = importHsds(service.dump()).data.services.at(0);
    CHECK_FALSE(s.isFree);  // before: shown as free
    CHECK(s.costKnown);
    CHECK(s.costDescription == "£50 per hour");
    service.erase("fees_description");
    s = importHsds(service.dump()).data.services.at(0);
    CHECK_FALSE(s.isFree);  // nothing published: neither free nor a price
    CHECK_FALSE(s.costKnown);
    service["cost_options"] = json::parse(R"([{"amount": 0}])");
    s = importHsds(service.dump()).data.services.at(0);
    CHECK(s.isFree);
}

TEST_CASE("an ORUK page imports what it can and reports each bad record", "[oruk_import]") {
    const ImportResult result = importWithMapping(document("services_page.json"));
    CHECK(result.shape == "page");
    CHECK(result.servicesRead == 3);
    REQUIRE(result.data.services.size() == 2);
    const Service& food = serviceNamed(result.data, "Levenshulme Food Share");
    CHECK(food.status == ServiceStatus::Active);
    CHECK_FALSE(food.costKnown);
    CHECK(food.needCodes ==
          std::vector<std::string>{"other-support"});  // no terms: "Other support"
    const Service& money = serviceNamed(result.data, "Money Matters Drop-in");
    CHECK(money.status == ServiceStatus::TemporarilyClosed);
    CHECK(money.isFree);
    CHECK(money.organisationId ==
          food.organisationId);  // an id reference to an embedded organization
    REQUIRE(result.problems.size() == 2);
    CHECK(result.recordsSkipped() == 2);
    const ImportProblem& bad = result.problems[0];
    CHECK(bad.recordId == "a1000000-0000-4000-8000-000000000003");
    CHECK(bad.field == "status");
    CHECK(bad.reason == "expected active, inactive, defunct or temporarily closed, got \"open\"");
    CHECK(bad.toString() ==
          "contents[2] (id \"a1000000-0000-4000-8000-000000000003\"): status: expected active, "
          "inactive, defunct or temporarily closed, got \"open\" [skipped]");
    CHECK(result.problems[1].record == "contents[3]");
    CHECK(result.problems[1].reason == "not an HSDS service, organization or service_at_location");
}

TEST_CASE("an organization document brings its services and locations", "[oruk_import]") {
    const ImportResult result = importWithMapping(document("organization_full.json"));
    CHECK(result.shape == "organization");
    REQUIRE(result.data.services.size() == 2);
    REQUIRE(result.data.organisations.size() == 1);
    REQUIRE(result.data.locations.size() == 1);
    const Service& lunch = serviceNamed(result.data, "Community Lunch");
    CHECK(lunch.organisationId == "b2000000-0000-4000-8000-0000000000b1");
    CHECK(lunch.locationIds == std::vector<std::string>{"b2000000-0000-4000-8000-0000000000c1"});
    CHECK(hasPhone(lunch, "0161 496 0802", "Hub desk"));  // the location's phone
    CHECK(lunch.languages == std::vector<std::string>{"so"});
    CHECK_FALSE(lunch.isFree);
    CHECK(lunch.costDescription == "£2.50 a meal");
    CHECK(lunch.schedules.size() == 1);
    const Service& course = serviceNamed(result.data, "Cookery Course");
    CHECK(course.languages.empty());
    const ImportProblem* klingon = problemAt(result, "languages[0].name");
    REQUIRE(klingon != nullptr);
    CHECK(klingon->recordId == course.id);
    CHECK(klingon->effect == ImportEffect::FieldIgnored);
    CHECK(klingon->reason == "no ISO 639 code known for \"Klingon\"; give its code");
}

TEST_CASE("a service_at_location document is its service at that place", "[oruk_import]") {
    const ImportResult result = importWithMapping(document("service_at_location_full.json"));
    CHECK(result.shape == "service_at_location");
    REQUIRE(result.data.services.size() == 1);
    const Service& s = result.data.services[0];
    CHECK(s.name == "Housing Advice at the Library");
    CHECK(s.organisationId == "c3000000-0000-4000-8000-0000000000b1");
    CHECK(s.locationIds == std::vector<std::string>{"c3000000-0000-4000-8000-0000000000c1"});
    CHECK(hasPhone(s, "0161 496 0901", "Library desk"));
    CHECK(hasPhone(s, "0161 496 0902", "Sam Okafor, Adviser"));
    CHECK(s.isFree);
    CHECK(s.attendingAccess == AttendingAccess::DropIn);
    REQUIRE(s.schedules.size() == 1);
    CHECK(s.schedules[0].frequency == ScheduleFrequency::Monthly);
    CHECK(openAtLondon(s.schedules, 2026, 11, 17, 12, 0));  // third Tuesday
    CHECK_FALSE(openAtLondon(s.schedules, 2026, 11, 10, 12, 0));
    CHECK(result.problems.empty());
}

TEST_CASE("rules that cannot be honoured are refused by field and the rest imports",
          "[oruk_import]") {
    const ImportResult result = importWithMapping(document("quirks_service.json"));
    REQUIRE(result.data.services.size() == 1);
    const Service& s = result.data.services[0];
    CHECK(s.checkTimes);               // never a silently wrong "open now"
    REQUIRE(s.schedules.size() == 1);  // the Saturday rule was fine
    CHECK(openAtLondon(s.schedules, 2026, 11, 21, 10, 0));
    auto expect = [&](const std::string& field, ImportEffect effect, const std::string& reason) {
        INFO(field);
        const ImportProblem* problem = problemAt(result, field);
        REQUIRE(problem != nullptr);
        CHECK(problem->effect == effect);
        CHECK(problem->reason == reason);
        CHECK(problem->recordId ==
              (field == "latitude" || field == "parent_id" ? problem->recordId : s.id));
    };
    expect("schedules[0].bymonthday", ImportEffect::HoursIncomplete,
           "RFC 5545 does not allow bymonthday with freq WEEKLY");
    expect("schedules[1].byweekno", ImportEffect::HoursIncomplete,
           "not supported; use freq WEEKLY, MONTHLY or DAILY with byday or bymonthday");
    expect("schedules[2].timezone", ImportEffect::HoursIncomplete,
           "the venue's clock is Europe/London (UTC+0 or +1); times in another zone cannot be "
           "shown right, got 3");
    expect("schedules[3].count", ImportEffect::HoursIncomplete,
           "RFC 5545 allows count or until, not both");
    expect("latitude", ImportEffect::FieldIgnored, "must be between -90 and 90");
    expect("languages[0].code", ImportEffect::FieldIgnored,
           "expected an ISO 639 language code like \"en\" or \"pl\", got \"english\"");
    expect("attributes[1].taxonomy_term_id", ImportEffect::FieldIgnored,
           "no taxonomy term with id \"d4000000-0000-4000-8000-0000000000e8\"");
    REQUIRE(result.data.locations.size() == 1);
    CHECK_FALSE(result.data.locations[0].latitude.has_value());
    CHECK(hasPhone(s, "+44 161 496 0950 ext. 100", ""));
}

TEST_CASE("a document that is not HSDS is refused whole", "[oruk_import]") {
    for (const char* text :
         {R"({"foo": 1})", "[1, 2]", R"("services")", "42",
          R"({"type": "FeatureCollection", "features": []})", R"([{"id": "x"}])"}) {
        INFO(text);
        CHECK_THROWS_AS(importHsds(text), ImportError);
    }
    CHECK_THROWS_WITH(importHsds("{"), Catch::StartsWith("document: not valid JSON"));
    // An empty list or page is HSDS with nothing in it.
    CHECK(importHsds("[]").data.services.empty());
    CHECK(importHsds(R"({"total_items": 0, "empty": true, "contents": []})").data.services.empty());
}

TEST_CASE("what an ORUK import keeps survives Signpost's own format", "[oruk_import]") {
    for (const char* name : {"service_full.json", "services_page.json", "organization_full.json",
                             "service_at_location_full.json", "quirks_service.json"}) {
        INFO(name);
        const DirectoryData imported = importWithMapping(document(name)).data;
        const DirectoryData again = parseHsdsJson(toHsdsJson(imported));
        REQUIRE(again.services.size() == imported.services.size());
        for (std::size_t i = 0; i < imported.services.size(); ++i) {
            const Service& a = imported.services[i];
            const Service& b = again.services[i];
            CHECK(a.schedules == b.schedules);
            CHECK(a.phones == b.phones);
            CHECK(a.isFree == b.isFree);
            CHECK(a.costKnown == b.costKnown);
            CHECK(a.costDescription == b.costDescription);
            CHECK(a.checkTimes == b.checkTimes);
            CHECK(a.languages == b.languages);
            CHECK(a.needCodes == b.needCodes);
            CHECK(a.applicationProcess == b.applicationProcess);
        }
        CHECK(again.taxonomyTerms.size() == imported.taxonomyTerms.size());
    }
}

TEST_CASE("the needs mapping file", "[oruk_import][needs_mapping]") {
    const NeedsMapping& shipped = mapping();
    REQUIRE(shipped.otherNeed() != nullptr);
    CHECK(shipped.otherNeed()->code == "other-support");
    CHECK(shipped.needs().front().code == "feeling-lonely");
    TaxonomyTerm term;
    term.id = "t1";
    term.code = "298";
    term.taxonomy = "esdServiceType";
    term.name = "Something else";
    CHECK(shipped.needsFor(term) == std::vector<std::string>{"carers"});  // by taxonomy:code
    term.taxonomy.clear();
    term.name = "FOOD BANKS";
    CHECK(shipped.needsFor(term) == std::vector<std::string>{"food"});  // by name, any case
    term.name = "Unheard of";
    CHECK(shipped.needsFor(term).empty());

    CHECK_THROWS_AS(NeedsMapping::parse("[a]\nname = \"A\"\nterm = [\"x\"]\n", "m.toml"),
                    ConfigError);
    CHECK_THROWS_WITH(NeedsMapping::parse("[a]\nname = \"A\"\nterm = [\"x\"]\n", "m.toml"),
                      "m.toml:3: a.term: unknown key; expected name, description, term_uri, "
                      "keywords, terms or other");
    CHECK_THROWS_WITH(NeedsMapping::parse("[Bad_Code]\nname = \"A\"\n", "m.toml"),
                      Catch::Contains("lower-case letters, digits and dashes"));
    CHECK_THROWS_WITH(
        NeedsMapping::parse("[a]\nname = \"A\"\nother = true\n[b]\nname = \"B\"\nother = true\n",
                            "m.toml"),
        Catch::Contains("only one need can be the catch-all"));
    CHECK_THROWS_WITH(NeedsMapping::parse("[a]\ndescription = \"A\"\n", "m.toml"),
                      Catch::Contains("a.name"));
}
