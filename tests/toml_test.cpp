#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/config/toml.h"

using namespace signpost;

namespace {

// The ConfigError a parse throws; fails the test if it parses.
ConfigError parseError(const std::string& text, const std::string& file = "kiosk.toml") {
    try {
        (void)TomlDocument::parse(text, file);
    } catch (const ConfigError& error) {
        return error;
    }
    FAIL("expected a ConfigError for: " << text);
    throw std::logic_error("unreachable");
}

TomlValue valueOf(const std::string& line) {
    const TomlDocument document = TomlDocument::parse(line, "t.toml");
    REQUIRE(document.entries().size() == 1);
    return document.entries().front().value;
}

}  // namespace

TEST_CASE("every supported value type parses, with tables and line numbers", "[toml]") {
    const std::string text =
        "# leading comment\n"
        "title = \"Signpost\"\n"
        "\n"
        "[kiosk]\n"
        "idle_timeout = 90   # seconds\n"
        "high_contrast = true\n"
        "ratio = 1.5\n"
        "languages = [\"en\", 'pl', ]\n"
        "codes = [1, -2, 0x10]\n"
        "path = 'C:\\no\\escapes'\n"
        "\n"
        "[staff]\n"
        "pin_hash = \"\"\n";
    const TomlDocument document = TomlDocument::parse(text, "kiosk.toml");
    REQUIRE(document.entries().size() == 8);
    REQUIRE(document.tables().size() == 2);
    CHECK(document.tables()[0].name == "kiosk");
    CHECK(document.tables()[0].line == 4);
    CHECK(document.tables()[1].name == "staff");
    CHECK(document.tables()[1].line == 12);

    const TomlEntry* title = document.find("", "title");
    REQUIRE(title != nullptr);
    CHECK(title->line == 2);
    CHECK(std::get<std::string>(title->value) == "Signpost");

    const TomlEntry* idle = document.find("kiosk", "idle_timeout");
    REQUIRE(idle != nullptr);
    CHECK(idle->line == 5);
    CHECK(std::get<std::int64_t>(idle->value) == 90);
    CHECK(std::get<bool>(document.find("kiosk", "high_contrast")->value));
    CHECK(std::get<double>(document.find("kiosk", "ratio")->value) == 1.5);
    CHECK(std::get<TomlArray>(document.find("kiosk", "languages")->value) ==
          TomlArray{std::string("en"), std::string("pl")});
    CHECK(std::get<TomlArray>(document.find("kiosk", "codes")->value) ==
          TomlArray{std::int64_t{1}, std::int64_t{-2}, std::int64_t{16}});
    CHECK(std::get<std::string>(document.find("kiosk", "path")->value) == "C:\\no\\escapes");
    CHECK(std::get<std::string>(document.find("staff", "pin_hash")->value).empty());
    CHECK(document.find("staff", "idle_timeout") == nullptr);
    CHECK(document.find("kiosk", "missing") == nullptr);
    CHECK(document.findTable("kiosk") != nullptr);
    CHECK(document.findTable("nope") == nullptr);
    CHECK(document.fileName() == "kiosk.toml");
}

