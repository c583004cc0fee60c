#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/loopback_server.h"
#include "sync/net/http_client.h"

using namespace signpost;
using namespace std::chrono_literals;
using test::LoopbackServer;

namespace {

// A request with the fields these tests set (the others keep their defaults).
HttpRequest request(std::string method, std::string url,
                    std::vector<std::pair<std::string, std::string>> headers, std::string body) {
    HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

}  // namespace

TEST_CASE("requests carry method, headers and body, responses carry status and headers", "[http]") {
    LoopbackServer loopback;
    loopback.server().Post(
        "/echo", [](const httplib::Request& request, httplib::Response& response) {
            response.status = 201;
            response.set_header("X-Auth", request.get_header_value("Authorization"));
            response.set_content("got " + request.body, "text/plain");
        });
    loopback.start();

    HttpClient client;
    auto result = client.send(
        request("POST", loopback.url("/echo"), {{"Authorization", "Bearer abc"}}, "hello"));
    REQUIRE(result.ok());
    CHECK(result.value().status == 201);
    CHECK(result.value().body == "got hello");
    CHECK(result.value().header("x-auth") == "Bearer abc");
    CHECK(result.value().header("X-AUTH") == "Bearer abc");
}

TEST_CASE("HTTP error statuses are responses, with Retry-After read", "[http]") {
    LoopbackServer loopback;
    loopback.server().Get("/busy", [](const httplib::Request&, httplib::Response& response) {
        response.status = 503;
        response.set_header("Retry-After", "17");
        response.set_content(R"({"error":{"code":"busy","message":"later"}})", "application/json");
    });
    loopback.server().Get("/dated", [](const httplib::Request&, httplib::Response& response) {
        response.status = 429;
        response.set_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");  // in the past
    });
    loopback.start();

    HttpClient client;
    auto busy = client.send(request("GET", loopback.url("/busy"), {}, ""));
    REQUIRE(busy.ok());
    CHECK(busy.value().status == 503);
    CHECK(busy.value().retryAfter() == 17s);
    auto dated = client.send(request("GET", loopback.url("/dated"), {}, ""));
    REQUIRE(dated.ok());
    CHECK(dated.value().retryAfter() == 0s);
    auto missing = client.send(request("GET", loopback.url("/nowhere"), {}, ""));
    REQUIRE(missing.ok());
    CHECK(missing.value().status == 404);
    CHECK_FALSE(missing.value().retryAfter());
}

TEST_CASE("compressed bodies are decoded and their wire size reported", "[http]") {
    LoopbackServer loopback;
    const std::string big(200000, 'a');
    loopback.server().Get("/big", [&](const httplib::Request&, httplib::Response& response) {
        response.set_content(big, "application/json");  // httplib compresses when asked
    });
    loopback.start();
    HttpClient client;
    auto result = client.send(request("GET", loopback.url("/big"), {}, ""));
    REQUIRE(result.ok());
    CHECK(result.value().body == big);
    // curl offers gzip and brotli; httplib picks brotli when both are offered.
    const std::string encoding = result.value().header("content-encoding");
    CHECK((encoding == "gzip" || encoding == "br"));
    CHECK(result.value().bytesOnWire < big.size() / 10);
}

TEST_CASE("transport failures are values with a stable code", "[http]") {
    SECTION("nothing listening") {
        // Bind a port, then close it without listening: connections to it are refused.
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        const int port = ntohs(address.sin_port);
        ::close(fd);
        HttpClient client;
        auto result =
            client.send(request("GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, ""));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == "connect");
    }
    SECTION("an unresolvable host") {
        HttpClient client;
        auto result = client.send(request("GET", "http://signpost-test.invalid/", {}, ""));
        REQUIRE_FALSE(result.ok());
        CHECK((result.error().code == "dns" || result.error().code == "proxy"));
    }
    SECTION("a response over the cap fails as too_large instead of eating memory") {
        LoopbackServer loopback;
        loopback.server().Get("/huge", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(std::string(1 << 20, 'x'), "application/octet-stream");
        });
        loopback.start();
        HttpClientOptions options;
        options.maxResponseBytes = 64 * 1024;
        options.acceptGzip = false;
        HttpClient client(options);
        auto result = client.send(request("GET", loopback.url("/huge"), {}, ""));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == "too_large");
    }
    SECTION("a stalled server trips the low-speed limit") {
        LoopbackServer loopback;
        loopback.server().Get("/stall", [](const httplib::Request&, httplib::Response& response) {
            response.set_chunked_content_provider(
                "text/plain", [](size_t offset, httplib::DataSink& sink) {
                    if (offset == 0) {
                        sink.write("x", 1);
                        return true;
                    }
                    std::this_thread::sleep_for(3s);  // then nothing more for a while
                    return false;
                });
        });
        loopback.start();
        HttpClientOptions options;
        options.lowSpeedBytesPerSecond = 10;
        options.lowSpeedTime = 1s;
        HttpClient client(options);
        auto result = client.send(request("GET", loopback.url("/stall"), {}, ""));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == "timeout");
    }
    SECTION("cancel makes the next request fail at once") {
        HttpClient client;
        client.cancel();
        auto result = client.send(request("GET", "http://127.0.0.1:9/", {}, ""));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == "cancelled");
    }
}

TEST_CASE("redirects are not followed", "[http]") {
    LoopbackServer loopback;
    loopback.server().Get("/portal", [](const httplib::Request&, httplib::Response& response) {
        response.set_redirect("http://login.example/");
    });
    loopback.start();
    HttpClient client;
    auto result = client.send(request("GET", loopback.url("/portal"), {}, ""));
    REQUIRE(result.ok());
    CHECK(result.value().status == 302);
    CHECK(result.value().header("location") == "http://login.example/");
}
