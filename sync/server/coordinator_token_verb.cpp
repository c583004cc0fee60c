// `signpost-server admin coordinator-token create|revoke|list`: the coordinators' pull tokens
// (create prints the token once; only its hash is kept).
#include <ostream>

#include "sync/server/admin_tables.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"
#include "sync/server/tokens.h"

namespace signpost::server {

const char* const kCoordinatorTokenUsage =
    "usage: signpost-server admin coordinator-token create --name NAME\n"
    "       signpost-server admin coordinator-token revoke NAME\n"
    "       signpost-server admin coordinator-token list\n"
    "\n"
    "A coordinator token lets `signpost pull` fetch and acknowledge submissions and list the\n"
    "fleet. create prints the token once (only its hash is kept); revoke stops it at once.\n";

int runCoordinatorToken(Arguments& args, const ServerConfig& config, std::ostream& out,
                        std::ostream& err) {
    const std::string action =
        args.required("an action: create, revoke or list", kCoordinatorTokenUsage);
    if (action == "create") {
        const auto name = args.takeOption("--name");
        args.expectEnd(kCoordinatorTokenUsage);
        if (!name || name->empty() || name->size() > 100) {
            throw UsageError{"--name is required (1 to 100 characters)", kCoordinatorTokenUsage};
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
        const std::string name = args.required("the token's name", kCoordinatorTokenUsage);
        args.expectEnd(kCoordinatorTokenUsage);
        auto store = openStore(config);
        if (!store->revokeCoordinatorToken(name, now())) {
            err << "signpost-server: no active coordinator token is named \"" << name << "\"\n";
            return exit_code::kFailed;
        }
        err << "coordinator token \"" << name << "\" revoked\n";
        return exit_code::kOk;
    }
    if (action == "list") {
        args.expectEnd(kCoordinatorTokenUsage);
        auto store = openStore(config);
        out << coordinatorTokensTable(store->listCoordinatorTokens());
        return exit_code::kOk;
    }
    throw UsageError{"unknown action \"" + action + "\"", kCoordinatorTokenUsage};
}

}  // namespace signpost::server
