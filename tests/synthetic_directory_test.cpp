#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/common/log.h"
#include "core/directory/directory_store.h"
#include "core/directory/hsds_export.h"
#include "core/directory/hsds_import.h"
#include "fixtures/synthetic_directory.h"

using namespace signpost;

namespace {

[[maybe_unused]] const bool kQuiet = (signpost::setLogToStderr(false), true);

DirectoryData make(std::size_t services, std::uint64_t seed = 1) {
    SyntheticDirectoryOptions options;
    options.services = services;
    options.seed = seed;
    return generateSyntheticDirectory(options);
}

bool containsText(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("synthetic directories are deterministic per seed", "[synthetic_directory]") {
    const std::string a = toHsdsJson(make(500, 1));
    CHECK(a == toHsdsJson(make(500, 1)));
    CHECK(a != toHsdsJson(make(500, 2)));
}

TEST_CASE("a synthetic directory is valid HSDS and the size asked for", "[synthetic_directory]") {
    const DirectoryData data = make(2000);
    CHECK(data.services.size() == 2000);
    CHECK(data.organisations.size() == 667);  // three services per organisation, rounded up
    REQUIRE(data.taxonomyTerms.size() == 15);
    CHECK(data.taxonomyTerms.front().code == "feeling-lonely");
    CHECK(data.taxonomyTerms.back().code == "digital-skills");
    // Round trip through the importer: every id unique, every reference resolves, schedules parse.
    const DirectoryData reread = parseHsdsJson(toHsdsJson(data));
    CHECK(reread.services.size() == data.services.size());
    CHECK(reread.locations.size() == data.locations.size());
    DirectoryStore store(":memory:", TimeZone::load("Europe/London"));
    REQUIRE_NOTHROW(store.replaceAll(data, "synthetic"));
    CHECK(store.neighbourhoods().size() == 12);
    CHECK(store.stats().services + store.stats().hiddenServices == 2000);
}

TEST_CASE("synthetic data looks like real data", "[synthetic_directory]") {
    const DirectoryData data = make(3000);
    std::set<std::string> areas, languages, names;
    std::size_t cityWide = 0, hidden = 0, overnight = 0, monthly = 0, noHours = 0, paid = 0,
                accented = 0, signposting = 0, dropIn = 0;
    for (const Service& s : data.services) {
        names.insert(s.name);
        for (const ServiceArea& area : s.serviceAreas) {
            if (area.extentType == "city") {
                ++cityWide;
            } else {
                areas.insert(area.name);
            }
        }
        for (const std::string& code : s.languages) {
            languages.insert(code);
        }
        hidden += s.status == ServiceStatus::Active ? 0 : 1;
        noHours += s.schedules.empty() ? 1 : 0;
        for (const ScheduleRule& rule : s.schedules) {
            overnight += rule.closesAtMinutes <= rule.opensAtMinutes ? 1 : 0;
            monthly += rule.frequency == ScheduleFrequency::Monthly ? 1 : 0;
        }
        paid += s.isFree ? 0 : 1;
        signposting += s.acceptsReferrals ? 0 : 1;
        dropIn += s.attendingAccess == AttendingAccess::DropIn ? 1 : 0;
        for (const Phone& phone : s.phones) {
            const bool drama =
                phone.number.rfind("0161 496 0", 0) == 0 || phone.number.rfind("07700 900", 0) == 0;
            CHECK(drama);
        }
        CHECK(containsText(s.url, ".example"));
        CHECK_FALSE(s.description.empty());
        CHECK_FALSE(s.needCodes.empty());
    }
    for (const Organisation& org : data.organisations) {
        for (const char* marker : {"Ż", "ł", "é", "ñ", "ś", "ø", "ï"}) {
            if (containsText(org.name, marker)) {
                ++accented;
                break;
            }
        }
    }
    CHECK(areas.size() == 12);
    CHECK(languages.size() >= 8);
    CHECK(names.size() > 1000);  // varied, though realistic names repeat ("Moss Side Food Bank")
    CHECK(cityWide > 100);
    CHECK(hidden > 30);
    CHECK(hidden < 200);
    CHECK(overnight > 10);
    CHECK(monthly > 200);
    CHECK(noHours > 100);
    CHECK(paid > 300);
    CHECK(signposting > 100);
    CHECK(dropIn > 900);
    CHECK(accented > 5);
}

TEST_CASE("custom neighbourhood names are used as given", "[synthetic_directory]") {
    SyntheticDirectoryOptions options;
    options.services = 300;
    options.neighbourhoods = {"North", "South"};
    options.servicesPerOrganisation = 5;
    const DirectoryData data = generateSyntheticDirectory(options);
    CHECK(data.organisations.size() == 60);
    std::set<std::string> areas;
    for (const Service& s : data.services) {
        for (const ServiceArea& area : s.serviceAreas) {
            if (area.extentType == "neighbourhood") {
                areas.insert(area.name);
            }
        }
    }
    CHECK(areas == std::set<std::string>{"North", "South"});
    CHECK(parseHsdsJson(toHsdsJson(data)).services.size() == 300);
}

TEST_CASE("100k services generate with unique ids", "[synthetic_directory][.]") {
    const DirectoryData data = make(100000);
    CHECK(data.services.size() == 100000);
    std::set<std::string> ids;
    for (const Service& s : data.services) {
        ids.insert(s.id);
    }
    CHECK(ids.size() == 100000);
    CHECK(data.services.back().id == "svc-100000");
}
