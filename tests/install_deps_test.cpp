// installer/install-deps.sh is complete: every header the compiler read, every library the
// binaries link and every program the scripts and tests run comes from a Debian package that the
// script names, or that one of those depends on, or that every Debian system has (the essential
// set and apt, what `mmdebstrap --variant=minbase` makes).
//
// Why: a developer's machine has packages a fresh one does not. glfw3native.h includes
// X11/extensions/Xrandr.h, which libxrandr-dev ships and nothing the script named pulled in; the
// build passed here and the README's first command failed on a fresh Debian 12 (issue 7). This
// test fails naming the file, its package and the fix. installer/fresh-check.sh proves the same
// end to end in a real fresh root (too slow for every CI run).
//
// Programs the tests start are found by their literal in findInPath("name") or
// `program = "name"` (support/package_audit.h): start external programs that way.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "support/package_audit.h"
#include "support/process.h"
#include "support/test_support.h"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace audit = signpost::test::audit;
using signpost::test::TempDir;

namespace {

// The PATH of a fresh root shell: commands found only in /usr/local or a user's PATH do not count.
constexpr const char* kSystemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string run(const std::string& program, const std::vector<std::string>& args,
                bool mayFail = false) {
    TempDir dir("install-deps");
    signpost::test::ProcessOptions options;
    options.program = program;
    options.args = args;
    options.env = {{"PATH", kSystemPath}, {"LC_ALL", "C"}};
    options.stdoutFile = dir / "out";
    options.stderrFile = dir / "err";
    const signpost::test::ExitStatus status = signpost::test::runProcess(options, 300s);
    if (!mayFail && !status.exitedWith(0)) {
        FAIL(program << " failed (" << status.describe()
                     << "): " << signpost::test::readText(dir / "err"));
    }
    return signpost::test::readText(dir / "out");
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) {
        if (!line.empty())
            result.push_back(line);
    }
    return result;
}

std::string readFile(const fs::path& path) {
    return signpost::test::readText(path);
}

bool isElfExecutable(const fs::path& path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::is_regular_file(status))
        return false;
    if ((status.permissions() & fs::perms::owner_exec) == fs::perms::none)
        return false;
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

// Build-tree folders that hold throwaway roots or copies, not the build's own outputs.
bool skippedBuildFolder(const fs::path& path) {
    const std::string name = path.filename().string();
    return name == "test-tmp" || name == "packaging-test" || name == "_CPack_Packages" ||
           name == "demo" || name == "fresh-root";
}

// Source-tree scripts that run on the installed kiosk or server, not on the build machine: what
// they use must be in the packages' Depends, which the package install test checks in a fresh
// root (installer/packaging/tests/check_install.sh).
bool runsOnTargetMachine(const fs::path& relative) {
    const std::string path = relative.generic_string();
    return path.starts_with("installer/packaging/kiosk/") ||
           path.starts_with("installer/packaging/server/") ||
           path.starts_with("installer/packaging/tools/") ||
           path.starts_with("installer/kiosk-session/") || path == "installer/setup-kiosk.sh" ||
           path == "installer/setup-server.sh";
}

bool isShellScript(const fs::path& path) {
    if (path.extension() == ".sh")
        return true;
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    return first.starts_with("#!") && (first.find("sh") != std::string::npos);
}

// What the build and the repository use, each with where it was seen (for the message).
struct Uses {
    std::map<std::string, std::string> files;     // absolute path -> "read when compiling x.cpp"
    std::map<std::string, std::string> commands;  // command name -> "run by installer/test.sh"
};

void collectBuildUses(const fs::path& build, const fs::path& source, Uses& uses) {
    std::vector<fs::path> binaries;
    for (auto it =
             fs::recursive_directory_iterator(build, fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_directory()) {
            if (skippedBuildFolder(it->path()))
                it.disable_recursion_pending();
            continue;
        }
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        if (name.ends_with(".d")) {
            // The compiler ran in the target's CMake directory (<dir>/CMakeFiles/<t>.dir/x.o.d);
            // paths in the file may be relative to it (ccache's base_dir makes them so).
            const std::string depfile = path.string();
            const fs::path workingDir = depfile.substr(0, depfile.rfind("/CMakeFiles/"));
            std::vector<std::string> paths;
            for (const std::string& p : audit::depfilePaths(readFile(path))) {
                paths.push_back(p.starts_with("/") ? p
                                                   : (workingDir / p).lexically_normal().string());
            }
            std::string compiled = "a build step";
            for (const std::string& p : paths) {
                if (p.starts_with(source.string() + "/")) {
                    compiled = fs::path(p).lexically_relative(source).generic_string();
                    break;
                }
            }
            for (const std::string& p : paths) {
                if (p.starts_with(source.string() + "/") || p.starts_with(build.string() + "/")) {
                    continue;
                }
                uses.files.emplace(p, "read when compiling " + compiled);
            }
        } else if (name == "link.txt") {
            const std::string target = path.parent_path().filename().string();
            for (const std::string& input : audit::linkInputs(readFile(path))) {
                if (input.starts_with(build.string() + "/"))
                    continue;
                uses.files.emplace(input, "linked into " + target);
            }
        } else if (path.extension().empty() && isElfExecutable(path)) {
            binaries.push_back(path);
        }
    }
    REQUIRE_FALSE(binaries.empty());
    for (const fs::path& binary : binaries) {
        for (const std::string& line : lines(run("ldd", {binary.string()}, true))) {
            // "\tlibX.so.6 => /lib/x86_64-linux-gnu/libX.so.6 (0x...)" or "\t/lib64/ld-linux...
            // (0x...)"
            const std::size_t arrow = line.find("=> ");
            std::string library = arrow == std::string::npos ? line : line.substr(arrow + 3);
            library.erase(0, library.find_first_not_of(" \t"));
            library = library.substr(0, library.find(' '));
            if (library.starts_with("/")) {
                uses.files.emplace(library, "loaded by " + binary.filename().string());
            }
        }
    }
}

