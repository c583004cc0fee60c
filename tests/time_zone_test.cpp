#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/common/time_zone.h"
#include "support/test_support.h"

using namespace std::chrono;
using signpost::LocalTime;
using signpost::TimeZone;
using signpost::TimeZoneError;

namespace {

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
    return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

std::string wall(const LocalTime& t) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d %s",
                  static_cast<int>(t.date.year()), static_cast<unsigned>(t.date.month()),
                  static_cast<unsigned>(t.date.day()), t.minutesOfDay / 60, t.minutesOfDay % 60,
                  t.secondsOfMinute, t.abbreviation.c_str());
    return buffer;
}

const std::filesystem::path kZoneinfo = "/usr/share/zoneinfo";

bool hasSystemZone(const std::string& name) {
    return std::filesystem::exists(kZoneinfo / name);
}

// Checks the UK's 2026 clock changes to the second on any London zone.
void checkLondon2026(const TimeZone& london) {
    // Spring forward: 29 March 2026, 01:00 GMT becomes 02:00 BST.
    CHECK(wall(london.toLocal(utc(2026, 3, 29, 0, 59, 59))) == "2026-03-29 00:59:59 GMT");
    CHECK(wall(london.toLocal(utc(2026, 3, 29, 1, 0, 0))) == "2026-03-29 02:00:00 BST");
    CHECK(london.toLocal(utc(2026, 3, 29, 0, 59, 59)).utcOffsetSeconds == 0);
    CHECK(london.toLocal(utc(2026, 3, 29, 1, 0, 0)).utcOffsetSeconds == 3600);
    // Fall back: 25 October 2026, 02:00 BST becomes 01:00 GMT; 01:xx happens twice.
    CHECK(wall(london.toLocal(utc(2026, 10, 25, 0, 59, 59))) == "2026-10-25 01:59:59 BST");
    CHECK(wall(london.toLocal(utc(2026, 10, 25, 1, 0, 0))) == "2026-10-25 01:00:00 GMT");
    CHECK(wall(london.toLocal(utc(2026, 10, 25, 0, 30))) == "2026-10-25 01:30:00 BST");
    CHECK(wall(london.toLocal(utc(2026, 10, 25, 1, 30))) == "2026-10-25 01:30:00 GMT");
    // Ordinary days either side.
    CHECK(wall(london.toLocal(utc(2026, 1, 15, 12, 0))) == "2026-01-15 12:00:00 GMT");
    CHECK(wall(london.toLocal(utc(2026, 7, 1, 23, 30))) == "2026-07-02 00:30:00 BST");
}

}  // namespace

TEST_CASE("Europe/London from the system zone file crosses the 2026 DST edges to the second",
          "[time_zone]") {
    REQUIRE(hasSystemZone("Europe/London"));  // tzdata: installer/install-deps.sh
    TimeZone london = TimeZone::load("Europe/London");
    CHECK(london.name() == "Europe/London");
    checkLondon2026(london);
}

TEST_CASE("years past 2037 use the zone file's POSIX footer rule", "[time_zone]") {
    // Howard Hinnant's date/tz in Debian's "OS tzdb" build ignores the footer and says GMT all
    // year here; cctz extends the table with it.
    TimeZone london = TimeZone::load("Europe/London");
    // 2040: last Sunday of March is the 25th, of October the 28th.
    CHECK(wall(london.toLocal(utc(2040, 3, 25, 0, 59, 59))) == "2040-03-25 00:59:59 GMT");
    CHECK(wall(london.toLocal(utc(2040, 3, 25, 1, 0, 0))) == "2040-03-25 02:00:00 BST");
    CHECK(wall(london.toLocal(utc(2040, 10, 28, 0, 59, 59))) == "2040-10-28 01:59:59 BST");
    CHECK(wall(london.toLocal(utc(2040, 10, 28, 1, 0, 0))) == "2040-10-28 01:00:00 GMT");
    // 2100 is not a leap year; last Sunday of October is the 31st.
    CHECK(wall(london.toLocal(utc(2100, 10, 31, 0, 59, 59))) == "2100-10-31 01:59:59 BST");
    CHECK(wall(london.toLocal(utc(2100, 10, 31, 1, 0, 0))) == "2100-10-31 01:00:00 GMT");
}

TEST_CASE("local fields: weekday, date rollover, instants before 1970", "[time_zone]") {
    TimeZone london = TimeZone::load("Europe/London");
    LocalTime sunday = london.toLocal(utc(2026, 3, 29, 1, 0, 0));
    CHECK(sunday.weekday == 7);
    CHECK(sunday.minutesOfDay == 120);
    LocalTime monday = london.toLocal(utc(2026, 6, 1, 9, 15, 42));  // 10:15:42 BST
    CHECK(monday.weekday == 1);
    CHECK(monday.minutesOfDay == 615);
    CHECK(monday.secondsOfMinute == 42);
    TimeZone utcZone = TimeZone::load("Etc/UTC");
    LocalTime before = utcZone.toLocal(utc(1969, 12, 31, 23, 59, 59));
    CHECK(wall(before) == "1969-12-31 23:59:59 UTC");
    CHECK(before.weekday == 3);  // a Wednesday
}

