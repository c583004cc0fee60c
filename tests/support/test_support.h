// Signpost test helpers shared by every test executable.
#pragma once

#include <filesystem>
#include <string>

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

std::filesystem::path sourceDir();                    // the repository root
std::filesystem::path assetsDir();                    // <repo>/assets
std::filesystem::path binaryDir();                    // the CMake build tree
std::filesystem::path builtProgram(const std::string& name);  // an executable the build made
// Writes `contents` to `path` (plain, non-atomic; test setup only).
void writeText(const std::filesystem::path& path, const std::string& contents);
std::string readText(const std::filesystem::path& path);

}  // namespace signpost::test