void collectSourceUses(const fs::path& source, Uses& uses) {
    auto note = [&](const std::string& command, const fs::path& file) {
        uses.commands.emplace(command,
                              "run by " + file.lexically_relative(source).generic_string());
    };
    for (auto it = fs::recursive_directory_iterator(source,
                                                    fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
        const fs::path relative = it->path().lexically_relative(source);
        const std::string top = relative.begin()->string();
        if (it->is_directory()) {
            if (it.depth() == 0 && (top == ".git" || top.starts_with("build"))) {
                it.disable_recursion_pending();
            }
            continue;
        }
        if (!it->is_regular_file())
            continue;
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        if (name == "CMakeLists.txt" || path.extension() == ".cmake") {
            for (const std::string& command : audit::cmakeCommands(readFile(path)))
                note(command, path);
        } else if ((top == "tests" || top == "bench") &&
                   (path.extension() == ".cpp" || path.extension() == ".h")) {
            for (const std::string& command : audit::cppProgramNames(readFile(path)))
                note(command, path);
        } else if (!runsOnTargetMachine(relative) && isShellScript(path)) {
            for (const std::string& command : audit::shellCommands(readFile(path)))
                note(command, path);
        }
    }
}

// The installed file behind a command name; "" when no such program is installed.
std::string resolveCommand(const std::string& command) {
    if (command.starts_with("/"))
        return fs::exists(command) ? command : "";
    std::istringstream path(kSystemPath);
    for (std::string dir; std::getline(path, dir, ':');) {
        const fs::path candidate = fs::path(dir) / command;
        std::error_code error;
        if (fs::is_regular_file(candidate, error) && (fs::status(candidate, error).permissions() &
                                                      fs::perms::owner_exec) != fs::perms::none) {
            return candidate.string();
        }
    }
    return "";
}

// Each path as dpkg may have recorded it: as given, canonical (symlinks and alternatives
// followed), and across the /usr merge (/lib/x <-> /usr/lib/x).
std::vector<std::string> spellings(const std::string& path) {
    std::vector<std::string> result{path};
    std::error_code error;
    const std::string canonical = fs::weakly_canonical(path, error).string();
    if (!error && canonical != path)
        result.push_back(canonical);
    for (const std::string& p : std::vector<std::string>(result)) {
        if (p.starts_with("/usr/")) {
            result.push_back(p.substr(4));
        } else {
            result.push_back("/usr" + p);
        }
    }
    return result;
}

// path -> owning packages, from `dpkg-query -S`. Paths no package owns are absent.
std::map<std::string, std::vector<std::string>> owners(const std::set<std::string>& paths) {
    std::map<std::string, std::vector<std::string>> found;
    std::map<std::string, std::set<std::string>> asked;  // spelling -> the paths it stands for
    for (const std::string& path : paths) {
        for (const std::string& spelling : spellings(path))
            asked[spelling].insert(path);
    }
    std::vector<std::string> args{"-S"};
    constexpr std::size_t kBatch = 400;
    std::vector<std::string> batch;
    auto flush = [&] {
        if (batch.empty())
            return;
        args.resize(1);
        args.insert(args.end(), batch.begin(), batch.end());
        batch.clear();
        // Exit status 1 when some path has no owner: expected, those are reported below.
        for (const std::string& line : lines(run("dpkg-query", args, true))) {
            if (line.starts_with("diversion by"))
                continue;
            const std::size_t separator = line.find(": /");
            if (separator == std::string::npos)
                continue;
            const std::string file = line.substr(separator + 2);
            const auto asker = asked.find(file);
            if (asker == asked.end())
                continue;
            std::istringstream packages(line.substr(0, separator));
            for (std::string package; std::getline(packages, package, ',');) {
                package.erase(0, package.find_first_not_of(' '));
                for (const std::string& path : asker->second) {
                    found[path].push_back(audit::plainPackageName(package));
                }
            }
        }
    };
    for (const auto& [spelling, standsFor] : asked) {
        batch.push_back(spelling);
        if (batch.size() == kBatch)
            flush();
    }
    flush();
    return found;
}

}  // namespace