TEST_CASE("numbers: forms TOML allows and the limits of 64 bits", "[toml]") {
    CHECK(std::get<std::int64_t>(valueOf("a = +5")) == 5);
    CHECK(std::get<std::int64_t>(valueOf("a = -0")) == 0);
    CHECK(std::get<std::int64_t>(valueOf("a = 1_000_000")) == 1000000);
    CHECK(std::get<std::int64_t>(valueOf("a = 0xFF_ff")) == 0xFFFF);
    CHECK(std::get<std::int64_t>(valueOf("a = 0o755")) == 0755);
    CHECK(std::get<std::int64_t>(valueOf("a = 0b1010")) == 10);
    CHECK(std::get<std::int64_t>(valueOf("a = 9223372036854775807")) ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(std::get<std::int64_t>(valueOf("a = -9223372036854775808")) ==
          std::numeric_limits<std::int64_t>::min());
    CHECK(std::get<double>(valueOf("a = -2e3")) == -2000.0);
    CHECK(std::get<double>(valueOf("a = 1_000.25")) == 1000.25);
    CHECK(std::get<double>(valueOf("a = 6.02E+23")) == 6.02e23);
    CHECK(std::get<double>(valueOf("a = 0.5")) == 0.5);
    CHECK(std::isinf(std::get<double>(valueOf("a = -inf"))));
    CHECK(std::isnan(std::get<double>(valueOf("a = nan"))));

    // toml++'s own words, with the line and the key.
    CHECK_THAT(parseError("a = 9223372036854775808").what(),
               Catch::Contains("not representable in 64 bits"));
    CHECK_THAT(parseError("a = -9223372036854775809").what(),
               Catch::Contains("not representable in 64 bits"));
    CHECK_THAT(parseError("a = 0x1_0000_0000_0000_0000").what(),
               Catch::Contains("not representable in 64 bits"));
    CHECK_THAT(parseError("a = 012").what(), Catch::Contains("leading zeroes are prohibited"));
    CHECK_THAT(parseError("a = 1__0").what(),
               Catch::Contains("underscores may only follow digits"));
    CHECK_THAT(parseError("a = 1_").what(), Catch::StartsWith("kiosk.toml:1: a: "));
    CHECK_THAT(parseError("a = 1.").what(), Catch::Contains("in floating-point"));
    CHECK_THAT(parseError("a = 1e").what(), Catch::Contains("in floating-point"));
    CHECK_THAT(parseError("a = 1.5.5").what(), Catch::Contains("in floating-point"));
    CHECK_THAT(parseError("a = 0xZZ").what(), Catch::Contains("expected digit, saw 'Z'"));
    CHECK_THAT(parseError("a = -0x10").what(), Catch::Contains("in hexadecimal integer"));
    CHECK_THAT(parseError("a = 12abc").what(), Catch::Contains("expected digit, saw 'a'"));
    CHECK_THAT(parseError("a = 1e999").what(),
               Catch::Contains("could not be interpreted as a value"));
}

TEST_CASE("strings: escapes, Unicode and literal strings", "[toml]") {
    CHECK(std::get<std::string>(valueOf(R"(a = "tab\there \"q\" back\\slash")")) ==
          "tab\there \"q\" back\\slash");
    CHECK(std::get<std::string>(valueOf(R"(a = "\b\f\n\r")")) == "\b\f\n\r");
    CHECK(std::get<std::string>(valueOf(R"(a = "caf\u00E9 \U0001F600")")) ==
          "caf\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(std::get<std::string>(valueOf("a = \"Biblioteka Łódź\"")) == "Biblioteka Łódź");
    CHECK(std::get<std::string>(valueOf("a = 'no \\n escapes \"here\"'")) ==
          "no \\n escapes \"here\"");
    CHECK(std::get<std::string>(valueOf("a = \"# not a comment\"  # a comment")) ==
          "# not a comment");
    CHECK(std::get<std::string>(valueOf("a = \"tab\tinside is allowed\"")) ==
          "tab\tinside is allowed");
}

