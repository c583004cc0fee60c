// Signpost server — the transport's parts on their own: who the client is behind trusted proxies,
// enrollment nonces, the bounded worker pool, and the transport-neutral request/response.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "support/process.h"
#include "support/raw_client.h"
#include "sync/server/client_address.h"
#include "sync/server/enrollment_nonce.h"
#include "sync/server/http_message.h"
#include "sync/server/http_transport.h"
#include "sync/server/worker_pool.h"

using namespace signpost::server;
using namespace std::chrono_literals;

TEST_CASE("IP addresses parse to one canonical form", "[server_transport]") {
    CHECK(IpAddress::parse("192.0.2.7")->toString() == "192.0.2.7");
    CHECK(IpAddress::parse("::ffff:192.0.2.7")->toString() == "192.0.2.7");
    CHECK(IpAddress::parse("::ffff:192.0.2.7")->v4);
    CHECK(IpAddress::parse("2001:DB8:0:0::1")->toString() == "2001:db8::1");
    for (const char* bad : {"", "192.0.2", "192.0.2.256", "1.2.3.4.5", "host.example", "::1::2",
                            " 192.0.2.7", "192.0.2.7/24", "[::1]"}) {
        INFO(bad);
        CHECK_FALSE(IpAddress::parse(bad));
    }
}

