// Venue operations in the config: opening hours ([hours], core/operations/opening_hours.h) and
// remote settings (kiosk_config.h "Remote settings", core/operations/remote_settings.h): the text
// forms, the spec rows, the layering over kiosk.toml and its precedence.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/common/atomic_file.h"
#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/operations/opening_hours.h"
#include "core/operations/remote_settings.h"
#include "core/referral/sealing.h"
#include "core/runtime/kiosk_runtime.h"
#include "support/test_support.h"

using namespace signpost;
using namespace std::chrono;

namespace {

const TimeZone& london() {
    static const TimeZone zone = TimeZone::load("Europe/London");
    return zone;
}

// A UTC instant from a civil date and time.
sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
    return sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm) + seconds(ss);
}

std::string keyLine() {
    static const std::string key = CoordinatorKeyPair::generate().publicKey().toBase64();
    return "coordinator_public_key = \"" + key + "\"\n";
}

std::string minimalConfig(const std::string& extra = "") {
    return "[referral]\n" + keyLine() + extra;
}

// A library open Mon–Fri 09:00–17:00 with lunch on Wednesday, Saturday mornings, closed Sunday;
// closed on Christmas Day 2026.
OpeningHours library() {
    std::array<DayHours, 7> week;
    for (int i = 0; i < 5; ++i) {
        week[static_cast<std::size_t>(i)] = *parseDayHours("09:00-17:00");
    }
    week[2] = *parseDayHours("09:00-12:30, 13:30-17:00");
    week[5] = *parseDayHours("10:00-13:00");
    week[6] = *parseDayHours("closed");
    return OpeningHours(week, {*parseHoursException("2026-12-25 closed"),
                               *parseHoursException("2026-12-24 09:00-13:00")});
}

}  // namespace

TEST_CASE("a day's hours: ranges, sessions, closed, and what is refused", "[operations_config]") {
    CHECK(parseDayHours("closed")->closed());
    CHECK(parseDayHours("09:00-17:00")->sessions == std::vector<OpeningSession>{{540, 1020}});
    CHECK(parseDayHours(" 09:00 - 12:30 ,13:30-17:00 ")->sessions ==
          std::vector<OpeningSession>{{540, 750}, {810, 1020}});
    CHECK(parseDayHours("00:00-24:00")->sessions == std::vector<OpeningSession>{{0, 1440}});
    CHECK(formatDayHours(*parseDayHours("09:00-17:00,18:00-20:00")) == "09:00-17:00, 18:00-20:00");
    CHECK(formatDayHours(DayHours{}) == "closed");

    for (const char* bad :
         {"", "open", "9-5", "9:00-17:00", "09:00-17:60", "09:00-25:00", "24:00-24:00",
          "17:00-09:00", "09:00-09:00", "09:00-13:00, 12:00-17:00", "09:00-17:00,",
          "01:00-02:00, 03:00-04:00, 05:00-06:00, 07:00-08:00, 09:00-10:00", "Closed"}) {
        std::string problem;
        INFO(bad);
        CHECK_FALSE(parseDayHours(bad, &problem));
        CHECK_FALSE(problem.empty());
    }
}

TEST_CASE("dated exceptions", "[operations_config]") {
    const auto christmas = parseHoursException("2026-12-25 closed");
    REQUIRE(christmas);
    CHECK(christmas->date == year(2026) / December / day(25));
    CHECK(christmas->hours.closed());
    CHECK(parseHoursException("2026-12-24 09:00-13:00")->hours.sessions ==
          std::vector<OpeningSession>{{540, 780}});
    for (const char* bad :
         {"2026-02-30 closed", "2026-12-25", "25/12/2026 closed", "2026-12-25 shut", ""}) {
        std::string problem;
        INFO(bad);
        CHECK_FALSE(parseHoursException(bad, &problem));
        CHECK_FALSE(problem.empty());
    }
}

