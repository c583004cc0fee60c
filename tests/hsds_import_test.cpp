#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "core/directory/hsds_export.h"
#include "core/directory/hsds_import.h"
#include "core/directory/schedule.h"
#include "support/test_support.h"

using nlohmann::json;
using namespace signpost;
using namespace std::chrono;

namespace {

// A small but complete document: two needs, two organisations, two locations, two services.
json baseDocument() {
    return json::parse(R"({
      "directory_version": "2026-11-01",
      "taxonomy_terms": [
        {"id": "need-lonely", "code": "feeling-lonely", "name": "Feeling lonely",
         "description": "Company and friendship", "taxonomy": "signpost-needs",
         "term_uri": "esdNeed:69", "keywords": ["isolation", "company"]},
        {"id": "need-food", "code": "food", "name": "Food", "taxonomy": "signpost-needs"},
        {"id": "st-1", "code": "298", "name": "Carers support groups", "taxonomy": "esdServiceType"}
      ],
      "organizations": [
        {"id": "org-1", "name": "Harpurhey Neighbours", "description": "A residents' charity",
         "website": "https://harpurhey-neighbours.example", "email": "hello@harpurhey-neighbours.example"},
        {"id": "org-2", "name": "Moss Side Pantry"}
      ],
      "locations": [
        {"id": "loc-1", "name": "Cedar Hall",
         "addresses": [
           {"address_1": "PO Box 12", "city": "Manchester", "postal_code": "M1 1AA", "address_type": "postal"},
           {"address_1": "14 Cedar Street", "address_2": "Harpurhey", "city": "Manchester",
            "postal_code": "M9 4DH", "address_type": "physical"}],
         "accessibility": [{"description": "Step-free entrance"}, {"description": "Hearing loop"}],
         "transportation": "Buses 17 and 88 stop outside", "latitude": 53.51, "longitude": -2.22},
        {"id": "loc-2", "addresses": [{"address_1": "3 Mill Lane", "postal_code": "M14 4QH"}]}
      ],
      "services": [
        {"id": "svc-1", "organization_id": "org-1", "name": "Tuesday Lunch Club",
         "description": "A hot lunch and a chat.", "url": "https://harpurhey-neighbours.example/lunch",
         "email": "lunch@harpurhey-neighbours.example", "status": "active",
         "eligibility_description": "Anyone over 60", "application_process": "Just turn up",
         "fees_description": "£3 for the meal", "minimum_age": 60, "assured_date": "2026-09-14",
         "attending_type": ["venue", "home visit"], "attending_access": "drop-in",
         "phones": [{"number": "0161 496 0123", "description": "Office"}],
         "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "12:00", "closes_at": "14:00",
                        "description": "term time only"}],
         "service_areas": [{"name": "Higher Blackley & Harpurhey", "extent_type": "neighbourhood"}],
         "service_at_locations": [{"location_id": "loc-1",
             "schedules": [{"freq": "MONTHLY", "byday": "1SA", "opens_at": "10:00:00", "closes_at": "12:00:00",
                            "valid_from": "2026-01-01", "valid_to": "2026-12-31"}]}],
         "languages": [{"code": "en"}, {"code": "PL"}, {"code": "en"}],
         "cost_options": [{"amount": 0, "option": "Drinks"}, {"amount": 3, "amount_description": "£3 for the meal"}],
         "attributes": [{"taxonomy_term_id": "need-lonely"}, {"taxonomy_term_id": "need-food"},
                        {"taxonomy_term_id": "st-1"}, {"taxonomy_term_id": "need-food"}],
         "x_accepts_referrals": false},
        {"id": "svc-2", "organization_id": "org-2", "name": "Pantry", "status": "active",
         "description": null, "service_areas": [{"name": "Manchester", "extent_type": "city"}]}
      ]
    })");
}

DirectoryData parse(const json& document) {
    return parseHsdsJson(document.dump());
}

// Expects an ImportError whose message is exactly `message`.
void expectError(const json& document, const std::string& message) {
    INFO(document.dump().substr(0, 200));
    try {
        parse(document);
        FAIL("no ImportError; expected: " << message);
    } catch (const ImportError& error) {
        CHECK(std::string(error.what()) == message);
    }
}

}  // namespace

