// Signpost server — the command line's dispatcher: reads the command line against the command
// tree the verb tables declare (server_verbs.cpp), answers --help and --version, runs the verb
// and turns what it throws into the exit codes server_cli.h lists. The verbs are one file each
// (server_verbs.h says where and the conventions they follow).
#include "sync/server/server_cli.h"

#include <ostream>

#include "core/common/atomic_file.h"
#include "core/common/command_line.h"
#include "core/common/log.h"
#include "core/storage/database.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

namespace {

constexpr const char* kMainUsage =
    "usage: signpost-server <command> [--config FILE]\n"
    "\n"
    "The Signpost central server: kiosks push sealed referrals to it, coordinators pull them.\n"
    "\n"
    "commands:\n"
    "  serve                                  run the server until SIGINT/SIGTERM\n"
    "  admin enrollment-code --venue V [--expires 24h]\n"
    "                                         make a single-use code to enroll one kiosk\n"
    "  admin coordinator-token create --name N | revoke N | list\n"
    "                                         manage coordinators' pull tokens\n"
    "  admin devices list [--json] | revoke ID\n"
    "                                         the kiosk fleet\n"
    "  admin device set ID KEY=VALUE... | clear ID KEY... | show ID\n"
    "                                         one kiosk's remote settings\n"
    "  admin import-directory FILE | --from-url URL\n"
    "                                         publish a new directory version (HSDS / ORUK 3.0)\n"
    "  admin directory status                 the live directory feeds' state\n"
    "  backup --to FILE                       copy the database, consistent, while serving\n"
    "  restore --from FILE                    replace the database with a backup (stop first)\n"
    "\n"
    "options:\n"
    "  --config FILE   server.toml to use (default: /etc/signpost/server.toml installed,\n"
    "                  config/server.toml in a build tree; built-in defaults if missing)\n"
    "  --help          help for any command\n"
    "  --version       print the version\n"
    "\n"
    "Run by root, admin, backup and restore act as the owner of the data directory\n"
    "(signpost-server when installed): files they read are read first, as root.\n"
    "\n"
    "exit codes: 0 success, 1 operation failed, 2 usage error, 3 configuration error\n";

constexpr const char* kAdminUsage =
    "usage: signpost-server admin <enrollment-code | coordinator-token | devices | device | "
    "import-directory | directory>\n"
    "                             ... [--config FILE]\n"
    "\n"
    "Run `signpost-server admin <command> --help` for each command.\n";

// The command tree, read by core/common/command_line.h (CLI11, as the kiosk's and the tool's
// command lines are), built from the verb tables: a new verb or option is a row there.
const cli::CommandSpec& commandTree() {
    static const cli::CommandSpec tree = [] {
        cli::CommandSpec program{
            "",
            {{"--config", true}, {"--help", false}, {"-h", false}, {"--version", false}},
            0,
            {}};
        for (const Verb& verb : verbs()) {
            program.commands.push_back({verb.name, verb.options, verb.maxWords, {}});
        }
        cli::CommandSpec admin{"admin", {}, 0, {}};
        for (const AdminVerb& verb : adminVerbs()) {
            admin.commands.push_back({verb.name, verb.options, verb.maxWords, {}});
        }
        program.commands.push_back(std::move(admin));
        return program;
    }();
    return tree;
}

const Verb* findVerb(const std::string& name) {
    for (const Verb& verb : verbs()) {
        if (name == verb.name) {
            return &verb;
        }
    }
    return nullptr;
}

const AdminVerb* findAdminVerb(const std::string& name) {
    for (const AdminVerb& verb : adminVerbs()) {
        if (name == verb.name) {
            return &verb;
        }
    }
    return nullptr;
}

// The usage text for a command path ({"admin", "devices"}).
const char* usageOf(const std::vector<std::string>& commands) {
    if (commands.size() == 1 && commands[0] == "admin") {
        return kAdminUsage;
    }
    if (commands.size() == 1) {
        if (const Verb* verb = findVerb(commands[0])) {
            return verb->usage;
        }
    }
    if (commands.size() == 2 && commands[0] == "admin") {
        if (const AdminVerb* verb = findAdminVerb(commands[1])) {
            return verb->usage;
        }
    }
    return kMainUsage;
}

int admin(Arguments& args, const std::optional<std::string>& configFile, bool help,
          std::ostream& out, std::ostream& err) {
    const auto command = args.next();
    const AdminVerb* verb = command ? findAdminVerb(*command) : nullptr;
    if (command && !verb && !help) {
        throw UsageError{"unknown admin command '" + *command + "'", kAdminUsage};
    }
    if (help) {
        out << (verb ? verb->usage : kAdminUsage);
        return exit_code::kOk;
    }
    if (!command) {
        throw UsageError{"missing admin command", kAdminUsage};
    }
    const ServerConfig config = loadConfig(configFile, err);
    setMinimumLogLevel(LogLevel::Warning);  // an admin command's output is its own
    return verb->run(args, config, out, err);
}

}  // namespace

int runServerCli(const std::vector<std::string>& rawArgs, std::ostream& out, std::ostream& err) {
    try {
        cli::ParsedCommandLine parsed;
        try {
            parsed = cli::parse(commandTree(), rawArgs);
        } catch (const cli::UsageError& error) {
            throw UsageError{error.what(), usageOf(error.commands())};
        }
        Arguments args(std::move(parsed));
        const bool help = args.takeFlag("--help") || args.takeFlag("-h");
        if (args.takeFlag("--version")) {
            out << "signpost-server " << SIGNPOST_VERSION << "\n";
            return exit_code::kOk;
        }
        const auto configFile = args.takeOption("--config");
        const auto name = args.next();
        if (!name) {
            if (help) {
                out << kMainUsage;
                return exit_code::kOk;
            }
            throw UsageError{"missing command", kMainUsage};
        }
        if (*name == "admin") {
            return admin(args, configFile, help, out, err);
        }
        const Verb* verb = findVerb(*name);
        if (verb == nullptr) {
            throw UsageError{"unknown command '" + *name + "'", kMainUsage};
        }
        if (help) {
            out << verb->usage;
            return exit_code::kOk;
        }
        return verb->run(args, configFile, out, err);
    } catch (const UsageError& error) {
        err << "signpost-server: " << error.message << "\n\n" << error.usage;
        return exit_code::kUsage;
    } catch (const ConfigError& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kConfig;
    } catch (const StorageError& error) {
        err << "signpost-server: database error: " << error.what() << "\n";
        return exit_code::kFailed;
    } catch (const FileError& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kFailed;
    } catch (const std::exception& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kFailed;
    }
}

}  // namespace signpost::server