TEST_CASE("open or closed on the venue's clock, across sessions, exceptions and summer time",
          "[operations_config]") {
    const OpeningHours hours = library();
    CHECK_FALSE(hours.alwaysOpen());
    CHECK(OpeningHours().alwaysOpen());
    // Monday 23 November 2026 (GMT): 09:00 local is 09:00 UTC.
    CHECK_FALSE(hours.isOpenAt(utc(2026, 11, 23, 8, 59, 59), london()));
    CHECK(hours.isOpenAt(utc(2026, 11, 23, 9, 0), london()));
    CHECK(hours.isOpenAt(utc(2026, 11, 23, 16, 59, 59), london()));
    CHECK_FALSE(hours.isOpenAt(utc(2026, 11, 23, 17, 0), london()));
    // Wednesday lunch.
    CHECK(hours.isOpenAt(utc(2026, 11, 25, 12, 29), london()));
    CHECK_FALSE(hours.isOpenAt(utc(2026, 11, 25, 13, 0), london()));
    CHECK(hours.isOpenAt(utc(2026, 11, 25, 13, 30), london()));
    // Sunday closed; Christmas Day (a Friday) closed; Christmas Eve (Thursday) short.
    CHECK_FALSE(hours.isOpenAt(utc(2026, 11, 29, 12, 0), london()));
    CHECK_FALSE(hours.isOpenAt(utc(2026, 12, 25, 12, 0), london()));
    CHECK(hours.isOpenAt(utc(2026, 12, 24, 12, 59), london()));
    CHECK_FALSE(hours.isOpenAt(utc(2026, 12, 24, 13, 0), london()));
    // Summer time: Monday 6 July 2026, 09:00 BST is 08:00 UTC.
    CHECK(hours.isOpenAt(utc(2026, 7, 6, 8, 0), london()));
    CHECK_FALSE(hours.isOpenAt(utc(2026, 7, 6, 7, 59), london()));
    CHECK_FALSE(OpeningHours().nextChange(utc(2026, 7, 6, 7, 59), london()));
}

TEST_CASE("the next change and the next opening", "[operations_config]") {
    const OpeningHours hours = library();
    // Monday 17:30: next opening Tuesday 09:00, one day ahead.
    auto next = hours.nextOpening(utc(2026, 11, 23, 17, 30), london());
    REQUIRE(next);
    CHECK(next->at == utc(2026, 11, 24, 9, 0));
    CHECK(next->daysAhead == 1);
    CHECK(next->local.weekday == 2);
    CHECK(next->local.minutesOfDay == 540);
    // Early Monday: later today.
    next = hours.nextOpening(utc(2026, 11, 23, 6, 15, 30), london());
    REQUIRE(next);
    CHECK(next->at == utc(2026, 11, 23, 9, 0));
    CHECK(next->daysAhead == 0);
    // Saturday 13:00: closed Sunday, so Monday, two days ahead.
    next = hours.nextOpening(utc(2026, 11, 28, 13, 0), london());
    REQUIRE(next);
    CHECK(next->at == utc(2026, 11, 30, 9, 0));
    CHECK(next->daysAhead == 2);
    // Christmas Eve after 13:00: Christmas Day is closed, Boxing Day a Saturday 10:00.
    next = hours.nextOpening(utc(2026, 12, 24, 14, 0), london());
    REQUIRE(next);
    CHECK(next->at == utc(2026, 12, 26, 10, 0));
    // Open now: no "next opening"; the next change is the closing, Wednesday lunch included.
    CHECK_FALSE(hours.nextOpening(utc(2026, 11, 25, 10, 0), london()));
    CHECK(hours.nextChange(utc(2026, 11, 25, 10, 0), london()) == utc(2026, 11, 25, 12, 30));
    CHECK(hours.nextChange(utc(2026, 11, 25, 12, 45), london()) == utc(2026, 11, 25, 13, 30));
    // The clocks go back on Sunday 25 October 2026; Monday 09:00 GMT is 09:00 UTC.
    CHECK(hours.nextChange(utc(2026, 10, 24, 13, 0), london()) == utc(2026, 10, 26, 9, 0));
    // Closed every day: never opens.
    std::array<DayHours, 7> shut;
    CHECK_FALSE(OpeningHours(shut, {}).nextOpening(utc(2026, 11, 23, 12, 0), london()));
}

