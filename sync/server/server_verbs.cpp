// Signpost server — the command line's two verb tables (which verbs exist, their options, how
// many words each takes, in the order the command tree lists them) and the helpers every verb
// shares: loading the configuration, opening the store as the data directory's owner.
#include "sync/server/server_verbs.h"

#include <array>
#include <filesystem>
#include <ostream>

#include "core/common/paths.h"
#include "sync/server/run_as_owner.h"

namespace signpost::server {

namespace {

// One row per verb. A new verb: its file (<verb>_verb.cpp) and a row here.
const std::array<Verb, 3> kVerbs = {{
    {"serve", kServeUsage, {}, 0, runServe},
    {"backup", kBackupUsage, {{"--to", true}}, 0, runBackup},
    {"restore", kRestoreUsage, {{"--from", true}}, 0, runRestore},
}};

const std::array<AdminVerb, 6> kAdminVerbs = {{
    {"enrollment-code",
     kEnrollmentCodeUsage,
     {{"--venue", true}, {"--expires", true}},
     0,
     runEnrollmentCode},
    // create | revoke NAME | list
    {"coordinator-token", kCoordinatorTokenUsage, {{"--name", true}}, 2, runCoordinatorToken},
    // list [--json] | revoke ID
    {"devices", kDevicesUsage, {{"--json", false}}, 2, runDevices},
    // set|clear|show|set-pin ID [KEY[=VALUE]...]
    {"device", kDeviceUsage, {}, cli::kAnyNumber, runDevice},
    // FILE | --from-url URL [--name NAME] [--needs-mapping FILE]
    {"import-directory",
     kImportDirectoryUsage,
     {{"--from-url", true}, {"--name", true}, {"--needs-mapping", true}},
     1,
     runImportDirectory},
    // status
    {"directory", kDirectoryUsage, {}, 1, runDirectory},
}};

}  // namespace

std::span<const Verb> verbs() {
    return kVerbs;
}

std::span<const AdminVerb> adminVerbs() {
    return kAdminVerbs;
}

ServerConfig loadConfig(const std::optional<std::string>& file, std::ostream& err) {
    ServerConfig config;
    if (file) {
        config = loadServerConfig(*file);
    } else {
        const auto fallback = defaultServerConfigFile();
        std::error_code ignored;
        if (std::filesystem::exists(fallback, ignored)) {
            config = loadServerConfig(fallback);
        }
    }
    for (const ServerConfigWarning& w : config.warnings) {
        err << config.sourceFile.string() << ":" << w.line << ": " << w.key << ": " << w.message
            << "\n";
    }
    return config;
}

void actAsDataOwnerOf(const ServerConfig& config) {
    actAsDataOwner(config.databasePath().parent_path());
}

std::unique_ptr<SqliteServerStore> openStore(const ServerConfig& config) {
    actAsDataOwnerOf(config);
    const auto path = config.databasePath();
    ensurePrivateDirectory(path.parent_path());
    return std::make_unique<SqliteServerStore>(path);
}

std::optional<DeviceRecord> findDeviceOrSay(ServerStore& store, const std::string& id,
                                            std::ostream& err) {
    auto device = store.findDevice(id);
    if (!device) {
        err << "signpost-server: no device has the id \"" << id << "\" (see: admin devices list)\n";
    }
    return device;
}

SystemTime now() {
    return std::chrono::system_clock::now();
}

}  // namespace signpost::server
