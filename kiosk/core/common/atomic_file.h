// Signpost — whole-file writes that are all-or-nothing.
//
// writeFileAtomically() writes to a temporary file in the same directory, fsyncs it, renames it
// over the target and fsyncs the directory, so after a crash or power loss the file holds either
// the old contents or the new ones, never a mix. Used for config saves, state files, key files
// and coordinator output.
// Thread-safety: safe to call concurrently for different paths.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace signpost {

class FileError : public std::runtime_error {
public:
    FileError(const std::filesystem::path& path, const std::string& what, int errnoValue);
    const std::filesystem::path& path() const noexcept { return m_path; }
    int errnoValue() const noexcept { return m_errno; }  // 0 when not from a system call

private:
    std::filesystem::path m_path;
    int m_errno;
};

// Writes `contents` to `path` atomically with permission bits `mode` (default 0644; use 0600 for
// secrets). Creates no missing directories. Throws FileError (target left untouched) on failure.
void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         unsigned mode = 0644);

// Reads a whole file. Throws FileError if it cannot be opened or read.
std::string readFile(const std::filesystem::path& path);

// fsyncs a directory so a rename or create inside it is durable. Throws FileError.
void syncDirectory(const std::filesystem::path& directory);

}  // namespace signpost