TEST_CASE("syntax errors name the file, the line and the key", "[toml]") {
    // The reasons are toml++'s; the line, the key (when the bad line assigns one, under the
    // [table] above it) and the hints for hand-edited files are ours.
    struct Case {
        std::string text;
        int line;
        std::string key;
        std::string problem;
    };
    const std::vector<Case> cases = {
        {"[t]\nname = \"abc\n", 2, "t.name", "control characters"},
        {"[t]\nname = 'abc\n", 2, "t.name", "(in literal string, column 12)"},
        {"x = 1\n[t]\n\nname = \"a\\qb\"\n", 4, "t.name", "unknown escape sequence '\\q'"},
        {"name = \"ends with \\\n", 1, "name", "unknown escape sequence"},
        {"name = \"\\u12\"\n", 1, "name", "expected hex digit"},
        {"name = \"\\uD800\"\n", 1, "name", "unicode surrogates"},
        {"name = \"\\U00110000\"\n", 1, "name", "greater than U+10FFFF"},
        {"[t]\na = 1\nb = 2\na = 3\n", 4, "t.a", "cannot redefine existing integer 'a'"},
        {"[t]\na = 1\n[u]\n[t]\n", 4, "", "cannot redefine existing table 't'"},
        {"t = 1\n[t]\n", 2, "", "cannot redefine existing integer 't' as table"},
        {"[t]\nx = { a = 1, a = 2 }\n", 2, "t.x", "cannot redefine existing integer 'a'"},
        {"[t.s]\nq = 1\n[t]\ns = 2\n", 4, "t.s", "cannot redefine existing table 's'"},
        {"[[t]]\n[t]\n", 2, "", "cannot redefine existing array 't' as table"},
        {"[t]\na =\n", 2, "t.a", "expected value"},
        {"[t]\na =    # nothing\n", 2, "t.a", "expected value, saw '#'"},
        {"[t]\na = 1 2\n", 2, "t.a", "expected a comment or whitespace, saw '2'"},
        {"[t]\na = \"x\" y\n", 2, "t.a", "saw 'y'"},
        {"[t]\na = true false\n", 2, "t.a", "saw 'f' (in key-value pair, column 10)"},
        {"[]\n", 1, "", "blank bare keys"},
        {"[a\n", 1, "", "expected ']'"},
        {"[a] junk\n", 1, "", "saw 'j'"},
        {"[t]\nx = { a = 1 \n", 2, "t.x", "(in inline table"},
        {"a 1\n", 1, "", "expected '='"},
        {"a\n", 1, "", "expected '='"},
        {"= 1\n", 1, "", "saw '='"},
        {"a = \"\"\"multi\n", 1, "a", "end-of-file"},
        {"a = '''multi\n", 1, "a", "end-of-file"},
        {"a = [\"en\",\n\"pl\"\n", 2, "", "end-of-file (in array"},
        {"a = [\"en\" \"pl\"]\n", 1, "a", "expected comma or closing ']'"},
        {"a = [, 1]\n", 1, "a", "expected value or closing ']'"},
        {"a = ninety\n", 1, "a", "got ninety (text needs quotes)"},
        {"[venue]\nname = Hulme   # a comment\n", 2, "venue.name", "got Hulme (text needs quotes)"},
        {"a = True\n", 1, "a", "write true or false in lower case"},
        {"a = \"bell\a\"\n", 1, "a", "control characters"},
        {"a = 1 # bell\a\n", 1, "a", "prohibited in comments"},
        {"# ok\na = \"\xC3\x28\"\n", 2, "a",
         "invalid utf-8 sequence (column 5); save the file as UTF-8"},
        {"a = \"\xED\xA0\x80\"\n", 1, "a", "invalid utf-8"},  // an encoded surrogate
        {"a = \"\xC0\xAF\"\n", 1, "a", "invalid utf-8"},      // an overlong '/'
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const ConfigError error = parseError(c.text);
        CHECK(error.line() == c.line);
        CHECK(error.key() == c.key);
        CHECK(error.file() == "kiosk.toml");
        CHECK_THAT(error.what(), Catch::Contains(c.problem));
        CHECK_THAT(error.what(), Catch::StartsWith("kiosk.toml:" + std::to_string(c.line) + ": " +
                                                   (c.key.empty() ? "" : c.key + ": ")));
    }
}

