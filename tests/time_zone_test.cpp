#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/common/log.h"
#include "core/directory/time_zone.h"
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

bool hasSystemZone(const std::string& name) { return std::filesystem::exists(kZoneinfo / name); }

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
    if (!hasSystemZone("Europe/London")) {
        WARN("no /usr/share/zoneinfo/Europe/London on this machine; skipped");
        return;
    }
    TimeZone london = TimeZone::load("Europe/London");
    CHECK(london.name() == "Europe/London");
    checkLondon2026(london);
}

TEST_CASE("the built-in London rule gives the same answers as the zone file", "[time_zone]") {
    TimeZone rule = TimeZone::fromPosixRule("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0");
    checkLondon2026(rule);
    if (!hasSystemZone("Europe/London")) {
        return;
    }
    TimeZone file = TimeZone::load("Europe/London");
    // Every 37 minutes from 2000 to 2037: the table and the rule must agree on offset and name.
    int mismatches = 0;
    for (sys_seconds t = utc(2000, 1, 1, 0, 0); t < utc(2037, 12, 31, 0, 0); t += minutes{37}) {
        LocalTime a = file.toLocal(t);
        LocalTime b = rule.toLocal(t);
        if (a.utcOffsetSeconds != b.utcOffsetSeconds || a.abbreviation != b.abbreviation) {
            ++mismatches;
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("years past 2037 use the POSIX footer rule", "[time_zone]") {
    if (!hasSystemZone("Europe/London")) {
        return;
    }
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
    TimeZone london = TimeZone::fromPosixRule("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0");
    LocalTime sunday = london.toLocal(utc(2026, 3, 29, 1, 0, 0));
    CHECK(sunday.weekday == 7);
    CHECK(sunday.minutesOfDay == 120);
    LocalTime monday = london.toLocal(utc(2026, 6, 1, 9, 15, 42));  // 10:15:42 BST
    CHECK(monday.weekday == 1);
    CHECK(monday.minutesOfDay == 615);
    CHECK(monday.secondsOfMinute == 42);
    TimeZone utcZone = TimeZone::fromPosixRule("UTC", "UTC0");
    LocalTime before = utcZone.toLocal(utc(1969, 12, 31, 23, 59, 59));
    CHECK(wall(before) == "1969-12-31 23:59:59 UTC");
    CHECK(before.weekday == 3);  // a Wednesday
}

TEST_CASE("POSIX rules: east of UTC, southern hemisphere, quoted names, J and zero-based days",
          "[time_zone]") {
    SECTION("Sydney: daylight time spans the new year") {
        TimeZone sydney = TimeZone::fromPosixRule("Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3");
        // 2026: DST ends Sunday 5 April 03:00 AEDT (16:00 UTC on the 4th), starts 4 October 02:00 AEST.
        CHECK(wall(sydney.toLocal(utc(2026, 1, 10, 0, 0))) == "2026-01-10 11:00:00 AEDT");
        CHECK(wall(sydney.toLocal(utc(2026, 4, 4, 15, 59, 59))) == "2026-04-05 02:59:59 AEDT");
        CHECK(wall(sydney.toLocal(utc(2026, 4, 4, 16, 0, 0))) == "2026-04-05 02:00:00 AEST");
        CHECK(wall(sydney.toLocal(utc(2026, 10, 3, 15, 59, 59))) == "2026-10-04 01:59:59 AEST");
        CHECK(wall(sydney.toLocal(utc(2026, 10, 3, 16, 0, 0))) == "2026-10-04 03:00:00 AEDT");
        if (hasSystemZone("Australia/Sydney")) {
            TimeZone file = TimeZone::load("Australia/Sydney");
            for (sys_seconds t = utc(2020, 1, 1, 0, 0); t < utc(2037, 1, 1, 0, 0); t += hours{5}) {
                REQUIRE(file.toLocal(t).utcOffsetSeconds == sydney.toLocal(t).utcOffsetSeconds);
            }
        }
    }
    SECTION("quoted numeric abbreviations and no daylight time") {
        TimeZone istanbul = TimeZone::fromPosixRule("Europe/Istanbul", "<+03>-3");
        LocalTime t = istanbul.toLocal(utc(2026, 7, 1, 21, 30));
        CHECK(wall(t) == "2026-07-02 00:30:00 +03");
        CHECK(t.utcOffsetSeconds == 10800);
    }
    SECTION("explicit daylight offset and minutes in offsets") {
        TimeZone lord = TimeZone::fromPosixRule("Australia/Lord_Howe", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
        CHECK(lord.toLocal(utc(2026, 1, 10, 0, 0)).utcOffsetSeconds == 11 * 3600);
        CHECK(lord.toLocal(utc(2026, 7, 10, 0, 0)).utcOffsetSeconds == 10 * 3600 + 1800);
    }
    SECTION("Julian day forms") {
        // Daylight time from day J60 (1 March, even in leap years) to zero-based day 300.
        TimeZone j = TimeZone::fromPosixRule("Test/J", "XST0XDT,J60/0,300/0");
        CHECK(j.toLocal(utc(2028, 2, 29, 12, 0)).abbreviation == "XST");
        CHECK(j.toLocal(utc(2028, 3, 1, 0, 0)).abbreviation == "XDT");
        // Zero-based day 300 of leap year 2028 is 27 October; 00:00 XDT = 23:00 UTC the day before.
        CHECK(j.toLocal(utc(2028, 10, 26, 22, 59)).abbreviation == "XDT");
        CHECK(j.toLocal(utc(2028, 10, 26, 23, 0)).abbreviation == "XST");
    }
    SECTION("malformed rules throw") {
        for (const char* bad : {"", "G0", "GMT", "GMT0BST,M3.5.0/1", "GMT0BST,M13.5.0,M10.5.0",
                                "GMT0BST,M3.6.0,M10.5.0", "GMT0BST,M3.5.7,M10.5.0", "GMT0BST,J0,J100",
                                "GMT0BST,M3.5.0,M10.5.0junk", "<+0 3>-3", "GMT99"}) {
            INFO(bad);
            CHECK_THROWS_AS(TimeZone::fromPosixRule("Bad", bad), TimeZoneError);
        }
    }
}

TEST_CASE("zone names are validated before touching the file system", "[time_zone]") {
    for (const char* bad : {"", "/etc/passwd", "../../etc/passwd", "Europe/../../etc/passwd",
                            "Europe//London", "Europe/London/", "Europe/Lon don", "Europe\\London"}) {
        INFO(bad);
        CHECK_THROWS_AS(TimeZone::load(bad), TimeZoneError);
    }
}

TEST_CASE("a missing or corrupt zone file falls back for London and throws for other zones",
          "[time_zone]") {
    signpost::test::TempDir dir("tz");
    std::filesystem::create_directories(dir.path() / "Europe");
    signpost::setLogToStderr(false);

    SECTION("missing file") {
        TimeZone london = TimeZone::load("Europe/London", dir.path());
        checkLondon2026(london);
        CHECK_THROWS_WITH(TimeZone::load("Europe/Paris", dir.path()),
                          Catch::Contains("no such zone file"));
    }
    SECTION("garbage bytes") {
        signpost::test::writeText(dir / "Europe/London", "this is not a zone file at all");
        signpost::test::writeText(dir / "Europe/Paris", "this is not a zone file at all");
        TimeZone london = TimeZone::load("Europe/London", dir.path());
        checkLondon2026(london);
        auto lines = signpost::recentLogLines(5);
        REQUIRE_FALSE(lines.empty());
        CHECK(lines.back().level == signpost::LogLevel::Warning);
        CHECK_THAT(lines.back().message, Catch::Contains("built-in rule"));
        CHECK_THROWS_WITH(TimeZone::load("Europe/Paris", dir.path()), Catch::Contains("not a TZif file"));
    }
    if (hasSystemZone("Europe/London") && hasSystemZone("Europe/Paris")) {
        const std::string realLondon = signpost::test::readText(kZoneinfo / "Europe/London");
        const std::string realParis = signpost::test::readText(kZoneinfo / "Europe/Paris");
        SECTION("truncated in the middle") {
            signpost::test::writeText(dir / "Europe/London", realLondon.substr(0, realLondon.size() / 2));
            signpost::test::writeText(dir / "Europe/Paris", realParis.substr(0, realParis.size() / 2));
            checkLondon2026(TimeZone::load("Europe/London", dir.path()));
            CHECK_THROWS_WITH(TimeZone::load("Europe/Paris", dir.path()), Catch::Contains("truncated"));
        }
        SECTION("footer cut off") {
            signpost::test::writeText(dir / "Europe/Paris", realParis.substr(0, realParis.size() - 3));
            CHECK_THROWS_AS(TimeZone::load("Europe/Paris", dir.path()), TimeZoneError);
        }
        SECTION("header counts that disagree with each other") {
            std::string broken = realParis;
            // The v2 header's typecnt sits at offset 36 of the second header; shrinking it to 1
            // makes the transition type indexes dangle.
            const std::size_t second = broken.find("TZif", 4);
            REQUIRE(second != std::string::npos);
            broken[second + 36] = 0;
            broken[second + 37] = 0;
            broken[second + 38] = 0;
            broken[second + 39] = 1;
            signpost::test::writeText(dir / "Europe/Paris", broken);
            CHECK_THROWS_AS(TimeZone::load("Europe/Paris", dir.path()), TimeZoneError);
        }
        SECTION("an intact copy loads from another root") {
            signpost::test::writeText(dir / "Europe/Paris", realParis);
            TimeZone paris = TimeZone::load("Europe/Paris", dir.path());
            CHECK(wall(paris.toLocal(utc(2026, 3, 29, 1, 0, 0))) == "2026-03-29 03:00:00 CEST");
            CHECK(wall(paris.toLocal(utc(2026, 12, 1, 12, 0))) == "2026-12-01 13:00:00 CET");
        }
    }
    signpost::setLogToStderr(true);
}

TEST_CASE("a TimeZone is a cheap shared value", "[time_zone]") {
    TimeZone a = TimeZone::fromPosixRule("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0");
    TimeZone b = a;
    TimeZone c = TimeZone::fromPosixRule("UTC", "UTC0");
    c = b;
    CHECK(c.name() == "Europe/London");
    CHECK(c.toLocal(utc(2026, 7, 1, 12, 0)).abbreviation == "BST");
}
