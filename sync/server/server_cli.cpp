#include "sync/server/server_cli.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/paths.h"
#include "core/common/time_util.h"
#include "core/config/kiosk_config.h"
#include "core/directory/hsds_import.h"
#include "core/operations/remote_settings.h"
#include "core/storage/database.h"
#include "sync/server/backup.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/directory_verbs.h"
#include "sync/server/server_config.h"
#include "sync/server/server_runtime.h"
#include "sync/server/sqlite_server_store.h"
#include "sync/server/tokens.h"

namespace signpost::server {

namespace {

// Thrown for a bad command line; becomes exit code 2 with the verb's usage.
struct UsageError {
    std::string message;
    std::string usage;
};

constexpr const char* kMainUsage =
    "usage: signpost-server <command> [--config FILE]\n"
    "\n"
    "The Signpost central server: kiosks push sealed referrals to it, coordinators pull them.\n"
    "\n"
    "commands:\n"
    "  serve                                  run the server until SIGINT/SIGTERM\n"
    "  admin enrollment-code --venue V [--expires 24h]\n"
    "                                         make a single-use code to enroll one kiosk\n"
    "  admin coordinator-token create --name N | revoke N | list\n"
    "                                         manage coordinators' pull tokens\n"
    "  admin devices list | revoke ID         the kiosk fleet\n"
    "  admin device set ID KEY=VALUE... | clear ID KEY... | show ID\n"
    "                                         one kiosk's remote settings\n"
    "  admin import-directory FILE | --from-url URL\n"
    "                                         publish a new directory version (HSDS / ORUK 3.0)\n"
    "  admin directory status                 the live directory feeds' state\n"
    "  backup --to FILE                       copy the database, consistent, while serving\n"
    "  restore --from FILE                    replace the database with a backup (stop first)\n"
    "\n"
    "options:\n"
    "  --config FILE   server.toml to use (default: /etc/signpost/server.toml installed,\n"
    "                  config/server.toml in a build tree; built-in defaults if missing)\n"
    "  --help          help for any command\n"
    "  --version       print the version\n"
    "\n"
    "exit codes: 0 success, 1 operation failed, 2 usage error, 3 configuration error\n";

constexpr const char* kServeUsage =
    "usage: signpost-server serve [--config FILE]\n"
    "\n"
    "Serves the sync API (HTTPS with the configured certificate; plain HTTP only on loopback or\n"
    "with allow_plain_http) until SIGINT or SIGTERM, purging acknowledged submissions after the\n"
    "configured retention. Logs one line per request to stderr.\n";

constexpr const char* kEnrollmentCodeUsage =
    "usage: signpost-server admin enrollment-code --venue VENUE [--expires DURATION]\n"
    "\n"
    "Prints a single-use enrollment code (like 7KQ3-M9XD-2F8H) for one kiosk at VENUE. Staff\n"
    "type it into the kiosk's staff panel with the server's address. DURATION is how long the\n"
    "code stays valid: 30m, 24h, 7d (default 24h, at most 30d).\n";

constexpr const char* kTokenUsage =
    "usage: signpost-server admin coordinator-token create --name NAME\n"
    "       signpost-server admin coordinator-token revoke NAME\n"
    "       signpost-server admin coordinator-token list\n"
    "\n"
    "A coordinator token lets `signpost pull` fetch and acknowledge submissions and list the\n"
    "fleet. create prints the token once (only its hash is kept); revoke stops it at once.\n";

constexpr const char* kDevicesUsage =
    "usage: signpost-server admin devices list\n"
    "       signpost-server admin devices revoke DEVICE_ID\n"
    "\n"
    "list shows every enrolled kiosk with its venue, last contact and state. revoke makes the\n"
    "kiosk's token stop working (401); its submissions already received are kept.\n";

constexpr const char* kDeviceUsage =
    "usage: signpost-server admin device set DEVICE_ID KEY=VALUE [KEY=VALUE...]\n"
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
    "Example: signpost-server admin device set 3f2c... idle_timeout=120 monday=09:00-17:00\n";

constexpr const char* kImportUsage =
    "usage: signpost-server admin import-directory FILE [--needs-mapping FILE]\n"
    "       signpost-server admin import-directory --from-url URL [--name NAME] [--needs-mapping "
    "FILE]\n"
    "\n"
    "Reads a directory — Signpost's own file (assets/directory/README.md), an Open Referral UK\n"
    "3.0 / HSDS 3.0 document (a service, a list or page of services, an organization, a\n"
    "service_at_location), or a live ORUK feed's /services walked page by page — prints every\n"
    "problem (record, field, reason; bad records are skipped, the rest imported) and, if any\n"
    "service changed, publishes it as the next directory version. Kiosks then fetch only the\n"
    "services that changed. Needs come from the feed's taxonomy terms through the needs\n"
    "mapping (config/needs-mapping.toml; used by default with --from-url).\n";

constexpr const char* kDirectoryUsage =
    "usage: signpost-server admin directory status [--config FILE]\n"
    "\n"
    "Shows each live feed in [directory] sources as the running server last read it: up or\n"
    "down, when it last worked, the last error, its services and the problems its records had.\n"
    "A feed that is down keeps its last good data in the directory.\n";

constexpr const char* kBackupUsage =
    "usage: signpost-server backup --to FILE [--config FILE]\n"
    "\n"
    "Copies the server's database to FILE while the server keeps running (SQLite's online\n"
    "backup: one consistent snapshot; kiosks are not held up). The copy is checked with\n"
    "integrity_check and only then renamed to FILE (mode 0600), replacing an older FILE.\n"
    "It holds sealed referrals and token hashes: keep it as safe as the server.\n"
    "Run it as the server's user: runuser -u signpost-server -- signpost-server backup ...\n";

constexpr const char* kRestoreUsage =
    "usage: signpost-server restore --from FILE [--config FILE]\n"
    "\n"
    "Replaces the server's database with the backup FILE, after checking it is an intact\n"
    "Signpost server database no newer than this program. Everything stored after the backup\n"
    "was taken is lost. Stop the server first (systemctl stop signpost-server), run this as\n"
    "the server's user, then start it again.\n";

constexpr const char* kAdminUsage =
    "usage: signpost-server admin <enrollment-code | coordinator-token | devices | device | "
    "import-directory | directory>\n"
    "                             ... [--config FILE]\n"
    "\n"
    "Run `signpost-server admin <command> --help` for each command.\n";

class Arguments {
public:
    explicit Arguments(std::vector<std::string> args) : m_args(std::move(args)) {}

