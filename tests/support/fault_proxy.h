// Signpost test helpers — a fault-injecting HTTP/1.1 proxy between a kiosk and the sync server.
//
// Listens on 127.0.0.1 (a random port) and forwards each request to the server on
// 127.0.0.1:upstreamPort, one request per connection (it adds "Connection: close" upstream and
// answers with it). A test sets a FaultRule; requests whose path starts with rule.pathPrefix get
// the fault, at most rule.times of them (then they pass through), the rest pass through:
//   Refuse              the listening socket is closed: connections are refused
//   StallMidBody        forwards half of the request body, then sends nothing more (the server
//                       never sees a whole request; the client must give up on its own)
//   ResetMidRequest     reads part of the request, then resets the client (RST), nothing forwarded
//   ResetAfterCommit    forwards the whole request, reads the server's whole response (the
//                       server has committed), then resets the client instead of answering
//   TruncatedResponse   forwards, then sends the response cut in the middle of its body and closes
//   WrongContentLength  forwards, then sends the response with a Content-Length 100 bytes too large
//                       and closes
//   Status500 / Status503 / Status429   answers itself, with Retry-After: rule.retryAfterSeconds
//                       (500 without it)
//   GarbageBody         answers 200 application/json with bytes that are not JSON
//   Html200             answers 200 text/html, a Wi-Fi login page (a captive portal)
//   Redirect302         answers 302 to http://login.example.net/ (a captive portal)
//
// Thread-safety: all member functions may be called from any thread. One thread per connection.
// Errors: the constructor throws std::runtime_error if it cannot listen.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace signpost::test {

enum class Fault {
    PassThrough,
    Refuse,
    StallMidBody,
    ResetMidRequest,
    ResetAfterCommit,
    TruncatedResponse,
    WrongContentLength,
    Status500,
    Status503,
    Status429,
    GarbageBody,
    Html200,
    Redirect302,
};
const char* toString(Fault fault);

struct FaultRule {
    // {fault, prefix} or more: the fields a test leaves out keep their defaults (a constructor,
    // not an aggregate, so a short brace list is not a missing-initializer warning).
    FaultRule(Fault kind = Fault::PassThrough, std::string prefix = {}, int count = -1,
              int retryAfter = 30, std::string onlyMethod = {})
        : fault(kind),
          pathPrefix(std::move(prefix)),
          times(count),
          retryAfterSeconds(retryAfter),
          method(std::move(onlyMethod)) {}

    Fault fault;
    std::string pathPrefix;  // "" = every request; e.g. "/v1/submissions"
    int times;               // how many requests get the fault; -1 = all until changed
    int retryAfterSeconds;   // for Status503 / Status429
    std::string method;      // "" = any; e.g. "POST" (a GET under the same prefix passes)
};

class FaultProxy {
public:
    explicit FaultProxy(int upstreamPort);
    ~FaultProxy();  // stops listening, resets open connections, joins every thread
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const noexcept { return m_port; }
    std::string url() const;  // "http://127.0.0.1:<port>"

    void setRule(const FaultRule& rule);  // replaces the current rule; resets faultsApplied()
    void passThrough() { setRule({}); }
    int faultsApplied() const;  // requests the current rule has hit so far
    // Requests seen (faulted or not) whose path starts with `prefix`, since the start.
    std::size_t requestsSeen(const std::string& prefix = "") const;

private:
    void acceptLoop();
    void serve(int client);
    bool listen();
    void closeListener();

    int m_upstreamPort;
    int m_port = 0;
    int m_listener = -1;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_listening{true};
    mutable std::mutex m_mutex;
    FaultRule m_rule;
    int m_applied = 0;
    std::vector<std::string> m_paths;
    std::vector<int> m_clients;  // open client sockets, reset on destruction
    std::vector<std::thread> m_threads;
    std::thread m_acceptor;
};

}  // namespace signpost::test
