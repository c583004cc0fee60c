// core/common/ids.h: random identifiers and the encodings built on libsodium.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/common/ids.h"

using namespace signpost;

TEST_CASE("UUIDs are version 4, lower case and canonical, and anything else is refused", "[ids]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string id = uuidV4();
        CHECK(isUuidV4(id));
        seen.insert(id);
    }
    CHECK(seen.size() == 200);
    CHECK(isUuidV4("9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a"));
    CHECK_FALSE(isUuidV4("9D8C7B6A-5F4E-4D3C-9B2A-1F0E9D8C7B6A"));  // upper case
    CHECK_FALSE(isUuidV4("9d8c7b6a-5f4e-1d3c-9b2a-1f0e9d8c7b6a"));  // version 1
    CHECK_FALSE(isUuidV4("9d8c7b6a-5f4e-4d3c-7b2a-1f0e9d8c7b6a"));  // not the RFC variant
    CHECK_FALSE(isUuidV4("9d8c7b6a5f4e4d3c9b2a1f0e9d8c7b6a"));      // no dashes
    CHECK_FALSE(isUuidV4(""));
}

TEST_CASE("hex and base64 encode bytes, and base64 refuses what it cannot decode", "[ids]") {
    const std::vector<std::uint8_t> bytes{0x00, 0x0f, 0xa0, 0xff};
    CHECK(toHex(bytes) == "000fa0ff");
    CHECK(toHex({}) == "");
    CHECK(toBase64(bytes) == "AA+g/w==");
    CHECK(fromBase64("AA+g/w==") == bytes);
    CHECK_FALSE(fromBase64("AA+g/w=").has_value());    // bad padding
    CHECK_FALSE(fromBase64("AA+g/w==!").has_value());  // trailing garbage
    CHECK_FALSE(fromBase64("AA-g_w==").has_value());   // the URL-safe alphabet
}

TEST_CASE("a short digest is BLAKE2b-128 in hex, the same for the same text", "[ids]") {
    // Known answers: Python's hashlib.blake2b(data, digest_size=16).hexdigest().
    CHECK(shortDigestHex("") == "cae66941d9efbd404e4d88758ea67670");
    CHECK(shortDigestHex("zażółć") == "9a86827c630fd7396055e649f7dbb6fd");
    CHECK(shortDigestHex("a") != shortDigestHex("b"));
    CHECK(shortDigestHex(std::string(1 << 20, 'x')).size() == 32);
}

TEST_CASE("randomBelow stays below its bound and reaches every value", "[ids]") {
    std::set<std::uint32_t> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::uint32_t value = randomBelow(7);
        REQUIRE(value < 7);
        seen.insert(value);
    }
    CHECK(seen.size() == 7);
}
