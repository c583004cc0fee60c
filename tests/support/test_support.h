// Signpost test helpers shared by every test executable.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"

namespace signpost::test {

// A fresh directory under the build tree's tmp area, removed (recursively) when destroyed.
class TempDir {
public:
    // Under <build>/test-tmp; or under `base` when given (e.g. /tmp, for a test whose files
    // another user must reach: the build tree may sit in root's 0700 home).
    explicit TempDir(const std::string& label = "test", const std::filesystem::path& base = {});
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

std::filesystem::path sourceDir();                            // the repository root
std::filesystem::path assetsDir();                            // <repo>/assets
std::filesystem::path binaryDir();                            // the CMake build tree
std::filesystem::path builtProgram(const std::string& name);  // an executable the build made
// Writes `contents` to `path` (plain, non-atomic; test setup only).
void writeText(const std::filesystem::path& path, const std::string& contents);
std::string readText(const std::filesystem::path& path);
// The permission bits of `path` (0600, 0700...). Throws std::filesystem::filesystem_error when
// it does not exist.
unsigned fileMode(const std::filesystem::path& path);
// Writes `contents` readable by the owner only (0600), as the tools want token and key files.
void writePrivateText(const std::filesystem::path& path, const std::string& contents);

// Sets (or, with nullptr, unsets) an environment variable for one scope and puts back what was
// there. Not thread-safe: the environment is the process's (use it before starting threads).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value);
    ScopedEnv(const char* name, const std::string& value) : ScopedEnv(name, value.c_str()) {}
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string m_name;
    std::string m_old;
    bool m_had = false;
};

// What a program that ran to its end printed.
struct ProgramRun {
    ExitStatus status;
    std::string out;
    std::string err;
};
// Runs `name`, a program the build made (builtProgram), with `args` to its end, its stdout and
// stderr kept in `logDir` as <name>-<n>.out and .err (n counts every run in this process).
// `options` gives the rest (stdin, environment); its program, args and output files are set
// here. Throws ProcessError if it cannot start or still runs after `timeout` (then killed).
ProgramRun runBuiltProgram(const std::string& name, std::vector<std::string> args,
                           const std::filesystem::path& logDir, ProcessOptions options = {},
                           std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace signpost::test