    // Removes "--name VALUE" or "--name=VALUE" wherever it is; nullopt if absent.
    std::optional<std::string> takeOption(const std::string& name, const char* usage) {
        for (std::size_t i = 0; i < m_args.size(); ++i) {
            if (m_args[i] == name) {
                if (i + 1 >= m_args.size()) {
                    throw UsageError{name + " needs a value", usage};
                }
                std::string value = m_args[i + 1];
                m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i),
                             m_args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
                return value;
            }
            if (m_args[i].rfind(name + "=", 0) == 0) {
                std::string value = m_args[i].substr(name.size() + 1);
                m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i));
                return value;
            }
        }
        return std::nullopt;
    }

    bool takeFlag(const std::string& name) {
        for (std::size_t i = 0; i < m_args.size(); ++i) {
            if (m_args[i] == name) {
                m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i));
                return true;
            }
        }
        return false;
    }

    // The next positional word; nullopt when none are left.
    std::optional<std::string> next() {
        if (m_args.empty()) {
            return std::nullopt;
        }
        std::string word = m_args.front();
        m_args.erase(m_args.begin());
        return word;
    }

    std::string required(const std::string& what, const char* usage) {
        auto word = next();
        if (!word || word->empty() || (*word)[0] == '-') {
            throw UsageError{"missing " + what, usage};
        }
        return *word;
    }

    void expectEnd(const char* usage) const {
        if (!m_args.empty()) {
            throw UsageError{"unexpected argument \"" + m_args.front() + "\"", usage};
        }
    }

