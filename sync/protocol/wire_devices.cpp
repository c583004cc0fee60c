// The wire format's device messages: enrollment (nonce, request, response), the heartbeat and
// the coordinators' fleet list (wire.h).

#include "sync/protocol/wire.h"

#include "core/common/ids.h"
#include "sync/protocol/wire_detail.h"

namespace signpost::protocol {

using nlohmann::json;
using wire_detail::base64Field;
using wire_detail::optionalText;
using wire_detail::readDocument;

namespace {

json heartbeatJson(const Heartbeat& h) {
    json beat{{"app_version", h.appVersion},
              {"queue", {{"queued", h.queued}, {"sent", h.sent}, {"rejected", h.rejected}}},
              {"last_sync_at", h.lastSyncAt},
              {"last_error", h.lastError},
              {"free_disk_bytes", h.freeDiskBytes},
              {"directory_version", h.directoryVersion}};
    if (h.staff.reported) {
        beat["staff"] = {{"pin_set", h.staff.pinSet},
                         {"lockouts", h.staff.lockouts},
                         {"locked_until", h.staff.lockedUntil}};
    }
    return beat;
}

Heartbeat readHeartbeat(const JsonFields& r) {
    Heartbeat h;
    h.appVersion = r.string("app_version", 64);
    if (auto queue = r.optionalNested("queue")) {
        h.queued = static_cast<std::size_t>(queue->optionalUnsigned("queued").value_or(0));
        h.sent = static_cast<std::size_t>(queue->optionalUnsigned("sent").value_or(0));
        h.rejected = static_cast<std::size_t>(queue->optionalUnsigned("rejected").value_or(0));
    }
    h.lastSyncAt = optionalText(r, "last_sync_at", 64);
    h.lastError = optionalText(r, "last_error", 300);
    h.freeDiskBytes = r.optionalUnsigned("free_disk_bytes").value_or(0);
    h.directoryVersion = r.optionalInteger("directory_version").value_or(0);
    if (auto staff = r.optionalNested("staff")) {
        h.staff.reported = true;
        h.staff.pinSet = staff->optionalBoolean("pin_set").value_or(false);
        h.staff.lockouts = static_cast<int>(
            staff->optionalInteger("lockouts", IntegerLimits{.min = 0, .max = 1000}).value_or(0));
        h.staff.lockedUntil = optionalText(*staff, "locked_until", 64);
    }
    return h;
}

}  // namespace

std::string toJson(const EnrollNonce& v) {
    return json{{"nonce", v.nonce}, {"expires_in", v.expiresIn}}.dump();
}

EnrollNonce parseEnrollNonce(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        EnrollNonce v;
        v.nonce = r.string("nonce", 128);
        if (v.nonce.empty()) {
            r.fail("nonce", "must not be empty");
        }
        v.expiresIn = r.optionalInteger("expires_in").value_or(0);
        return v;
    });
}

std::string toJson(const EnrollRequest& v) {
    return json{{"enrollment_code", v.enrollmentCode},
                {"device_name", v.deviceName},
                {"venue", v.venue},
                {"signing_public_key", toBase64(v.signingPublicKey)},
                {"nonce", v.nonce},
                {"signature", toBase64(v.signature)}}
        .dump();
}

EnrollRequest parseEnrollRequest(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        EnrollRequest v;
        v.enrollmentCode = r.string("enrollment_code", 64);
        v.deviceName = r.string("device_name", 100);
        v.venue = r.string("venue", 200);
        v.signingPublicKey = base64Field(r, "signing_public_key", 32, 32);
        if (v.enrollmentCode.empty()) {
            r.fail("enrollment_code", "must not be empty");
        }
        v.nonce = r.string("nonce", 128);
        if (v.nonce.empty()) {
            r.fail("nonce", "must not be empty");
        }
        v.signature = base64Field(r, "signature", 64, 64);
        return v;
    });
}

std::string toJson(const EnrollResponse& v) {
    return json{{"device_id", v.deviceId}, {"device_token", v.deviceToken}}.dump();
}

EnrollResponse parseEnrollResponse(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        return EnrollResponse{r.string("device_id", 64), r.string("device_token", 128)};
    });
}

std::string toJson(const Heartbeat& v) {
    return heartbeatJson(v).dump();
}

Heartbeat parseHeartbeat(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) { return readHeartbeat(r); });
}

std::string toJson(const DeviceList& v) {
    json items = json::array();
    for (const DeviceInfo& d : v.devices) {
        items.push_back(json{{"device_id", d.deviceId},
                             {"name", d.name},
                             {"venue", d.venue},
                             {"enrolled_at", d.enrolledAt},
                             {"last_seen_at", d.lastSeenAt},
                             {"revoked", d.revoked},
                             {"last_heartbeat", heartbeatJson(d.lastHeartbeat)}});
    }
    return json{{"devices", std::move(items)}}.dump();
}

DeviceList parseDeviceList(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        const json& items = r.array("devices");
        DeviceList list;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const JsonFields item = r.element(items[i], "devices", i);
            DeviceInfo d;
            d.deviceId = item.string("device_id", 64);
            d.name = optionalText(item, "name", 100);
            d.venue = optionalText(item, "venue", 200);
            d.enrolledAt = optionalText(item, "enrolled_at", 64);
            d.lastSeenAt = optionalText(item, "last_seen_at", 64);
            d.revoked = item.optionalBoolean("revoked").value_or(false);
            if (auto heartbeat = item.optionalNested("last_heartbeat")) {
                d.lastHeartbeat = readHeartbeat(*heartbeat);
            }
            list.devices.push_back(std::move(d));
        }
        return list;
    });
}

}  // namespace signpost::protocol
