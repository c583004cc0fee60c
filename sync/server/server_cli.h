// Signpost server — the command line: `signpost-server serve` and `signpost-server admin ...`.
//
//   signpost-server serve [--config FILE]
//   signpost-server admin enrollment-code --venue V [--expires 24h]
//   signpost-server admin coordinator-token create --name N | revoke N | list
//   signpost-server admin devices list [--json] | revoke ID
//   signpost-server admin device set|set-pin|clear|show ID ...   (a kiosk's remote settings)
//   signpost-server admin import-directory FILE | --from-url URL
//   signpost-server admin directory status
//   signpost-server backup --to FILE | restore --from FILE   (sync/server/backup.h)
//   signpost-server --help | --version          (every verb also takes --help)
//
// --config FILE may appear anywhere; without it the default file is used if it exists
// (/etc/signpost/server.toml installed, config/server.toml in a build tree), else the defaults.
// Secrets (enrollment codes, tokens) go to stdout alone, so scripts can capture them; everything
// for people goes to stderr. Admin commands open the same database as the server; SQLite's locks
// make that safe while it runs.
//
// Exit codes:
//   0  success
//   1  the operation failed (unknown device or token, a directory file that does not import,
//      storage error, cannot listen)
//   2  usage error (unknown verb or option, missing argument)
//   3  configuration error (the message names file, line and key)
//
// Each verb is its own file (<verb>_verb.cpp), listed in server_verbs.cpp's tables;
// server_cli.cpp only dispatches (server_verbs.h).
//
// Thread-safety: call from one thread (serve blocks SIGINT/SIGTERM and waits for them).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace signpost::server {

namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;
inline constexpr int kConfig = 3;
}  // namespace exit_code

// `args` excludes the program name. Returns the exit code.
int runServerCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace signpost::server
