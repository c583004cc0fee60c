// Signpost test helpers — raw TCP clients for attacking a server in tests and benchmarks.
//
// An HTTP library will not send half a request line, a header that never ends, a chunked body
// that never ends or one byte every half second, so the attacking clients are plain sockets.
// Any 127.x.y.z address is this machine on Linux: binding the client side to 127.0.0.2,
// 127.0.0.3... lets one test play many client addresses against a server on 127.0.0.1 (the
// per-address limits see different clients).
//
// Thread-safety: a RawConnection belongs to one thread; the free functions are thread-safe.
// Errors: open() throws std::runtime_error; the rest report outcomes as values.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace signpost::test {

class RawConnection {
public:
    // Connects to 127.0.0.1:`port` from `source` (a 127.x.y.z address). Sends time out after
    // `sendTimeout` (a server that stops reading must not hang the test).
    static RawConnection open(int port, const std::string& source = "127.0.0.1",
                              std::chrono::milliseconds sendTimeout = std::chrono::seconds(5));

    RawConnection() = default;
    ~RawConnection();
    RawConnection(RawConnection&& other) noexcept;
    RawConnection& operator=(RawConnection&& other) noexcept;
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool valid() const noexcept { return m_fd >= 0; }
    int fd() const noexcept { return m_fd; }

    // Sends all of `bytes`; false when the server closed or reset the connection, or the send
    // timed out (the server stopped reading).
    bool send(std::string_view bytes);
    // True when something (an answer, or the end of the connection) can be read right now.
    bool readable(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) const;
    // Reads one response: the head and a Content-Length body, or until the server closes, or
    // until `timeout` passes. "" when nothing came.
    std::string readResponse(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // True when the server closes (EOF or reset) within `timeout`; data read on the way is
    // appended to `received` when given.
    bool closedWithin(std::chrono::milliseconds timeout, std::string* received = nullptr);
    // Reads until the server closes or `quiet` passes with nothing new; returns what came.
    std::string readUntilQuiet(std::chrono::milliseconds quiet);
    void close();

private:
    explicit RawConnection(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// One request as raw bytes: connects to 127.0.0.1:`port`, sends as much of `request` as the
// server takes (some tests check that it stops reading early) and returns everything read until
// the server closes or `quiet` passes with nothing new. For requests HTTP clients will not make
// (Expect without a body, chunked in odd spellings, lying Content-Length). Throws like open().
std::string rawExchange(int port, std::string_view request,
                        std::chrono::milliseconds quiet = std::chrono::milliseconds(1500));

// "HTTP/1.1 413 ..." → 413; a "100 Continue" head is skipped; -1 if not an HTTP response.
int responseStatus(const std::string& response);
// The value of header `name` in a raw response ("" when absent), case-insensitive.
std::string responseHeader(const std::string& response, std::string_view name);
// Resident set size of process `pid` in kB (VmRSS from /proc/<pid>/status); -1 if unknown.
long residentKb(pid_t pid);

}  // namespace signpost::test
