#include <algorithm>

#include "sync/tool/tool.h"

namespace signpost::tool {

Options::Options(std::span<const std::string> args, std::initializer_list<OptionSpec> specs) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!arg.starts_with("--") || arg.size() == 2) {
            throw UsageError("unexpected argument '" + arg + "'");
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const std::size_t equals = name.find('='); equals != std::string::npos) {
            inlineValue = name.substr(equals + 1);
            name.resize(equals);
        }
        const auto spec = std::find_if(specs.begin(), specs.end(),
                                       [&](const OptionSpec& s) { return name == s.name; });
        if (spec == specs.end()) {
            throw UsageError("unknown option --" + name);
        }
        if (has(name)) {
            throw UsageError("--" + name + " is given twice");
        }
        if (!spec->takesValue) {
            if (inlineValue) {
                throw UsageError("--" + name + " takes no value");
            }
            m_given.emplace_back(name, std::nullopt);
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size() || args[i + 1].starts_with("--")) {
                throw UsageError("--" + name + " needs a value");
            }
            inlineValue = args[++i];
        }
        if (inlineValue->empty()) {
            throw UsageError("--" + name + " needs a value");
        }
        m_given.emplace_back(name, std::move(inlineValue));
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
