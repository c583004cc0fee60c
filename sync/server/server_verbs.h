// Signpost server — the pieces the command line's verbs share (server_cli.h is the program's
// API; this header is only for server_cli.cpp, server_verbs.cpp and the *_verb.cpp files).
//
// server_cli.cpp is a thin dispatcher over the two tables in server_verbs.cpp: verbs() (serve,
// backup, restore) and adminVerbs() (enrollment-code, coordinator-token, devices, device,
// import-directory, directory). Each verb lives in its own file (<verb>_verb.cpp; the directory
// ones in directory_verbs.cpp) with its usage text and a run function. Adding a verb = one file
// plus one row in a table: the row also declares its options and how many words it takes, which
// is what core/common/command_line.h (CLI11) reads the command line with.
//
// Conventions every verb follows:
//   - a bad command line throws UsageError: "signpost-server: <problem>", a blank line and the
//     verb's usage on stderr, exit 2 (--help prints the usage on stdout, exit 0, before the verb
//     runs);
//   - a failure it explains itself is one "signpost-server: ..." line on stderr and exit 1;
//     ConfigError, StorageError, FileError and other exceptions are reported by the dispatcher
//     (exit 3 for the configuration, 1 for the rest);
//   - secrets (codes, tokens) and results go to `out` alone; messages for people to `err`.
// Thread-safety: the command line runs on one thread.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/common/command_line.h"
#include "core/common/time_util.h"
#include "sync/server/server_config.h"
#include "sync/server/server_store.h"
#include "sync/server/sqlite_server_store.h"

namespace signpost::server {

// Thrown for a bad command line; becomes exit code 2 with the verb's usage.
struct UsageError {
    std::string message;
    std::string usage;
};

// The parsed command line as the verbs read it: the commands, then the words, one at a time.
class Arguments {
public:
    explicit Arguments(cli::ParsedCommandLine parsed) : m_parsed(std::move(parsed)) {}

    // The option's value; nullopt if absent. (The reader has refused an empty one.)
    std::optional<std::string> takeOption(const std::string& name) const {
        return m_parsed.value(name);
    }

    bool takeFlag(const std::string& name) const { return m_parsed.has(name); }

    // The next command, then the next positional word; nullopt when none are left.
    std::optional<std::string> next() {
        if (m_command < m_parsed.commands.size()) {
            return m_parsed.commands[m_command++];
        }
        if (m_word < m_parsed.words.size()) {
            return m_parsed.words[m_word++];
        }
        return std::nullopt;
    }

    // The next word; throws UsageError "missing <what>" when none is left (or it is an option).
    std::string required(const std::string& what, const char* usage) {
        auto word = next();
        if (!word || word->empty() || (*word)[0] == '-') {
            throw UsageError{"missing " + what, usage};
        }
        return *word;
    }

    // After expectEnd(usage), the value of an option the verb cannot do without; throws
    // UsageError `problem` when it is absent.
    std::string requiredOption(const std::string& name, const char* problem,
                               const char* usage) const {
        expectEnd(usage);
        auto value = takeOption(name);
        if (!value || value->empty()) {
            throw UsageError{problem, usage};
        }
        return *value;
    }

    // Throws UsageError "unexpected argument 'x'" if any word is left.
    void expectEnd(const char* usage) const {
        if (m_word < m_parsed.words.size()) {
            throw UsageError{"unexpected argument '" + m_parsed.words[m_word] + "'", usage};
        }
    }

private:
    cli::ParsedCommandLine m_parsed;
    std::size_t m_command = 0;
    std::size_t m_word = 0;
};

// A verb at the top (serve, backup, restore): it reads the configuration itself, when it is
// ready to (`configFile` is --config's value, nullopt for the default).
struct Verb {
    const char* name;
    const char* usage;                     // `signpost-server <name> --help`
    std::vector<cli::OptionSpec> options;  // besides --config and --help
    std::size_t maxWords;                  // positional words it takes
    int (*run)(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
               std::ostream& err);
};

// A verb under `admin`: the dispatcher has loaded the configuration (and printed its warnings)
// and set the log level to warnings only, since an admin command's output is its own.
struct AdminVerb {
    const char* name;
    const char* usage;  // `signpost-server admin <name> --help`
    std::vector<cli::OptionSpec> options;
    std::size_t maxWords;  // cli::kAnyNumber: any
    int (*run)(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err);
};

std::span<const Verb> verbs();
std::span<const AdminVerb> adminVerbs();

// --config FILE, else the default file if it exists, else the defaults; its warnings (file:line:
// key: message) go to `err`. Throws ConfigError.
ServerConfig loadConfig(const std::optional<std::string>& file, std::ostream& err);

// Everything a verb reads from outside the data directory is read before this: run by root,
// the process becomes the data directory's owner here (run_as_owner.h).
void actAsDataOwnerOf(const ServerConfig& config);

// Becomes the data directory's owner, creates the directory if need be and opens the database.
std::unique_ptr<SqliteServerStore> openStore(const ServerConfig& config);

// The device with this id, or nullopt after saying on `err` that there is none.
std::optional<DeviceRecord> findDeviceOrSay(ServerStore& store, const std::string& id,
                                            std::ostream& err);

SystemTime now();

// ---- the verbs, one file each -------------------------------------------------------------
extern const char* const kServeUsage;  // serve_verb.cpp
int runServe(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
             std::ostream& err);
extern const char* const kBackupUsage;  // backup_verb.cpp
int runBackup(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
              std::ostream& err);
extern const char* const kRestoreUsage;  // restore_verb.cpp
int runRestore(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
               std::ostream& err);

extern const char* const kEnrollmentCodeUsage;  // enrollment_code_verb.cpp
int runEnrollmentCode(Arguments& args, const ServerConfig& config, std::ostream& out,
                      std::ostream& err);
extern const char* const kCoordinatorTokenUsage;  // coordinator_token_verb.cpp
int runCoordinatorToken(Arguments& args, const ServerConfig& config, std::ostream& out,
                        std::ostream& err);
extern const char* const kDevicesUsage;  // devices_verb.cpp
int runDevices(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err);
extern const char* const kDeviceUsage;  // device_verb.cpp
int runDevice(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err);
extern const char* const kImportDirectoryUsage;  // directory_verbs.cpp
int runImportDirectory(Arguments& args, const ServerConfig& config, std::ostream& out,
                       std::ostream& err);
extern const char* const kDirectoryUsage;  // directory_verbs.cpp
int runDirectory(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err);

}  // namespace signpost::server
