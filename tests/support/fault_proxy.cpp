#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace signpost::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The value of header `name` in an HTTP head ("" if absent).
std::string headerValue(const std::string& head, const std::string& name) {
    const std::string lowered = lower(head);
    const std::string key = "\r\n" + lower(name) + ":";
    const std::size_t at = lowered.find(key);
    if (at == std::string::npos) {
        return "";
    }
    std::size_t start = at + key.size();
    const std::size_t end = head.find("\r\n", start);
    while (start < end && head[start] == ' ') {
        ++start;
    }
    return head.substr(start, end - start);
}

// Removes header `name` from a head (all occurrences).
std::string withoutHeader(std::string head, const std::string& name) {
    const std::string key = "\r\n" + lower(name) + ":";
    for (std::size_t at = lower(head).find(key); at != std::string::npos;
         at = lower(head).find(key)) {
        const std::size_t end = head.find("\r\n", at + 2);
        head.erase(at, end - at);
    }
    return head;
}

// Reads into `buffer` until `done(buffer)` or the peer closes / 10 s of silence / stop.
bool readUntil(int fd, std::string& buffer, const std::function<bool(const std::string&)>& done,
               const std::atomic<bool>& stopping) {
    char chunk[16384];
    auto lastData = Clock::now();
    while (!done(buffer)) {
        if (stopping || Clock::now() - lastData > std::chrono::seconds(10)) {
            return false;
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 50);
        if (ready <= 0) {
            continue;
        }
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return done(buffer);
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
        lastData = Clock::now();
    }
    return true;
}

void sendAll(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        sent += static_cast<std::size_t>(n);
    }
}

// Close with RST instead of FIN: the peer sees "connection reset".
void resetConnection(int fd) {
    linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
}

std::string response(int status, const std::string& reason, const std::string& contentType,
                     const std::string& body, const std::string& extraHeaders = "") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extraHeaders +
           "Connection: close\r\n\r\n" + body;
}

}  // namespace

const char* toString(Fault fault) {
    switch (fault) {
        case Fault::PassThrough:
            return "pass-through";
        case Fault::Refuse:
            return "refuse";
        case Fault::StallMidBody:
            return "stall mid-body";
        case Fault::ResetMidRequest:
            return "reset mid-request";
        case Fault::ResetAfterCommit:
            return "reset after commit";
        case Fault::TruncatedResponse:
            return "truncated response";
        case Fault::WrongContentLength:
            return "wrong Content-Length";
        case Fault::Status500:
            return "500";
        case Fault::Status503:
            return "503 + Retry-After";
        case Fault::Status429:
            return "429 + Retry-After";
        case Fault::GarbageBody:
            return "garbage body";
        case Fault::Html200:
            return "HTML 200";
        case Fault::Redirect302:
            return "302 to a login page";
    }
    return "?";
}

FaultProxy::FaultProxy(int upstreamPort) : m_upstreamPort(upstreamPort) {
    if (!listen()) {
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    }
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stopping = true;
    m_acceptor.join();
    {
        std::lock_guard lock(m_mutex);
        for (int fd : m_clients) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    for (std::thread& thread : m_threads) {
        thread.join();
    }
    closeListener();
}

std::string FaultProxy::url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

bool FaultProxy::listen() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(m_port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 64) != 0) {
        ::close(fd);
        return false;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_listener = fd;
    return true;
}

void FaultProxy::closeListener() {
    if (m_listener >= 0) {
        ::close(m_listener);
        m_listener = -1;
    }
}

void FaultProxy::setRule(const FaultRule& rule) {
    {
        std::lock_guard lock(m_mutex);
        m_rule = rule;
        m_applied = 0;
    }
    // Refuse takes effect before this returns: the acceptor closes the listener.
    while (rule.fault == Fault::Refuse && m_listening) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

int FaultProxy::faultsApplied() const {
    std::lock_guard lock(m_mutex);
    return m_applied;
}

std::size_t FaultProxy::requestsSeen(const std::string& prefix) const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(
        std::count_if(m_paths.begin(), m_paths.end(),
                      [&](const std::string& p) { return p.rfind(prefix, 0) == 0; }));
}

