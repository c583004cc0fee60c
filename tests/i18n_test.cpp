#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "core/i18n/i18n.h"
#include "support/test_support.h"

using signpost::I18n;
using signpost::I18nError;

namespace {
I18n sample() {
    return I18n::fromJsonTexts({
        {"en", R"({"_meta": {"code": "en", "native_name": "English", "english_name": "English"},
                  "home.title": "Find local support", "greeting": "Hello {name}, you have {count}",
                  "only.english": "Only in English"})"},
        {"pl", R"({"_meta": {"code": "pl", "native_name": "Polski", "english_name": "Polish"},
                  "home.title": "Znajdź lokalne wsparcie"})"},
    });
}
}  // namespace

TEST_CASE("texts come from the current language with English as the fallback", "[i18n]") {
    I18n i18n = sample();
    CHECK(std::string(i18n.tr("home.title")) == "Find local support");
    REQUIRE(i18n.setLanguage("pl"));
    CHECK(std::string(i18n.tr("home.title")) == "Znajdź lokalne wsparcie");
    SECTION("a key missing in Polish falls back to English") {
        CHECK(std::string(i18n.tr("only.english")) == "Only in English");
    }
    SECTION("a key missing everywhere shows the key itself, and stays missing") {
        CHECK(std::string(i18n.tr("no.such.key")) == "no.such.key");
        CHECK_FALSE(i18n.has("en", "no.such.key"));
    }
    SECTION("an unknown language is refused and the current one kept") {
        CHECK_FALSE(i18n.setLanguage("xx"));
        CHECK(i18n.language() == "pl");
    }
}

TEST_CASE("placeholders are replaced, every occurrence", "[i18n]") {
    I18n i18n = sample();
    CHECK(i18n.format("greeting", {{"name", "Ana"}, {"count", "2"}}) == "Hello Ana, you have 2");
}

TEST_CASE("language metadata gives the button its native name", "[i18n]") {
    I18n i18n = sample();
    REQUIRE(i18n.languages().size() == 2);
    CHECK(i18n.languages()[0].code == "en");
    CHECK(i18n.languages()[1].nativeName == "Polski");
}

TEST_CASE("malformed language files are refused with the file named", "[i18n]") {
    CHECK_THROWS_AS(I18n::fromJsonTexts({{"pl", "{}"}}), I18nError);
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", "[1,2]"}}), Catch::Contains("en.json"));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"a": 3})"}}), Catch::Contains("\"a\""));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", "{not json"}}),
                      Catch::Contains("not valid JSON"));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", "{}"}, {"pl", R"({"_meta": {"code": "de"}})"}}),
                      Catch::Contains("expected \"pl\""));
    // A repeated key would silently lose one of the two texts.
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"a": "one", "b": "two", "a": "three"})"}}),
                      Catch::Contains("en.json: key \"a\" appears twice"));
    // The same key in _meta and at the top level is not a repeat.
    CHECK_NOTHROW(I18n::fromJsonTexts({{"en", R"({"_meta": {"code": "en"}, "code": "Code"})"}}));
}

TEST_CASE("_meta status and direction are checked, a file without a status is a draft", "[i18n]") {
    const I18n i18n = I18n::fromJsonTexts({
        {"en", R"({"_meta": {"code": "en", "status": "reviewed"}})"},
        {"ar", R"({"_meta": {"code": "ar", "direction": "rtl", "status": "draft"}})"},
        {"pl", R"({"_meta": {"code": "pl"}})"},
    });
    REQUIRE(i18n.languages().size() == 3);
    CHECK(i18n.languages()[0].status == signpost::TranslationStatus::Reviewed);
    CHECK(i18n.languages()[1].code == "ar");
    CHECK(i18n.languages()[1].rightToLeft);
    CHECK(i18n.languages()[1].status == signpost::TranslationStatus::Draft);
    CHECK(i18n.languages()[2].status == signpost::TranslationStatus::Draft);
    CHECK_THROWS_WITH(
        I18n::fromJsonTexts({{"en", R"({"_meta": {"status": "done"}})"}}),
        Catch::Contains(
            "en.json: \"_meta\".status is \"done\", expected \"draft\" or \"reviewed\""));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"_meta": {"direction": "right"}})"}}),
                      Catch::Contains("expected \"ltr\" or \"rtl\""));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"_meta": {"native_name": 7}})"}}),
                      Catch::Contains("\"_meta\".native_name must be text"));
}

namespace {
I18n pluralSample() {
    return I18n::fromJsonTexts({
        {"en", R"({"left": "{n} seconds", "left#one": "{n} second", "only.en": "{n} things",
                  "only.en#one": "one thing"})"},
        {"ar", R"({"_meta": {"code": "ar"}, "left": "{n} ثانية", "left#zero": "لا ثوانٍ",
                  "left#one": "ثانية واحدة", "left#two": "ثانيتان", "left#few": "{n} ثوانٍ"})"},
        {"uk", R"({"_meta": {"code": "uk"}, "left": "{n} секунди", "left#one": "{n} секунду",
                  "left#few": "{n} секунди", "left#many": "{n} секунд"})"},
        {"zh-Hans", R"({"_meta": {"code": "zh-Hans"}, "left": "{n} 秒"})"},
    });
}
std::string left(I18n& i18n, long long n) {
    return i18n.formatPlural("left", n, {{"n", std::to_string(n)}});
}
}  // namespace