TEST_CASE("the whole of TOML 1.0 parses: what the old subset parser refused", "[toml]") {
    const std::string text =
        "title = \"\"\"two\n"
        "lines\"\"\"\n"
        "raw = '''C:\\raw\\'''\n"
        "\"quoted key\" = 1\n"
        "when = 2026-11-23\n"
        "at = 10:30:00\n"
        "\n"
        "[kiosk]\n"
        "languages = [\n"
        "    \"en\",  # English first\n"
        "    'pl',\n"
        "]\n"
        "mixed = [1, \"two\", [3], { four = 4 }, 5.5, true]\n"
        "site.name = \"Hulme\"\n"
        "\n"
        "[directory]\n"
        "sources = [\n"
        "    { name = \"council\", url = \"https://a.example/services\" },\n"
        "    { name = \"nhs\", url = \"https://b.example/services\", refresh = \"1h\" },\n"
        "]\n"
        "\n"
        "[directory.cache]\n"
        "days = 7\n"
        "\n"
        "[[feeds]]\n"
        "url = \"https://c.example\"\n"
        "[[feeds]]\n"
        "url = \"https://d.example\"\n";
    const TomlDocument document = TomlDocument::parse(text, "t.toml");
    CHECK(std::get<std::string>(document.find("", "title")->value) == "two\nlines");
    CHECK(std::get<std::string>(document.find("", "raw")->value) == "C:\\raw\\");
    CHECK(std::get<std::int64_t>(document.find("", "quoted key")->value) == 1);
    CHECK(std::get<TomlDateTime>(document.find("", "when")->value).text == "2026-11-23");
    CHECK(std::get<TomlDateTime>(document.find("", "at")->value).text == "10:30:00");

    const TomlEntry* languages = document.find("kiosk", "languages");
    REQUIRE(languages != nullptr);
    CHECK(languages->line == 9);
    CHECK(std::get<TomlArray>(languages->value) == TomlArray{std::string("en"), std::string("pl")});
    const auto& mixed = std::get<TomlArray>(document.find("kiosk", "mixed")->value);
    REQUIRE(mixed.size() == 6);
    CHECK(std::get<TomlArray>(mixed[2]) == TomlArray{std::int64_t{3}});
    CHECK(std::get<std::int64_t>(*std::get<TomlTableValue>(mixed[3]).find("four")) == 4);
    CHECK(std::get<double>(mixed[4]) == 5.5);
    const auto& site = std::get<TomlTableValue>(document.find("kiosk", "site")->value);
    CHECK(std::get<std::string>(*site.find("name")) == "Hulme");

    // [directory] sources: an array of inline tables, each with its own line, keys in file order.
    const TomlEntry* sources = document.find("directory", "sources");
    REQUIRE(sources != nullptr);
    CHECK(sources->line == 17);
    const auto& list = std::get<TomlArray>(sources->value);
    REQUIRE(list.size() == 2);
    const auto& nhs = std::get<TomlTableValue>(list[1]);
    CHECK(nhs.line == 19);
    REQUIRE(nhs.items.size() == 3);
    CHECK(nhs.items[0].key == "name");
    CHECK(nhs.items[2].key == "refresh");
    CHECK(std::get<std::string>(*nhs.find("url")) == "https://b.example/services");
    CHECK(nhs.find("missing") == nullptr);
    // A nested [directory.cache] is a key of [directory] holding a table.
    const auto& cache = std::get<TomlTableValue>(document.find("directory", "cache")->value);
    CHECK(std::get<std::int64_t>(*cache.find("days")) == 7);
    CHECK(document.find("directory", "cache")->line == 22);
    // [[feeds]]: an array of tables at the root.
    const auto& feeds = std::get<TomlArray>(document.find("", "feeds")->value);
    REQUIRE(feeds.size() == 2);
    CHECK(std::get<std::string>(*std::get<TomlTableValue>(feeds[1]).find("url")) ==
          "https://d.example");

    // Entries come in file order (toml++ keeps keys sorted; the config engines report the first
    // problem in the file).
    std::vector<int> lines;
    for (const TomlEntry& entry : document.entries()) {
        lines.push_back(entry.line);
    }
    CHECK(std::is_sorted(lines.begin(), lines.end()));
    REQUIRE(document.tables().size() == 2);
    CHECK(document.tables()[0].name == "kiosk");
    CHECK(document.tables()[1].name == "directory");
    CHECK(document.tables()[1].line == 16);
    CHECK(document.toString() == text);
}

TEST_CASE("ConfigError's message leaves out a line of 0 and an empty key", "[toml]") {
    CHECK(std::string(ConfigError("kiosk.toml", 12, "kiosk.idle_timeout", "bad").what()) ==
          "kiosk.toml:12: kiosk.idle_timeout: bad");
    CHECK(std::string(ConfigError("kiosk.toml", 0, "kiosk.idle_timeout", "bad").what()) ==
          "kiosk.toml: kiosk.idle_timeout: bad");
    CHECK(std::string(ConfigError("kiosk.toml", 3, "", "bad").what()) == "kiosk.toml:3: bad");
    CHECK(std::string(ConfigError("/etc/signpost/kiosk.toml", 0, "", "bad").what()) ==
          "/etc/signpost/kiosk.toml: bad");
}

