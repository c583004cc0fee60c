// `signpost-server serve`: loads the configuration, starts the server (server_runtime.h) and
// serves until SIGINT or SIGTERM, which every thread blocks so that this one waits for them.
#include <pthread.h>
#include <signal.h>

#include <ostream>

#include "core/common/log.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_runtime.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

const char* const kServeUsage =
    "usage: signpost-server serve [--config FILE]\n"
    "\n"
    "Serves the sync API (HTTPS with the configured certificate; plain HTTP only on loopback or\n"
    "with allow_plain_http) until SIGINT or SIGTERM, purging acknowledged submissions after the\n"
    "configured retention. Logs one line per request to stderr.\n";

int runServe(Arguments& args, const std::optional<std::string>& configFile, std::ostream& /*out*/,
             std::ostream& err) {
    args.expectEnd(kServeUsage);
    ServerConfig config = loadConfig(configFile, err);
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
        << config.databasePath().string() << ", generation " << runtime.store().generation() << ")"
        << std::endl;
    int received = 0;
    sigwait(&stopSignals, &received);
    logInfo("server", std::string("stopping on ") + (received == SIGINT ? "SIGINT" : "SIGTERM"));
    runtime.stop();
    return exit_code::kOk;
}

}  // namespace signpost::server
