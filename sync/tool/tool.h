// Signpost — the coordinator command-line tool `signpost`: shared pieces for its verbs.
//
// main.cpp is a thin dispatcher over kVerbs (verbs.cpp); each verb lives in its own file
// (<verb>_verb.cpp) with its usage text and a run() that takes the arguments after the verb.
// Adding a verb (pull, devices, gen-directory...) = one file plus one row in kVerbs.
//
// Conventions every verb follows:
//   - `--help` prints the verb's usage on stdout and exits 0;
//   - an unknown option, a missing value or a missing required option throws UsageError: main
//     prints "signpost <verb>: <problem>" and the usage on stderr and exits 2;
//   - any other failure throws ToolError (or a core exception): one line on stderr, exit 1;
//   - results go to stdout, messages for the person to stderr, so output can be piped.
// Thread-safety: single-threaded program.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"

namespace signpost {
class CoordinatorKeyPair;
}

namespace signpost::tool {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1,
    kExitUsage = 2,
    kExitPartial = 3,  // `open`, `pull`: some items could not be read (reported, never dropped)
};

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ToolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Verb {
    const char* name;
    const char* summary;  // one line for `signpost help`
    const char* usage;    // full usage text for `signpost <verb> --help`
    int (*run)(std::span<const std::string> args);
};

// Every verb, in the order `signpost help` lists them.
std::span<const Verb> verbs();
const Verb* findVerb(std::string_view name);

// A verb's options: "--name VALUE" / "--name=VALUE" for valued options, "--name" for flags, read
// by core/common/command_line.h (CLI11), as the kiosk's and the server's command lines are.
// Throws UsageError for an unknown option, a missing value, a value given to a flag, a repeated
// option, or a positional argument.
struct OptionSpec {
    const char* name;  // without the leading "--"
    bool takesValue;
};

class Options {
public:
    Options(std::span<const std::string> args, std::initializer_list<OptionSpec> specs);
    bool has(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;
    // The value of a required option; throws UsageError("--name is required").
    std::string required(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> m_given;
};

// Where a passphrase comes from, in order: --passphrase-file (its first line), the environment
// variable SIGNPOST_PASSPHRASE (for scripts and the demo), else the terminal (/dev/tty, echo off,
// even when stdin/stdout are redirected). Throws ToolError if none is available, the file cannot
// be read, or (with `confirmPrompt`) the two entries differ. Never returns an empty passphrase.
SecureString readPassphrase(const std::optional<std::filesystem::path>& passphraseFile,
                            const std::string& prompt, const char* confirmPrompt = nullptr);

inline constexpr const char* kPassphraseEnv = "SIGNPOST_PASSPHRASE";

// Asks for the passphrase (as readPassphrase) and opens the coordinator key file with it; the
// passphrase is wiped either way. Throws ToolError "wrong passphrase for FILE" + `wrongNote`
// (what that means for this verb, e.g. "; nothing was fetched"), or the key file's own error.
CoordinatorKeyPair loadCoordinatorKey(const std::filesystem::path& keyFile,
                                      const std::optional<std::filesystem::path>& passphraseFile,
                                      std::string_view wrongNote = {});

// ---- the verbs, one file each ----------------------------------------------------------------
extern const char* const kKeygenUsage;  // keygen_verb.cpp
int runKeygen(std::span<const std::string> args);
extern const char* const kOpenUsage;  // open_verb.cpp
int runOpen(std::span<const std::string> args);
extern const char* const kPullUsage;  // pull_verb.cpp
int runPull(std::span<const std::string> args);
extern const char* const kDevicesUsage;  // devices_verb.cpp
int runDevices(std::span<const std::string> args);

}  // namespace signpost::tool
