// Pull benchmark: `signpost pull` of 100,000 submissions from a loopback signpost-server —
// fetch, verify (Ed25519), decrypt (X25519 sealed box), parse, write CSV, acknowledge.
//
//   build-release/bench/pull_bench [--count N] [--runs R] [--dir DIR]
//
// Outside the timed part: starts the real signpost-server (its own process, SQLite in DIR),
// enrolls 4 simulated kiosks and fills the server with N realistic referrals (serialised by the
// kiosk's codec, sealed to a coordinator key, signed by the kiosk) through concurrent batch
// pushes. Timed: the real `signpost` binary, R runs per thread count, each into a fresh output
// directory (the server still returns acknowledged submissions until they are purged, so every
// run pulls all N). Figures: wall time of the whole process (including its Argon2id key
// derivation, "interactive" strength here), with the default thread count and with one thread;
// the fetch-only floor (pages over HTTP, parsed, nothing else); and the CPU cost per item of
// verify + open + parse on one core. Target (issue #3 §6): <= 10 s for 100k (ODK's 132k export
// took > 30 min, kobotoolbox/kpi#1757).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/ids.h"
#include "core/common/log.h"
#include "core/common/time_util.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"
#include "core/referral/sealing.h"
#include "sync/net/http_client.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

extern char** environ;

using namespace signpost;
using namespace signpost::bench;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassphrase = "benchmark passphrase, long enough";
constexpr int kKiosks = 4;

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// posix_spawn with stdin from /dev/null and stdout/stderr to files; extra environment entries.
pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err,
            const std::vector<std::string>& extraEnv = {}) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        if (!std::string_view(*entry).starts_with("SIGNPOST_")) {
            env.emplace_back(*entry);
        }
    }
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char*> envp;
    for (std::string& entry : env) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (std::string& arg : args) {
        argp.push_back(arg.data());
    }
    argp.push_back(nullptr);
    pid_t pid = -1;
    const int failed = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(failed));
    }
    return pid;
}

int waitExit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs to completion; returns stdout, throws with stderr if it failed.
std::string run(const std::vector<std::string>& argv, const fs::path& dir, const std::string& tag) {
    const fs::path out = dir / (tag + ".out");
    const fs::path err = dir / (tag + ".err");
    const int code = waitExit(spawn(argv, out, err));
    if (code != 0) {
        throw std::runtime_error(argv[0] + " failed (" + std::to_string(code) +
                                 "): " + readText(err));
    }
    std::string text = readText(out);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

// Realistic, varied referrals: short and long names, phone or email, some with the longest free
// text the kiosk allows.
SecureBytes referralText(int i, const std::string& deviceId, std::string& id) {
    const char* names[] = {"Ann Example", "Zoë Łukasiewicz", "Mohammed Al-Example",
                           "Bartholomew Fitzwilliam-Example", "Li Example"};
    const char* phones[] = {"07700 900123", "0161 496 0123", "020 7946 0000", "", "0161 496 0999"};
    ReferralForm form;
    form.kind = i % 3 == 0 ? ReferralKind::General : ReferralKind::Service;
    form.serviceId = "svc-" + std::to_string(1000 + i % 500);
    form.serviceName = "Community service number " + std::to_string(i % 500);
    form.needCodes = {"feeling-lonely", "food"};
    form.name.assign(names[i % 5]);
    form.phone.assign(phones[(i / 5) % 5]);
    form.email.assign(i % 2 == 0 || form.phone.empty() ? "someone@example.org" : "");
    form.safeToLeaveMessage = i % 2 == 0 ? Answer::Yes : Answer::No;
    form.bestTime = static_cast<ContactTime>(i % 4);
    form.preferredLanguage = i % 4 == 0 ? "pl" : "en";
    form.interpreterNeeded = i % 4 == 0;
    if (i % 5 == 4) {
        form.needsText.assign(kMaxFreeTextLength, 'x');
        form.accessNeeds.assign(kMaxAccessNeedsLength, 'y');
    } else {
        form.needsText.assign("I would like some help, please.\nThank you.");
        form.accessNeeds.assign(i % 2 == 0 ? "Step-free access" : "");
    }
    form.consentGiven = true;
    ReferralEnvelope envelope;
    envelope.id = id = uuidV4();
    envelope.reference = makeReferenceCode("MCR");
    envelope.createdAt = formatIsoUtc(std::chrono::system_clock::now());
    envelope.formVersion = "2026.11";
    envelope.consentVersion = "2026-11";
    envelope.venue = "Harpurhey Library";
    envelope.neighbourhood = "Harpurhey";
    envelope.deviceId = deviceId;
    return serialiseReferral(form, envelope);
}

struct Kiosk {
    std::string id;
    std::string token;
    protocol::DeviceSigningKey key = protocol::DeviceSigningKey::generate();
};

HttpResponse send(HttpClient& http, const std::string& method, const std::string& url,
                  const std::string& token, const std::string& body) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    if (!token.empty()) {
        request.headers.emplace_back("Authorization", "Bearer " + token);
    }
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    auto result = http.send(request);
    if (!result) {
        throw std::runtime_error(method + " " + url + ": " + result.error().message);
    }
    return std::move(result).value();
}

