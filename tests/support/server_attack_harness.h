// Signpost server attack tests (issue #8) — what they share: the real signpost-server process
// (support/server_process.h), raw-socket attackers (support/raw_client.h), and enrolling a
// simulated kiosk over HTTP the way a kiosk does (nonce, signature).
// Header-only; included by tests/server_*attack_test.cpp.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <string_view>

#include "support/raw_client.h"
#include "support/server_harness.h"
#include "support/server_process.h"
#include "support/test_support.h"

namespace signpost::test {

// A signpost-server started in its own temp dir for one attack test (`serverKeys` and
// `limitKeys` as ServerProcess takes them).
struct AttackTarget {
    explicit AttackTarget(const std::string& label, const std::string& serverKeys = "",
                          const std::string& limitKeys = "")
        : dir(label), server(dir.path(), serverKeys, limitKeys) {
        server.start();
    }
    TempDir dir;
    ServerProcess server;
};

// A keep-alive request the server answers 204 (the cheapest it serves).
inline constexpr std::string_view kProbeRequest = "GET /v1/probe HTTP/1.1\r\nHost: x\r\n\r\n";

// Opens a connection from `source` (a 127.x.y.z address) and sends `bytes` on it.
inline RawConnection openAndSend(int port, const std::string& source, std::string_view bytes) {
    RawConnection connection = RawConnection::open(port, source);
    connection.send(bytes);
    return connection;
}

inline httplib::Client httpClient(const ServerProcess& server) {
    httplib::Client client("127.0.0.1", server.port());
    client.set_connection_timeout(std::chrono::seconds(5));
    client.set_read_timeout(std::chrono::seconds(30));
    return client;
}

// Enrolls a simulated kiosk over HTTP with a fresh code; REQUIREs success.
inline TestKiosk enrollOver(ServerProcess& server, const std::string& name = "Kiosk") {
    TestKiosk kiosk;
    auto client = httpClient(server);
    auto result = client.Post("/v1/devices/enroll",
                              signedEnrollBody(client, server.enrollmentCode(), kiosk.key, name),
                              "application/json");
    INFO((result ? result->body : std::string("no response")));
    REQUIRE(statusOf(result) == 201);
    const auto enrolled = protocol::parseEnrollResponse(result->body);
    kiosk.deviceId = enrolled.deviceId;
    kiosk.token = enrolled.deviceToken;
    return kiosk;
}

// What a streaming attacker achieved.
struct StreamOutcome {
    std::size_t sent = 0;  // body bytes the server took before it stopped us
    bool stopped = false;  // it answered or closed before `limit`
    std::string answer;    // what it said, if anything
};

// Sends `head`, then the body in `chunk`-sized pieces (chunked framing when `chunked`, raw
// bytes otherwise) until the server answers or closes, or `limit` bytes went out.
inline StreamOutcome streamBody(RawConnection& connection, const std::string& head, bool chunked,
                                std::size_t limit, std::size_t chunk = 1024 * 1024) {
    StreamOutcome outcome;
    if (!connection.send(head)) {
        outcome.stopped = true;
        return outcome;
    }
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk);
    const std::string piece = (chunked ? std::string(size) : std::string()) +
                              std::string(chunk, 'a') + (chunked ? "\r\n" : "");
    while (outcome.sent < limit) {
        if (connection.readable()) {
            break;
        }
        if (!connection.send(piece)) {
            break;
        }
        outcome.sent += chunk;
    }
    if (outcome.sent < limit) {
        outcome.stopped = true;
        connection.closedWithin(std::chrono::seconds(5), &outcome.answer);
    }
    return outcome;
}

}  // namespace signpost::test