TEST_CASE("a complete HSDS document maps onto the directory types", "[hsds_import]") {
    DirectoryData data = parse(baseDocument());
    CHECK(data.version == "2026-11-01");
    REQUIRE(data.taxonomyTerms.size() == 3);
    const TaxonomyTerm& lonely = data.taxonomyTerms[0];
    CHECK(lonely.code == "feeling-lonely");
    CHECK(lonely.termUri == "esdNeed:69");
    CHECK(lonely.keywords == std::vector<std::string>{"isolation", "company"});
    REQUIRE(data.organisations.size() == 2);
    CHECK(data.organisations[0].website == "https://harpurhey-neighbours.example");
    REQUIRE(data.locations.size() == 2);
    const Location& hall = data.locations[0];
    CHECK(hall.address.line1 == "14 Cedar Street");  // the physical address, not the postal one
    CHECK(hall.address.postcode == "M9 4DH");
    CHECK(hall.accessibility == std::vector<std::string>{"Step-free entrance", "Hearing loop"});
    CHECK(hall.latitude == Approx(53.51));
    CHECK(data.locations[1].address.line1 == "3 Mill Lane");
    CHECK_FALSE(data.locations[1].latitude.has_value());

    REQUIRE(data.services.size() == 2);
    const Service& lunch = data.services[0];
    CHECK(lunch.organisationId == "org-1");
    CHECK(lunch.status == ServiceStatus::Active);
    CHECK(lunch.eligibility == "Anyone over 60");
    CHECK(lunch.applicationProcess == "Just turn up");
    CHECK(lunch.minimumAge == 60);
    CHECK_FALSE(lunch.maximumAge.has_value());
    CHECK(lunch.lastChecked == CivilDate{year{2026} / 9 / 14});
    CHECK(lunch.attendingTypes == (kAttendVenue | kAttendHomeVisit));
    CHECK(lunch.attendingAccess == AttendingAccess::DropIn);
    REQUIRE(lunch.phones.size() == 1);
    CHECK(lunch.phones[0].number == "0161 496 0123");
    // The service's own schedule, then its service_at_location's.
    REQUIRE(lunch.schedules.size() == 2);
    CHECK(lunch.schedules[0].byDays == std::vector<ByDay>{{2, 0}});
    CHECK(lunch.schedules[0].description == "term time only");
    CHECK(lunch.schedules[1].frequency == ScheduleFrequency::Monthly);
    CHECK(lunch.schedules[1].byDays == std::vector<ByDay>{{6, 1}});
    CHECK(lunch.schedules[1].opensAtMinutes == 600);
    CHECK(lunch.schedules[1].validTo == CivilDate{year{2026} / 12 / 31});
    REQUIRE(lunch.serviceAreas.size() == 1);
    CHECK(lunch.serviceAreas[0].name == "Higher Blackley & Harpurhey");
    CHECK(lunch.locationIds == std::vector<std::string>{"loc-1"});
    CHECK(lunch.languages == std::vector<std::string>{"en", "pl"});  // lower-cased, no duplicates
    CHECK_FALSE(lunch.isFree);
    CHECK(lunch.costDescription == "£3 for the meal");
    // Only need terms become need codes; duplicates collapse.
    CHECK(lunch.needCodes == std::vector<std::string>{"feeling-lonely", "food"});
    CHECK_FALSE(lunch.acceptsReferrals);

    const Service& pantry = data.services[1];
    CHECK(pantry.description.empty());  // null reads as absent
    CHECK(pantry.isFree);
    CHECK(pantry.acceptsReferrals);  // x_accepts_referrals defaults to true
    CHECK(pantry.attendingTypes == kAttendVenue);
    CHECK(pantry.attendingAccess == AttendingAccess::Unknown);
    CHECK(pantry.serviceAreas[0].extentType == "city");
}

