// Signpost — what re-enrolling a kiosk may do (issue 9: nobody takes over a kiosk).
//
// Enrolling hands every future referral, and the queue, to the server named. So:
//   - The server is reached over HTTPS; plain http:// only on this machine (127.0.0.0/8, ::1,
//     localhost), where no network carries it.
//   - Before the code is sent, the server's certificate fingerprint (the SHA-256 of its public
//     key, the same value a sync.pin holds) is shown to staff to compare with the one their
//     coordinators gave them; the enrollment itself is then pinned to that key, so it cannot go
//     to another server that answers in between.
//   - Referrals queued for one server are never sent to another without a second confirmation:
//     before enrolling away from a server, what is waiting is bound to it (SyncLedger::holdFor),
//     and released only by staff (SyncLedger::release) or by enrolling back with that server.
//
// Thread-safety: free functions; inspectServer uses the caller's HttpClient (one per thread).
#pragma once

#include <filesystem>
#include <string>

#include "core/common/result.h"
#include "sync/net/http_client.h"

namespace signpost::sync {

// The URL normalised (normaliseServerUrl), if it is https://, or http:// to this machine.
// Errors: "invalid_url", "insecure_url" (plain http:// to another machine).
Result<std::string> checkEnrollmentUrl(const std::string& url);

// True when the URL's host is 127.x.x.x, [::1] or localhost.
bool isLoopbackServerUrl(const std::string& url);

struct ServerIdentity {
    std::string url;             // normalised
    bool plainLoopback = false;  // http:// to this machine: no certificate to show
    std::string pin;          // "sha256//<base64>" of the certificate's public key ("" when plain)
    std::string fingerprint;  // the same SHA-256 as 16 groups of 4 hex digits, for people
};

// Checks the URL (checkEnrollmentUrl), then asks the server for GET /v1/probe over a new
// connection (it must answer 204, or it is not a Signpost server) and reads its certificate's
// public key. TLS is verified as for every request (the configured CA file and pins). Errors:
// those of checkEnrollmentUrl, HttpClient's transport codes ("tls", "connect" ...),
// "not_signpost" (any other answer), "no_certificate".
Result<ServerIdentity> inspectServer(HttpClient& http, const std::string& url);

// "sha256//<base64>" and the grouped hex fingerprint of a PEM certificate's public key
// (SubjectPublicKeyInfo, as curl's CURLOPT_PINNEDPUBLICKEY hashes it); both "" if it cannot be
// read.
std::pair<std::string, std::string> publicKeyPinOf(const std::string& pemCertificate);

// Before enrolling with `newServer`: if the kiosk is enrolled with another server, binds what is
// waiting in the outbox at `outboxFile` to that server (SyncLedger::holdFor). Returns how many.
// Throws StorageError.
std::size_t holdQueueBeforeEnrolling(const std::filesystem::path& outboxFile,
                                     const std::filesystem::path& dataDir,
                                     const std::string& newServer);

}  // namespace signpost::sync
