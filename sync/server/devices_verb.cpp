// `signpost-server admin devices list|revoke`: the kiosk fleet as a table (or JSON), and revoking
// a kiosk's token.
#include <ostream>

#include "sync/server/admin_tables.h"
#include "sync/server/server_cli.h"
#include "sync/server/server_verbs.h"

namespace signpost::server {

const char* const kDevicesUsage =
    "usage: signpost-server admin devices list [--json]\n"
    "       signpost-server admin devices revoke DEVICE_ID\n"
    "\n"
    "list shows every enrolled kiosk with its name, venue, enrollment, last contact and state, in\n"
    "aligned columns, or with --json as {\"devices\": [...]} for scripts. revoke makes the\n"
    "kiosk's token stop working (401); its submissions already received are kept.\n";

int runDevices(Arguments& args, const ServerConfig& config, std::ostream& out, std::ostream& err) {
    const std::string action = args.required("an action: list or revoke", kDevicesUsage);
    if (action == "list") {
        const bool json = args.takeFlag("--json");
        args.expectEnd(kDevicesUsage);
        auto store = openStore(config);
        out << (json ? devicesJson(store->listDevices()) : devicesTable(store->listDevices()));
        return exit_code::kOk;
    }
    if (action == "revoke") {
        const std::string id = args.required("the device id", kDevicesUsage);
        args.expectEnd(kDevicesUsage);
        auto store = openStore(config);
        const auto device = findDeviceOrSay(*store, id, err);
        if (!device) {
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

}  // namespace signpost::server