// One pusher: makes and pushes `count` referrals from its kiosk, 100 per request.
void fill(const std::string& url, const Kiosk& kiosk, int first, int count,
          const CoordinatorPublicKey& key, std::atomic<int>& done) {
    HttpClient http;
    std::int64_t seq = 1;
    for (int start = 0; start < count; start += static_cast<int>(protocol::kMaxBatchItems)) {
        protocol::SubmissionBatch batch;
        const int end = std::min(count, start + static_cast<int>(protocol::kMaxBatchItems));
        for (int i = start; i < end; ++i) {
            protocol::Submission s;
            const SecureBytes plaintext = referralText(first + i, kiosk.id, s.id);
            s.seq = seq++;
            s.createdAt = formatIsoUtc(std::chrono::system_clock::now());
            s.formVersion = "2026.11";
            s.venue = "Harpurhey Library";
            s.neighbourhood = "Harpurhey";
            s.serviceId = "svc-1000";
            s.sealed = sealForCoordinators(plaintext, key);
            kiosk.key.sign(s);
            batch.submissions.push_back(std::move(s));
        }
        const HttpResponse response =
            send(http, "POST", url + "/v1/submissions", kiosk.token, protocol::toJson(batch));
        if (response.status != 200) {
            throw std::runtime_error("push answered " + std::to_string(response.status) + ": " +
                                     response.body);
        }
        done += end - start;
    }
}

}  // namespace

