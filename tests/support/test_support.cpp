#include "support/test_support.h"

#include <unistd.h>

#include <atomic>
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

std::filesystem::path sourceDir() { return SIGNPOST_SOURCE_DIR; }
std::filesystem::path assetsDir() { return sourceDir() / "assets"; }
std::filesystem::path binaryDir() { return SIGNPOST_BINARY_DIR; }

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

}  // namespace signpost::test