private:
    std::vector<std::string> m_args;
};

ServerConfig loadConfig(const std::optional<std::string>& file) {
    if (file) {
        return loadServerConfig(*file);
    }
    const auto fallback = defaultServerConfigFile();
    std::error_code ignored;
    if (std::filesystem::exists(fallback, ignored)) {
        return loadServerConfig(fallback);
    }
    return ServerConfig{};
}

void printWarnings(const ServerConfig& config, std::ostream& err) {
    for (const ServerConfigWarning& w : config.warnings) {
        err << config.sourceFile.string() << ":" << w.line << ": " << w.key << ": " << w.message
            << "\n";
    }
}

std::unique_ptr<SqliteServerStore> openStore(const ServerConfig& config) {
    const auto path = config.databasePath();
    ensurePrivateDirectory(path.parent_path());
    return std::make_unique<SqliteServerStore>(path);
}

SystemTime now() {
    return std::chrono::system_clock::now();
}

std::string orDash(const std::string& text) {
    return text.empty() ? "-" : text;
}

// --- verbs ---

int serve(Arguments& args, const std::optional<std::string>& configFile, std::ostream& err) {
    args.expectEnd(kServeUsage);
    ServerConfig config = loadConfig(configFile);
    printWarnings(config, err);
    setMinimumLogLevel(config.logLevel);

    // Block the stop signals in every thread (they inherit this mask), then wait for them here.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    // A client that disconnects mid-response must not kill the server.
    signal(SIGPIPE, SIG_IGN);

    ServerRuntime runtime(config);
    try {
        runtime.start();
    } catch (const std::runtime_error& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kFailed;
    }
    // The one line tests and scripts wait for; the port matters when the config said 0.
    err << "signpost-server: listening on " << runtime.baseUrl() << " (database "
        << config.databasePath().string() << ")" << std::endl;
    int received = 0;
    sigwait(&stopSignals, &received);
    logInfo("server", std::string("stopping on ") + (received == SIGINT ? "SIGINT" : "SIGTERM"));
    runtime.stop();
    return exit_code::kOk;
}

int enrollmentCode(Arguments& args, const ServerConfig& config, std::ostream& out,
                   std::ostream& err) {
    const auto venue = args.takeOption("--venue", kEnrollmentCodeUsage);
    const auto expiresText = args.takeOption("--expires", kEnrollmentCodeUsage);
    args.expectEnd(kEnrollmentCodeUsage);
    if (!venue || venue->empty()) {
        throw UsageError{"--venue is required", kEnrollmentCodeUsage};
    }
    std::chrono::seconds lifetime = std::chrono::hours(24);
    if (expiresText) {
        const auto parsed = parseDuration(*expiresText);
        if (!parsed || *parsed > std::chrono::hours(24 * 30)) {
            throw UsageError{"--expires: expected a duration such as 30m, 24h or 7d (at most 30d)",
                             kEnrollmentCodeUsage};
        }
        lifetime = *parsed;
    }
    auto store = openStore(config);
    const std::string code = generateEnrollmentCode();
    const SystemTime issued = now();
    const SystemTime expires = issued + lifetime;
    store->addEnrollmentCode(hashToken(*normalizeEnrollmentCode(code)), *venue, expires, issued);
    out << code << "\n";
    err << "enrollment code for venue \"" << *venue << "\", single use, valid until "
        << formatIsoUtc(expires) << "\n";
    return exit_code::kOk;
}

