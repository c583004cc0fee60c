// kiosk.toml's keys, declared with the config key engine (config_keys.h): each key's table,
// name, the KioskConfig field it fills (whose initialiser is the default), what it allows, its
// help text and flags. The example file, the README's key list, loading, staff saves and remote
// settings all read this one table.
#include "core/config/kiosk_config_keys.h"
#include "core/common/utf8.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "core/common/ids.h"
#include "core/config/day_hours.h"
#include "core/i18n/language_tag.h"

namespace signpost::kiosk_keys {

namespace {

// --- Checks --------------------------------------------------------------------------------

bool hasControlCharacters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

bool lengthIn(const std::string& value, int min, int max) {
    const std::size_t length = utf8::count(value);
    return length >= static_cast<std::size_t>(min) && length <= static_cast<std::size_t>(max);
}

bool isTimeZoneName(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') {
        return false;
    }
    const char first = name.front();
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
        return false;
    }
    // Letters, digits and _ + - only, in '/'-separated parts: no '.', so no path can escape
    // /usr/share/zoneinfo when the name is turned into a file name.
    char previous = '\0';
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '/';
        if (!ok || (c == '/' && previous == '/')) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool isPhoneNumber(std::string_view phone) {
    int digits = 0;
    for (std::size_t i = 0; i < phone.size(); ++i) {
        const char c = phone[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (!(c == ' ' || c == '(' || c == ')' || c == '-' || (c == '+' && i == 0))) {
            return false;
        }
    }
    return digits >= 3 && digits <= 15;
}

bool isPinHash(const std::string& hash) {
    if (hash.empty()) {
        return true;
    }
    if (hash.rfind(crypto_pwhash_STRPREFIX, 0) != 0 || hash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    ensureSodium();
    // -1 means libsodium cannot read the string at all; 0/1 are well-formed hashes.
    return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != -1;
}

// --- What each kind of text value must look like -------------------------------------------------

TextRule text(int min, int max) {
    return {min == 0 ? "text in quotes, at most " + std::to_string(max) + " characters"
                     : "text in quotes, " + std::to_string(min) + " to " + std::to_string(max) +
                           " characters",
            [min, max](const std::string& value) {
                return !hasControlCharacters(value) && lengthIn(value, min, max);
            }};
}

TextRule letters(int min, int max) {
    return {
        std::to_string(min) + " to " + std::to_string(max) + " capital letters A to Z, in quotes",
        [min, max](const std::string& value) {
            return lengthIn(value, min, max) && std::all_of(value.begin(), value.end(), [](char c) {
                       return c >= 'A' && c <= 'Z';
                   });
        }};
}

TextRule label(int min, int max) {
    return {"a version label in quotes: " + std::to_string(min) + " to " + std::to_string(max) +
                " letters, digits, dots, dashes or underscores",
            [min, max](const std::string& value) {
                return lengthIn(value, min, max) &&
                       std::all_of(value.begin(), value.end(), [](char c) {
                           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                       });
            }};
}

TextRule timeZoneName() {
    return {"a time zone name in quotes, like \"Europe/London\"",
            [](const std::string& value) { return isTimeZoneName(value); }};
}

TextRule phoneNumber() {
    return {"a phone number in quotes, like \"0161 496 0000\"",
            [](const std::string& value) { return isPhoneNumber(value); }};
}

TextRule absolutePath() {
    return {"an absolute path in quotes, or \"\" for the default", [](const std::string& value) {
                return value.empty() || (value.front() == '/' && !hasControlCharacters(value));
            }};
}

TextRule filePath() {
    return {"a file path in quotes", [](const std::string& value) {
                return !value.empty() && !hasControlCharacters(value);
            }};
}

TextRule pinHash() {
    return {"an Argon2id hash written by the staff panel, or \"\" for no PIN",
            [](const std::string& value) { return isPinHash(value); }};
}

TextRule publicKey() {
    return {
        "the coordinators' public key printed by \"signpost keygen\", or \"\" when an installed "
        "kiosk reads it from /etc/signpost/coordinator.pub (base64 of 32 bytes)",
        [](const std::string& value) {
            if (value.empty()) {
                return true;  // the key file (core/runtime/coordinator_key.h) holds it
            }
            const auto bytes = fromBase64(value);
            return bytes && bytes->size() == 32;
        }};
}

TextRule language() {
    // Tags are kept in canonical case: "zh-hans" names the file zh-Hans.json.
    return {"a BCP 47 language tag in quotes, like \"en\", \"ckb\" or \"zh-Hans\"",
            [](const std::string& value) { return canonicalLanguageTag(value).has_value(); },
            [](const std::string& value) { return canonicalLanguageTag(value).value_or(value); }};
}

TextRule dayHours() {
    return {"opening hours in quotes: \"09:00-17:00\", \"09:00-12:30, 13:30-17:00\" or \"closed\"",
            [](const std::string& value) { return parseDayHours(value).has_value(); }};
}

TextRule serverUrl() {
    return {"\"\" or an address in quotes starting https:// (or http://)",
            [](const std::string& value) {
                if (value.empty()) {
                    return true;
                }
                const bool https = value.rfind("https://", 0) == 0;
                const std::size_t host = https ? 8 : 7;
                return (https || value.rfind("http://", 0) == 0) && value.size() > host &&
                       value[host] != '/' && value.size() <= 200 &&
                       value.find_first_of(" \"<>\\") == std::string::npos &&
                       !hasControlCharacters(value);
            }};
}

TextRule keyPin() {
    return {"\"\" or \"sha256//\" followed by base64 of 32 bytes", [](const std::string& value) {
                if (value.empty()) {
                    return true;
                }
                if (value.rfind("sha256//", 0) != 0) {
                    return false;
                }
                const auto bytes = fromBase64(std::string_view(value).substr(8));
                return bytes && bytes->size() == 32;
            }};
}

// --- Lists ---------------------------------------------------------------------------------------

constexpr std::string_view kLanguagesAllowed =
    "a list of BCP 47 language tags, like [\"en\", \"pl\", \"ckb\", \"zh-Hans\"]";
constexpr std::string_view kExceptionsAllowed =
    "a list of dates with their hours, like [\"2026-12-25 closed\", \"2026-12-24 09:00-13:00\"]";

std::optional<std::string> readLanguages(const TomlArray& items, std::vector<std::string>& codes,
                                         std::vector<std::string>* notes) {
    const std::string expectation(kLanguagesAllowed);
    for (const auto& item : items) {
        const auto* tag = std::get_if<std::string>(&item);
        const std::optional<std::string> canonical =
            tag ? canonicalLanguageTag(*tag) : std::nullopt;
        if (!canonical) {
            return shownValue(item) + " is not a BCP 47 language tag; expected " + expectation;
        }
        if (std::find(codes.begin(), codes.end(), *canonical) != codes.end()) {
            return shownValue(*canonical) + " is listed twice";
        }
        codes.push_back(*canonical);
    }
    if (std::find(codes.begin(), codes.end(), "en") == codes.end()) {
        // English is the fallback for every missing translation, so it is always offered.
        codes.insert(codes.begin(), "en");
        if (notes != nullptr) {
            notes->push_back("\"en\" is always offered; it was added to the list");
        }
    }
    return std::nullopt;
}

std::optional<std::string> readExceptions(const TomlArray& items, std::vector<std::string>& entries,
                                          std::vector<std::string>*) {
    std::vector<std::chrono::year_month_day> dates;
    for (const auto& item : items) {
        const auto* entry = std::get_if<std::string>(&item);
        std::string problem = "expected text in quotes";
        const auto exception = entry ? parseHoursException(*entry, &problem) : std::nullopt;
        if (!exception) {
            return problem + "; expected " + std::string(kExceptionsAllowed);
        }
        if (std::find(dates.begin(), dates.end(), exception->date) != dates.end()) {
            return shownValue(*entry) + ": that date is listed twice";
        }
        dates.push_back(exception->date);
        entries.push_back(*entry);
    }
    return std::nullopt;
}

using Key = ConfigKey<KioskConfig>;
using config_key::Required;
using config_key::Secret;

const std::vector<std::pair<std::string_view, TextSize>> kTextSizes = {
    {"normal", TextSize::Normal}, {"large", TextSize::Large}, {"largest", TextSize::Largest}};

Key textKey(std::string_view table, std::string_view key, std::string KioskConfig::*member,
            TextRule rule, std::string_view help, unsigned flags = 0) {
    return checkedTextKey(table, key, member, std::move(rule), help, flags);
}

Key hoursKey(std::string_view day, std::string KioskConfig::*member, std::string_view help) {
    return textKey("hours", day, member, dayHours(), help, Remote);
}

}  // namespace

const KeyTable<KioskConfig>& table() {
    static const KeyTable<KioskConfig> kTable{
        .unknownTables = UnknownTableWarning::OncePerTable,
        .tables =
            {
                {"venue", "Where this kiosk stands."},
                {"kiosk", "How the touchscreen behaves for residents."},
                {"hours",
                 "The venue's opening hours, on its own clock (venue.time_zone). Outside them the "
                 "kiosk shows a calm \"We're closed\" screen with where to get help now (999, 111, "
                 "Samaritans, the link workers) and when the venue opens again, and lets the "
                 "display sleep; a touch wakes it. A visit in progress at closing time is never "
                 "cut short: the closed screen waits until it ends."},
                {"staff",
                 "Staff mode: press and hold a corner of the screen for 3 seconds, then enter the "
                 "PIN."},
                {"referral", "Self-referrals: who can read them and what residents are told."},
                {"paths", "Where the kiosk keeps its data and finds its bundled files."},
                {"sync",
                 "Sending referrals to the sync server and fetching directory updates. The kiosk "
                 "works fully offline without it."},
            },
        .keys =
            {
                textKey("venue", "name", &KioskConfig::venueName, text(1, 80),
                        "The venue's name, shown to staff and sent with each referral so "
                        "coordinators know where it came from.",
                        Staff | Remote),
                textKey("venue", "neighbourhood", &KioskConfig::neighbourhood, text(0, 60),
                        "The venue's neighbourhood, preselected on the home screen (residents can "
                        "change it). Use a neighbourhood name from the directory; \"\" shows all "
                        "of Manchester.",
                        Staff | Remote),
                textKey("venue", "reference_prefix", &KioskConfig::referencePrefix, letters(2, 5),
                        "The start of each referral reference that residents read aloud, as in "
                        "MCR-4K7Q."),
                textKey("venue", "time_zone", &KioskConfig::timeZone, timeZoneName(),
                        "The venue's time zone (a name from /usr/share/zoneinfo), for \"open now\" "
                        "and the times shown."),
                wholeNumberKey(
                    "kiosk", "idle_timeout", &KioskConfig::idleTimeoutSeconds, 30, 3600, "seconds",
                    "Seconds without a touch before the kiosk asks \"Do you need more time?\".",
                    Staff | Remote),
                wholeNumberKey(
                    "kiosk", "idle_warning", &KioskConfig::idleWarningSeconds, 20, 120, "seconds",
                    "Seconds the \"Do you need more time?\" countdown lasts before everything on "
                    "screen is cleared (WCAG 2.2.1 asks for at least 20)."),
                choiceKey(
                    "kiosk", "text_size", &KioskConfig::textSize, kTextSizes,
                    "one of \"normal\", \"large\", \"largest\"",
                    "Text size each session starts with; residents can change it on every screen.",
                    Staff),
                flagKey("kiosk", "high_contrast", &KioskConfig::highContrast,
                        "Start each session in the high-contrast theme; residents can change it on "
                        "every screen.",
                        Staff),
                textListKey("kiosk", "languages", &KioskConfig::languages,
                            std::string(kLanguagesAllowed), "", readLanguages,
                            "Languages offered on the language button, each named by its text file "
                            "in assets/i18n (zh-Hans.json is \"zh-Hans\"). English (\"en\") is "
                            "always offered.",
                            Staff | Remote),
                textKey("kiosk", "default_language", &KioskConfig::defaultLanguage, language(),
                        "The language each session starts in; one of the languages above.", Remote),
                flagKey("kiosk", "allow_exit", &KioskConfig::allowExit,
                        "Show \"Exit kiosk\" in the staff panel. Keep false on a public kiosk so "
                        "it cannot be closed."),
                hoursKey("monday", &KioskConfig::hoursMonday,
                         "Monday's hours. \"00:00-24:00\" is open all day; with the default on "
                         "every day the kiosk never closes."),
                hoursKey("tuesday", &KioskConfig::hoursTuesday, "Tuesday's hours."),
                hoursKey("wednesday", &KioskConfig::hoursWednesday, "Wednesday's hours."),
                hoursKey("thursday", &KioskConfig::hoursThursday, "Thursday's hours."),
                hoursKey("friday", &KioskConfig::hoursFriday, "Friday's hours."),
                hoursKey("saturday", &KioskConfig::hoursSaturday, "Saturday's hours."),
                hoursKey("sunday", &KioskConfig::hoursSunday, "Sunday's hours."),
                textListKey("hours", "exceptions", &KioskConfig::hoursExceptions,
                            std::string(kExceptionsAllowed), "", readExceptions,
                            "Dates whose hours differ from their weekday's (bank holidays, "
                            "Christmas), each \"YYYY-MM-DD hours\".",
                            Remote),
                flagKey("hours", "sleep_when_closed", &KioskConfig::sleepWhenClosed,
                        "Let the display sleep (DPMS) while the venue is closed. The app turns the "
                        "display off and on itself; the kiosk session keeps screen blanking off "
                        "while open.",
                        Remote),
                wholeNumberKey("hours", "closed_wake", &KioskConfig::closedWakeSeconds, 15, 600,
                               "seconds",
                               "While closed, how long the display stays on after a touch before "
                               "it sleeps again.",
                               Remote),
                textKey("staff", "pin_hash", &KioskConfig::pinHash, pinHash(),
                        "The staff PIN as an Argon2id hash, written by `signpost-kiosk --set-pin` "
                        "(which the installer runs) or the staff panel's Change PIN. \"\" means no "
                        "PIN: staff mode is not set up, and the touchscreen never offers to set "
                        "one. Never write a PIN itself here.",
                        Remote | Secret),
                textKey("referral", "coordinator_public_key", &KioskConfig::coordinatorPublicKey,
                        publicKey(),
                        "The coordinators' public key: each referral is sealed to it at submit, so "
                        "only the coordinators can read it. Paste the key printed by `signpost "
                        "keygen` when running from a build. An installed kiosk reads it from "
                        "/etc/signpost/coordinator.pub instead (owned by root, so the kiosk cannot "
                        "change it; the installer writes it) and ignores this key.",
                        Required),
                textKey("referral", "form_version", &KioskConfig::formVersion, label(1, 40),
                        "Version of the referral form, stored with each referral."),
                textKey("referral", "consent_version", &KioskConfig::consentVersion, label(1, 40),
                        "Version of the consent wording residents agree to, stored with each "
                        "referral."),
                wholeNumberKey(
                    "referral", "retention_months", &KioskConfig::retentionMonths, 1, 120, "months",
                    "How long coordinators keep a referral, as the consent text tells residents."),
                textKey("referral", "link_worker_phone", &KioskConfig::linkWorkerPhone,
                        phoneNumber(),
                        "The link workers' phone number, shown to residents who would rather get "
                        "in touch themselves."),
                textKey("paths", "data_dir", &KioskConfig::dataDir, absolutePath(),
                        "Where the kiosk keeps its databases and state. \"\": /var/lib/signpost "
                        "when installed, $XDG_DATA_HOME/signpost when run from a build."),
                textKey(
                    "paths", "assets_dir", &KioskConfig::assetsDir, absolutePath(),
                    "Where the bundled directory, translations and fonts are. \"\": "
                    "/usr/share/signpost when installed, the source tree when run from a build."),
                textKey("paths", "directory_bundle", &KioskConfig::directoryBundle, filePath(),
                        "The directory data loaded when the local directory is missing or damaged, "
                        "relative to assets_dir (or absolute)."),
                textKey("sync", "server_url", &KioskConfig::syncServerUrl, serverUrl(),
                        "The sync server's address, offered when staff enroll the kiosk (the staff "
                        "panel can change it). \"\" = none offered."),
                textKey("sync", "ca_file", &KioskConfig::syncCaFile, absolutePath(),
                        "A PEM file of certificate authorities to trust for the sync server. \"\" "
                        "= the system's. Certificates are always checked."),
                textKey("sync", "pin", &KioskConfig::syncPin, keyPin(),
                        "Pin the sync server's public key: \"sha256//\" and the base64 SHA-256 of "
                        "its key. \"\" = no pinning."),
                textKey("sync", "backup_pin", &KioskConfig::syncBackupPin, keyPin(),
                        "A second accepted pin, for the server's next key, so a key change does "
                        "not cut kiosks off."),
                textKey("sync", "proxy", &KioskConfig::syncProxy, text(0, 200),
                        "An HTTP proxy such as \"http://proxy.example:3128\". \"\" = from the "
                        "environment (https_proxy); \"none\" = connect directly."),
                wholeNumberKey("sync", "batch_size", &KioskConfig::syncBatchSize, 1, 100,
                               "referrals", "How many referrals go in one request."),
                wholeNumberKey("sync", "retry_max", &KioskConfig::syncRetryMaxSeconds, 30, 3600,
                               "seconds",
                               "After failures the kiosk waits longer each time (with random "
                               "jitter), up to this many seconds."),
                wholeNumberKey("sync", "directory_interval",
                               &KioskConfig::syncDirectoryIntervalSeconds, 60, 86400, "seconds",
                               "How often to ask the server for directory changes (also after each "
                               "successful send)."),
                wholeNumberKey("sync", "heartbeat_interval",
                               &KioskConfig::syncHeartbeatIntervalSeconds, 30, 86400, "seconds",
                               "How often to tell the server the kiosk is alive, with its queue "
                               "length and free disk."),
                wholeNumberKey("sync", "sent_grace", &KioskConfig::syncSentGraceHours, 0, 8760,
                               "hours",
                               "How long the sealed copy of a sent referral is kept before it is "
                               "wiped (its reference and status stay for staff)."),
            },
    };
    return kTable;
}

}  // namespace signpost::kiosk_keys
