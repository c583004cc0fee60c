// Signpost — the kiosk's configuration (config/kiosk.toml), typed and validated.
//
// Every key is declared once, with the config key engine (config_keys.h), in kiosk_config_keys.cpp:
// its table, name, the KioskConfig field it fills (whose initialiser below is the default), what
// it allows and its help text. That table drives parsing, validation, defaults, staff saves,
// remote settings, the example file's comments and the README's key list, so they cannot drift
// apart. Adding a key is one row there plus its field here; adding a table is one row in its
// `tables`. The code is split by job: kiosk_config.cpp loads and saves, kiosk_config_docs.cpp
// writes the documentation, kiosk_config_remote.cpp handles remote settings.
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

#include "core/config/config_keys.h"
#include "core/config/toml.h"

namespace signpost {

enum class TextSize { Normal = 0, Large = 1, Largest = 2 };
const char* toString(TextSize size);  // "normal", "large", "largest"; "" for a value out of range
std::optional<TextSize> parseTextSize(std::string_view text);  // the inverse; nullopt if unknown

struct KioskConfig {
    // [venue]
    std::string venueName = "Demo venue";    // shown to staff and sent with referrals
    std::string neighbourhood;               // preselected on the home screen; "" = all
    std::string referencePrefix = "MCR";     // referral references: MCR-4K7Q
    std::string timeZone = "Europe/London";  // for "open now" and times shown
    // [kiosk]
    int idleTimeoutSeconds = 90;           // 30..3600: quiet time before "more time?"
    int idleWarningSeconds = 30;           // 20..120: the countdown (WCAG 2.2.1: >= 20)
    TextSize textSize = TextSize::Normal;  // default text size after each reset
    bool highContrast = false;             // default theme after each reset
    std::vector<std::string> languages{
        // BCP 47 tags offered on the language button;
        "en",      "pl",  "ur",
        "ar",      "bn",  "zh-Hans",  // "en" always (added, with a warning, if left
        "zh-Hant", "pa",  "so",
        "ro",      "ckb", "fa",          // out); a tag with no assets/i18n/<tag>.json
        "uk"};                           // is skipped with a log line
    std::string defaultLanguage = "en";  // one of `languages`
    bool allowExit = false;              // staff panel shows "Exit kiosk" only if true
    // [hours] (operations): the venue's opening hours, core/config/day_hours.h forms
    std::string hoursMonday = "00:00-24:00";   // "09:00-17:00", "09:00-12:30, 13:30-17:00",
    std::string hoursTuesday = "00:00-24:00";  // "closed"; the default is open all day
    std::string hoursWednesday = "00:00-24:00";
    std::string hoursThursday = "00:00-24:00";
    std::string hoursFriday = "00:00-24:00";
    std::string hoursSaturday = "00:00-24:00";
    std::string hoursSunday = "00:00-24:00";
    std::vector<std::string> hoursExceptions;  // "2026-12-25 closed", "2026-12-24 09:00-13:00"
    bool sleepWhenClosed = true;               // DPMS: the display sleeps while closed
    int closedWakeSeconds = 60;                // 15..600: a touch wakes it this long
    // [staff]
    std::string pinHash;  // Argon2id (crypto_pwhash_str); "" = not set
    // [referral]
    std::string coordinatorPublicKey;  // base64 from `signpost keygen`; required
    std::string formVersion = "2026.11";
    std::string consentVersion = "consent-2026-11-v1";  // which consent wording is shown
    int retentionMonths = 12;                           // stated in the consent text
    std::string linkWorkerPhone = "0161 496 0000";  // shown for "I'd rather contact them myself"
    // [paths]
    std::string dataDir;    // "" = /var/lib/signpost installed, XDG otherwise
    std::string assetsDir;  // "" = /usr/share/signpost or the source tree
    std::string directoryBundle = "directory/manchester-demo.json";  // relative to assetsDir
    // [sync] (the sync engine, sync/engine/sync_engine.h)
    std::string syncServerUrl;               // offered in the staff panel's enrollment; the
                                             // enrolled URL lives in <dataDir>/enrollment.json
    std::string syncCaFile;                  // PEM bundle; "" = the system's trust store
    std::string syncPin;                     // "sha256//<base64>" or "": the server key pin
    std::string syncBackupPin;               // a second accepted pin (the next key)
    std::string syncProxy;                   // "" = from the environment; "none" = direct
    int syncBatchSize = 100;                 // 1..100 referrals per request
    int syncRetryMaxSeconds = 900;           // 30..3600: backoff ceiling after failures
    int syncDirectoryIntervalSeconds = 900;  // 60..86400: directory poll
    int syncHeartbeatIntervalSeconds = 300;  // 30..86400
    int syncSentGraceHours = 168;            // 0..8760: keep sent ciphertext, then wipe

