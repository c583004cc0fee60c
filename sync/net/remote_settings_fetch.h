// Signpost — the kiosk's side of remote settings (operations): fetch this device's settings
// (GET /v1/devices/settings, If-None-Match with the ETag of the copy it holds) and keep them in
// <data dir>/remote-settings.json atomically (core/operations/remote_settings.h). The caller lays
// them over kiosk.toml afterwards (layRemoteSettings). Failures are values, never exceptions.
//
// Thread-safety: one call per HttpClient at a time; safe on a background thread.
#pragma once

#include <filesystem>
#include <string>

#include "core/common/result.h"
#include "sync/net/http_client.h"

namespace signpost::sync {

enum class RemoteSettingsFetch { Updated, Unchanged };

// `serverUrl` without a trailing '/'. Errors: transport codes from HttpClient, "http_<status>",
// "bad_response" (not the documented JSON), "storage" (the file could not be written).
Result<RemoteSettingsFetch> fetchRemoteSettings(HttpClient& http, const std::string& serverUrl,
                                                const std::string& deviceToken,
                                                const std::filesystem::path& dataDir);

}  // namespace signpost::sync