TEST_CASE("trusted proxies: X-Forwarded-For is read from the right, only from them",
          "[server_transport]") {
    const TrustedProxies proxies = TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
    CHECK(proxies.contains("10.200.3.4"));
    CHECK(proxies.contains("fd12::1"));
    CHECK_FALSE(proxies.contains("11.0.0.1"));
    CHECK_FALSE(proxies.contains("not an address"));
    // From anyone else the header is ignored.
    CHECK(proxies.clientAddress("198.51.100.1", "203.0.113.5") == "198.51.100.1");
    // From a proxy: the first address from the right that is not a proxy.
    CHECK(proxies.clientAddress("127.0.0.1", "203.0.113.5") == "203.0.113.5");
    CHECK(proxies.clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.1.1") == "203.0.113.5");
    CHECK(proxies.clientAddress("127.0.0.1", " 203.0.113.5:4711 ") == "203.0.113.5");
    CHECK(proxies.clientAddress("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7");
    CHECK(proxies.clientAddress("127.0.0.1", "2001:db8::7") == "2001:db8::7");
    // No header: the proxy itself (a health check from it).
    CHECK(proxies.clientAddress("127.0.0.1", "") == "127.0.0.1");
    // All proxies: the left-most.
    CHECK(proxies.clientAddress("127.0.0.1", "10.0.0.9, 10.0.0.8") == "10.0.0.9");
    // Garbage where the walk stops: the last hop we could trust.
    CHECK(proxies.clientAddress("127.0.0.1", "203.0.113.5, unknown") == "127.0.0.1");
    CHECK(proxies.clientAddress("127.0.0.1", "unknown, 10.0.0.8") == "10.0.0.8");
    CHECK(proxies.clientAddress("::ffff:127.0.0.1", "203.0.113.5") == "203.0.113.5");
    // A list longer than any real chain is cut at 64 hops.
    std::string longList;
    for (int i = 0; i < 1000; ++i) {
        longList += "10.0.0.1,";
    }
    CHECK(proxies.clientAddress("127.0.0.1", longList + "10.0.0.2") == "10.0.0.1");
    // No proxies configured: the peer, always.
    CHECK(TrustedProxies{}.clientAddress("127.0.0.1", "203.0.113.5") == "127.0.0.1");
}

TEST_CASE("trusted proxies: bad entries are refused by name", "[server_transport]") {
    CHECK_THROWS_WITH(TrustedProxies::parse({"proxy.example"}),
                      "\"proxy.example\" is not an IP address or network");
    CHECK_THROWS_WITH(TrustedProxies::parse({"10.0.0.0/33"}),
                      "\"10.0.0.0/33\": the prefix length must be 0 to 32");
    CHECK_THROWS_WITH(TrustedProxies::parse({"::/129"}),
                      "\"::/129\": the prefix length must be 0 to 128");
    CHECK_THROWS_WITH(TrustedProxies::parse({"10.0.0.0/"}),
                      "\"10.0.0.0/\": the prefix length must be 0 to 32");
    CHECK(TrustedProxies::parse({"0.0.0.0/0"}).contains("203.0.113.5"));
    // Found by fuzz/server_fields_fuzz.cpp: an IPv4-mapped network written as IPv6 counts its
    // prefix in IPv6 bits.
    const TrustedProxies mapped = TrustedProxies::parse({"::ffff:192.0.2.0/120"});
    CHECK(mapped.contains("192.0.2.7"));
    CHECK_FALSE(mapped.contains("192.0.3.7"));
}

TEST_CASE("rate-limit keys: IPv4 as is, IPv6 by its /64", "[server_transport]") {
    CHECK(addressKey("192.0.2.7") == "192.0.2.7");
    CHECK(addressKey("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
    CHECK(addressKey("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64");
    CHECK(addressKey("::ffff:192.0.2.7") == "192.0.2.7");
    CHECK(addressKey("odd") == "odd");
}

TEST_CASE("enrollment nonces: made here, unexpired, used once", "[server_transport]") {
    EnrollmentNonces nonces;
    const auto now = std::chrono::system_clock::now();
    const std::string nonce = nonces.issue(now);
    CHECK(nonce.size() < 128);
    CHECK(nonces.check(nonce, now) == EnrollmentNonces::Check::Valid);
    CHECK(nonces.check(nonce, now + EnrollmentNonces::kLifetime + 1s) ==
          EnrollmentNonces::Check::Expired);
    // Another server (another key) did not make it; a changed byte breaks it.
    CHECK(EnrollmentNonces().check(nonce, now) == EnrollmentNonces::Check::Malformed);
    std::string tampered = nonce;
    tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
    CHECK(nonces.check(tampered, now) == EnrollmentNonces::Check::Malformed);
    for (const char* junk : {"", "x", "!!!!", "AQ"}) {
        CHECK(nonces.check(junk, now) == EnrollmentNonces::Check::Malformed);
    }
    CHECK(nonces.check(std::string(100000, 'A'), now) == EnrollmentNonces::Check::Malformed);
    // Claimed once; given back after a failed enrollment; forgotten once it would have expired.
    CHECK(nonces.claim(nonce, now));
    CHECK_FALSE(nonces.claim(nonce, now));
    nonces.release(nonce);
    CHECK(nonces.claim(nonce, now));
    CHECK(nonces.claimedCount() == 1);
    CHECK(nonces.claim(nonces.issue(now), now + EnrollmentNonces::kLifetime + 1s));
    CHECK(nonces.claimedCount() == 1);
}

TEST_CASE("worker pool: a full queue refuses at once, stop runs what was queued",
          "[server_transport]") {
    WorkerPool pool(1, 2);
    std::mutex mutex;
    std::condition_variable release;
    bool go = false;
    std::atomic<int> ran{0};
    const auto blocked = [&] {
        std::unique_lock lock(mutex);
        release.wait(lock, [&] { return go; });
        ++ran;
    };
    CHECK(pool.trySubmit(blocked));  // running (or about to)
    // Wait until the worker took it, so the queue is empty again.
    for (int i = 0; i < 500 && pool.queued() > 0; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK(pool.trySubmit(blocked));
    CHECK(pool.trySubmit(blocked));
    CHECK_FALSE(pool.trySubmit(blocked));  // two waiting: full
    CHECK(pool.queued() == 2);
    {
        std::lock_guard lock(mutex);
        go = true;
    }
    release.notify_all();
    pool.stop();
    CHECK(ran == 3);
    CHECK_FALSE(pool.trySubmit([] {}));  // stopped
}

TEST_CASE("request and response: case-insensitive headers, exact parameters",
          "[server_transport]") {
    Request req;
    req.headers = {{"Content-Type", "application/json"}, {"X-Forwarded-For", "a"}};
    req.params = {{"since", "4"}};
    CHECK(req.has_header("content-type"));
    CHECK(req.get_header_value("CONTENT-TYPE") == "application/json");
    CHECK(req.get_header_value("missing").empty());
    CHECK(req.has_param("since"));
    CHECK_FALSE(req.has_param("Since"));
    CHECK(req.get_param_value("since") == "4");
    Response res;
    res.set_header("Retry-After", "1");
    res.set_header("retry-after", "2");
    CHECK(res.headers.size() == 1);
    CHECK(res.get_header_value("Retry-After") == "2");
    res.set_content("{}", "application/json");
    CHECK(res.content() == "{}");
    res.set_shared_content(std::make_shared<const std::string>("shared"), "text/plain");
    CHECK(res.content() == "shared");
    CHECK(res.body.empty());
    CHECK(res.get_header_value("Content-Type") == "text/plain");
}

namespace {

// A transport with a route that waits until released, a prefix route and a route with an admit
// step, on one worker with room for one waiting request.
struct TransportFixture {
    std::mutex mutex;
    std::condition_variable wake;
    bool released = false;
    std::atomic<int> entered{0};
    std::atomic<int> admitted{0};
    std::unique_ptr<HttpTransport> transport;

    TransportFixture() {
        HttpTransportOptions options;
        options.workerThreads = 1;
        options.queueCapacity = 1;
        options.ioThreads = 1;
        std::vector<HttpRoute> routes;
        routes.push_back({"GET", "/wait", 0, {}, [this](const Request&, Response& res) {
                              ++entered;
                              std::unique_lock lock(mutex);
                              wake.wait(lock, [this] { return released; });
                              res.set_content("done", "text/plain");
                          }});
        routes.push_back(
            {"GET",
             "/things",
             0,
             {},
             [](const Request& req, Response& res) { res.set_content(req.path, "text/plain"); },
             true});
        routes.push_back({"POST", "/echo", 16,
                          [this](Request& req, Response& res) {
                              ++admitted;
                              if (req.get_header_value("X-Key") == "ok") {
                                  req.admitted = std::string("yes");
                                  return true;
                              }
                              res.status = 401;
                              return false;
                          },
                          [](const Request& req, Response& res) {
                              res.set_content(
                                  std::any_cast<std::string>(req.admitted) + ":" + req.body,
                                  "text/plain");
                          }});
        transport = std::make_unique<HttpTransport>(options, std::move(routes),
                                                    HttpTransport::CompletionHook{});
        transport->start();
    }
    ~TransportFixture() {
        release();
        transport->stop();
    }
    void release() {
        {
            std::lock_guard lock(mutex);
            released = true;
        }
        wake.notify_all();
    }
    int port() const { return transport->port(); }
};

std::string get(int port, const std::string& path) {
    auto c = signpost::test::RawConnection::open(port);
    c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    return c.readResponse(10s);
}

}  // namespace

TEST_CASE("transport: with every worker busy and the queue full, 503 comes at once",
          "[server_transport]") {
    TransportFixture f;
    auto first = signpost::test::RawConnection::open(f.port());
    first.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(signpost::test::waitUntil([&] { return f.entered == 1; }, 10s));
    // Four more while the worker is held: one waits in the queue, three are turned away.
    std::vector<signpost::test::RawConnection> more;
    for (int i = 0; i < 4; ++i) {
        more.push_back(signpost::test::RawConnection::open(f.port()));
        more.back().send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    int busy = 0;
    std::vector<signpost::test::RawConnection*> waiting;
    for (auto& c : more) {
        const std::string answer = c.readResponse(3s);
        if (answer.empty()) {
            waiting.push_back(&c);
            continue;
        }
        CHECK(signpost::test::responseStatus(answer) == 503);
        CHECK(signpost::test::responseHeader(answer, "Retry-After") == "2");
        ++busy;
    }
    CHECK(busy == 3);
    REQUIRE(waiting.size() == 1);
    CHECK(f.transport->counters().busy == 3);
    f.release();
    CHECK(signpost::test::responseStatus(first.readResponse(10s)) == 200);
    CHECK(signpost::test::responseStatus(waiting[0]->readResponse(10s)) == 200);
}

TEST_CASE("transport: prefix routes, 404, 405 and HEAD", "[server_transport]") {
    TransportFixture f;
    f.release();
    const std::string thing = get(f.port(), "/things/42");
    CHECK(signpost::test::responseStatus(thing) == 200);
    CHECK(thing.substr(thing.size() - 10) == "/things/42");
    CHECK(signpost::test::responseStatus(get(f.port(), "/things")) == 200);  // itself too
    CHECK(signpost::test::responseStatus(get(f.port(), "/thingsX/1")) == 404);
    const std::string wrong = [&] {
        auto c = signpost::test::RawConnection::open(f.port());
        c.send("DELETE /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        return c.readResponse(10s);
    }();
    CHECK(signpost::test::responseStatus(wrong) == 405);
    CHECK(signpost::test::responseHeader(wrong, "Allow") == "POST");
    auto c = signpost::test::RawConnection::open(f.port());
    c.send("HEAD /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string head = c.readResponse(10s);
    CHECK(signpost::test::responseStatus(head) == 200);
    CHECK(head.find("done") == std::string::npos);
}

TEST_CASE("transport: the admit step answers before the body is read", "[server_transport]") {
    TransportFixture f;
    f.release();
    httplib::Client client("127.0.0.1", f.port());
    auto refused = client.Post("/echo", "0123456789", "text/plain");
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(refused->get_header_value("Connection") == "close");  // the body was never read
    auto ok = client.Post("/echo", {{"X-Key", "ok"}}, "0123456789", "text/plain");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(ok->body == "yes:0123456789");
    auto big = client.Post("/echo", {{"X-Key", "ok"}}, std::string(17, 'x'), "text/plain");
    REQUIRE(big);
    CHECK(big->status == 413);
    CHECK(f.admitted == 2);  // the 413 was decided from Content-Length, before the admit step
    CHECK(f.transport->counters().tooLarge == 1);
}