TEST_CASE("plural forms follow each language's CLDR rules (ICU)", "[i18n]") {
    I18n i18n = pluralSample();
    CHECK(left(i18n, 1) == "1 second");
    CHECK(left(i18n, 21) == "21 seconds");
    SECTION("Arabic: six categories; many and other use the plain key") {
        REQUIRE(i18n.setLanguage("ar"));
        CHECK(left(i18n, 0) == "لا ثوانٍ");
        CHECK(left(i18n, 1) == "ثانية واحدة");
        CHECK(left(i18n, 2) == "ثانيتان");
        CHECK(left(i18n, 3) == "3 ثوانٍ");
        CHECK(left(i18n, 10) == "10 ثوانٍ");
        CHECK(left(i18n, 11) == "11 ثانية");    // many
        CHECK(left(i18n, 100) == "100 ثانية");  // other
        CHECK(left(i18n, 103) == "103 ثوانٍ");   // few again
        CHECK(i18n.pluralCategory("ar", 11) == "many");
    }
    SECTION("Ukrainian: 1, 21, 101 are one; 2-4, 22 few; 5-20, 25 many") {
        REQUIRE(i18n.setLanguage("uk"));
        CHECK(left(i18n, 1) == "1 секунду");
        CHECK(left(i18n, 21) == "21 секунду");
        CHECK(left(i18n, 3) == "3 секунди");
        CHECK(left(i18n, 22) == "22 секунди");
        CHECK(left(i18n, 5) == "5 секунд");
        CHECK(left(i18n, 11) == "11 секунд");
        CHECK(left(i18n, 25) == "25 секунд");
    }
    SECTION("Chinese has no plural forms") {
        REQUIRE(i18n.setLanguage("zh-Hans"));
        CHECK(left(i18n, 1) == "1 秒");
        CHECK(i18n.pluralCategory("zh-Hans", 1) == "other");
    }
    SECTION("a key only in English uses English's category, not the current language's") {
        REQUIRE(i18n.setLanguage("uk"));
        // 21 is "one" in Ukrainian; the English text must still say "things".
        CHECK(i18n.formatPlural("only.en", 21, {{"n", "21"}}) == "21 things");
        CHECK(i18n.formatPlural("only.en", 1, {{"n", "1"}}) == "one thing");
    }
    SECTION("a key missing everywhere shows the key") {
        CHECK(std::string(i18n.trPlural("no.such", 2)) == "no.such");
    }
}

TEST_CASE("a plural form must name a CLDR category", "[i18n]") {
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"left": "x", "left#fwe": "y"})"}}),
                      Catch::Contains("en.json: key \"left#fwe\": a plural form ends in"));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"#one": "y"})"}}),
                      Catch::Contains("\"#one\""));
}

TEST_CASE("need words: tile names and comma-separated synonyms per language", "[i18n]") {
    const I18n i18n = I18n::fromJsonTexts({
        {"en", R"({"need.food": "Food", "need.food.words": "food, hungry,, meals "})"},
        {"ar",
         R"({"_meta": {"code": "ar"}, "need.food": "الطعام", "need.food.words": "طعام، أكل,جوع"})"},
        {"zh-Hans", R"({"_meta": {"code": "zh-Hans"}, "need.food.words": "食物、吃饭，饥饿"})"},
        {"pl", R"({"_meta": {"code": "pl"}})"},
    });
    const std::vector<signpost::NeedWords> words = i18n.needWords({"food", "housing"});
    REQUIRE(words.size() == 3);  // Polish has none; nobody has housing
    CHECK(words[0].language == "en");
    CHECK(words[0].words == std::vector<std::string>{"Food", "food", "hungry", "meals"});
    CHECK(words[1].language == "ar");
    CHECK(words[1].words == std::vector<std::string>{"الطعام", "طعام", "أكل", "جوع"});
    CHECK(words[2].language == "zh-Hans");
    CHECK(words[2].words == std::vector<std::string>{"食物", "吃饭", "饥饿"});
}

TEST_CASE("available() lists every text file with its _meta, English first", "[i18n]") {
    const std::vector<signpost::LanguageInfo> all =
        I18n::available(signpost::test::assetsDir() / "i18n");
    REQUIRE(all.size() >= 13);
    CHECK(all[0].code == "en");
    auto find = [&](const std::string& code) {
        return std::find_if(all.begin(), all.end(),
                            [&](const signpost::LanguageInfo& info) { return info.code == code; });
    };
    REQUIRE(find("zh-Hant") != all.end());
    CHECK(find("zh-Hant")->nativeName == "繁體中文");
    REQUIRE(find("ckb") != all.end());
    CHECK(find("ckb")->rightToLeft);
    CHECK(I18n::available("/no/such/directory").empty());
}

TEST_CASE("a requested language that is not a BCP 47 tag never becomes a file name", "[i18n]") {
    const I18n i18n =
        I18n::load(signpost::test::assetsDir() / "i18n", {"en", "../i18n/pl", "zh-hans", "ckb"});
    std::vector<std::string> codes;
    for (const auto& info : i18n.languages()) {
        codes.push_back(info.code);
    }
    // Tags arrive canonical from config; "zh-hans" is not the file name zh-Hans.json.
    CHECK(codes == std::vector<std::string>{"en", "ckb"});
}