int coordinatorToken(Arguments& args, const ServerConfig& config, std::ostream& out,
                     std::ostream& err) {
    const std::string action = args.required("an action: create, revoke or list", kTokenUsage);
    if (action == "create") {
        const auto name = args.takeOption("--name", kTokenUsage);
        args.expectEnd(kTokenUsage);
        if (!name || name->empty() || name->size() > 100) {
            throw UsageError{"--name is required (1 to 100 characters)", kTokenUsage};
        }
        auto store = openStore(config);
        const std::string token = generateToken();
        try {
            store->addCoordinatorToken(*name, hashToken(token), now());
        } catch (const StoreConflict& conflict) {
            err << "signpost-server: " << conflict.what()
                << "; revoke it first or pick another name\n";
            return exit_code::kFailed;
        }
        out << token << "\n";
        err << "coordinator token \"" << *name
            << "\" created. Save it now (for example in a file with mode 0600): it cannot be shown "
               "again.\n";
        return exit_code::kOk;
    }
    if (action == "revoke") {
        const std::string name = args.required("the token's name", kTokenUsage);
        args.expectEnd(kTokenUsage);
        auto store = openStore(config);
        if (!store->revokeCoordinatorToken(name, now())) {
            err << "signpost-server: no active coordinator token is named \"" << name << "\"\n";
            return exit_code::kFailed;
        }
        err << "coordinator token \"" << name << "\" revoked\n";
        return exit_code::kOk;
    }
    if (action == "list") {
        args.expectEnd(kTokenUsage);
        auto store = openStore(config);
        const auto tokens = store->listCoordinatorTokens();
        out << std::left << std::setw(24) << "NAME" << std::setw(26) << "CREATED"
            << "STATE\n";
        for (const CoordinatorTokenRecord& t : tokens) {
            out << std::setw(24) << t.name << std::setw(26) << t.createdAt
                << (t.revokedAt.empty() ? "active" : "revoked " + t.revokedAt) << "\n";
        }
        return exit_code::kOk;
    }
    throw UsageError{"unknown action \"" + action + "\"", kTokenUsage};
}

int devices(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err) {
    const std::string action = args.required("an action: list or revoke", kDevicesUsage);
    if (action == "list") {
        args.expectEnd(kDevicesUsage);
        auto store = openStore(config);
        out << std::left << std::setw(38) << "DEVICE" << std::setw(22) << "NAME" << std::setw(24)
            << "VENUE" << std::setw(26) << "LAST SEEN"
            << "STATE\n";
        for (const DeviceRecord& d : store->listDevices()) {
            out << std::setw(38) << d.id << std::setw(22) << d.name << std::setw(24) << d.venue
                << std::setw(26) << orDash(d.lastSeenAt) << (d.revoked() ? "revoked" : "active")
                << "\n";
        }
        return exit_code::kOk;
    }
    if (action == "revoke") {
        const std::string id = args.required("the device id", kDevicesUsage);
        args.expectEnd(kDevicesUsage);
        auto store = openStore(config);
        const auto device = store->findDevice(id);
        if (!device) {
            err << "signpost-server: no device has the id \"" << id
                << "\" (see: admin devices list)\n";
            return exit_code::kFailed;
        }
        if (!store->revokeDevice(id, now())) {
            err << "signpost-server: device " << id << " was already revoked\n";
            return exit_code::kFailed;
        }
        err << "device " << id << " (" << device->name << ", " << device->venue << ") revoked\n";
        return exit_code::kOk;
    }
    throw UsageError{"unknown action \"" + action + "\"", kDevicesUsage};
}

