// Server ingest: N simulated kiosks (enrolled over HTTP first) push signed batches in parallel
// to a real server on loopback (SQLite WAL + synchronous=FULL, group commit, real sockets). Each
// run starts a fresh server and database; figures are medians over the runs.
//
// Three scenarios:
//   saturation   every device pushes its next batch as soon as the last one is answered
//                (closed loop): the most submissions/s the server takes. Latency here is mostly
//                queueing: 200 requests always in flight.
//   paced        the devices together offer --rate submissions/s (each sends a batch every
//                devices*batch/rate seconds, phases spread evenly): latency at the target load,
//                measured from each batch's scheduled time, so a late send counts against us.
//   single       closed loop with batches of one submission: the per-request worst case.
//
//   build-release/bench/server_ingest_bench [--devices 200] [--batch 10] [--rounds 10]
//                                           [--rate 2000] [--runs 5] [--threads 64] [--keep-alive]
#include <httplib.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <atomic>
#include <barrier>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"
#include "sync/server/server_runtime.h"
#include "sync/server/tokens.h"

using namespace signpost;
using namespace signpost::bench;

namespace {

struct Options {
    int devices = 200;
    int batch = 10;
    int rounds = 10;
    double rate = 2000;  // paced scenario: submissions/s offered by all devices together
    int runs = 5;
    int threads = 64;
    bool keepAlive = false;
    std::string only;  // "" = all three scenarios
};

struct Scenario {
    int batch = 10;
    int rounds = 10;
    double rate = 0;  // 0 = closed loop
};

struct Device {
    std::string token;
    protocol::DeviceSigningKey key = protocol::DeviceSigningKey::generate();
    std::vector<std::string> bodies;  // pre-signed batches, so the clock measures the server
};

struct RunResult {
    double submissionsPerSecond = 0;
    Samples latencyMs;
    std::size_t stored = 0;
    std::size_t commits = 0;
    std::size_t failures = 0;
    double cpuUserSeconds = 0;
    double cpuSystemSeconds = 0;
};

double seconds(const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

std::filesystem::path makeTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signpost-ingest-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

std::string signedBatch(Device& device, std::int64_t& seq, int size) {
    protocol::SubmissionBatch batch;
    for (int i = 0; i < size; ++i) {
        protocol::Submission s;
        s.id = uuidV4();
        s.seq = seq++;
        s.createdAt = "2026-11-23T14:03:07Z";
        s.formVersion = "2026.11";
        s.venue = "Harpurhey Library";
        s.neighbourhood = "Harpurhey";
        s.serviceId = "svc-0042";
        s.sealed.resize(1200);  // a typical sealed referral: ~1 KB of JSON + 48 bytes of box
        randombytes_buf(s.sealed.data(), s.sealed.size());
        device.key.sign(s);
        batch.submissions.push_back(std::move(s));
    }
    return protocol::toJson(batch);
}

// 127.3.0.1, 127.3.0.2, ...: Linux answers the whole of 127.0.0.0/8 on loopback.
std::string deviceAddress(std::size_t index) {
    return "127.3." + std::to_string(index / 250) + "." + std::to_string(index % 250 + 1);
}

RunResult runOnce(const Options& o, const Scenario& scenario) {
    const auto dir = makeTempDir();
    server::ServerConfig config;
    config.listenAddress = "127.0.0.1";
    config.port = 0;
    config.dataDir = dir.string();
    config.threads = o.threads;
    config.enrollBurst = 100000;
    config.enrollPerHour = 100000;
    config.logLevel = LogLevel::Warning;
    RunResult result;
    {
        server::ServerRuntime server(config);
        server.start();

        // Enroll every device over HTTP, as kiosks do.
        std::vector<Device> devices(static_cast<std::size_t>(o.devices));
        httplib::Client admin("127.0.0.1", server.port());
        for (Device& d : devices) {
            const std::string code = server::generateEnrollmentCode();
            const auto now = std::chrono::system_clock::now();
            server.store().addEnrollmentCode(
                server::hashToken(*server::normalizeEnrollmentCode(code)), "Harpurhey Library",
                now + std::chrono::hours(1), now);
            protocol::EnrollRequest request;
            request.enrollmentCode = code;
            request.deviceName = "bench";
            request.venue = "Harpurhey Library";
            auto asked = admin.Get("/v1/devices/enroll/nonce");
            if (!asked || asked->status != 200) {
                throw std::runtime_error("no enrollment nonce");
            }
            request.nonce = protocol::parseEnrollNonce(asked->body).nonce;
            d.key.sign(request);
            auto response =
                admin.Post("/v1/devices/enroll", protocol::toJson(request), "application/json");
            if (!response || response->status != 201) {
                throw std::runtime_error("enrollment failed");
            }
            d.token = protocol::parseEnrollResponse(response->body).deviceToken;
            std::int64_t seq = 1;
            for (int r = 0; r < scenario.rounds; ++r) {
                d.bodies.push_back(signedBatch(d, seq, scenario.batch));
            }
        }

        const std::size_t commitsBefore = server.store().commitCount();
        std::vector<std::vector<double>> latencies(devices.size());
        std::atomic<std::size_t> stored{0};
        std::atomic<std::size_t> failures{0};
        std::barrier start(static_cast<std::ptrdiff_t>(devices.size() + 1));
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < devices.size(); ++i) {
            threads.emplace_back([&, i] {
                httplib::Client client("127.0.0.1", server.port());
                // Each kiosk from its own address, as in the field (one venue each): all from
                // 127.0.0.1 they would meet the server's per-address connection cap, meant for
                // one attacker holding sockets, and the bench would measure the cap.
                client.set_interface(deviceAddress(i));
                client.set_keep_alive(o.keepAlive);
                client.set_read_timeout(std::chrono::seconds(60));
                const httplib::Headers headers = {{"Authorization", "Bearer " + devices[i].token}};
                // Paced: this device's batches are due every `interval`, starting at its phase.
                const std::chrono::duration<double> interval(
                    scenario.rate > 0 ? o.devices * scenario.batch / scenario.rate : 0.0);
                start.arrive_and_wait();
                const auto begin = std::chrono::steady_clock::now();
                const auto phase =
                    interval * (static_cast<double>(i) / static_cast<double>(devices.size()));
                for (std::size_t k = 0; k < devices[i].bodies.size(); ++k) {
                    const std::string& body = devices[i].bodies[k];
                    auto t0 = std::chrono::steady_clock::now();
                    if (scenario.rate > 0) {
                        const auto due =
                            begin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        phase + interval * static_cast<double>(k));
                        std::this_thread::sleep_until(due);
                        t0 = due;  // lateness in sending counts as latency
                    }
                    auto response =
                        client.Post("/v1/submissions", headers, body, "application/json");
                    latencies[i].push_back(millisecondsSince(t0));
                    if (!response || response->status != 200) {
                        if (failures++ == 0) {
                            // What went wrong, once a run: a cap, a full queue or a lost socket.
                            std::fprintf(stderr, "first failed push: %s\n",
                                         response ? ("HTTP " + std::to_string(response->status) +
                                                     " " + response->body.substr(0, 120))
                                                        .c_str()
                                                  : httplib::to_string(response.error()).c_str());
                        }
                        continue;
                    }
                    for (const auto& item :
                         protocol::parseSubmissionResults(response->body).results) {
                        if (item.status == protocol::ItemStatus::Stored) {
                            ++stored;
                        } else {
                            ++failures;
                        }
                    }
                }
            });
        }
        rusage before{};
        ::getrusage(RUSAGE_SELF, &before);
        start.arrive_and_wait();
        const auto t0 = std::chrono::steady_clock::now();
        for (auto& t : threads) {
            t.join();
        }
        const double elapsed = millisecondsSince(t0) / 1000.0;
        rusage after{};
        ::getrusage(RUSAGE_SELF, &after);
        result.cpuUserSeconds = seconds(after.ru_utime) - seconds(before.ru_utime);
        result.cpuSystemSeconds = seconds(after.ru_stime) - seconds(before.ru_stime);
        result.stored = stored;
        result.failures = failures;
        result.submissionsPerSecond = static_cast<double>(stored) / elapsed;
        result.commits = server.store().commitCount() - commitsBefore;
        for (const auto& perDevice : latencies) {
            for (double ms : perDevice) {
                result.latencyMs.add(ms);
            }
        }
        server.stop();
    }
    std::filesystem::remove_all(dir);
    return result;
}

