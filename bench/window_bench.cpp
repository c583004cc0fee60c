// window_bench: the kiosk's window figures against the floor of a bare GLFW + ImGui window.
//
// Under its own Xvfb (1920x1080), N runs (default 9, at least 7) each of bare_window and
// signpost-kiosk (a 10k-service synthetic directory imported into its data dir once, before any
// timing), alternating which goes first. Each run measures:
//   - cold start to first frame: spawn → "READY=1" on a NOTIFY_SOCKET this benchmark listens on
//     (both programs send it after their first buffer swap);
//   - CPU while idle on the first screen over 10 s: utime+stime from /proc/<pid>/stat, sampled
//     after a 2 s settle (resolution: one clock tick, 10 ms, i.e. 0.1 % over 10 s);
//   - peak RSS: VmHWM from /proc/<pid>/status at the end of the idle period.
// It prints medians for both and the kiosk-minus-bare differences against the targets
// (start ≤ 100 ms, idle CPU ≤ 0.5 % of a core, RSS ≤ 40 MB). Then 3 more kiosk runs, each walked
// by signpost-e2e-driver through every resident screen in Chinese, Urdu and Bengali
// (tests/e2e/language_tour.walk, every language available): peak RSS after that, minus the bare
// window's, against ≤ 60 MB (issue 10). Build it in Release:
//   cmake --preset release && cmake --build --preset release -j2 &&
//   build-release/bench/window_bench
// Options: --runs N (≥ 7), --idle-seconds S (default 10).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "core/common/log.h"
#include "core/common/time_zone.h"
#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/directory/directory_store.h"
#include "core/referral/sealing.h"
#include "fixtures/synthetic_directory.h"
#include "support/notify_listener.h"
#include "support/process.h"
#include "support/virtual_display.h"

namespace {

using namespace signpost;
using namespace signpost::bench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct RunFigures {
    double startMs = 0;
    double idleCpuPercent = 0;
    double peakRssMb = 0;
    std::string breakdown;  // the kiosk's own start-up log line, when it wrote one
    std::string rssSplit;   // smaps_rollup at the end of the idle period (rssSplit())
};

std::string rssSplit(pid_t pid);

// The kiosk logs where its start-up time went ("first frame shown ... (runtime ..., window ...)").
std::string startupLine(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        if (const auto at = line.find("first frame shown"); at != std::string::npos) {
            return line.substr(at);
        }
    }
    return {};
}

struct Program {
    std::string name;
    std::filesystem::path path;
    std::vector<std::string> args;
    std::vector<RunFigures> runs;
};

// utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the command
// name in field 2 may contain spaces, so counting starts after its closing parenthesis).
long long cpuTicks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(in, text);  // one line
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
    }
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long long utime = 0;
    long long stime = 0;
    for (int index = 3; fields >> field; ++index) {
        if (index == 14) {
            utime = std::stoll(field);
        } else if (index == 15) {
            stime = std::stoll(field);
            break;
        }
    }
    return utime + stime;
}

double peakRssMb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;  // kB
        }
    }
    throw std::runtime_error("no VmHWM for pid " + std::to_string(pid));
}

RunFigures measure(const Program& program, const test::VirtualDisplay& display,
                   const std::filesystem::path& workDir, int run, std::chrono::seconds idle) {
    test::NotifyListener notify(
        (workDir / ("notify-" + program.name + "-" + std::to_string(run))).string());
    test::ProcessOptions options;
    options.program = program.path;
    options.args = program.args;
    options.env["DISPLAY"] = display.display();
    options.env["NOTIFY_SOCKET"] = notify.address();
    options.unsetEnv = {"WATCHDOG_USEC", "WATCHDOG_PID"};
    options.stderrFile = workDir / (program.name + ".log");
    options.stdoutFile = options.stderrFile;

    const auto spawned = Clock::now();
    test::ChildProcess child = test::ChildProcess::spawn(options);
    auto ready = notify.waitFor("READY=1", 120s, child.pid());
    if (!ready) {
        throw std::runtime_error(program.name + " sent no READY=1: " + child.report());
    }
    RunFigures figures;
    figures.startMs =
        std::chrono::duration<double, std::milli>(ready->receivedAt - spawned).count();

    std::this_thread::sleep_for(2s);  // let the first frames and any start-up work finish
    const long long before = cpuTicks(child.pid());
    const auto idleStart = Clock::now();
    std::this_thread::sleep_for(idle);
    const long long after = cpuTicks(child.pid());
    const double seconds = std::chrono::duration<double>(Clock::now() - idleStart).count();
    const double ticksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));
    figures.idleCpuPercent = static_cast<double>(after - before) / ticksPerSecond / seconds * 100.0;
    figures.peakRssMb = peakRssMb(child.pid());
    figures.rssSplit = rssSplit(child.pid());
    if (!child.running()) {
        throw std::runtime_error(program.name + " exited during the run: " + child.report());
    }
    child.stop(5s);
    figures.breakdown = startupLine(options.stderrFile);
    return figures;
}

