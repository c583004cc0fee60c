// `signpost devices`: the kiosk fleet as the server sees it, as an aligned table (or JSON).
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/common/time_util.h"
#include "core/common/utf8.h"
#include "sync/tool/pull_client.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

const char* const kDevicesUsage =
    R"(Usage: signpost devices --server URL --token-file FILE [--ca-file FILE] [--json]

Lists the kiosks enrolled with the sync server: device name, venue, when the server last heard
from it (and how long ago), app version, its queue (referrals waiting to be sent, sent, rejected
by the server), its last sync error, free disk space, whether it was revoked, and its id (for
`signpost-server admin devices revoke`). Queue, version, error and disk come from the kiosk's
last heartbeat; "-" means it has not sent one. STAFF says whether staff mode is set up ("no PIN")
and flags a kiosk where wrong PINs locked it ("LOCKED until ...", "2 lockouts"): a warning names
those kiosks.

Options:
  --server URL       the sync server, e.g. https://sync.example.org (required)
  --token-file FILE  a file holding a coordinator token (required)
  --ca-file FILE     trust this PEM certificate authority for the server's certificate
  --json             print the list as JSON instead of a table
  --help             show this help

Exit status: 0 listed; 1 error (server unreachable, token refused...); 2 usage error.
)";

namespace {

// Cuts to `limit` code points, ending with "…" when cut.
std::string shortened(const std::string& text, std::size_t limit) {
    if (utf8::count(text) <= limit) {
        return text;
    }
    return std::string(utf8::prefixCodePoints(text, limit - 1)) + "\xE2\x80\xA6";
}

std::string ago(std::chrono::seconds elapsed) {
    const long long s = elapsed.count();
    if (s < -60) {
        return "in the future";
    }
    if (s < 60) {
        return "just now";
    }
    if (s < 3600) {
        return std::to_string(s / 60) + " min ago";
    }
    if (s < 2 * 86400) {
        return std::to_string(s / 3600) + " h ago";
    }
    return std::to_string(s / 86400) + " days ago";
}

std::string lastSeen(const std::string& iso, SystemTime now) {
    if (iso.empty()) {
        return "never";
    }
    const auto when = parseIsoUtc(iso);
    if (!when) {
        return iso;
    }
    std::string text = formatIsoUtc(*when);  // "2026-11-23T14:03:07Z"
    text = text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
    return text + " (" + ago(std::chrono::duration_cast<std::chrono::seconds>(now - *when)) + ")";
}

// The STAFF column: whether staff mode is set up, and whether wrong PINs locked it (issue 9).
std::string staffState(const protocol::StaffLockReport& staff, SystemTime now) {
    if (!staff.reported) {
        return "-";
    }
    if (!staff.pinSet) {
        return "no PIN";
    }
    if (!staff.lockedUntil.empty()) {
        const auto until = parseIsoUtc(staff.lockedUntil);
        if (until && *until > now) {
            std::string text = formatIsoUtc(*until);
            return "LOCKED until " + text.substr(0, 10) + " " + text.substr(11, 5) + " UTC (lock " +
                   std::to_string(staff.lockouts) + ")";
        }
    }
    if (staff.lockouts > 0) {
        return std::to_string(staff.lockouts) + (staff.lockouts == 1 ? " lockout" : " lockouts");
    }
    return "ok";
}

bool flagged(const protocol::StaffLockReport& staff) {
    return staff.reported && staff.pinSet && staff.lockouts > 0;
}

std::string bytes(std::uint64_t value) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double scaled = static_cast<double>(value);
    std::size_t unit = 0;
    while (scaled >= 1000 && unit + 1 < std::size(units)) {
        scaled /= 1000;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", scaled, units[unit]);
    return text;
}

void printTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], utf8::count(row[c]));
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) {
                line.append(widths[c] - utf8::count(row[c]) + 2, ' ');
            }
        }
        out << line << "\n";
    }
}

}  // namespace

int runDevices(std::span<const std::string> args) {
    const Options options(args, {{"server", true},
                                 {"token-file", true},
                                 {"ca-file", true},
                                 {"json", false},
                                 {"help", false}});
    if (options.has("help")) {
        std::cout << kDevicesUsage;
        return kExitOk;
    }
    CoordinatorConnection connection;
    connection.server = normaliseServerUrl(options.required("server"));
    connection.tokenFile = options.required("token-file");
    connection.caFile = options.value("ca-file").value_or("");
    std::string warning;
    connection.token = readTokenFile(connection.tokenFile, warning);
    if (!warning.empty()) {
        std::cerr << warning << "\n";
    }
    CoordinatorClient client(connection);
    const protocol::DeviceList list = client.devices();

    if (options.has("json")) {
        std::cout << nlohmann::json::parse(protocol::toJson(list))["devices"].dump(2) << "\n";
    } else if (list.devices.empty()) {
        std::cerr << "No kiosks are enrolled yet (signpost-server admin enrollment-code makes a "
                     "code to enroll one).\n";
    } else {
        const SystemTime now = std::chrono::system_clock::now();
        std::vector<std::vector<std::string>> rows = {{"DEVICE", "VENUE", "LAST SEEN", "VERSION",
                                                       "QUEUED", "SENT", "REJECTED", "LAST ERROR",
                                                       "FREE DISK", "STAFF", "REVOKED", "ID"}};
        for (const protocol::DeviceInfo& d : list.devices) {
            const protocol::Heartbeat& beat = d.lastHeartbeat;
            const bool heard = !beat.appVersion.empty();
            const auto count = [&](std::size_t n) {
                return heard ? std::to_string(n) : std::string("-");
            };
            rows.push_back(
                {shortened(d.name, 30), shortened(d.venue, 30), lastSeen(d.lastSeenAt, now),
                 heard ? beat.appVersion : "-", count(beat.queued), count(beat.sent),
                 count(beat.rejected),
                 heard ? (beat.lastError.empty() ? "none" : shortened(beat.lastError, 40)) : "-",
                 heard ? bytes(beat.freeDiskBytes) : "-", staffState(beat.staff, now),
                 d.revoked ? "yes" : "no", d.deviceId});
        }
        printTable(rows, std::cout);
        const auto revoked = std::count_if(list.devices.begin(), list.devices.end(),
                                           [](const protocol::DeviceInfo& d) { return d.revoked; });
        std::cerr << list.devices.size() << (list.devices.size() == 1 ? " kiosk" : " kiosks");
        if (revoked > 0) {
            std::cerr << " (" << revoked << " revoked)";
        }
        std::cerr << ".\n";
        // Wrong PINs at a kiosk: someone may be trying to take it over. Said where it is seen.
        std::vector<std::string> locked;
        for (const protocol::DeviceInfo& d : list.devices) {
            if (!d.revoked && flagged(d.lastHeartbeat.staff)) {
                locked.push_back(d.name + " (" + d.venue + ")");
            }
        }
        if (!locked.empty()) {
            std::cerr << "warning: staff mode was locked after wrong PINs on " << locked.size()
                      << (locked.size() == 1 ? " kiosk: " : " kiosks: ");
            for (std::size_t i = 0; i < locked.size(); ++i) {
                std::cerr << (i == 0 ? "" : ", ") << locked[i];
            }
            std::cerr << "; ask the venue, and if nobody there tried, check the kiosk "
                         "(installer/README.md, \"Staff PIN\")\n";
        }
    }
    std::cout.flush();
    return std::cout ? kExitOk : kExitFailed;
}

}  // namespace signpost::tool
