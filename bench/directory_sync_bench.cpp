// Directory sync on the wire: what a kiosk downloads from GET /v1/directory.
//
// A real server on loopback publishes a synthetic 10k-service directory (the kiosk's importer
// shapes, generateSyntheticDirectory), then one service at a time is edited and republished —
// a phone number, a description, opening hours, a name, an address — and a kiosk at the previous
// version fetches the delta the way libcurl does (Accept-Encoding offered, bearer token,
// If-None-Match). Bytes are counted on the socket: status line, headers and body.
//
//   build-release/bench/directory_sync_bench [--services 10000] [--edits 25]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/directory/hsds_import.h"
#include "fixtures/synthetic_directory.h"
#include "sync/protocol/wire.h"
#include "sync/server/directory_publisher.h"
#include "sync/server/gzip.h"
#include "sync/server/server_runtime.h"
#include "sync/server/tokens.h"

using namespace signpost;
using namespace signpost::bench;

namespace {

struct Exchange {
    std::size_t requestBytes = 0;
    std::size_t responseBytes = 0;  // status line + headers + body
    int status = 0;
    std::string headers;
    std::string body;
    double milliseconds = 0;
};

// One HTTP/1.1 request on its own connection, as raw bytes both ways.
Exchange fetch(int port, const std::string& token, std::int64_t since,
               const std::string& ifNoneMatch, const std::string& acceptEncoding) {
    std::string request = "GET /v1/directory?since=" + std::to_string(since) +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                          "\r\nUser-Agent: signpost-kiosk/" SIGNPOST_VERSION "\r\nAccept: */*\r\n";
    if (!acceptEncoding.empty()) {
        request += "Accept-Encoding: " + acceptEncoding + "\r\n";
    }
    request += "Authorization: Bearer " + token + "\r\n";
    if (!ifNoneMatch.empty()) {
        request += "If-None-Match: " + ifNoneMatch + "\r\n";
    }
    request += "Connection: close\r\n\r\n";

    const auto t0 = std::chrono::steady_clock::now();
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect");
    }
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        throw std::runtime_error("short send");
    }
    std::string response;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break;
        }
        response.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    Exchange e;
    e.milliseconds = millisecondsSince(t0);
    e.requestBytes = request.size();
    e.responseBytes = response.size();
    const auto split = response.find("\r\n\r\n");
    if (response.size() < 12 || split == std::string::npos) {
        throw std::runtime_error("not an HTTP response");
    }
    e.status = std::atoi(response.substr(9, 3).c_str());
    e.headers = response.substr(0, split);
    e.body = response.substr(split + 4);
    return e;
}

std::string header(const Exchange& e, const std::string& name) {
    const auto at = e.headers.find("\r\n" + name + ": ");
    if (at == std::string::npos) {
        return "";
    }
    const auto start = at + name.size() + 4;
    return e.headers.substr(start, e.headers.find("\r\n", start) - start);
}

// The kiosk's view of a response: the update, inflated if it came gzip-compressed.
protocol::DirectoryUpdate decode(const Exchange& e) {
    std::string body = e.body;
    if (header(e, "Content-Encoding") == "gzip") {
        auto inflated = server::gzipDecompress(body);
        if (!inflated) {
            throw std::runtime_error("bad gzip body");
        }
        body = std::move(*inflated);
    }
    return protocol::parseDirectoryUpdate(body);
}

// One realistic edit to the service at `index`, varied by `kind`.
void edit(DirectoryData& data, std::size_t index, int kind) {
    Service& s = data.services[index];
    switch (kind % 5) {
        case 0:
            if (!s.phones.empty()) {
                s.phones[0].number = "0161 496 0" + std::to_string(100 + index % 900);
                break;
            }
            [[fallthrough]];
        case 1:
            s.description += " Now also on Saturdays.";
            break;
        case 2:
            if (!s.schedules.empty()) {
                s.schedules[0].closesAtMinutes =
                    std::min(1440, s.schedules[0].closesAtMinutes + 30);
                break;
            }
            [[fallthrough]];
        case 3:
            s.name += " (new name)";
            break;
        default:
            s.eligibility = "Anyone over 18 living in Manchester";
            break;
    }
}