TEST_CASE("install-deps.sh names every package the build, the tests and the scripts use",
          "[install-deps]") {
    const fs::path source = signpost::test::sourceDir();
    const fs::path build = signpost::test::binaryDir();
    INFO("Signpost builds on Debian 12 only: this needs the dpkg database and apt-cache");
    REQUIRE(fs::exists("/var/lib/dpkg/status"));
    REQUIRE_FALSE(resolveCommand("apt-cache").empty());

    const std::vector<std::string> listed =
        lines(run((source / "installer/install-deps.sh").string(), {"--list"}));
    REQUIRE(listed.size() > 10);
    std::vector<std::string> roots = listed;
    roots.push_back("apt");
    for (const std::string& line :
         lines(run("dpkg-query", {"-W", "-f=${Package}\t${Essential}\n"}))) {
        if (line.ends_with("\tyes"))
            roots.push_back(line.substr(0, line.find('\t')));
    }
    std::vector<std::string> dependsArgs{"depends",       "--recurse",      "--no-recommends",
                                         "--no-suggests", "--no-conflicts", "--no-breaks",
                                         "--no-replaces", "--no-enhances"};
    dependsArgs.insert(dependsArgs.end(), roots.begin(), roots.end());
    const audit::PackageGraph graph = audit::PackageGraph::parse(run("apt-cache", dependsArgs));
    for (const std::string& package : listed) {
        INFO("installer/install-deps.sh names " << package << ", which apt does not know");
        CHECK(graph.knows(package));
    }
    const std::set<std::string> closure = graph.closure(roots);

    Uses uses;
    collectBuildUses(build, source, uses);
    collectSourceUses(source, uses);
    REQUIRE(uses.files.size() > 100);  // a build that compiled nothing proves nothing

    std::map<std::string, std::string> used = uses.files;  // installed path -> why
    std::size_t commandsChecked = 0;
    for (const auto& [command, why] : uses.commands) {
        if (audit::isShellBuiltin(command))
            continue;
        const std::string path = resolveCommand(command);
        if (path.empty())
            continue;  // a word the scanners took for a command, or a function
        used.emplace(path, why + " (command " + command + ")");
        ++commandsChecked;
    }
    std::set<std::string> paths;
    for (const auto& [path, why] : used)
        paths.insert(path);
    const auto owned = owners(paths);

    // SIGNPOST_AUDIT_LIST=1: print every use with its package (to see what the audit covers).
    if (std::getenv("SIGNPOST_AUDIT_LIST") != nullptr) {
        for (const auto& [path, why] : used) {
            const auto found = owned.find(path);
            std::cout << (found == owned.end() ? std::string("?") : found->second.front()) << "\t"
                      << path << "\t" << why << "\n";
        }
    }

    std::map<std::string, std::vector<std::string>> missing;  // package -> uses
    std::vector<std::string> unowned;
    for (const auto& [path, why] : used) {
        const auto found = owned.find(path);
        if (found == owned.end()) {
            unowned.push_back(path + " (" + why + ")");
            continue;
        }
        const bool covered = std::any_of(found->second.begin(), found->second.end(),
                                         [&](const std::string& p) { return closure.count(p); });
        if (!covered)
            missing[found->second.front()].push_back(path + " (" + why + ")");
    }

    std::ostringstream report;
    for (const auto& [package, files] : missing) {
        report << "\n"
               << package << " is not named in installer/install-deps.sh and no package "
               << "it names depends on it, yet:\n";
        for (std::size_t i = 0; i < files.size() && i < 5; ++i)
            report << "  " << files[i] << "\n";
        if (files.size() > 5)
            report << "  … and " << files.size() - 5 << " more\n";
        report << "  fix: add " << package << " to installer/install-deps.sh\n";
    }
    for (const std::string& file : unowned) {
        report << "\n"
               << file << " belongs to no Debian package: a fresh machine will not have it\n";
    }
    INFO("checked " << uses.files.size() << " files and " << commandsChecked << " commands against "
                    << closure.size() << " packages (" << listed.size()
                    << " named, their dependencies, the essential set and apt)");
    INFO(report.str());
    CHECK(missing.empty());
    CHECK(unowned.empty());
}