TEST_CASE("parse then toString gives the same bytes", "[toml]") {
    const std::vector<std::string> texts = {
        "",
        "\n\n",
        "# only a comment",
        "a = 1",  // no final newline
        "a = 1\n",
        "\xEF\xBB\xBF# with a byte-order mark\na = 1\n",
        "  [ spaced ]   # comment\n\tkey\t=\t'tabs'\t# trailing\n",
        "a = 1\r\nb = \"two\"\r\n\r\n[t]\r\nc = [1, 2]\r\n",  // CRLF
        "a=1\nb  =  \"x\"#tight comment\n[t]\nlist=[ \"a\" ,'b' ]\n",
        "[t]\nlist = [\n  1,  # one\n  2,\n]\ninline = { a = 1, b = [2] }\n[[u]]\nv = 1\n",
    };
    for (const std::string& text : texts) {
        INFO(text);
        CHECK(TomlDocument::parse(text, "t.toml").toString() == text);
    }
}

TEST_CASE("formatted values parse back to the same values", "[toml]") {
    std::vector<TomlValue> values = {
        true,
        false,
        std::int64_t{0},
        std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max(),
        1.0,
        -0.25,
        1e300,
        5e-324,
        std::numeric_limits<double>::infinity(),
        std::string(),
        std::string("quote \" backslash \\ newline \n tab \t cr \r bell \a del \x7F"),
        std::string("Zo\xC5\x9B\xC4\x87 \xF0\x9F\x98\x80"),
        TomlArray{},
        TomlArray{std::string("en"), std::int64_t{-3}, std::string("a \"b\"")},
        TomlArray{TomlArray{true, 2.5}, TomlTableValue{{{"k", std::string("v")}}}},
        TomlTableValue{},
        TomlTableValue{{{"name", std::string("nhs")},
                        {"quoted key", std::int64_t{1}},
                        {"list", TomlArray{std::string("a")}}}},
        TomlDateTime{"2026-11-23T10:30:00Z"},
    };
    // Random strings of every byte that may appear in valid UTF-8 text, control characters
    // included: formatTomlValue must escape whatever the parser refuses raw.
    std::mt19937 random(20261123);
    for (int i = 0; i < 300; ++i) {
        std::string text;
        const int length = static_cast<int>(random() % 24);
        for (int k = 0; k < length; ++k) {
            const unsigned pick = random() % 10;
            if (pick == 0) {
                text += "\xC5\x81";  // Ł
            } else if (pick == 1) {
                text += static_cast<char>(random() % 32);  // control characters
            } else {
                text += static_cast<char>(32 + random() % 96);  // printable ASCII and DEL
            }
        }
        values.emplace_back(text);
    }
    for (const TomlValue& value : values) {
        const std::string line = "k = " + formatTomlValue(value);
        INFO(line);
        CHECK(valueOf(line) == value);
    }
    CHECK(formatTomlValue(1.0) == "1.0");
    CHECK(formatTomlValue(std::string("a\"b")) == "\"a\\\"b\"");
    CHECK(formatTomlValue(std::string("\x01")) == "\"\\u0001\"");
    CHECK(formatTomlValue(TomlArray{std::string("en"), std::string("pl")}) == "[\"en\", \"pl\"]");
    CHECK(formatTomlValue(TomlTableValue{{{"a", std::int64_t{1}}, {"b c", std::string("x")}}}) ==
          "{ a = 1, \"b c\" = \"x\" }");
    CHECK(std::isnan(std::get<double>(valueOf("k = " + formatTomlValue(std::nan(""))))));
}

