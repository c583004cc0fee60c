// Loading and saving kiosk.toml. The keys themselves are in kiosk_config_keys.cpp; the example
// file and README reference in kiosk_config_docs.cpp; remote settings in kiosk_config_remote.cpp.
#include "core/config/kiosk_config.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "core/common/atomic_file.h"
#include "core/config/kiosk_config_keys.h"

namespace signpost {

namespace {

using Key = ConfigKey<KioskConfig>;

// Rules that involve two keys, run after every key was read.
void checkAcrossKeys(const TomlDocument& document, const KioskConfig& config,
                     const std::string& fileName) {
    const auto& languages = config.languages;
    if (std::find(languages.begin(), languages.end(), config.defaultLanguage) == languages.end()) {
        const TomlEntry* entry = document.find("kiosk", "default_language");
        if (entry == nullptr) {
            entry = document.find("kiosk", "languages");
        }
        std::string list;
        for (const std::string& code : languages) {
            list += (list.empty() ? "" : ", ") + formatTomlValue(code);
        }
        throw ConfigError(fileName, entry ? entry->line : 0, "kiosk.default_language",
                          "expected one of the languages in kiosk.languages (" + list + "), got " +
                              formatTomlValue(config.defaultLanguage));
    }
}

void saveKeys(const std::filesystem::path& file, const KioskConfig& staged,
              const std::function<bool(const Key&)>& selects) {
    const std::string fileName = file.string();
    // 1. The new values on their own, before anything is read or written.
    KioskConfig checked;
    std::vector<std::pair<const Key*, TomlValue>> changes;
    for (const Key& spec : kiosk_keys::table().keys) {
        if (!selects(spec)) {
            continue;
        }
        if (auto problem = spec.read(checked, spec.write(staged), nullptr)) {
            throw ConfigError(fileName, 0, spec.name(), *problem);
        }
        changes.emplace_back(&spec, spec.write(checked));  // normalised ("en" added)
    }

    // 2. Edit the file's own text, so comments and other keys stay byte for byte.
    std::error_code ignored;
    std::filesystem::path target = std::filesystem::canonical(file, ignored);
    if (target.empty()) {
        target = file;
    }
    const std::string original = readFile(target);
    TomlDocument document = TomlDocument::parse(original, fileName);
    const KioskConfig defaults;
    for (const auto& [spec, value] : changes) {
        const TomlEntry* entry = document.find(spec->table, spec->key);
        const bool unchanged = entry ? entry->value == value : value == spec->write(defaults);
        if (!unchanged) {
            document.set(spec->table, spec->key, value);
        }
    }
    const std::string updated = document.toString();
    if (updated == original) {
        return;
    }

    // 3. The whole result must still start the kiosk (e.g. default_language still offered).
    (void)parseKioskConfig(updated, fileName);

    // The file keeps its mode, minus any access for other users: it holds the staff PIN's hash,
    // and an Argon2id hash of a 4-8 digit PIN can be brute-forced offline by whoever reads it.
    struct stat status {};
    unsigned mode = 0640;
    if (::stat(target.c_str(), &status) == 0) {
        mode = static_cast<unsigned>(status.st_mode) & 0770u;
    }
    writeFileAtomically(target, updated, mode);
}

}  // namespace

const char* toString(TextSize size) {
    switch (size) {
        case TextSize::Normal:
            return "normal";
        case TextSize::Large:
            return "large";
        case TextSize::Largest:
            return "largest";
    }
    return "";
}

std::optional<TextSize> parseTextSize(std::string_view text) {
    for (TextSize size : {TextSize::Normal, TextSize::Large, TextSize::Largest}) {
        if (text == toString(size)) {
            return size;
        }
    }
    return std::nullopt;
}

KioskConfig parseKioskConfig(std::string_view text, const std::string& fileName) {
    const TomlDocument document = TomlDocument::parse(text, fileName);
    KioskConfig config;
    readConfigKeys(kiosk_keys::table(), document, config, config.warnings);
    checkAcrossKeys(document, config, fileName);
    return config;
}

KioskConfig loadKioskConfig(const std::filesystem::path& file) {
    std::error_code ignored;
    if (std::filesystem::is_directory(file, ignored)) {
        throw ConfigError(file.string(), 0, "", "this is a directory, not a config file");
    }
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& error) {
        std::string reason = "cannot read the config file";
        if (error.errnoValue() == ENOENT) {
            reason = "config file not found; copy config/kiosk.toml there or pass --config";
        } else if (error.errnoValue() != 0) {
            reason += std::string(" (") + std::strerror(error.errnoValue()) + ")";
        }
        throw ConfigError(file.string(), 0, "", reason);
    }
    KioskConfig config = parseKioskConfig(text, file.string());
    config.sourceFile = file;
    return config;
}

KioskSettings settingsOf(const KioskConfig& config) {
    KioskSettings settings;
    settings.venueName = config.venueName;
    settings.neighbourhood = config.neighbourhood;
    settings.idleTimeoutSeconds = config.idleTimeoutSeconds;
    settings.textSize = config.textSize;
    settings.highContrast = config.highContrast;
    settings.languages = config.languages;
    return settings;
}

void applySettings(KioskConfig& config, const KioskSettings& settings) {
    config.venueName = settings.venueName;
    config.neighbourhood = settings.neighbourhood;
    config.idleTimeoutSeconds = settings.idleTimeoutSeconds;
    config.textSize = settings.textSize;
    config.highContrast = settings.highContrast;
    config.languages = settings.languages;
}

void saveKioskSettings(const std::filesystem::path& file, const KioskSettings& settings,
                       const std::vector<std::string>& leaveAlone) {
    KioskConfig staged;
    applySettings(staged, settings);
    saveKeys(file, staged, [&leaveAlone](const Key& spec) {
        return (spec.flags & kiosk_keys::Staff) != 0 &&
               std::find(leaveAlone.begin(), leaveAlone.end(), spec.name()) == leaveAlone.end();
    });
}

void savePinHash(const std::filesystem::path& file, const std::string& pinHash) {
    KioskConfig staged;
    staged.pinHash = pinHash;
    saveKeys(file, staged, [](const Key& spec) { return spec.name() == "staff.pin_hash"; });
}

bool KioskConfig::isRemote(std::string_view key) const {
    return std::find(remoteKeys.begin(), remoteKeys.end(), key) != remoteKeys.end();
}

}  // namespace signpost