// admin device set|clear|show (operations): remote settings, validated with the kiosk's own
// config spec table (core/config/kiosk_config.h), stored as JSON values per key.
int device(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err) {
    const std::string action = args.required("an action: set, clear or show", kDeviceUsage);
    const std::string id = args.required("the device id", kDeviceUsage);
    std::vector<std::string> words;
    while (auto word = args.next()) {
        words.push_back(*word);
    }
    if (action != "set" && action != "clear" && action != "show") {
        throw UsageError{"unknown action \"" + action + "\"", kDeviceUsage};
    }
    if (action == "show" && !words.empty()) {
        throw UsageError{"show takes only the device id", kDeviceUsage};
    }
    if (action != "show" && words.empty()) {
        throw UsageError{action == "set" ? "nothing to set: give KEY=VALUE" : "nothing to clear: give KEY",
                         kDeviceUsage};
    }
    // Everything is checked before the database is opened: one bad value stores nothing.
    std::vector<std::pair<std::string, std::string>> changes;  // key → JSON value ("" = clear)
    for (const std::string& word : words) {
        const auto equals = word.find('=');
        if ((action == "set") != (equals != std::string::npos)) {
            throw UsageError{action == "set" ? "expected KEY=VALUE, got \"" + word + "\""
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
                json = remoteValueToJson(parseRemoteSettingText(*key, std::string_view(word).substr(equals + 1)));
            } catch (const ConfigError& error) {
                err << "signpost-server: " << *key << ": " << error.what() << "\n";
                return exit_code::kFailed;
            }
        }
        changes.emplace_back(*key, json);
    }
    auto store = openStore(config);
    const auto record = store->findDevice(id);
    if (!record) {
        err << "signpost-server: no device has the id \"" << id << "\" (see: admin devices list)\n";
        return exit_code::kFailed;
    }
    for (const auto& [key, json] : changes) {
        if (action == "set") {
            store->setDeviceSetting(id, key, json, now());
            err << key << " = " << json << "\n";
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
        out << "  " << std::left << std::setw(26) << key << json << "\n";
    }
    return exit_code::kOk;
}

int importDirectory(Arguments& args, const ServerConfig& config, std::ostream& out,
                    std::ostream& err) {
    ImportDirectoryArgs parsed;
    parsed.url = args.takeOption("--from-url", kImportUsage).value_or("");
    parsed.name = args.takeOption("--name", kImportUsage).value_or("");
    parsed.needsMapping = args.takeOption("--needs-mapping", kImportUsage).value_or("");
    if (parsed.url.empty()) {
        parsed.file = args.required("the directory file", kImportUsage);
    }
    args.expectEnd(kImportUsage);
    return importDirectoryCommand(parsed, config, out, err);
}

int directory(Arguments& args, const ServerConfig& config, std::ostream& out) {
    const auto action = args.next();
    if (!action || *action != "status") {
        throw UsageError{
            action ? "unknown directory command \"" + *action + "\"" : "missing directory command",
            kDirectoryUsage};
    }
    args.expectEnd(kDirectoryUsage);
    return directoryStatusCommand(config, out);
}

// Root would leave root-owned -wal/-shm files that the server's own user cannot open.
void refuseRootForeignDirectory(const std::filesystem::path& database, const char* usage) {
    struct stat info {};
    if (::geteuid() == 0 && ::stat(database.parent_path().c_str(), &info) == 0 && info.st_uid != 0) {
        throw UsageError{"run this as the owner of " + database.parent_path().string() +
                             " (runuser -u signpost-server -- signpost-server ...), not as root",
                         usage};
    }
}

int backup(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
           std::ostream& err) {
    const auto to = args.takeOption("--to", kBackupUsage);
    args.expectEnd(kBackupUsage);
    if (!to || to->empty()) {
        throw UsageError{"--to FILE is required", kBackupUsage};
    }
    ServerConfig config = loadConfig(configFile);
    printWarnings(config, err);
    refuseRootForeignDirectory(config.databasePath(), kBackupUsage);
    const DatabaseCopySummary summary = backupDatabase(config.databasePath(), *to);
    out << "backup " << *to << ": " << summary.bytes << " bytes, " << summary.submissions
        << " submissions, " << summary.devices << " devices, schema " << summary.schemaVersion
        << ", integrity ok\n";
    return exit_code::kOk;
}

int restore(Arguments& args, const std::optional<std::string>& configFile, std::ostream& out,
            std::ostream& err) {
    const auto from = args.takeOption("--from", kRestoreUsage);
    args.expectEnd(kRestoreUsage);
    if (!from || from->empty()) {
        throw UsageError{"--from FILE is required", kRestoreUsage};
    }
    ServerConfig config = loadConfig(configFile);
    printWarnings(config, err);
    refuseRootForeignDirectory(config.databasePath(), kRestoreUsage);
    const DatabaseCopySummary summary = restoreDatabase(*from, config.databasePath());
    out << "restored " << config.databasePath().string() << " from " << *from << ": "
        << summary.submissions << " submissions, " << summary.devices
        << " devices, integrity ok\n";
    return exit_code::kOk;
}

int admin(Arguments& args, const std::optional<std::string>& configFile, bool help,
          std::ostream& out, std::ostream& err) {
    const auto command = args.next();
    const char* usage = kAdminUsage;
    if (command == "enrollment-code") {
        usage = kEnrollmentCodeUsage;
    } else if (command == "coordinator-token") {
        usage = kTokenUsage;
    } else if (command == "devices") {
        usage = kDevicesUsage;
    } else if (command == "device") {
        usage = kDeviceUsage;
    } else if (command == "import-directory") {
        usage = kImportUsage;
    } else if (command == "directory") {
        usage = kDirectoryUsage;
    } else if (command && !help) {
        throw UsageError{"unknown admin command \"" + *command + "\"", kAdminUsage};
    }
    if (help) {
        out << usage;
        return exit_code::kOk;
    }
    if (!command) {
        throw UsageError{"missing admin command", kAdminUsage};
    }
    ServerConfig config = loadConfig(configFile);
    printWarnings(config, err);
    setMinimumLogLevel(LogLevel::Warning);  // an admin command's output is its own
    if (*command == "enrollment-code") {
        return enrollmentCode(args, config, out, err);
    }
    if (*command == "coordinator-token") {
        return coordinatorToken(args, config, out, err);
    }
    if (*command == "devices") {
        return devices(args, config, out, err);
    }
    if (*command == "device") {
        return device(args, config, out, err);
    }
    if (*command == "directory") {
        return directory(args, config, out);
    }
    return importDirectory(args, config, out, err);
}

}  // namespace