TEST_CASE("[hours] in kiosk.toml: defaults, valid values, and errors naming the line",
          "[operations_config]") {
    const KioskConfig defaults = parseKioskConfig(minimalConfig(), "kiosk.toml");
    CHECK(defaults.hoursMonday == "00:00-24:00");
    CHECK(defaults.hoursExceptions.empty());
    CHECK(defaults.sleepWhenClosed);
    CHECK(defaults.closedWakeSeconds == 60);
    CHECK(openingHoursOf(defaults).alwaysOpen());

    const KioskConfig config = parseKioskConfig(
        minimalConfig("[hours]\nmonday = \"09:00-17:00\"\nsunday = \"closed\"\n"
                      "exceptions = [\"2026-12-25 closed\", \"2026-12-24 09:00-13:00\"]\n"
                      "sleep_when_closed = false\nclosed_wake = 120\n"),
        "kiosk.toml");
    CHECK(config.hoursMonday == "09:00-17:00");
    CHECK(config.hoursSunday == "closed");
    CHECK(config.hoursExceptions.size() == 2);
    CHECK_FALSE(config.sleepWhenClosed);
    CHECK(config.closedWakeSeconds == 120);
    const OpeningHours hours = openingHoursOf(config);
    CHECK_FALSE(hours.alwaysOpen());
    CHECK_FALSE(hours.isOpenAt(utc(2026, 12, 25, 12, 0), london()));

    const auto errorFor = [](const std::string& hoursTable) {
        try {
            (void)parseKioskConfig(minimalConfig("[hours]\n" + hoursTable), "kiosk.toml");
        } catch (const ConfigError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(errorFor("monday = \"9 to 5\"\n"),
               Catch::StartsWith("kiosk.toml:4: hours.monday: expected opening hours in quotes"));
    CHECK_THAT(errorFor("tuesday = 9\n"), Catch::Contains("hours.tuesday"));
    CHECK_THAT(errorFor("exceptions = [\"2026-12-25 closed\", \"2026-12-25 10:00-12:00\"]\n"),
               Catch::Contains("listed twice"));
    CHECK_THAT(errorFor("exceptions = [\"Christmas closed\"]\n"),
               Catch::Contains("hours.exceptions"));
    CHECK_THAT(errorFor("closed_wake = 5\n"), Catch::Contains("from 15 to 600"));
}

TEST_CASE("remote keys: which ones, their short names, and typed values checked by the spec",
          "[operations_config]") {
    const auto keys = remoteSettingKeys();
    for (const char* key : {"venue.name", "venue.neighbourhood", "kiosk.idle_timeout",
                            "kiosk.languages", "hours.monday", "hours.exceptions"}) {
        CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
    }
    // Issue 9: the staff PIN (its hash) may come from the coordinators; the key never does.
    CHECK(std::find(keys.begin(), keys.end(), "staff.pin_hash") != keys.end());
    for (const char* local :
         {"referral.coordinator_public_key", "paths.data_dir", "kiosk.allow_exit"}) {
        CHECK(std::find(keys.begin(), keys.end(), local) == keys.end());
        CHECK_FALSE(remoteSettingName(local));
    }
    CHECK(remoteSettingName("venue") == "venue.name");
    CHECK(remoteSettingName("idle_timeout") == "kiosk.idle_timeout");
    CHECK(remoteSettingName("monday") == "hours.monday");
    CHECK(remoteSettingName("kiosk.languages") == "kiosk.languages");
    CHECK(remoteSettingName("staff.pin_hash") == "staff.pin_hash");
    CHECK_FALSE(remoteSettingName("coordinator_public_key"));

    CHECK(parseRemoteSettingText("kiosk.idle_timeout", "120") == TomlValue(std::int64_t{120}));
    CHECK(parseRemoteSettingText("venue.name", "  Central Library ") ==
          TomlValue(std::string("Central Library")));
    CHECK(parseRemoteSettingText("kiosk.languages", "pl, ur") ==
          TomlValue(TomlArray{"en", "pl", "ur"}));
    CHECK(parseRemoteSettingText("kiosk.languages", "[\"en\", \"ar\"]") ==
          TomlValue(TomlArray{"en", "ar"}));
    CHECK(parseRemoteSettingText("hours.exceptions",
                                 "2026-12-25 closed; 2026-12-24 09:00-12:00, 13:00-15:00") ==
          TomlValue(TomlArray{"2026-12-25 closed", "2026-12-24 09:00-12:00, 13:00-15:00"}));
    CHECK(parseRemoteSettingText("hours.sleep_when_closed", "false") == TomlValue(false));
    for (const auto& [key, bad] :
         std::vector<std::pair<std::string, std::string>>{{"kiosk.idle_timeout", "ninety"},
                                                          {"kiosk.idle_timeout", "5"},
                                                          {"kiosk.languages", "xx"},
                                                          {"hours.monday", "9-5"},
                                                          {"hours.sleep_when_closed", "yes"},
                                                          {"staff.pin_hash", "x"},
                                                          {"venue.name", ""},
                                                          {"hours.exceptions", "[1]"}}) {
        INFO(key << "=" << bad);
        try {
            (void)parseRemoteSettingText(key, bad);
            FAIL("accepted");
        } catch (const ConfigError& error) {
            CHECK(error.key() == key);
        }
    }
}

TEST_CASE("remote settings lay over kiosk.toml, record which keys are remote, skip bad ones",
          "[operations_config]") {
    KioskConfig config =
        parseKioskConfig(minimalConfig("[venue]\nname = \"Local name\"\n[kiosk]\nidle_timeout = "
                                       "300\nlanguages = [\"en\", \"pl\"]\n"
                                       "default_language = \"pl\"\n"),
                         "kiosk.toml");
    const auto problems =
        applyRemoteSettings(config, {{"kiosk.idle_timeout", std::int64_t{120}},
                                     {"venue.name", std::string("Central Library")},
                                     {"hours.monday", std::string("not hours")},
                                     {"sync.future_key", std::string("x")},
                                     {"kiosk.languages", TomlArray{"en", "ur"}}});
    CHECK(config.idleTimeoutSeconds == 120);
    CHECK(config.venueName == "Central Library");
    CHECK(config.hoursMonday == "00:00-24:00");  // bad remote value: the file's value stays
    CHECK(config.languages == std::vector<std::string>{"en", "ur"});
    CHECK(config.defaultLanguage == "en");  // "pl" is no longer offered
    CHECK(config.isRemote("kiosk.idle_timeout"));
    CHECK(config.isRemote("venue.name"));
    CHECK_FALSE(config.isRemote("hours.monday"));
    CHECK_FALSE(config.isRemote("venue.neighbourhood"));
    REQUIRE(problems.size() == 3);
    CHECK_THAT(problems[0], Catch::StartsWith("hours.monday: "));
    CHECK_THAT(problems[1], Catch::StartsWith("sync.future_key: "));
    CHECK_THAT(problems[2], Catch::StartsWith("kiosk.default_language: "));
}

TEST_CASE("remote-settings.json: round trip, ETag, strictness, atomic file",
          "[operations_config]") {
    RemoteSettings settings;
    settings.values = {{"hours.monday", std::string("09:00-17:00")},
                       {"kiosk.idle_timeout", std::int64_t{120}},
                       {"kiosk.languages", TomlArray{"en", "pl"}},
                       {"hours.sleep_when_closed", false}};
    settings.etag = "\"abc\"";
    settings.receivedAt = "2026-11-23T12:00:00.000Z";
    RemoteSettings back = remoteSettingsFromJson(remoteSettingsToJson(settings));
    CHECK(back.etag == settings.etag);
    CHECK(back.receivedAt == settings.receivedAt);
    CHECK(back.values.size() == 4);
    CHECK(back.values.front().first == "hours.monday");  // sorted by key
    RemoteSettings sorted = settings;
    std::sort(sorted.values.begin(), sorted.values.end(),
              [](auto& a, auto& b) { return a.first < b.first; });
    CHECK(back == sorted);

    // The ETag depends on the values only, and on every one of them.
    RemoteSettings other = sorted;
    other.etag = "\"x\"";
    other.receivedAt.clear();
    CHECK(remoteSettingsEtag(other) == remoteSettingsEtag(settings));
    other.values[1].second = std::int64_t{121};
    CHECK(remoteSettingsEtag(other) != remoteSettingsEtag(settings));
    CHECK(remoteSettingsEtag(RemoteSettings{}).size() == 34);

    CHECK(remoteValueToJson(TomlArray{"en", "pl"}) == "[\"en\",\"pl\"]");
    CHECK(remoteValueFromJson("120") == TomlValue(std::int64_t{120}));
    CHECK(remoteValueFromJson("\"x\"") == TomlValue(std::string("x")));

    for (const char* bad : {"", "[]", "{}", "{\"settings\": []}", "{\"settings\": {\"a\": 1.5}}",
                            "{\"settings\": {\"a\": [1]}}", "{\"settings\": {\"a\": null}}",
                            "{\"settings\": {\"a\": 1, \"a\": 2}}", "{\"settings\": {}"}) {
        INFO(bad);
        CHECK_THROWS_AS(remoteSettingsFromJson(bad), RemoteSettingsError);
    }

    test::TempDir dir("remote-settings");
    const auto file = dir / kRemoteSettingsFileName;
    CHECK_FALSE(loadRemoteSettings(file));
    saveRemoteSettings(file, settings);
    CHECK(loadRemoteSettings(file) == back);
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        names.push_back(entry.path().filename().string());
    }
    CHECK(names == std::vector<std::string>{kRemoteSettingsFileName});  // no temp file left
}

TEST_CASE("layRemoteSettings: a damaged or odd file never stops the kiosk, staff are told",
          "[operations_config]") {
    test::TempDir dir("remote-lay");
    const KioskConfig base =
        parseKioskConfig(minimalConfig("[kiosk]\nidle_timeout = 300\n"), "kiosk.toml");
    {
        KioskConfig config = base;
        std::vector<StaffNote> notes;
        layRemoteSettings(config, dir.path(), notes);  // no file: nothing happens
        CHECK(notes.empty());
        CHECK(config.remoteKeys.empty());
    }
    {
        test::writeText(dir / kRemoteSettingsFileName,
                        "{\"settings\": {\"kiosk.idle_timeout\": 12");
        KioskConfig config = base;
        std::vector<StaffNote> notes;
        layRemoteSettings(config, dir.path(), notes);
        REQUIRE(notes.size() == 1);
        CHECK(notes[0].key == "note.remote_settings_damaged");
        CHECK(config.idleTimeoutSeconds == 300);
    }
    {
        test::writeText(
            dir / kRemoteSettingsFileName,
            "{\"settings\": {\"kiosk.idle_timeout\": 120, \"kiosk.idle_warning\": 20}}");
        KioskConfig config = base;
        std::vector<StaffNote> notes;
        layRemoteSettings(config, dir.path(), notes);
        CHECK(config.idleTimeoutSeconds == 120);
        CHECK(config.idleWarningSeconds == 30);  // not a remote key: ignored
        REQUIRE(notes.size() == 1);
        CHECK(notes[0].key == "note.remote_setting_ignored");
        CHECK_THAT(notes[0].detail, Catch::StartsWith("kiosk.idle_warning"));
    }
}

TEST_CASE("precedence: a staff save never overwrites the file's value of a remote key",
          "[operations_config]") {
    test::TempDir dir("remote-precedence");
    const auto file = dir / "kiosk.toml";
    test::writeText(file,
                    minimalConfig("[venue]\nname = \"Local name\"\n[kiosk]\nidle_timeout = 300\n"));
    KioskConfig config = loadKioskConfig(file);
    (void)applyRemoteSettings(config, {{"kiosk.idle_timeout", std::int64_t{120}}});
    REQUIRE(config.isRemote("kiosk.idle_timeout"));

    KioskSettings settings = settingsOf(config);  // idle 120 from the coordinators
    settings.venueName = "Staff's name";
    saveKioskSettings(file, settings, config.remoteKeys);
    const KioskConfig saved = loadKioskConfig(file);
    CHECK(saved.venueName == "Staff's name");
    CHECK(saved.idleTimeoutSeconds == 300);  // the file keeps its own: it applies once cleared

    // Without the remote key, the same save writes it.
    saveKioskSettings(file, settings);
    CHECK(loadKioskConfig(file).idleTimeoutSeconds == 120);
}
