#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/config/toml.h"
#include "support/test_support.h"
#include "sync/server/server_config.h"

using namespace signpost;
using namespace signpost::server;
using namespace std::chrono_literals;

namespace {

ConfigError configError(const std::string& text, const std::string& file = "server.toml") {
    try {
        (void)parseServerConfig(text, file);
    } catch (const ConfigError& error) {
        return error;
    }
    FAIL("expected a ConfigError for:\n" << text);
    throw std::logic_error("unreachable");
}

ConfigError servingError(const ServerConfig& config) {
    try {
        validateForServing(config);
    } catch (const ConfigError& error) {
        return error;
    }
    FAIL("expected validateForServing to refuse the config");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("config/server.toml is exactly the generated example", "[server_config]") {
    const std::filesystem::path file = test::sourceDir() / "config" / "server.toml";
    const char* update = std::getenv("SIGNPOST_UPDATE_DOCS");
    if (update != nullptr && std::string(update) == "1" &&
        test::readText(file) != exampleServerConfig()) {
        // Rewrites it and still fails, so the change is reviewed and committed.
        test::writeText(file, exampleServerConfig());
        FAIL("rewrote config/server.toml: review and commit it");
    }
    CHECK(test::readText(file) == exampleServerConfig());
}

TEST_CASE("the example documents every key and parses to the defaults", "[server_config]") {
    const std::string example = exampleServerConfig();
    const ServerConfig parsed = parseServerConfig(example, "server.toml");
    const ServerConfig defaults;
    CHECK(parsed.warnings.empty());
    CHECK(parsed.listenAddress == defaults.listenAddress);
    CHECK(parsed.port == defaults.port);
    CHECK(parsed.threads == defaults.threads);
    CHECK(parsed.maxBodyBytes == defaults.maxBodyBytes);
    CHECK(parsed.ackedRetention == defaults.ackedRetention);
    CHECK(parsed.purgeInterval == defaults.purgeInterval);
    CHECK(parsed.directoryHistory == defaults.directoryHistory);
    CHECK(parsed.logLevel == LogLevel::Info);

    // Every key line is preceded by its Allowed and Default comments.
    const TomlDocument document = TomlDocument::parse(example, "server.toml");
    REQUIRE(document.entries().size() == 33);  // every key of the table, once
    for (const TomlEntry& entry : document.entries()) {
        INFO(entry.table << "." << entry.key);
        const std::string keyLine = entry.key + " = " + formatTomlValue(entry.value);
        const std::size_t at = example.find("\n" + keyLine + "\n");
        REQUIRE(at != std::string::npos);
        const std::size_t defaultAt = example.rfind("# Default: ", at);
        const std::size_t allowedAt = example.rfind("# Allowed: ", at);
        REQUIRE(defaultAt != std::string::npos);
        CHECK(example.substr(defaultAt + 11, at - defaultAt - 11) == formatTomlValue(entry.value));
        CHECK(allowedAt < defaultAt);
    }
}

TEST_CASE("every key is read into its field", "[server_config]") {
    const ServerConfig c = parseServerConfig(R"([server]
listen_address = "0.0.0.0"
port = 9443
tls_cert_file = "/etc/signpost/tls/cert.pem"
tls_key_file = "/etc/signpost/tls/key.pem"
allow_plain_http = true
threads = 8
keep_alive_seconds = 0
read_timeout_seconds = 20
request_timeout_seconds = 45
max_queued_requests = 99
max_connections = 2000
max_connections_per_address = 7
trusted_proxies = ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"]
log_level = "debug"
metrics_public = false

[storage]
data_dir = "/srv/signpost"
database = "fleet.db"

[limits]
max_body_bytes = 1048576
max_sealed_bytes = 32768
max_batch_items = 50
max_pull_page = 500
enroll_burst = 3
enroll_per_hour = 10
bad_token_burst = 7
bad_token_per_hour = 30

[retention]
acked_submissions = "7d"
purge_interval = "15m"
directory_history = 5
)",
                                             "server.toml");
    CHECK(c.listenAddress == "0.0.0.0");
    CHECK(c.port == 9443);
    CHECK(c.tlsCertFile == "/etc/signpost/tls/cert.pem");
    CHECK(c.tlsKeyFile == "/etc/signpost/tls/key.pem");
    CHECK(c.usesTls());
    CHECK(c.allowPlainHttp);
    CHECK(c.threads == 8);
    CHECK(c.keepAliveSeconds == 0);
    CHECK(c.readTimeoutSeconds == 20);
    CHECK(c.requestTimeoutSeconds == 45);
    CHECK(c.maxQueuedRequests == 99);
    CHECK(c.maxConnections == 2000);
    CHECK(c.maxConnectionsPerAddress == 7);
    CHECK(c.trustedProxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "2001:db8::/32"});
    CHECK(c.logLevel == LogLevel::Debug);
    CHECK_FALSE(c.metricsPublic);
    CHECK(c.databasePath() == std::filesystem::path("/srv/signpost/fleet.db"));
    CHECK(c.maxBodyBytes == 1048576);
    CHECK(c.maxSealedBytes == 32768);
    CHECK(c.maxBatchItems == 50);
    CHECK(c.maxPullPage == 500);
    CHECK(c.enrollBurst == 3);
    CHECK(c.enrollPerHour == 10);
    CHECK(c.badTokenBurst == 7);
    CHECK(c.badTokenPerHour == 30);
    CHECK(c.ackedRetention == std::chrono::hours(24 * 7));
    CHECK(c.purgeInterval == 15min);
    CHECK(c.directoryHistory == 5);
    CHECK(c.lineOf("server.port") == 3);
    CHECK(c.lineOf("retention.directory_history") == 35);
    CHECK(c.lineOf("server.nothing") == 0);
}