TEST_CASE("set() rewrites only the value and keeps the comment after it", "[toml]") {
    const std::string text =
        "# Signpost\n"
        "\n"
        "[venue]\n"
        "name = \"Old name\"   # shown to staff\n"
        "neighbourhood = 'Gorton'\n"
        "\n"
        "[kiosk]\n"
        "  idle_timeout=90# seconds\n";
    TomlDocument document = TomlDocument::parse(text, "kiosk.toml");
    document.set("venue", "name", std::string("Biblioteka \"Nowa\""));
    document.set("kiosk", "idle_timeout", std::int64_t{120});
    CHECK(document.toString() ==
          "# Signpost\n"
          "\n"
          "[venue]\n"
          "name = \"Biblioteka \\\"Nowa\\\"\"   # shown to staff\n"
          "neighbourhood = 'Gorton'\n"
          "\n"
          "[kiosk]\n"
          "  idle_timeout=120# seconds\n");
    // The parsed view follows the edit.
    CHECK(std::get<std::string>(document.find("venue", "name")->value) == "Biblioteka \"Nowa\"");
    CHECK(std::get<std::int64_t>(document.find("kiosk", "idle_timeout")->value) == 120);
    CHECK(document.find("kiosk", "idle_timeout")->line == 8);
    // A value may change type.
    document.set("venue", "neighbourhood", TomlArray{std::string("Gorton"), std::int64_t{2}});
    CHECK_THAT(document.toString(), Catch::Contains("neighbourhood = [\"Gorton\", 2]\n"));
}

TEST_CASE("set() appends a new key after the last key of its table", "[toml]") {
    const std::string text =
        "[venue]\n"
        "# the venue's name\n"
        "name = \"A\"\n"
        "\n"
        "# Comment that introduces the next table\n"
        "[kiosk]\n"
        "idle_timeout = 90\n";
    TomlDocument document = TomlDocument::parse(text, "kiosk.toml");
    document.set("venue", "neighbourhood", std::string("Hulme"));
    document.set("kiosk", "text_size", std::string("large"));
    CHECK(document.toString() ==
          "[venue]\n"
          "# the venue's name\n"
          "name = \"A\"\n"
          "neighbourhood = \"Hulme\"\n"
          "\n"
          "# Comment that introduces the next table\n"
          "[kiosk]\n"
          "idle_timeout = 90\n"
          "text_size = \"large\"\n");
    CHECK(document.find("venue", "neighbourhood")->line == 4);
    CHECK(document.find("kiosk", "idle_timeout")->line == 8);
    CHECK(document.findTable("kiosk")->line == 7);
}

TEST_CASE("set() puts a key in an empty table right under its header", "[toml]") {
    TomlDocument document = TomlDocument::parse("[staff]\n# no PIN yet\n\n[paths]\n", "kiosk.toml");
    document.set("staff", "pin_hash", std::string("$argon2id$x"));
    CHECK(document.toString() == "[staff]\npin_hash = \"$argon2id$x\"\n# no PIN yet\n\n[paths]\n");
}

TEST_CASE("set() adds a missing table at the end of the file", "[toml]") {
    SECTION("file ending with a newline") {
        TomlDocument document = TomlDocument::parse("[venue]\nname = \"A\"\n", "k.toml");
        document.set("sync", "interval", std::int64_t{60});
        document.set("sync", "enabled", true);
        CHECK(document.toString() ==
              "[venue]\nname = \"A\"\n\n[sync]\ninterval = 60\nenabled = true\n");
    }
    SECTION("file without a final newline") {
        TomlDocument document = TomlDocument::parse("[venue]\nname = \"A\"", "k.toml");
        document.set("sync", "interval", std::int64_t{60});
        CHECK(document.toString() == "[venue]\nname = \"A\"\n\n[sync]\ninterval = 60\n");
    }
    SECTION("file ending with a blank line") {
        TomlDocument document = TomlDocument::parse("# c\n\n", "k.toml");
        document.set("sync", "interval", std::int64_t{60});
        CHECK(document.toString() == "# c\n\n[sync]\ninterval = 60\n");
    }
    SECTION("empty file") {
        TomlDocument document = TomlDocument::parse("", "k.toml");
        document.set("sync", "interval", std::int64_t{60});
        CHECK(document.toString() == "[sync]\ninterval = 60\n");
    }
}

