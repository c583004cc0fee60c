// core/common/text_util.h: the one trim the modules share.
#include <catch2/catch.hpp>

#include "core/common/text_util.h"

using signpost::trim;

TEST_CASE("trim takes blanks (or the given characters) off both ends only", "[text_util]") {
    CHECK(trim("  09:00-17:00\t") == "09:00-17:00");
    CHECK(trim("a b") == "a b");
    CHECK(trim("") == "");
    CHECK(trim(" \t ") == "");
    CHECK(trim("\r\nx\r\n") == "\r\nx\r\n");  // blanks only by default
    CHECK(trim("\r\ntoken \r\n", " \r\n") == "token");
    CHECK(trim("--x--", "-") == "x");
    static_assert(trim("  x ") == "x");
}
