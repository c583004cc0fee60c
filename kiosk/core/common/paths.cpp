#include "core/common/paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "core/common/atomic_file.h"

#ifndef SIGNPOST_SOURCE_DIR
#define SIGNPOST_SOURCE_DIR "."
#endif

namespace signpost {

std::filesystem::path executablePath() {
    std::error_code error;
    auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path() : path;
}

bool runningInstalled() {
    const std::string exe = executablePath().string();
    return exe.rfind("/usr/bin/", 0) == 0 || exe.rfind("/usr/sbin/", 0) == 0;
}

std::filesystem::path defaultDataDir() {
    if (runningInstalled()) {
        return "/var/lib/signpost";
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/') {
        return std::filesystem::path(xdg) / "signpost";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::filesystem::path(home) / ".local/share/signpost";
    }
    return std::filesystem::current_path() / "signpost-data";
}

std::filesystem::path defaultAssetsDir() {
    if (runningInstalled()) {
        return "/usr/share/signpost";
    }
    return std::filesystem::path(SIGNPOST_SOURCE_DIR) / "assets";
}

std::filesystem::path defaultKioskConfigFile() {
    if (runningInstalled()) {
        return "/etc/signpost/kiosk.toml";
    }
    return std::filesystem::path(SIGNPOST_SOURCE_DIR) / "config/kiosk.toml";
}

void ensurePrivateDirectory(const std::filesystem::path& dir) {
    std::error_code error;
    if (std::filesystem::is_directory(dir, error)) {
        return;
    }
    std::filesystem::create_directories(dir, error);
    if (error) {
        throw FileError(dir, "cannot create directory", error.value());
    }
    if (::chmod(dir.c_str(), 0700) != 0) {
        throw FileError(dir, "cannot set directory permissions", errno);
    }
}

}  // namespace signpost
