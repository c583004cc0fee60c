// Signpost — the kiosk's configuration (config/kiosk.toml), typed and validated.
//
// Every key is declared once in a table (kiosk_config.cpp) with its type, default, bounds and
// help text; that table drives parsing, validation, the example file's comments and the README's
// key list, so they cannot drift apart. A bad value refuses to start with one ConfigError naming
// the file, line and key; an unknown key is a warning, kept for the staff panel.
//
// Thread-safety: a value type. Load on the UI thread at start; pass copies to other threads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config/toml.h"

namespace signpost {

enum class TextSize { Normal = 0, Large = 1, Largest = 2 };
const char* toString(TextSize size);  // "normal", "large", "largest"

struct ConfigWarning {
    int line = 0;
    std::string key;      // "table.key"
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
    std::vector<std::string> languages{"en", "pl"};// offered on the language button; "en" always
    std::string defaultLanguage = "en";
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

    std::filesystem::path sourceFile;              // where it was loaded from
    std::vector<ConfigWarning> warnings;           // unknown keys, deprecated keys
};

// Loads and validates. A missing file is a ConfigError (line 0). Throws ConfigError.
KioskConfig loadKioskConfig(const std::filesystem::path& file);
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

// Validates `settings` (ConfigError on a bad value, nothing written) and saves them into `file`
// atomically (temp, fsync, rename), keeping comments and other keys. Throws ConfigError/FileError.
void saveKioskSettings(const std::filesystem::path& file, const KioskSettings& settings);
// Saves only staff.pin_hash the same way.
void savePinHash(const std::filesystem::path& file, const std::string& pinHash);

// The documented example config (config/kiosk.toml is this text; a test keeps them equal).
std::string exampleKioskConfig();

}  // namespace signpost
