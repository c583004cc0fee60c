// `signpost-server admin device set|set-pin|clear|show`: one kiosk's remote settings, checked
// with the kiosk's own rules (core/operations/remote_settings.h) before anything is stored, and
// its staff PIN, read from standard input and stored only as its hash.
#include <iomanip>
#include <iostream>
#include <ostream>

#include "core/common/secure_buffer.h"
#include "core/config/kiosk_config.h"
#include "core/operations/remote_settings.h"
#include "core/staff/staff_auth.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

const char* const kDeviceUsage =
    "usage: signpost-server admin device set DEVICE_ID KEY=VALUE [KEY=VALUE...]\n"
    "       signpost-server admin device set-pin DEVICE_ID    (the PIN from standard input)\n"
    "       signpost-server admin device clear DEVICE_ID KEY [KEY...]\n"
    "       signpost-server admin device show DEVICE_ID\n"
    "\n"
    "Remote settings for one kiosk, applied at its next sync. They win over the kiosk's own\n"
    "kiosk.toml (its staff panel shows them as \"set by your coordinator\") until cleared here.\n"
    "Each value is checked with the kiosk's own rules before anything is stored; one bad value\n"
    "stores nothing. KEY is a kiosk.toml key, in full or short:\n"
    "  venue (venue.name), neighbourhood, idle_timeout (seconds), languages (en,pl,ur),\n"
    "  default_language, monday .. sunday (\"09:00-17:00\", \"09:00-12:30, 13:30-17:00\",\n"
    "  \"closed\"), exceptions (\"2026-12-25 closed; 2026-12-24 09:00-13:00\"),\n"
    "  sleep_when_closed (true/false), closed_wake (seconds)\n"
    "set-pin sets the kiosk's staff PIN (staff.pin_hash): it reads the PIN from the first line of\n"
    "standard input (4 to 8 digits, not all the same, not a run such as 1234) and stores only its\n"
    "Argon2id hash; the kiosk takes it at its next sync and any lock-out there ends. `clear\n"
    "DEVICE_ID pin_hash` gives the kiosk back its own PIN.\n"
    "Example: signpost-server admin device set 3f2c... idle_timeout=120 monday=09:00-17:00\n";

// admin device set|clear|show (operations): remote settings, validated with the kiosk's own
// config spec table (core/config/kiosk_config.h), stored as JSON values per key.
int runDevice(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err) {
    const std::string action = args.required("an action: set, clear or show", kDeviceUsage);
    const std::string id = args.required("the device id", kDeviceUsage);
    std::vector<std::string> words;
    while (auto word = args.next()) {
        words.push_back(*word);
    }
    if (action != "set" && action != "clear" && action != "show" && action != "set-pin") {
        throw UsageError{"unknown action \"" + action + "\"", kDeviceUsage};
    }
    if (action == "set-pin") {
        // Never on the command line, where ps and shell histories would keep it (issue 9).
        if (!words.empty()) {
            throw UsageError{"set-pin reads the PIN from standard input, not the command line",
                             kDeviceUsage};
        }
        std::string pin;
        std::getline(std::cin, pin);
        if (!pin.empty() && pin.back() == '\r') {
            pin.pop_back();
        }
        if (!StaffAuth::isAcceptableNewPin(pin)) {
            secureWipe(pin.data(), pin.size());
            err << "signpost-server: the PIN was not set: a staff PIN is 4 to 8 digits, not all "
                   "the "
                   "same digit and not a straight run such as 1234\n";
            return exit_code::kFailed;
        }
        const std::string hash = StaffAuth::hashPin(pin);
        secureWipe(pin.data(), pin.size());
        auto store = openStore(config);
        const auto record = findDeviceOrSay(*store, id, err);
        if (!record) {
            return exit_code::kFailed;
        }
        store->setDeviceSetting(id, "staff.pin_hash", remoteValueToJson(TomlValue(hash)), now());
        err << "staff PIN set for device " << id << " (" << record->venue
            << "): the kiosk takes it at its next sync\n";
        return exit_code::kOk;
    }
    if (action == "show" && !words.empty()) {
        throw UsageError{"show takes only the device id", kDeviceUsage};
    }
    if (action != "show" && words.empty()) {
        throw UsageError{
            action == "set" ? "nothing to set: give KEY=VALUE" : "nothing to clear: give KEY",
            kDeviceUsage};
    }
    // Everything is checked before the database is opened: one bad value stores nothing.
    std::vector<std::pair<std::string, std::string>> changes;  // key → JSON value ("" = clear)
    for (const std::string& word : words) {
        const auto equals = word.find('=');
        if ((action == "set") != (equals != std::string::npos)) {
            throw UsageError{action == "set"
                                 ? "expected KEY=VALUE, got \"" + word + "\""
                                 : "expected a KEY without a value, got \"" + word + "\"",
                             kDeviceUsage};
        }
        const std::string name = word.substr(0, equals);
        const auto key = remoteSettingName(name);
        if (!key) {
            err << "signpost-server: \"" << name << "\" is not a setting coordinators can set; see "
                << "admin device --help\n";
            return exit_code::kFailed;
        }
        std::string json;
        if (action == "set") {
            try {
                json = remoteValueToJson(
                    parseRemoteSettingText(*key, std::string_view(word).substr(equals + 1)));
            } catch (const ConfigError& error) {
                err << "signpost-server: " << *key << ": " << error.what() << "\n";
                return exit_code::kFailed;
            }
        }
        changes.emplace_back(*key, json);
    }
    auto store = openStore(config);
    const auto record = findDeviceOrSay(*store, id, err);
    if (!record) {
        return exit_code::kFailed;
    }
    for (const auto& [key, json] : changes) {
        if (action == "set") {
            store->setDeviceSetting(id, key, json, now());
            err << key << " = " << (key == "staff.pin_hash" ? std::string("(a PIN hash)") : json)
                << "\n";
        } else if (store->clearDeviceSetting(id, key)) {
            err << key << " cleared: the kiosk's own value applies again\n";
        } else {
            err << key << " was not set\n";
        }
    }
    if (action != "show") {
        err << "device " << id << " (" << record->venue << ") gets these at its next sync\n";
        return exit_code::kOk;
    }
    const auto settings = store->deviceSettings(id);
    out << "device " << id << " (" << record->name << ", " << record->venue << ")"
        << (record->revoked() ? " revoked" : "") << "\n";
    if (settings.empty()) {
        out << "no remote settings: the kiosk uses its own kiosk.toml\n";
    }
    for (const auto& [key, json] : settings) {
        out << "  " << std::left << std::setw(26) << key
            << (key == "staff.pin_hash" ? std::string("(set: a PIN hash)") : json) << "\n";
    }
    return exit_code::kOk;
}

}  // namespace signpost::server