TEST_CASE("cost options decide free and the cost line", "[hsds_import]") {
    json doc = baseDocument();
    json& svc = doc["services"][1];
    SECTION("all zero is free") {
        svc["cost_options"] = json::parse(R"([{"amount": 0}, {"amount": 0.0, "option": "Tea"}])");
        CHECK(parse(doc).services[1].isFree);
    }
    SECTION("an option without an amount is a cost of unknown size") {
        svc["cost_options"] = json::parse(R"([{"option": "Small charge for materials"}])");
        CHECK_FALSE(parse(doc).services[1].isFree);
        CHECK(parse(doc).services[1].costDescription == "Small charge for materials");
    }
    SECTION("an amount alone is shown in pounds") {
        svc["cost_options"] = json::parse(R"([{"amount": 2}])");
        CHECK(parse(doc).services[1].costDescription == "£2");
        svc["cost_options"] = json::parse(R"([{"amount": 2.5}])");
        CHECK(parse(doc).services[1].costDescription == "£2.50");
    }
    SECTION("fees_description explains a cost option with no words") {
        svc["cost_options"] = json::parse(R"([{}])");
        svc["fees_description"] = "Pay what you can";
        CHECK(parse(doc).services[1].costDescription == "Pay what you can");
    }
}

TEST_CASE("what toHsdsJson writes reads back the same", "[hsds_import]") {
    const DirectoryData original = parse(baseDocument());
    const DirectoryData copy = parseHsdsJson(toHsdsJson(original));
    CHECK(copy.version == original.version);
    REQUIRE(copy.taxonomyTerms.size() == original.taxonomyTerms.size());
    for (std::size_t i = 0; i < copy.taxonomyTerms.size(); ++i) {
        CHECK(copy.taxonomyTerms[i].code == original.taxonomyTerms[i].code);
        CHECK(copy.taxonomyTerms[i].keywords == original.taxonomyTerms[i].keywords);
        CHECK(copy.taxonomyTerms[i].termUri == original.taxonomyTerms[i].termUri);
    }
    REQUIRE(copy.locations.size() == original.locations.size());
    CHECK(copy.locations[0].address.line2 == "Harpurhey");
    CHECK(copy.locations[0].accessibility == original.locations[0].accessibility);
    CHECK(copy.locations[0].longitude == original.locations[0].longitude);
    REQUIRE(copy.services.size() == original.services.size());
    for (std::size_t i = 0; i < copy.services.size(); ++i) {
        const Service& a = original.services[i];
        const Service& b = copy.services[i];
        CHECK(b.id == a.id);
        CHECK(b.name == a.name);
        CHECK(b.status == a.status);
        CHECK(b.attendingTypes == a.attendingTypes);
        CHECK(b.attendingAccess == a.attendingAccess);
        CHECK(b.isFree == a.isFree);
        CHECK(b.costDescription == a.costDescription);
        CHECK(b.minimumAge == a.minimumAge);
        CHECK(b.lastChecked == a.lastChecked);
        CHECK(b.languages == a.languages);
        CHECK(b.locationIds == a.locationIds);
        CHECK(b.needCodes == a.needCodes);
        CHECK(b.acceptsReferrals == a.acceptsReferrals);
        REQUIRE(b.schedules.size() == a.schedules.size());
        for (std::size_t r = 0; r < a.schedules.size(); ++r) {
            CHECK(b.schedules[r].byDays == a.schedules[r].byDays);
            CHECK(b.schedules[r].frequency == a.schedules[r].frequency);
            CHECK(b.schedules[r].opensAtMinutes == a.schedules[r].opensAtMinutes);
            CHECK(b.schedules[r].closesAtMinutes == a.schedules[r].closesAtMinutes);
            CHECK(b.schedules[r].validFrom == a.schedules[r].validFrom);
            CHECK(b.schedules[r].validTo == a.schedules[r].validTo);
            CHECK(b.schedules[r].description == a.schedules[r].description);
        }
        REQUIRE(b.serviceAreas.size() == a.serviceAreas.size());
        for (std::size_t r = 0; r < a.serviceAreas.size(); ++r) {
            CHECK(b.serviceAreas[r].name == a.serviceAreas[r].name);
            CHECK(b.serviceAreas[r].extentType == a.serviceAreas[r].extentType);
        }
    }
}

