// BCP 47 tags for the languages the kiosk offers: the subset language[-Script][-REGION], each
// subtag one ICU knows, in canonical case.
#include <catch2/catch.hpp>

#include "core/i18n/language_tag.h"

using signpost::canonicalLanguageTag;
using signpost::primaryLanguage;

TEST_CASE("the kiosk's own tags are accepted as they are", "[language_tag]") {
    for (const char* tag : {"en", "pl", "ur", "ar", "bn", "zh-Hans", "zh-Hant", "pa", "so", "ro",
                            "ckb", "fa", "uk"}) {
        INFO(tag);
        CHECK(canonicalLanguageTag(tag) == std::optional<std::string>(tag));
    }
}

TEST_CASE("tags are brought to canonical case", "[language_tag]") {
    CHECK(canonicalLanguageTag("ZH-hans") == std::optional<std::string>("zh-Hans"));
    CHECK(canonicalLanguageTag("CKB") == std::optional<std::string>("ckb"));
    CHECK(canonicalLanguageTag("en-gb") == std::optional<std::string>("en-GB"));
    CHECK(canonicalLanguageTag("sr-latn-rs") == std::optional<std::string>("sr-Latn-RS"));
    CHECK(canonicalLanguageTag("es-419") == std::optional<std::string>("es-419"));
}

TEST_CASE("malformed or unknown tags are refused", "[language_tag]") {
    for (const char* tag : {"",
                            "e",
                            "english",
                            "xx",
                            "qq",
                            "zz-Latn",
                            "zh-Hanz",
                            "en-QQ",
                            "en-",
                            "-en",
                            "en--GB",
                            "en-GB-x",
                            "x-private",
                            "i-klingon",
                            "en_GB",
                            "../pl",
                            "zh-Hans/../../etc",
                            "en-GB-oed",
                            "pl ",
                            " pl",
                            "zh-Hans-CN-x",
                            "1en"}) {
        INFO('"' << tag << '"');
        CHECK_FALSE(canonicalLanguageTag(tag).has_value());
    }
}

TEST_CASE("the primary language subtag", "[language_tag]") {
    CHECK(primaryLanguage("zh-Hans") == "zh");
    CHECK(primaryLanguage("CKB") == "ckb");
    CHECK(primaryLanguage("english") == "");
}