int intArg(int argc, char** argv, int& i) {
    if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
    }
    return std::atoi(argv[++i]);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--devices") == 0) {
            o.devices = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--batch") == 0) {
            o.batch = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--rounds") == 0) {
            o.rounds = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--rate") == 0) {
            o.rate = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--runs") == 0) {
            o.runs = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--threads") == 0) {
            o.threads = intArg(argc, argv, i);
        } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            o.only = argv[++i];  // saturation | paced | single
        } else if (std::strcmp(argv[i], "--keep-alive") == 0) {
            o.keepAlive = true;
        } else {
            std::fprintf(stderr,
                         "usage: server_ingest_bench [--devices N] [--batch N] [--rounds N] "
                         "[--rate N] [--runs N] "
                         "[--threads N] [--keep-alive] [--only saturation|paced|single]\n");
            return 2;
        }
    }
    setLogToStderr(false);
    setMinimumLogLevel(LogLevel::Warning);
    ensureSodium();

    struct Figures {
        Samples throughput, p99, median, perCommit;
        std::size_t stored = 0, failures = 0;
    };
    auto measure = [&](const char* name, const Scenario& scenario) {
        Figures f;
        if (!o.only.empty() && o.only != name) {
            f.throughput.add(0);
            f.p99.add(0);
            f.median.add(0);
            f.perCommit.add(0);
            return f;
        }
        for (int run = 0; run < o.runs; ++run) {
            RunResult r = runOnce(o, scenario);
            f.throughput.add(r.submissionsPerSecond);
            f.p99.add(r.latencyMs.p99());
            f.median.add(r.latencyMs.median());
            f.perCommit.add(r.commits == 0
                                ? 0
                                : static_cast<double>(r.stored) / static_cast<double>(r.commits));
            f.failures += r.failures;
            f.stored += r.stored;
            std::fprintf(stderr,
                         "%s run %d: %.0f submissions/s, p99 %.1f ms, median %.1f ms, %zu commits, "
                         "CPU %.2f s user + %.2f s system (client and server together)\n",
                         name, run + 1, r.submissionsPerSecond, r.latencyMs.p99(),
                         r.latencyMs.median(), r.commits, r.cpuUserSeconds, r.cpuSystemSeconds);
        }
        return f;
    };
    const Figures saturated = measure("saturation", {o.batch, o.rounds, 0});
    const Figures paced = measure("paced", {o.batch, o.rounds, o.rate});
    const Figures single = measure("single", {1, o.rounds, 0});

    auto spread = [](const Samples& s, int decimals, const std::string& unit) {
        return "runs " + formatNumber(s.min(), decimals) + " to " +
               formatNumber(s.max(), decimals) + unit;
    };
    const std::string devices = std::to_string(o.devices) + " devices";
    printTable(
        "Server ingest: " + devices + ", " + std::to_string(o.rounds) + " batches each, " +
            (o.keepAlive ? "keep-alive" : "a connection per request") + ", " +
            std::to_string(o.threads) + " server threads, median of " + std::to_string(o.runs) +
            " runs",
        {
            {"saturation: submissions/s, " + devices + " in parallel, batches of " +
                 std::to_string(o.batch),
             withUnit(saturated.throughput.median(), 0, "/s"), ">= 2,000 /s",
             saturated.throughput.median() >= 2000,
             spread(saturated.throughput, 0, " /s") + "; p99 " +
                 withUnit(saturated.p99.median(), 0, "ms") + " with " + std::to_string(o.devices) +
                 " requests always queued; " + formatNumber(saturated.perCommit.median(), 0) +
                 " submissions per commit"},
            {"paced at " + formatNumber(o.rate, 0) + " submissions/s: request latency p99",
             withUnit(paced.p99.median(), 1, "ms"), "< 100 ms", paced.p99.median() < 100,
             "achieved " + withUnit(paced.throughput.median(), 0, "/s") + ", median request " +
                 withUnit(paced.median.median(), 1, "ms") + "; " + spread(paced.p99, 1, " ms")},
            {"one submission per request, closed loop: submissions/s",
             withUnit(single.throughput.median(), 0, "/s"), ">= 2,000 /s",
             single.throughput.median() >= 2000,
             "p99 " + withUnit(single.p99.median(), 1, "ms") + " (" + spread(single.p99, 1, " ms") +
                 ")"},
        });
    const std::size_t failures = saturated.failures + paced.failures + single.failures;
    if (failures > 0) {
        std::fprintf(stderr, "%zu submissions were not stored\n", failures);
    }
    return failures == 0 ? 0 : 1;
}
