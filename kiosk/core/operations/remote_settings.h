// Signpost — remote settings: per-device settings the coordinators set on the server
// (`signpost-server admin device set ID key=value`), served to the kiosk as JSON
// (GET /v1/devices/settings, with an ETag) and kept by the kiosk in
// <data dir>/remote-settings.json, laid over kiosk.toml (precedence: kiosk_config.h, "Remote
// settings").
//
// The JSON, on the wire and on disk:
//   {"settings": {"kiosk.idle_timeout": 120, "kiosk.languages": ["en", "pl"],
//                 "hours.monday": "09:00-17:00"},
//    "etag": "\"3f9a…\"",                 (disk only: the ETag it came with)
//    "received_at": "2026-11-23T12:00:00.000Z"}   (disk only)
// Values are JSON strings, integers, booleans or arrays of strings — the TOML value of the same
// key in kiosk.toml. An empty "settings" object means "nothing set remotely".
//
// Thread-safety: pure functions; file functions are safe for different paths.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/toml.h"

namespace signpost {

struct KioskConfig;
struct StaffNote;

// A remote-settings document that is not the JSON above.
class RemoteSettingsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr const char* kRemoteSettingsFileName = "remote-settings.json";

struct RemoteSettings {
    std::vector<std::pair<std::string, TomlValue>> values;  // "table.key" → value, sorted by key
    std::string etag;                                       // as the server sent it; "" = none
    std::string receivedAt;                                 // UTC ISO 8601; "" = unknown
    bool operator==(const RemoteSettings&) const = default;
};

// Serialises (keys sorted, so equal settings give equal text). `withState` adds etag and
// received_at (the disk form); without them it is the server's response body.
std::string remoteSettingsToJson(const RemoteSettings& settings, bool withState = true);
// Parses either form. Throws RemoteSettingsError on malformed JSON, a non-object "settings", a
// value that is not a string, integer, boolean or array of strings, or a duplicate key.
RemoteSettings remoteSettingsFromJson(std::string_view text);

// One value as JSON text ("120", "\"09:00-17:00\"", "[\"en\",\"pl\"]") and back; the server
// stores each value this way. fromJson throws RemoteSettingsError.
std::string remoteValueToJson(const TomlValue& value);
TomlValue remoteValueFromJson(std::string_view json);

// A strong ETag ("\"<32 hex>\"") over the values alone: equal settings, equal ETag.
std::string remoteSettingsEtag(const RemoteSettings& settings);

// Reads <file>; nullopt if it does not exist. Throws RemoteSettingsError (malformed) or
// FileError (unreadable).
std::optional<RemoteSettings> loadRemoteSettings(const std::filesystem::path& file);
// Writes atomically (temp, fsync, rename), mode 0644. Throws FileError.
void saveRemoteSettings(const std::filesystem::path& file, const RemoteSettings& settings);

// At start and after each sync: lays <dataDir>/remote-settings.json over `config` (which must
// hold kiosk.toml alone). A damaged file is ignored (kiosk.toml alone applies) and a setting
// this kiosk cannot use is skipped; each leaves a StaffNote (note.remote_settings_damaged,
// note.remote_setting_ignored) and a log line. Never throws.
void layRemoteSettings(KioskConfig& config, const std::filesystem::path& dataDir,
                       std::vector<StaffNote>& notes);

}  // namespace signpost