TEST_CASE("documents that are not directories are refused", "[hsds_import]") {
    CHECK_THROWS_WITH(parseHsdsJson("{not json"), Catch::StartsWith("document: not valid JSON"));
    CHECK_THROWS_WITH(parseHsdsJson(""), Catch::StartsWith("document: not valid JSON"));
    CHECK_THROWS_WITH(
        parseHsdsJson("[1, 2]"),
        "document: not an HSDS document: expected a service, a list or ORUK page of services, an "
        "organization, a service_at_location, or a Signpost directory (with directory_version)");
    json doc = baseDocument();
    doc.erase("directory_version");
    expectError(doc, "document: directory_version: required field is missing");
    doc = baseDocument();
    doc["directory_version"] = 7;
    expectError(doc, "document: directory_version: expected a string, got a number");
    doc = baseDocument();
    doc.erase("services");
    expectError(doc, "services: required array is missing");
    doc = baseDocument();
    doc["organizations"] = json::object();
    expectError(doc, "organizations: expected an array, got an object");
    doc = baseDocument();
    doc["services"][0] = "svc-1";
    expectError(doc, "services[0]: expected an object, got a string");
}

TEST_CASE("wrong types name the record and the field", "[hsds_import]") {
    const std::string svc1 = "services[0] (id \"svc-1\"): ";
    auto with = [](const char* pointer, const json& value) {
        json doc = baseDocument();
        doc[json::json_pointer(pointer)] = value;
        return doc;
    };
    expectError(with("/services/0/name", 42), svc1 + "name: expected a string, got a number");
    expectError(with("/services/0/phones", "0161 496 0123"),
                svc1 + "phones: expected an array, got a string");
    expectError(with("/services/0/phones/0", "0161 496 0123"),
                svc1 + "phones[0]: expected an object, got a string");
    expectError(with("/services/0/minimum_age", "60"),
                svc1 + "minimum_age: expected a whole number, got a string");
    expectError(with("/services/0/minimum_age", 60.5),
                svc1 + "minimum_age: expected a whole number, got a number");
    expectError(with("/services/0/x_accepts_referrals", "yes"),
                svc1 + "x_accepts_referrals: expected true or false, got a string");
    expectError(with("/services/0/attending_type", 3),
                svc1 + "attending_type: expected a string or an array of strings, got a number");
    expectError(with("/services/0/attending_type/1", true),
                svc1 + "attending_type[1]: expected a string, got a boolean");
    expectError(with("/services/0/schedules/0/byday", json::array({"TU"})),
                svc1 + "schedules[0].byday: expected a string, got an array");
    expectError(
        with("/services/0/service_at_locations/0/schedules/0/opens_at", 10),
        svc1 + "service_at_locations[0].schedules[0].opens_at: expected a string, got a number");
    expectError(with("/services/0/cost_options/1/amount", "3"),
                svc1 + "cost_options[1].amount: expected a number, got a string");
    expectError(with("/locations/0/latitude", "53.5"),
                "locations[0] (id \"loc-1\"): latitude: expected a number, got a string");
    expectError(
        with("/taxonomy_terms/0/keywords/1", 5),
        "taxonomy_terms[0] (id \"need-lonely\"): keywords[1]: expected a string, got a number");
    expectError(with("/organizations/1/name", json::array()),
                "organizations[1] (id \"org-2\"): name: expected a string, got an array");
}

