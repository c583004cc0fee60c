// The config key engine (core/config/config_keys.h) on its own, with a small config of its own:
// reading and its errors and warnings, the typed builders, the example file and the Markdown
// reference. kiosk_config_test and server_config_test cover the two real tables.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/config/config_keys.h"
#include "core/config/kiosk_config.h"

using namespace signpost;

namespace {

enum class Mode { Fast, Careful };

struct Toy {
    std::string name = "Toy";
    int count = 3;
    std::size_t size = 10;
    bool loud = false;
    Mode mode = Mode::Fast;
    std::string secret;
    std::string token;  // required
    std::vector<std::string> tags{"a"};
};

constexpr unsigned Shown = config_key::FirstOwnFlag;  // a flag of this config's own

bool noSpaces(const std::string& text) {
    return text.find(' ') == std::string::npos;
}

KeyTable<Toy> toyTable(UnknownTableWarning unknown = UnknownTableWarning::OncePerTable) {
    auto readTags = [](const TomlArray& list, std::vector<std::string>& tags,
                       std::vector<std::string>* notes) -> std::optional<std::string> {
        for (const TomlValue& item : list) {
            const auto* tag = std::get_if<std::string>(&item);
            if (tag == nullptr || tag->empty()) {
                return shownValue(item) + " is not a tag";
            }
            tags.push_back(*tag);
        }
        if (tags.empty() && notes != nullptr) {
            tags.push_back("a");
            notes->push_back("\"a\" is always there; it was added");
        }
        return std::nullopt;
    };
    return {
        .unknownTables = unknown,
        .tables = {{"main", "The main table."}, {"more", ""}},
        .keys =
            {
                checkedTextKey("main", "name", &Toy::name,
                               TextRule{"a name without spaces", noSpaces}, "What it is called.",
                               Shown),
                wholeNumberKey(
                    "main", "count", &Toy::count, 1, 9, "apples",
                    "How many; a help text long enough to be wrapped at the width of ninety-nine "
                    "characters in the example file, at a space.",
                    Shown),
                wholeNumberKey("main", "size", &Toy::size, 1, 100, "",
                               "Terse errors.\nKept\n  as written.", config_key::Terse),
                flagKey("main", "loud", &Toy::loud, "Loud or not."),
                choiceKey("more", "mode", &Toy::mode,
                          {{"fast", Mode::Fast}, {"careful", Mode::Careful}},
                          "\"fast\" or \"careful\"", "How."),
                checkedTextKey("more", "secret", &Toy::secret,
                               TextRule{"\"\" or a secret of 4 characters",
                                        [](const std::string& text) {
                                            return text.empty() || text.size() == 4;
                                        }},
                               "Never echoed.", config_key::Secret),
                checkedTextKey(
                    "more", "token", &Toy::token,
                    TextRule{"a token", [](const std::string& text) { return !text.empty(); },
                             [](const std::string& text) { return text + "!"; }},
                    "Needed.", config_key::Required),
                textListKey("more", "tags", &Toy::tags, "a list of tags", "", readTags, "Tags."),
            },
    };
}

struct Read {
    Toy toy;
    std::vector<ConfigWarning> warnings;
    std::vector<std::pair<std::string, int>> lines;
};

Read readToy(const std::string& text,
             UnknownTableWarning unknown = UnknownTableWarning::OncePerTable) {
    Read read;
    const KeyTable<Toy> table = toyTable(unknown);
    readConfigKeys(table, TomlDocument::parse(text, "toy.toml"), read.toy, read.warnings,
                   &read.lines);
    return read;
}

std::string errorOf(const std::string& text) {
    try {
        (void)readToy(text);
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

const std::string kToken = "[more]\ntoken = \"t\"\n";

}  // namespace

TEST_CASE("the engine reads typed values into the struct", "[config_keys]") {
    const Read read = readToy(
        "[main]\nname = \"Box\"\ncount = 9\nsize = 1\nloud = true\n"
        "[more]\nmode = \"careful\"\nsecret = \"abcd\"\ntoken = \"t\"\n"
        "tags = [\"x\", \"y\"]\n");
    CHECK(read.toy.name == "Box");
    CHECK(read.toy.count == 9);
    CHECK(read.toy.size == 1);
    CHECK(read.toy.loud);
    CHECK(read.toy.mode == Mode::Careful);
    CHECK(read.toy.secret == "abcd");
    CHECK(read.toy.token == "t!");  // normalised
    CHECK(read.toy.tags == std::vector<std::string>{"x", "y"});
    CHECK(read.warnings.empty());
    REQUIRE(read.lines.size() == 8);
    CHECK(read.lines.front() == std::pair<std::string, int>{"main.name", 2});
    CHECK(read.lines.back() == std::pair<std::string, int>{"more.tags", 10});
}

TEST_CASE("a bad value is one error naming the file, line and key", "[config_keys]") {
    CHECK(errorOf(kToken + "[main]\ncount = 10\n") ==
          "toy.toml:4: main.count: expected a whole number of apples from 1 to 9, got 10");
    CHECK(errorOf(kToken + "[main]\ncount = \"3\"\n") ==
          "toy.toml:4: main.count: expected a whole number of apples from 1 to 9, got \"3\"");
    // Terse: what was expected only.
    CHECK(errorOf(kToken + "[main]\nsize = 0\n") ==
          "toy.toml:4: main.size: expected a whole number from 1 to 100");
    // Secret: never the value given.
    CHECK(errorOf("[more]\ntoken = \"t\"\nsecret = \"hunter2\"\n") ==
          "toy.toml:3: more.secret: expected \"\" or a secret of 4 characters");
    CHECK(errorOf(kToken + "[main]\nloud = 1\n") ==
          "toy.toml:4: main.loud: expected true or false, got 1");
    CHECK(errorOf("[more]\ntoken = \"t\"\nmode = \"slow\"\n") ==
          "toy.toml:3: more.mode: expected \"fast\" or \"careful\", got \"slow\"");
    CHECK(errorOf("[more]\ntoken = \"t\"\ntags = \"x\"\n") ==
          "toy.toml:3: more.tags: expected a list of tags, got \"x\"");
    CHECK(errorOf("[more]\ntoken = \"t\"\ntags = [\"x\", 2]\n") ==
          "toy.toml:3: more.tags: 2 is not a tag");
    // The first bad value in file order.
    CHECK(errorOf("[main]\nloud = 2\ncount = 0\n[more]\ntoken = \"t\"\n") ==
          "toy.toml:2: main.loud: expected true or false, got 2");
    // A long value is cut, never inside a UTF-8 sequence.
    const std::string long_ = std::string(55, 'x') + "\xC5\x81\xC5\x81\xC5\x81";
    CHECK(errorOf(kToken + "[main]\nname = \"" + long_ + " y\"\n") ==
          "toy.toml:4: main.name: expected a name without spaces, got \"" + std::string(55, 'x') +
              "...");
}

TEST_CASE("a required key that is absent is an error at its table", "[config_keys]") {
    CHECK(errorOf("[main]\nloud = true\n") ==
          "toy.toml: more.token: missing; expected a token under [more]");
    CHECK(errorOf("[main]\nloud = true\n\n[more]\nmode = \"fast\"\n") ==
          "toy.toml:4: more.token: missing; expected a token under [more]");
}

TEST_CASE("unknown keys and tables are warnings, in line order", "[config_keys]") {
    const std::string text =
        "top = 1\n[main]\ntoken = \"x\"\nspeed = 2\n[extra]\na = 1\nb = 2\n" + kToken;
    SECTION("one warning per unknown table") {
        const Read read = readToy(text);
        REQUIRE(read.warnings.size() == 4);
        CHECK(read.warnings[0].key == "top");
        CHECK(read.warnings[0].message == "unknown key; it is ignored");
        CHECK(read.warnings[1].key == "main.token");
        CHECK(read.warnings[1].line == 3);
        CHECK(read.warnings[1].message == "unknown key; it is ignored (did you mean more.token?)");
        CHECK(read.warnings[2].key == "main.speed");
        CHECK(read.warnings[3].key == "extra");
        CHECK(read.warnings[3].line == 5);
        CHECK(read.warnings[3].message == "unknown table [extra]; it and its keys are ignored");
    }
    SECTION("one warning per key under an unknown table") {
        const Read read = readToy(text, UnknownTableWarning::OncePerKey);
        REQUIRE(read.warnings.size() == 5);
        CHECK(read.warnings[3].key == "extra.a");
        CHECK(read.warnings[3].line == 6);
        CHECK(read.warnings[3].message == "unknown table [extra]; the key is ignored");
        CHECK(read.warnings[4].key == "extra.b");
    }
    SECTION("a note on an accepted value is a warning at its line") {
        const Read read = readToy(kToken + "tags = []\n");
        REQUIRE(read.warnings.size() == 1);
        CHECK(read.warnings[0].key == "more.tags");
        CHECK(read.warnings[0].line == 3);
        CHECK(read.toy.tags == std::vector<std::string>{"a"});
    }
}

TEST_CASE("the example file documents every key and reads back as the defaults", "[config_keys]") {
    ExampleStyle style;
    style.preamble = {"Toy configuration.", "Two lines\nas written."};
    style.requiredNote = "Required: no default.";
    style.flagNotes = {{Shown, " Shown somewhere."}};
    const std::string example = exampleConfigText(toyTable(), style);
    CHECK(example ==
          "# Toy configuration.\n"
          "#\n"
          "# Two lines\n"
          "# as written.\n"
          "\n"
          "# The main table.\n"
          "[main]\n"
          "# What it is called.\n"
          "# Allowed: a name without spaces. Shown somewhere.\n"
          "# Default: \"Toy\"\n"
          "name = \"Toy\"\n"
          "\n"
          "# How many; a help text long enough to be wrapped at the width of ninety-nine "
          "characters in the\n"
          "# example file, at a space.\n"
          "# Allowed: a whole number of apples from 1 to 9. Shown somewhere.\n"
          "# Default: 3\n"
          "count = 3\n"
          "\n"
          "# Terse errors.\n"
          "# Kept\n"
          "#   as written.\n"
          "# Allowed: a whole number from 1 to 100.\n"
          "# Default: 10\n"
          "size = 10\n"
          "\n"
          "# Loud or not.\n"
          "# Allowed: true or false.\n"
          "# Default: false\n"
          "loud = false\n"
          "\n"
          "[more]\n"
          "# How.\n"
          "# Allowed: \"fast\" or \"careful\".\n"
          "# Default: \"fast\"\n"
          "mode = \"fast\"\n"
          "\n"
          "# Never echoed.\n"
          "# Allowed: \"\" or a secret of 4 characters.\n"
          "# Default: \"\"\n"
          "secret = \"\"\n"
          "\n"
          "# Needed.\n"
          "# Allowed: a token.\n"
          "# Required: no default.\n"
          "token = \"\"\n"
          "\n"
          "# Tags.\n"
          "# Allowed: a list of tags.\n"
          "# Default: [\"a\"]\n"
          "tags = [\"a\"]\n");
    // The required key is "" in the example, so the example alone is refused, like kiosk.toml.
    CHECK(errorOf(example) == "toy.toml:45: more.token: expected a token, got \"\"");
}

TEST_CASE("a comment wraps at spaces and keeps a word longer than the width whole",
          "[config_keys]") {
    std::string out;
    appendComment(out, "aaaa bbbb cccc " + std::string(30, 'd') + " e", 20);
    CHECK(out == "# aaaa bbbb cccc\n# " + std::string(30, 'd') + "\n# e\n");
    out.clear();
    appendComment(out, "one\n\ntwo", 20);
    CHECK(out == "# one\n#\n# two\n");
}

TEST_CASE("the Markdown reference has a row per key and the config's own columns",
          "[config_keys]") {
    const std::string markdown = keyReferenceMarkdown(toyTable(), {{"Shown", Shown}});
    CHECK(markdown.rfind(
              "### `[main]`\n\nThe main table.\n\n"
              "| Key | Default | Allowed values | Shown | What it does |\n"
              "|---|---|---|---|---|\n"
              "| `name` | `\"Toy\"` | a name without spaces | yes | What it is called. |\n",
              0) == 0);
    CHECK(markdown.find("| `loud` | `false` | true or false |  | Loud or not. |\n") !=
          std::string::npos);
    CHECK(markdown.find("| `token` | required | a token |  | Needed. |\n") != std::string::npos);
    CHECK(markdown.find("| `mode` | `\"fast\"` | \"fast\" or \"careful\" |  | How. |\n") !=
          std::string::npos);
}

TEST_CASE("the kiosk's remote settings read command-line text by the key's shape",
          "[config_keys]") {
    CHECK(parseRemoteSettingText("kiosk.idle_timeout", " 120 ") == TomlValue(std::int64_t{120}));
    CHECK(parseRemoteSettingText("hours.sleep_when_closed", "false") == TomlValue(false));
    CHECK(parseRemoteSettingText("kiosk.languages", "pl, ur") ==
          TomlValue(TomlArray{TomlValue(std::string("en")), TomlValue(std::string("pl")),
                              TomlValue(std::string("ur"))}));
    CHECK(parseRemoteSettingText("hours.exceptions",
                                 "2026-12-24 09:00-12:00, 13:00-15:00; 2026-12-25 closed") ==
          TomlValue(TomlArray{TomlValue(std::string("2026-12-24 09:00-12:00, 13:00-15:00")),
                              TomlValue(std::string("2026-12-25 closed"))}));
    CHECK_THROWS_WITH(
        parseRemoteSettingText("kiosk.idle_timeout", "soon"),
        "remote setting: kiosk.idle_timeout: expected a whole number of seconds from 30 to 3600, "
        "got \"soon\"");
    CHECK_THROWS_WITH(parseRemoteSettingText("venue.reference_prefix", "ABC"),
                      "remote setting: venue.reference_prefix: cannot be set remotely");
}