void FaultProxy::acceptLoop() {
    while (!m_stopping) {
        bool refuse = false;
        {
            std::lock_guard lock(m_mutex);
            refuse =
                m_rule.fault == Fault::Refuse && (m_rule.times < 0 || m_applied < m_rule.times);
        }
        if (refuse) {
            if (m_listener >= 0) {
                closeListener();
                m_listening = false;
                std::lock_guard lock(m_mutex);
                ++m_applied;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        if (m_listener < 0) {  // same port again, after a Refuse
            if (!listen()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            m_listening = true;
        }
        pollfd p{m_listener, POLLIN, 0};
        if (::poll(&p, 1, 10) <= 0) {
            continue;
        }
        const int client = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        std::lock_guard lock(m_mutex);
        m_clients.push_back(client);
        m_threads.emplace_back([this, client] { serve(client); });
    }
}

void FaultProxy::serve(int client) {
    const auto finish = [&](bool reset) {
        {
            std::lock_guard lock(m_mutex);
            m_clients.erase(std::remove(m_clients.begin(), m_clients.end(), client),
                            m_clients.end());
        }
        if (reset) {
            resetConnection(client);
        } else {
            ::shutdown(client, SHUT_WR);
            std::string rest;
            readUntil(
                client, rest, [](const std::string&) { return false; }, m_stopping);
            ::close(client);
        }
    };

    // The request head.
    std::string request;
    if (!readUntil(
            client, request,
            [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; },
            m_stopping)) {
        finish(false);
        return;
    }
    const std::size_t headEnd = request.find("\r\n\r\n") + 4;
    std::string head = request.substr(0, headEnd - 2);  // keeps the last header's \r\n
    const std::size_t pathStart = head.find(' ') + 1;
    const std::string path = head.substr(pathStart, head.find(' ', pathStart) - pathStart);
    const std::string lengthText = headerValue(head, "Content-Length");
    const std::size_t bodyLength = lengthText.empty() ? 0 : std::stoul(lengthText);
    if (lower(headerValue(head, "Expect")) == "100-continue") {
        sendAll(client, "HTTP/1.1 100 Continue\r\n\r\n");
        head = withoutHeader(head, "Expect");
    }

    Fault fault = Fault::PassThrough;
    int retryAfter = 30;
    {
        std::lock_guard lock(m_mutex);
        m_paths.push_back(path);
        if (m_rule.fault != Fault::PassThrough && m_rule.fault != Fault::Refuse &&
            path.rfind(m_rule.pathPrefix, 0) == 0 &&
            (m_rule.method.empty() || head.rfind(m_rule.method + " ", 0) == 0) &&
            (m_rule.times < 0 || m_applied < m_rule.times)) {
            fault = m_rule.fault;
            retryAfter = m_rule.retryAfterSeconds;
            ++m_applied;
        }
    }

    if (fault == Fault::ResetMidRequest) {
        finish(true);  // whatever of the body arrived is dropped; the server saw nothing
        return;
    }
    // The whole body (StallMidBody forwards half of it and stops).
    if (!readUntil(
            client, request, [&](const std::string& b) { return b.size() >= headEnd + bodyLength; },
            m_stopping)) {
        finish(true);
        return;
    }
    const std::string body = request.substr(headEnd, bodyLength);

    switch (fault) {
        case Fault::Status500:
            sendAll(client, response(500, "Internal Server Error", "application/json",
                                     R"({"error":{"code":"internal","message":"injected"}})"));
            finish(false);
            return;
        case Fault::Status503:
        case Fault::Status429: {
            const bool busy = fault == Fault::Status429;
            sendAll(client,
                    response(busy ? 429 : 503, busy ? "Too Many Requests" : "Service Unavailable",
                             "application/json",
                             busy ? R"({"error":{"code":"rate_limited","message":"slow down"}})"
                                  : R"({"error":{"code":"internal","message":"maintenance"}})",
                             "Retry-After: " + std::to_string(retryAfter) + "\r\n"));
            finish(false);
            return;
        }
        case Fault::GarbageBody:
            sendAll(client,
                    response(200, "OK", "application/json", std::string("\x01\x02garbage{{[", 12)));
            finish(false);
            return;
        case Fault::Html200:
            sendAll(client, response(200, "OK", "text/html",
                                     "<html><body><h1>Welcome to Library Wi-Fi</h1>"
                                     "<a href=\"/accept\">Accept the terms</a></body></html>"));
            finish(false);
            return;
        case Fault::Redirect302:
            sendAll(client, response(302, "Found", "text/html", "",
                                     "Location: http://login.example.net/portal\r\n"));
            finish(false);
            return;
        default:
            break;
    }

    // Forward upstream.
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(m_upstreamPort));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (upstream < 0 ||
        ::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (upstream >= 0) {
            ::close(upstream);
        }
        finish(true);  // the server is down: the client sees a reset, as through a real proxy
        return;
    }
    const std::string upstreamHead =
        withoutHeader(withoutHeader(head, "Connection"), "Keep-Alive") +
        "Connection: close\r\n\r\n";
    if (fault == Fault::StallMidBody) {
        sendAll(upstream, upstreamHead + body.substr(0, body.size() / 2));
        // Nothing more either way until the client gives up (or the proxy stops).
        std::string ignored;
        readUntil(
            client, ignored, [](const std::string&) { return false; }, m_stopping);
        ::close(upstream);
        finish(true);
        return;
    }
    sendAll(upstream, upstreamHead + body);
    std::string answer;
    readUntil(
        upstream, answer, [](const std::string&) { return false; }, m_stopping);  // to EOF
    ::close(upstream);

    const std::size_t answerHeadEnd = answer.find("\r\n\r\n");
    if (fault == Fault::ResetAfterCommit || answerHeadEnd == std::string::npos) {
        finish(true);
        return;
    }
    const std::string answerHead = answer.substr(0, answerHeadEnd + 2);
    const std::string answerBody = answer.substr(answerHeadEnd + 4);
    switch (fault) {
        case Fault::TruncatedResponse:
            sendAll(client, answerHead + "\r\n" + answerBody.substr(0, answerBody.size() / 2));
            finish(false);
            return;
        case Fault::WrongContentLength:
            sendAll(client, withoutHeader(answerHead, "Content-Length") + "Content-Length: " +
                                std::to_string(answerBody.size() + 100) + "\r\n\r\n" + answerBody);
            finish(false);
            return;
        default:
            sendAll(client, answer);
            finish(false);
            return;
    }
}

}  // namespace signpost::test