// Where the memory is now: "Rss_Anon: 12 MB, Rss_File: 30 MB" from /proc/<pid>/smaps_rollup
// (file-backed pages are mapped fonts and libraries; anonymous ones the heap, atlas, caches).
std::string rssSplit(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    std::string result;
    while (std::getline(in, line)) {
        for (const char* field : {"Rss:", "Anonymous:", "Pss_File:", "Pss_Anon:"}) {
            if (line.rfind(field, 0) == 0) {
                const double kb = std::strtod(line.c_str() + std::strlen(field), nullptr);
                char text[64];
                std::snprintf(text, sizeof text, "%s%s %.1f MB", result.empty() ? "" : ", ", field,
                              kb / 1024);
                result += text;
            }
        }
    }
    return result;
}

// The kiosk walked through every screen in three languages by the e2e driver; its VmHWM after.
double tourPeakRssMb(const Program& kiosk, const test::VirtualDisplay& display,
                     const std::filesystem::path& workDir, int run) {
    const std::filesystem::path map = workDir / ("tour-map-" + std::to_string(run) + ".json");
    test::NotifyListener notify((workDir / ("notify-tour-" + std::to_string(run))).string());
    test::ProcessOptions options;
    options.program = kiosk.path;
    options.args = kiosk.args;
    options.args.insert(options.args.end(), {"--ui-map", map.string()});
    options.env["DISPLAY"] = display.display();
    options.env["NOTIFY_SOCKET"] = notify.address();
    options.unsetEnv = {"WATCHDOG_USEC", "WATCHDOG_PID"};
    options.stderrFile = workDir / "kiosk-tour.log";
    options.stdoutFile = options.stderrFile;
    test::ChildProcess child = test::ChildProcess::spawn(options);
    if (!notify.waitFor("READY=1", 120s, child.pid())) {
        throw std::runtime_error("the kiosk sent no READY=1: " + child.report());
    }
    test::ProcessOptions walk;
    walk.program = std::filesystem::path(SIGNPOST_BINARY_DIR) / "tests" / "signpost-e2e-driver";
    walk.args = {
        "--ui-map",
        map.string(),
        "--script",
        (std::filesystem::path(SIGNPOST_SOURCE_DIR) / "tests" / "e2e" / "language_tour.walk")
            .string(),
        "--screenshots",
        (workDir / "tour-shots").string(),
        "--display",
        display.display()};
    walk.stdoutFile = workDir / "tour-walk.log";
    walk.stderrFile = walk.stdoutFile;
    std::filesystem::create_directories(workDir / "tour-shots");
    const auto walked = test::runProcess(walk, 600s);
    if (!walked.success()) {
        throw std::runtime_error("the language tour failed; see " + walk.stdoutFile.string());
    }
    std::this_thread::sleep_for(1s);
    const double rss = peakRssMb(child.pid());
    std::printf("      after the tour: %s\n", rssSplit(child.pid()).c_str());
    child.stop(5s);
    return rss;
}

Samples collect(const std::vector<RunFigures>& runs, double RunFigures::*field) {
    Samples samples;
    for (const auto& run : runs) {
        samples.add(run.*field);
    }
    return samples;
}