    std::filesystem::path sourceFile;     // where it was loaded from
    std::vector<ConfigWarning> warnings;  // unknown keys and tables, in line order
    // Keys ("kiosk.idle_timeout") whose value came from remote-settings.json (set by the
    // coordinators on the server) rather than from the file; see applyRemoteSettings().
    std::vector<std::string> remoteKeys;
    bool isRemote(std::string_view key) const;
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
// The inverse: sets `config`'s six staff settings from `settings`, leaving every other field.
void applySettings(KioskConfig& config, const KioskSettings& settings);

// Validates `settings` (ConfigError on a bad value, line 0, nothing written) and saves them into
// `file` atomically (temp, fsync, rename; a symlink is followed, the file's permission bits are
// kept), keeping comments, blank lines and other keys byte for byte. Only values that differ are
// rewritten; a missing key is added at the end of its table. "en" is added to languages if
// missing. The edited file is validated as a whole before writing, so a save never leaves a
// config the kiosk would refuse at start. Throws ConfigError, or FileError if the file cannot be
// read or written (the old file is then left as it was).
// Keys named in `leaveAlone` ("kiosk.idle_timeout": those set remotely) are not written: the
// file keeps its own value for when the coordinators clear theirs.
void saveKioskSettings(const std::filesystem::path& file, const KioskSettings& settings,
                       const std::vector<std::string>& leaveAlone = {});
// Saves only staff.pin_hash the same way ("" removes the PIN; anything else must be an Argon2id
// hash string from StaffAuth::hashPin).
void savePinHash(const std::filesystem::path& file, const std::string& pinHash);

// --- Remote settings (operations) -------------------------------------------------------------
// Coordinators set some keys per device on the server (`signpost-server admin device set`); the
// kiosk keeps the last set it received in <data dir>/remote-settings.json
// (core/operations/remote_settings.h) and lays it over kiosk.toml at start and after each sync.
// PRECEDENCE: a remote value wins over kiosk.toml until the coordinators clear it on the server;
// the staff panel shows "Set by your coordinator" and disables that control, and a staff save
// leaves the file's own value alone, so it applies again once the remote one is cleared.

// Every key that may be set remotely, as "table.key", in spec order: venue.name,
// venue.neighbourhood, kiosk.idle_timeout, kiosk.languages, kiosk.default_language, hours.*.
std::vector<std::string> remoteSettingKeys();
// "table.key" for a remote key given in full or by its short name ("idle_timeout", "monday",
// "venue" for venue.name); nullopt if it cannot be set remotely.
std::optional<std::string> remoteSettingName(std::string_view name);
// A value as typed on the server's command line — a number, true/false, plain text, a list
// separated by ',' (languages) or ';' (hours exceptions), or a TOML array — checked with the
// same rules as kiosk.toml and returned normalised. Throws ConfigError naming the key.
TomlValue parseRemoteSettingText(const std::string& key, std::string_view text);
// Checks a typed value with the same rules; returns it normalised ("en" added to languages).
// Throws ConfigError naming the key.
TomlValue normaliseRemoteSetting(const std::string& key, const TomlValue& value);
// Lays `settings` over `config` (each valid one replaces the value and joins remoteKeys).
// Returns one line per setting ignored (unknown key, bad value — e.g. from a newer server) and
// per cross-key fix (a default language not offered falls back to "en"). Never throws.
std::vector<std::string> applyRemoteSettings(
    KioskConfig& config, const std::vector<std::pair<std::string, TomlValue>>& settings);

// The documented example config (config/kiosk.toml is this text; a test keeps them equal). Every
// key is present with its default and a comment; coordinator_public_key is "" so the example
// alone fails validation, asking for the key from `signpost keygen`.
std::string exampleKioskConfig();
// The README's key reference: per table a heading, its purpose and a Markdown table of key,
// default, allowed values, whether the staff panel sets it, and what it does.
std::string kioskConfigReferenceMarkdown();

}  // namespace signpost
