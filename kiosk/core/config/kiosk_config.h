// Signpost — the kiosk's configuration (config/kiosk.toml), typed and validated.
//
// Every key is declared once in a table (kiosk_config.cpp, kKeys) with its table, name, the
// KioskConfig field it fills (whose initialiser below is the default), its rule (type and bounds
// or allowed values) and help text; that table drives parsing, validation, defaults, the example
// file's comments and the README's key list, so they cannot drift apart. Adding a key is one row
// there plus its field here; adding a table is one row in kTables.
//
// A bad value refuses to start with one ConfigError naming the file (as given), the line and
// the key: `kiosk.toml:12: kiosk.idle_timeout: expected a whole number of seconds from 30 to
// 3600, got "ninety"`. An unknown key or table is a ConfigWarning, kept for the staff panel.
//
// Thread-safety: a value type. Load on the UI thread at start; pass copies to other threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/toml.h"

namespace signpost {

enum class TextSize { Normal = 0, Large = 1, Largest = 2 };
const char* toString(TextSize size);  // "normal", "large", "largest"; "" for a value out of range
std::optional<TextSize> parseTextSize(std::string_view text);  // the inverse; nullopt if unknown

struct ConfigWarning {
    int line = 0;
    std::string key;      // "table.key", or "table" for an unknown [table]
    std::string message;  // "unknown key; it is ignored"
};

struct KioskConfig {
    // [venue]
    std::string venueName = "Demo venue";          // shown to staff and sent with referrals
    std::string neighbourhood;                     // preselected on the home screen; "" = all
    std::string referencePrefix = "MCR";           // referral references: MCR-4K7Q
    std::string timeZone = "Europe/London";        // for "open now" and times shown
    // [kiosk]
    int idleTimeoutSeconds = 90;                   // 30..3600: quiet time before "more time?"
    int idleWarningSeconds = 30;                   // 20..120: the countdown (WCAG 2.2.1: >= 20)
    TextSize textSize = TextSize::Normal;          // default text size after each reset
    bool highContrast = false;                     // default theme after each reset
    std::vector<std::string> languages{"en", "pl"};// ISO 639-1, offered on the language button;
                                                   // "en" always (added, with a warning, if left out)
    std::string defaultLanguage = "en";            // one of `languages`
    bool allowExit = false;                        // staff panel shows "Exit kiosk" only if true
    // [staff]
    std::string pinHash;                           // Argon2id (crypto_pwhash_str); "" = not set
    // [referral]
    std::string coordinatorPublicKey;              // base64 from `signpost keygen`; required
    std::string formVersion = "2026.11";
    std::string consentVersion = "consent-2026-11-v1";  // which consent wording is shown
    int retentionMonths = 12;                      // stated in the consent text
    std::string linkWorkerPhone = "0161 496 0000"; // shown for "I'd rather contact them myself"
    // [paths]
    std::string dataDir;                           // "" = /var/lib/signpost installed, XDG otherwise
    std::string assetsDir;                         // "" = /usr/share/signpost or the source tree
    std::string directoryBundle = "directory/manchester-demo.json";  // relative to assetsDir
    // [sync] (the sync engine, sync/engine/sync_engine.h)
    std::string syncServerUrl;                     // offered in the staff panel's enrollment; the
                                                   // enrolled URL lives in <dataDir>/enrollment.json
    std::string syncCaFile;                        // PEM bundle; "" = the system's trust store
    std::string syncPin;                           // "sha256//<base64>" or "": the server key pin
    std::string syncBackupPin;                     // a second accepted pin (the next key)
    std::string syncProxy;                         // "" = from the environment; "none" = direct
    int syncBatchSize = 100;                       // 1..100 referrals per request
    int syncRetryMaxSeconds = 900;                 // 30..3600: backoff ceiling after failures
    int syncDirectoryIntervalSeconds = 900;        // 60..86400: directory poll
    int syncHeartbeatIntervalSeconds = 300;        // 30..86400
    int syncSentGraceHours = 168;                  // 0..8760: keep sent ciphertext, then wipe

    std::filesystem::path sourceFile;              // where it was loaded from
    std::vector<ConfigWarning> warnings;           // unknown keys and tables, in line order
};

// Loads and validates. A missing or unreadable file is a ConfigError (line 0) naming the file as
// given. Syntax errors, bad values and a missing referral.coordinator_public_key are ConfigErrors
// with the line (the first problem in file order). Throws ConfigError.
KioskConfig loadKioskConfig(const std::filesystem::path& file);
// The same from text; `fileName` is used in messages. sourceFile is left empty. Throws ConfigError.
KioskConfig parseKioskConfig(std::string_view text, const std::string& fileName);

// The settings staff may change from the staff panel.
struct KioskSettings {
    std::string venueName;
    std::string neighbourhood;
    int idleTimeoutSeconds = 90;
    TextSize textSize = TextSize::Normal;
    bool highContrast = false;
    std::vector<std::string> languages;
};
KioskSettings settingsOf(const KioskConfig& config);

// Validates `settings` (ConfigError on a bad value, line 0, nothing written) and saves them into
// `file` atomically (temp, fsync, rename; a symlink is followed, the file's permission bits are
// kept), keeping comments, blank lines and other keys byte for byte. Only values that differ are
// rewritten; a missing key is added at the end of its table. "en" is added to languages if
// missing. The edited file is validated as a whole before writing, so a save never leaves a
// config the kiosk would refuse at start. Throws ConfigError, or FileError if the file cannot be
// read or written (the old file is then left as it was).
void saveKioskSettings(const std::filesystem::path& file, const KioskSettings& settings);
// Saves only staff.pin_hash the same way ("" removes the PIN; anything else must be an Argon2id
// hash string from StaffAuth::hashPin).
void savePinHash(const std::filesystem::path& file, const std::string& pinHash);

// The documented example config (config/kiosk.toml is this text; a test keeps them equal). Every
// key is present with its default and a comment; coordinator_public_key is "" so the example
// alone fails validation, asking for the key from `signpost keygen`.
std::string exampleKioskConfig();
// The README's key reference: per table a heading, its purpose and a Markdown table of key,
// default, allowed values, whether the staff panel sets it, and what it does.
std::string kioskConfigReferenceMarkdown();

}  // namespace signpost
