#include "sync/net/remote_settings_fetch.h"

#include "core/common/atomic_file.h"
#include "core/common/time_util.h"
#include "core/operations/remote_settings.h"

namespace signpost::sync {

Result<RemoteSettingsFetch> fetchRemoteSettings(HttpClient& http, const std::string& serverUrl,
                                                const std::string& deviceToken,
                                                const std::filesystem::path& dataDir) {
    const std::filesystem::path file = dataDir / kRemoteSettingsFileName;
    std::string heldTag;
    try {
        if (auto held = loadRemoteSettings(file)) {
            heldTag = held->etag;
        }
    } catch (const std::exception&) {
        // A damaged copy is simply replaced: ask for everything.
    }
    HttpRequest request;
    request.url = serverUrl + "/v1/devices/settings";
    request.headers = {{"Authorization", "Bearer " + deviceToken}, {"Accept", "application/json"}};
    if (!heldTag.empty()) {
        request.headers.emplace_back("If-None-Match", heldTag);
    }
    auto response = http.send(request);
    if (!response) {
        return response.error();
    }
    const HttpResponse& answer = response.value();
    if (answer.status == 304) {
        return RemoteSettingsFetch::Unchanged;
    }
    if (answer.status != 200) {
        return Error{"http_" + std::to_string(answer.status),
                     "remote settings: the server answered " + std::to_string(answer.status)};
    }
    RemoteSettings settings;
    try {
        settings = remoteSettingsFromJson(answer.body);
    } catch (const RemoteSettingsError& error) {
        return Error{"bad_response", std::string("remote settings: ") + error.what()};
    }
    settings.etag = answer.header("ETag");
    settings.receivedAt = formatIsoUtc(std::chrono::system_clock::now());
    try {
        saveRemoteSettings(file, settings);
    } catch (const FileError& error) {
        return Error{"storage", std::string("remote settings not saved: ") + error.what()};
    }
    return RemoteSettingsFetch::Updated;
}

}  // namespace signpost::sync
