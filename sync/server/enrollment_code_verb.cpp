// `signpost-server admin enrollment-code`: a single-use code that enrolls one kiosk at a venue
// (only its hash is stored; the code itself goes to stdout once).
#include <ostream>

#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"
#include "sync/server/tokens.h"

namespace signpost::server {

const char* const kEnrollmentCodeUsage =
    "usage: signpost-server admin enrollment-code --venue VENUE [--expires DURATION]\n"
    "\n"
    "Prints a single-use enrollment code (like 7KQ3-M9XD-2F8H) for one kiosk at VENUE. Staff\n"
    "type it into the kiosk's staff panel with the server's address. DURATION is how long the\n"
    "code stays valid: 30m, 24h, 7d (default 24h, at most 30d).\n";

int runEnrollmentCode(Arguments& args, const ServerConfig& config, std::ostream& out,
                      std::ostream& err) {
    const std::string venue =
        args.requiredOption("--venue", "--venue is required", kEnrollmentCodeUsage);
    const auto expiresText = args.takeOption("--expires");
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
    store->addEnrollmentCode(hashToken(*normalizeEnrollmentCode(code)), venue, expires, issued);
    out << code << "\n";
    err << "enrollment code for venue \"" << venue << "\", single use, valid until "
        << formatIsoUtc(expires) << "\n";
    return exit_code::kOk;
}

}  // namespace signpost::server
