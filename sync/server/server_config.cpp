#include "sync/server/server_config.h"

#include <unistd.h>

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>

#include "core/common/atomic_file.h"
#include "core/common/paths.h"

#ifndef SIGNPOST_SOURCE_DIR
#define SIGNPOST_SOURCE_DIR "."
#endif

namespace signpost::server {

namespace {

using std::chrono::seconds;

// One row of the key table: where the key lives, what it means, how to read it and how to show
// its default in the example file.
struct KeySpec {
    const char* table;
    const char* key;
    const char* help;     // comment lines, '\n'-separated
    std::string allowed;  // "a whole number from 1 to 1024", for the example's comments
    std::function<TomlValue(const ServerConfig&)> value;
    std::function<void(ServerConfig&, const TomlEntry&, const std::string& file)> apply;
};

[[noreturn]] void fail(const std::string& file, const TomlEntry& entry,
                       const std::string& problem) {
    throw ConfigError(file, entry.line, entry.table + "." + entry.key, problem);
}

KeySpec stringKey(const char* table, const char* key, const char* help,
                  std::string ServerConfig::*member, bool allowEmpty) {
    return {table,
            key,
            help,
            allowEmpty ? "text in quotes" : "text in quotes, not empty",
            [member](const ServerConfig& c) { return TomlValue(c.*member); },
            [member, allowEmpty](ServerConfig& c, const TomlEntry& e, const std::string& file) {
                const auto* text = std::get_if<std::string>(&e.value);
                if (text == nullptr) {
                    fail(file, e, "expected a quoted string");
                }
                if (!allowEmpty && text->empty()) {
                    fail(file, e, "must not be empty");
                }
                c.*member = *text;
            }};
}

KeySpec boolKey(const char* table, const char* key, const char* help, bool ServerConfig::*member) {
    return {table,
            key,
            help,
            "true or false",
            [member](const ServerConfig& c) { return TomlValue(c.*member); },
            [member](ServerConfig& c, const TomlEntry& e, const std::string& file) {
                const auto* flag = std::get_if<bool>(&e.value);
                if (flag == nullptr) {
                    fail(file, e, "expected true or false");
                }
                c.*member = *flag;
            }};
}

template <class Int>
KeySpec integerKey(const char* table, const char* key, const char* help, Int ServerConfig::*member,
                   std::int64_t min, std::int64_t max) {
    return {
        table,
        key,
        help,
        "a whole number from " + std::to_string(min) + " to " + std::to_string(max),
        [member](const ServerConfig& c) { return TomlValue(static_cast<std::int64_t>(c.*member)); },
        [member, min, max](ServerConfig& c, const TomlEntry& e, const std::string& file) {
            const auto* number = std::get_if<std::int64_t>(&e.value);
            if (number == nullptr || *number < min || *number > max) {
                fail(file, e,
                     "expected a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max));
            }
            c.*member = static_cast<Int>(*number);
        }};
}

KeySpec durationKey(const char* table, const char* key, const char* help,
                    seconds ServerConfig::*member, seconds min, seconds max) {
    return {table,
            key,
            help,
            "a duration in quotes from \"" + formatDuration(min) + "\" to \"" +
                formatDuration(max) + "\"",
            [member](const ServerConfig& c) { return TomlValue(formatDuration(c.*member)); },
            [member, min, max](ServerConfig& c, const TomlEntry& e, const std::string& file) {
                const auto* text = std::get_if<std::string>(&e.value);
                std::optional<seconds> duration;
                if (text != nullptr) {
                    duration = parseDuration(*text);
                }
                if (!duration || *duration < min || *duration > max) {
                    fail(file, e,
                         "expected a duration such as \"45s\", \"30m\", \"24h\" or \"7d\", from " +
                             formatDuration(min) + " to " + formatDuration(max));
                }
                c.*member = *duration;
            }};
}

// [directory] sources = [{url = "https://…", name = "…"}, …]: TOML inline tables in a list.
KeySpec sourcesKey() {
    return {"directory",
            "sources",
            "Live Open Referral UK 3.0 feeds the directory is built from, read page by page\n"
            "(/services?page=N) every `refresh`. Several feeds merge into one directory; a\n"
            "service id in two feeds is reported and the first feed's record is used. A feed\n"
            "that fails keeps its last good data (admin directory status, /metrics). Example:\n"
            "  sources = [{url = \"https://directory.example/api/v3\", name = \"Council\"},\n"
            "             {url = \"https://vcse.example/oruk\", name = \"VCSE network\"}]\n"
            "[] = none: the directory comes only from `admin import-directory`.",
            "a list of {url = \"https://...\", name = \"...\"}, names unique",
            [](const ServerConfig& c) {
                TomlArray list;
                for (const auto& source : c.directorySources) {
                    TomlTableValue table;
                    table.items = {{"url", TomlValue(source.url)}, {"name", TomlValue(source.name)}};
                    list.emplace_back(std::move(table));
                }
                return TomlValue(std::move(list));
            },
            [](ServerConfig& c, const TomlEntry& e, const std::string& file) {
                const auto* list = std::get_if<TomlArray>(&e.value);
                if (list == nullptr) {
                    fail(file, e, "expected a list of {url = \"https://...\", name = \"...\"}");
                }
                c.directorySources.clear();
                std::set<std::string> names;
                for (std::size_t i = 0; i < list->size(); ++i) {
                    const std::string item = "item " + std::to_string(i + 1) + ": ";
                    const auto* table = std::get_if<TomlTableValue>(&(*list)[i]);
                    if (table == nullptr) {
                        fail(file, e, item + "expected {url = \"https://...\", name = \"...\"}");
                    }
                    ServerConfig::DirectorySource source;
                    for (const TomlKeyValue& field : table->items) {
                        const auto* text = std::get_if<std::string>(&field.value);
                        if (field.key != "url" && field.key != "name") {
                            fail(file, e, item + "unknown key \"" + field.key + "\"; a source has url and name");
                        }
                        if (text == nullptr || text->empty()) {
                            fail(file, e, item + field.key + ": expected text in quotes, not empty");
                        }
                        (field.key == "url" ? source.url : source.name) = *text;
                    }
                    if (source.url.rfind("https://", 0) != 0 && source.url.rfind("http://", 0) != 0) {
                        fail(file, e, item + "url: expected an address starting with https:// (or http://)");
                    }
                    if (source.name.empty()) {
                        fail(file, e, item + "name: required, it names the feed in status and metrics");
                    }
                    if (!names.insert(source.name).second) {
                        fail(file, e, item + "name: \"" + source.name + "\" is used twice");
                    }
                    c.directorySources.push_back(std::move(source));
                }
            }};
}

KeySpec logLevelKey() {
    return {"server",
            "log_level",
            "Lowest level logged to stderr (the journal): \"debug\", \"info\", \"warning\" or "
            "\"error\".\n"
            "Requests are logged at info, one line each, never with a body or personal data.",
            "\"debug\", \"info\", \"warning\" or \"error\"",
            [](const ServerConfig& c) {
                switch (c.logLevel) {
                    case LogLevel::Debug:
                        return TomlValue(std::string("debug"));
                    case LogLevel::Info:
                        return TomlValue(std::string("info"));
                    case LogLevel::Warning:
                        return TomlValue(std::string("warning"));
                    case LogLevel::Error:
                        return TomlValue(std::string("error"));
                }
                return TomlValue(std::string("info"));
            },
            [](ServerConfig& c, const TomlEntry& e, const std::string& file) {
                const auto* text = std::get_if<std::string>(&e.value);
                if (text != nullptr && *text == "debug") {
                    c.logLevel = LogLevel::Debug;
                } else if (text != nullptr && *text == "info") {
                    c.logLevel = LogLevel::Info;
                } else if (text != nullptr && *text == "warning") {
                    c.logLevel = LogLevel::Warning;
                } else if (text != nullptr && *text == "error") {
                    c.logLevel = LogLevel::Error;
                } else {
                    fail(file, e, "expected \"debug\", \"info\", \"warning\" or \"error\"");
                }
            }};
}

const std::vector<KeySpec>& keyTable() {
    constexpr std::int64_t kMiB = 1024 * 1024;
    static const std::vector<KeySpec> table = {
        stringKey("server", "listen_address",
                  "Address to listen on: an IPv4 or IPv6 literal, or \"localhost\".\n"
                  "Use \"0.0.0.0\" or \"::\" to serve kiosks on other machines (needs TLS below).",
                  &ServerConfig::listenAddress, false),
        integerKey("server", "port", "TCP port; 0 picks any free port (tests).",
                   &ServerConfig::port, 0, 65535),
        stringKey("server", "tls_cert_file",
                  "TLS certificate chain (PEM). Set both tls_cert_file and tls_key_file to serve\n"
                  "HTTPS; leave both empty for plain HTTP, which is refused unless listen_address\n"
                  "is loopback or allow_plain_http = true.",
                  &ServerConfig::tlsCertFile, true),
        stringKey("server", "tls_key_file",
                  "TLS private key (PEM) for tls_cert_file; keep it mode 0600.",
                  &ServerConfig::tlsKeyFile, true),
        boolKey("server", "allow_plain_http",
                "Serve plain HTTP on a non-loopback address. Only for a server behind a reverse\n"
                "proxy that terminates TLS: kiosk tokens must never cross a network in clear text.",
                &ServerConfig::allowPlainHttp),
        integerKey("server", "threads",
                   "HTTP worker threads: requests handled at the same time (more wait in a queue).",
                   &ServerConfig::threads, 1, 1024),
        integerKey("server", "keep_alive_seconds",
                   "How long an idle keep-alive connection holds a worker thread; 0 = close after\n"
                   "each response.",
                   &ServerConfig::keepAliveSeconds, 0, 300),
        integerKey("server", "read_timeout_seconds",
                   "How long one read of a request may wait before the connection is dropped.",
                   &ServerConfig::readTimeoutSeconds, 1, 300),
        logLevelKey(),
        boolKey("server", "metrics_public",
                "Serve GET /metrics (Prometheus text, no personal data) without a token. false =\n"
                "it needs a coordinator token.",
                &ServerConfig::metricsPublic),

        stringKey("storage", "data_dir",
                  "Where the database lives. \"\" = /var/lib/signpost-server when installed,\n"
                  "$XDG_DATA_HOME/signpost-server (~/.local/share/signpost-server) otherwise.",
                  &ServerConfig::dataDir, true),
        stringKey("storage", "database",
                  "SQLite database file (WAL, synchronous=FULL), relative to data_dir or absolute.",
                  &ServerConfig::database, false),

        integerKey("limits", "max_body_bytes",
                   "Largest request body accepted; bigger ones get 413 before the body is read.",
                   &ServerConfig::maxBodyBytes, 4096, 64 * kMiB),
        integerKey("limits", "max_sealed_bytes",
                   "Largest sealed referral (decoded). Bigger items are rejected one by one\n"
                   "(status \"rejected\", error \"invalid\"). At most 65536, the protocol's limit.",
                   &ServerConfig::maxSealedBytes, 64, 64 * 1024),
        integerKey("limits", "max_batch_items",
                   "Most submissions in one POST /v1/submissions (400 above). At most 100.",
                   &ServerConfig::maxBatchItems, 1, 100),
        integerKey("limits", "max_pull_page",
                   "Most submissions in one GET /v1/submissions page. At most 1000.",
                   &ServerConfig::maxPullPage, 1, 1000),
        integerKey("limits", "enroll_burst",
                   "Enrollment attempts one client address may make at once (then 429).",
                   &ServerConfig::enrollBurst, 1, 100000),
        integerKey("limits", "enroll_per_hour",
                   "Enrollment attempts per address per hour after the burst is used.",
                   &ServerConfig::enrollPerHour, 1, 1000000),
        integerKey("limits", "bad_token_burst",
                   "Failed token checks one address may cause at once; after that its requests\n"
                   "with a bad token get 429 + Retry-After (good tokens still work).",
                   &ServerConfig::badTokenBurst, 1, 100000),
        integerKey("limits", "bad_token_per_hour",
                   "Failed token checks per address per hour after the burst is used.",
                   &ServerConfig::badTokenPerHour, 1, 1000000),

        durationKey(
            "retention", "acked_submissions",
            "How long an acknowledged submission's ciphertext is kept (so a coordinator can\n"
            "pull again after losing its output) before it is purged. Its id and content hash\n"
            "stay, so a late re-push is still answered \"duplicate\".",
            &ServerConfig::ackedRetention, seconds(1), seconds(3650LL * 86400)),
        durationKey("retention", "purge_interval", "How often the purge runs.",
                    &ServerConfig::purgeInterval, seconds(1), seconds(86400)),
        integerKey(
            "retention", "directory_history",
            "Directory versions kept for deltas; a kiosk further behind gets a full snapshot.",
            &ServerConfig::directoryHistory, 1, 10000),

        sourcesKey(),
        durationKey("directory", "refresh",
                    "How often the feeds in `sources` are read again (and once at start).",
                    &ServerConfig::directoryRefresh, std::chrono::minutes(5), std::chrono::hours(24 * 7)),
        stringKey("directory", "needs_mapping",
                  "The needs mapping: which feed taxonomy terms mean which of the kiosk's need\n"
                  "tiles. \"\" = /etc/signpost/needs-mapping.toml when installed, config/\n"
                  "needs-mapping.toml in a build tree (documented in that file).",
                  &ServerConfig::needsMapping, true),

        boolKey("oruk", "enabled",
                "Serve the directory as a read-only Open Referral UK 3.0 API: GET /, /services,\n"
                "/services/{id}, /taxonomies, /taxonomy_terms, /organizations,\n"
                "/service_at_locations (README \"ORUK API\").",
                &ServerConfig::orukEnabled),
        boolKey("oruk", "public",
                "Serve the ORUK API without a token (the directory is public information).\n"
                "false = it needs a coordinator token.",
                &ServerConfig::orukPublic),
    };
    return table;
}

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
    TomlDocument document = TomlDocument::parse(text, fileName);
    ServerConfig config;
    std::set<std::string> tables;
    for (const KeySpec& spec : keyTable()) {
        tables.insert(spec.table);
    }
    for (const TomlEntry& entry : document.entries()) {
        const KeySpec* match = nullptr;
        for (const KeySpec& spec : keyTable()) {
            if (entry.table == spec.table && entry.key == spec.key) {
                match = &spec;
                break;
            }
        }
        const std::string name = entry.table.empty() ? entry.key : entry.table + "." + entry.key;
        if (match == nullptr) {
            config.warnings.push_back(
                {entry.line, name,
                 tables.count(entry.table) != 0
                     ? "unknown key; it is ignored"
                     : "unknown table [" + entry.table + "]; the key is ignored"});
            continue;
        }
        match->apply(config, entry, fileName);
        config.keyLines.emplace_back(name, entry.line);
    }
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
    const ServerConfig defaults;
    std::string out =
        "# Signpost server configuration: signpost-server serve --config FILE\n"
        "#\n"
        "# Every key is shown with its default value and what it may be set to; a key left out "
        "(or\n"
        "# the whole file) takes its default. A bad value stops the server at start with one line\n"
        "# naming this file, the line and the key; an unknown key is a warning and is ignored.\n"
        "# Durations are written \"45s\", \"30m\", \"24h\" or \"7d\".\n"
        "#\n"
        "# Format: TOML 1.0 (https://toml.io): [tables], text in \"quotes\", lists in [].\n";
    std::string currentTable;
    for (const KeySpec& spec : keyTable()) {
        if (spec.table != currentTable) {
            currentTable = spec.table;
            out += "\n[" + currentTable + "]\n\n";
        }
        std::string_view help = spec.help;
        while (!help.empty()) {
            const auto end = help.find('\n');
            out += "# " + std::string(help.substr(0, end)) + "\n";
            help = end == std::string_view::npos ? std::string_view() : help.substr(end + 1);
        }
        const std::string value = formatTomlValue(spec.value(defaults));
        out += "# Allowed: " + spec.allowed + ".\n";
        out += "# Default: " + value + "\n";
        out += std::string(spec.key) + " = " + value + "\n\n";
    }
    out.pop_back();  // one newline at the end, not a blank line
    return out;
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
