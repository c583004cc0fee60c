#include <algorithm>
#include <array>

#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

// One row per verb. The sync issue adds pull, devices, gen-directory... here.
const std::array<Verb, 4> kVerbs = {{
    {"keygen", "create the coordinators' key pair (a passphrase-protected key file)", kKeygenUsage,
     runKeygen},
    {"pull", "fetch new referrals from the sync server into a CSV/JSON file, exactly once",
     kPullUsage, runPull},
    {"devices", "list the kiosks enrolled with the sync server", kDevicesUsage, runDevices},
    {"open", "decrypt a kiosk's outbox to JSON, for checking", kOpenUsage, runOpen},
}};

}  // namespace

std::span<const Verb> verbs() {
    return kVerbs;
}

const Verb* findVerb(std::string_view name) {
    const auto it = std::find_if(kVerbs.begin(), kVerbs.end(),
                                 [&](const Verb& verb) { return name == verb.name; });
    return it == kVerbs.end() ? nullptr : &*it;
}

}  // namespace signpost::tool
