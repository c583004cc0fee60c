#include <catch2/catch.hpp>

#include "core/i18n/i18n.h"

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
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", "{not json"}}), Catch::Contains("not valid JSON"));
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", "{}"}, {"pl", R"({"_meta": {"code": "de"}})"}}),
                      Catch::Contains("expected \"pl\""));
    // A repeated key would silently lose one of the two texts.
    CHECK_THROWS_WITH(I18n::fromJsonTexts({{"en", R"({"a": "one", "b": "two", "a": "three"})"}}),
                      Catch::Contains("en.json: key \"a\" appears twice"));
    // The same key in _meta and at the top level is not a repeat.
    CHECK_NOTHROW(I18n::fromJsonTexts({{"en", R"({"_meta": {"code": "en"}, "code": "Code"})"}}));
}
