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
    std::string text;
    if (!args.url.empty()) {
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

}  // namespace signpost::server