TEST_CASE("missing required fields are named", "[hsds_import]") {
    const std::string svc1 = "services[0] (id \"svc-1\"): ";
    auto without = [](const char* pointer) {
        json doc = baseDocument();
        json::json_pointer p(pointer);
        doc[p.parent_pointer()].erase(p.back());
        return doc;
    };
    expectError(without("/services/0/id"), "services[0]: id: required field is missing");
    expectError(without("/services/0/organization_id"),
                svc1 + "organization_id: required field is missing");
    expectError(without("/services/0/name"), svc1 + "name: required field is missing");
    expectError(without("/services/0/status"), svc1 + "status: required field is missing");
    expectError(without("/services/0/phones/0/number"),
                svc1 + "phones[0].number: required field is missing");
    expectError(without("/services/0/schedules/0/opens_at"),
                svc1 + "schedules[0].opens_at: required field is missing");
    expectError(without("/services/0/schedules/0/closes_at"),
                svc1 + "schedules[0].closes_at: required field is missing");
    expectError(without("/services/0/service_areas/0/name"),
                svc1 + "service_areas[0].name: required field is missing");
    expectError(without("/services/0/service_at_locations/0/location_id"),
                svc1 + "service_at_locations[0].location_id: required field is missing");
    expectError(without("/services/0/languages/0/code"),
                svc1 + "languages[0].code: required field is missing");
    expectError(without("/services/0/attributes/0/taxonomy_term_id"),
                svc1 + "attributes[0].taxonomy_term_id: required field is missing");
    expectError(without("/organizations/0/name"),
                "organizations[0] (id \"org-1\"): name: required field is missing");
    expectError(without("/locations/1/id"), "locations[1]: id: required field is missing");
    expectError(without("/locations/1/addresses/0/address_1"),
                "locations[1] (id \"loc-2\"): addresses[0].address_1: required field is missing");
    expectError(
        without("/locations/0/accessibility/1/description"),
        "locations[0] (id \"loc-1\"): accessibility[1].description: required field is missing");
    expectError(without("/taxonomy_terms/1/name"),
                "taxonomy_terms[1] (id \"need-food\"): name: required field is missing");
    json doc = baseDocument();
    doc["services"][1]["name"] = "   ";
    expectError(doc, "services[1] (id \"svc-2\"): name: must not be empty");
}

TEST_CASE("duplicate ids and dangling references are refused", "[hsds_import]") {
    json doc = baseDocument();
    doc["services"][1]["id"] = "svc-1";
    expectError(doc, "services[1] (id \"svc-1\"): id: duplicate of services[0]");
    doc = baseDocument();
    doc["organizations"][1]["id"] = "org-1";
    expectError(doc, "organizations[1] (id \"org-1\"): id: duplicate of organizations[0]");
    doc = baseDocument();
    doc["locations"][1]["id"] = "loc-1";
    expectError(doc, "locations[1] (id \"loc-1\"): id: duplicate of locations[0]");
    doc = baseDocument();
    doc["taxonomy_terms"][1]["id"] = "need-lonely";
    expectError(doc, "taxonomy_terms[1] (id \"need-lonely\"): id: duplicate of taxonomy_terms[0]");
    doc = baseDocument();
    doc["taxonomy_terms"][1]["code"] = "feeling-lonely";
    expectError(
        doc,
        "taxonomy_terms[1] (id \"need-food\"): code: duplicate of taxonomy_terms[0] in vocabulary "
        "\"signpost-needs\"");
    // The same code in another vocabulary is fine.
    doc = baseDocument();
    doc["taxonomy_terms"][2]["code"] = "food";
    CHECK_NOTHROW(parse(doc));

    doc = baseDocument();
    doc["services"][1]["organization_id"] = "org-9";
    expectError(doc,
                "services[1] (id \"svc-2\"): organization_id: no organization with id \"org-9\"");
    doc = baseDocument();
    doc["services"][0]["service_at_locations"][0]["location_id"] = "loc-9";
    expectError(doc,
                "services[0] (id \"svc-1\"): service_at_locations[0].location_id: no location with "
                "id \"loc-9\"");
    doc = baseDocument();
    doc["services"][0]["attributes"][1]["taxonomy_term_id"] = "need-nothing";
    expectError(
        doc,
        "services[0] (id \"svc-1\"): attributes[1].taxonomy_term_id: no taxonomy term with id "
        "\"need-nothing\"");
    doc = baseDocument();
    doc["taxonomy_terms"][1]["parent_id"] = "need-root";
    expectError(
        doc,
        "taxonomy_terms[1] (id \"need-food\"): parent_id: no taxonomy term with id \"need-root\"");
}

