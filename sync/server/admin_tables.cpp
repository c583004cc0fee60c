#include "sync/server/admin_tables.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/common/utf8.h"

namespace signpost::server {

namespace {

// An empty cell is "-"; control characters (a newline in a kiosk's name) become spaces, so
// every row stays one line.
std::string orDash(const std::string& text) {
    if (text.empty()) {
        return "-";
    }
    std::string cell = text;
    for (char& c : cell) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            c = ' ';
        }
    }
    return cell;
}

nlohmann::json orNull(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string formatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(headers.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], utf8::count(orDash(row[i])));
        }
    };
    measure(headers);
    for (const auto& row : rows) {
        measure(row);
    }
    std::string out;
    const auto print = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = orDash(i < row.size() ? row[i] : std::string());
            line += cell;
            if (i + 1 < widths.size()) {
                line.append(widths[i] - utf8::count(cell) + 2, ' ');
            }
        }
        out += line + "\n";
    };
    print(headers);
    for (const auto& row : rows) {
        print(row);
    }
    return out;
}

std::string devicesTable(const std::vector<DeviceRecord>& devices) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(devices.size());
    for (const DeviceRecord& d : devices) {
        rows.push_back({d.id, d.name, d.venue, d.enrolledAt, d.lastSeenAt,
                        d.revoked() ? "revoked" : "active"});
    }
    return formatTable({"DEVICE", "NAME", "VENUE", "ENROLLED", "LAST SEEN", "STATE"}, rows);
}

std::string devicesJson(const std::vector<DeviceRecord>& devices) {
    nlohmann::json list = nlohmann::json::array();
    for (const DeviceRecord& d : devices) {
        list.push_back({{"id", d.id},
                        {"name", d.name},
                        {"venue", d.venue},
                        {"enrolled_at", orNull(d.enrolledAt)},
                        {"last_seen_at", orNull(d.lastSeenAt)},
                        {"revoked_at", orNull(d.revokedAt)},
                        {"state", d.revoked() ? "revoked" : "active"}});
    }
    return nlohmann::json{{"devices", list}}.dump(2) + "\n";
}

std::string coordinatorTokensTable(const std::vector<CoordinatorTokenRecord>& tokens) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(tokens.size());
    for (const CoordinatorTokenRecord& t : tokens) {
        rows.push_back(
            {t.name, t.createdAt, t.revokedAt.empty() ? "active" : "revoked " + t.revokedAt});
    }
    return formatTable({"NAME", "CREATED", "STATE"}, rows);
}

}  // namespace signpost::server
