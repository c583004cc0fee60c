#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/directory/directory_store.h"
#include "core/directory/hsds_export.h"
#include "core/directory/hsds_import.h"
#include "core/storage/database.h"
#include "support/directory_test_data.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

[[maybe_unused]] const bool kQuiet = (signpost::setLogToStderr(false), true);

std::vector<std::string> ids(const DirectoryStore& store, const std::string& text,
                             SearchFilters filters = {}) {
    SearchRequest request;
    request.text = text;
    request.filters = std::move(filters);
    std::vector<std::string> result;
    for (const ServiceSummary& item : store.search(request, test::tuesdayMorning()).items) {
        result.push_back(item.id);
    }
    return result;
}

std::size_t visible(const DirectoryStore& store) {
    return store.search({}, test::tuesdayMorning()).totalMatches;
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

const Service& serviceById(const DirectoryData& data, const std::string& id) {
    for (const Service& s : data.services) {
        if (s.id == id) {
            return s;
        }
    }
    throw std::runtime_error("no service " + id);
}

std::string fileBytes(const std::filesystem::path& path) {
    return test::readText(path);
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("replaceAll stores everything and service() reads it back", "[directory_store]") {
    DirectoryStore store(":memory:", test::londonZone());
    const DirectoryData data = test::smallDirectory();
    store.replaceAll(data, "bundle.json");

    const auto page = store.service("svc-foodbank");
    REQUIRE(page.has_value());
    const Service& s = page->service;
    const Service& original = serviceById(data, "svc-foodbank");
    CHECK(s.name == original.name);
    CHECK(s.description == original.description);
    CHECK(s.organisationId == "org-pantry");
    CHECK(s.status == ServiceStatus::Active);
    CHECK(s.attendingAccess == AttendingAccess::DropIn);
    CHECK(s.attendingTypes == kAttendVenue);
    CHECK(s.isFree);
    CHECK(s.languages == std::vector<std::string>{"en", "so"});
    REQUIRE(s.phones.size() == 1);
    CHECK(s.phones[0].number == "0161 496 0101");
    CHECK(s.phones[0].description == "Office");
    REQUIRE(s.schedules.size() == 1);
    CHECK(s.schedules[0].byDays == original.schedules[0].byDays);
    CHECK(s.schedules[0].opensAtMinutes == 600);
    REQUIRE(s.serviceAreas.size() == 1);
    CHECK(s.serviceAreas[0].name == test::kHulme);
    CHECK(s.needCodes == std::vector<std::string>{"food"});
    CHECK(s.acceptsReferrals);
    CHECK(page->organisation.name == "Moss Side Community Pantry");
    CHECK(page->organisation.website == "https://pantry.example");
    REQUIRE(page->locations.size() == 1);
    const Location& hall = page->locations[0];
    CHECK(hall.name == "Cedar Hall");
    CHECK(hall.address.postcode == "M14 4DH");
    CHECK(hall.accessibility == std::vector<std::string>{"Step-free entrance", "Hearing loop"});
    CHECK(hall.latitude == Approx(53.46));
    CHECK(hall.transportation == "Bus 86 stops outside");
    REQUIRE(page->needs.size() == 1);
    CHECK(page->needs[0].name == "Food");
    CHECK(page->needs[0].keywords == std::vector<std::string>{"food bank", "meals", "pantry"});

    SECTION("optional fields survive: ages, last checked, cost, several needs in need order") {
        DirectoryData more = test::smallDirectory();
        Service& meals = more.services[2];
        meals.minimumAge = 18;
        meals.maximumAge = 99;
        meals.lastChecked = std::chrono::year{2026} / 9 / 1;
        meals.needCodes = {"feeling-lonely", "food"};
        store.replaceAll(more, "again");
        const auto detail = store.service("svc-meals");
        REQUIRE(detail.has_value());
        CHECK(detail->service.minimumAge == 18);
        CHECK(detail->service.maximumAge == 99);
        CHECK(detail->service.lastChecked == CivilDate{std::chrono::year{2026} / 9 / 1});
        CHECK(detail->service.costDescription == "£2 a meal");
        CHECK_FALSE(detail->service.isFree);
        CHECK(detail->service.needCodes == std::vector<std::string>{"feeling-lonely", "food"});
        REQUIRE(detail->needs.size() == 2);
        CHECK(detail->needs[0].code == "feeling-lonely");  // directory's need order
    }
    SECTION("unknown ids give nothing") {
        CHECK_FALSE(store.service("svc-nope").has_value());
    }
}

TEST_CASE("needs, neighbourhoods, languages and stats", "[directory_store]") {
    DirectoryStore store(":memory:", test::londonZone());
    store.replaceAll(test::smallDirectory(), "bundle.json");
    std::vector<std::string> codes;
    for (const TaxonomyTerm& term : store.needs()) {
        codes.push_back(term.code);
    }
    CHECK(codes == std::vector<std::string>{"feeling-lonely", "money-debt", "food", "housing",
                                            "english-language"});
    CHECK(store.needs()[0].keywords ==
          std::vector<std::string>{"isolation", "company", "loneliness"});
    CHECK(store.neighbourhoods() ==
          std::vector<std::string>{test::kCheetham, test::kGorton,
                                   test::kHulme});  // not the hidden one's
    CHECK(store.languagesOffered() == std::vector<std::string>{"ar", "en", "pl", "so", "ur"});
    const DirectoryStats stats = store.stats();
    CHECK(stats.version == "test-1");
    CHECK(stats.source == "bundle.json");
    CHECK(stats.services == 8);
    CHECK(stats.hiddenServices == 3);
    CHECK(stats.organisations == 6);
    CHECK(stats.locations == 2);
    CHECK(stats.importedAt.size() == 20);
    CHECK(stats.importedAt.back() == 'Z');
    CHECK(stats.updatedAt == stats.importedAt);
}

TEST_CASE("replaceAll replaces, or changes nothing", "[directory_store]") {
    DirectoryStore store(":memory:", test::londonZone());
    store.replaceAll(test::smallDirectory(), "first");
    SECTION("a new directory replaces the old one completely") {
        DirectoryData next;
        next.version = "test-2";
        next.taxonomyTerms = {test::need("n-food", "food", "Food", {})};
        next.organisations = {{"org-x", "New Org", "", "", ""}};
        next.services = {
            test::service("svc-new", "org-x", "Brand New Pantry", "Food.", {"food"}, test::kHulme)};
        store.replaceAll(next, "second");
        CHECK(ids(store, "") == Ids{"svc-new"});
        CHECK(ids(store, "moss side food bank").empty());
        CHECK_FALSE(store.service("svc-foodbank").has_value());
        CHECK(store.stats().version == "test-2");
        CHECK(store.stats().hiddenServices == 0);
        CHECK(store.needs().size() == 1);
    }
    SECTION("a service naming an unknown organisation, need or location rolls everything back") {
        for (int broken = 0; broken < 3; ++broken) {
            DirectoryData bad = test::smallDirectory();
            bad.version = "bad";
            Service& last = bad.services.back();
            if (broken == 0) {
                last.organisationId = "org-missing";
            } else if (broken == 1) {
                last.needCodes = {"no-such-need"};
            } else {
                last.locationIds = {"loc-missing"};
            }
            INFO("case " << broken);
            CHECK_THROWS_AS(store.replaceAll(bad, "bad"), ImportError);
            CHECK(store.stats().version == "test-1");
            CHECK(store.stats().source == "first");
            CHECK(visible(store) == 8);
            CHECK(ids(store, "food").size() == 4);
        }
        DirectoryData bad = test::smallDirectory();
        bad.services.back().organisationId = "org-missing";
        CHECK_THROWS_WITH(store.replaceAll(bad, "bad"),
                          "services[10] (id \"svc-paused\"): organization_id: no organization with "
                          "id \"org-missing\"");
    }
    SECTION("duplicate service ids are refused by the database") {
        DirectoryData bad = test::smallDirectory();
        bad.services.push_back(bad.services.front());
        CHECK_THROWS_AS(store.replaceAll(bad, "bad"), StorageError);
        CHECK(visible(store) == 8);
    }
}

TEST_CASE("applyChanges upserts, deletes and re-indexes in one transaction", "[directory_store]") {
    DirectoryStore store(":memory:", test::londonZone());
    store.replaceAll(test::smallDirectory(), "bundle");
    const DirectoryData base = test::smallDirectory();

    SECTION("a changed service is found by its new words only") {
        DirectoryData change;
        Service renamed = serviceById(base, "svc-foodbank");
        renamed.name = "Moss Side Larder";
        renamed.description = "Parcels and fresh vegetables.";
        change.services = {renamed};
        store.applyChanges(change, {}, "test-2");
        CHECK(ids(store, "larder") == Ids{"svc-foodbank"});
        CHECK(ids(store, "vegetables") == Ids{"svc-foodbank"});
        CHECK(ids(store, "crisis").empty());
        CHECK(store.service("svc-foodbank")->service.name == "Moss Side Larder");
        CHECK(store.stats().version == "test-2");
        CHECK(visible(store) == 8);
    }
    SECTION("new services appear, deleted ones vanish, unknown deletions are ignored") {
        DirectoryData change;
        change.services = {test::service("svc-added", "org-gorton", "Gorton Warm Space",
                                         "A warm room.", {"feeling-lonely"}, test::kGorton)};
        store.applyChanges(change, {"svc-esol", "svc-never-existed"}, "test-3");
        CHECK(ids(store, "warm space") == Ids{"svc-added"});
        CHECK(ids(store, "english").empty());
        CHECK_FALSE(store.service("svc-esol").has_value());
        CHECK(visible(store) == 8);
    }
    SECTION("a renamed organisation re-indexes its services") {
        DirectoryData change;
        change.organisations = {{"org-alliance", "Larder Network", "", "", ""}};
        store.applyChanges(change, {}, "test-4");
        CHECK(ids(store, "network") == Ids{"svc-breakfast"});
        CHECK(ids(store, "food") ==
              Ids{"svc-foodbank", "svc-meals", "svc-advice"});  // no longer via the org
        const SearchResults results =
            store.search({"saturday breakfast", {}, 10}, test::tuesdayMorning());
        REQUIRE(results.items.size() == 1);
        CHECK(results.items[0].organisationName == "Larder Network");
    }
    SECTION("a need's new keyword finds its services") {
        DirectoryData change;
        change.taxonomyTerms = {
            test::need("n-housing", "housing", "Housing", {"homeless", "eviction"})};
        store.applyChanges(change, {}, "test-5");
        Ids evictions = ids(store, "eviction");
        std::sort(evictions.begin(), evictions.end());
        CHECK(evictions == Ids{"svc-housing", "svc-shelter"});
        CHECK(ids(store, "landlord").empty());
        // A new need goes after the existing ones.
        DirectoryData more;
        more.taxonomyTerms = {
            test::need("n-digital", "digital-skills", "Computers and phones", {})};
        store.applyChanges(more, {}, "test-6");
        CHECK(store.needs().back().code == "digital-skills");
        CHECK(store.needs().front().code == "feeling-lonely");
    }
    SECTION("a moved venue re-indexes the places of the services there") {
        DirectoryData change;
        Location hall = base.locations[0];
        hall.address.line1 = "1 Birch Lane";
        change.locations = {hall};
        store.applyChanges(change, {}, "test-7");
        CHECK(ids(store, "birch") == Ids{"svc-foodbank"});
        CHECK(ids(store, "cedar") == Ids{"svc-foodbank"});  // the venue is still Cedar Hall
        CHECK(store.service("svc-foodbank")->locations[0].address.line1 == "1 Birch Lane");
    }
    SECTION("status changes hide and show services") {
        DirectoryData change;
        Service closed = serviceById(base, "svc-foodbank");
        closed.status = ServiceStatus::TemporarilyClosed;
        Service reopened = serviceById(base, "svc-paused");
        reopened.status = ServiceStatus::Active;
        change.services = {closed, reopened};
        store.applyChanges(change, {}, "test-8");
        CHECK(ids(store, "van") == Ids{"svc-paused"});
        CHECK_FALSE(contains(ids(store, "food"), "svc-foodbank"));
        CHECK(store.stats().hiddenServices == 3);
        // A hidden service whose organisation is renamed stays hidden.
        DirectoryData rename;
        rename.organisations = {{"org-pantry", "Pantry Trust", "", "", ""}};
        store.applyChanges(rename, {}, "test-9");
        CHECK(ids(store, "pantry trust").empty());
    }
    SECTION("any bad record rolls the whole update back") {
        DirectoryData change;
        Service renamed = serviceById(base, "svc-foodbank");
        renamed.name = "Renamed First";
        Service broken = serviceById(base, "svc-meals");
        broken.organisationId = "org-missing";
        change.organisations = {{"org-gorton", "Gorton Renamed", "", "", ""}};
        change.services = {renamed, broken};
        CHECK_THROWS_WITH(store.applyChanges(change, {"svc-esol"}, "test-bad"),
                          Catch::Contains("services[1] (id \"svc-meals\")") &&
                              Catch::Contains("no organization with id \"org-missing\""));
        CHECK(store.stats().version == "test-1");
        CHECK(ids(store, "renamed").empty());
        CHECK(ids(store, "moss side food bank") == Ids{"svc-foodbank"});
        CHECK(store.service("svc-esol").has_value());
        CHECK(visible(store) == 8);
        CHECK(ids(store, "gorton neighbours").size() == 2);
    }
}

TEST_CASE("another connection's update is seen after refreshIfChanged", "[directory_store]") {
    test::TempDir dir("directory-refresh");
    const std::string path = (dir / "directory.sqlite").string();
    DirectoryStore reader(path, test::londonZone());
    reader.replaceAll(test::smallDirectory(), "bundle");
    CHECK(ids(reader, "larder").empty());  // builds the reader's cache

    DirectoryStore writer(path, test::londonZone());
    DirectoryData change;
    Service renamed = serviceById(test::smallDirectory(), "svc-foodbank");
    renamed.name = "Moss Side Larder";
    change.services = {renamed};
    writer.applyChanges(change, {"svc-esol"}, "test-2");

    // Until it refreshes, the reader keeps serving its snapshot: whole, never half an update.
    CHECK(visible(reader) == 8);
    reader.refreshIfChanged();
    CHECK(ids(reader, "larder") == Ids{"svc-foodbank"});
    CHECK(visible(reader) == 7);
    CHECK(reader.stats().version == "test-2");
    // Nothing changed since: refreshing again keeps the same answers.
    reader.refreshIfChanged();
    CHECK(visible(reader) == 7);
    // The writer's own cache followed its own write.
    CHECK(ids(writer, "larder") == Ids{"svc-foodbank"});
}

TEST_CASE("opening a database that is not a directory, or a newer one, throws",
          "[directory_store]") {
    test::TempDir dir("directory-open");
    const std::string other = (dir / "other.sqlite").string();
    {
        Database db(other);
        db.exec("CREATE TABLE outbox (id TEXT)");
    }
    CHECK_THROWS_AS(DirectoryStore(other, test::londonZone()), StorageError);
    const std::string newer = (dir / "newer.sqlite").string();
    { DirectoryStore store(newer, test::londonZone()); }
    {
        Database db(newer);
        db.setUserVersion(99);
    }
    CHECK_THROWS_WITH(DirectoryStore(newer, test::londonZone()), Catch::Contains("schema 99"));
    test::writeText(dir / "garbage.sqlite", std::string(8192, 'x'));
    CHECK_THROWS_AS(DirectoryStore((dir / "garbage.sqlite").string(), test::londonZone()),
                    StorageError);
}

TEST_CASE("openOrRebuild: missing, healthy, empty or damaged", "[directory_store]") {
    test::TempDir dir("directory-rebuild");
    const std::filesystem::path bundle = dir / "bundle.json";
    test::writeText(bundle, toHsdsJson(test::smallDirectory()));
    const std::filesystem::path path = dir / "directory.sqlite";
    DirectoryOpenOutcome outcome = DirectoryOpenOutcome::Opened;
    auto create = [&] {
        DirectoryOpenOutcome ignored;
        DirectoryStore::openOrRebuild(path, bundle, test::londonZone(), ignored);
    };
    auto expectRebuilt = [&](DirectoryOpenOutcome expected) {
        DirectoryStore store =
            DirectoryStore::openOrRebuild(path, bundle, test::londonZone(), outcome);
        CHECK(outcome == expected);
        CHECK(visible(store) == 8);
        CHECK(ids(store, "zolc") == Ids{"svc-zolc"});
        CHECK(store.stats().source == bundle.string());
    };
    auto lastWarning = [] {
        for (const LogLine& line : [] {
                 auto lines = recentLogLines(20);
                 std::reverse(lines.begin(), lines.end());
                 return lines;
             }()) {
            if (line.level == LogLevel::Warning && line.component == "directory") {
                return line.message;
            }
        }
        return std::string();
    };

    SECTION("missing: created from the bundle") {
        expectRebuilt(DirectoryOpenOutcome::CreatedFromBundle);
    }
    SECTION("healthy: opened as it is, keeping its updates") {
        create();
        {
            DirectoryStore store(path.string(), test::londonZone());
            store.applyChanges({}, {"svc-esol"}, "updated");
        }
        DirectoryStore store =
            DirectoryStore::openOrRebuild(path, bundle, test::londonZone(), outcome);
        CHECK(outcome == DirectoryOpenOutcome::Opened);
        CHECK(visible(store) == 7);
        CHECK(store.stats().version == "updated");
    }
    SECTION("zero-length file") {
        test::writeText(path, "");
        expectRebuilt(DirectoryOpenOutcome::CreatedFromBundle);
    }
    SECTION("not a database at all, with stale -wal and -shm beside it") {
        test::writeText(
            path, "this is not an SQLite database, just some text. " + std::string(5000, '!'));
        test::writeText(path.string() + "-wal", std::string(3000, '?'));
        test::writeText(path.string() + "-shm", std::string(3000, '?'));
        expectRebuilt(DirectoryOpenOutcome::RebuiltAfterDamage);
        CHECK_THAT(lastWarning(), Catch::Contains("damaged") && Catch::Contains("rebuilding"));
        if (std::filesystem::exists(path.string() + "-wal")) {
            CHECK(fileBytes(path.string() + "-wal").find("???") == std::string::npos);
        }
    }
    SECTION("truncated to half") {
        create();
        std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
        expectRebuilt(DirectoryOpenOutcome::RebuiltAfterDamage);
    }
    SECTION("a b-tree page overwritten") {
        create();
        std::int64_t page = 0;
        std::int64_t pageSize = 4096;
        {
            Database db(path.string());
            Statement size = db.prepare("PRAGMA page_size");
            size.step();
            pageSize = size.columnInt64(0);
            // A leaf of the services table: quick_check reads every page of it.
            Statement where = db.prepare("SELECT max(pageno) FROM dbstat WHERE name = 'services'");
            if (where.step()) {
                page = where.columnInt64(0);
            }
        }
        REQUIRE(page > 1);
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp((page - 1) * pageSize + 8);
        const std::string junk(static_cast<std::size_t>(pageSize - 16), '\x5a');
        file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        file.close();
        const std::string reason = DirectoryStore::verify(path);
        CHECK_THAT(reason, Catch::Contains("quick_check") || Catch::Contains("malformed") ||
                               Catch::Contains("corrupt"));
        expectRebuilt(DirectoryOpenOutcome::RebuiltAfterDamage);
        CHECK_THAT(lastWarning(), Catch::Contains("quick_check") || Catch::Contains("malformed") ||
                                      Catch::Contains("corrupt"));
        CHECK(DirectoryStore::verify(path).empty());
    }
    SECTION("the fast check: healthy files open, broken ones are still rebuilt") {
        auto fast = [&] {
            return DirectoryStore::openOrRebuild(path, bundle, test::londonZone(), outcome,
                                                 DirectoryCheck::Fast);
        };
        CHECK(visible(fast()) == 8);
        CHECK(outcome == DirectoryOpenOutcome::CreatedFromBundle);
        CHECK(visible(fast()) == 8);
        CHECK(outcome == DirectoryOpenOutcome::Opened);
        CHECK(DirectoryStore::verify(path).empty());
        test::writeText(path, std::string(10000, '#'));
        CHECK_FALSE(DirectoryStore::verify(path).empty());
        CHECK(visible(fast()) == 8);
        CHECK(outcome == DirectoryOpenOutcome::RebuiltAfterDamage);
        CHECK(DirectoryStore::verify(dir / "nothing-here.sqlite") == "missing");
    }
    SECTION("a valid directory with no services") {
        {
            DirectoryStore store(path.string(), test::londonZone());
            DirectoryData empty;
            empty.version = "empty";
            store.replaceAll(empty, "nothing");
        }
        expectRebuilt(DirectoryOpenOutcome::RebuiltAfterDamage);
        CHECK_THAT(lastWarning(), Catch::Contains("holds no services"));
    }
    SECTION("another application's database") {
        {
            Database db(path.string());
            db.exec("CREATE TABLE something_else (x INTEGER)");
        }
        expectRebuilt(DirectoryOpenOutcome::RebuiltAfterDamage);
    }
    SECTION("a directory with another schema version: rebuilt, not reported as damage") {
        create();
        {
            Database db(path.string());
            db.setUserVersion(99);
        }
        expectRebuilt(DirectoryOpenOutcome::CreatedFromBundle);
    }
    SECTION("a broken bundle throws and leaves the damaged file alone") {
        test::writeText(path, "damaged");
        test::writeText(
            bundle, "{\"directory_version\": \"x\", \"organizations\": [], \"services\": [{}]}");
        CHECK_THROWS_AS(DirectoryStore::openOrRebuild(path, bundle, test::londonZone(), outcome),
                        ImportError);
        CHECK(fileBytes(path) == "damaged");
        CHECK_THROWS_AS(
            DirectoryStore::openOrRebuild(path, dir / "missing.json", test::londonZone(), outcome),
            ImportError);
    }
}

TEST_CASE("the demo directory imports cleanly and is what the issue asks for",
          "[directory_store]") {
    const std::filesystem::path file = test::assetsDir() / "directory" / "manchester-demo.json";
    const DirectoryData data = loadHsdsFile(file);
    const std::vector<std::string> needOrder = {
        "feeling-lonely",    "mental-wellbeing", "money-debt",        "food",
        "housing",           "carers",           "physical-activity", "work-skills",
        "families-children", "older-people",     "disability",        "health-gp",
        "crisis-support",    "english-language", "digital-skills"};
    const std::vector<std::string> neighbourhoods = {"Ancoats, Miles Platting & City Centre",
                                                     "Ardwick & Longsight",
                                                     "Cheetham & Crumpsall",
                                                     "Chorlton & Whalley Range",
                                                     "Clayton, Openshaw & Beswick",
                                                     "Didsbury & Burnage",
                                                     "Fallowfield & Withington",
                                                     "Gorton & Levenshulme",
                                                     "Higher Blackley & Harpurhey",
                                                     "Hulme, Moss Side & Rusholme",
                                                     "Moston & Newton Heath",
                                                     "Wythenshawe & Northenden"};

    DirectoryStore store(":memory:", test::londonZone());
    store.replaceAll(data, file.string());
    std::vector<std::string> codes;
    for (const TaxonomyTerm& term : store.needs()) {
        codes.push_back(term.code);
        CHECK_FALSE(term.description.empty());
        CHECK_FALSE(term.keywords.empty());
    }
    CHECK(codes == needOrder);
    CHECK(store.needs()[0].name == "Feeling lonely");
    CHECK(store.neighbourhoods() == neighbourhoods);
    const DirectoryStats stats = store.stats();
    CHECK(stats.services >= 200);
    CHECK(stats.hiddenServices >= 3);

    std::size_t cityWide = 0, overnight = 0, monthly = 0, signposting = 0, paid = 0, dropIn = 0,
                referral = 0, withEndDate = 0, notEnglishOnly = 0;
    std::set<std::string> descriptions;
    for (const Service& s : data.services) {
        INFO(s.id);
        CHECK_FALSE(s.description.empty());
        CHECK_FALSE(s.eligibility.empty());
        CHECK_FALSE(s.applicationProcess.empty());
        CHECK_FALSE(s.needCodes.empty());
        descriptions.insert(s.description);
        REQUIRE(s.lastChecked.has_value());
        CHECK(s.lastChecked->year() == std::chrono::year{2026});
        for (const Phone& phone : s.phones) {
            // Ofcom's drama ranges: 0161 496 0000-0999 and 07700 900000-900999.
            const bool landline =
                phone.number.rfind("0161 496 0", 0) == 0 && phone.number.size() == 13;
            const bool mobile =
                phone.number.rfind("07700 900", 0) == 0 && phone.number.size() == 12;
            CHECK((landline || mobile));
        }
        if (!s.url.empty()) {
            CHECK(s.url.find(".example") != std::string::npos);
        }
        if (!s.email.empty()) {
            CHECK(s.email.size() > 8);
            CHECK(s.email.compare(s.email.size() - 8, 8, ".example") == 0);
        }
        for (const ServiceArea& area : s.serviceAreas) {
            if (area.extentType == "city") {
                ++cityWide;
            } else {
                CHECK(std::find(neighbourhoods.begin(), neighbourhoods.end(), area.name) !=
                      neighbourhoods.end());
            }
        }
        for (const ScheduleRule& rule : s.schedules) {
            overnight += rule.closesAtMinutes <= rule.opensAtMinutes ? 1 : 0;
            monthly += rule.frequency == ScheduleFrequency::Monthly ? 1 : 0;
            withEndDate += rule.validTo ? 1 : 0;
        }
        signposting += s.acceptsReferrals ? 0 : 1;
        paid += s.isFree ? 0 : 1;
        dropIn += s.attendingAccess == AttendingAccess::DropIn ? 1 : 0;
        referral += s.attendingAccess == AttendingAccess::Referral ? 1 : 0;
        notEnglishOnly += s.languages.size() > 1 ? 1 : 0;
    }
    CHECK(descriptions.size() == data.services.size());  // no two services described the same
    CHECK(cityWide >= 8);
    CHECK(overnight >= 1);
    CHECK(monthly >= 8);
    CHECK(withEndDate >= 3);
    CHECK(signposting >= 3);
    CHECK(paid >= 10);
    CHECK(dropIn >= 40);
    CHECK(referral >= 10);
    CHECK(notEnglishOnly >= 30);
    for (const Organisation& org : data.organisations) {
        if (!org.website.empty()) {
            CHECK(org.website.find(".example") != std::string::npos);
        }
    }
    // Every neighbourhood has a good spread of its own services (city-wide ones come on top), and
    // every need some.
    std::map<std::string, std::size_t> local;
    for (const Service& s : data.services) {
        for (const ServiceArea& area : s.serviceAreas) {
            if (s.status == ServiceStatus::Active && area.extentType == "neighbourhood") {
                ++local[area.name];
            }
        }
    }
    for (const std::string& area : neighbourhoods) {
        INFO(area);
        CHECK(local[area] >= 15);
        SearchFilters filters;
        filters.neighbourhood = area;
        CHECK(store.search({"", filters, 500}, test::tuesdayMorning()).totalMatches ==
              local[area] + cityWide);
    }
    for (const std::string& code : needOrder) {
        SearchFilters filters;
        filters.needCode = code;
        INFO(code);
        CHECK(store.search({"", filters, 500}, test::tuesdayMorning()).totalMatches >= 6);
    }
    // The benchmark's everyday words find something in the demo too.
    for (const char* text : {"food bank", "lonely", "debt advice", "carers", "mental health",
                             "english classes", "zumba", "night shelter", "gp"}) {
        INFO(text);
        CHECK(store.search({text, {}, 500}, test::tuesdayMorning()).totalMatches > 0);
    }
}
