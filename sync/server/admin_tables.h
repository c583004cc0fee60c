// Signpost server — what the admin list verbs print: aligned text columns, or JSON.
//
//   signpost-server admin devices list            DEVICE  NAME  VENUE  ENROLLED  LAST SEEN  STATE
//   signpost-server admin devices list --json     {"devices": [{"id": ..., ...}]}
//   signpost-server admin coordinator-token list  NAME  CREATED  STATE
//
// Each column is as wide as its widest cell (counted in characters, not bytes, so a venue with an
// accent lines up), two spaces apart; an empty cell prints "-", a control character a space. The
// JSON is for scripts: every field always present, times as ISO 8601 UTC strings or null.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sync/server/server_store.h"

namespace signpost::server {

// Rows under headers, each column padded to its widest cell; one line per row, "\n" ended.
std::string formatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);

std::string devicesTable(const std::vector<DeviceRecord>& devices);
// {"devices":[{"id","name","venue","enrolled_at","last_seen_at","revoked_at","state"}]} + "\n".
std::string devicesJson(const std::vector<DeviceRecord>& devices);

std::string coordinatorTokensTable(const std::vector<CoordinatorTokenRecord>& tokens);

}  // namespace signpost::server
