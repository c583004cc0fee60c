#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "core/referral/reference_code.h"

using namespace signpost;

TEST_CASE("the alphabet leaves out characters that are easy to confuse", "[reference_code]") {
    for (char confusable : std::string("0O1IL2Z5S8BUV")) {
        INFO("character " << confusable);
        CHECK(kReferenceAlphabet.find(confusable) == std::string_view::npos);
    }
    // No repeats, and upper case letters and digits only.
    std::set<char> seen;
    for (char c : kReferenceAlphabet) {
        CHECK(seen.insert(c).second);
        CHECK(((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
    }
}

TEST_CASE("references look like MCR-4K7Q and come from the alphabet", "[reference_code]") {
    for (int i = 0; i < 200; ++i) {
        const std::string reference = makeReferenceCode("MCR");
        INFO(reference);
        REQUIRE(reference.size() == 3 + 1 + kReferenceCodeLength);
        CHECK(reference.substr(0, 4) == "MCR-");
        for (char c : reference.substr(4)) {
            CHECK(kReferenceAlphabet.find(c) != std::string_view::npos);
        }
        CHECK(isValidReferenceCode(reference));
        CHECK(canonicalReferenceCode(reference) == reference);
    }
    CHECK(makeReferenceCode("SP").starts_with("SP-"));
    CHECK(makeReferenceCode("ABCDE").starts_with("ABCDE-"));
}

TEST_CASE("references are spread over the whole alphabet (CSPRNG, no bias to a few codes)",
          "[reference_code]") {
    // 1,150 references = 4,600 symbols, ~200 expected per symbol (standard deviation ~14). A fixed
    // or badly biased generator fails these bounds; a fair one misses them with negligible chance.
    std::map<char, int> counts;
    std::set<std::string> distinct;
    for (int i = 0; i < 1150; ++i) {
        const std::string reference = makeReferenceCode("MCR");
        distinct.insert(reference);
        for (char c : reference.substr(4)) {
            ++counts[c];
        }
    }
    CHECK(counts.size() == kReferenceAlphabet.size());
    for (const auto& [symbol, count] : counts) {
        INFO("symbol " << symbol);
        CHECK(count > 100);
        CHECK(count < 400);
    }
    // 1,150 draws from 279,841 codes: a handful of repeats at most.
    CHECK(distinct.size() > 1100);
}

TEST_CASE("a bad prefix is a programming error", "[reference_code]") {
    for (const char* prefix : {"", "M", "MCRXYZ", "mcr", "MC1", "M-R", "MÇR"}) {
        INFO("prefix " << prefix);
        CHECK_THROWS_AS(makeReferenceCode(prefix), std::invalid_argument);
    }
}

TEST_CASE("isValidReferenceCode accepts only the canonical form", "[reference_code]") {
    for (const char* valid : {"MCR-4K7Q", "SP-ACDE", "ABCDE-9999", "XY-Y3W6"}) {
        INFO(valid);
        CHECK(isValidReferenceCode(valid));
    }
    for (const char* invalid :
         {"", "MCR", "MCR-", "MCR4K7Q", "mcr-4k7q", "MCR-4K7", "MCR-4K7QQ", "MCR-4K0Q", "MCR-4KOQ",
          "MCR-1K7Q", "MCR-4K7S", "M-4K7Q", "ABCDEF-4K7Q", "MCR--4K7Q", "MCR-4K7Q ", " MCR-4K7Q",
          "MC1-4K7Q", "MCR_4K7Q"}) {
        INFO(invalid);
        CHECK_FALSE(isValidReferenceCode(invalid));
    }
}

TEST_CASE("what a coordinator types is canonicalised", "[reference_code]") {
    struct Case {
        const char* typed;
        const char* canonical;
    };
    const Case cases[] = {
        {"MCR-4K7Q", "MCR-4K7Q"},
        {"mcr-4k7q", "MCR-4K7Q"},
        {"mcr 4k7q", "MCR-4K7Q"},
        {"MCR4K7Q", "MCR-4K7Q"},
        {"  MCR - 4K7Q  ", "MCR-4K7Q"},
        {"M C R 4 K 7 Q", "MCR-4K7Q"},
        {"mcr.4k7q", "MCR-4K7Q"},
        {"MCR_4K7Q", "MCR-4K7Q"},
        {"MCRACDE", "MCR-ACDE"},  // letters in the code: the code is always the last four
        {"spacde", "SP-ACDE"},
        {"ABCDE9999", "ABCDE-9999"},
        // not references
        {"", ""},
        {"MCR", ""},
        {"4K7Q", ""},
        {"M4K7Q", ""},       // prefix too short
        {"ABCDEF4K7Q", ""},  // prefix too long
        {"MCR-4K0Q", ""},    // 0 is never used
        {"MCR-4KOQ", ""},
        {"MCR-4K7", ""},  // a typed separator is honoured: not "MC-R4K7"
        {"mcr 4k7", ""},
        {"MC1-4K7Q", ""},
        {"MCR/4K7Q", ""},
        {"MCR-4K7Q-EXTRA", ""},
        {"mcr-4k7q\r\n", "MCR-4K7Q"},  // pasted with a line end
        {"MCR-4K7Q!", ""},
    };
    for (const Case& c : cases) {
        INFO("typed: '" << c.typed << "'");
        CHECK(canonicalReferenceCode(c.typed) == c.canonical);
    }
}
