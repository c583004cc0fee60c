// Loading and checking server.toml, its example file, and the server's default paths. The keys
// themselves are in server_config_keys.cpp.
#include "sync/server/server_config.h"

#include <unistd.h>

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

#include "core/common/atomic_file.h"
#include "core/common/paths.h"
#include "sync/server/server_config_keys.h"

#ifndef SIGNPOST_SOURCE_DIR
#define SIGNPOST_SOURCE_DIR "."
#endif

namespace signpost::server {

namespace {

void validate(ServerConfig& config, const std::string& file) {
    if (config.tlsCertFile.empty() != config.tlsKeyFile.empty()) {
        const bool certSet = !config.tlsCertFile.empty();
        const std::string key = certSet ? "server.tls_key_file" : "server.tls_cert_file";
        throw ConfigError(file,
                          config.lineOf(certSet ? "server.tls_cert_file" : "server.tls_key_file"),
                          key, "must be set too: TLS needs both a certificate and its key");
    }
}

}  // namespace

std::filesystem::path ServerConfig::resolvedDataDir() const {
    return dataDir.empty() ? defaultServerDataDir() : std::filesystem::path(dataDir);
}

std::filesystem::path ServerConfig::databasePath() const {
    std::filesystem::path file(database);
    return file.is_absolute() ? file : resolvedDataDir() / file;
}

int ServerConfig::lineOf(std::string_view key) const noexcept {
    for (const auto& [name, line] : keyLines) {
        if (name == key) {
            return line;
        }
    }
    return 0;
}

ServerConfig parseServerConfig(std::string_view text, const std::string& fileName) {
    const TomlDocument document = TomlDocument::parse(text, fileName);
    ServerConfig config;
    readConfigKeys(serverKeyTable(), document, config, config.warnings, &config.keyLines);
    validate(config, fileName);
    return config;
}

ServerConfig loadServerConfig(const std::filesystem::path& file) {
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& error) {
        throw ConfigError(
            file.string(), 0, "",
            std::string("cannot read the configuration file: ") +
                (error.errnoValue() != 0 ? std::strerror(error.errnoValue()) : error.what()));
    }
    ServerConfig config = parseServerConfig(text, file.string());
    config.sourceFile = file;
    return config;
}

void validateForServing(const ServerConfig& config) {
    const std::string file = config.sourceFile.empty() ? "(defaults)" : config.sourceFile.string();
    if (!config.usesTls() && !config.allowPlainHttp && !isLoopbackAddress(config.listenAddress)) {
        throw ConfigError(file, config.lineOf("server.listen_address"), "server.listen_address",
                          "plain HTTP on \"" + config.listenAddress +
                              "\" is refused: set tls_cert_file and tls_key_file, or "
                              "allow_plain_http = true behind a TLS proxy");
    }
    for (const auto& [key, path] : {std::pair{"server.tls_cert_file", &config.tlsCertFile},
                                    std::pair{"server.tls_key_file", &config.tlsKeyFile}}) {
        if (!path->empty() && ::access(path->c_str(), R_OK) != 0) {
            throw ConfigError(file, config.lineOf(key), key, "cannot read \"" + *path + "\"");
        }
    }
}

std::string exampleServerConfig() {
    ExampleStyle style;
    style.preamble = {
        "Signpost server configuration: signpost-server serve --config FILE",
        "Every key is shown with its default value and what it may be set to; a key left out (or\n"
        "the whole file) takes its default. A bad value stops the server at start with one line\n"
        "naming this file, the line and the key; an unknown key is a warning and is ignored.\n"
        "Durations are written \"45s\", \"30m\", \"24h\" or \"7d\".",
        "Format: TOML 1.0 (https://toml.io): [tables], text in \"quotes\", lists in [].",
    };
    return exampleConfigText(serverKeyTable(), style);
}

std::filesystem::path defaultServerConfigFile() {
    if (runningInstalled()) {
        return "/etc/signpost/server.toml";
    }
    return std::filesystem::path(SIGNPOST_SOURCE_DIR) / "config/server.toml";
}

std::filesystem::path defaultNeedsMappingFile() {
    if (runningInstalled()) {
        return "/etc/signpost/needs-mapping.toml";
    }
    return std::filesystem::path(SIGNPOST_SOURCE_DIR) / "config/needs-mapping.toml";
}

std::filesystem::path defaultServerDataDir() {
    if (runningInstalled()) {
        return "/var/lib/signpost-server";
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/') {
        return std::filesystem::path(xdg) / "signpost-server";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::filesystem::path(home) / ".local/share/signpost-server";
    }
    return std::filesystem::current_path() / "signpost-server-data";
}

bool isLoopbackAddress(std::string_view address) {
    if (address == "localhost") {
        return true;
    }
    const std::string text(address);
    in_addr v4{};
    if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6);
    }
    return false;
}

std::optional<std::chrono::seconds> parseDuration(std::string_view text) {
    if (text.size() < 2 || text.size() > 10) {  // at most 9 digits: no overflow
        return std::nullopt;
    }
    std::int64_t number = 0;
    for (char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        number = number * 10 + (c - '0');
    }
    std::int64_t unit = 0;
    switch (text.back()) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        default:
            return std::nullopt;
    }
    if (number <= 0) {
        return std::nullopt;
    }
    return std::chrono::seconds(number * unit);
}

std::string formatDuration(std::chrono::seconds duration) {
    const std::int64_t s = duration.count();
    if (s != 0 && s % 86400 == 0) {
        return std::to_string(s / 86400) + "d";
    }
    if (s != 0 && s % 3600 == 0) {
        return std::to_string(s / 3600) + "h";
    }
    if (s != 0 && s % 60 == 0) {
        return std::to_string(s / 60) + "m";
    }
    return std::to_string(s) + "s";
}

}  // namespace signpost::server
