// Remote settings: the kiosk.toml keys coordinators may set per device on the server
// (kiosk_config.h, "Remote settings"), checked with the same key table as the file.
#include <algorithm>
#include <charconv>

#include "core/common/text_util.h"
#include "core/config/kiosk_config.h"
#include "core/config/kiosk_config_keys.h"

namespace signpost {

namespace {

using Key = ConfigKey<KioskConfig>;

const Key* remoteKey(std::string_view name) {
    const Key* spec = kiosk_keys::table().find(name);
    return spec != nullptr && (spec->flags & kiosk_keys::Remote) != 0 ? spec : nullptr;
}

const Key& requireRemoteKey(const std::string& name) {
    const Key* spec = remoteKey(name);
    if (spec == nullptr) {
        throw ConfigError("remote setting", 0, name, "cannot be set remotely");
    }
    return *spec;
}

// Plain text as a list: languages split on ',', hours exceptions on ';' (their hours may hold
// commas).
TomlArray splitList(const std::string& text, char separator) {
    TomlArray items;
    std::size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        const std::size_t at = text.find(separator, start);
        const std::string item(trim(std::string_view(text).substr(
            start, at == std::string::npos ? std::string::npos : at - start)));
        if (!item.empty()) {
            items.emplace_back(item);
        }
        if (at == std::string::npos) {
            break;
        }
        start = at + 1;
    }
    return items;
}

}  // namespace

std::vector<std::string> remoteSettingKeys() {
    std::vector<std::string> names;
    for (const Key& spec : kiosk_keys::table().keys) {
        if ((spec.flags & kiosk_keys::Remote) != 0) {
            names.push_back(spec.name());
        }
    }
    return names;
}

std::optional<std::string> remoteSettingName(std::string_view name) {
    if (name == "venue") {
        return std::string("venue.name");
    }
    for (const Key& spec : kiosk_keys::table().keys) {
        if ((spec.flags & kiosk_keys::Remote) != 0 && (spec.name() == name || spec.key == name)) {
            return spec.name();
        }
    }
    return std::nullopt;
}

TomlValue parseRemoteSettingText(const std::string& key, std::string_view text) {
    const Key& spec = requireRemoteKey(key);
    TomlValue value;
    const std::string clean(trim(text));
    if (spec.shape == KeyShape::TextList && !clean.empty() && clean.front() == '[') {
        // TOML syntax, as in kiosk.toml: parsed by the same reader.
        const TomlDocument document = TomlDocument::parse("v = " + clean + "\n", "remote setting");
        value = document.entries().at(0).value;
    } else if (spec.shape == KeyShape::TextList) {
        value = splitList(clean, spec.key == "exceptions" ? ';' : ',');
    } else if (spec.shape == KeyShape::WholeNumber) {
        std::int64_t number = 0;
        const auto [end, error] =
            std::from_chars(clean.data(), clean.data() + clean.size(), number);
        if (error != std::errc() || end != clean.data() + clean.size() || clean.empty()) {
            throw ConfigError("remote setting", 0, key,
                              "expected " + spec.allowed + ", got \"" + clean + "\"");
        }
        value = number;
    } else if (spec.shape == KeyShape::Flag) {
        if (clean != "true" && clean != "false") {
            throw ConfigError("remote setting", 0, key,
                              "expected true or false, got \"" + clean + "\"");
        }
        value = clean == "true";
    } else {
        value = clean;
    }
    return normaliseRemoteSetting(key, value);
}

TomlValue normaliseRemoteSetting(const std::string& key, const TomlValue& value) {
    const Key& spec = requireRemoteKey(key);
    KioskConfig scratch;
    if (auto problem = spec.read(scratch, value, nullptr)) {
        throw ConfigError("remote setting", 0, key, *problem);
    }
    return spec.write(scratch);
}

std::vector<std::string> applyRemoteSettings(
    KioskConfig& config, const std::vector<std::pair<std::string, TomlValue>>& settings) {
    std::vector<std::string> problems;
    for (const auto& [key, value] : settings) {
        const Key* spec = remoteKey(key);
        if (spec == nullptr) {
            problems.push_back(key + ": not a remote setting this kiosk knows; ignored");
            continue;
        }
        KioskConfig staged = config;
        if (auto problem = spec->read(staged, value, nullptr)) {
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
