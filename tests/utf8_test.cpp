// The one UTF-8 module (core/common/utf8.h, utfcpp's rules inside): strict decoding with one-byte
// resynchronisation, counting, the last code point, appending, and the keyboard's upper case.
#include <catch2/catch.hpp>

#include <string>

#include "core/common/utf8.h"

using namespace signpost;

TEST_CASE("decode: valid sequences of every length", "[utf8]") {
    const std::string text = "a\xC5\x82\xE2\x82\xAC\xF0\x9F\x98\x80";  // a ł € 😀
    utf8::Step step = utf8::decode(text, 0);
    CHECK((step.valid && step.codePoint == U'a' && step.length == 1));
    step = utf8::decode(text, 1);
    CHECK((step.valid && step.codePoint == 0x142 && step.length == 2));
    step = utf8::decode(text, 3);
    CHECK((step.valid && step.codePoint == 0x20AC && step.length == 3));
    step = utf8::decode(text, 6);
    CHECK((step.valid && step.codePoint == 0x1F600 && step.length == 4));
    CHECK(utf8::isValid(text));
    CHECK(utf8::count(text) == 4);
}

TEST_CASE("decode: what RFC 3629 forbids is invalid and skips one byte", "[utf8]") {
    const char* bad[] = {
        "\x80",              // a stray continuation byte
        "\xC0\xAF",          // an overlong '/'
        "\xC1\xBF",          // overlong
        "\xE0\x80\xAF",      // overlong '/' in three bytes
        "\xF0\x80\x80\xAF",  // overlong in four
        "\xED\xA0\x80",      // U+D800, a surrogate
        "\xED\xBF\xBF",      // U+DFFF
        "\xF4\x90\x80\x80",  // U+110000, past the last code point
        "\xF5\x80\x80\x80",  // a lead byte that is never valid
        "\xFF",
        "\xC5",      // truncated
        "\xE2\x82",  // truncated
        "\xC5\x41",  // a lead byte followed by ASCII
    };
    for (const char* text : bad) {
        INFO(text);
        const utf8::Step step = utf8::decode(text, 0);
        CHECK_FALSE(step.valid);
        CHECK(step.length == 1);
        CHECK_FALSE(utf8::isValid(text));
    }
    // The walk resynchronises on the next byte: the 'A' after a bad lead is kept.
    std::size_t at = 0;
    const std::string mixed = "\xC5\x41";
    CHECK(utf8::next(mixed, at) == utf8::kReplacement);
    CHECK(at == 1);
    CHECK(utf8::next(mixed, at) == U'A');
    CHECK(utf8::count(mixed) == 2);
    // The edges that are valid.
    CHECK(utf8::decode("\xEF\xBF\xBD", 0).codePoint == 0xFFFD);
    CHECK(utf8::decode("\xF4\x8F\xBF\xBF", 0).codePoint == 0x10FFFF);
    CHECK(utf8::decode("\xEE\x80\x80", 0).codePoint == 0xE000);
}

TEST_CASE("lastLength finds the last whole code point", "[utf8]") {
    CHECK(utf8::lastLength("") == 0);
    CHECK(utf8::lastLength("abc") == 1);
    CHECK(utf8::lastLength("a\xC5\xBC") == 2);  // ż
    CHECK(utf8::lastLength("\xF0\x9F\x98\x80") == 4);
    CHECK(utf8::lastLength("a\x82\xAC") == 1);  // continuation bytes without their lead
    CHECK(utf8::lastLength("\xE2\x82") == 1);   // a truncated sequence
}

TEST_CASE("append and encode write UTF-8, and U+FFFD for what is no character", "[utf8]") {
    std::string out;
    utf8::append(out, U'a');
    utf8::append(out, 0x142);
    utf8::append(out, 0x1F600);
    CHECK(out == "a\xC5\x82\xF0\x9F\x98\x80");
    CHECK(utf8::encode(0xD800) == "\xEF\xBF\xBD");
    CHECK(utf8::encode(0x110000) == "\xEF\xBF\xBD");
    SecureString secret;
    utf8::append(secret, 0x105);  // ą
    CHECK(std::string(secret.begin(), secret.end()) == "\xC4\x85");
}

TEST_CASE("upper case for the letters the keyboard offers", "[utf8]") {
    CHECK(utf8::toUpper("zażółć gęślą jaźń") == "ZAŻÓŁĆ GĘŚLĄ JAŹŃ");
    CHECK(utf8::toUpper("ș ț ÿ ß ÷") == "Ș Ț Ÿ ß ÷");
    CHECK(utf8::toUpper(U'ł') == U'Ł');
}

TEST_CASE("prefixes never end inside a sequence", "[utf8]") {
    const std::string_view text =
        "a\xC5\x82\xE2\x82\xAC\xF0\x9F\x98\x80";  // a ł € 😀: 1+2+3+4 bytes
    CHECK(utf8::isContinuation('\x82'));
    CHECK_FALSE(utf8::isContinuation('\xC5'));
    CHECK_FALSE(utf8::isContinuation('a'));
    // Bytes: a cut inside ł, € or 😀 backs off to the start of that character.
    CHECK(utf8::prefixBytes(text, 0).empty());
    CHECK(utf8::prefixBytes(text, 2) == "a");
    CHECK(utf8::prefixBytes(text, 3) == "a\xC5\x82");
    CHECK(utf8::prefixBytes(text, 5) == "a\xC5\x82");
    CHECK(utf8::prefixBytes(text, 9) == "a\xC5\x82\xE2\x82\xAC");
    CHECK(utf8::prefixBytes(text, 10) == text);
    CHECK(utf8::prefixBytes(text, 99) == text);
    // Code points.
    CHECK(utf8::prefixCodePoints(text, 0).empty());
    CHECK(utf8::prefixCodePoints(text, 2) == "a\xC5\x82");
    CHECK(utf8::prefixCodePoints(text, 3) == "a\xC5\x82\xE2\x82\xAC");
    CHECK(utf8::prefixCodePoints(text, 4) == text);
    CHECK(utf8::prefixCodePoints(text, 9) == text);
    // An invalid byte is one code point, as count() says.
    CHECK(utf8::prefixCodePoints("\xFF"
                                 "b",
                                 1) == "\xFF");
    CHECK(utf8::count(utf8::prefixCodePoints(text, 3)) == 3);
}
