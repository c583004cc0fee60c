// Signpost test helpers — an httplib server on a random loopback port, served from its own thread
// for one test: a stand-in for a real server whose answers the test chooses (errors, captive
// portal pages, slow or broken replies). Header-only: only the tests that link cpp-httplib
// (tests/CMakeLists.txt) include it.
//
//   test::LoopbackServer fake;
//   fake.server().Get("/v1/x", [](const httplib::Request&, httplib::Response& res) { ... });
//   fake.start();
//   client.send(get(fake.url("/v1/x")));
//
// Thread-safety: handlers run on httplib's threads; the object itself belongs to one thread.
// Errors: the constructor REQUIREs a bound port.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

#ifndef CATCH_VERSION_MAJOR
#include <catch2/catch.hpp>
#endif

namespace signpost::test {

class LoopbackServer {
public:
    LoopbackServer() {
        m_port = m_server.bind_to_any_port("127.0.0.1");
        REQUIRE(m_port > 0);
    }
    ~LoopbackServer() {
        m_server.stop();
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    // Register handlers here before start().
    httplib::Server& server() { return m_server; }
    void start() {
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) {  // httplib 0.11 has no wait_until_ready()
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    int port() const { return m_port; }
    std::string url(const std::string& path = "") const {
        return "http://127.0.0.1:" + std::to_string(m_port) + path;
    }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
};

}  // namespace signpost::test
