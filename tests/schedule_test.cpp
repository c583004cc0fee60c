#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/directory/compact_schedule.h"
#include "core/directory/schedule.h"
#include "core/i18n/i18n.h"
#include "support/test_support.h"

using namespace std::chrono;
using signpost::ByDay;
using signpost::CivilDate;
using signpost::describeSchedule;
using signpost::formatClockTime;
using signpost::I18n;
using signpost::isOpenAt;
using signpost::LocalTime;
using signpost::parseByDay;
using signpost::parseClockMinutes;
using signpost::parseFrequency;
using signpost::ScheduleFrequency;
using signpost::ScheduleRule;
using signpost::TimeZone;

namespace {

ScheduleRule weekly(const char* byday, const char* opens, const char* closes) {
    ScheduleRule rule;
    rule.frequency = ScheduleFrequency::Weekly;
    rule.byDays = parseByDay(byday);
    rule.opensAtMinutes = parseClockMinutes(opens);
    rule.closesAtMinutes = parseClockMinutes(closes);
    return rule;
}

ScheduleRule monthly(const char* byday, const char* opens, const char* closes) {
    ScheduleRule rule = weekly("", opens, closes);
    rule.frequency = ScheduleFrequency::Monthly;
    rule.byDays = parseByDay(byday);
    return rule;
}

CivilDate date(int y, unsigned m, unsigned d) {
    return year{y} / month{m} / day{d};
}

// A wall-clock moment; the weekday is derived from the date.
LocalTime at(int y, unsigned m, unsigned d, int hh, int mm) {
    LocalTime t;
    t.date = date(y, m, d);
    t.weekday = weekday{sys_days{t.date}}.iso_encoding();
    t.minutesOfDay = hh * 60 + mm;
    return t;
}

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
    return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

I18n texts() {
    return I18n::load(signpost::test::assetsDir() / "i18n", {"pl"});
}

std::vector<std::string> both(const std::vector<ScheduleRule>& rules, I18n& i18n,
                              std::optional<CivilDate> today = std::nullopt) {
    REQUIRE(i18n.setLanguage("en"));
    std::vector<std::string> lines = describeSchedule(rules, i18n, today);
    REQUIRE(i18n.setLanguage("pl"));
    for (const std::string& line : describeSchedule(rules, i18n, today)) {
        lines.push_back(line);
    }
    i18n.setLanguage("en");
    return lines;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("parsing HSDS schedule fields", "[schedule]") {
    SECTION("byday") {
        CHECK(parseByDay("").empty());
        CHECK(parseByDay("MO") == std::vector<ByDay>{{1, 0}});
        CHECK(parseByDay("MO,TU, we ,su") == std::vector<ByDay>{{1, 0}, {2, 0}, {3, 0}, {7, 0}});
        CHECK(parseByDay("1MO") == std::vector<ByDay>{{1, 1}});
        CHECK(parseByDay("+2TH,-1FR") == std::vector<ByDay>{{4, 2}, {5, -1}});
        CHECK(parseByDay("MO,MO") == std::vector<ByDay>{{1, 0}});
        for (const char* bad : {"XX", "MON", "M", "6MO", "0MO", "-6FR", "-FR", "+MO", "MO,", ",MO",
                                "MO,,TU", "1 MO", "MO;TU", "11MO"}) {
            INFO(bad);
            CHECK_THROWS_AS(parseByDay(bad), std::invalid_argument);
        }
    }
    SECTION("clock times") {
        CHECK(parseClockMinutes("09:30") == 570);
        CHECK(parseClockMinutes("09:30:00") == 570);
        CHECK(parseClockMinutes("9:30") == 570);
        CHECK(parseClockMinutes("00:00") == 0);
        CHECK(parseClockMinutes("23:59:59") == 1439);
        CHECK(parseClockMinutes("24:00") == 1440);
        CHECK(parseClockMinutes("24:00:00") == 1440);
        for (const char* bad : {"", "9am", "9", "09", "0930", "09:3", "09:30:0", "25:00", "24:01",
                                "24:00:01", "12:60", "12:00:60", "-1:00", "12:00Z", "12:00 ",
                                " 12:00", "12:00+01:00", "1a:00", "123:00"}) {
            INFO(bad);
            CHECK_THROWS_AS(parseClockMinutes(bad), std::invalid_argument);
        }
    }
    SECTION("frequency") {
        CHECK(parseFrequency("WEEKLY") == ScheduleFrequency::Weekly);
        CHECK(parseFrequency("monthly") == ScheduleFrequency::Monthly);
        CHECK(parseFrequency("DAILY") == ScheduleFrequency::Daily);
        CHECK_THROWS_AS(parseFrequency("YEARLY"), std::invalid_argument);
        CHECK_THROWS_AS(parseFrequency(""), std::invalid_argument);
    }
}

TEST_CASE("open now: weekly rules, edges inclusive at opening and exclusive at closing",
          "[schedule]") {
    const std::vector<ScheduleRule> rules{weekly("TU", "10:00", "12:00")};
    // 2026-06-02 is a Tuesday.
    CHECK_FALSE(isOpenAt(rules, at(2026, 6, 2, 9, 59)));
    CHECK(isOpenAt(rules, at(2026, 6, 2, 10, 0)));
    CHECK(isOpenAt(rules, at(2026, 6, 2, 11, 59)));
    CHECK_FALSE(isOpenAt(rules, at(2026, 6, 2, 12, 0)));
    CHECK_FALSE(isOpenAt(rules, at(2026, 6, 3, 10, 30)));  // Wednesday
    CHECK_FALSE(isOpenAt({}, at(2026, 6, 2, 10, 30)));

    SECTION("no byday means every day") {
        const std::vector<ScheduleRule> daily{weekly("", "08:00", "20:00")};
        for (unsigned d = 1; d <= 7; ++d) {
            CHECK(isOpenAt(daily, at(2026, 6, d, 8, 0)));
            CHECK_FALSE(isOpenAt(daily, at(2026, 6, d, 20, 0)));
        }
    }
    SECTION("closing at 24:00 means the end of the day") {
        const std::vector<ScheduleRule> late{weekly("SA", "20:00", "24:00")};
        CHECK(isOpenAt(late, at(2026, 6, 6, 23, 59)));
        CHECK_FALSE(isOpenAt(late, at(2026, 6, 7, 0, 0)));
        CHECK_FALSE(isOpenAt(late, at(2026, 6, 6, 19, 59)));
    }
    SECTION("00:00-24:00 and equal opening and closing times are open all day") {
        CHECK(isOpenAt({weekly("MO", "00:00", "24:00")}, at(2026, 6, 1, 0, 0)));
        CHECK(isOpenAt({weekly("MO", "00:00", "24:00")}, at(2026, 6, 1, 23, 59)));
        const std::vector<ScheduleRule> roundTheClock{weekly("", "09:00", "09:00")};
        CHECK(isOpenAt(roundTheClock, at(2026, 6, 1, 8, 59)));
        CHECK(isOpenAt(roundTheClock, at(2026, 6, 1, 9, 0)));
    }
}

TEST_CASE("open now: overnight rules belong to the day they open", "[schedule]") {
    // Friday 22:00 to 02:00. 2026-06-05 is a Friday.
    const std::vector<ScheduleRule> shelter{weekly("FR", "22:00", "02:00")};
    CHECK_FALSE(isOpenAt(shelter, at(2026, 6, 5, 21, 59)));
    CHECK(isOpenAt(shelter, at(2026, 6, 5, 22, 0)));
    CHECK(isOpenAt(shelter, at(2026, 6, 5, 23, 59)));
    CHECK(isOpenAt(shelter, at(2026, 6, 6, 0, 0)));  // Saturday, still Friday's night
    CHECK(isOpenAt(shelter, at(2026, 6, 6, 1, 0)));
    CHECK_FALSE(isOpenAt(shelter, at(2026, 6, 6, 2, 0)));
    CHECK_FALSE(isOpenAt(shelter, at(2026, 6, 6, 22, 30)));  // Saturday night is not in the rule
    CHECK_FALSE(isOpenAt(shelter, at(2026, 6, 5, 1, 0)));    // Friday early hours: Thursday's night

    SECTION("validity applies to the day the opening starts") {
        ScheduleRule endsFriday = shelter.front();
        endsFriday.validTo = date(2026, 6, 5);
        CHECK(isOpenAt({endsFriday}, at(2026, 6, 6, 1, 0)));  // started Friday: still valid
        CHECK_FALSE(isOpenAt({endsFriday}, at(2026, 6, 13, 1, 0)));
        ScheduleRule startsSaturday = shelter.front();
        startsSaturday.validFrom = date(2026, 6, 6);
        CHECK_FALSE(isOpenAt({startsSaturday}, at(2026, 6, 6, 1, 0)));  // opened Friday: too early
        CHECK(isOpenAt({startsSaturday}, at(2026, 6, 12, 23, 0)));
        CHECK(isOpenAt({startsSaturday}, at(2026, 6, 13, 1, 0)));
    }
    SECTION("every night, 20:00 to 08:00") {
        const std::vector<ScheduleRule> nightly{weekly("", "20:00", "08:00")};
        CHECK(isOpenAt(nightly, at(2026, 6, 1, 7, 59)));
        CHECK_FALSE(isOpenAt(nightly, at(2026, 6, 1, 8, 0)));
        CHECK_FALSE(isOpenAt(nightly, at(2026, 6, 1, 19, 59)));
        CHECK(isOpenAt(nightly, at(2026, 6, 1, 20, 0)));
    }
    SECTION("an overnight rule on the last day of a month and a year") {
        const std::vector<ScheduleRule> newYear{weekly("TH", "21:00", "03:00")};
        CHECK(isOpenAt(newYear, at(2026, 12, 31, 23, 0)));  // Thursday
        CHECK(isOpenAt(newYear, at(2027, 1, 1, 2, 59)));
        CHECK_FALSE(isOpenAt(newYear, at(2027, 1, 1, 3, 0)));
    }
}

TEST_CASE("open now: valid_from and valid_to are inclusive", "[schedule]") {
    ScheduleRule rule = weekly("", "09:00", "17:00");
    rule.validFrom = date(2026, 4, 1);
    rule.validTo = date(2026, 4, 30);
    CHECK_FALSE(isOpenAt({rule}, at(2026, 3, 31, 12, 0)));
    CHECK(isOpenAt({rule}, at(2026, 4, 1, 9, 0)));
    CHECK(isOpenAt({rule}, at(2026, 4, 30, 16, 59)));
    CHECK_FALSE(isOpenAt({rule}, at(2026, 5, 1, 12, 0)));
}

TEST_CASE("open now: monthly rules with ordinals", "[schedule]") {
    // June 2026: Mondays 1, 8, 15, 22, 29; Fridays 5, 12, 19, 26.
    SECTION("first Monday") {
        const std::vector<ScheduleRule> rules{monthly("1MO", "18:00", "20:00")};
        CHECK(isOpenAt(rules, at(2026, 6, 1, 18, 30)));
        CHECK_FALSE(isOpenAt(rules, at(2026, 6, 8, 18, 30)));
        CHECK(isOpenAt(rules, at(2026, 7, 6, 18, 30)));  // first Monday of July
    }
    SECTION("last Friday, and the fifth week") {
        const std::vector<ScheduleRule> last{monthly("-1FR", "19:00", "21:00")};
        CHECK(isOpenAt(last, at(2026, 6, 26, 19, 0)));
        CHECK_FALSE(isOpenAt(last, at(2026, 6, 19, 19, 0)));
        CHECK(isOpenAt(last, at(2026, 7, 31, 19, 0)));  // July has five Fridays
        CHECK_FALSE(isOpenAt(last, at(2026, 7, 24, 19, 0)));
        const std::vector<ScheduleRule> fifth{monthly("5MO", "10:00", "11:00")};
        CHECK(isOpenAt(fifth, at(2026, 6, 29, 10, 0)));
        CHECK_FALSE(isOpenAt(fifth, at(2026, 6, 22, 10, 0)));
        const std::vector<ScheduleRule> secondLast{monthly("-2MO", "10:00", "11:00")};
        CHECK(isOpenAt(secondLast, at(2026, 6, 22, 10, 0)));
        CHECK_FALSE(isOpenAt(secondLast, at(2026, 6, 29, 10, 0)));
    }
    SECTION("second and fourth Wednesday, and a monthly rule with plain days") {
        const std::vector<ScheduleRule> rules{monthly("2WE,4WE", "13:00", "15:00")};
        CHECK(isOpenAt(rules, at(2026, 6, 10, 14, 0)));
        CHECK(isOpenAt(rules, at(2026, 6, 24, 14, 0)));
        CHECK_FALSE(isOpenAt(rules, at(2026, 6, 17, 14, 0)));
        CHECK(isOpenAt({monthly("WE", "13:00", "15:00")}, at(2026, 6, 17, 14, 0)));
    }
    SECTION("overnight on the last Saturday carries into the next month") {
        const std::vector<ScheduleRule> rules{monthly("-1SA", "22:00", "04:00")};
        CHECK(isOpenAt(rules, at(2026, 5, 30, 23, 0)));
        CHECK(isOpenAt(rules, at(2026, 5, 31, 3, 0)));
        CHECK_FALSE(isOpenAt(rules, at(2026, 6, 7, 3, 0)));
    }
    SECTION("a weekly rule ignores ordinals it should never have had") {
        ScheduleRule odd = weekly("MO", "10:00", "11:00");
        odd.byDays = {{1, 2}};
        CHECK(isOpenAt({odd}, at(2026, 6, 1, 10, 0)));
    }
}

TEST_CASE("open now through the real clock on DST change days", "[schedule]") {
    const TimeZone london = TimeZone::load("Europe/London");
    auto openAtUtc = [&](const std::vector<ScheduleRule>& rules, sys_seconds t) {
        return isOpenAt(rules, london.toLocal(t));
    };
    const std::vector<ScheduleRule> rules{weekly("", "00:30", "02:30")};
    SECTION("29 March 2026: 01:00 GMT jumps to 02:00 BST, the hour from 01:00 does not exist") {
        CHECK_FALSE(openAtUtc(rules, utc(2026, 3, 29, 0, 29, 59)));
        CHECK(openAtUtc(rules, utc(2026, 3, 29, 0, 30)));
        CHECK(openAtUtc(rules, utc(2026, 3, 29, 0, 59, 59)));
        CHECK(openAtUtc(rules, utc(2026, 3, 29, 1, 0)));         // 02:00 BST
        CHECK(openAtUtc(rules, utc(2026, 3, 29, 1, 29, 59)));    // 02:29:59 BST
        CHECK_FALSE(openAtUtc(rules, utc(2026, 3, 29, 1, 30)));  // 02:30 BST
        const std::vector<ScheduleRule> missingHour{weekly("", "01:15", "01:45")};
        for (sys_seconds t = utc(2026, 3, 29, 0, 0); t < utc(2026, 3, 29, 3, 0); t += minutes{1}) {
            INFO(t.time_since_epoch().count());
            CHECK_FALSE(openAtUtc(missingHour, t));
        }
    }
    SECTION("25 October 2026: 02:00 BST falls back to 01:00 GMT, the hour from 01:00 repeats") {
        CHECK_FALSE(openAtUtc(rules, utc(2026, 10, 24, 23, 29)));  // 00:29 BST
        CHECK(openAtUtc(rules, utc(2026, 10, 24, 23, 30)));        // 00:30 BST
        CHECK(openAtUtc(rules, utc(2026, 10, 25, 0, 59, 59)));     // 01:59:59 BST
        CHECK(openAtUtc(rules, utc(2026, 10, 25, 1, 0)));          // 01:00 GMT, again
        CHECK(openAtUtc(rules, utc(2026, 10, 25, 2, 29, 59)));     // 02:29:59 GMT
        CHECK_FALSE(openAtUtc(rules, utc(2026, 10, 25, 2, 30)));
        // A rule inside the repeated hour is open twice, an hour apart.
        const std::vector<ScheduleRule> repeated{weekly("SU", "01:15", "01:45")};
        int openMinutes = 0;
        for (sys_seconds t = utc(2026, 10, 24, 23, 0); t < utc(2026, 10, 25, 4, 0);
             t += minutes{1}) {
            openMinutes += openAtUtc(repeated, t) ? 1 : 0;
        }
        CHECK(openMinutes == 60);
        CHECK(openAtUtc(repeated, utc(2026, 10, 25, 0, 20)));
        CHECK(openAtUtc(repeated, utc(2026, 10, 25, 1, 20)));
        CHECK_FALSE(openAtUtc(repeated, utc(2026, 10, 25, 0, 50)));
    }
    SECTION("an overnight Saturday rule across the spring change closes by the wall clock") {
        const std::vector<ScheduleRule> shelter{weekly("SA", "22:00", "08:00")};
        CHECK(openAtUtc(shelter, utc(2026, 3, 28, 22, 0)));       // 22:00 GMT Saturday
        CHECK(openAtUtc(shelter, utc(2026, 3, 29, 6, 59)));       // 07:59 BST Sunday
        CHECK_FALSE(openAtUtc(shelter, utc(2026, 3, 29, 7, 0)));  // 08:00 BST
    }
}

TEST_CASE("clock times in words", "[schedule]") {
    I18n i18n = texts();
    CHECK(formatClockTime(0, i18n) == "midnight");
    CHECK(formatClockTime(1440, i18n) == "midnight");
    CHECK(formatClockTime(600, i18n) == "10am");
    CHECK(formatClockTime(570, i18n) == "9:30am");
    CHECK(formatClockTime(720, i18n) == "12pm");
    CHECK(formatClockTime(750, i18n) == "12:30pm");
    CHECK(formatClockTime(1305, i18n) == "9:45pm");
    CHECK(formatClockTime(65, i18n) == "1:05am");
    REQUIRE(i18n.setLanguage("pl"));
    CHECK(formatClockTime(0, i18n) == "0:00");
    CHECK(formatClockTime(570, i18n) == "9:30");
    CHECK(formatClockTime(1305, i18n) == "21:45");
    CHECK(formatClockTime(1440, i18n) == "24:00");
}

TEST_CASE("schedules in plain words, English and Polish", "[schedule]") {
    I18n i18n = texts();
    CHECK(both({}, i18n).empty());
    CHECK(both({weekly("TU", "10:00", "12:00")}, i18n) ==
          Lines{"Tuesdays 10am–12pm", "Wtorki 10:00–12:00"});
    CHECK(both({weekly("MO,TU,WE,TH,FR", "09:00", "17:00")}, i18n) ==
          Lines{"Mondays to Fridays 9am–5pm", "Od poniedziałku do piątku 9:00–17:00"});
    CHECK(both({weekly("", "08:00", "20:00")}, i18n) ==
          Lines{"Every day 8am–8pm", "Codziennie 8:00–20:00"});
    CHECK(both({weekly("MO,TU,WE,TH,FR,SA,SU", "08:00", "20:00")}, i18n) ==
          Lines{"Every day 8am–8pm", "Codziennie 8:00–20:00"});
    CHECK(
        both({monthly("1MO", "18:00", "20:00")}, i18n) ==
        Lines{"First Monday of the month, 6pm–8pm", "Pierwszy poniedziałek miesiąca, 18:00–20:00"});
    CHECK(both({monthly("-1FR", "19:00", "21:30")}, i18n) ==
          Lines{"Last Friday of the month, 7pm–9:30pm", "Ostatni piątek miesiąca, 19:00–21:30"});
    CHECK(both({monthly("3WE,1WE", "10:00", "12:00")}, i18n) ==
          Lines{"First and third Wednesday of the month, 10am–12pm",
                "Pierwsza i trzecia środa miesiąca, 10:00–12:00"});
    CHECK(both({monthly("-1SU,2SU", "14:00", "16:00")}, i18n) ==
          Lines{"Second and last Sunday of the month, 2pm–4pm",
                "Druga i ostatnia niedziela miesiąca, 14:00–16:00"});
    CHECK(both({weekly("FR", "22:00", "02:00")}, i18n) ==
          Lines{"Fridays 10pm–2am", "Piątki 22:00–2:00"});
    CHECK(both({weekly("MO,WE,FR", "10:00", "12:00")}, i18n) ==
          Lines{"Mondays, Wednesdays and Fridays 10am–12pm",
                "Poniedziałki, środy i piątki 10:00–12:00"});
    CHECK(both({weekly("SA,SU", "10:00", "13:00")}, i18n) ==
          Lines{"Saturdays and Sundays 10am–1pm", "Soboty i niedziele 10:00–13:00"});
    CHECK(both({weekly("MO,TU,WE,FR", "09:00", "17:00")}, i18n) ==
          Lines{"Mondays to Wednesdays and Fridays 9am–5pm",
                "Poniedziałki–środy i piątki 9:00–17:00"});
    CHECK(both({weekly("WE,TH,FR,SA,SU", "09:00", "17:00")}, i18n) ==
          Lines{"Wednesdays to Sundays 9am–5pm", "Od środy do niedzieli 9:00–17:00"});
    CHECK(both({weekly("WE", "09:00", "12:00")}, i18n) ==
          Lines{"Wednesdays 9am–12pm", "Środy 9:00–12:00"});
    CHECK(both({weekly("SA", "20:00", "24:00")}, i18n) ==
          Lines{"Saturdays 8pm–midnight", "Soboty 20:00–24:00"});
    CHECK(both({weekly("", "00:00", "24:00")}, i18n) ==
          Lines{"Every day, open 24 hours", "Codziennie, całą dobę"});
}

TEST_CASE("schedule lines group, merge and order", "[schedule]") {
    I18n i18n = texts();
    SECTION("lines come in Monday-first order whatever the data's order") {
        CHECK(both({weekly("SA", "10:00", "13:00"), weekly("MO,TU,WE,TH,FR", "09:00", "17:00"),
                    monthly("1TU", "18:00", "20:00")},
                   i18n) == Lines{"Mondays to Fridays 9am–5pm", "Saturdays 10am–1pm",
                                  "First Tuesday of the month, 6pm–8pm",
                                  "Od poniedziałku do piątku 9:00–17:00", "Soboty 10:00–13:00",
                                  "Pierwszy wtorek miesiąca, 18:00–20:00"});
    }
    SECTION("separate rules with the same hours merge their days") {
        CHECK(both({weekly("MO", "09:00", "17:00"), weekly("TU,WE", "09:00", "17:00"),
                    weekly("TH", "09:00", "17:00"), weekly("FR", "09:00", "17:00")},
                   i18n) ==
              Lines{"Mondays to Fridays 9am–5pm", "Od poniedziałku do piątku 9:00–17:00"});
    }
    SECTION("the same days with two sessions list both") {
        CHECK(both({weekly("MO,TU,WE,TH,FR", "13:30", "17:00"),
                    weekly("MO,TU,WE,TH,FR", "09:00", "12:30")},
                   i18n) == Lines{"Mondays to Fridays 9am–12:30pm and 1:30pm–5pm",
                                  "Od poniedziałku do piątku 9:00–12:30 i 13:30–17:00"});
    }
    SECTION("different days with different hours stay apart") {
        CHECK(both({weekly("MO,WE", "10:00", "12:00"), weekly("TU", "14:00", "16:00")}, i18n) ==
              Lines{"Mondays and Wednesdays 10am–12pm", "Tuesdays 2pm–4pm",
                    "Poniedziałki i środy 10:00–12:00", "Wtorki 14:00–16:00"});
    }
    SECTION("a description from the data is added in brackets") {
        ScheduleRule rule = weekly("TU", "10:00", "12:00");
        rule.description = "term time only";
        CHECK(both({rule}, i18n) ==
              Lines{"Tuesdays 10am–12pm (term time only)", "Wtorki 10:00–12:00 (term time only)"});
        rule.description = "bring {line} and {note}";
        REQUIRE(i18n.setLanguage("en"));
        CHECK(describeSchedule({rule}, i18n) ==
              Lines{"Tuesdays 10am–12pm (bring {line} and {note})"});
    }
}

TEST_CASE("schedule validity dates in plain words", "[schedule]") {
    I18n i18n = texts();
    ScheduleRule until = weekly("TU", "10:00", "12:00");
    until.validTo = date(2026, 3, 31);
    ScheduleRule from = weekly("TH", "18:00", "20:00");
    from.validFrom = date(2027, 1, 5);
    ScheduleRule between = weekly("WE", "10:00", "11:00");
    between.validFrom = date(2026, 9, 7);
    between.validTo = date(2026, 12, 14);

    SECTION("without a date every rule shows, with years") {
        CHECK(both({until, from}, i18n) == Lines{"Tuesdays 10am–12pm, until 31 March 2026",
                                                 "Thursdays 6pm–8pm, from 5 January 2027",
                                                 "Wtorki 10:00–12:00, do 31 marca 2026",
                                                 "Czwartki 18:00–20:00, od 5 stycznia 2027"});
    }
    SECTION("as seen on a day: finished rules vanish, this year's dates drop the year") {
        CHECK(both({until, from, between}, i18n, date(2026, 6, 1)) ==
              Lines{"Wednesdays 10am–11am, from 7 September to 14 December",
                    "Thursdays 6pm–8pm, from 5 January 2027",
                    "Środy 10:00–11:00, od 7 września do 14 grudnia",
                    "Czwartki 18:00–20:00, od 5 stycznia 2027"});
        // Once a start date has passed it is not worth mentioning.
        CHECK(both({between}, i18n, date(2026, 10, 1)) ==
              Lines{"Wednesdays 10am–11am, until 14 December", "Środy 10:00–11:00, do 14 grudnia"});
        // The last day is still included.
        CHECK(both({until}, i18n, date(2026, 3, 31)) ==
              Lines{"Tuesdays 10am–12pm, until 31 March", "Wtorki 10:00–12:00, do 31 marca"});
        CHECK(both({until}, i18n, date(2026, 4, 1)).empty());
    }
}

TEST_CASE("the search cache's packed rules answer exactly as isOpenAt", "[schedule]") {
    // A fixed-seed walk over random rules and moments, including overnight, monthly ordinals
    // (more than four, which split into several packed rules), validity and every-day rules.
    std::uint64_t state = 12345;
    auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    int compared = 0;
    int open = 0;
    for (int trial = 0; trial < 400; ++trial) {
        std::vector<ScheduleRule> rules;
        const std::uint64_t count = 1 + next(3);
        for (std::uint64_t r = 0; r < count; ++r) {
            ScheduleRule rule;
            rule.frequency = next(2) == 0 ? ScheduleFrequency::Weekly : ScheduleFrequency::Monthly;
            const std::uint64_t dayCount = next(7);
            for (std::uint64_t d = 0; d < dayCount; ++d) {
                int ordinal = 0;
                if (rule.frequency == ScheduleFrequency::Monthly && next(3) != 0) {
                    ordinal = static_cast<int>(next(10)) - 5;
                    ordinal = ordinal >= 0 ? ordinal + 1 : ordinal;  // -5..-1, 1..5
                }
                rule.byDays.push_back({static_cast<unsigned>(1 + next(7)), ordinal});
            }
            rule.opensAtMinutes = static_cast<int>(next(96)) * 15;
            rule.closesAtMinutes = static_cast<int>(next(97)) * 15;  // may be <= opens: overnight
            if (next(4) == 0) {
                rule.validFrom = sys_days{year{2026} / 3 / 1} + days{static_cast<int>(next(120))};
            }
            if (next(4) == 0) {
                rule.validTo = sys_days{year{2026} / 4 / 1} + days{static_cast<int>(next(150))};
            }
            rules.push_back(rule);
        }
        std::vector<signpost::CompactRule> packed;
        for (const ScheduleRule& rule : rules) {
            signpost::appendCompactRules(rule, packed);
        }
        for (int sample = 0; sample < 60; ++sample) {
            LocalTime t = at(2026, 1, 1, 0, 0);
            const CivilDate date{sys_days{year{2026} / 1 / 1} + days{static_cast<int>(next(400))}};
            t.date = date;
            t.weekday = weekday{sys_days{date}}.iso_encoding();
            t.minutesOfDay = static_cast<int>(next(1440));
            const bool expected = isOpenAt(rules, t);
            const signpost::OpenCheck check(t);
            INFO("trial " << trial << " sample " << sample);
            REQUIRE(check.isOpen(packed.data(), packed.data() + packed.size()) == expected);
            ++compared;
            open += expected ? 1 : 0;
        }
    }
    CHECK(compared == 24000);
    CHECK(open > 1000);  // the walk really visits open moments, not just closed ones
}

TEST_CASE("packed rules with intervals, week starts and month days answer exactly as isOpenAt",
          "[schedule]") {
    // As above, over the RFC 5545 parts issue 11 added: DAILY, interval counted from an anchor
    // (weeks starting on any weekday), bymonthday (negative too), with and without byday.
    std::uint64_t state = 777;
    auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % n;
    };
    int open = 0;
    for (int trial = 0; trial < 300; ++trial) {
        ScheduleRule rule;
        rule.frequency = static_cast<ScheduleFrequency>(next(3));
        rule.interval = 1 + static_cast<int>(next(4));
        rule.anchor = CivilDate{sys_days{year{2025} / 11 / 1} + days{static_cast<int>(next(200))}};
        rule.weekStart = 1 + static_cast<unsigned>(next(7));
        for (std::uint64_t d = next(3); d > 0; --d) {
            int ordinal = 0;
            if (rule.frequency == ScheduleFrequency::Monthly && next(2) == 0) {
                ordinal =
                    next(2) == 0 ? 1 + static_cast<int>(next(5)) : -1 - static_cast<int>(next(5));
            }
            rule.byDays.push_back({static_cast<unsigned>(1 + next(7)), ordinal});
        }
        if (rule.frequency != ScheduleFrequency::Weekly) {
            for (std::uint64_t d = next(3); d > 0; --d) {
                const int day = 1 + static_cast<int>(next(31));
                rule.byMonthDays.push_back(next(3) == 0 ? -day : day);
            }
        }
        rule.opensAtMinutes = static_cast<int>(next(96)) * 15;
        rule.closesAtMinutes = static_cast<int>(next(97)) * 15;
        rule.validFrom = rule.anchor;
        std::vector<signpost::CompactRule> packed;
        signpost::appendCompactRules(rule, packed);
        for (int sample = 0; sample < 80; ++sample) {
            LocalTime t = at(2026, 1, 1, 0, 0);
            t.date = CivilDate{sys_days{year{2025} / 12 / 1} + days{static_cast<int>(next(500))}};
            t.weekday = weekday{sys_days{t.date}}.iso_encoding();
            t.minutesOfDay = static_cast<int>(next(1440));
            const bool expected = isOpenAt({rule}, t);
            INFO("trial " << trial << " sample " << sample);
            REQUIRE(signpost::OpenCheck(t).isOpen(packed.data(), packed.data() + packed.size()) ==
                    expected);
            open += expected ? 1 : 0;
        }
    }
    CHECK(open > 300);
}

TEST_CASE("RFC 5545 parts: opensOn, nthOpening and the words for them", "[schedule]") {
    ScheduleRule fortnightly = weekly("TU", "10:00", "12:00");
    fortnightly.interval = 2;
    fortnightly.anchor = CivilDate{year{2026} / 11 / 3};
    fortnightly.validFrom = fortnightly.anchor;
    CHECK(signpost::opensOn(fortnightly, CivilDate{year{2026} / 11 / 3}));
    CHECK_FALSE(signpost::opensOn(fortnightly, CivilDate{year{2026} / 11 / 10}));
    CHECK(signpost::opensOn(fortnightly, CivilDate{year{2026} / 11 / 17}));
    CHECK_FALSE(
        signpost::opensOn(fortnightly, CivilDate{year{2026} / 10 / 20}));  // before the anchor
    // wkst moves where a fortnight starts: a Sunday-start week puts Sunday 8th with Tuesday 10th.
    ScheduleRule sundays = weekly("SU,TU", "10:00", "12:00");
    sundays.interval = 2;
    sundays.anchor = CivilDate{year{2026} / 11 / 1};
    sundays.weekStart = 7;
    CHECK(signpost::opensOn(sundays, CivilDate{year{2026} / 11 / 3}));
    CHECK_FALSE(signpost::opensOn(sundays, CivilDate{year{2026} / 11 / 8}));
    sundays.weekStart = 1;  // Monday weeks: Sunday 1st is the end of the anchor's week
    CHECK(signpost::opensOn(sundays, CivilDate{year{2026} / 11 / 1}));
    CHECK_FALSE(signpost::opensOn(sundays, CivilDate{year{2026} / 11 / 3}));

    ScheduleRule lastDay = monthly("", "10:00", "12:00");
    lastDay.byMonthDays = {-1};
    CHECK(signpost::opensOn(lastDay, CivilDate{year{2026} / 2 / 28}));
    CHECK_FALSE(signpost::opensOn(lastDay, CivilDate{year{2026} / 2 / 27}));
    ScheduleRule fifth = lastDay;
    fifth.byMonthDays = {31};
    fifth.anchor = CivilDate{year{2026} / 1 / 1};
    // The 5th opening of "the 31st" skips the months without one: Jan, Mar, May, Jul, Aug.
    CHECK(signpost::nthOpening(fifth, 5) == CivilDate{year{2026} / 8 / 31});
    CHECK_FALSE(signpost::nthOpening(lastDay, 3).has_value());  // no anchor, no validFrom

    I18n i18n = texts();
    const CivilDate today{year{2026} / 11 / 4};
    CHECK(both({fortnightly}, i18n, today) ==
          Lines{"Tuesdays 10am–12pm, every other week (next: 17 November)",
                "Wtorki 10:00–12:00, co drugi tydzień (najbliżej: 17 listopada)"});
    ScheduleRule clinic = monthly("", "12:00", "13:00");
    clinic.byMonthDays = {1, 15, -1};
    CHECK(both({clinic}, i18n) == Lines{"The 1st, 15th and last day of the month, 12pm–1pm",
                                        "1., 15. i ostatni dzień dnia miesiąca, 12:00–13:00"});
}

TEST_CASE("every schedule text key the code can ask for exists in English and Polish",
          "[schedule]") {
    // Keys are built from numbers ("day.3.plural"), so no scan of the source finds them: list them.
    std::vector<std::string> keys = {"time.clock",
                                     "time.am",
                                     "time.pm",
                                     "time.midnight",
                                     "schedule.every_day",
                                     "schedule.days_range",
                                     "schedule.days_range_in_list",
                                     "schedule.list_separator",
                                     "schedule.list_and",
                                     "schedule.hours",
                                     "schedule.weekly_line",
                                     "schedule.all_day_line",
                                     "schedule.monthly_days",
                                     "schedule.monthly_line",
                                     "schedule.with_dates",
                                     "schedule.with_note",
                                     "schedule.from_date",
                                     "schedule.until_date",
                                     "schedule.between_dates",
                                     "schedule.date",
                                     "schedule.date_year",
                                     "schedule.monthday.one",
                                     "schedule.monthday.two",
                                     "schedule.monthday.few",
                                     "schedule.monthday.other",
                                     "schedule.monthday.last",
                                     "schedule.monthday.from_end",
                                     "schedule.monthday_days",
                                     "schedule.monthday_if_days",
                                     "schedule.every_other.weeks",
                                     "schedule.every_other.months",
                                     "schedule.every_other.days",
                                     "schedule.every_n.weeks",
                                     "schedule.every_n.months",
                                     "schedule.every_n.days",
                                     "schedule.next_date"};
    for (int day = 1; day <= 7; ++day) {
        for (const char* form : {"one", "plural", "range"}) {
            keys.push_back("day." + std::to_string(day) + "." + form);
        }
    }
    for (int month = 1; month <= 12; ++month) {
        keys.push_back("schedule.month." + std::to_string(month));
    }
    I18n i18n = texts();
    for (const std::string& key : keys) {
        INFO(key);
        CHECK(i18n.has("en", key));
        if (key != "time.am" && key != "time.pm" &&
            key != "time.midnight") {  // unused on a 24h clock
            CHECK(i18n.has("pl", key));
        }
    }
    for (int ordinal : {1, 2, 3, 4, 5, -1, -2, -3, -4, -5}) {
        const std::string key = "schedule.ordinal." + std::to_string(ordinal);
        INFO(key);
        CHECK(i18n.has("en", key));
        REQUIRE(i18n.setLanguage("pl"));
        for (int day = 1; day <= 7; ++day) {
            // Polish gives each day a gender and each ordinal a form per gender.
            const std::string genderKey = "day." + std::to_string(day) + ".gender";
            REQUIRE(i18n.has("pl", genderKey));
            CHECK(i18n.has("pl", key + "." + i18n.tr(genderKey)));
        }
        REQUIRE(i18n.setLanguage("en"));
    }
    SECTION("no line ever shows a raw key, in either language") {
        std::vector<ScheduleRule> rules;
        for (const char* byday : {"MO", "MO,TU", "MO,TU,WE", "SA,SU", "", "MO,WE,FR,SU"}) {
            rules.push_back(weekly(byday, "09:00", "17:00"));
        }
        for (const char* byday :
             {"1MO,-1MO", "2TU,-2TU", "3WE,-3WE", "4TH,-4TH", "5FR,-5FR", "1SA", "-1SU"}) {
            rules.push_back(monthly(byday, "18:00", "20:00"));
        }
        rules.push_back(weekly("TH", "00:00", "24:00"));
        for (unsigned month = 1; month <= 12; ++month) {
            ScheduleRule dated = weekly("FR", "10:00", "11:00");
            dated.validFrom = date(2026, month, 1);
            dated.validTo = date(2027, month, 28);
            rules.push_back(dated);
        }
        for (const char* language : {"en", "pl"}) {
            REQUIRE(i18n.setLanguage(language));
            const auto lines = describeSchedule(rules, i18n);
            CHECK(lines.size() > 10);
            for (const std::string& line : lines) {
                INFO(language << ": " << line);
                CHECK(line.find("schedule.") == std::string::npos);
                CHECK(line.find("day.") == std::string::npos);
                CHECK(line.find("time.") == std::string::npos);
                CHECK(line.find('{') == std::string::npos);
            }
        }
    }
}