int main(int argc, char** argv) {
    int count = 100000;
    int runs = 3;
    fs::path dir;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--count" && i + 1 < argc) {
            count = std::atoi(argv[++i]);
        } else if (arg == "--runs" && i + 1 < argc) {
            runs = std::atoi(argv[++i]);
        } else if (arg == "--dir" && i + 1 < argc) {
            dir = argv[++i];
        } else {
            std::cerr << "usage: pull_bench [--count N] [--runs R] [--dir DIR]\n";
            return 2;
        }
    }
    setLogToStderr(false);
    const fs::path self = fs::canonical("/proc/self/exe");
    const fs::path build = self.parent_path().parent_path();
    const fs::path serverProgram = build / "sync" / "signpost-server";
    const fs::path pullProgram = build / "sync" / "signpost";
    const bool ownDir = dir.empty();
    if (ownDir) {
        dir = self.parent_path() / ("pull-bench-" + std::to_string(::getpid()));
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
    pid_t server = -1;
    try {
        // --- Setup (not timed) ---
        const fs::path config = dir / "server.toml";
        std::ofstream(config) << "[server]\nlisten_address = \"127.0.0.1\"\nport = 0\nthreads = 8\n"
                                 "log_level = \"warning\"\n\n[storage]\ndata_dir = \""
                              << (dir / "data").string()
                              << "\"\n\n[limits]\nenroll_burst = 1000\nbad_token_burst = 1000\n";
        server = spawn({serverProgram.string(), "serve", "--config", config.string()},
                       dir / "serve.out", dir / "serve.log");
        std::string url;
        const std::regex listening("listening on (http://127\\.0\\.0\\.1:[0-9]+)");
        for (int i = 0; i < 200 && url.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::smatch match;
            const std::string log = readText(dir / "serve.log");
            if (std::regex_search(log, match, listening)) {
                url = match[1];
            }
        }
        if (url.empty()) {
            throw std::runtime_error("the server did not start: " + readText(dir / "serve.log"));
        }
        const auto admin = [&](std::vector<std::string> args, const std::string& tag) {
            args.insert(args.begin(), {serverProgram.string(), "admin"});
            args.insert(args.end(), {"--config", config.string()});
            return run(args, dir, tag);
        };
        std::ofstream(dir / "token")
            << admin({"coordinator-token", "create", "--name", "bench"}, "token") << "\n";
        fs::permissions(dir / "token", fs::perms::owner_read | fs::perms::owner_write,
                        fs::perm_options::replace);
        const CoordinatorKeyPair coordinator = CoordinatorKeyPair::generate();
        coordinator.saveEncrypted(dir / "coordinator.key", kPassphrase, KdfStrength::Interactive);

        std::vector<Kiosk> kiosks(kKiosks);
        HttpClient http;
        for (int k = 0; k < kKiosks; ++k) {
            protocol::EnrollRequest request;
            request.enrollmentCode = admin({"enrollment-code", "--venue", "Harpurhey Library"},
                                           "code" + std::to_string(k));
            request.deviceName = "Bench kiosk " + std::to_string(k + 1);
            request.venue = "Harpurhey Library";
            request.nonce = protocol::parseEnrollNonce(
                                send(http, "GET", url + "/v1/devices/enroll/nonce", "", "").body)
                                .nonce;
            kiosks[k].key.sign(request);
            const HttpResponse response =
                send(http, "POST", url + "/v1/devices/enroll", "", protocol::toJson(request));
            if (response.status != 201) {
                throw std::runtime_error("enroll answered " + std::to_string(response.status));
            }
            const auto enrolled = protocol::parseEnrollResponse(response.body);
            kiosks[k].id = enrolled.deviceId;
            kiosks[k].token = enrolled.deviceToken;
        }

        std::cerr << "Filling the server with " << count << " referrals...\n";
        const auto fillStart = std::chrono::steady_clock::now();
        std::atomic<int> pushed{0};
        std::vector<std::thread> pushers;
        std::vector<std::exception_ptr> errors(kKiosks);
        for (int k = 0; k < kKiosks; ++k) {
            const int share = count / kKiosks + (k < count % kKiosks ? 1 : 0);
            const int first = k * (count / kKiosks) + std::min(k, count % kKiosks);
            pushers.emplace_back([&, k, share, first] {
                try {
                    fill(url, kiosks[k], first, share, coordinator.publicKey(), pushed);
                } catch (...) {
                    errors[k] = std::current_exception();
                }
            });
        }
        for (auto& thread : pushers) {
            thread.join();
        }
        for (const auto& error : errors) {
            if (error) {
                std::rethrow_exception(error);
            }
        }
        const double fillSeconds = millisecondsSince(fillStart) / 1000;
        std::cerr << "Filled in " << formatNumber(fillSeconds, 1) << " s ("
                  << formatNumber(count / fillSeconds, 0) << " /s).\n";

        const std::string token =
            readText(dir / "token").substr(0, readText(dir / "token").find('\n'));

        // --- Fetch-only floor: every page over HTTP, parsed; nothing else. ---
        std::vector<protocol::PulledSubmission> sample;
        Samples fetchOnly;
        for (int r = 0; r < runs; ++r) {
            HttpClientOptions options;
            options.maxResponseBytes = 192u << 20;
            HttpClient fetcher(options);
            const auto start = std::chrono::steady_clock::now();
            std::int64_t after = 0;
            std::size_t fetched = 0;
            for (;;) {
                HttpRequest request;
                request.url =
                    url + "/v1/submissions?after=" + std::to_string(after) + "&limit=1000";
                request.headers = {{"Authorization", "Bearer " + token},
                                   {"Accept-Encoding", "identity"}};
                auto result = fetcher.send(request);
                if (!result || result.value().status != 200) {
                    throw std::runtime_error("fetch failed");
                }
                protocol::SubmissionPage page = protocol::parseSubmissionPage(result.value().body);
                fetched += page.submissions.size();
                after = page.nextCursor;
                if (r == 0 && sample.size() < 10000) {
                    for (auto& item : page.submissions) {
                        sample.push_back(std::move(item));
                    }
                }
                if (!page.hasMore || page.submissions.empty()) {
                    break;
                }
            }
            fetchOnly.add(millisecondsSince(start) / 1000);
            if (fetched != static_cast<std::size_t>(count)) {
                throw std::runtime_error("fetched " + std::to_string(fetched) + ", expected " +
                                         std::to_string(count));
            }
        }

        // --- CPU per item on one core: verify + open + parse. ---
        Samples perItem;
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            std::size_t good = 0;
            for (const auto& item : sample) {
                if (protocol::verifySubmission(item.submission, item.signingPublicKey)) {
                    const SecureBytes plaintext = coordinator.open(item.submission.sealed);
                    good +=
                        parseReferral(view(plaintext)).envelope.id == item.submission.id ? 1 : 0;
                }
            }
            if (good != sample.size()) {
                throw std::runtime_error("an item did not read back");
            }
            perItem.add(millisecondsSince(start) * 1000 / static_cast<double>(sample.size()));
        }

        // --- The real thing: `signpost pull`, timed as a whole process. ---
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        std::vector<unsigned> threadCounts = {std::min(cores, 8u)};
        if (threadCounts[0] != 1) {
            threadCounts.push_back(1);
        }
        std::vector<Row> rows;
        std::uintmax_t fileBytes = 0;
        for (unsigned threads : threadCounts) {
            Samples seconds;
            for (int r = 0; r < runs; ++r) {
                const fs::path out =
                    dir / ("out-" + std::to_string(threads) + "-" + std::to_string(r));
                const std::string tag = "pull-" + std::to_string(threads) + "-" + std::to_string(r);
                const auto start = std::chrono::steady_clock::now();
                const pid_t pull =
                    spawn({pullProgram.string(), "pull", "--server", url, "--token-file",
                           (dir / "token").string(), "--key", (dir / "coordinator.key").string(),
                           "--out", out.string(), "--threads", std::to_string(threads)},
                          dir / (tag + ".out"), dir / (tag + ".err"),
                          {std::string("SIGNPOST_PASSPHRASE=") + kPassphrase});
                const int code = waitExit(pull);
                seconds.add(millisecondsSince(start) / 1000);
                const std::string err = readText(dir / (tag + ".err"));
                const std::string expected = "Pulled " + std::to_string(count) + " new referral";
                if (code != 0 || err.find(expected) == std::string::npos) {
                    throw std::runtime_error("signpost pull failed (" + std::to_string(code) +
                                             "): " + err);
                }
                const std::string file = readText(dir / (tag + ".out"));
                fileBytes = fs::file_size(file.substr(0, file.find('\n')));
                fs::remove_all(out);
            }
            const bool isDefault = threads == threadCounts[0];
            rows.push_back({"signpost pull, " + formatNumber(count, 0) + " submissions to CSV, " +
                                std::to_string(threads) + (threads == 1 ? " thread" : " threads"),
                            withUnit(seconds.median(), 2, "s"), isDefault ? "<= 10 s" : "report",
                            isDefault ? seconds.median() * 100000.0 / count <= 10.0 : true,
                            "median of " + std::to_string(runs) + ", max " +
                                withUnit(seconds.max(), 2, "s") + ", " +
                                formatNumber(count / seconds.median(), 0) + " /s"});
        }
        rows.push_back(
            {"fetch only (pages over HTTP, parsed)", withUnit(fetchOnly.median(), 2, "s"), "report",
             true, "median of " + std::to_string(runs) + "; the server's and the network's share"});
        rows.push_back({"verify + open + parse, one core", withUnit(perItem.median(), 1, "us/item"),
                        "report", true,
                        formatNumber(static_cast<double>(sample.size()), 0) + " items, median of " +
                            std::to_string(runs)});
        rows.push_back({"fill (4 kiosks pushing concurrently, not timed above)",
                        withUnit(fillSeconds, 1, "s"), "report", true,
                        formatNumber(count / fillSeconds, 0) + " submissions/s"});
        rows.push_back(
            {"CSV file size", withUnit(static_cast<double>(fileBytes) / 1e6, 1, "MB"), "report",
             true,
             formatNumber(static_cast<double>(fileBytes) / count, 0) + " bytes per referral"});
        printTable("signpost pull (" + std::to_string(cores) +
                       " cores; key derivation: Argon2id interactive)",
                   rows);
    } catch (const std::exception& error) {
        std::cerr << "pull_bench: " << error.what() << "\n";
        if (server > 0) {
            ::kill(server, SIGTERM);
            waitExit(server);
        }
        return 1;
    }
    ::kill(server, SIGTERM);
    waitExit(server);
    if (ownDir) {
        fs::remove_all(dir);
    }
    return 0;
}