TEST_CASE("install-deps audit: shell scripts yield the programs they run", "[install-deps]") {
    using audit::shellCommands;
    using V = std::vector<std::string>;
    CHECK(shellCommands("set -e\ncmake --preset ci && ctest -R x | tee log\n") ==
          V{"cmake", "ctest", "tee"});
    CHECK(shellCommands("x=$(sqlite3 db 'select 1')\necho \"$(basename \"$1\")\"") ==
          V{"basename", "sqlite3"});
    CHECK(shellCommands("FOO=1 BAR=2 openssl req -x509 >/dev/null 2>&1 </dev/null") ==
          V{"openssl"});
    CHECK(shellCommands("exec env A=1 -u B Xvfb :1 &\ntimeout -s KILL 10 xauth list") ==
          V{"Xvfb", "env", "timeout", "xauth"});
    CHECK(shellCommands("if ! command -v lintian >/dev/null; then :; fi") == V{"lintian"});
    CHECK(shellCommands("inroot() { chroot \"$root\" \"$@\"; }\ninroot dpkg -i x.deb\n") ==
          V{"chroot"});
    CHECK(shellCommands("cat <<'EOF'\nrm -rf /\nEOF\nsort x\n") == V{"cat", "sort"});
    CHECK(shellCommands("packages=(\n  cmake # Build\n  xvfb\n)\ngrep -q x y") == V{"grep"});
    CHECK(shellCommands("# grep in a comment\nsh -c 'systemd-analyze verify u'\n") ==
          V{"sh", "systemd-analyze"});
    CHECK(shellCommands("\"$kiosk\" --windowed\n${tool} pull\n./local.sh\n/bin/true\n") ==
          V{"/bin/true"});
    CHECK(shellCommands("runuser -u signpost -- sqlite3 db\nnice -n 19 xz -9 f\n") ==
          V{"nice", "runuser", "sqlite3", "xz"});
    CHECK(shellCommands("case \"$1\" in\n  --list) x ;;\nesac\nwhile read -r l; do gzip l; done") ==
          V{"gzip", "x"});
    CHECK(shellCommands("diff <(sort a) b\nmount --rbind /dev \"$root/dev\"\n") ==
          V{"diff", "mount", "sort"});
    CHECK(shellCommands("port=$(( $(od -An -N2 /dev/urandom) % 100 ))") == V{"od"});
}

TEST_CASE("install-deps audit: build files yield the paths they name", "[install-deps]") {
    CHECK(audit::depfilePaths(
              "a.o: ../../src/a.cpp /usr/include/stdio.h \\\n /usr/include/my\\ dir/x.h "
              "/usr/include/stdio.h\n") == std::vector<std::string>{"../../src/a.cpp",
                                                                    "/usr/include/stdio.h",
                                                                    "/usr/include/my dir/x.h"});
    CHECK(audit::linkInputs("/usr/bin/c++ -O2 x.o -o prog  /usr/lib/libimgui.a -ldl "
                            "/usr/lib/x86_64-linux-gnu/libX11.so libcore.a /lib/libz.so.1") ==
          std::vector<std::string>{"/lib/libz.so.1", "/usr/lib/libimgui.a",
                                   "/usr/lib/x86_64-linux-gnu/libX11.so"});
    CHECK(audit::cppProgramNames("auto x = findInPath(\"Xvfb\");\noptions.program = \"openssl\";\n"
                                 "options.program = test::builtProgram(\"signpost\");") ==
          std::vector<std::string>{"Xvfb", "openssl"});
    CHECK(audit::cmakeCommands("add_test(NAME x COMMAND ${t}/a.sh)\nexecute_process(COMMAND gzip "
                               "-9nc f)\nfind_program(LINTIAN NAMES lintian lintian2 DOC x)\n"
                               "find_program(SHLIB dpkg-shlibdeps)") ==
          std::vector<std::string>{"dpkg-shlibdeps", "gzip", "lintian", "lintian2"});
}

TEST_CASE("install-deps audit: the closure follows what apt would install", "[install-deps]") {
    const auto graph = audit::PackageGraph::parse(
        "app\n"
        "  Depends: libfoo\n"
        " |Depends: first-choice\n"
        "  Depends: second-choice\n"
        "  PreDepends: <awk>\n"
        "    mawk\n"
        " |Depends: <gone>\n"
        "  Depends: fallback\n"
        "  Depends: perl:any\n"
        "libfoo\n"
        "  Depends: libc6\n"
        "first-choice\n"
        "second-choice\n"
        "  Depends: never\n"
        "mawk\n"
        "fallback\n"
        "perl\n"
        "libc6\n"
        "<awk>\n"
        "<gone>\n");
    CHECK(graph.closure({"app"}) == std::set<std::string>{"app", "libfoo", "libc6", "first-choice",
                                                          "mawk", "fallback", "perl"});
    CHECK(graph.knows("perl"));
    CHECK_FALSE(graph.knows("never-heard-of-it"));
}
