// signpost — the coordinators' command-line tool. A thin dispatcher: each verb is its own file
// (see tool.h for the conventions and verbs.cpp for the table).
#include <iostream>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "sync/tool/tool.h"

namespace {

using namespace signpost::tool;

void printUsage(std::ostream& out) {
    out << "Usage: signpost <command> [options]\n"
           "\n"
           "The coordinators' tool for Signpost kiosks.\n"
           "\n"
           "Commands:\n";
    for (const Verb& verb : verbs()) {
        std::string name = verb.name;
        name.resize(10, ' ');
        out << "  " << name << verb.summary << "\n";
    }
    out << "  help      show this help, or a command's: signpost help <command>\n"
           "\n"
           "Options:\n"
           "  --version  print the version and exit\n"
           "  --help     show this help\n"
           "\n"
           "Run 'signpost <command> --help' for a command's options.\n";
}

int usageError(const std::string& problem) {
    std::cerr << "signpost: " << problem << "\n\n";
    printUsage(std::cerr);
    return kExitUsage;
}

int runVerb(const Verb& verb, std::span<const std::string> args) {
    try {
        return verb.run(args);
    } catch (const UsageError& error) {
        std::cerr << "signpost " << verb.name << ": " << error.what() << "\n\n" << verb.usage;
        return kExitUsage;
    } catch (const std::exception& error) {
        std::cerr << "signpost " << verb.name << ": " << error.what() << "\n";
        return kExitFailed;
    }
}

}  // namespace

int main(int argc, char** argv) {
    // The core logs for the kiosk's staff panel; here only real problems belong on stderr.
    signpost::setMinimumLogLevel(signpost::LogLevel::Warning);
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        return usageError("no command given");
    }
    const std::string& first = args[0];
    if (first == "--version") {
        std::cout << "signpost " << SIGNPOST_VERSION << "\n";
        return kExitOk;
    }
    if (first == "--help" || first == "-h" || first == "help") {
        if (args.size() == 1) {
            printUsage(std::cout);
            return kExitOk;
        }
        const Verb* verb = args.size() == 2 ? findVerb(args[1]) : nullptr;
        if (verb == nullptr) {
            return usageError("no such command '" + args[1] + "'");
        }
        std::cout << verb->usage;
        return kExitOk;
    }
    if (first.starts_with("-")) {
        return usageError("unknown option " + first);
    }
    const Verb* verb = findVerb(first);
    if (verb == nullptr) {
        return usageError("unknown command '" + first + "'");
    }
    return runVerb(*verb, std::span(args).subspan(1));
}