TEST_CASE("other zones: east of UTC, southern hemisphere, numeric names, half hours",
          "[time_zone]") {
    SECTION("Sydney: daylight time spans the new year") {
        TimeZone sydney = TimeZone::load("Australia/Sydney");
        // 2026: DST ends Sunday 5 April 03:00 AEDT (16:00 UTC on the 4th), starts 4 October 02:00
        // AEST.
        CHECK(wall(sydney.toLocal(utc(2026, 1, 10, 0, 0))) == "2026-01-10 11:00:00 AEDT");
        CHECK(wall(sydney.toLocal(utc(2026, 4, 4, 15, 59, 59))) == "2026-04-05 02:59:59 AEDT");
        CHECK(wall(sydney.toLocal(utc(2026, 4, 4, 16, 0, 0))) == "2026-04-05 02:00:00 AEST");
        CHECK(wall(sydney.toLocal(utc(2026, 10, 3, 15, 59, 59))) == "2026-10-04 01:59:59 AEST");
        CHECK(wall(sydney.toLocal(utc(2026, 10, 3, 16, 0, 0))) == "2026-10-04 03:00:00 AEDT");
    }
    SECTION("numeric abbreviations and no daylight time") {
        TimeZone istanbul = TimeZone::load("Europe/Istanbul");
        LocalTime t = istanbul.toLocal(utc(2026, 7, 1, 21, 30));
        CHECK(wall(t) == "2026-07-02 00:30:00 +03");
        CHECK(t.utcOffsetSeconds == 10800);
    }
    SECTION("half-hour daylight saving") {
        TimeZone lord = TimeZone::load("Australia/Lord_Howe");
        CHECK(lord.toLocal(utc(2026, 1, 10, 0, 0)).utcOffsetSeconds == 11 * 3600);
        CHECK(lord.toLocal(utc(2026, 7, 10, 0, 0)).utcOffsetSeconds == 10 * 3600 + 1800);
    }
}

TEST_CASE("zone names are validated before touching the file system", "[time_zone]") {
    for (const char* bad :
         {"", "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd", "Europe//London",
          "Europe/London/", "Europe/Lon don", "Europe\\London"}) {
        INFO(bad);
        CHECK_THROWS_AS(TimeZone::load(bad), TimeZoneError);
    }
    CHECK_THROWS_WITH(TimeZone::load("../../etc/passwd"), Catch::Contains("bad time zone name"));
    // A real file that is not a zone file.
    signpost::test::TempDir dir("tz-names");
    signpost::test::writeText(dir / "passwd", "root:x:0:0:root:/root:/bin/bash\n");
    CHECK_THROWS_WITH(TimeZone::load("passwd", dir.path()),
                      Catch::Contains("not a valid zone file"));
}

TEST_CASE("a missing or corrupt zone file is an error naming the file, for every zone",
          "[time_zone]") {
    // There is no built-in rule any more (the hand-written POSIX reader went with the TZif one):
    // tzdata is a dependency of the kiosk package, and a broken zone file stops the kiosk with
    // this message instead of showing a guessed clock.
    signpost::test::TempDir dir("tz");
    std::filesystem::create_directories(dir.path() / "Europe");
    const std::string realLondon = signpost::test::readText(kZoneinfo / "Europe/London");

    SECTION("missing file") {
        CHECK_THROWS_WITH(TimeZone::load("Europe/London", dir.path()),
                          Catch::Contains("Europe/London: no such zone file"));
    }
    SECTION("garbage bytes") {
        signpost::test::writeText(dir / "Europe/London", "this is not a zone file at all");
        CHECK_THROWS_WITH(TimeZone::load("Europe/London", dir.path()),
                          Catch::Contains("not a valid zone file"));
    }
    SECTION("truncated in the middle") {
        signpost::test::writeText(dir / "Europe/London",
                                  realLondon.substr(0, realLondon.size() / 2));
        CHECK_THROWS_AS(TimeZone::load("Europe/London", dir.path()), TimeZoneError);
    }
    SECTION("header counts that disagree with each other") {
        std::string broken = realLondon;
        // The v2 header's typecnt sits at offset 36 of the second header; shrinking it to 1
        // makes the transition type indexes dangle.
        const std::size_t second = broken.find("TZif", 4);
        REQUIRE(second != std::string::npos);
        broken[second + 36] = 0;
        broken[second + 37] = 0;
        broken[second + 38] = 0;
        broken[second + 39] = 1;
        signpost::test::writeText(dir / "Europe/London", broken);
        CHECK_THROWS_AS(TimeZone::load("Europe/London", dir.path()), TimeZoneError);
    }
    SECTION("an intact copy loads from another root") {
        signpost::test::writeText(dir / "Europe/London", realLondon);
        checkLondon2026(TimeZone::load("Europe/London", dir.path()));
    }
}

TEST_CASE("a TimeZone is a cheap shared value", "[time_zone]") {
    TimeZone a = TimeZone::load("Europe/London");
    TimeZone b = a;
    TimeZone c = TimeZone::load("Etc/UTC");
    c = b;
    CHECK(c.name() == "Europe/London");
    CHECK(c.toLocal(utc(2026, 7, 1, 12, 0)).abbreviation == "BST");
}