std::filesystem::path makeTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signpost-dirbench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t services = 10000;
    int edits = 25;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--services") == 0 && i + 1 < argc) {
            services = static_cast<std::size_t>(std::atol(argv[++i]));
        } else if (std::strcmp(argv[i], "--edits") == 0 && i + 1 < argc) {
            edits = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: directory_sync_bench [--services N] [--edits N]\n");
            return 2;
        }
    }
    setLogToStderr(false);
    setMinimumLogLevel(LogLevel::Warning);

    const auto dir = makeTempDir();
    server::ServerConfig config;
    config.listenAddress = "127.0.0.1";
    config.port = 0;
    config.dataDir = dir.string();
    config.directoryHistory = edits + 5;
    server::ServerRuntime server(config);
    server.start();
    server::SqliteServerStore& store = server.store();

    // One enrolled kiosk.
    const auto now = std::chrono::system_clock::now();
    const std::string code = "BENCHC0DE123";
    store.addEnrollmentCode(server::hashToken(code), "Bench venue", now + std::chrono::hours(1),
                            now);
    server::EnrollmentAttempt attempt;
    attempt.codeHash = server::hashToken(code);
    attempt.deviceName = "bench kiosk";
    attempt.signingKey.assign(32, 1);
    attempt.newDeviceId = uuidV4();
    const std::string token = server::generateToken();
    attempt.newTokenHash = server::hashToken(token);
    store.enrollDevice(attempt, now, std::chrono::minutes(1));

    SyntheticDirectoryOptions options;
    options.services = services;
    DirectoryData data = generateSyntheticDirectory(options);
    data.version = "bench-1";
    auto t0 = std::chrono::steady_clock::now();
    server::DirectoryPublication publication = server::preparePublication(data);
    const double prepareMs = millisecondsSince(t0);
    t0 = std::chrono::steady_clock::now();
    store.publishDirectory(publication, config.directoryHistory, now);
    const double publishMs = millisecondsSince(t0);

    const std::string libcurlEncodings =
        "deflate, gzip, br, zstd";  // libcurl 7.88 with ACCEPT_ENCODING ""
    // The full snapshot, first (built) and second (cached) request.
    const Exchange fullCold = fetch(server.port(), token, 0, "", libcurlEncodings);
    const Exchange fullWarm = fetch(server.port(), token, 0, "", libcurlEncodings);
    const Exchange fullPlain = fetch(server.port(), token, 0, "", "");
    const auto fullUpdate = decode(fullWarm);
    if (!fullUpdate.full || parseHsdsJson(fullUpdate.directoryJson).services.size() != services) {
        std::fprintf(stderr, "the snapshot is not the whole directory\n");
        return 1;
    }
    std::string etag = header(fullWarm, "ETag");
    const Exchange notModified = fetch(server.port(), token, 1, etag, libcurlEncodings);

    // One edit at a time; the kiosk at the previous version fetches the delta.
    Samples gzipBytes, plainBytes, requestBytes, fetchMs, importMs;
    std::int64_t version = 1;
    bool allSingle = true;
    for (int k = 0; k < edits; ++k) {
        const std::size_t index = (static_cast<std::size_t>(k) * 7919u) % data.services.size();
        edit(data, index, k);
        data.version = "bench-" + std::to_string(version + 1);
        t0 = std::chrono::steady_clock::now();
        const auto summary =
            store.publishDirectory(server::preparePublication(data), config.directoryHistory,
                                   std::chrono::system_clock::now());
        importMs.add(millisecondsSince(t0));
        const Exchange delta = fetch(server.port(), token, version, etag, libcurlEncodings);
        const Exchange plain = fetch(server.port(), token, version, etag, "");
        const auto update = decode(delta);
        const DirectoryData changed = parseHsdsJson(update.directoryJson);
        allSingle = allSingle && summary.changed == 1 && delta.status == 200 && !update.full &&
                    changed.services.size() == 1 &&
                    changed.services[0].id == data.services[index].id;
        gzipBytes.add(static_cast<double>(delta.responseBytes));
        plainBytes.add(static_cast<double>(plain.responseBytes));
        requestBytes.add(static_cast<double>(delta.requestBytes));
        fetchMs.add(delta.milliseconds);
        etag = header(delta, "ETag");
        version = update.version;
    }
    server.stop();
    std::filesystem::remove_all(dir);
    if (!allSingle) {
        std::fprintf(stderr, "a delta did not hold exactly the one edited service\n");
        return 1;
    }

    auto kb = [](double bytes) { return withUnit(bytes / 1024.0, 2, "KB"); };
    auto mb = [](double bytes) { return withUnit(bytes / (1024.0 * 1024.0), 2, "MB"); };
    printTable("Directory sync on the wire (" + std::to_string(services) + " services, " +
                   std::to_string(edits) +
                   " one-service edits; bytes counted on the socket, headers included)",
               {
                   {"directory delta for one changed service, response bytes (gzip)",
                    kb(gzipBytes.max()), "<= 2 KB", gzipBytes.max() <= 2048,
                    "median " + formatNumber(gzipBytes.median(), 0) + " B; max " +
                        formatNumber(gzipBytes.max(), 0) + " B; request " +
                        formatNumber(requestBytes.median(), 0) + " B; without gzip " +
                        formatNumber(plainBytes.median(), 0) + " B"},
                   {"full " + std::to_string(services) + "-service snapshot, gzip, response bytes",
                    mb(static_cast<double>(fullWarm.responseBytes)), "report", true,
                    "uncompressed " + mb(static_cast<double>(fullPlain.responseBytes)) +
                        "; built on first request in " + withUnit(fullCold.milliseconds, 0, "ms") +
                        ", then served from memory in " + withUnit(fullWarm.milliseconds, 1, "ms")},
                   {"up to date (If-None-Match → 304), response bytes",
                    withUnit(static_cast<double>(notModified.responseBytes), 0, "B"), "report",
                    notModified.status == 304, "status " + std::to_string(notModified.status)},
                   {"delta fetch, first request after publishing",
                    withUnit(fetchMs.median(), 1, "ms"), "report", true,
                    "p99 " + withUnit(fetchMs.p99(), 1, "ms") + " (builds and caches the delta)"},
                   {"admin import of " + std::to_string(services) + " services",
                    withUnit(prepareMs + publishMs, 0, "ms"), "report", true,
                    "canonical documents and hashes " + withUnit(prepareMs, 0, "ms") +
                        ", first version stored " + withUnit(publishMs, 0, "ms") +
                        "; each later one-edit version " + withUnit(importMs.median(), 0, "ms")},
               });
    return 0;  // a missed target shows in the table; only wrong answers fail the run
}
