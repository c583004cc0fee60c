// A verb's options, read by the one command-line reader the three programs share
// (core/common/command_line.h, CLI11 underneath); this adapts it to the verbs' Options.
#include <algorithm>

#include "core/common/command_line.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

Options::Options(std::span<const std::string> args, std::initializer_list<OptionSpec> specs) {
    std::vector<std::string> names;  // "--out": the storage the spec's views point into
    names.reserve(specs.size());
    for (const OptionSpec& spec : specs) {
        names.push_back(std::string("--") + spec.name);
    }
    cli::CommandSpec verb{"", {}, 0, {}};
    for (std::size_t i = 0; i < names.size(); ++i) {
        verb.options.push_back({names[i], std::data(specs)[i].takesValue});
    }
    cli::ParsedCommandLine parsed;
    try {
        parsed = cli::parse(verb, args);
    } catch (const cli::UsageError& error) {
        throw UsageError(error.what());
    }
    for (auto& [name, value] : parsed.options) {
        m_given.emplace_back(name.substr(2), std::move(value));
    }
}

bool Options::has(std::string_view name) const {
    return std::any_of(m_given.begin(), m_given.end(),
                       [&](const auto& given) { return given.first == name; });
}

std::optional<std::string> Options::value(std::string_view name) const {
    for (const auto& given : m_given) {
        if (given.first == name) {
            return given.second;
        }
    }
    return std::nullopt;
}

std::string Options::required(std::string_view name) const {
    std::optional<std::string> given = value(name);
    if (!given) {
        throw UsageError("--" + std::string(name) + " is required");
    }
    return *given;
}

}  // namespace signpost::tool
