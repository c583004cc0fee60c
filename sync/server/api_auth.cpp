// Signpost server — who is asking: the bearer token checked against the store (devices and
// coordinators, revoked ones told so), the role a route needs (403), failed checks rate-limited
// per client address (429), the admit step that checks the token before a body is read, and the
// "last seen" time of each device that asked.
#include "sync/server/api_server.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "sync/server/client_address.h"
#include "sync/server/tokens.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

std::function<bool(Request&, Response&)> ApiServer::Impl::admitFor(Access access) {
    return [this, access](Request& req, Response& res) {
        bool admitted = false;
        guarded([&](const Request& request, Response& answer) {
            if (auto principal = authorize(request, answer, access)) {
                req.admitted = std::move(*principal);
                admitted = true;
            }
        })(req, res);
        return admitted;
    };
}

std::optional<Principal> ApiServer::Impl::authorize(const Request& req, Response& res,
                                                    Access access) {
    if (const auto* admitted = std::any_cast<Principal>(&req.admitted)) {
        // Checked by the route's admit step before the body was read.
        if (admitted->role == Role::Device) {
            t_request.deviceId = admitted->id;
        }
        return *admitted;
    }
    const std::string header = req.get_header_value("Authorization");
    if (header.empty()) {
        res.set_header("WWW-Authenticate", "Bearer");
        setApiError(res, 401, "unauthorized", "a bearer token is required");
        return std::nullopt;
    }
    std::optional<Principal> principal;
    constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive (RFC 9110)
    std::string scheme = header.substr(0, std::min(header.size(), kBearer.size()));
    for (char& c : scheme) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (header.size() > kBearer.size() && scheme == kBearer) {
        const std::string token = header.substr(kBearer.size());
        if (isWellFormedToken(token)) {
            principal = store.authenticate(hashToken(token));
        }
    }
    if (!principal || principal->revoked) {
        // Only failures are counted, per client address (behind a trusted proxy, the client it
        // names), so guessing and broken clients cost little while good tokens from the same
        // address (a shared library network) always get through.
        const auto wait = badTokenLimiter.take(addressKey(req.remote_addr));
        if (wait.count() > 0) {
            metrics.increment("signpost_rate_limited_total", "limit", "bad_token");
            sendRetryLater(res, 429, "rate_limited", "too many requests with a bad token", wait);
            return std::nullopt;
        }
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        if (principal && principal->role == Role::Device) {
            t_request.deviceId = principal->id;
            setApiError(res, 401, "unauthorized", "this device has been revoked; enroll it again");
        } else if (principal) {
            setApiError(res, 401, "unauthorized", "this coordinator token has been revoked");
        } else {
            setApiError(res, 401, "unauthorized", "the token is not valid");
        }
        return std::nullopt;
    }
    if (principal->role == Role::Device) {
        t_request.deviceId = principal->id;
        noteDevice(principal->id);
    }
    if (access == Access::Device && principal->role != Role::Device) {
        setApiError(res, 403, "forbidden", "this route is for enrolled devices, not coordinators");
        return std::nullopt;
    }
    if (access == Access::Coordinator && principal->role != Role::Coordinator) {
        setApiError(res, 403, "forbidden", "this route needs a coordinator token");
        return std::nullopt;
    }
    return principal;
}

void ApiServer::Impl::noteDevice(const std::string& deviceId) {
    metrics.deviceSeen(deviceId);
    std::lock_guard lock(activityMutex);
    activity[deviceId] = clock();
}

}  // namespace signpost::server