TEST_CASE("an absolute database path ignores data_dir", "[server_config]") {
    const ServerConfig c =
        parseServerConfig("[storage]\ndata_dir = \"/a\"\ndatabase = \"/b/c.db\"\n", "s.toml");
    CHECK(c.databasePath() == std::filesystem::path("/b/c.db"));
    ServerConfig defaults;
    CHECK(defaults.databasePath().filename() == "signpost-server.db");
    CHECK(defaults.databasePath().parent_path() == defaultServerDataDir());
}

TEST_CASE("bad values name the file, line and key", "[server_config]") {
    struct Case {
        std::string text;
        std::string key;
        int line;
        std::string problem;
    };
    const std::vector<Case> cases = {
        {"[server]\nport = 70000\n", "server.port", 2, "expected a whole number from 0 to 65535"},
        {"[server]\nport = \"8443\"\n", "server.port", 2,
         "expected a whole number from 0 to 65535"},
        {"[server]\nthreads = 0\n", "server.threads", 2, "expected a whole number from 1 to 1024"},
        {"[server]\nlisten_address = \"\"\n", "server.listen_address", 2, "must not be empty"},
        {"[server]\nlisten_address = 127\n", "server.listen_address", 2,
         "expected a quoted string"},
        {"[server]\nallow_plain_http = \"yes\"\n", "server.allow_plain_http", 2,
         "expected true or false"},
        {"[server]\nlog_level = \"verbose\"\n", "server.log_level", 2,
         "expected \"debug\", \"info\", \"warning\" or \"error\""},
        {"\n[limits]\nmax_batch_items = 101\n", "limits.max_batch_items", 3,
         "expected a whole number from 1 to 100"},
        {"[limits]\nmax_sealed_bytes = 65537\n", "limits.max_sealed_bytes", 2,
         "expected a whole number from 64 to 65536"},
        {"[retention]\nacked_submissions = \"30 days\"\n", "retention.acked_submissions", 2,
         "expected a duration such as \"45s\", \"30m\", \"24h\" or \"7d\", from 1s to 3650d"},
        {"[retention]\npurge_interval = \"2d\"\n", "retention.purge_interval", 2,
         "expected a duration such as \"45s\", \"30m\", \"24h\" or \"7d\", from 1s to 1d"},
        {"[retention]\npurge_interval = 60\n", "retention.purge_interval", 2,
         "expected a duration such as \"45s\", \"30m\", \"24h\" or \"7d\", from 1s to 1d"},
        {"[storage]\ndatabase = \"\"\n", "storage.database", 2, "must not be empty"},
        {"[server]\ntrusted_proxies = \"127.0.0.1\"\n", "server.trusted_proxies", 2,
         "expected a list of addresses, like [\"127.0.0.1\"]"},
        {"[server]\ntrusted_proxies = [\"proxy.example\"]\n", "server.trusted_proxies", 2,
         "\"proxy.example\" is not an IP address or network"},
        {"[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n", "server.trusted_proxies", 2,
         "\"10.0.0.0/33\": the prefix length must be 0 to 32"},
        {"[server]\ntrusted_proxies = [1]\n", "server.trusted_proxies", 2,
         "expected a list of quoted addresses"},
        {"[server]\nmax_connections_per_address = 0\n", "server.max_connections_per_address", 2,
         "expected a whole number from 1 to 100000"},
        {"[server]\nrequest_timeout_seconds = 0\n", "server.request_timeout_seconds", 2,
         "expected a whole number from 1 to 3600"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const ConfigError error = configError(c.text);
        CHECK(error.file() == "server.toml");
        CHECK(error.line() == c.line);
        CHECK(error.key() == c.key);
        CHECK(std::string(error.what()) ==
              "server.toml:" + std::to_string(c.line) + ": " + c.key + ": " + c.problem);
    }
}

TEST_CASE("a syntax error is a ConfigError with its line", "[server_config]") {
    const ConfigError error = configError("[server]\nport = = 3\n");
    CHECK(error.line() == 2);
}

TEST_CASE("TLS needs both the certificate and the key", "[server_config]") {
    const ConfigError missingKey = configError("[server]\ntls_cert_file = \"/c.pem\"\n");
    CHECK(missingKey.key() == "server.tls_key_file");
    CHECK(missingKey.line() == 2);
    const ConfigError missingCert = configError("[server]\n\ntls_key_file = \"/k.pem\"\n");
    CHECK(missingCert.key() == "server.tls_cert_file");
    CHECK(missingCert.line() == 3);
}

TEST_CASE("unknown keys and tables are warnings, not errors", "[server_config]") {
    const ServerConfig c =
        parseServerConfig("[server]\nport = 1\nspeed = 3\n[extras]\nthing = true\n", "server.toml");
    REQUIRE(c.warnings.size() == 2);
    CHECK(c.warnings[0].key == "server.speed");
    CHECK(c.warnings[0].line == 3);
    CHECK(c.warnings[0].message == "unknown key; it is ignored");
    CHECK(c.warnings[1].key == "extras.thing");
    CHECK(c.warnings[1].message == "unknown table [extras]; the key is ignored");
    CHECK(c.port == 1);
}

TEST_CASE("a missing file is a ConfigError on line 0", "[server_config]") {
    test::TempDir dir("server-config");
    try {
        (void)loadServerConfig(dir / "absent.toml");
        FAIL("no error");
    } catch (const ConfigError& error) {
        CHECK(error.line() == 0);
        CHECK(std::string(error.what()).find("absent.toml") != std::string::npos);
        CHECK(std::string(error.what()).find("No such file") != std::string::npos);
    }
    test::writeText(dir / "server.toml", "[server]\nport = 1234\n");
    const ServerConfig loaded = loadServerConfig(dir / "server.toml");
    CHECK(loaded.port == 1234);
    CHECK(loaded.sourceFile == dir / "server.toml");
}

TEST_CASE("plain HTTP is only served on loopback unless explicitly allowed", "[server_config]") {
    ServerConfig loopback;
    loopback.listenAddress = "127.0.0.1";
    CHECK_NOTHROW(validateForServing(loopback));
    loopback.listenAddress = "::1";
    CHECK_NOTHROW(validateForServing(loopback));
    loopback.listenAddress = "localhost";
    CHECK_NOTHROW(validateForServing(loopback));

    const std::string text = "[server]\nport = 8080\nlisten_address = \"0.0.0.0\"\n";
    ServerConfig open = parseServerConfig(text, "server.toml");
    open.sourceFile = "server.toml";
    const ConfigError error = servingError(open);
    CHECK(error.key() == "server.listen_address");
    CHECK(error.line() == 3);
    CHECK(std::string(error.what()).find("plain HTTP on \"0.0.0.0\" is refused") !=
          std::string::npos);

    open.allowPlainHttp = true;
    CHECK_NOTHROW(validateForServing(open));
}

TEST_CASE("serving with TLS needs readable certificate and key files", "[server_config]") {
    test::TempDir dir("server-config-tls");
    test::writeText(dir / "cert.pem", "x");
    ServerConfig c = parseServerConfig(
        "[server]\nlisten_address = \"0.0.0.0\"\ntls_cert_file = \"" + (dir / "cert.pem").string() +
            "\"\ntls_key_file = \"" + (dir / "missing.pem").string() + "\"\n",
        "server.toml");
    const ConfigError error = servingError(c);
    CHECK(error.key() == "server.tls_key_file");
    CHECK(error.line() == 4);
    test::writeText(dir / "missing.pem", "y");
    CHECK_NOTHROW(validateForServing(c));  // TLS on 0.0.0.0 is fine
}

TEST_CASE("loopback addresses", "[server_config]") {
    CHECK(isLoopbackAddress("127.0.0.1"));
    CHECK(isLoopbackAddress("127.1.2.3"));
    CHECK(isLoopbackAddress("::1"));
    CHECK(isLoopbackAddress("localhost"));
    CHECK_FALSE(isLoopbackAddress("0.0.0.0"));
    CHECK_FALSE(isLoopbackAddress("::"));
    CHECK_FALSE(isLoopbackAddress("192.168.1.10"));
    CHECK_FALSE(isLoopbackAddress("128.0.0.1"));
    CHECK_FALSE(isLoopbackAddress("example.org"));
}

TEST_CASE("durations", "[server_config]") {
    CHECK(parseDuration("45s") == 45s);
    CHECK(parseDuration("30m") == 30min);
    CHECK(parseDuration("24h") == 24h);
    CHECK(parseDuration("7d") == std::chrono::hours(24 * 7));
    for (const char* bad :
         {"", "s", "0s", "-5m", "1.5h", "10", "10w", "h10", "1 h", "1234567890d"}) {
        INFO(bad);
        CHECK_FALSE(parseDuration(bad).has_value());
    }
    CHECK(formatDuration(std::chrono::hours(48)) == "2d");
    CHECK(formatDuration(90min) == "90m");
    CHECK(formatDuration(3h) == "3h");
    CHECK(formatDuration(61s) == "61s");
}

TEST_CASE("server.toml is real TOML: literal strings, dotted keys, nested tables",
          "[server][config]") {
    const std::string text =
        "storage.database = 'signpost.db'\n"
        "[server]\n"
        "port = 9000\n"
        "listen_address = '127.0.0.1'\n"
        "[limits]\n"
        "max_batch_items = 50\n"
        "[limits.per_route]   # not a key the server knows\n"
        "enroll = 1\n"
        "[experimental]\n"
        "feeds = [\n"
        "  { name = \"council\", url = \"https://a.example\" },\n"
        "]\n";
    const ServerConfig config = parseServerConfig(text, "server.toml");
    CHECK(config.database == "signpost.db");
    CHECK(config.port == 9000);
    CHECK(config.listenAddress == "127.0.0.1");
    CHECK(config.maxBatchItems == 50);
    REQUIRE(config.warnings.size() == 2);
    CHECK(config.warnings[0].key == "limits.per_route");
    CHECK(config.warnings[0].line == 7);
    CHECK(config.warnings[1].line == 10);
    // A type no key takes is the key's own error, with its line.
    try {
        (void)parseServerConfig("[server]\nport = [8443]\n", "server.toml");
        FAIL("expected a ConfigError");
    } catch (const ConfigError& error) {
        CHECK(error.line() == 2);
        CHECK_THAT(error.what(),
                   Catch::StartsWith("server.toml:2: server.port: expected a whole number"));
    }
}

TEST_CASE("[directory] sources are live feeds as inline tables", "[server_config]") {
    const ServerConfig config = parseServerConfig(
        "[directory]\n"
        "sources = [{url = \"https://council.example/api/v3\", name = \"Council\"},\n"
        "           {name = \"VCSE network\", url = \"http://127.0.0.1:9000/oruk\"}]\n"
        "refresh = \"30m\"\n"
        "needs_mapping = \"/etc/signpost/needs-mapping.toml\"\n",
        "server.toml");
    REQUIRE(config.directorySources.size() == 2);
    CHECK(config.directorySources[0].url == "https://council.example/api/v3");
    CHECK(config.directorySources[0].name == "Council");
    CHECK(config.directorySources[1].name == "VCSE network");
    CHECK(config.directoryRefresh == std::chrono::minutes(30));
    CHECK(config.needsMapping == "/etc/signpost/needs-mapping.toml");
    CHECK(parseServerConfig("", "server.toml").directorySources.empty());

    auto refused = [](const std::string& sources) {
        try {
            parseServerConfig("[directory]\nsources = " + sources + "\n", "server.toml");
        } catch (const ConfigError& error) {
            return std::string(error.what());
        }
        return std::string("accepted");
    };
    const std::string at = "server.toml:2: directory.sources: ";
    CHECK(refused("\"https://x.example\"") ==
          at + "expected a list of {url = \"https://...\", name = \"...\"}");
    CHECK(refused("[\"https://x.example\"]") ==
          at + "item 1: expected {url = \"https://...\", name = \"...\"}");
    CHECK(refused("[{url = \"ftp://x.example\", name = \"A\"}]") ==
          at + "item 1: url: expected an address starting with https:// (or http://)");
    CHECK(refused("[{url = \"https://x.example\"}]") ==
          at + "item 1: name: required, it names the feed in status and metrics");
    CHECK(refused("[{url = \"https://x.example\", name = \"A\"}, {url = \"https://y.example\", "
                  "name = \"A\"}]") == at + "item 2: name: \"A\" is used twice");
    CHECK(refused("[{url = \"https://x.example\", name = \"A\", token = \"t\"}]") ==
          at + "item 1: unknown key \"token\"; a source has url and name");
    CHECK(refused("[{url = \"\", name = \"A\"}]") ==
          at + "item 1: url: expected text in quotes, not empty");
}

// server.toml reads with the kiosk's key engine (core/config/config_keys.h), so it gets the same
// warnings: a key in the wrong table says where it belongs, and a key above every table is an
// unknown key (it used to be "unknown table []").
TEST_CASE("server.toml's unknown keys are reported as kiosk.toml's are", "[server_config]") {
    const ServerConfig c =
        parseServerConfig("debug = true\n[server]\ndatabase = \"x.db\"\n", "server.toml");
    REQUIRE(c.warnings.size() == 2);
    CHECK(c.warnings[0].key == "debug");
    CHECK(c.warnings[0].line == 1);
    CHECK(c.warnings[0].message == "unknown key; it is ignored");
    CHECK(c.warnings[1].key == "server.database");
    CHECK(c.warnings[1].line == 3);
    CHECK(c.warnings[1].message == "unknown key; it is ignored (did you mean storage.database?)");
    CHECK(c.database == ServerConfig{}.database);
}