TEST_CASE("bad schedules are refused with the reason", "[hsds_import]") {
    const std::string at = "services[0] (id \"svc-1\"): schedules[0].";
    auto schedule = [](const char* field, const json& value) {
        json doc = baseDocument();
        doc["services"][0]["schedules"][0][field] = value;
        return doc;
    };
    expectError(schedule("opens_at", "9am"), at + "opens_at: expected HH:MM, got \"9am\"");
    expectError(schedule("closes_at", "25:00"), at + "closes_at: no such time of day: \"25:00\"");
    expectError(schedule("opens_at", "24:00"),
                at + "opens_at: a service cannot open at 24:00; use 00:00");
    expectError(schedule("byday", "XX"),
                at + "byday: unknown day \"XX\" (expected MO, TU, WE, TH, FR, SA or SU)");
    expectError(schedule("byday", "1TU"),
                at + "byday: a week of the month (like 1MO) needs freq MONTHLY");
    expectError(schedule("byday", "6TU"),
                at + "byday: week of the month must be 1 to 5 (or -1 to -5) in \"6TU\"");
    expectError(schedule("freq", "YEARLY"),
                at + "freq: frequency must be WEEKLY, MONTHLY or DAILY, got \"YEARLY\"");
    expectError(schedule("interval", 2),
                at + "interval: every 2 periods needs dtstart to count from");
    expectError(schedule("bymonthday", "15"),
                at + "bymonthday: RFC 5545 does not allow bymonthday with freq WEEKLY");
    expectError(
        schedule("byweekno", "41,42"),
        at + "byweekno: not supported; use freq WEEKLY, MONTHLY or DAILY with byday or bymonthday");
    expectError(schedule("count", 3), at + "count: needs dtstart to count from");
    expectError(schedule("opens_at", "12:00-05:00"),
                at + "opens_at: the venue's clock is Europe/London (Z or +01:00); a time at "
                     "another offset cannot be "
                     "shown right, got \"12:00-05:00\"");
    expectError(schedule("timezone", 3), at + "timezone: the venue's clock is Europe/London (UTC+0 "
                                              "or +1); times in another zone cannot be "
                                              "shown right, got 3");
    expectError(schedule("valid_from", "2026-02-30"),
                at + "valid_from: expected a date YYYY-MM-DD, got \"2026-02-30\"");
    expectError(schedule("valid_to", "31/03/2026"),
                at + "valid_to: expected a date YYYY-MM-DD, got \"31/03/2026\"");
    json doc = schedule("valid_from", "2026-05-01");
    doc["services"][0]["schedules"][0]["valid_to"] = "2026-04-30";
    expectError(doc, at + "valid_to: is before valid_from");
    doc = schedule("freq", "MONTHLY");
    doc["services"][0]["schedules"][0].erase("byday");
    expectError(doc,
                at + "byday: freq MONTHLY needs byday (like 1MO or -1FR), bymonthday or dtstart");
    // interval 1 and a missing freq are fine.
    doc = schedule("interval", 1);
    doc["services"][0]["schedules"][0].erase("freq");
    CHECK(parse(doc).services[0].schedules[0].frequency == ScheduleFrequency::Weekly);
}

