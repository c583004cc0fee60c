#include "core/runtime/kiosk_runtime.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include <string>
#include <utility>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/paths.h"
#include "core/i18n/language_tag.h"
#include "core/operations/remote_settings.h"
#include "core/runtime/coordinator_key.h"

namespace signpost {

std::vector<NeedWords> needWordsForSearch(const I18n& loaded,
                                          const std::filesystem::path& i18nDirectory,
                                          const DirectoryStore& directory) {
    try {
        std::vector<std::string> needs;
        for (const TaxonomyTerm& term : directory.needs()) {
            needs.push_back(term.code);
        }
        std::vector<NeedWords> words = loaded.needWords(needs);
        const auto isLoaded = [&loaded](const std::string& code) {
            return std::any_of(
                loaded.languages().begin(), loaded.languages().end(),
                [&code](const LanguageInfo& language) { return language.code == code; });
        };
        std::vector<std::string> missing;
        std::error_code unreadable;  // no folder: nothing more to read; the loaded texts stand
        for (const auto& entry : std::filesystem::directory_iterator(i18nDirectory, unreadable)) {
            // I18n::load() parses and checks each file; its name is enough to ask for it.
            const std::string code = entry.path().stem().string();
            if (entry.path().extension() == ".json" && canonicalLanguageTag(code) == code &&
                !isLoaded(code)) {
                missing.push_back(code);
            }
        }
        // en.json is in `loaded` already: only the other languages' words are added.
        const auto addWordsOf = [&](const std::vector<std::string>& codes) {
            for (NeedWords& more : I18n::load(i18nDirectory, codes).needWords(needs)) {
                if (more.language != "en") {
                    words.push_back(std::move(more));
                }
            }
        };
        if (missing.empty()) {
            return words;
        }
        try {
            addWordsOf(missing);  // together: en.json is parsed once
        } catch (const I18nError&) {
            // One file at a time: a broken one loses its own words, not every other language's.
            for (const std::string& code : missing) {
                try {
                    addWordsOf({code});
                } catch (const I18nError& broken) {
                    logWarning("runtime", "need words in \"" + code +
                                              "\" not loaded for search: " + broken.what());
                }
            }
        }
        return words;
    } catch (const StorageError& error) {
        logWarning("runtime", std::string("need words for search not loaded: ") + error.what());
    }
    return {};
}

std::vector<NeedWords> needWordsForSearch(const std::filesystem::path& i18nDirectory,
                                          const DirectoryStore& directory) {
    try {
        return needWordsForSearch(I18n::load(i18nDirectory, {}), i18nDirectory, directory);
    } catch (const I18nError& error) {
        logWarning("runtime", std::string("need words for search not loaded: ") + error.what());
    }
    return {};
}

namespace {

// The config parser has checked the key's shape (base64 of 32 bytes); this is the last word.
// A failure is still the config's fault, so it is reported the same way, with the line.
CoordinatorPublicKey coordinatorKeyFrom(const KioskConfig& config) {
    if (config.coordinatorPublicKey.empty()) {
        std::vector<StaffNote> unused;
        return resolveCoordinatorKey(config, {}, unused);  // throws: no key anywhere
    }
    try {
        return CoordinatorPublicKey::fromBase64(config.coordinatorPublicKey);
    } catch (const CryptoError& error) {
        int line = 0;
        try {
            const TomlDocument document = TomlDocument::parse(
                readFile(config.sourceFile), config.sourceFile.filename().string());
            if (const TomlEntry* entry = document.find("referral", "coordinator_public_key")) {
                line = entry->line;
            }
        } catch (const std::exception&) {
            // The line number is a courtesy; the message below still names the key.
        }
        throw ConfigError(config.sourceFile.string(), line, "referral.coordinator_public_key",
                          error.what());
    }
}

// The device id is made once and kept: the sync server knows the kiosk by it. A damaged file
// gets a fresh id (the kiosk must start) and staff are told, since the server will see a new
// device.
std::string loadOrCreateDeviceId(const std::filesystem::path& file, std::vector<StaffNote>& notes) {
    std::error_code error;
    if (std::filesystem::exists(file, error)) {
        std::string text = readFile(file);
        while (!text.empty() &&
               (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
            text.pop_back();
        }
        if (isUuidV4(text)) {
            return text;
        }
        logWarning("runtime", "device id file is damaged; a new device id was made");
        notes.push_back({"note.device_id_replaced", file.filename().string()});
    }
    std::string id = uuidV4();
    writeFileAtomically(file, id + "\n", 0644);
    logInfo("runtime", "new device id " + id);
    return id;
}

std::filesystem::path configFileOf(const KioskOptions& options) {
    return options.configFile.empty() ? defaultKioskConfigFile() : options.configFile;
}

std::filesystem::path dataDirOf(const KioskOptions& options, const KioskConfig& config) {
    if (!options.dataDir.empty()) {
        return options.dataDir;
    }
    if (!config.dataDir.empty()) {
        return config.dataDir;  // the config insists on an absolute path
    }
    return defaultDataDir();
}

}  // namespace

std::filesystem::path resetStaffPin(const KioskOptions& options) {
    const std::filesystem::path configFile = configFileOf(options);
    const KioskConfig config = loadKioskConfig(configFile);
    savePinHash(configFile, "");
    // The lock-out goes too, or a locked staff mode would wait out its lock with no PIN to enter.
    const std::filesystem::path lockFile = dataDirOf(options, config) / "staff-lock.json";
    std::error_code error;
    std::filesystem::remove(lockFile, error);
    if (error) {
        throw FileError(lockFile, "cannot delete", error.value());
    }
    logWarning("staff", "staff PIN reset from the command line");
    return configFile;
}

std::filesystem::path kioskDataDir(const KioskOptions& options) {
    if (!options.dataDir.empty()) {
        return options.dataDir;
    }
    return dataDirOf(options, loadKioskConfig(configFileOf(options)));
}

namespace {

// Run as root, a rewritten file would belong to root and the kiosk's own user could no longer
// replace it: give it back to whoever owned it (or owns its directory).
void keepOwner(const std::filesystem::path& file, const std::filesystem::path& ownerOf) {
    if (::geteuid() != 0) {
        return;
    }
    struct stat owner {};
    if (::stat(ownerOf.c_str(), &owner) == 0 &&
        ::chown(file.c_str(), owner.st_uid, owner.st_gid) != 0) {
        throw FileError(file, "cannot give back to its owner", errno);
    }
}

}  // namespace

std::filesystem::path setStaffPin(const KioskOptions& options, std::string_view pin) {
    if (!StaffAuth::isAcceptableNewPin(pin)) {
        throw std::invalid_argument(
            "a staff PIN is 4 to 8 digits, not all the same digit and not a straight run such as "
            "1234");
    }
    const std::filesystem::path configFile = configFileOf(options);
    const KioskConfig config = loadKioskConfig(configFile);
    const std::filesystem::path dataDir = dataDirOf(options, config);
    ensurePrivateDirectory(dataDir);
    struct stat before {};
    const bool hadOwner = ::stat(configFile.c_str(), &before) == 0;
    const std::string hash = StaffAuth::hashPin(pin);
    // The lock state first: a fresh one for the new PIN, so the kiosk never sees the new PIN
    // without a lock state for it (that would count as locked).
    const std::filesystem::path lockFile = dataDir / "staff-lock.json";
    StaffAuth::writeFreshState(lockFile, hash);
    keepOwner(lockFile, dataDir);
    savePinHash(configFile, hash);
    if (hadOwner && ::geteuid() == 0 &&
        ::chown(configFile.c_str(), before.st_uid, before.st_gid) != 0) {
        throw FileError(configFile, "cannot give back to its owner", errno);
    }
    logWarning("staff", "staff PIN set from the command line");
    return configFile;
}

KioskRuntime openKioskRuntime(const KioskOptions& options) {
    KioskRuntime runtime;
    runtime.configFile = configFileOf(options);
    runtime.config = loadKioskConfig(runtime.configFile);
    if (runtime.config.sourceFile.empty()) {
        runtime.config.sourceFile = runtime.configFile;
    }
    for (const ConfigWarning& warning : runtime.config.warnings) {
        const std::string detail = runtime.configFile.filename().string() + ":" +
                                   std::to_string(warning.line) + ": " + warning.key + ": " +
                                   warning.message;
        logWarning("config", detail);
        runtime.notes.push_back({"note.config_warning", detail});
    }
    // An installed kiosk takes the key from a file root owns, never from kiosk.toml (which the
    // kiosk's user may rewrite): core/runtime/coordinator_key.h.
    const std::filesystem::path keyFile =
        !options.coordinatorKeyFile.empty() ? options.coordinatorKeyFile
        : runningInstalled()                ? std::filesystem::path(kInstalledCoordinatorKeyFile)
                                            : std::filesystem::path();
    runtime.coordinatorKey = keyFile.empty()
                                 ? coordinatorKeyFrom(runtime.config)
                                 : resolveCoordinatorKey(runtime.config, keyFile, runtime.notes);

    runtime.dataDir = dataDirOf(options, runtime.config);
    runtime.assetsDir = runtime.config.assetsDir.empty()
                            ? defaultAssetsDir()
                            : std::filesystem::path(runtime.config.assetsDir);
    ensurePrivateDirectory(runtime.dataDir);
    // Remote settings (set by the coordinators on the server) win over kiosk.toml.
    layRemoteSettings(runtime.config, runtime.dataDir, runtime.notes);
    logInfo("runtime",
            "data in " + runtime.dataDir.string() + ", assets in " + runtime.assetsDir.string());

    runtime.deviceId = loadOrCreateDeviceId(runtime.dataDir / "device-id", runtime.notes);
    runtime.zone = TimeZone::load(runtime.config.timeZone);

    runtime.i18n = I18n::load(runtime.assetsDir / "i18n", runtime.config.languages);
    if (!runtime.i18n.setLanguage(runtime.config.defaultLanguage)) {
        logWarning("runtime", "default language " + runtime.config.defaultLanguage +
                                  " has no text file; showing English");
    }

    DirectoryOpenOutcome directoryOutcome = DirectoryOpenOutcome::Opened;
    runtime.directoryFile = runtime.dataDir / "directory.db";
    runtime.directoryBundle = runtime.assetsDir / runtime.config.directoryBundle;
    const std::filesystem::path& bundle = runtime.directoryBundle;
    runtime.directory = std::make_unique<DirectoryStore>(DirectoryStore::openOrRebuild(
        runtime.directoryFile, bundle, *runtime.zone, directoryOutcome, options.directoryCheck));
    runtime.directory->setNeedWords(
        needWordsForSearch(runtime.i18n, runtime.assetsDir / "i18n", *runtime.directory));
    switch (directoryOutcome) {
        case DirectoryOpenOutcome::Opened:
            break;
        case DirectoryOpenOutcome::CreatedFromBundle:
            logInfo("runtime", "directory created from " + bundle.filename().string());
            runtime.notes.push_back({"note.directory_created", bundle.filename().string()});
            break;
        case DirectoryOpenOutcome::RebuiltAfterDamage:
            logWarning("runtime", "directory database was damaged; rebuilt from " +
                                      bundle.filename().string());
            runtime.notes.push_back({"note.directory_rebuilt", bundle.filename().string()});
            break;
    }

    bool firstStartWithLockStates = true;
    if (std::error_code noOutbox;
        std::filesystem::exists(runtime.dataDir / "outbox.db", noOutbox)) {
        try {
            Database existing((runtime.dataDir / "outbox.db").string(),
                              {.readOnly = true, .create = false});
            firstStartWithLockStates = existing.userVersion() < 3;
        } catch (const StorageError&) {
            firstStartWithLockStates = false;  // damaged: recovered below; the lock rule holds
        }
    }
    OutboxOpenReport outboxReport;
    runtime.outbox = std::make_unique<Outbox>(
        Outbox::openOrRecover(runtime.dataDir / "outbox.db", outboxReport));
    if (outboxReport.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage) {
        // Never deleted: the damaged file keeps whatever referrals it still holds for recovery.
        const std::string detail =
            outboxReport.movedAsideTo.filename().string() +
            (outboxReport.problem.empty() ? "" : " (" + outboxReport.problem + ")");
        logError("runtime", "outbox database was damaged; moved aside to " + detail +
                                "; a fresh one was started");
        runtime.notes.push_back({"note.outbox_recovered", detail});
    }
    // What salvage saved from damaged copies, this start or in the last 30 days (issue 9).
    const auto since = std::chrono::system_clock::now() - std::chrono::hours(24 * 30);
    for (const SalvageReport& salvage : salvageReports(*runtime.outbox)) {
        const std::optional<SystemTime> at = parseIsoUtc(salvage.at);
        if (at && *at < since) {
            continue;
        }
        runtime.notes.push_back({"note.outbox_salvaged",
                                 salvage.damagedFile + ", " + salvage.at,
                                 {{"saved", std::to_string(salvage.saved + salvage.resent)},
                                  {"lost", std::to_string(salvage.lost)}}});
    }

    // A missing lock state counts as locked, except on a kiosk's very first start and on the
    // first start after an upgrade from a version that kept none (its outbox is older than 3).
    StaffLockOptions lockOptions;
    lockOptions.missingIsFresh = firstStartWithLockStates;
    runtime.staff = std::make_unique<StaffAuth>(runtime.config.pinHash,
                                                runtime.dataDir / "staff-lock.json", lockOptions);
    return runtime;
}

void rebuildDirectory(KioskRuntime& runtime, const std::string& problem) {
    logWarning("runtime",
               "background check found the directory damaged (" + problem + "); rebuilding");
    DirectoryOpenOutcome outcome = DirectoryOpenOutcome::Opened;
    // The UI's connection goes first: the rebuild deletes and re-creates the file underneath it.
    *runtime.directory = DirectoryStore(":memory:", *runtime.zone);
    *runtime.directory =
        DirectoryStore::openOrRebuild(runtime.directoryFile, runtime.directoryBundle, *runtime.zone,
                                      outcome, DirectoryCheck::Thorough);
    runtime.directory->setNeedWords(
        needWordsForSearch(runtime.i18n, runtime.assetsDir / "i18n", *runtime.directory));
    if (outcome != DirectoryOpenOutcome::Opened) {
        runtime.notes.push_back(
            {"note.directory_rebuilt", runtime.directoryBundle.filename().string()});
    }
}

}  // namespace signpost
