// Signpost — everything below the UI, opened once at start: config, directory, outbox, texts,
// staff auth, time zone, device identity. The shell (kiosk/app) opens it; the UI reads it.
//
// openKioskRuntime() does the start-up recoveries the issue asks for: a missing or damaged
// directory is rebuilt from the bundled data; a damaged outbox is moved aside (never deleted) and
// a fresh one started; a damaged device-id file gets a new id; each leaves a StaffNote for the
// staff panel (keys note.directory_created, note.directory_rebuilt, note.outbox_recovered,
// note.config_warning, note.device_id_replaced, and note.outbox_salvaged for what salvage saved
// from a damaged outbox in the last 30 days). Damage deep inside the directory file is found
// by a background check after the first frame (directory_verification.h, rebuildDirectory()).
//
// Thread-safety: owned by the UI thread. Other threads open their own connections by path.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/staff_note.h"
#include "core/common/time_zone.h"
#include "core/config/kiosk_config.h"
#include "core/directory/directory_store.h"
#include "core/i18n/i18n.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/staff/staff_auth.h"

namespace signpost {

struct KioskOptions {
    std::filesystem::path configFile;  // --config; empty = defaultKioskConfigFile()
    std::filesystem::path dataDir;     // --data-dir; empty = config paths.data_dir or default
    // --coordinator-key: the coordinators' key from this root-owned file; empty = the installed
    // default (/etc/signpost/coordinator.pub) when installed, else kiosk.toml's key
    // (core/runtime/coordinator_key.h).
    std::filesystem::path coordinatorKeyFile{};
    // How the existing directory database is checked before it is trusted. Fast keeps start-up
    // quick; the shell then runs the Thorough check in the background (directory_verification.h).
    DirectoryCheck directoryCheck = DirectoryCheck::Fast;
};

struct KioskRuntime {
    KioskConfig config;
    std::filesystem::path configFile;
    std::filesystem::path dataDir;
    std::filesystem::path assetsDir;
    std::optional<TimeZone> zone;               // always set after openKioskRuntime()
    std::unique_ptr<DirectoryStore> directory;  // <dataDir>/directory.db
    std::filesystem::path directoryFile;        // <dataDir>/directory.db
    std::filesystem::path directoryBundle;      // <assetsDir>/<paths.directory_bundle>
    std::unique_ptr<Outbox> outbox;             // <dataDir>/outbox.db
    std::unique_ptr<StaffAuth> staff;           // lock state in <dataDir>/staff-lock.json
    I18n i18n;
    CoordinatorPublicKey coordinatorKey;
    std::string deviceId;          // UUIDv4 in <dataDir>/device-id, made on first start
    std::vector<StaffNote> notes;  // start-up recoveries and config warnings
};

// Opens everything. Throws ConfigError (bad or missing config: the caller prints what() — one
// line naming file, line and key — and exits non-zero), I18nError, TimeZoneError, FileError or
// StorageError for what cannot be recovered from.
KioskRuntime openKioskRuntime(const KioskOptions& options);

// "We forgot the PIN" (signpost-kiosk --reset-pin): clears staff.pin_hash in the config file
// (keeping every comment and other key) and deletes the wrong-PIN lock-out state in the data
// directory, so staff mode asks for a new PIN. Opens nothing else, so it is safe while the kiosk
// runs (which keeps the old PIN until it restarts). Returns the config file it changed.
// Throws ConfigError (the config does not load) or FileError (it cannot be written).
std::filesystem::path resetStaffPin(const KioskOptions& options);

// The data directory the kiosk would use: options.dataDir when set (the config is then not read
// at all), else the config's paths.data_dir, else the default. Throws ConfigError.
std::filesystem::path kioskDataDir(const KioskOptions& options);

// `signpost-kiosk --set-pin` (issue 9): checks `pin` (StaffAuth::isAcceptableNewPin), writes a
// fresh lock state for it in the data directory, then its Argon2id hash into staff.pin_hash of
// the config file (keeping every comment and other key). Run as root, both files are given back
// to their owners. Safe while the kiosk runs (it keeps the old PIN until it restarts). Returns the
// config file it changed. Throws std::invalid_argument (a PIN too easy to guess), ConfigError
// (the config does not load) or FileError (a file cannot be written).
std::filesystem::path setStaffPin(const KioskOptions& options, std::string_view pin);

// Every language's words for `directory`'s needs (I18n::needWords() over all the text files in
// `i18nDirectory`, offered on the language button or not: a resident types in their own), for
// DirectoryStore::setNeedWords(). The languages `loaded` already holds are taken from it; only the
// other files are read (at start-up the kiosk usually offers them all, so none are read twice).
// A bad file among those is logged and gives no words in its language, the others keep theirs; a
// database error (or, for the overload below, a bad en.json) is logged and gives none (search
// then works on the directory's own words). Never throws.
std::vector<NeedWords> needWordsForSearch(const I18n& loaded,
                                          const std::filesystem::path& i18nDirectory,
                                          const DirectoryStore& directory);
// As above, reading every file.
std::vector<NeedWords> needWordsForSearch(const std::filesystem::path& i18nDirectory,
                                          const DirectoryStore& directory);

// After a background check (DirectoryVerification) found the directory damaged: rebuilds it from
// the bundle in place (the DirectoryStore object stays the same, so pointers to it stay valid)
// and adds a note.directory_rebuilt StaffNote. UI thread only. Throws ImportError/StorageError.
void rebuildDirectory(KioskRuntime& runtime, const std::string& problem);

}  // namespace signpost
