// Signpost test helpers — what the build, the tests and the scripts use from the system, and
// which Debian package brings each piece (tests/install_deps_test.cpp).
//
// A fresh Debian 12 has only what installer/install-deps.sh installs (plus the packages those
// depend on and the essential set). A header, library or command that comes from any other
// package works on a developer's machine and breaks a new user's first command. The audit finds
// every such use from what the build and the repository really hold:
//   - depfilePaths():   the files the compiler read, from its -MD dependency files;
//   - linkInputs():     the libraries a link line names (absolute paths), from CMake's link.txt;
//   - shellCommands():  the programs a shell script runs;
//   - cppProgramNames(): the programs a C++ test starts (findInPath("x"), `program = "x"`);
//   - cmakeCommands():  the programs CMake code runs (COMMAND x, find_program(... x)).
// PackageGraph then computes what a fresh install of a package list brings, offline, from
// `apt-cache depends --recurse` output.
//
// The scanners are deliberately shallow readers (not a shell or C++ parser): they must find every
// real use and may report a few words that are not commands; a word that names no installed
// program is dropped by the caller, and one that does is checked like any other.
//
// Thread-safety: free functions are pure; PackageGraph is immutable after parse().
// Errors: nothing here throws on odd input; unparseable text yields fewer results.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::test::audit {

// Programs a shell script runs: each simple command's first word after assignments and after
// wrappers that run another program (exec, env, command -v, nice, timeout, sudo, runuser, xargs,
// xvfb-run, unshare, flock, nohup, setsid, stdbuf), including commands inside $(…), `…`, <(…)
// and the script of `sh -c '…'`. Builtins, keywords, functions the script defines, words with
// expansions ($x) and comments are left out; heredoc bodies are data. Absolute paths (/bin/sh)
// are returned as written. Sorted, unique.
std::vector<std::string> shellCommands(std::string_view script);

// The paths a compiler dependency file names (gcc -MD: "out.o: a.h b.h \" …) after the target,
// as written (absolute, or relative to the compiler's working directory), in order of first
// appearance, unique. "\ " is an escaped space inside a path.
std::vector<std::string> depfilePaths(std::string_view depfile);

// Absolute paths of libraries and objects on a link line (CMake's link.txt): words starting with
// '/' that end in .so, .a or .o or contain ".so."; the linker program itself is not included.
std::vector<std::string> linkInputs(std::string_view linkLine);

// Program names a C++ test source starts: the literal in findInPath("x") or `program = "x"`.
std::vector<std::string> cppProgramNames(std::string_view source);

// Programs CMake code runs: the word after COMMAND (add_test, execute_process,
// add_custom_command) and the names in find_program(VAR name…) / find_program(VAR NAMES a b).
// Words that are variables (${X}) or generator expressions are left out.
std::vector<std::string> cmakeCommands(std::string_view cmake);

// Bash builtins and reserved words: never a package's program even where /usr/bin has one.
bool isShellBuiltin(std::string_view word);

// The package graph printed by
//   apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks
//                     --no-replaces --no-enhances PACKAGE...
// (Depends and Pre-Depends; "|Depends:" marks an alternative that is or-ed with the next line;
// "<name>" is a virtual package, its providers are listed beneath it, indented further).
class PackageGraph {
public:
    static PackageGraph parse(std::string_view aptCacheDepends);

    // Every package that installing `roots` on a fresh system brings in: each root, and for each
    // dependency group the first alternative apt can install (a real package, or a virtual one
    // that has providers, every provider counted), recursively. Names are plain ("perl:any" and
    // "libfoo:amd64" become "perl", "libfoo").
    std::set<std::string> closure(const std::vector<std::string>& roots) const;

    bool knows(const std::string& package) const { return m_depends.count(package) > 0; }

private:
    struct Alternative {
        std::string name;
        bool isVirtual = false;
        std::vector<std::string> providers;
    };
    using Group = std::vector<Alternative>;  // or-ed alternatives, first preferred
    std::map<std::string, std::vector<Group>> m_depends;
    std::map<std::string, std::vector<std::string>> m_providers;  // virtual -> providers seen
};

// "libxrandr-dev:amd64" -> "libxrandr-dev"; "perl:any" -> "perl".
std::string plainPackageName(std::string_view name);

}  // namespace signpost::test::audit
