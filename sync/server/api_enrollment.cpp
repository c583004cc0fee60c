// Signpost server — enrolling a kiosk: GET /v1/devices/enroll/nonce hands out a single-use
// nonce; POST /v1/devices/enroll checks the enrollment code, the nonce and the signature by the
// key being registered, then registers the device for the code's venue (or re-issues the token of
// a retry whose first answer was lost). Failures are rate-limited per address and per code.
#include "sync/server/api_server.h"

#include <algorithm>

#include "core/common/ids.h"
#include "core/common/log.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/client_address.h"
#include "sync/server/tokens.h"

#include "sync/server/api_server_internal.h"

namespace signpost::server {

using namespace api_detail;

namespace {

// A kiosk whose enroll response was lost may retry with the same code and key for this long.
constexpr std::chrono::minutes kReissueWindow{15};

}  // namespace

void ApiServer::Impl::enrollNonce(const Request&, Response& res) {
    res.set_header("Cache-Control", "no-store");
    sendJson(res, 200,
             protocol::toJson(protocol::EnrollNonce{nonces.issue(clock()),
                                                    EnrollmentNonces::kLifetime.count()}));
}

// Only failures are counted: per client address, and per code from every address once the code
// is known to exist. An address over its limit still enrolls with a good code and a good
// signature (a neighbour behind the same NAT must not lock a venue out), but every failure from
// it is answered 429, so guessing from there learns nothing.
void ApiServer::Impl::enroll(const Request& req, Response& res) {
    const std::string address = addressKey(req.remote_addr);
    const std::chrono::seconds addressWait = enrollLimiter.wait(address);
    std::string knownCode;  // the code's limiter key once the store has seen the code
    const auto fail = [&](int status, const std::string& code, const std::string& message,
                          const char* result) {
        metrics.increment("signpost_enrollments_total", "result", result);
        enrollLimiter.take(address);
        if (!knownCode.empty()) {
            enrollCodeLimiter.take(knownCode);
        }
        if (addressWait.count() > 0) {
            metrics.increment("signpost_rate_limited_total", "limit", "enroll");
            sendRetryLater(res, 429, "rate_limited",
                           "too many failed enrollment attempts; try again later",
                           std::max(enrollLimiter.wait(address), std::chrono::seconds(1)));
            return;
        }
        setApiError(res, status, code, message);
    };

    protocol::EnrollRequest request;
    try {
        request = protocol::parseEnrollRequest(req.body);
    } catch (const protocol::WireFormatError& error) {
        fail(400, error.field().empty() ? "invalid_json" : "invalid_field", error.what(),
             "malformed");
        return;
    }
    const auto code = normalizeEnrollmentCode(request.enrollmentCode);
    if (!code) {
        fail(400, "invalid_field",
             "enrollment_code: expected 12 letters and digits, like 7KQ3-M9XD-2F8H",
             "malformed_code");
        return;
    }
    const TokenHash codeHash = hashToken(*code);
    const std::string codeKey = toHex(codeHash);
    if (const auto wait = enrollCodeLimiter.wait(codeKey); wait.count() > 0) {
        metrics.increment("signpost_rate_limited_total", "limit", "enroll_code");
        metrics.increment("signpost_enrollments_total", "result", "rate_limited");
        sendRetryLater(res, 429, "rate_limited",
                       "too many failed attempts with this enrollment code; try again later", wait);
        return;
    }
    switch (nonces.check(request.nonce, clock())) {
        case EnrollmentNonces::Check::Malformed:
            fail(400, "invalid_field",
                 "nonce: not a nonce from this server; fetch one from GET "
                 "/v1/devices/enroll/nonce",
                 "bad_nonce");
            return;
        case EnrollmentNonces::Check::Expired:
            fail(401, "unauthorized", "the nonce has expired; fetch a new one", "bad_nonce");
            return;
        case EnrollmentNonces::Check::Valid:
            break;
    }
    if (!protocol::verifyEnrollRequest(request)) {
        fail(401, "unauthorized", "the request is not signed by the key in signing_public_key",
             "bad_signature");
        return;
    }
    if (!nonces.claim(request.nonce, clock())) {
        fail(401, "unauthorized", "this nonce was already used; fetch a new one", "bad_nonce");
        return;
    }
    EnrollmentAttempt attempt;
    attempt.codeHash = codeHash;
    attempt.deviceName = request.deviceName;
    attempt.signingKey = request.signingPublicKey;
    attempt.newDeviceId = uuidV4();
    const std::string token = generateToken();
    attempt.newTokenHash = hashToken(token);

    EnrollResult result;
    try {
        result = store.enrollDevice(attempt, clock(), kReissueWindow);
    } catch (...) {
        nonces.release(request.nonce);
        throw;
    }
    switch (result.status) {
        case EnrollStatus::Enrolled:
        case EnrollStatus::Reissued: {
            metrics.increment("signpost_enrollments_total", "result", toString(result.status));
            t_request.deviceId = result.deviceId;
            logInfo("enroll",
                    std::string(result.status == EnrollStatus::Enrolled ? "enrolled"
                                                                        : "re-issued a token for") +
                        " device " + result.deviceId);
            sendJson(res, 201, protocol::toJson(protocol::EnrollResponse{result.deviceId, token}));
            return;
        }
        case EnrollStatus::UnknownCode:
            nonces.release(request.nonce);
            fail(401, "unauthorized", "the enrollment code is not valid", toString(result.status));
            return;
        case EnrollStatus::ExpiredCode:
        case EnrollStatus::UsedCode:
            nonces.release(request.nonce);
            knownCode = codeKey;
            fail(401, "unauthorized",
                 result.status == EnrollStatus::ExpiredCode
                     ? "the enrollment code has expired; ask for a new one"
                     : "the enrollment code was already used; ask for a new one",
                 toString(result.status));
            return;
    }
}

}  // namespace signpost::server
