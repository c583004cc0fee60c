#include "core/config/kiosk_config.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <sstream>
#include <variant>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/i18n/language_tag.h"
#include "core/operations/opening_hours.h"

namespace signpost {

namespace {

// --- The spec table -------------------------------------------------------------------------

using Member = std::variant<std::string KioskConfig::*, int KioskConfig::*, bool KioskConfig::*,
                            TextSize KioskConfig::*, std::vector<std::string> KioskConfig::*>;

// What a key's value must look like. The kind also fixes the field type it fills.
enum class Kind {
    Text,           // std::string: printable text, min..max characters
    Letters,        // std::string: min..max capital letters A-Z
    TimeZone,       // std::string: an IANA name like "Europe/London"
    Phone,          // std::string: digits, spaces, + ( ) -
    Label,          // std::string: min..max of A-Z a-z 0-9 . _ -
    AbsolutePath,   // std::string: "" or an absolute path
    Path,           // std::string: a non-empty path
    PinHash,        // std::string: "" or an Argon2id hash string (a secret: never echoed)
    PublicKey,      // std::string: base64 of 32 bytes
    WholeNumber,    // int: min..max, in `unit`
    Flag,           // bool
    TextSizeChoice, // TextSize
    Language,       // std::string: a BCP 47 tag, canonical case (core/i18n/language_tag.h)
    LanguageList,   // std::vector<std::string>: BCP 47 tags, canonical, "en" always added
    DayHours,       // std::string: a day's opening hours (core/operations/opening_hours.h)
    HoursExceptions,// std::vector<std::string>: dated exceptions, one date each at most
    Url,            // std::string: "" or an http(s):// URL with a host
    KeyPin,         // std::string: "" or "sha256//" + base64 of 32 bytes
};

struct Rule {
    Kind kind;
    int min = 0;
    int max = 0;
    std::string_view unit;
};

constexpr Rule text(int min, int max) { return Rule{Kind::Text, min, max, {}}; }
constexpr Rule letters(int min, int max) { return Rule{Kind::Letters, min, max, {}}; }
constexpr Rule label(int min, int max) { return Rule{Kind::Label, min, max, {}}; }
constexpr Rule wholeNumber(int min, int max, std::string_view unit) {
    return Rule{Kind::WholeNumber, min, max, unit};
}
constexpr Rule rule(Kind kind) { return Rule{kind, 0, 0, {}}; }

constexpr unsigned Required = 1;  // absent is an error
constexpr unsigned Staff = 2;     // set from the staff panel (KioskSettings)
constexpr unsigned Remote = 4;    // coordinators may set it per device on the server

struct KeySpec {
    std::string_view table;
    std::string_view key;
    Member member;
    Rule rule;
    std::string_view help;
    unsigned flags = 0;

