// Signpost server — the devices routes: a kiosk's heartbeat (POST /v1/devices/heartbeat) and its
// remote settings (GET /v1/devices/settings, with an ETag), and the fleet for coordinators
// (GET /v1/devices).
#include "sync/server/api_server.h"

#include "core/common/log.h"
#include "core/operations/remote_settings.h"
#include "sync/protocol/wire.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

void ApiServer::Impl::heartbeat(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    const protocol::Heartbeat beat = protocol::parseHeartbeat(req.body);
    store.recordHeartbeat(principal->id, protocol::toJson(beat), clock());
    res.set_header(protocol::kGenerationHeader, store.generation());
    res.status = 204;
}

// Remote settings (operations): the calling device's own settings, as
// core/operations/remote_settings.h describes, with a strong ETag; 304 when unchanged.
void ApiServer::Impl::deviceSettings(const Request& req, Response& res) {
    const auto principal = authorize(req, res, Access::Device);
    if (!principal) {
        return;
    }
    RemoteSettings settings;
    for (const auto& [key, value] : store.deviceSettings(principal->id)) {
        try {
            settings.values.emplace_back(key, remoteValueFromJson(value));
        } catch (const RemoteSettingsError&) {
            logError("api",
                     "device setting " + key + " is not valid JSON in the database; skipped");
        }
    }
    const std::string etag = remoteSettingsEtag(settings);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "no-cache");
    if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    sendJson(res, 200, remoteSettingsToJson(settings, false));
}

void ApiServer::Impl::listDevices(const Request& req, Response& res) {
    if (!authorize(req, res, Access::Coordinator)) {
        return;
    }
    protocol::DeviceList list;
    for (const DeviceRecord& record : store.listDevices()) {
        protocol::DeviceInfo info;
        info.deviceId = record.id;
        info.name = record.name;
        info.venue = record.venue;
        info.enrolledAt = record.enrolledAt;
        info.lastSeenAt = record.lastSeenAt;
        info.revoked = record.revoked();
        if (!record.lastHeartbeatJson.empty()) {
            try {
                info.lastHeartbeat = protocol::parseHeartbeat(record.lastHeartbeatJson);
            } catch (const protocol::WireFormatError&) {
                // Stored by an older server in another shape: show the device without it.
            }
        }
        list.devices.push_back(std::move(info));
    }
    sendJson(res, 200, protocol::toJson(list));
}

}  // namespace signpost::server
