// Signpost — where things live: data dir, assets dir, config file.
//
// Installed (the executable is in /usr/bin): data in /var/lib/signpost, assets in
// /usr/share/signpost, config in /etc/signpost. Run from a build tree: data in
// $XDG_DATA_HOME/signpost (default ~/.local/share/signpost), assets and config from the source
// tree the build was configured from.
// Thread-safety: pure functions (they read the environment).
#pragma once

#include <filesystem>

namespace signpost {

std::filesystem::path executablePath();
bool runningInstalled();  // true when the executable lives under /usr
std::filesystem::path defaultDataDir();
std::filesystem::path defaultAssetsDir();
std::filesystem::path defaultKioskConfigFile();
// Creates `dir` (and parents) with mode 0700 if missing; throws FileError.
void ensurePrivateDirectory(const std::filesystem::path& dir);

}  // namespace signpost
