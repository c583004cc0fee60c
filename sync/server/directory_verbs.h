// Signpost server — the admin commands about the directory (their command-line verbs,
// runImportDirectory and runDirectory in server_verbs.h, read the arguments and call these):
//
//   admin import-directory FILE [--needs-mapping FILE]
//   admin import-directory --from-url URL [--name NAME] [--needs-mapping FILE]
//   admin directory status
//
// import-directory reads any document importHsds accepts (Signpost's own shape or ORUK 3.0 as
// published), or fetches a live ORUK feed once (feed_client.h), prints every problem (record,
// field, reason, what was done) and publishes the result as the next directory version if
// anything changed. `--from-url` uses the needs mapping by default (as [directory] sources do);
// a file uses it only with --needs-mapping. Exit 0 published or unchanged, 1 nothing usable.
//
// directory status prints each configured feed's state as the running server last wrote it
// (<data_dir>/feeds/status.json): up or down, last success, last error, services, problems.
//
// Run by root, import-directory acts as the data directory's owner (run_as_owner.h) once it has
// read the file, and before it fetches a feed.
//
// Thread-safety: run from the CLI's thread.
#pragma once

#include <ostream>
#include <string>

#include "sync/server/server_config.h"

namespace signpost::server {

struct ImportDirectoryArgs {
    std::string file;          // or
    std::string url;           // a feed's base URL
    std::string name;          // the feed's name in messages ("" = the URL)
    std::string needsMapping;  // "" = see above
};

int importDirectoryCommand(const ImportDirectoryArgs& args, const ServerConfig& config,
                           std::ostream& out, std::ostream& err);
int directoryStatusCommand(const ServerConfig& config, std::ostream& out);

}  // namespace signpost::server
