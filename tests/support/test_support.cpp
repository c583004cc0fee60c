#include "support/test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace signpost::test {

TempDir::TempDir(const std::string& label, const std::filesystem::path& base) {
    static std::atomic<int> counter{0};
    std::filesystem::path root =
        base.empty() ? std::filesystem::path(SIGNPOST_BINARY_DIR) / "test-tmp" : base;
    std::filesystem::create_directories(root);
    m_path = root / (label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ignored;
    // Tests may have made files read-only; make them writable again so cleanup succeeds.
    for (auto it = std::filesystem::recursive_directory_iterator(m_path, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ignored);
    }
    std::filesystem::remove_all(m_path, ignored);
}

std::filesystem::path sourceDir() {
    return SIGNPOST_SOURCE_DIR;
}
std::filesystem::path assetsDir() {
    return sourceDir() / "assets";
}
std::filesystem::path binaryDir() {
    return SIGNPOST_BINARY_DIR;
}

std::filesystem::path builtProgram(const std::string& name) {
    for (const char* sub : {"sync", "kiosk/app", "bench", "tests", "."}) {
        std::filesystem::path candidate = binaryDir() / sub / name;
        if (std::filesystem::exists(candidate)) {
            return candidate;
        }
    }
    throw std::runtime_error("program not built: " + name);
}

void writeText(const std::filesystem::path& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
    out << contents;
}

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

ScopedEnv::ScopedEnv(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
        m_old = old;
        m_had = true;
    }
    if (value != nullptr) {
        ::setenv(name, value, 1);
    } else {
        ::unsetenv(name);
    }
}

ScopedEnv::~ScopedEnv() {
    if (m_had) {
        ::setenv(m_name.c_str(), m_old.c_str(), 1);
    } else {
        ::unsetenv(m_name.c_str());
    }
}

unsigned fileMode(const std::filesystem::path& path) {
    return static_cast<unsigned>(std::filesystem::status(path).permissions() &
                                 std::filesystem::perms::mask);
}

void writePrivateText(const std::filesystem::path& path, const std::string& contents) {
    writeText(path, contents);
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace);
}

ProgramRun runBuiltProgram(const std::string& name, std::vector<std::string> args,
                           const std::filesystem::path& logDir, ProcessOptions options,
                           std::chrono::milliseconds timeout) {
    static std::atomic<int> runs{0};
    const std::string stem = name + "-" + std::to_string(runs++);
    options.program = builtProgram(name);
    options.args = std::move(args);
    options.stdoutFile = logDir / (stem + ".out");
    options.stderrFile = logDir / (stem + ".err");
    ProgramRun run;
    run.status = runProcess(options, timeout);
    run.out = readText(options.stdoutFile);
    run.err = readText(options.stderrFile);
    return run;
}

}  // namespace signpost::test