TEST_CASE("set() keeps CRLF line ends", "[toml]") {
    TomlDocument document = TomlDocument::parse("[venue]\r\nname = \"A\" # c\r\n", "k.toml");
    document.set("venue", "name", std::string("B"));
    document.set("venue", "neighbourhood", std::string("Hulme"));
    document.set("kiosk", "idle_timeout", std::int64_t{60});
    CHECK(document.toString() ==
          "[venue]\r\nname = \"B\" # c\r\nneighbourhood = \"Hulme\"\r\n\r\n[kiosk]\r\n"
          "idle_timeout = 60\r\n");
}

TEST_CASE("set() puts root keys above the first table and its comments", "[toml]") {
    TomlDocument document =
        TomlDocument::parse("# file header\n\n# venue comment\n[venue]\nname = \"A\"\n", "k.toml");
    document.set("", "schema", std::int64_t{1});
    CHECK(document.toString() ==
          "# file header\n\nschema = 1\n\n# venue comment\n[venue]\nname = \"A\"\n");
    document.set("", "other", std::int64_t{2});
    CHECK(document.toString() ==
          "# file header\n\nschema = 1\nother = 2\n\n# venue comment\n[venue]\nname = \"A\"\n");
    CHECK(document.find("", "other")->line == 4);
}

TEST_CASE("set() refuses names and text it cannot write, leaving the document alone", "[toml]") {
    const std::string text = "[venue]\nname = \"A\"\n";
    TomlDocument document = TomlDocument::parse(text, "k.toml");
    CHECK_THROWS_AS(document.set("venue", "bad key", std::int64_t{1}), ConfigError);
    CHECK_THROWS_AS(document.set("venue", "", std::int64_t{1}), ConfigError);
    CHECK_THROWS_AS(document.set("a.b", "key", std::int64_t{1}), ConfigError);
    CHECK_THROWS_AS(document.set("venue", "name", std::string("\xFF")), ConfigError);
    CHECK_THROWS_AS(document.set("venue", "name", TomlArray{std::string("\xC3")}), ConfigError);
    CHECK(document.toString() == text);
    CHECK(isBareTomlKey("idle_timeout-2"));
    CHECK_FALSE(isBareTomlKey("idle timeout"));
    CHECK_FALSE(isBareTomlKey(""));
}

TEST_CASE("many edits in a row keep the untouched lines byte for byte", "[toml]") {
    std::string text = "# header\n[t]\n";
    for (int i = 0; i < 30; ++i) {
        text += "# about k" + std::to_string(i) + "\nk" + std::to_string(i) + " = " +
                std::to_string(i) + "   # trailing " + std::to_string(i) + "\n\n";
    }
    TomlDocument document = TomlDocument::parse(text, "t.toml");
    std::string expected = text;
    for (int i = 0; i < 30; i += 3) {
        document.set("t", "k" + std::to_string(i), std::string("v") + std::to_string(i));
        const std::string before = "k" + std::to_string(i) + " = " + std::to_string(i) + "   #";
        const std::string after = "k" + std::to_string(i) + " = \"v" + std::to_string(i) + "\"   #";
        expected.replace(expected.find(before), before.size(), after);
    }
    CHECK(document.toString() == expected);
    CHECK(TomlDocument::parse(document.toString(), "t.toml").toString() == expected);
}

