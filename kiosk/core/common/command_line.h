// Signpost — the one way the three programs (signpost-kiosk, signpost-server, signpost) read a
// command line. Each declares its commands and options as a CommandSpec tree; CLI11
// (libcli11-dev) does the parsing ("--name VALUE" and "--name=VALUE", flags, sub-commands,
// "--" ends the options) and every program reports the same mistakes in the same words:
//   unknown option --x     unexpected argument 'x' (also '-x')     unknown admin command 'x'
//   --x needs a value         --x takes no value         --x is given twice
// Help texts stay each program's own hand-written usage (CLI11's generated help is off), and
// each program still decides what a value means (a size, a duration) and which are required.
//
// Only command_line.cpp includes CLI11, a large header-only library, so it is compiled once.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost::cli {

struct OptionSpec {
    std::string_view name;    // "--config", or a short "-h"
    bool takesValue = false;  // "--config FILE" or "--config=FILE"; false: a flag
};

inline constexpr std::size_t kAnyNumber = std::numeric_limits<std::size_t>::max();

struct CommandSpec {
    std::string_view name;              // the verb ("serve"); "" for the program itself
    std::vector<OptionSpec> options;    // valid here and after any of its sub-commands
    std::size_t maxWords = 0;           // positional words allowed after the command
    std::vector<CommandSpec> commands;  // its sub-commands, e.g. admin → devices → ...
};

struct ParsedCommandLine {
    std::vector<std::string> commands;  // the sub-commands chosen, outermost first
    std::vector<std::pair<std::string, std::optional<std::string>>> options;  // given ones
    std::vector<std::string> words;  // the innermost command's positional words, in order

    bool has(std::string_view name) const;
    // The option's value; nullopt when absent (or a flag).
    std::optional<std::string> value(std::string_view name) const;
};

// A mistake on the command line (the programs exit 2 and show the usage of commands()).
class UsageError : public std::runtime_error {
public:
    UsageError(std::vector<std::string> commands, const std::string& message)
        : std::runtime_error(message), m_commands(std::move(commands)) {}
    // The sub-commands read before the mistake, outermost first ({} = the program itself).
    const std::vector<std::string>& commands() const noexcept { return m_commands; }

private:
    std::vector<std::string> m_commands;
};

// `args` without the program name. Throws UsageError (messages as above). A value may not be
// empty and may not start with "--" (that is the next option: "--out --force" lacks a value).
ParsedCommandLine parse(const CommandSpec& program, std::span<const std::string> args);

}  // namespace signpost::cli
