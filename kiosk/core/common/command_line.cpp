#include "core/common/command_line.h"

// GCC 12 warns of a "potential null pointer dereference" inside std::vector<std::string> code
// that CLI11's string splitting inlines here (a false positive of the middle end, reported at
// libstdc++'s own lines); our code in this file is still checked by every other warning.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <memory>

namespace signpost::cli {

namespace {

// CLI11's App tree for a spec, and the declared options of each App.
struct Node {
    const CommandSpec* spec = nullptr;
    CLI::App* app = nullptr;
    std::vector<std::pair<const OptionSpec*, CLI::Option*>> options;
    std::vector<std::string> words;
    std::vector<std::unique_ptr<Node>> children;
};

void declare(Node& node) {
    CLI::App& app = *node.app;
    app.set_help_flag();  // each program prints its own usage
    app.allow_extras();   // unknown options and words are reported in our words, below
    for (const OptionSpec& option : node.spec->options) {
        CLI::Option* added = nullptr;
        const std::string name(option.name);
        if (option.takesValue) {
            added = app.add_option(name)->type_size(1)->expected(1);
        } else {
            added = app.add_flag(name)->disable_flag_override();
        }
        added->multi_option_policy(CLI::MultiOptionPolicy::Throw);
        node.options.emplace_back(&option, added);
    }
    if (node.spec->maxWords > 0) {
        app.add_option("words", node.words)->expected(0, CLI::detail::expected_max_vector_size);
    }
    for (const CommandSpec& command : node.spec->commands) {
        auto child = std::make_unique<Node>();
        child->spec = &command;
        child->app = app.add_subcommand(std::string(command.name));
        child->app->fallthrough();  // the parent's options work after the verb too
        declare(*child);
        node.children.push_back(std::move(child));
    }
    app.require_subcommand(0, 1);
}

// The declared option a CLI11 message is about: it starts with the option's name, with or
// without its dashes ("--out: At Most 1 ...", "force was given a disallowed flag override").
const OptionSpec* named(const std::vector<const Node*>& chain, std::string_view message) {
    for (const Node* node : chain) {
        for (const auto& [spec, option] : node->options) {
            for (std::string_view name = spec->name; !name.empty() && message.size() > name.size();
                 name.remove_prefix(name.front() == '-' ? 1 : name.size())) {
                const char after = message[name.size()];
                if (message.substr(0, name.size()) == name && (after == ':' || after == ' ')) {
                    return spec;
                }
            }
        }
    }
    return nullptr;
}

bool contains(std::string_view text, std::string_view part) {
    return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           }) != text.end();
}

}  // namespace

bool ParsedCommandLine::has(std::string_view name) const {
    return std::any_of(options.begin(), options.end(),
                       [&](const auto& given) { return given.first == name; });
}

std::optional<std::string> ParsedCommandLine::value(std::string_view name) const {
    for (const auto& [given, value] : options) {
        if (given == name) {
            return value;
        }
    }
    return std::nullopt;
}

ParsedCommandLine parse(const CommandSpec& program, std::span<const std::string> args) {
    CLI::App root;
    Node top;
    top.spec = &program;
    top.app = &root;
    declare(top);

    // The chain of chosen commands, outermost first, once parsed.
    auto chainOf = [&top]() {
        std::vector<const Node*> chain{&top};
        for (bool deeper = true; deeper;) {
            deeper = false;
            for (const auto& child : chain.back()->children) {
                if (child->app->parsed()) {
                    chain.push_back(child.get());
                    deeper = true;
                    break;
                }
            }
        }
        return chain;
    };
    auto namesOf = [](const std::vector<const Node*>& chain) {
        std::vector<std::string> names;
        for (std::size_t i = 1; i < chain.size(); ++i) {
            names.emplace_back(chain[i]->spec->name);
        }
        return names;
    };

    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 reads from the back
    try {
        root.parse(reversed);
    } catch (const CLI::ArgumentMismatch& error) {
        const auto chain = chainOf();
        const std::string message = error.what();
        const OptionSpec* option = named(chain, message);
        const std::string name = option ? std::string(option->name) : "an option";
        if (contains(message, "flag override")) {
            throw UsageError(namesOf(chain), name + " takes no value");
        }
        if (contains(message, "at most")) {
            throw UsageError(namesOf(chain), name + " is given twice");
        }
        throw UsageError(namesOf(chain), name + " needs a value");
    } catch (const CLI::ParseError& error) {
        throw UsageError(namesOf(chainOf()), error.what());
    }

    const auto chain = chainOf();
    const std::vector<std::string> commands = namesOf(chain);
    for (const Node* node : chain) {
        for (const std::string& extra : node->app->remaining()) {
            if (extra == "--") {
                continue;  // the end of the options, not a word
            }
            if (extra.rfind("--", 0) == 0) {
                throw UsageError(commands, "unknown option " + extra.substr(0, extra.find('=')));
            }
            // A word where a sub-command was due: "unknown admin command 'x'". (CLI11 may file
            // a word under an outer command; it is the innermost one's that counts.)
            if (!chain.back()->spec->commands.empty()) {
                throw UsageError(commands, "unknown " +
                                               (commands.empty() ? "" : commands.back() + " ") +
                                               "command '" + extra + "'");
            }
            throw UsageError(commands, "unexpected argument '" + extra + "'");
        }
    }
    ParsedCommandLine parsed;
    parsed.commands = commands;
    for (const Node* node : chain) {
        for (const auto& [spec, option] : node->options) {
            if (option->count() == 0) {
                continue;
            }
            if (!spec->takesValue) {
                if (option->count() > 1) {
                    throw UsageError(commands, std::string(spec->name) + " is given twice");
                }
                parsed.options.emplace_back(spec->name, std::nullopt);
                continue;
            }
            const std::string value = option->results().front();
            if (value.empty() || value.rfind("--", 0) == 0) {
                throw UsageError(commands, std::string(spec->name) + " needs a value");
            }
            parsed.options.emplace_back(spec->name, value);
        }
    }
    const Node& innermost = *chain.back();
    if (innermost.words.size() > innermost.spec->maxWords) {
        throw UsageError(commands,
                         "unexpected argument '" + innermost.words[innermost.spec->maxWords] + "'");
    }
    parsed.words = innermost.words;
    return parsed;
}

}  // namespace signpost::cli
