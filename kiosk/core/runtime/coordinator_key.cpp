#include "core/runtime/coordinator_key.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/text_util.h"
#include "core/config/toml.h"
#include "core/runtime/kiosk_runtime.h"

namespace signpost {

namespace {

constexpr const char* kKeyName = "referral.coordinator_public_key";

}  // namespace

CoordinatorPublicKey readCoordinatorKeyFile(const std::filesystem::path& file) {
    const auto refuse = [&](const std::string& problem) {
        return ConfigError(file.string(), 0, kKeyName, problem);
    };
    struct stat info {};
    if (::lstat(file.c_str(), &info) != 0) {
        throw refuse(std::string("the coordinators' key file cannot be read (") +
                     std::strerror(errno) + "); the installer writes it (installer/README.md)");
    }
    if (!S_ISREG(info.st_mode)) {
        throw refuse("the coordinators' key file is not a regular file");
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        throw refuse(
            "the coordinators' key file may be changed by users other than its owner; "
            "make it mode 0644, owned by root");
    }
    const uid_t self = ::geteuid();
    if (info.st_uid != 0 && (self == 0 || info.st_uid == self)) {
        throw refuse(
            "the coordinators' key file must be owned by root, so the kiosk cannot change it");
    }
    std::string text;
    try {
        text = std::string(trim(readFile(file), " \t\r\n"));
    } catch (const FileError& error) {
        throw refuse(error.what());
    }
    try {
        return CoordinatorPublicKey::fromBase64(text);
    } catch (const CryptoError& error) {
        throw refuse(std::string("not a coordinators' key: ") + error.what());
    }
}

CoordinatorPublicKey resolveCoordinatorKey(const KioskConfig& config,
                                           const std::filesystem::path& keyFile,
                                           std::vector<StaffNote>& notes) {
    if (!keyFile.empty()) {
        const CoordinatorPublicKey key = readCoordinatorKeyFile(keyFile);
        if (!config.coordinatorPublicKey.empty() && config.coordinatorPublicKey != key.toBase64()) {
            const std::string detail = config.sourceFile.filename().string() + ": " + kKeyName +
                                       ": ignored: the coordinators' key comes from " +
                                       keyFile.string();
            logWarning("config", detail);
            notes.emplace_back("note.config_warning", detail);
        }
        return key;
    }
    if (config.coordinatorPublicKey.empty()) {
        throw ConfigError(config.sourceFile.string(), 0, kKeyName,
                          "no coordinators' key: paste the key printed by `signpost keygen` here "
                          "(an installed kiosk reads it from " +
                              std::string(kInstalledCoordinatorKeyFile) + ")");
    }
    try {
        return CoordinatorPublicKey::fromBase64(config.coordinatorPublicKey);
    } catch (const CryptoError& error) {
        throw ConfigError(config.sourceFile.string(), 0, kKeyName, error.what());
    }
}

}  // namespace signpost