int runServerCli(const std::vector<std::string>& rawArgs, std::ostream& out, std::ostream& err) {
    try {
        Arguments args(rawArgs);
        const bool help = args.takeFlag("--help") || args.takeFlag("-h");
        if (args.takeFlag("--version")) {
            out << "signpost-server " << SIGNPOST_VERSION << "\n";
            return exit_code::kOk;
        }
        const auto configFile = args.takeOption("--config", kMainUsage);
        const auto verb = args.next();
        if (!verb) {
            if (help) {
                out << kMainUsage;
                return exit_code::kOk;
            }
            throw UsageError{"missing command", kMainUsage};
        }
        if (*verb == "serve") {
            if (help) {
                out << kServeUsage;
                return exit_code::kOk;
            }
            return serve(args, configFile, err);
        }
        if (*verb == "admin") {
            return admin(args, configFile, help, out, err);
        }
        if (*verb == "backup" || *verb == "restore") {
            if (help) {
                out << (*verb == "backup" ? kBackupUsage : kRestoreUsage);
                return exit_code::kOk;
            }
            return *verb == "backup" ? backup(args, configFile, out, err)
                                     : restore(args, configFile, out, err);
        }
        throw UsageError{"unknown command \"" + *verb + "\"", kMainUsage};
    } catch (const UsageError& error) {
        err << "signpost-server: " << error.message << "\n\n" << error.usage;
        return exit_code::kUsage;
    } catch (const ConfigError& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kConfig;
    } catch (const StorageError& error) {
        err << "signpost-server: database error: " << error.what() << "\n";
        return exit_code::kFailed;
    } catch (const FileError& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kFailed;
    } catch (const std::exception& error) {
        err << "signpost-server: " << error.what() << "\n";
        return exit_code::kFailed;
    }
}

}  // namespace signpost::server