// Sets up the kiosk's data dir with a fresh key and a pre-imported 10k-service directory.
void prepareKiosk(const std::filesystem::path& workDir, std::filesystem::path& config,
                  std::filesystem::path& data) {
    config = workDir / "kiosk.toml";
    data = workDir / "data";
    std::filesystem::create_directories(data);
    const CoordinatorKeyPair key = CoordinatorKeyPair::generate();
    TomlDocument document = TomlDocument::parse(exampleKioskConfig(), "kiosk.toml");
    document.set("referral", "coordinator_public_key", key.publicKey().toBase64());
    std::ofstream(config) << document.toString();

    const auto importStart = Clock::now();
    const TimeZone zone = TimeZone::load("Europe/London");
    SyntheticDirectoryOptions synthetic;
    synthetic.services = 10000;
    DirectoryStore store((data / "directory.db").string(), zone);
    store.replaceAll(generateSyntheticDirectory(synthetic), "synthetic-10k");
    std::printf("imported 10k synthetic services in %.1f s (not timed below)\n",
                std::chrono::duration<double>(Clock::now() - importStart).count());
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 9;
    int idleSeconds = 10;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            runs = std::max(7, std::atoi(argv[++i]));
        } else if (arg == "--idle-seconds" && i + 1 < argc) {
            idleSeconds = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: window_bench [--runs N (>= 7)] [--idle-seconds S]\n");
            return 2;
        }
    }
    setLogToStderr(false);
    try {
        const std::filesystem::path workDir = std::filesystem::path(SIGNPOST_BINARY_DIR) /
                                              "bench-tmp" /
                                              ("window-" + std::to_string(::getpid()));
        std::filesystem::remove_all(workDir);
        std::filesystem::create_directories(workDir);
        std::filesystem::path config;
        std::filesystem::path data;
        prepareKiosk(workDir, config, data);

        test::VirtualDisplayOptions displayOptions;
        displayOptions.logFile = workDir / "xvfb.log";
        test::VirtualDisplay display = test::VirtualDisplay::start(displayOptions);
        std::printf("Xvfb on %s, 1920x1080; %d runs each, %d s idle\n", display.display().c_str(),
                    runs, idleSeconds);

        const std::vector<std::string> windowArgs = {"--windowed", "--size", "1920x1080"};
        Program bare{"bare_window", SIGNPOST_BARE_WINDOW_PATH, windowArgs, {}};
        Program kiosk{"signpost-kiosk", SIGNPOST_KIOSK_PATH, windowArgs, {}};
        kiosk.args.insert(kiosk.args.begin(),
                          {"--config", config.string(), "--data-dir", data.string()});

        for (int run = 0; run < runs; ++run) {
            // Alternate the order so neither program always runs on a warmer cache.
            Program& first = run % 2 == 0 ? bare : kiosk;
            Program& second = run % 2 == 0 ? kiosk : bare;
            for (Program* program : {&first, &second}) {
                program->runs.push_back(
                    measure(*program, display, workDir, run, std::chrono::seconds(idleSeconds)));
                const RunFigures& f = program->runs.back();
                std::printf("run %d %-15s start %7.1f ms  idle CPU %5.2f %%  peak RSS %6.1f MB\n",
                            run + 1, program->name.c_str(), f.startMs, f.idleCpuPercent,
                            f.peakRssMb);
                if (!f.breakdown.empty()) {
                    std::printf("      %s\n", f.breakdown.c_str());
                }
                std::printf("      memory now: %s\n", f.rssSplit.c_str());
                std::fflush(stdout);
            }
        }

        const Samples bareStart = collect(bare.runs, &RunFigures::startMs);
        const Samples kioskStart = collect(kiosk.runs, &RunFigures::startMs);
        const Samples bareCpu = collect(bare.runs, &RunFigures::idleCpuPercent);
        const Samples kioskCpu = collect(kiosk.runs, &RunFigures::idleCpuPercent);
        const Samples bareRss = collect(bare.runs, &RunFigures::peakRssMb);
        const Samples kioskRss = collect(kiosk.runs, &RunFigures::peakRssMb);

        Samples tour;
        for (int run = 0; run < 3; ++run) {
            const double rss = tourPeakRssMb(kiosk, display, workDir, run);
            tour.add(rss);
            std::printf(
                "tour %d signpost-kiosk peak RSS after every screen in zh-Hans, ur, bn: %6.1f MB\n",
                run + 1, rss);
            std::fflush(stdout);
        }
        const double tourDiff = tour.median() - collect(bare.runs, &RunFigures::peakRssMb).median();

        const double startDiff = kioskStart.median() - bareStart.median();
        const double rssDiff = kioskRss.median() - bareRss.median();
        const std::string n = std::to_string(runs) + " runs each";
        printTable(
            "Kiosk window vs bare GLFW + ImGui window (Xvfb 1920x1080, 10k services, medians)",
            {
                {"cold start to first frame, kiosk minus bare", withUnit(startDiff, 1, "ms"),
                 "<= 100 ms", startDiff <= 100.0,
                 "kiosk " + withUnit(kioskStart.median(), 1, "ms") + ", bare " +
                     withUnit(bareStart.median(), 1, "ms") + "; kiosk min/max " +
                     formatNumber(kioskStart.min(), 0) + "/" + withUnit(kioskStart.max(), 0, "ms")},
                {"CPU while idle on the home screen, " + std::to_string(idleSeconds) + " s",
                 withUnit(kioskCpu.median(), 2, "% of a core"), "<= 0.5 %",
                 kioskCpu.median() <= 0.5,
                 "bare " + withUnit(bareCpu.median(), 2, "%") + "; kiosk max " +
                     withUnit(kioskCpu.max(), 2, "%")},
                {"peak RSS, kiosk minus bare", withUnit(rssDiff, 1, "MB"), "<= 40 MB",
                 rssDiff <= 40.0,
                 "kiosk " + withUnit(kioskRss.median(), 1, "MB") + ", bare " +
                     withUnit(bareRss.median(), 1, "MB") + " (VmHWM), " + n},
                {"peak RSS after every screen in Chinese, Urdu, Bengali, minus bare",
                 withUnit(tourDiff, 1, "MB"), "<= 60 MB", tourDiff <= 60.0,
                 "kiosk " + withUnit(tour.median(), 1, "MB") +
                     " (VmHWM, median of 3 tours, all 13 languages available)"},
            });
        std::filesystem::remove_all(workDir);
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "window_bench: %s\n", error.what());
        return 1;
    }
}
