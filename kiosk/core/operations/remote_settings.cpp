#include "core/operations/remote_settings.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/staff_note.h"
#include "core/config/kiosk_config.h"

namespace signpost {

namespace {

using Json = nlohmann::json;

Json toJson(const TomlValue& value) {
    struct Writer {
        Json operator()(bool flag) const { return flag; }
        Json operator()(std::int64_t number) const { return number; }
        Json operator()(double number) const { return number; }
        Json operator()(const std::string& text) const { return text; }
        Json operator()(const TomlArray& items) const {
            Json array = Json::array();
            for (const TomlValue& item : items) {
                array.push_back(std::visit(*this, item));
            }
            return array;
        }
        Json operator()(const TomlTableValue& table) const {
            Json object = Json::object();
            for (const TomlKeyValue& item : table.items) {
                object[item.key] = std::visit(*this, item.value);
            }
            return object;
        }
        Json operator()(const TomlDateTime& when) const { return when.text; }
    };
    return std::visit(Writer{}, value);
}

TomlValue fromJson(const Json& json, const std::string& key) {
    if (json.is_boolean()) {
        return json.get<bool>();
    }
    if (json.is_number_integer()) {
        return json.get<std::int64_t>();
    }
    if (json.is_string()) {
        return json.get<std::string>();
    }
    if (json.is_array()) {
        TomlArray items;
        for (const Json& item : json) {
            if (!item.is_string()) {
                throw RemoteSettingsError(key + ": a list may only hold text");
            }
            items.emplace_back(item.get<std::string>());
        }
        return items;
    }
    throw RemoteSettingsError(key +
                              ": expected text, a whole number, true/false or a list of text");
}

}  // namespace

std::string remoteValueToJson(const TomlValue& value) {
    return toJson(value).dump();
}

TomlValue remoteValueFromJson(std::string_view json) {
    const Json parsed = Json::parse(json, nullptr, false);
    if (parsed.is_discarded()) {
        throw RemoteSettingsError("a stored setting is not valid JSON");
    }
    return fromJson(parsed, "value");
}

std::string remoteSettingsToJson(const RemoteSettings& settings, bool withState) {
    Json values = Json::object();
    for (const auto& [key, value] : settings.values) {
        values[key] = toJson(value);
    }
    Json document = Json::object();
    document["settings"] = std::move(values);
    if (withState) {
        document["etag"] = settings.etag;
        document["received_at"] = settings.receivedAt;
    }
    return document.dump(2) + "\n";
}

RemoteSettings remoteSettingsFromJson(std::string_view text) {
    // nlohmann keeps the last of duplicate keys silently; a strict callback refuses them.
    bool duplicate = false;
    std::vector<std::vector<std::string>> seen;
    const Json document = Json::parse(
        text,
        [&](int depth, Json::parse_event_t event, Json& parsed) {
            if (event == Json::parse_event_t::object_start) {
                seen.resize(static_cast<std::size_t>(depth) + 2);
                seen[static_cast<std::size_t>(depth) + 1].clear();
            } else if (event == Json::parse_event_t::key) {
                auto& keys = seen.at(static_cast<std::size_t>(depth));
                const std::string name = parsed.get<std::string>();
                if (std::find(keys.begin(), keys.end(), name) != keys.end()) {
                    duplicate = true;
                }
                keys.push_back(name);
            }
            return true;
        },
        false);
    if (document.is_discarded()) {
        throw RemoteSettingsError("remote settings are not valid JSON");
    }
    if (duplicate) {
        throw RemoteSettingsError("remote settings name a key twice");
    }
    if (!document.is_object() || !document.contains("settings") ||
        !document["settings"].is_object()) {
        throw RemoteSettingsError("remote settings have no \"settings\" object");
    }
    RemoteSettings settings;
    for (const auto& [key, value] : document["settings"].items()) {
        settings.values.emplace_back(key, fromJson(value, key));
    }
    std::sort(settings.values.begin(), settings.values.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (document.contains("etag") && document["etag"].is_string()) {
        settings.etag = document["etag"].get<std::string>();
    }
    if (document.contains("received_at") && document["received_at"].is_string()) {
        settings.receivedAt = document["received_at"].get<std::string>();
    }
    return settings;
}

std::string remoteSettingsEtag(const RemoteSettings& settings) {
    RemoteSettings valuesOnly;
    valuesOnly.values = settings.values;
    std::sort(valuesOnly.values.begin(), valuesOnly.values.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::string text = remoteSettingsToJson(valuesOnly, false);
    return "\"" + shortDigestHex(text) + "\"";
}

std::optional<RemoteSettings> loadRemoteSettings(const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return std::nullopt;
    }
    return remoteSettingsFromJson(readFile(file));
}

void saveRemoteSettings(const std::filesystem::path& file, const RemoteSettings& settings) {
    writeFileAtomically(file, remoteSettingsToJson(settings), 0644);
}

void layRemoteSettings(KioskConfig& config, const std::filesystem::path& dataDir,
                       std::vector<StaffNote>& notes) {
    const std::filesystem::path file = dataDir / kRemoteSettingsFileName;
    std::optional<RemoteSettings> remote;
    try {
        remote = loadRemoteSettings(file);
    } catch (const std::exception& error) {
        // The kiosk must start: kiosk.toml alone applies until the next sync brings a good copy.
        logWarning("config", std::string("remote settings ignored: ") + error.what());
        notes.push_back({"note.remote_settings_damaged", file.filename().string()});
        return;
    }
    if (!remote) {
        return;
    }
    for (const std::string& problem : applyRemoteSettings(config, remote->values)) {
        logWarning("config", "remote setting: " + problem);
        notes.push_back({"note.remote_setting_ignored", problem});
    }
    if (!config.remoteKeys.empty()) {
        std::string keys;
        for (const std::string& key : config.remoteKeys) {
            keys += (keys.empty() ? "" : ", ") + key;
        }
        logInfo("config", "set by the coordinators: " + keys);
    }
}

}  // namespace signpost
