#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/directory/directory_store.h"
#include "core/directory/search_text.h"
#include "fixtures/synthetic_directory.h"
#include "support/directory_test_data.h"
#include "support/test_support.h"

using namespace signpost;
using signpost::test::kGorton;
using signpost::test::kHulme;

namespace {

// The import logs a line per directory; keep test output readable.
[[maybe_unused]] const bool kQuiet = (signpost::setLogToStderr(false), true);

struct Fixture {
    DirectoryStore store{":memory:", test::londonZone()};
    Fixture() { store.replaceAll(test::smallDirectory(), "test"); }

    SearchResults find(const std::string& text, SearchFilters filters = {},
                       std::chrono::sys_seconds now = test::tuesdayMorning()) const {
        SearchRequest request;
        request.text = text;
        request.filters = std::move(filters);
        return store.search(request, now);
    }
    std::vector<std::string> ids(const std::string& text, SearchFilters filters = {},
                                 std::chrono::sys_seconds now = test::tuesdayMorning()) const {
        std::vector<std::string> result;
        for (const ServiceSummary& item : find(text, std::move(filters), now).items) {
            result.push_back(item.id);
        }
        return result;
    }
};

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("ranking: name, then needs, then organisation, then description", "[directory_search]") {
    Fixture f;
    const Ids food = f.ids("food");
    REQUIRE(food.size() == 4);
    CHECK(food[0] == "svc-foodbank");   // "Food" in the name
    CHECK(food[1] == "svc-meals");      // need "Food"
    CHECK(food[2] == "svc-breakfast");  // organisation "Food Alliance Manchester"
    CHECK(food[3] == "svc-advice");     // only the description mentions food
    CHECK(f.find("food").totalMatches == 4);
    SECTION("case does not matter") {
        CHECK(f.ids("FOOD") == food);
    }
    SECTION("a word typed twice counts once") {
        CHECK(f.ids("food food") == food);
    }
}

TEST_CASE("every word is a prefix, and every word is required", "[directory_search]") {
    Fixture f;
    CHECK(f.ids("fo").front() == "svc-foodbank");
    CHECK(contains(f.ids("fo"), "svc-breakfast"));
    CHECK(contains(f.ids("f"), "svc-foodbank"));
    CHECK(f.ids("shel") == Ids{"svc-shelter", "svc-housing"});  // name first, then need keyword
    CHECK(f.ids("moss food") == Ids{"svc-foodbank", "svc-breakfast"});
    CHECK(f.ids("moss food ban") == Ids{"svc-foodbank"});
    CHECK(f.ids("food debt").size() == 1);  // only the advice line has both
    CHECK(f.ids("gortonxx").empty());       // not a prefix of anything, two letters from "gorton"
    SECTION("places count: area, venue, street and postcode") {
        CHECK(contains(f.ids("cedar"), "svc-foodbank"));
        CHECK(contains(f.ids("m14"), "svc-foodbank"));
        CHECK(f.ids("gorton") == Ids{"svc-meals", "svc-esol"});  // names and places
    }
    SECTION("filler words the resident finished typing are ignored") {
        CHECK(f.ids("help with debt") == f.ids("debt"));
        CHECK(f.ids("I need food") == f.ids("food"));
        CHECK(f.ids("food and ") == f.ids("food"));
        // ...but not the word being typed, which may be the start of a real one ("an" -> "and").
        CHECK(f.ids("food an") != f.ids("food"));
    }
}

TEST_CASE("accents and case are folded, including letters Unicode cannot decompose",
          "[directory_search]") {
    Fixture f;
    CHECK(f.ids("zolc") == Ids{"svc-zolc"});
    CHECK(f.ids("ŻÓŁĆ") == Ids{"svc-zolc"});
    CHECK(f.ids("żółć") == Ids{"svc-zolc"});
    CHECK(f.ids("cafe") == Ids{"svc-zolc"});
    CHECK(f.ids("CAFÉ") == Ids{"svc-zolc"});
    CHECK(f.ids("laczy") == Ids{"svc-zolc"});  // organisation "Łączy Nas"
    CHECK(f.ids("łączy") == Ids{"svc-zolc"});
    CHECK(foldLetters("Łódź Ørsted Æble Straße") == "lódź orsted aeble strasse");
}

TEST_CASE("what a resident types is never query syntax", "[directory_search]") {
    Fixture f;
    const std::vector<std::string> hostile = {"\"",
                                              "\"\"",
                                              "\"food",
                                              "food\"",
                                              "AND",
                                              "OR",
                                              "NOT",
                                              "food AND",
                                              "AND food",
                                              "food OR debt",
                                              "food NOT bank",
                                              "*",
                                              "food*",
                                              "**",
                                              "NEAR(",
                                              "NEAR(food bank)",
                                              "NEAR(food bank, 2)",
                                              "(",
                                              ")",
                                              "(food",
                                              "{name}: food",
                                              "name:food",
                                              "name : food",
                                              "^food",
                                              "-food",
                                              "+food",
                                              "'",
                                              "food's",
                                              "'; DROP TABLE services; --",
                                              "\\",
                                              "%",
                                              "_",
                                              "?1",
                                              ":1",
                                              "@x",
                                              "$x",
                                              "\x01\x02",
                                              "\xff\xfe\xfd",
                                              "\xc5",
                                              "😀",
                                              "food 😀",
                                              "\u200b",
                                              "   ",
                                              "\t\n",
                                              "-",
                                              "–—",
                                              "a\"b\"c",
                                              "\"food\" \"bank\"",
                                              std::string(5000, 'a'),
                                              std::string(3000, '"'),
                                              "a b c d e f g h i j k l m n o p q r s t u v w"};
    for (const std::string& text : hostile) {
        INFO("typed: " << text.substr(0, 40));
        SearchResults results;
        REQUIRE_NOTHROW(results = f.find(text));
        CHECK(results.items.size() == results.totalMatches);  // limit 500 is not reached here
    }
    SECTION("quotes and operators are just separators or words") {
        CHECK(f.ids("\"food\"") == f.ids("food"));
        CHECK(f.ids("food*") == f.ids("food"));
        CHECK(f.ids("(food)") == f.ids("food"));
        CHECK(f.ids("NEAR(food") == f.ids("near food"));
        CHECK(f.ids("food AND bank") == f.ids("food bank"));  // "and" finished: a filler word
        CHECK(f.ids("food OR debt") == f.ids("food or debt"));
    }
    SECTION("nothing searchable browses everything") {
        CHECK(f.find("\"").totalMatches == f.find("").totalMatches);
        CHECK(f.find("   ").totalMatches == f.find("").totalMatches);
    }
    SECTION("the services table survives a resident's SQL") {
        f.find("'; DROP TABLE services; --");
        CHECK(f.find("").totalMatches == 8);
    }
}

TEST_CASE("browse: everything visible, by name, case- and accent-insensitively",
          "[directory_search]") {
    Fixture f;
    const SearchResults all = f.find("");
    CHECK(all.totalMatches == 8);  // 11 services, 3 hidden
    CHECK(all.suggestedNeedCodes.empty());
    std::vector<std::string> names;
    for (const ServiceSummary& item : all.items) {
        names.push_back(item.name);
    }
    CHECK(names == std::vector<std::string>{"Debt Advice Line", "English Conversation Club",
                                            "Gorton Community Meals", "Housing Options",
                                            "Kawiarnia Żółć Café", "Moss Side Food Bank",
                                            "Night Shelter", "Saturday Breakfast"});
    SECTION("limit caps the items, not the count") {
        SearchRequest request;
        request.limit = 3;
        const SearchResults page = f.store.search(request, test::tuesdayMorning());
        CHECK(page.items.size() == 3);
        CHECK(page.totalMatches == 8);
        CHECK(page.items[0].name == "Debt Advice Line");
        request.text = "food";
        request.limit = 2;
        const SearchResults top = f.store.search(request, test::tuesdayMorning());
        CHECK(top.totalMatches == 4);
        REQUIRE(top.items.size() == 2);
        CHECK(top.items[1].id == "svc-meals");
    }
}

TEST_CASE("inactive, defunct and temporarily closed services never show", "[directory_search]") {
    Fixture f;
    for (const char* text : {"", "food", "old", "defunct", "van", "bank", "f"}) {
        const Ids found = f.ids(text);
        INFO(text);
        CHECK_FALSE(contains(found, "svc-old"));
        CHECK_FALSE(contains(found, "svc-gone"));
        CHECK_FALSE(contains(found, "svc-paused"));
    }
    SearchFilters byNeed;
    byNeed.needCode = "food";
    CHECK(f.ids("", byNeed) == Ids{"svc-meals", "svc-foodbank"});
    // ...but their page still opens, saying what state they are in.
    const auto page = f.store.service("svc-paused");
    REQUIRE(page.has_value());
    CHECK(page->service.status == ServiceStatus::TemporarilyClosed);
    // Their areas and languages are not offered either.
    const std::vector<std::string> areas = f.store.neighbourhoods();
    CHECK(std::find(areas.begin(), areas.end(), "Wythenshawe & Northenden") == areas.end());
}

TEST_CASE("filters, one at a time", "[directory_search]") {
    Fixture f;
    SECTION("neighbourhood: that area plus city-wide services and ones with no area") {
        SearchFilters filters;
        filters.neighbourhood = kHulme;
        CHECK(f.ids("", filters) ==
              Ids{"svc-advice", "svc-housing", "svc-foodbank", "svc-shelter", "svc-breakfast"});
        filters.neighbourhood = "hulme, moss side & RUSHOLME";  // matched without case
        CHECK(f.ids("", filters).size() == 5);
        filters.neighbourhood = "Nowhere";  // no services of its own: only the city-wide ones
        CHECK(f.ids("", filters) == Ids{"svc-advice", "svc-housing", "svc-shelter"});
        filters.neighbourhood = kGorton;
        CHECK(f.ids("food", filters) == Ids{"svc-meals", "svc-advice"});
    }
    SECTION("need") {
        SearchFilters filters;
        filters.needCode = "feeling-lonely";
        CHECK(f.ids("", filters) == Ids{"svc-meals", "svc-zolc", "svc-breakfast"});
        CHECK(f.ids("food", filters) == Ids{"svc-meals", "svc-breakfast"});
        filters.needCode = "no-such-need";
        CHECK(f.find("", filters).totalMatches == 0);
    }
    SECTION("open now, in Europe/London") {
        SearchFilters filters;
        filters.openNow = true;
        // Tuesday 10:30 BST: the food bank (Tue 10-12), meals (Tue 9-13) and the advice line.
        CHECK(f.ids("", filters) == Ids{"svc-advice", "svc-meals", "svc-foodbank"});
        // Saturday 01:00 BST: only the night shelter that opened on Friday.
        const auto saturdayNight =
            std::chrono::sys_days{std::chrono::year{2026} / 6 / 6} + std::chrono::hours{0};
        CHECK(f.ids("", filters, saturdayNight) == Ids{"svc-shelter"});
        // Monthly: first Wednesday of June 2026 is the 3rd, 18:00-20:00 BST.
        const auto firstWednesday =
            std::chrono::sys_days{std::chrono::year{2026} / 6 / 3} + std::chrono::hours{18};
        CHECK(contains(f.ids("", filters, firstWednesday), "svc-esol"));
        const auto secondWednesday =
            std::chrono::sys_days{std::chrono::year{2026} / 6 / 10} + std::chrono::hours{18};
        CHECK_FALSE(contains(f.ids("", filters, secondWednesday), "svc-esol"));
    }
    SECTION("free") {
        SearchFilters filters;
        filters.freeOnly = true;
        CHECK_FALSE(contains(f.ids("", filters), "svc-meals"));
        CHECK(f.find("", filters).totalMatches == 7);
    }
    SECTION("drop-in") {
        SearchFilters filters;
        filters.dropInOnly = true;
        CHECK(f.ids("", filters) == Ids{"svc-meals", "svc-zolc", "svc-foodbank"});
    }
    SECTION("language; English includes services that list none") {
        SearchFilters filters;
        filters.languageCode = "pl";
        CHECK(f.ids("", filters) == Ids{"svc-advice", "svc-zolc"});
        filters.languageCode = "PL";
        CHECK(f.ids("", filters).size() == 2);
        filters.languageCode = "so";
        CHECK(f.ids("", filters) == Ids{"svc-foodbank"});
        filters.languageCode = "en";
        CHECK(contains(f.ids("", filters), "svc-housing"));
        CHECK(f.find("", filters).totalMatches == 8);
        filters.languageCode = "xx";
        CHECK(f.find("", filters).totalMatches == 0);
    }
}

TEST_CASE("filters combined", "[directory_search]") {
    Fixture f;
    SearchFilters filters;
    filters.neighbourhood = kHulme;
    filters.openNow = true;
    CHECK(f.ids("", filters) == Ids{"svc-advice", "svc-foodbank"});
    filters.dropInOnly = true;
    CHECK(f.ids("", filters) == Ids{"svc-foodbank"});
    filters.languageCode = "so";
    filters.freeOnly = true;
    filters.needCode = "food";
    CHECK(f.ids("bank", filters) == Ids{"svc-foodbank"});
    filters.languageCode = "pl";
    CHECK(f.ids("bank", filters).empty());
    SECTION("filters that exclude everything still suggest needs for the words typed") {
        const SearchResults none = f.find("food", filters);
        CHECK(none.items.empty());
        CHECK(none.totalMatches == 0);
        REQUIRE_FALSE(none.suggestedNeedCodes.empty());
        CHECK(none.suggestedNeedCodes.front() == "food");
    }
}

TEST_CASE("summaries carry what the results list shows", "[directory_search]") {
    Fixture f;
    const SearchResults results = f.find("");
    auto item = [&](const std::string& id) {
        auto it = std::find_if(results.items.begin(), results.items.end(),
                               [&](const ServiceSummary& s) { return s.id == id; });
        REQUIRE(it != results.items.end());
        return *it;
    };
    const ServiceSummary bank = item("svc-foodbank");
    CHECK(bank.name == "Moss Side Food Bank");
    CHECK(bank.organisationName == "Moss Side Community Pantry");
    CHECK(bank.areaLabel == kHulme);
    CHECK_FALSE(bank.cityWide);
    CHECK(bank.isFree);
    CHECK(bank.access == AttendingAccess::DropIn);
    CHECK(bank.hasSchedule);
    CHECK(bank.openNow);
    CHECK(bank.acceptsReferrals);
    const ServiceSummary advice = item("svc-advice");
    CHECK(advice.cityWide);
    CHECK(advice.areaLabel.empty());
    CHECK_FALSE(advice.acceptsReferrals);
    const ServiceSummary meals = item("svc-meals");
    CHECK_FALSE(meals.isFree);
    CHECK(meals.costDescription == "£2 a meal");
    const ServiceSummary housing = item("svc-housing");
    CHECK_FALSE(housing.hasSchedule);
    CHECK_FALSE(housing.openNow);
    CHECK(item("svc-shelter").cityWide);  // no service area at all
    SECTION("a service in several areas is labelled with the one filtered by") {
        DirectoryData data = test::smallDirectory();
        data.services[2].serviceAreas.push_back(
            {kHulme, "neighbourhood"});  // meals: Gorton, then Hulme
        f.store.replaceAll(data, "test");
        SearchFilters filters;
        filters.neighbourhood = kHulme;
        const SearchResults hulme = f.find("gorton community meals", filters);
        REQUIRE(hulme.items.size() == 1);
        CHECK(hulme.items[0].id == "svc-meals");
        CHECK(hulme.items[0].areaLabel == kHulme);
        CHECK(f.find("gorton community meals").items.at(0).areaLabel == kGorton);
    }
    CHECK_FALSE(item("svc-breakfast").openNow);
}

TEST_CASE("no results suggests related needs", "[directory_search]") {
    Fixture f;
    auto suggest = [&](const std::string& text) { return f.find(text).suggestedNeedCodes; };
    auto first = [&](const std::string& text) {
        const std::vector<std::string> codes = suggest(text);
        return codes.empty() ? std::string("(none)") : codes.front();
    };
    // Two letters off: too far for a search slip (those find services, below), near enough to
    // suggest the tile.
    CHECK(first("lonlyness") == "feeling-lonely");
    CHECK(first("isolatoin x") == "feeling-lonely");  // a word nothing has, beside a slip
    CHECK(first("benifitts") == "money-debt");
    CHECK(first("homelesnes") == "housing");
    CHECK(suggest("xyzzy plugh").empty());
    CHECK(suggest("zz").empty());
    for (const char* text : {"lonlyness", "benifitts", "homelesnes"}) {
        CHECK(f.find(text).items.empty());
        CHECK(suggest(text).size() <= 4);
    }
    // Results present: no suggestions.
    CHECK(f.find("food").suggestedNeedCodes.empty());
}

TEST_CASE("one-letter slips in words of five letters or more find services and their need",
          "[directory_search]") {
    Fixture f;
    // Each of these found nothing before (it only suggested the tile).
    const Ids lonely = f.ids("loneliness");
    REQUIRE_FALSE(lonely.empty());
    CHECK(f.ids("lonelyness") == lonely);   // substitution
    CHECK(f.ids("lonliness") == lonely);    // deletion
    CHECK(f.ids("loneliiness") == lonely);  // insertion
    CHECK(f.ids("lonleiness") == lonely);   // neighbours swapped
    CHECK(f.ids("isolaton") == f.ids("isolation"));
    CHECK(f.ids("benifits") == f.ids("benefits"));
    CHECK(f.ids("shleter") == f.ids("shelter"));
    const SearchResults slip = f.find("lonelyness");
    CHECK(slip.namedNeedCodes == std::vector<std::string>{"feeling-lonely"});
    SECTION("a word still being typed matches the start of a longer word one letter away") {
        CHECK(f.ids("isolat") == f.ids("isolation"));
        CHECK(f.ids("isloat") == f.ids("isolation"));  // swapped, still typing
    }
    SECTION("a longer form of a need's word finds its services") {
        CHECK(f.ids("debts") == f.ids("debt"));
        CHECK(f.find("debts").namedNeedCodes == std::vector<std::string>{"money-debt"});
    }
    SECTION("shorter words never slip: too many neighbours") {
        CHECK(f.ids("fodo").empty());  // four letters, "food" swapped
        CHECK(f.ids("mael").empty());
    }
    SECTION("a word the index has is never treated as a slip") {
        CHECK(f.ids("breakfast") == Ids{"svc-breakfast", "svc-shelter"});
        CHECK(f.find("breakfast").namedNeedCodes.empty());
    }
    SECTION("two letters off is not a slip") {
        CHECK(f.ids("lonlyness").empty());
    }
}

TEST_CASE("search-time helpers: tokens, match expressions, edit distance", "[directory_search]") {
    Database db(":memory:");
    SearchTokenizer tokenizer(db.handle());
    const std::vector<SearchToken> tokens = tokenizer.tokens("Help, with \"Café\" Ł*");
    REQUIRE(tokens.size() == 4);
    CHECK(tokens[0].text == "help");
    CHECK(tokens[2].text == "cafe");
    CHECK(tokens[3].text == "l");
    CHECK(tokens[0].finished);
    CHECK(tokens[3].finished);  // "*" follows it
    CHECK_FALSE(tokenizer.tokens("food ba").back().finished);
    CHECK(tokenizer.tokens("food ba ").back().finished);
    CHECK(buildMatchExpression(tokenizer.tokens("help with food ba")) == "\"food\"* \"ba\"*");
    CHECK(buildMatchExpression(tokenizer.tokens("the and")) == "\"and\"*");
    CHECK(buildMatchExpression(tokenizer.tokens("the and ")) ==
          "\"the\"* \"and\"*");  // nothing else left
    CHECK(buildMatchExpression(tokenizer.tokens("\"*()")).empty());
    CHECK(buildMatchExpression({{"a\"b", false}}) == "\"a\"\"b\"*");
    CHECK(tokenizer.foldedKey("  Żółć  Café! ") == "zolc cafe");
    // Long words are cut to 64 bytes, never inside a character.
    std::string longWord;
    for (int i = 0; i < 40; ++i) {
        longWord += "ż";
    }
    const std::vector<std::string> cut = meaningfulTokens({{longWord, false}});
    REQUIRE(cut.size() == 1);
    CHECK(cut[0].size() == 64);
    CHECK(cut[0] == longWord.substr(0, 64));
    CHECK(meaningfulTokens({{"x" + longWord, false}})[0].size() == 63);
    CHECK(tokenizer.countTokens("one two, three") == 3);
    CHECK(editDistance("lonley", "lonely", 2) == 1);
    CHECK(editDistance("debt", "debts", 2) == 1);
    CHECK(editDistance("kitten", "sitting", 5) == 3);
    CHECK(editDistance("abc", "xyzabc", 2) == 3);  // stops early past the limit
    CHECK(editDistance("", "", 1) == 0);
}

TEST_CASE("bm25 computed from the phrase scan equals SQLite's bm25()", "[directory_search]") {
    signpost::test::TempDir dir("bm25");
    const std::string path = (dir / "directory.sqlite").string();
    SyntheticDirectoryOptions options;
    options.services = 3000;
    options.seed = 7;
    {
        DirectoryStore writer(path, test::londonZone());
        writer.replaceAll(generateSyntheticDirectory(options), "synthetic");
    }
    DirectoryStore store(path, test::londonZone());
    Database raw(path);
    SearchTokenizer tokenizer(raw.handle());
    for (const std::string text :
         {"food", "food bank", "f", "lonely", "carers group", "computer h", "zumba", "moss side",
          "debt advice", "english c", "żółć", "a b"}) {
        INFO(text);
        SearchRequest request;
        request.text = text;
        request.limit = 100000;
        const SearchResults ours = store.search(request, test::tuesdayMorning());
        Statement sql = raw.prepare(
            "SELECT s.id FROM service_fts f JOIN services s ON s.row_id = f.rowid WHERE "
            "service_fts MATCH ?1 "
            "ORDER BY bm25(service_fts, 10.0, 5.0, 3.0, 1.0, 1.5), s.sort_key, s.row_id");
        sql.bind(1, buildMatchExpression(tokenizer.tokens(text)));
        std::vector<std::string> expected;
        while (sql.step()) {
            expected.push_back(sql.columnText(0));
        }
        std::vector<std::string> actual;
        for (const ServiceSummary& item : ours.items) {
            actual.push_back(item.id);
        }
        CHECK(ours.totalMatches == expected.size());
        CHECK(actual == expected);
    }
}

TEST_CASE("large directories: prefix counts and accented names behave as in a real one",
          "[directory_search]") {
    SyntheticDirectoryOptions options;
    options.services = 10000;
    DirectoryStore store(":memory:", test::londonZone());
    store.replaceAll(generateSyntheticDirectory(options), "synthetic");
    auto count = [&](const std::string& text) {
        SearchRequest request;
        request.text = text;
        return store.search(request, test::tuesdayMorning()).totalMatches;
    };
    const std::size_t all = count("");
    CHECK(all > 9000);
    // Typing narrows monotonically.
    CHECK(count("f") >= count("fo"));
    CHECK(count("fo") >= count("foo"));
    CHECK(count("foo") >= count("food"));
    CHECK(count("food") >= count("food b"));
    CHECK(count("food b") >= count("food bank"));
    CHECK(count("food bank") > 50);
    CHECK(count("food bank") < all / 5);
    CHECK(count("zumba") > 10);
    CHECK(count("zolc") > 0);
    CHECK(count("zolc") == count("Żółć"));
}