TEST_CASE("set() on real TOML: multi-line values, inline tables, sub-tables", "[toml]") {
    SECTION("a multi-line list becomes one line; its neighbours keep their bytes") {
        const std::string text =
            "[kiosk]\n"
            "languages = [\n"
            "    \"en\",  # English first\n"
            "    \"pl\",\n"
            "]   # trailing comment\n"
            "other = [\n"
            "    1,  # stays\n"
            "]\n";
        TomlDocument document = TomlDocument::parse(text, "k.toml");
        document.set("kiosk", "languages", TomlArray{std::string("en"), std::string("uk")});
        CHECK(document.toString() ==
              "[kiosk]\n"
              "languages = [\"en\", \"uk\"]   # trailing comment\n"
              "other = [\n"
              "    1,  # stays\n"
              "]\n");
        CHECK(document.find("kiosk", "other")->line == 3);
    }
    SECTION("a new key goes after a multi-line value, not inside it") {
        TomlDocument document = TomlDocument::parse(
            "[kiosk]\nlanguages = [\n  \"en\",\n]\n# next\n[staff]\n", "k.toml");
        document.set("kiosk", "text_size", std::string("large"));
        CHECK(document.toString() ==
              "[kiosk]\nlanguages = [\n  \"en\",\n]\ntext_size = \"large\"\n# next\n[staff]\n");
    }
    SECTION("an array of inline tables is written and read back") {
        TomlDocument document = TomlDocument::parse("[directory]\n# feeds\n", "server.toml");
        const TomlValue sources = TomlArray{TomlTableValue{
            {{"name", std::string("council")}, {"url", std::string("https://a.example")}}}};
        document.set("directory", "sources", sources);
        CHECK(document.toString() ==
              "[directory]\nsources = [{ name = \"council\", url = \"https://a.example\" }]\n# "
              "feeds\n");
        CHECK(document.find("directory", "sources")->value == sources);
    }
    SECTION("a key inside an inline table's line is replaced as a whole value") {
        TomlDocument document = TomlDocument::parse("[t]\nx = { a = 1 }  # c\n", "k.toml");
        document.set("t", "x", TomlTableValue{{{"a", std::int64_t{2}}}});
        CHECK(document.toString() == "[t]\nx = { a = 2 }  # c\n");
    }
    SECTION("keys of [t] go in [t]'s own section, not in a later [t.sub]") {
        TomlDocument document = TomlDocument::parse("[t]\na = 1\n\n[t.sub]\nb = 2\n", "k.toml");
        document.set("t", "c", std::int64_t{3});
        CHECK(document.toString() == "[t]\na = 1\nc = 3\n\n[t.sub]\nb = 2\n");
    }
    SECTION("a table made only by [t.sub] gets its own [t] at the end") {
        TomlDocument document = TomlDocument::parse("[t.sub]\nb = 2\n", "k.toml");
        document.set("t", "c", std::int64_t{3});
        CHECK(document.toString() == "[t.sub]\nb = 2\n\n[t]\nc = 3\n");
        CHECK(std::get<std::int64_t>(document.find("t", "c")->value) == 3);
    }
    SECTION("a dotted key in the table is kept and the new key follows it") {
        TomlDocument document = TomlDocument::parse("[t]\nsite.name = \"x\"\n[u]\n", "k.toml");
        document.set("t", "c", std::int64_t{3});
        CHECK(document.toString() == "[t]\nsite.name = \"x\"\nc = 3\n[u]\n");
    }
}

TEST_CASE("set() refuses what it cannot write in place, leaving the document alone", "[toml]") {
    SECTION("a key that is a [table] of its own") {
        const std::string text = "[t]\na = 1\n[t.sub]\nb = 2\n";
        TomlDocument document = TomlDocument::parse(text, "k.toml");
        CHECK_THROWS_WITH(document.set("t", "sub", std::int64_t{1}),
                          Catch::Contains("is a table of its own"));
        CHECK(document.toString() == text);
    }
    SECTION("a key of an [[array of tables]]") {
        const std::string text = "[[feeds]]\nurl = \"a\"\n";
        TomlDocument document = TomlDocument::parse(text, "k.toml");
        CHECK_THROWS_AS(document.set("", "feeds", TomlArray{}), ConfigError);
        CHECK(document.toString() == text);
    }
    SECTION("a new key in a table written inline at the root") {
        const std::string text = "t = { a = 1 }\n";
        TomlDocument document = TomlDocument::parse(text, "k.toml");
        CHECK_THROWS_WITH(document.set("t", "b", std::int64_t{2}), Catch::Contains("not changed"));
        CHECK(document.toString() == text);
    }
    SECTION("a new key in a table made by dotted keys at the root") {
        const std::string text = "t.a = 1\n";
        TomlDocument document = TomlDocument::parse(text, "k.toml");
        CHECK_THROWS_WITH(document.set("t", "b", std::int64_t{2}), Catch::Contains("not changed"));
        CHECK(document.toString() == text);
    }
}
