// The one typed JSON field reader (core/common/json_fields.h) that the wire format, the HSDS
// import and the referral codec read with: presence, types, limits and the path in every error.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/common/json_fields.h"

using namespace signpost;
using nlohmann::json;

namespace {

// The message a read throws, or "no error".
template <class Read>
std::string errorOf(Read&& read) {
    try {
        read();
    } catch (const JsonFieldError& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("fields: absent and null are not given, required ones are named", "[json_fields]") {
    const json doc = json::parse(R"({"a": null, "b": "x"})");
    const JsonFields f(doc);
    CHECK(f.find("a") == nullptr);
    CHECK(f.find("missing") == nullptr);
    CHECK(f.find("b") != nullptr);
    CHECK_FALSE(f.optionalString("a").has_value());
    CHECK(errorOf([&] { f.string("a"); }) == "a: required field is missing");
    CHECK(errorOf([&] { f.string("missing"); }) == "missing: required field is missing");
    // member(): present is enough, null included.
    CHECK(f.member("a").is_null());
    CHECK(errorOf([&] { f.member("missing"); }) == "missing: required field is missing");
}

TEST_CASE("fields: the wrong type says what it got", "[json_fields]") {
    const json doc =
        json::parse(R"({"s": 1, "n": "1", "b": "true", "arr": {}, "o": [], "i": 1.5})");
    const JsonFields f(doc, "root[2]");
    CHECK(errorOf([&] { f.string("s"); }) == "root[2].s: expected a string, got a number");
    CHECK(errorOf([&] { f.optionalNumber("n"); }) == "root[2].n: expected a number, got a string");
    CHECK(errorOf([&] { f.boolean("b"); }) == "root[2].b: expected true or false, got a string");
    CHECK(errorOf([&] { f.array("arr"); }) == "root[2].arr: expected an array, got an object");
    CHECK(errorOf([&] { f.nested("o"); }) == "root[2].o: expected an object, got an array");
    CHECK(errorOf([&] { f.integer("i"); }) == "root[2].i: expected a whole number, got a number");
    CHECK(errorOf([] { JsonFields top(json::array()); }) == "expected an object, got an array");
}

TEST_CASE("fields: limits", "[json_fields]") {
    const json doc = json::parse(
        R"({"text": "abcdef", "n": 5000, "neg": -3, "whole": 12.0, "huge": 9223372036854775808,
            "disk": 18446744073709551615, "kind": "maybe"})");
    const JsonFields f(doc);
    CHECK(f.string("text", 6) == "abcdef");
    CHECK(errorOf([&] { f.string("text", 5); }) == "text: is longer than 5 bytes");
    CHECK(errorOf([&] { f.integer("n", {.min = 0, .max = 1000}); }) ==
          "n: must be between 0 and 1000, got 5000");
    CHECK(errorOf([&] { f.integer("neg", {.min = 1}); }) == "neg: must be 1 or more, got -3");
    CHECK(errorOf([&] { f.integer("n", {.max = 10}); }) == "n: must be at most 10, got 5000");
    // Whole floats only where asked (HSDS types ages as "number").
    CHECK(errorOf([&] { f.integer("whole"); }) == "whole: expected a whole number, got a number");
    CHECK(f.integer("whole", {.acceptWholeFloats = true}) == 12);
    // Above int64: out of range, never wrapped.
    CHECK(errorOf([&] { f.integer("huge"); }) ==
          "huge: must be at most 9223372036854775807, got 9223372036854775808");
    CHECK(f.optionalUnsigned("disk") == 18446744073709551615ull);
    CHECK(errorOf([&] { f.optionalUnsigned("neg"); }) == "neg: must be 0 or more, got -3");
    // oneOf does not quote what it read (it may be personal data).
    CHECK(errorOf([&] { f.oneOf("kind", {"yes", "no"}); }) == "kind: expected one of yes, no");
}

TEST_CASE("fields: nested objects and array elements carry their path", "[json_fields]") {
    const json doc =
        json::parse(R"({"contact": {"name": 3}, "items": [{"id": "a"}, "x"], "codes": ["a", 7]})");
    const JsonFields f(doc);
    CHECK(errorOf([&] { f.nested("contact").string("name"); }) ==
          "contact.name: expected a string, got a number");
    const json& items = f.array("items");
    CHECK(f.element(items[0], "items", 0).string("id") == "a");
    CHECK(errorOf([&] { f.element(items[1], "items", 1); }) ==
          "items[1]: expected an object, got a string");
    const json& codes = f.array("codes");
    CHECK(f.stringElement(codes[0], "codes", 0) == "a");
    CHECK(errorOf([&] { f.stringElement(codes[1], "codes", 1); }) ==
          "codes[1]: expected a string, got a number");
    CHECK_FALSE(f.optionalNested("absent").has_value());
    CHECK(f.optionalArray("absent") == nullptr);
    const JsonFieldError error("a.b", "went wrong");
    CHECK(error.path() == "a.b");
    CHECK(error.problem() == "went wrong");
}
