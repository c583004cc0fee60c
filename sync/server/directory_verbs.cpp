#include "sync/server/directory_verbs.h"

#include <optional>

#include "core/common/atomic_file.h"
#include "core/common/paths.h"
#include "core/config/toml.h"
#include "core/directory/hsds_import.h"
#include "core/directory/needs_mapping.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/directory_sources.h"
#include "sync/server/feed_client.h"
#include "sync/server/run_as_owner.h"
#include "sync/server/server_verbs.h"
#include "sync/server/sqlite_server_store.h"

namespace signpost::server {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr std::size_t kProblemsShown = 200;

}  // namespace

int importDirectoryCommand(const ImportDirectoryArgs& args, const ServerConfig& config,
                           std::ostream& out, std::ostream& err) {
    std::optional<NeedsMapping> mapping;
    if (!args.needsMapping.empty()) {
        mapping = NeedsMapping::load(args.needsMapping);  // ConfigError: exit 3 at the CLI
    } else if (!args.url.empty() && std::filesystem::exists(defaultNeedsMappingFile())) {
        mapping = NeedsMapping::load(defaultNeedsMappingFile());
    }
    const std::string from =
        args.url.empty() ? args.file : (args.name.empty() ? args.url : args.name);
    // Run by root: a feed is fetched as the data directory's owner (no need for root to talk to
    // the network); a file is read first, as root (it may be in root's home), then the switch.
    const std::filesystem::path dataDir = config.databasePath().parent_path();
    std::string text;
    if (!args.url.empty()) {
        actAsDataOwner(dataDir);
        const FeedFetch fetch = fetchOrukFeed({from, args.url}, FeedCache{}, FeedClientOptions{});
        for (const std::string& warning : fetch.warnings) {
            err << from << ": " << warning << "\n";
        }
        if (!fetch.ok) {
            err << "signpost-server: " << from << ": " << fetch.error << "\n";
            return kFailed;
        }
        out << from << ": " << fetch.cache.order.size() << " services in " << fetch.pages
            << " page(s), " << fetch.requests << " requests\n";
        text = feedDocument(fetch.cache);
    } else {
        try {
            text = readFile(args.file);
        } catch (const FileError& error) {
            err << "signpost-server: " << args.file << ": cannot read the file: " << error.what()
                << "\n";
            return kFailed;
        }
        actAsDataOwner(dataDir);
    }
    ImportOptions options;
    options.needsMapping = mapping ? &*mapping : nullptr;
    options.versionLabel = (args.url.empty() ? "file " : "feed ") + from;
    ImportResult result;
    try {
        result = importHsds(text, options);
    } catch (const ImportError& error) {
        err << "signpost-server: " << from << ": " << error.what() << "\n";
        return kFailed;
    }
    for (std::size_t i = 0; i < result.problems.size() && i < kProblemsShown; ++i) {
        err << from << ": " << result.problems[i].toString() << "\n";
    }
    if (result.problems.size() > kProblemsShown) {
        err << from << ": … and " << (result.problems.size() - kProblemsShown)
            << " more problems\n";
    }
    if (!result.problems.empty()) {
        err << from << ": " << result.recordsSkipped() << " record(s) skipped, "
            << (result.problems.size() - result.recordsSkipped())
            << " field problem(s); the rest is imported\n";
    }
    if (result.data.services.empty()) {
        err << "signpost-server: " << from
            << ": no services could be imported; the directory is unchanged\n";
        return kFailed;
    }
    DirectoryPublication publication;
    try {
        publication = preparePublication(result.data);
    } catch (const std::invalid_argument& error) {
        err << "signpost-server: " << from << ": " << error.what() << "\n";
        return kFailed;
    }
    ensurePrivateDirectory(config.databasePath().parent_path());
    SqliteServerStore store(config.databasePath());
    const auto summary = store.publishDirectory(publication, config.directoryHistory,
                                                std::chrono::system_clock::now());
    if (!summary.created) {
        out << "no changes: the directory is still version " << summary.version << "\n";
        return kOk;
    }
    out << "directory version " << summary.version << " published: " << summary.added << " added, "
        << summary.changed << " changed, " << summary.removed << " removed, " << summary.unchanged
        << " unchanged" << (summary.termsChanged ? ", taxonomy terms updated" : "") << "\n";
    return kOk;
}

int directoryStatusCommand(const ServerConfig& config, std::ostream& out) {
    if (config.directorySources.empty()) {
        out << "no live feeds: [directory] sources is empty in "
            << (config.sourceFile.empty() ? "the config" : config.sourceFile.string()) << "\n";
    }
    const std::vector<FeedStatus> feeds =
        DirectorySources::readStatus(config.resolvedDataDir() / "feeds");
    for (const auto& source : config.directorySources) {
        const FeedStatus* status = nullptr;
        for (const FeedStatus& s : feeds) {
            if (s.name == source.name) {
                status = &s;
            }
        }
        out << source.name << " (" << source.url << "): ";
        if (status == nullptr || status->lastAttemptAt.empty()) {
            out << "not read yet\n";
            continue;
        }
        out << (status->up ? "up" : "DOWN") << ", last tried " << status->lastAttemptAt
            << ", last success "
            << (status->lastSuccessAt.empty() ? "never" : status->lastSuccessAt) << "\n";
        if (!status->up) {
            out << "  error: " << status->lastError << "\n";
            out << "  using its last good data: " << status->services << " services\n";
        }
        out << "  services: " << status->services << " (" << status->servicesUsed
            << " in the directory), " << status->skipped << " record(s) skipped, "
            << status->fieldProblems << " field problem(s)\n";
        for (const std::string& problem : status->problems) {
            out << "  - " << problem << "\n";
        }
    }
    return kOk;
}

// ---- the command line: the two admin verbs (server_verbs.h) ----

const char* const kImportDirectoryUsage =
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

const char* const kDirectoryUsage =
    "usage: signpost-server admin directory status [--config FILE]\n"
    "\n"
    "Shows each live feed in [directory] sources as the running server last read it: up or\n"
    "down, when it last worked, the last error, its services and the problems its records had.\n"
    "A feed that is down keeps its last good data in the directory.\n";

int runImportDirectory(Arguments& args, const ServerConfig& config, std::ostream& out,
                       std::ostream& err) {
    ImportDirectoryArgs parsed;
    parsed.url = args.takeOption("--from-url").value_or("");
    parsed.name = args.takeOption("--name").value_or("");
    parsed.needsMapping = args.takeOption("--needs-mapping").value_or("");
    if (parsed.url.empty()) {
        parsed.file = args.required("the directory file", kImportDirectoryUsage);
    }
    args.expectEnd(kImportDirectoryUsage);
    return importDirectoryCommand(parsed, config, out, err);
}

int runDirectory(Arguments& args, const ServerConfig& config, std::ostream& out,
                 std::ostream& /*err*/) {
    const auto action = args.next();
    if (!action || *action != "status") {
        throw UsageError{
            action ? "unknown directory command \"" + *action + "\"" : "missing directory command",
            kDirectoryUsage};
    }
    args.expectEnd(kDirectoryUsage);
    return directoryStatusCommand(config, out);
}

}  // namespace signpost::server
