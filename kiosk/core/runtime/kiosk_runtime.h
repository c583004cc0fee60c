// Signpost — everything below the UI, opened once at start: config, directory, outbox, texts,
// staff auth, time zone, device identity. The shell (kiosk/app) opens it; the UI reads it.
//
// openKioskRuntime() does the start-up recoveries the issue asks for: a missing or damaged
// directory is rebuilt from the bundled data; a damaged outbox is moved aside (never deleted) and
// a fresh one started; each leaves a StaffNote for the staff panel.
//
// Thread-safety: owned by the UI thread. Other threads open their own connections by path.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/kiosk_config.h"
#include "core/directory/directory_store.h"
#include "core/directory/time_zone.h"
#include "core/i18n/i18n.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/staff/staff_auth.h"

namespace signpost {

// Something staff should know, shown in the staff panel. `key` is an i18n key ("note.*");
// `detail` is technical, untranslated, and never personal (a file name, an error code).
struct StaffNote {
    std::string key;
    std::string detail;
};

struct KioskOptions {
    std::filesystem::path configFile;  // --config; empty = defaultKioskConfigFile()
    std::filesystem::path dataDir;     // --data-dir; empty = config paths.data_dir or default
};

struct KioskRuntime {
    KioskConfig config;
    std::filesystem::path configFile;
    std::filesystem::path dataDir;
    std::filesystem::path assetsDir;
    std::optional<TimeZone> zone;               // always set after openKioskRuntime()
    std::unique_ptr<DirectoryStore> directory;  // <dataDir>/directory.db
    std::unique_ptr<Outbox> outbox;             // <dataDir>/outbox.db
    std::unique_ptr<StaffAuth> staff;           // lock state in <dataDir>/staff-lock.json
    I18n i18n;
    CoordinatorPublicKey coordinatorKey;
    std::string deviceId;                       // UUIDv4 in <dataDir>/device-id, made on first start
    std::vector<StaffNote> notes;               // start-up recoveries and config warnings
};

// Opens everything. Throws ConfigError (bad or missing config: the caller prints what() — one
// line naming file, line and key — and exits non-zero), I18nError, TimeZoneError, FileError or
// StorageError for what cannot be recovered from.
KioskRuntime openKioskRuntime(const KioskOptions& options);

}  // namespace signpost
