// The one command-line reader of the three programs (core/common/command_line.h, CLI11 inside):
// what it accepts, and the same words for the same mistakes everywhere.
#include <catch2/catch.hpp>

#include "core/common/command_line.h"

using namespace signpost::cli;

namespace {

const CommandSpec& tool() {
    static const CommandSpec spec{
        "", {{"--out", true}, {"--kdf", true}, {"--force", false}, {"--help", false}}, 0, {}};
    return spec;
}

// A server-like tree: options at the top work after any verb; verbs with their own options and
// words.
const CommandSpec& server() {
    static const CommandSpec spec{"",
                                  {{"--config", true}, {"--help", false}},
                                  0,
                                  {{"serve", {}, 0, {}},
                                   {"admin",
                                    {},
                                    0,
                                    {{"enrollment-code", {{"--venue", true}}, 0, {}},
                                     {"devices", {}, 2, {}},
                                     {"device", {}, kAnyNumber, {}}}}}};
    return spec;
}

std::string errorFor(const CommandSpec& spec, std::vector<std::string> args,
                     std::vector<std::string>* commands = nullptr) {
    try {
        (void)parse(spec, args);
    } catch (const UsageError& error) {
        if (commands != nullptr) {
            *commands = error.commands();
        }
        return error.what();
    }
    return "(parsed)";
}

}  // namespace

TEST_CASE("options with values, flags, and both spellings of a value", "[command_line]") {
    const ParsedCommandLine parsed =
        parse(tool(), std::vector<std::string>{"--out", "key.json", "--force", "--kdf=sensitive"});
    CHECK(parsed.commands.empty());
    CHECK(parsed.words.empty());
    CHECK(parsed.value("--out") == "key.json");
    CHECK(parsed.value("--kdf") == "sensitive");
    CHECK(parsed.has("--force"));
    CHECK_FALSE(parsed.value("--force"));  // a flag has no value
    CHECK_FALSE(parsed.has("--help"));
    CHECK_FALSE(parsed.value("--help"));
    // A value may hold '=' and spaces; only the first '=' splits.
    CHECK(parse(tool(), std::vector<std::string>{"--out=a=b c"}).value("--out") == "a=b c");
    CHECK(parse(tool(), std::vector<std::string>{}).options.empty());
}

TEST_CASE("mistakes are named the same way in every program", "[command_line]") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--bogus"}, "unknown option --bogus"},
        {{"--bogus=1"}, "unknown option --bogus"},
        {{"stray"}, "unexpected argument 'stray'"},
        {{"-x"}, "unexpected argument '-x'"},
        {{"--out"}, "--out needs a value"},
        {{"--out="}, "--out needs a value"},
        {{"--out", "--force"}, "--out needs a value"},
        {{"--out=a", "--out=b"}, "--out is given twice"},
        {{"--force", "--force"}, "--force is given twice"},
        {{"--force=yes"}, "--force takes no value"},
    };
    for (const Case& c : cases) {
        INFO(c.message);
        CHECK(errorFor(tool(), c.args) == c.message);
    }
}

TEST_CASE("sub-commands, their words, and options before or after them", "[command_line]") {
    ParsedCommandLine parsed =
        parse(server(),
              std::vector<std::string>{"--config", "s.toml", "admin", "devices", "revoke", "ID"});
    CHECK(parsed.commands == std::vector<std::string>{"admin", "devices"});
    CHECK(parsed.words == std::vector<std::string>{"revoke", "ID"});
    CHECK(parsed.value("--config") == "s.toml");

    parsed =
        parse(server(), std::vector<std::string>{"admin", "enrollment-code", "--venue",
                                                 "Hulme Library", "--config=s.toml", "--help"});
    CHECK(parsed.commands == std::vector<std::string>{"admin", "enrollment-code"});
    CHECK(parsed.value("--venue") == "Hulme Library");
    CHECK(parsed.value("--config") == "s.toml");
    CHECK(parsed.has("--help"));

    parsed = parse(server(),
                   std::vector<std::string>{"admin", "device", "set", "ID", "a=1", "b=2", "c=3"});
    CHECK(parsed.words.size() == 5);

    parsed = parse(server(), std::vector<std::string>{"admin"});
    CHECK(parsed.commands ==
          std::vector<std::string>{"admin"});  // the program says what is missing
}

TEST_CASE("a mistake names where it was, for that command's usage", "[command_line]") {
    std::vector<std::string> where;
    CHECK(errorFor(server(), {"launch"}, &where) == "unknown command 'launch'");
    CHECK(where.empty());
    CHECK(errorFor(server(), {"admin", "frobnicate"}, &where) ==
          "unknown admin command 'frobnicate'");
    CHECK(where == std::vector<std::string>{"admin"});
    CHECK(errorFor(server(), {"serve", "now"}, &where) == "unexpected argument 'now'");
    CHECK(where == std::vector<std::string>{"serve"});
    CHECK(errorFor(server(), {"serve", "--venue", "x"}, &where) == "unknown option --venue");
    CHECK(errorFor(server(), {"admin", "devices", "list", "x", "y"}, &where) ==
          "unexpected argument 'y'");
    CHECK(where == std::vector<std::string>{"admin", "devices"});
    CHECK(errorFor(server(), {"admin", "enrollment-code", "--venue"}, &where) ==
          "--venue needs a value");
    CHECK(where == std::vector<std::string>{"admin", "enrollment-code"});
}
