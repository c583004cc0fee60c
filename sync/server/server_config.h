// Signpost server — its configuration (config/server.toml), typed and validated.
//
// Every key is declared once in a table (server_config_keys.cpp, with the config key engine the
// kiosk's config uses too: core/config/config_keys.h) with its type, default, bounds and help
// text; that table drives parsing, validation and the example file (config/server.toml is
// exampleServerConfig(), a test keeps them equal), so they cannot drift apart. A bad value
// refuses to start with one ConfigError naming the file, line and key ("server.toml:7:
// server.port: expected a whole number from 0 to 65535"); an unknown key is a warning.
//
// Plain HTTP is refused unless the listen address is loopback or allow_plain_http = true (for a
// server behind a TLS-terminating proxy): a kiosk's bearer token must never cross a network in
// clear text.
//
// Thread-safety: a value type. Load once at start; pass copies to other threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/log.h"
#include "core/config/config_keys.h"
#include "core/config/toml.h"

namespace signpost::server {

// An unknown key or table (config_keys.h).
using ServerConfigWarning = ConfigWarning;

struct ServerConfig {
    // [server]
    std::string listenAddress = "127.0.0.1";  // IPv4/IPv6 literal or "localhost"
    int port = 8443;                          // 0 = any free port (tests)
    std::string tlsCertFile;                  // PEM; "" = plain HTTP (loopback only)
    std::string tlsKeyFile;                   // PEM private key; set both or neither
    bool allowPlainHttp = false;              // plain HTTP on a non-loopback address
    int threads = 16;                         // workers running requests' work, 1..1024
    int maxQueuedRequests = 256;              // waiting for a worker; 503 beyond, 1..100000
    int keepAliveSeconds = 5;                 // idle keep-alive before the server closes, 0..300
    int readTimeoutSeconds = 10;              // silence while a request arrives, 1..300
    int requestTimeoutSeconds = 30;           // a whole request, headers and body, 1..3600
    int maxConnections = 10000;               // open connections in all, 16..1000000
    int maxConnectionsPerAddress = 32;        // from one client address, 1..100000
    std::vector<std::string> trustedProxies;  // addresses/networks whose X-Forwarded-For counts
    LogLevel logLevel = LogLevel::Info;       // "debug" | "info" | "warning" | "error"
    bool metricsPublic = true;                // false: /metrics needs a coordinator token
    // [storage]
    std::string dataDir;  // "" = /var/lib/signpost-server installed, XDG otherwise
    std::string database = "signpost-server.db";  // relative to dataDir, or absolute
    // [limits]
    std::size_t maxBodyBytes = 10 * 1024 * 1024;  // any request body (413 above)
    std::size_t maxSealedBytes = 64 * 1024;       // one sealed referral, decoded
    std::size_t maxBatchItems = 100;              // submissions per POST
    std::size_t maxPullPage = 1000;               // GET /v1/submissions limit
    int enrollBurst = 5;                          // enrollment attempts per address at once
    int enrollPerHour = 20;                       // then this many an hour
    int badTokenBurst = 20;                       // failed token checks per address at once
    int badTokenPerHour = 60;                     // then this many an hour
    // [retention]
    std::chrono::seconds ackedRetention{std::chrono::hours(24 * 30)};  // acked → purged after
    std::chrono::seconds purgeInterval{std::chrono::hours(1)};         // how often purge runs
    int directoryHistory = 30;  // directory versions kept for deltas
    // [directory] (directory_sources.h)
    struct DirectorySource {
        std::string name;
        std::string url;
    };
    std::vector<DirectorySource> directorySources;  // live ORUK feeds; none = files only
    std::chrono::seconds directoryRefresh{std::chrono::hours(6)};  // how often they are read
    std::string
        needsMapping;  // needs mapping file; "" = the installed/bundled config/needs-mapping.toml
    // [oruk]
    bool orukEnabled = true;  // serve the ORUK 3.0 API (oruk_api.h)
    bool orukPublic = true;   // false: it needs a coordinator token

    std::filesystem::path sourceFile;                   // where it was loaded from; "" = defaults
    std::vector<ServerConfigWarning> warnings;          // unknown keys and tables
    std::vector<std::pair<std::string, int>> keyLines;  // "table.key" → line, for later errors

    bool usesTls() const noexcept { return !tlsCertFile.empty(); }
    // dataDir (or the default) joined with database, unless database is absolute.
    std::filesystem::path databasePath() const;
    std::filesystem::path resolvedDataDir() const;
    int lineOf(std::string_view key) const noexcept;  // 0 when the key was not in the file
};

// Loads and validates. A missing file is a ConfigError (line 0). Throws ConfigError.
ServerConfig loadServerConfig(const std::filesystem::path& file);
ServerConfig parseServerConfig(std::string_view text, const std::string& fileName);

// The checks only `serve` needs, so admin commands still work on a half-configured host: plain
// HTTP only on loopback unless allow_plain_http; TLS certificate and key files readable.
// Throws ConfigError naming the key and its line.
void validateForServing(const ServerConfig& config);

// The documented example config: every key commented with its default.
std::string exampleServerConfig();

// /etc/signpost/server.toml installed; <source>/config/server.toml in a build tree.
std::filesystem::path defaultServerConfigFile();
// The same for needs-mapping.toml.
std::filesystem::path defaultNeedsMappingFile();
// /var/lib/signpost-server installed; $XDG_DATA_HOME/signpost-server otherwise.
std::filesystem::path defaultServerDataDir();

// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackAddress(std::string_view address);
// "45s", "30m", "24h", "7d" → seconds; nullopt for anything else (no sign, no fractions, > 0,
// at most 9 digits).
std::optional<std::chrono::seconds> parseDuration(std::string_view text);
// 86400s → "1d", 5400s → "90m": the largest whole unit.
std::string formatDuration(std::chrono::seconds duration);

}  // namespace signpost::server