    std::string name() const { return std::string(table) + '.' + std::string(key); }
};

struct TableSpec {
    std::string_view name;
    std::string_view help;
};

const TableSpec kTables[] = {
    {"venue", "Where this kiosk stands."},
    {"kiosk", "How the touchscreen behaves for residents."},
    // operations: opening hours
    {"hours", "The venue's opening hours, on its own clock (venue.time_zone). Outside them the kiosk shows a calm \"We're closed\" screen with where to get help now (999, 111, Samaritans, the link workers) and when the venue opens again, and lets the display sleep; a touch wakes it. A visit in progress at closing time is never cut short: the closed screen waits until it ends."},
    {"staff", "Staff mode: press and hold a corner of the screen for 3 seconds, then enter the PIN."},
    {"referral", "Self-referrals: who can read them and what residents are told."},
    {"paths", "Where the kiosk keeps its data and finds its bundled files."},
    // [sync] (helper "engine")
    {"sync", "Sending referrals to the sync server and fetching directory updates. The kiosk works fully offline without it."},
};

// clang-format off
const KeySpec kKeys[] = {
    {"venue", "name", &KioskConfig::venueName, text(1, 80),
     "The venue's name, shown to staff and sent with each referral so coordinators know where it came from.", Staff | Remote},
    {"venue", "neighbourhood", &KioskConfig::neighbourhood, text(0, 60),
     "The venue's neighbourhood, preselected on the home screen (residents can change it). Use a neighbourhood name from the directory; \"\" shows all of Manchester.", Staff | Remote},
    {"venue", "reference_prefix", &KioskConfig::referencePrefix, letters(2, 5),
     "The start of each referral reference that residents read aloud, as in MCR-4K7Q."},
    {"venue", "time_zone", &KioskConfig::timeZone, rule(Kind::TimeZone),
     "The venue's time zone (a name from /usr/share/zoneinfo), for \"open now\" and the times shown."},
    {"kiosk", "idle_timeout", &KioskConfig::idleTimeoutSeconds, wholeNumber(30, 3600, "seconds"),
     "Seconds without a touch before the kiosk asks \"Do you need more time?\".", Staff | Remote},
    {"kiosk", "idle_warning", &KioskConfig::idleWarningSeconds, wholeNumber(20, 120, "seconds"),
     "Seconds the \"Do you need more time?\" countdown lasts before everything on screen is cleared (WCAG 2.2.1 asks for at least 20)."},
    {"kiosk", "text_size", &KioskConfig::textSize, rule(Kind::TextSizeChoice),
     "Text size each session starts with; residents can change it on every screen.", Staff},
    {"kiosk", "high_contrast", &KioskConfig::highContrast, rule(Kind::Flag),
     "Start each session in the high-contrast theme; residents can change it on every screen.", Staff},
    {"kiosk", "languages", &KioskConfig::languages, rule(Kind::LanguageList),
     "Languages offered on the language button, each named by its text file in assets/i18n "
     "(zh-Hans.json is \"zh-Hans\"). English (\"en\") is always offered.", Staff | Remote},
    {"kiosk", "default_language", &KioskConfig::defaultLanguage, rule(Kind::Language),
     "The language each session starts in; one of the languages above.", Remote},
    {"kiosk", "allow_exit", &KioskConfig::allowExit, rule(Kind::Flag),
     "Show \"Exit kiosk\" in the staff panel. Keep false on a public kiosk so it cannot be closed."},
    // operations: opening hours
    {"hours", "monday", &KioskConfig::hoursMonday, rule(Kind::DayHours),
     "Monday's hours. \"00:00-24:00\" is open all day; with the default on every day the kiosk never closes.", Remote},
    {"hours", "tuesday", &KioskConfig::hoursTuesday, rule(Kind::DayHours), "Tuesday's hours.", Remote},
    {"hours", "wednesday", &KioskConfig::hoursWednesday, rule(Kind::DayHours), "Wednesday's hours.", Remote},
    {"hours", "thursday", &KioskConfig::hoursThursday, rule(Kind::DayHours), "Thursday's hours.", Remote},
    {"hours", "friday", &KioskConfig::hoursFriday, rule(Kind::DayHours), "Friday's hours.", Remote},
    {"hours", "saturday", &KioskConfig::hoursSaturday, rule(Kind::DayHours), "Saturday's hours.", Remote},
    {"hours", "sunday", &KioskConfig::hoursSunday, rule(Kind::DayHours), "Sunday's hours.", Remote},
    {"hours", "exceptions", &KioskConfig::hoursExceptions, rule(Kind::HoursExceptions),
     "Dates whose hours differ from their weekday's (bank holidays, Christmas), each \"YYYY-MM-DD hours\".", Remote},
    {"hours", "sleep_when_closed", &KioskConfig::sleepWhenClosed, rule(Kind::Flag),
     "Let the display sleep (DPMS) while the venue is closed. The app turns the display off and on itself; the kiosk session keeps screen blanking off while open.", Remote},
    {"hours", "closed_wake", &KioskConfig::closedWakeSeconds, wholeNumber(15, 600, "seconds"),
     "While closed, how long the display stays on after a touch before it sleeps again.", Remote},
    {"staff", "pin_hash", &KioskConfig::pinHash, rule(Kind::PinHash),
     "The staff PIN as an Argon2id hash, written by the staff panel. Leave it \"\" and staff mode asks for a new PIN the first time. Never write a PIN itself here."},
    {"referral", "coordinator_public_key", &KioskConfig::coordinatorPublicKey, rule(Kind::PublicKey),
     "The coordinators' public key: each referral is sealed to it at submit, so only the coordinators can read it. Paste the key printed by `signpost keygen`; the kiosk will not start without it.", Required},
    {"referral", "form_version", &KioskConfig::formVersion, label(1, 40),
     "Version of the referral form, stored with each referral."},
    {"referral", "consent_version", &KioskConfig::consentVersion, label(1, 40),
     "Version of the consent wording residents agree to, stored with each referral."},
    {"referral", "retention_months", &KioskConfig::retentionMonths, wholeNumber(1, 120, "months"),
     "How long coordinators keep a referral, as the consent text tells residents."},
    {"referral", "link_worker_phone", &KioskConfig::linkWorkerPhone, rule(Kind::Phone),
     "The link workers' phone number, shown to residents who would rather get in touch themselves."},
    {"paths", "data_dir", &KioskConfig::dataDir, rule(Kind::AbsolutePath),
     "Where the kiosk keeps its databases and state. \"\": /var/lib/signpost when installed, $XDG_DATA_HOME/signpost when run from a build."},
    {"paths", "assets_dir", &KioskConfig::assetsDir, rule(Kind::AbsolutePath),
     "Where the bundled directory, translations and fonts are. \"\": /usr/share/signpost when installed, the source tree when run from a build."},
    {"paths", "directory_bundle", &KioskConfig::directoryBundle, rule(Kind::Path),
     "The directory data loaded when the local directory is missing or damaged, relative to assets_dir (or absolute)."},
    // [sync] (helper "engine")
    {"sync", "server_url", &KioskConfig::syncServerUrl, rule(Kind::Url),
     "The sync server's address, offered when staff enroll the kiosk (the staff panel can change it). \"\" = none offered."},
    {"sync", "ca_file", &KioskConfig::syncCaFile, rule(Kind::AbsolutePath),
     "A PEM file of certificate authorities to trust for the sync server. \"\" = the system's. Certificates are always checked."},
    {"sync", "pin", &KioskConfig::syncPin, rule(Kind::KeyPin),
     "Pin the sync server's public key: \"sha256//\" and the base64 SHA-256 of its key. \"\" = no pinning."},
    {"sync", "backup_pin", &KioskConfig::syncBackupPin, rule(Kind::KeyPin),
     "A second accepted pin, for the server's next key, so a key change does not cut kiosks off."},
    {"sync", "proxy", &KioskConfig::syncProxy, text(0, 200),
     "An HTTP proxy such as \"http://proxy.example:3128\". \"\" = from the environment (https_proxy); \"none\" = connect directly."},
    {"sync", "batch_size", &KioskConfig::syncBatchSize, wholeNumber(1, 100, "referrals"),
     "How many referrals go in one request."},
    {"sync", "retry_max", &KioskConfig::syncRetryMaxSeconds, wholeNumber(30, 3600, "seconds"),
     "After failures the kiosk waits longer each time (with random jitter), up to this many seconds."},
    {"sync", "directory_interval", &KioskConfig::syncDirectoryIntervalSeconds, wholeNumber(60, 86400, "seconds"),
     "How often to ask the server for directory changes (also after each successful send)."},
    {"sync", "heartbeat_interval", &KioskConfig::syncHeartbeatIntervalSeconds, wholeNumber(30, 86400, "seconds"),
     "How often to tell the server the kiosk is alive, with its queue length and free disk."},
    {"sync", "sent_grace", &KioskConfig::syncSentGraceHours, wholeNumber(0, 8760, "hours"),
     "How long the sealed copy of a sent referral is kept before it is wiped (its reference and status stay for staff)."},
};
// clang-format on

const KeySpec* findSpec(std::string_view table, std::string_view key) {
    for (const KeySpec& spec : kKeys) {
        if (spec.table == table && spec.key == key) {
            return &spec;
        }
    }
    return nullptr;
}

bool isKnownTable(std::string_view name) {
    return std::any_of(std::begin(kTables), std::end(kTables),
                       [&](const TableSpec& table) { return table.name == name; });
}

// --- Checks --------------------------------------------------------------------------------

bool isLanguageCode(std::string_view code) { return canonicalLanguageTag(code).has_value(); }

std::size_t characterCount(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool hasControlCharacters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
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
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '+' || c == '-' || c == '/';
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

std::string describe(const Rule& rule) {
    const std::string min = std::to_string(rule.min);
    const std::string max = std::to_string(rule.max);
    switch (rule.kind) {
        case Kind::Text:
            return rule.min == 0 ? "text in quotes, at most " + max + " characters"
                                 : "text in quotes, " + min + " to " + max + " characters";
        case Kind::Letters: return min + " to " + max + " capital letters A to Z, in quotes";
        case Kind::TimeZone: return "a time zone name in quotes, like \"Europe/London\"";
        case Kind::Phone: return "a phone number in quotes, like \"0161 496 0000\"";
        case Kind::Label:
            return "a version label in quotes: " + min + " to " + max +
                   " letters, digits, dots, dashes or underscores";
        case Kind::AbsolutePath: return "an absolute path in quotes, or \"\" for the default";
        case Kind::Path: return "a file path in quotes";
        case Kind::PinHash: return "an Argon2id hash written by the staff panel, or \"\" for no PIN";
        case Kind::PublicKey:
            return "the coordinators' public key printed by \"signpost keygen\" (base64 of 32 bytes)";
        case Kind::WholeNumber:
            return "a whole number of " + std::string(rule.unit) + " from " + min + " to " + max;
        case Kind::Flag: return "true or false";
        case Kind::TextSizeChoice: return "one of \"normal\", \"large\", \"largest\"";
        case Kind::Language: return "a BCP 47 language tag in quotes, like \"en\", \"ckb\" or \"zh-Hans\"";
        case Kind::LanguageList:
            return "a list of BCP 47 language tags, like [\"en\", \"pl\", \"ckb\", \"zh-Hans\"]";
        case Kind::DayHours:
            return "opening hours in quotes: \"09:00-17:00\", \"09:00-12:30, 13:30-17:00\" or \"closed\"";
        case Kind::HoursExceptions:
            return "a list of dates with their hours, like [\"2026-12-25 closed\", \"2026-12-24 09:00-13:00\"]";
        case Kind::Url: return "\"\" or an address in quotes starting https:// (or http://)";
        case Kind::KeyPin: return "\"\" or \"sha256//\" followed by base64 of 32 bytes";
    }
    return "a valid value";
}

// A value as an error shows it: TOML syntax, cut short if long.
std::string shown(const TomlValue& value) {
    std::string text = formatTomlValue(value);
    if (characterCount(text) > 60) {
        std::size_t cut = 57;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut;  // never split a UTF-8 sequence
        }
        text = text.substr(0, cut) + "...";
    }
    return text;
}

bool checkString(const Rule& rule, const std::string& value) {
    const std::size_t length = characterCount(value);
    switch (rule.kind) {
        case Kind::Text:
            return !hasControlCharacters(value) && length >= static_cast<std::size_t>(rule.min) &&
                   length <= static_cast<std::size_t>(rule.max);
        case Kind::Letters:
            return length >= static_cast<std::size_t>(rule.min) &&
                   length <= static_cast<std::size_t>(rule.max) &&
                   std::all_of(value.begin(), value.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        case Kind::TimeZone: return isTimeZoneName(value);
        case Kind::Phone: return isPhoneNumber(value);
        case Kind::Label:
            return length >= static_cast<std::size_t>(rule.min) &&
                   length <= static_cast<std::size_t>(rule.max) &&
                   std::all_of(value.begin(), value.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                   });
        case Kind::AbsolutePath:
            return value.empty() || (value.front() == '/' && !hasControlCharacters(value));
        case Kind::Path: return !value.empty() && !hasControlCharacters(value);
        case Kind::PinHash: return isPinHash(value);
        case Kind::PublicKey: {
            const auto bytes = fromBase64(value);
            return bytes && bytes->size() == 32;
        }
        case Kind::Language: return isLanguageCode(value);
        case Kind::DayHours: return OpeningHours::parseDay(value).has_value();
        case Kind::Url: {
            if (value.empty()) {
                return true;
            }
            const bool https = value.rfind("https://", 0) == 0;
            const std::size_t host = https ? 8 : 7;
            return (https || value.rfind("http://", 0) == 0) && value.size() > host &&
                   value[host] != '/' && value.size() <= 200 &&
                   value.find_first_of(" \"<>\\") == std::string::npos &&
                   !hasControlCharacters(value);
        }
        case Kind::KeyPin: {
            if (value.empty()) {
                return true;
            }
            if (value.rfind("sha256//", 0) != 0) {
                return false;
            }
            const auto bytes = fromBase64(std::string_view(value).substr(8));
            return bytes && bytes->size() == 32;
        }
        default: return false;
    }
}

std::optional<std::string> readLanguageList(const TomlArray& items, const std::string& expectation,
                                            std::vector<std::string>& codes) {
    for (const auto& item : items) {
        if (std::holds_alternative<std::int64_t>(item)) {
            return std::to_string(std::get<std::int64_t>(item)) +
                   " is not a BCP 47 language tag; expected " + expectation;
        }
        const std::optional<std::string> canonical = canonicalLanguageTag(std::get<std::string>(item));
        if (!canonical) {
            return shown(std::get<std::string>(item)) + " is not a BCP 47 language tag; expected " +
                   expectation;
        }
        const std::string& code = *canonical;
        if (std::find(codes.begin(), codes.end(), code) != codes.end()) {
            return shown(code) + " is listed twice";
        }
        codes.push_back(code);
    }
    return std::nullopt;
}

// Checks `value` against the row's rule and, if it passes, stores it in `config`. Returns the
// problem for the error message, or nullopt. `notes` collects warnings (may be null).
std::optional<std::string> apply(const KeySpec& spec, const TomlValue& value, KioskConfig& config,
                                 std::vector<std::string>* notes) {
    const Rule& rule = spec.rule;
    auto expected = [&]() {
        std::string problem = "expected " + describe(rule);
        if (rule.kind != Kind::PinHash) {  // a mistyped PIN must not end up in a log
            problem += ", got " + shown(value);
        }
        return problem;
    };
    switch (rule.kind) {
        case Kind::WholeNumber: {
            const auto* number = std::get_if<std::int64_t>(&value);
            if (number == nullptr || *number < rule.min || *number > rule.max) {
                return expected();
            }
            config.*std::get<int KioskConfig::*>(spec.member) = static_cast<int>(*number);
            return std::nullopt;
        }
        case Kind::Flag: {
            const auto* flag = std::get_if<bool>(&value);
            if (flag == nullptr) {
                return expected();
            }
            config.*std::get<bool KioskConfig::*>(spec.member) = *flag;
            return std::nullopt;
        }
        case Kind::TextSizeChoice: {
            const auto* name = std::get_if<std::string>(&value);
            const std::optional<TextSize> size = name ? parseTextSize(*name) : std::nullopt;
            if (!size) {
                return expected();
            }
            config.*std::get<TextSize KioskConfig::*>(spec.member) = *size;
            return std::nullopt;
        }
        case Kind::LanguageList: {
            if (!std::holds_alternative<TomlArray>(value)) {
                return expected();
            }
            std::vector<std::string> codes;
            if (auto problem = readLanguageList(std::get<TomlArray>(value), describe(rule), codes)) {
                return problem;
            }
            if (std::find(codes.begin(), codes.end(), "en") == codes.end()) {
                // English is the fallback for every missing translation, so it is always offered.
                codes.insert(codes.begin(), "en");
                if (notes != nullptr) {
                    notes->push_back("\"en\" is always offered; it was added to the list");
                }
            }
            config.*std::get<std::vector<std::string> KioskConfig::*>(spec.member) = std::move(codes);
            return std::nullopt;
        }
        case Kind::HoursExceptions: {
            const auto* items = std::get_if<TomlArray>(&value);
            if (items == nullptr) {
                return expected();
            }
            std::vector<std::string> entries;
            std::vector<std::chrono::year_month_day> dates;
            for (const auto& item : *items) {
                const auto* entry = std::get_if<std::string>(&item);
                std::string problem = "expected text in quotes";
                const auto exception = entry ? OpeningHours::parseException(*entry, &problem) : std::nullopt;
                if (!exception) {
                    return problem + "; expected " + describe(rule);
                }
                if (std::find(dates.begin(), dates.end(), exception->date) != dates.end()) {
                    return shown(*entry) + ": that date is listed twice";
                }
                dates.push_back(exception->date);
                entries.push_back(*entry);
            }
            config.*std::get<std::vector<std::string> KioskConfig::*>(spec.member) = std::move(entries);
            return std::nullopt;
        }
        default: {
            const auto* textValue = std::get_if<std::string>(&value);
            if (textValue == nullptr || !checkString(rule, *textValue)) {
                return expected();
            }
            // Tags are kept in canonical case: "zh-hans" names the file zh-Hans.json.
            config.*std::get<std::string KioskConfig::*>(spec.member) =
                rule.kind == Kind::Language ? canonicalLanguageTag(*textValue).value_or(*textValue) : *textValue;
            return std::nullopt;
        }
    }
}

TomlValue valueOf(const KeySpec& spec, const KioskConfig& config) {
    struct Reader {
        const KioskConfig& config;
        TomlValue operator()(std::string KioskConfig::*m) const { return config.*m; }
        TomlValue operator()(int KioskConfig::*m) const { return std::int64_t{config.*m}; }
        TomlValue operator()(bool KioskConfig::*m) const { return config.*m; }
        TomlValue operator()(TextSize KioskConfig::*m) const {
            return std::string(toString(config.*m));
        }
        TomlValue operator()(std::vector<std::string> KioskConfig::*m) const {
            TomlArray items;
            for (const std::string& item : config.*m) {
                items.emplace_back(item);
            }
            return items;
        }
    };
    return std::visit(Reader{config}, spec.member);
}

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

void addWarning(KioskConfig& config, int line, std::string key, std::string message) {
    config.warnings.push_back(ConfigWarning{line, std::move(key), std::move(message)});
}

KioskConfig fromDocument(const TomlDocument& document) {
    const std::string& fileName = document.fileName();
    KioskConfig config;
    for (const TomlTable& table : document.tables()) {
        if (!isKnownTable(table.name)) {
            addWarning(config, table.line, table.name,
                       "unknown table [" + table.name + "]; it and its keys are ignored");
        }
    }
    for (const TomlEntry& entry : document.entries()) {
        const std::string name = entry.table.empty() ? entry.key : entry.table + '.' + entry.key;
        const KeySpec* spec = findSpec(entry.table, entry.key);
        if (spec == nullptr) {
            if (!entry.table.empty() && !isKnownTable(entry.table)) {
                continue;  // the table's own warning covers it
            }
            std::string message = "unknown key; it is ignored";
            for (const KeySpec& other : kKeys) {
                if (other.key == entry.key) {
                    message += " (did you mean " + other.name() + "?)";
                    break;
                }
            }
            addWarning(config, entry.line, name, std::move(message));
            continue;
        }
        std::vector<std::string> notes;
        if (auto problem = apply(*spec, entry.value, config, &notes)) {
            throw ConfigError(fileName, entry.line, name, *problem);
        }
        for (std::string& note : notes) {
            addWarning(config, entry.line, name, std::move(note));
        }
    }
    for (const KeySpec& spec : kKeys) {
        if ((spec.flags & Required) != 0 && document.find(spec.table, spec.key) == nullptr) {
            const TomlTable* table = document.findTable(spec.table);
            throw ConfigError(fileName, table ? table->line : 0, spec.name(),
                              "missing; expected " + describe(spec.rule) + " under [" +
                                  std::string(spec.table) + "]");
        }
    }
    checkAcrossKeys(document, config, fileName);
    std::stable_sort(config.warnings.begin(), config.warnings.end(),
                     [](const ConfigWarning& a, const ConfigWarning& b) { return a.line < b.line; });
    return config;
}

// --- Saving --------------------------------------------------------------------------------

void saveKeys(const std::filesystem::path& file, const KioskConfig& staged,
              const std::function<bool(const KeySpec&)>& selects) {
    const std::string fileName = file.string();
    // 1. The new values on their own, before anything is read or written.
    KioskConfig checked;
    std::vector<std::pair<const KeySpec*, TomlValue>> changes;
    for (const KeySpec& spec : kKeys) {
        if (!selects(spec)) {
            continue;
        }
        if (auto problem = apply(spec, valueOf(spec, staged), checked, nullptr)) {
            throw ConfigError(fileName, 0, spec.name(), *problem);
        }
        changes.emplace_back(&spec, valueOf(spec, checked));  // normalised ("en" added)
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
        const bool unchanged = entry ? entry->value == value : value == valueOf(*spec, defaults);
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

// Wraps `text` into comment lines of at most `width` characters.
void appendComment(std::string& out, std::string_view text, std::size_t width = 99) {
    std::istringstream words{std::string(text)};
    std::string word;
    std::string line = "#";
    while (words >> word) {
        if (line.size() > 1 && line.size() + 1 + word.size() > width) {
            out += line + '\n';
            line = "#";
        }
        line += ' ' + word;
    }
    out += line + '\n';
}

std::string markdownCell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

}  // namespace

const char* toString(TextSize size) {
    switch (size) {
        case TextSize::Normal: return "normal";
        case TextSize::Large: return "large";
        case TextSize::Largest: return "largest";
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
    return fromDocument(TomlDocument::parse(text, fileName));
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

void saveKioskSettings(const std::filesystem::path& file, const KioskSettings& settings,
                       const std::vector<std::string>& leaveAlone) {
    KioskConfig staged;
    staged.venueName = settings.venueName;
    staged.neighbourhood = settings.neighbourhood;
    staged.idleTimeoutSeconds = settings.idleTimeoutSeconds;
    staged.textSize = settings.textSize;
    staged.highContrast = settings.highContrast;
    staged.languages = settings.languages;
    saveKeys(file, staged, [&leaveAlone](const KeySpec& spec) {
        return (spec.flags & Staff) != 0 &&
               std::find(leaveAlone.begin(), leaveAlone.end(), spec.name()) == leaveAlone.end();
    });
}

void savePinHash(const std::filesystem::path& file, const std::string& pinHash) {
    KioskConfig staged;
    staged.pinHash = pinHash;
    saveKeys(file, staged,
             [](const KeySpec& spec) { return spec.member == Member(&KioskConfig::pinHash); });
}

std::string exampleKioskConfig() {
    std::string out;
    appendComment(out, "Signpost kiosk configuration.");
    out += "#\n";
    appendComment(out,
                  "Every key is shown with its default value and what it may be set to; a key "
                  "left out takes its default. A bad value stops the kiosk at start with one line "
                  "naming this file, the line and the key. An unknown key is only a warning, shown "
                  "in the staff panel. Settings changed in the staff panel are saved back into "
                  "this file, keeping these comments.");
    out += "#\n";
    appendComment(out,
                  "Format: TOML (a subset): one level of [tables], text in \"quotes\", lists on "
                  "one line, no inline tables.");
    for (const TableSpec& table : kTables) {
        out += '\n';
        appendComment(out, table.help);
        out += '[' + std::string(table.name) + "]\n";
        bool first = true;
        for (const KeySpec& spec : kKeys) {
            if (spec.table != table.name) {
                continue;
            }
            if (!first) {
                out += '\n';
            }
            first = false;
            const std::string value = formatTomlValue(valueOf(spec, KioskConfig{}));
            appendComment(out, spec.help);
            appendComment(out, "Allowed: " + describe(spec.rule) + '.' +
                                   ((spec.flags & Staff) != 0 ? " Also set from the staff panel."
                                                              : "") +
                                   ((spec.flags & Remote) != 0
                                        ? " Coordinators may set it for this kiosk on the server; "
                                          "their value then wins over this file until they clear it."
                                        : ""));
            if ((spec.flags & Required) != 0) {
                appendComment(out, "Required: no default; the kiosk will not start until it is set.");
            } else if (value.size() + 11 <= 99) {
                appendComment(out, "Default: " + value);
            } else {
                // A list too long for one comment line (every language offered) is shown once,
                // on the key's own line below.
                appendComment(out, "Default: the value below.");
            }
            out += std::string(spec.key) + " = " + value + '\n';
        }
    }
    return out;
}

std::string kioskConfigReferenceMarkdown() {
    std::string out;
    for (const TableSpec& table : kTables) {
        if (!out.empty()) {
            out += '\n';
        }
        out += "### `[" + std::string(table.name) + "]`\n\n" + std::string(table.help) + "\n\n";
        out += "| Key | Default | Allowed values | Staff panel | What it does |\n";
        out += "|---|---|---|---|---|\n";
        for (const KeySpec& spec : kKeys) {
            if (spec.table != table.name) {
                continue;
            }
            const std::string fallback = (spec.flags & Required) != 0
                                             ? std::string("required")
                                             : '`' + formatTomlValue(valueOf(spec, KioskConfig{})) + '`';
            out += "| `" + std::string(spec.key) + "` | " + markdownCell(fallback) + " | " +
                   markdownCell(describe(spec.rule)) + " | " +
                   ((spec.flags & Staff) != 0 ? "yes" : "") + " | " + markdownCell(spec.help) +
                   " |\n";
        }
    }
    return out;
}

// --- Remote settings (operations) -----------------------------------------------------------

bool KioskConfig::isRemote(std::string_view key) const {
    return std::find(remoteKeys.begin(), remoteKeys.end(), key) != remoteKeys.end();
}

std::vector<std::string> remoteSettingKeys() {
    std::vector<std::string> names;
    for (const KeySpec& spec : kKeys) {
        if ((spec.flags & Remote) != 0) {
            names.push_back(spec.name());
        }
    }
    return names;
}

std::optional<std::string> remoteSettingName(std::string_view name) {
    if (name == "venue") {
        return std::string("venue.name");
    }
    for (const KeySpec& spec : kKeys) {
        if ((spec.flags & Remote) != 0 && (spec.name() == name || spec.key == name)) {
            return spec.name();
        }
    }
    return std::nullopt;
}

namespace {

const KeySpec* remoteSpec(std::string_view key) {
    for (const KeySpec& spec : kKeys) {
        if ((spec.flags & Remote) != 0 && spec.name() == key) {
            return &spec;
        }
    }
    return nullptr;
}

std::string trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return std::string(text);
}

}  // namespace

TomlValue parseRemoteSettingText(const std::string& key, std::string_view text) {
    const KeySpec* spec = remoteSpec(key);
    if (spec == nullptr) {
        throw ConfigError("remote setting", 0, key, "cannot be set remotely");
    }
    TomlValue value;
    const std::string clean = trimmed(text);
    const bool list = spec->rule.kind == Kind::LanguageList || spec->rule.kind == Kind::HoursExceptions;
    if (list && !clean.empty() && clean.front() == '[') {
        // TOML syntax, as in kiosk.toml: parsed by the same reader.
        const TomlDocument document = TomlDocument::parse("v = " + clean + "\n", "remote setting");
        value = document.entries().at(0).value;
    } else if (list) {
        // Plain text: languages split on ',', exceptions on ';' (their hours may hold commas).
        const char separator = spec->rule.kind == Kind::LanguageList ? ',' : ';';
        TomlArray items;
        std::size_t start = 0;
        while (start <= clean.size() && !clean.empty()) {
            const std::size_t at = clean.find(separator, start);
            const std::string item = trimmed(std::string_view(clean).substr(start, at == std::string::npos ? std::string::npos : at - start));
            if (!item.empty()) {
                items.emplace_back(item);
            }
            if (at == std::string::npos) {
                break;
            }
            start = at + 1;
        }
        value = std::move(items);
    } else if (spec->rule.kind == Kind::WholeNumber) {
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(clean.data(), clean.data() + clean.size(), number);
        if (error != std::errc() || end != clean.data() + clean.size() || clean.empty()) {
            throw ConfigError("remote setting", 0, key, "expected " + describe(spec->rule) + ", got \"" + clean + "\"");
        }
        value = number;
    } else if (spec->rule.kind == Kind::Flag) {
        if (clean != "true" && clean != "false") {
            throw ConfigError("remote setting", 0, key, "expected true or false, got \"" + clean + "\"");
        }
        value = clean == "true";
    } else {
        value = clean;
    }
    return normaliseRemoteSetting(key, value);
}

TomlValue normaliseRemoteSetting(const std::string& key, const TomlValue& value) {
    const KeySpec* spec = remoteSpec(key);
    if (spec == nullptr) {
        throw ConfigError("remote setting", 0, key, "cannot be set remotely");
    }
    KioskConfig scratch;
    if (auto problem = apply(*spec, value, scratch, nullptr)) {
        throw ConfigError("remote setting", 0, key, *problem);
    }
    return valueOf(*spec, scratch);
}

std::vector<std::string> applyRemoteSettings(KioskConfig& config,
                                             const std::vector<std::pair<std::string, TomlValue>>& settings) {
    std::vector<std::string> problems;
    for (const auto& [key, value] : settings) {
        const KeySpec* spec = remoteSpec(key);
        if (spec == nullptr) {
            problems.push_back(key + ": not a remote setting this kiosk knows; ignored");
            continue;
        }
        KioskConfig staged = config;
        if (auto problem = apply(*spec, value, staged, nullptr)) {
            problems.push_back(key + ": " + *problem + "; ignored");
            continue;
        }
        config = std::move(staged);
        if (!config.isRemote(key)) {
            config.remoteKeys.push_back(key);
        }
    }
    // The one rule across keys: sessions must start in an offered language.
    const auto& languages = config.languages;
    if (std::find(languages.begin(), languages.end(), config.defaultLanguage) == languages.end()) {
        problems.push_back("kiosk.default_language: \"" + config.defaultLanguage +
                           "\" is not among the languages offered; sessions start in English");
        config.defaultLanguage = "en";
    }
    return problems;
}

}  // namespace signpost
