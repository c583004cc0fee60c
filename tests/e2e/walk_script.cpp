#include "e2e/walk_script.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace signpost::e2e {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

bool validId(std::string_view id) {
    if (id.empty()) {
        return false;
    }
    for (char c : id) {
        if (static_cast<unsigned char>(c) <= ' ') {
            return false;
        }
    }
    return true;
}

}  // namespace

std::vector<WalkStep> parseWalkScript(std::string_view text, const std::string& fileName) {
    std::vector<WalkStep> steps;
    int lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const auto newline = text.find('\n');
        const std::string_view raw = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
        const std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto fail = [&](const std::string& problem) {
            return WalkScriptError(fileName + ":" + std::to_string(lineNumber) + ": " + problem +
                                   ": " + std::string(line));
        };
        const auto space = line.find(' ');
        const std::string_view command = line.substr(0, space);
        const std::string_view rest =
            space == std::string_view::npos ? std::string_view() : trim(line.substr(space + 1));

        WalkStep step;
        step.line = lineNumber;
        step.source = std::string(line);
        const auto parseMs = [&](std::string_view digits) {
            int ms = 0;
            auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
            if (error != std::errc() || ptr != digits.data() + digits.size() || ms < 0 ||
                ms > 600000) {
                throw fail(std::string(command) + " takes milliseconds from 0 to 600000");
            }
            return std::to_string(ms);
        };
        if (command == "hold") {
            const auto gap = rest.find(' ');
            if (gap == std::string_view::npos ||
                rest.find(' ', gap + 1) != std::string_view::npos) {
                throw fail("hold takes an element id and milliseconds");
            }
            step.kind = WalkStep::Kind::Hold;
            step.target = std::string(rest.substr(0, gap));
            step.text = parseMs(rest.substr(gap + 1));
        } else if (command == "scroll-to") {
            const auto gap = rest.find(' ');
            if (gap == std::string_view::npos ||
                rest.find(' ', gap + 1) != std::string_view::npos ||
                !validId(rest.substr(gap + 1))) {
                throw fail("scroll-to takes an element id and a scrolling area's id");
            }
            step.kind = WalkStep::Kind::ScrollTo;
            step.target = std::string(rest.substr(0, gap));
            step.text = std::string(rest.substr(gap + 1));
        } else if (command == "type") {
            const auto gap = rest.find(' ');
            if (gap == std::string_view::npos) {
                throw fail("type needs an element id and some text");
            }
            step.kind = WalkStep::Kind::Type;
            step.target = std::string(rest.substr(0, gap));
            // Only the single separating space is dropped: the text is typed as written.
            step.text = std::string(rest.substr(gap + 1));
            if (step.text.empty()) {
                throw fail("type needs some text");
            }
        } else {
            if (rest.empty() || rest.find(' ') != std::string_view::npos) {
                throw fail(std::string(command) + " takes exactly one argument");
            }
            step.target = std::string(rest);
            if (command == "wait-screen") {
                step.kind = WalkStep::Kind::WaitScreen;
            } else if (command == "expect-screen") {
                step.kind = WalkStep::Kind::ExpectScreen;
            } else if (command == "wait-element") {
                step.kind = WalkStep::Kind::WaitElement;
            } else if (command == "press") {
                step.kind = WalkStep::Kind::Press;
            } else if (command == "press-first") {
                step.kind = WalkStep::Kind::PressFirst;
            } else if (command == "screenshot") {
                step.kind = WalkStep::Kind::Screenshot;
                if (step.target.find('/') != std::string::npos || step.target[0] == '.') {
                    throw fail("a screenshot name is a plain file name");
                }
            } else if (command == "sleep") {
                step.kind = WalkStep::Kind::Sleep;
                step.text = parseMs(rest);
            } else {
                throw fail("unknown command '" + std::string(command) + "'");
            }
        }
        if (!validId(step.target)) {
            throw fail("bad id");
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

std::vector<WalkStep> loadWalkScript(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw WalkScriptError("cannot read walkthrough script " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseWalkScript(text.str(), file.filename().string());
}

std::string typedInto(const std::vector<WalkStep>& steps, std::string_view fieldId) {
    std::string text;
    for (const auto& step : steps) {
        if (step.kind == WalkStep::Kind::Type && step.target == fieldId) {
            text = step.text;
        }
    }
    return text;
}

}  // namespace signpost::e2e
