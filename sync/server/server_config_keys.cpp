// server.toml's keys: each key's table, name, the ServerConfig field it fills (whose initialiser
// is the default), what it allows and its help text, declared with the engine the kiosk's config
// uses too (core/config/config_keys.h). Errors here say only what was expected (Terse): the
// server's messages never echo the value.
#include "sync/server/server_config_keys.h"

#include <set>

#include "sync/server/client_address.h"

namespace signpost::server {

namespace {

using std::chrono::seconds;
using Key = ConfigKey<ServerConfig>;
using config_key::Terse;

enum EmptyText : bool { NotEmpty = false, AllowEmpty = true };

// Any text, or any but "": the server checks paths and addresses when it uses them.
Key quotedTextKey(std::string_view table, std::string_view key, std::string ServerConfig::*member,
                  EmptyText allowEmpty, std::string_view help) {
    auto read = [member, allowEmpty](ServerConfig& c, const TomlValue& value,
                                     std::vector<std::string>*) -> std::optional<std::string> {
        const auto* text = std::get_if<std::string>(&value);
        if (text == nullptr) {
            return "expected a quoted string";
        }
        if (!allowEmpty && text->empty()) {
            return "must not be empty";
        }
        c.*member = *text;
        return std::nullopt;
    };
    auto write = [member](const ServerConfig& c) { return TomlValue(c.*member); };
    return {table, key,   allowEmpty ? "text in quotes" : "text in quotes, not empty",
            help,  Terse, KeyShape::Text,
            read,  write};
}

// "45s", "30m", "24h", "7d" (parseDuration), from min to max.
Key durationKey(std::string_view table, std::string_view key, seconds ServerConfig::*member,
                seconds min, seconds max, std::string_view help) {
    auto read = [member, min, max](ServerConfig& c, const TomlValue& value,
                                   std::vector<std::string>*) -> std::optional<std::string> {
        const auto* text = std::get_if<std::string>(&value);
        const std::optional<seconds> duration =
            text != nullptr ? parseDuration(*text) : std::nullopt;
        if (!duration || *duration < min || *duration > max) {
            return "expected a duration such as \"45s\", \"30m\", \"24h\" or \"7d\", from " +
                   formatDuration(min) + " to " + formatDuration(max);
        }
        c.*member = *duration;
        return std::nullopt;
    };
    auto write = [member](const ServerConfig& c) { return TomlValue(formatDuration(c.*member)); };
    return {table,
            key,
            "a duration in quotes from \"" + formatDuration(min) + "\" to \"" +
                formatDuration(max) + "\"",
            help,
            Terse,
            KeyShape::Text,
            read,
            write};
}

// [directory] sources = [{url = "https://…", name = "…"}, …]: TOML inline tables in a list.
std::optional<std::string> readSources(ServerConfig& c, const TomlValue& value,
                                       std::vector<std::string>*) {
    const auto* list = std::get_if<TomlArray>(&value);
    if (list == nullptr) {
        return "expected a list of {url = \"https://...\", name = \"...\"}";
    }
    std::vector<ServerConfig::DirectorySource> sources;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string item = "item " + std::to_string(i + 1) + ": ";
        const auto* table = std::get_if<TomlTableValue>(&(*list)[i]);
        if (table == nullptr) {
            return item + "expected {url = \"https://...\", name = \"...\"}";
        }
        ServerConfig::DirectorySource source;
        for (const TomlKeyValue& field : table->items) {
            const auto* text = std::get_if<std::string>(&field.value);
            if (field.key != "url" && field.key != "name") {
                return item + "unknown key \"" + field.key + "\"; a source has url and name";
            }
            if (text == nullptr || text->empty()) {
                return item + field.key + ": expected text in quotes, not empty";
            }
            (field.key == "url" ? source.url : source.name) = *text;
        }
        if (source.url.rfind("https://", 0) != 0 && source.url.rfind("http://", 0) != 0) {
            return item + "url: expected an address starting with https:// (or http://)";
        }
        if (source.name.empty()) {
            return item + "name: required, it names the feed in status and metrics";
        }
        if (!names.insert(source.name).second) {
            return item + "name: \"" + source.name + "\" is used twice";
        }
        sources.push_back(std::move(source));
    }
    c.directorySources = std::move(sources);
    return std::nullopt;
}

TomlValue writeSources(const ServerConfig& c) {
    TomlArray list;
    for (const auto& source : c.directorySources) {
        TomlTableValue table;
        table.items = {{"url", TomlValue(source.url)}, {"name", TomlValue(source.name)}};
        list.emplace_back(std::move(table));
    }
    return list;
}

Key sourcesKey() {
    return {"directory",
            "sources",
            "a list of {url = \"https://...\", name = \"...\"}, names unique",
            "Live Open Referral UK 3.0 feeds the directory is built from, read page by page\n"
            "(/services?page=N) every `refresh`. Several feeds merge into one directory; a\n"
            "service id in two feeds is reported and the first feed's record is used. A feed\n"
            "that fails keeps its last good data (admin directory status, /metrics). Example:\n"
            "  sources = [{url = \"https://directory.example/api/v3\", name = \"Council\"},\n"
            "             {url = \"https://vcse.example/oruk\", name = \"VCSE network\"}]\n"
            "[] = none: the directory comes only from `admin import-directory`.",
            Terse,
            KeyShape::Other,
            readSources,
            writeSources};
}

// A list of IP addresses or networks ("10.0.0.0/8"), checked as client_address.h reads them.
Key addressListKey(std::string_view table, std::string_view key,
                   std::vector<std::string> ServerConfig::*member, std::string_view help) {
    auto readItems = [](const TomlArray& list, std::vector<std::string>& values,
                        std::vector<std::string>*) -> std::optional<std::string> {
        for (const auto& item : list) {
            const auto* text = std::get_if<std::string>(&item);
            if (text == nullptr) {
                return "expected a list of quoted addresses";
            }
            values.push_back(*text);
        }
        try {
            TrustedProxies::parse(values);
        } catch (const std::invalid_argument& error) {
            return error.what();
        }
        return std::nullopt;
    };
    return textListKey(
        table, key, member,
        "a list of IP addresses or networks in quotes, like [\"127.0.0.1\", \"10.0.0.0/8\"]",
        "expected a list of addresses, like [\"127.0.0.1\"]", readItems, help, Terse);
}

Key logLevelKey() {
    return choiceKey(
        "server", "log_level", &ServerConfig::logLevel,
        {{"debug", LogLevel::Debug},
         {"info", LogLevel::Info},
         {"warning", LogLevel::Warning},
         {"error", LogLevel::Error}},
        "\"debug\", \"info\", \"warning\" or \"error\"",
        "Lowest level logged to stderr (the journal): \"debug\", \"info\", \"warning\" or "
        "\"error\".\n"
        "Requests are logged at info, one line each, never with a body or personal data.",
        Terse);
}

}  // namespace