TEST_CASE("bad values are refused with the accepted ones listed", "[hsds_import]") {
    const std::string svc1 = "services[0] (id \"svc-1\"): ";
    auto with = [](const char* pointer, const json& value) {
        json doc = baseDocument();
        doc[json::json_pointer(pointer)] = value;
        return doc;
    };
    expectError(
        with("/services/0/status", "open"),
        svc1 + "status: expected active, inactive, defunct or temporarily closed, got \"open\"");
    CHECK(parse(with("/services/0/status", "temporarily closed")).services[0].status ==
          ServiceStatus::TemporarilyClosed);
    CHECK(parse(with("/services/0/status", "Defunct")).services[0].status ==
          ServiceStatus::Defunct);
    expectError(with("/services/0/attending_access", "walk up"),
                svc1 +
                    "attending_access: expected drop-in, appointment, referral or membership, got "
                    "\"walk up\"");
    CHECK(parse(with("/services/0/attending_access", "Drop in")).services[0].attendingAccess ==
          AttendingAccess::DropIn);
    expectError(
        with("/services/0/attending_type", "carrier pigeon"),
        svc1 +
            "attending_type: expected venue, phone, online or home visit, got \"carrier pigeon\"");
    expectError(with("/services/0/attending_type", json::array()),
                svc1 + "attending_type: must name at least one way to attend");
    expectError(with("/services/0/assured_date", "2026-13-01"),
                svc1 + "assured_date: expected a date YYYY-MM-DD, got \"2026-13-01\"");
    expectError(
        with("/services/0/service_areas/0/extent_type", "ward"),
        svc1 + "service_areas[0].extent_type: expected neighbourhood, city or area, got \"ward\"");
    expectError(with("/services/0/languages/1/code", "polish"),
                svc1 +
                    "languages[1].code: expected an ISO 639 language code like \"en\" or \"pl\", "
                    "got \"polish\"");
    expectError(with("/services/0/cost_options/1/amount", -1),
                svc1 + "cost_options[1].amount: must not be negative");
    expectError(with("/services/0/maximum_age", 18), svc1 + "maximum_age: is below minimum_age");
    expectError(with("/services/0/minimum_age", 200),
                svc1 + "minimum_age: must be between 0 and 150, got 200");
    expectError(with("/services/0/url", "harpurhey.example"),
                svc1 +
                    "url: expected a web address starting with https:// or http://, got "
                    "\"harpurhey.example\"");
    expectError(with("/services/0/email", "lunch at harpurhey"),
                svc1 + "email: expected an email address, got \"lunch at harpurhey\"");
    expectError(with("/services/0/phones/0/number", "ask at desk"),
                svc1 + "phones[0].number: expected a phone number, got \"ask at desk\"");
    expectError(with("/locations/0/latitude", 123.0),
                "locations[0] (id \"loc-1\"): latitude: must be between -90 and 90");
    json doc = baseDocument();
    doc["locations"][0].erase("longitude");
    expectError(doc,
                "locations[0] (id \"loc-1\"): longitude: latitude and longitude come together");
}

TEST_CASE("the example error from the header, exactly", "[hsds_import]") {
    json doc = baseDocument();
    doc["services"][0]["id"] = "svc-food-042";
    doc["services"][0]["schedules"][0]["opens_at"] = "9am";
    try {
        parse(doc);
        FAIL("expected an ImportError");
    } catch (const ImportError& error) {
        CHECK(std::string(error.what()) ==
              "services[0] (id \"svc-food-042\"): schedules[0].opens_at: expected HH:MM, got "
              "\"9am\"");
        CHECK(error.recordPath() == "services[0] (id \"svc-food-042\")");
    }
}

TEST_CASE("files: unreadable files and bad records name the file", "[hsds_import]") {
    signpost::test::TempDir dir("hsds");
    CHECK_THROWS_WITH(loadHsdsFile(dir / "missing.json"),
                      Catch::Contains("missing.json") && Catch::Contains("cannot read the file"));
    json doc = baseDocument();
    doc["services"][1]["status"] = "closed";
    signpost::test::writeText(dir / "broken.json", doc.dump());
    try {
        loadHsdsFile(dir / "broken.json");
        FAIL("expected an ImportError");
    } catch (const ImportError& error) {
        CHECK(error.recordPath() == "broken.json: services[1] (id \"svc-2\")");
        CHECK_THAT(error.what(),
                   Catch::EndsWith("status: expected active, inactive, defunct or temporarily "
                                   "closed, got \"closed\""));
    }
    signpost::test::writeText(dir / "good.json", baseDocument().dump());
    CHECK(loadHsdsFile(dir / "good.json").services.size() == 2);
}

// Found by fuzz/hsds_import_fuzz.cpp: nlohmann's out_of_range for 1e400 escaped the importer.
TEST_CASE("issue 8 fuzz: a number no double holds is an ImportError", "[hsds_import]") {
    CHECK_THROWS_AS(parseHsdsJson(R"({"services": [{"minimum_age": 1e400}]})"), ImportError);
    CHECK_THROWS_AS(parseHsdsJson("-1e400"), ImportError);
}