const KeyTable<ServerConfig>& serverKeyTable() {
    constexpr std::int64_t kMiB = 1024 * 1024;
    static const KeyTable<ServerConfig> kTable{
        // A key under an unknown table is reported where it stands.
        .unknownTables = UnknownTableWarning::OncePerKey,
        .tables = {{"server", ""},
                   {"storage", ""},
                   {"limits", ""},
                   {"retention", ""},
                   {"directory", ""},
                   {"oruk", ""}},
        .keys =
            {
                quotedTextKey("server", "listen_address", &ServerConfig::listenAddress, NotEmpty,
                              "Address to listen on: an IPv4 or IPv6 literal, or \"localhost\".\n"
                              "Use \"0.0.0.0\" or \"::\" to serve kiosks on other machines (needs "
                              "TLS below)."),
                wholeNumberKey("server", "port", &ServerConfig::port, 0, 65535, "",
                               "TCP port; 0 picks any free port (tests).", Terse),
                quotedTextKey("server", "tls_cert_file", &ServerConfig::tlsCertFile, AllowEmpty,
                              "TLS certificate chain (PEM). Set both tls_cert_file and "
                              "tls_key_file to serve\n"
                              "HTTPS; leave both empty for plain HTTP, which is refused unless "
                              "listen_address\n"
                              "is loopback or allow_plain_http = true."),
                quotedTextKey("server", "tls_key_file", &ServerConfig::tlsKeyFile, AllowEmpty,
                              "TLS private key (PEM) for tls_cert_file; keep it mode 0600."),
                flagKey("server", "allow_plain_http", &ServerConfig::allowPlainHttp,
                        "Serve plain HTTP on a non-loopback address. Only for a server behind a "
                        "reverse\n"
                        "proxy that terminates TLS: kiosk tokens must never cross a network in "
                        "clear text.",
                        Terse),
                wholeNumberKey(
                    "server", "threads", &ServerConfig::threads, 1, 1024, "",
                    "Worker threads running requests' work (database, signatures). Connections do\n"
                    "not hold one: an idle or slow client costs a socket and a few kilobytes.",
                    Terse),
                wholeNumberKey("server", "max_queued_requests", &ServerConfig::maxQueuedRequests, 1,
                               100000, "",
                               "Complete requests waiting for a worker. Past this the server "
                               "answers 503 with\n"
                               "Retry-After at once instead of letting the queue grow.",
                               Terse),
                wholeNumberKey("server", "keep_alive_seconds", &ServerConfig::keepAliveSeconds, 0,
                               300, "",
                               "How long an idle connection stays open after a response; 0 = close "
                               "after each\n"
                               "response.",
                               Terse),
                wholeNumberKey(
                    "server", "read_timeout_seconds", &ServerConfig::readTimeoutSeconds, 1, 300, "",
                    "Longest silence while a request is arriving before the connection is closed.",
                    Terse),
                wholeNumberKey(
                    "server", "request_timeout_seconds", &ServerConfig::requestTimeoutSeconds, 1,
                    3600, "",
                    "A whole request (headers and body) must arrive within this many seconds of "
                    "the\n"
                    "connection opening or its previous response, however slowly the bytes come.",
                    Terse),
                wholeNumberKey(
                    "server", "max_connections", &ServerConfig::maxConnections, 16, 1000000, "",
                    "Open connections in all; more are refused. The server raises its open-file\n"
                    "limit to fit (the systemd unit sets LimitNOFILE).",
                    Terse),
                wholeNumberKey(
                    "server", "max_connections_per_address",
                    &ServerConfig::maxConnectionsPerAddress, 1, 100000, "",
                    "Open connections from one client address (an IPv6 client by its /64); more\n"
                    "are refused at once. Trusted proxies are exempt: limit per client there.",
                    Terse),
                addressListKey(
                    "server", "trusted_proxies", &ServerConfig::trustedProxies,
                    "Reverse proxies in front of this server (addresses or networks). Only from\n"
                    "these is X-Forwarded-For believed (rate limits count per client); from "
                    "anyone\n"
                    "else it is ignored. [] = no proxy: the connecting address is the client."),
                logLevelKey(),
                flagKey("server", "metrics_public", &ServerConfig::metricsPublic,
                        "Serve GET /metrics (Prometheus text, no personal data) without a token. "
                        "false =\n"
                        "it needs a coordinator token.",
                        Terse),
                quotedTextKey(
                    "storage", "data_dir", &ServerConfig::dataDir, AllowEmpty,
                    "Where the database lives. \"\" = /var/lib/signpost-server when installed,\n"
                    "$XDG_DATA_HOME/signpost-server (~/.local/share/signpost-server) otherwise."),
                quotedTextKey("storage", "database", &ServerConfig::database, NotEmpty,
                              "SQLite database file (WAL, synchronous=FULL), relative to data_dir "
                              "or absolute."),
                wholeNumberKey(
                    "limits", "max_body_bytes", &ServerConfig::maxBodyBytes, 4096, 64 * kMiB, "",
                    "Largest request body accepted (POST /v1/submissions; other routes take "
                    "less).\n"
                    "Bigger ones get 413, before the body is read when Content-Length says so; a\n"
                    "chunked body is dropped past the limit (413 when it ends, or closed if it "
                    "goes\n"
                    "on). A token is checked before its body is read.",
                    Terse),
                wholeNumberKey(
                    "limits", "max_sealed_bytes", &ServerConfig::maxSealedBytes, 64, 64 * 1024, "",
                    "Largest sealed referral (decoded). Bigger items are rejected one by one\n"
                    "(status \"rejected\", error \"invalid\"). At most 65536, the protocol's "
                    "limit.",
                    Terse),
                wholeNumberKey(
                    "limits", "max_batch_items", &ServerConfig::maxBatchItems, 1, 100, "",
                    "Most submissions in one POST /v1/submissions (400 above). At most 100.",
                    Terse),
                wholeNumberKey("limits", "max_pull_page", &ServerConfig::maxPullPage, 1, 1000, "",
                               "Most submissions in one GET /v1/submissions page. At most 1000.",
                               Terse),
                wholeNumberKey(
                    "limits", "enroll_burst", &ServerConfig::enrollBurst, 1, 100000, "",
                    "Failed enrollments one client address may make at once, and one enrollment\n"
                    "code may suffer from all addresses together; then failures get 429. Only\n"
                    "failures count: a good code with a good signature still enrolls.",
                    Terse),
                wholeNumberKey(
                    "limits", "enroll_per_hour", &ServerConfig::enrollPerHour, 1, 1000000, "",
                    "Failed enrollments per address (and per code) per hour after the burst.",
                    Terse),
                wholeNumberKey(
                    "limits", "bad_token_burst", &ServerConfig::badTokenBurst, 1, 100000, "",
                    "Failed token checks one address may cause at once; after that its requests\n"
                    "with a bad token get 429 + Retry-After (good tokens still work).",
                    Terse),
                wholeNumberKey(
                    "limits", "bad_token_per_hour", &ServerConfig::badTokenPerHour, 1, 1000000, "",
                    "Failed token checks per address per hour after the burst is used.", Terse),
                durationKey("retention", "acked_submissions", &ServerConfig::ackedRetention,
                            seconds(1), seconds(3650LL * 86400),
                            "How long an acknowledged submission's ciphertext is kept (so a "
                            "coordinator can\n"
                            "pull again after losing its output) before it is purged. Its id and "
                            "content hash\n"
                            "stay, so a late re-push is still answered \"duplicate\"."),
                durationKey("retention", "purge_interval", &ServerConfig::purgeInterval, seconds(1),
                            seconds(86400), "How often the purge runs."),
                wholeNumberKey("retention", "directory_history", &ServerConfig::directoryHistory, 1,
                               10000, "",
                               "Directory versions kept for deltas; a kiosk further behind gets a "
                               "full snapshot.",
                               Terse),
                sourcesKey(),
                durationKey("directory", "refresh", &ServerConfig::directoryRefresh,
                            std::chrono::minutes(5), std::chrono::hours(24 * 7),
                            "How often the feeds in `sources` are read again (and once at start)."),
                quotedTextKey(
                    "directory", "needs_mapping", &ServerConfig::needsMapping, AllowEmpty,
                    "The needs mapping: which feed taxonomy terms mean which of the kiosk's need\n"
                    "tiles. \"\" = /etc/signpost/needs-mapping.toml when installed, config/\n"
                    "needs-mapping.toml in a build tree (documented in that file)."),
                flagKey("oruk", "enabled", &ServerConfig::orukEnabled,
                        "Serve the directory as a read-only Open Referral UK 3.0 API: GET /, "
                        "/services,\n"
                        "/services/{id}, /taxonomies, /taxonomy_terms, /organizations,\n"
                        "/service_at_locations (README \"ORUK API\").",
                        Terse),
                flagKey(
                    "oruk", "public", &ServerConfig::orukPublic,
                    "Serve the ORUK API without a token (the directory is public information).\n"
                    "false = it needs a coordinator token.",
                    Terse),
            },
    };
    return kTable;
}

}  // namespace signpost::server
