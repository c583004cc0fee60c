// Venue operations on the real signpost-kiosk under Xvfb: the systemd watchdog proof (a fake
// service manager listens on $NOTIFY_SOCKET: READY=1, then WATCHDOG=1 while frames complete, and
// none at all once the render loop is stuck), the test-only hang switch's command line, and the
// wait for a display that is not there yet (issue 13).
//
// The X runs are tagged [.] (slow; CI runs them through the "[slow suites]" ctest entry).
#include <catch2/catch.hpp>

#include <csignal>
#include <optional>
#include <thread>

#include "core/common/ids.h"
#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/staff/staff_auth.h"
#include "support/kiosk_harness.h"
#include "support/notify_listener.h"
#include "support/process.h"
#include "support/test_support.h"
#include "support/virtual_display.h"

using namespace std::chrono_literals;
using namespace signpost;
using namespace signpost::test;

TEST_CASE("the test-only hang switch takes a frame count and nothing else", "[operations_kiosk]") {
    KioskSetup setup;
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"--test-hang-after-frames"},
          {"--test-hang-after-frames", "0"},
          {"--test-hang-after-frames", "-3"},
          {"--test-hang-after-frames", "ten"},
          {"--test-hang-after-frames=5x"}}) {
        ProcessOptions options = kioskProcess(setup, bad);
        options.unsetEnv.push_back("DISPLAY");
        const ExitStatus status = runProcess(options, 60s);
        INFO(bad.back() << ": " << status.describe());
        CHECK(status.exitedWith(2));
        // With no value the command-line reader says so; a bad one, what it expects.
        const std::string err = readText(setup.dir / "kiosk.err");
        CHECK((err.find("--test-hang-after-frames expects") != std::string::npos ||
               err.find("--test-hang-after-frames needs a value") != std::string::npos));
    }
    // --help documents it as a test aid.
    ProcessOptions help = kioskProcess(setup, {"--help"});
    REQUIRE(runProcess(help, 60s).success());
    const std::string usage = readText(setup.dir / "kiosk.out");
    CHECK(usage.find("--test-hang-after-frames N") != std::string::npos);
    CHECK(usage.find("TESTS ONLY") != std::string::npos);
}

TEST_CASE("a forgotten PIN: --reset-pin clears it and its lock-out, keeps the rest of the config",
          "[operations_kiosk]") {
    KioskSetup setup;
    savePinHash(setup.config, StaffAuth::hashPin("2580"));
    // Locked out by wrong guesses.
    {
        std::filesystem::create_directories(setup.data);
        StaffAuth::writeFreshState(setup.data / "staff-lock.json",
                                   loadKioskConfig(setup.config).pinHash);
        StaffAuth auth(loadKioskConfig(setup.config).pinHash, setup.data / "staff-lock.json",
                       StaffLockOptions{2, std::chrono::minutes(5), std::chrono::hours(24)});
        auth.check("1111", std::chrono::system_clock::now());
        REQUIRE(auth.check("2222", std::chrono::system_clock::now()).outcome ==
                PinCheck::Outcome::LockedOut);
    }
    REQUIRE(std::filesystem::exists(setup.data / "staff-lock.json"));
    const std::string before = readText(setup.config);

    ProcessOptions reset = kioskProcess(setup, {"--reset-pin"});
    reset.unsetEnv.push_back("DISPLAY");  // no window is opened for this
    const ExitStatus status = runProcess(reset, 60s);
    INFO(status.describe() << readText(setup.dir / "kiosk.err"));
    REQUIRE(status.success());
    CHECK(readText(setup.dir / "kiosk.out").find("--set-pin") != std::string::npos);

    const KioskConfig after = loadKioskConfig(setup.config);
    CHECK(after.pinHash.empty());
    CHECK_FALSE(std::filesystem::exists(setup.data / "staff-lock.json"));
    StaffAuth fresh(after.pinHash, setup.data / "staff-lock.json");
    CHECK(fresh.status(std::chrono::system_clock::now()).outcome == PinCheck::Outcome::NoPinSet);
    // Only the pin_hash line changed: comments and every other key are as they were.
    std::string expected = before;
    const auto line = expected.find("pin_hash = \"$argon2id");
    REQUIRE(line != std::string::npos);
    expected.replace(line, expected.find('\n', line) - line, "pin_hash = \"\"");
    CHECK(readText(setup.config) == expected);

    // It is a step of its own.
    ProcessOptions both = kioskProcess(
        setup, {"--reset-pin", "--enroll", "http://127.0.0.1:9", "--enrollment-code", "ABCD-EFGH"});
    CHECK(runProcess(both, 60s).exitedWith(2));
}

TEST_CASE("watchdog proof: READY=1, pings while frames complete, none once the loop is stuck",
          "[operations_kiosk][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    VirtualDisplay display = windowTestDisplay(1280, 1024);

    // A fake service manager: our own datagram socket, a 600 ms watchdog (a ping due every
    // 300 ms). An idle kiosk draws a frame for each ping, so 40 frames last about 12 s.
    NotifyListener notify((setup.dir / "notify.sock").string());
    ProcessOptions options = kioskProcess(
        setup, {"--windowed", "--size", "1280x1024", "--test-hang-after-frames", "40"});
    options.env["DISPLAY"] = display.display();
    options.env["NOTIFY_SOCKET"] = notify.address();
    options.env["WATCHDOG_USEC"] = "600000";
    ChildProcess kiosk = ChildProcess::spawn(options);

    const auto ready = notify.waitFor("READY=1", 120s, kiosk.pid());
    INFO(kiosk.report());
    REQUIRE(ready);

    // Pings while frames complete: collect until a silence twice the watchdog interval long.
    std::vector<NotifyListener::Message> pings;
    const auto giveUp = std::chrono::steady_clock::now() + 90s;
    while (std::chrono::steady_clock::now() < giveUp) {
        auto ping = notify.waitFor("WATCHDOG=1", 1200ms, kiosk.pid());
        if (!ping) {
            break;
        }
        pings.push_back(*ping);
    }
    INFO(kiosk.report());
    REQUIRE(pings.size() >= 5);  // fed while frames completed
    for (std::size_t i = 1; i < pings.size(); ++i) {
        CHECK(pings[i].receivedAt - pings[i - 1].receivedAt < 600ms);  // never let it expire
    }
    CHECK(pings.front().receivedAt >= ready->receivedAt);

    // Stuck: the process is alive, but for several watchdog intervals nothing arrives — a real
    // service manager would now kill and restart it.
    REQUIRE(kiosk.running());
    notify.drain();
    CHECK_FALSE(notify.waitFor("WATCHDOG=1", 3s, kiosk.pid()));
    CHECK(kiosk.running());
    CHECK(readText(setup.dir / "kiosk.err").find("TEST ONLY: frame loop hung after 40 frames") !=
          std::string::npos);

    // SIGTERM still ends it (the hang switch keeps clean-up polite), saying STOPPING=1.
    const ExitStatus status = kiosk.stop(10s);
    CHECK(status.success());
    CHECK(notify.waitFor("STOPPING=1", 2s));
}

TEST_CASE("without the switch an idle kiosk never stops feeding the watchdog",
          "[operations_kiosk][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    VirtualDisplay display = windowTestDisplay();
    NotifyListener notify((setup.dir / "notify.sock").string());
    ProcessOptions options = kioskProcess(setup, {"--windowed", "--size", "1024x768"});
    options.env["DISPLAY"] = display.display();
    options.env["NOTIFY_SOCKET"] = notify.address();
    options.env["WATCHDOG_USEC"] = "600000";
    ChildProcess kiosk = ChildProcess::spawn(options);
    INFO(kiosk.report());
    REQUIRE(notify.waitFor("READY=1", 120s, kiosk.pid()));
    // Longer than the hang run above takes to go quiet: every gap stays under the interval.
    auto last = std::chrono::steady_clock::now();
    const auto until = last + 15s;
    int pings = 0;
    while (std::chrono::steady_clock::now() < until) {
        auto ping = notify.waitFor("WATCHDOG=1", 1200ms, kiosk.pid());
        REQUIRE(ping);
        CHECK(ping->receivedAt - last < 1200ms);
        last = ping->receivedAt;
        ++pings;
    }
    CHECK(pings >= 25);
    CHECK(kiosk.stop(10s).success());
}

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

// The next STATUS= message starting with `prefix`, from `pid`, within `timeout`.
std::optional<NotifyListener::Message> waitForStatus(NotifyListener& notify,
                                                     const std::string& prefix,
                                                     std::chrono::milliseconds timeout, pid_t pid) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (auto left = timeout; left.count() > 0;
         left = std::chrono::duration_cast<std::chrono::milliseconds>(
             until - std::chrono::steady_clock::now())) {
        auto message = notify.receive(left);
        if (message && message->senderPid == pid &&
            message->text.rfind("STATUS=" + prefix, 0) == 0) {
            return message;
        }
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("issue 13: with no display yet the kiosk waits quietly and stops cleanly when asked",
          "[operations_kiosk]") {
    // No X server on this number: before issue 13 the kiosk exited 1 at once, and under the
    // unit that meant a failed start and a restart every two minutes, forever.
    KioskSetup setup;
    NotifyListener notify((setup.dir / "notify.sock").string());
    const std::string display = ":" + std::to_string(VirtualDisplay::freeDisplayNumber());
    ProcessOptions options = kioskProcess(setup, {"--windowed", "--size", "1024x768"});
    options.env["DISPLAY"] = display;
    options.env["NOTIFY_SOCKET"] = notify.address();
    ChildProcess kiosk = ChildProcess::spawn(options);
    INFO(kiosk.report());
    REQUIRE(waitForStatus(notify, "Waiting for display " + display + " since ", 60s, kiosk.pid()));
    CHECK(notify.waitFor("EXTEND_TIMEOUT_USEC=60000000", 5s, kiosk.pid()));
    std::this_thread::sleep_for(3s);
    CHECK(kiosk.running());
    const ExitStatus status = kiosk.stop(10s);
    CHECK(status.success());  // SIGTERM while waiting: exit 0, nothing for systemd to restart
    const std::string err = readText(setup.dir / "kiosk.err");
    CHECK(occurrences(err, "display " + display + " is not available yet") == 1);
    CHECK(err.find("cannot open the display") == std::string::npos);
}

TEST_CASE("issue 13: the kiosk waiting for its display starts as soon as the display appears",
          "[operations_kiosk][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    NotifyListener notify((setup.dir / "notify.sock").string());
    VirtualDisplayOptions displayOptions;
    displayOptions.number = VirtualDisplay::freeDisplayNumber();
    displayOptions.width = 1024;
    displayOptions.height = 768;
    const std::string display = ":" + std::to_string(displayOptions.number);
    ProcessOptions options = kioskProcess(setup, {"--windowed", "--size", "1024x768"});
    options.env["DISPLAY"] = display;
    options.env["NOTIFY_SOCKET"] = notify.address();
    ChildProcess kiosk = ChildProcess::spawn(options);
    INFO(kiosk.report());
    REQUIRE(waitForStatus(notify, "Waiting for display " + display, 60s, kiosk.pid()));
    std::this_thread::sleep_for(3s);  // a few probes fail first
    REQUIRE(kiosk.running());

    VirtualDisplay xvfb = windowTestDisplay(displayOptions);
    REQUIRE(xvfb.display() == display);
    CHECK(notify.waitFor("READY=1", 120s, kiosk.pid()));
    const std::string err = readText(setup.dir / "kiosk.err");
    CHECK(occurrences(err, "display " + display + " is not available yet") == 1);
    CHECK(err.find("display " + display + " is available after") != std::string::npos);
    CHECK(kiosk.stop(10s).success());
}

TEST_CASE("issue 13: --count-unsent answers the package's removal scripts from the kiosk itself",
          "[operations_kiosk]") {
    KioskSetup setup;
    std::filesystem::create_directories(setup.data);
    auto count = [&](const std::vector<std::string>& extra) {
        ProcessOptions options = kioskProcess(setup, extra);
        options.unsetEnv.push_back("DISPLAY");  // no window is opened for this
        const ExitStatus status = runProcess(options, 60s);
        return std::make_pair(status, readText(setup.dir / "kiosk.out"));
    };
    SECTION("an empty data directory: 0") {
        const auto [status, out] = count({"--count-unsent"});
        CHECK(status.success());
        CHECK(out == "0\n");
    }
    SECTION("two unsent referrals: 2, without reading the config when --data-dir is given") {
        {
            Outbox outbox((setup.data / "outbox.db").string());
            for (int n = 0; n < 3; ++n) {
                NewOutboxItem item;
                item.id = uuidV4();
                item.reference = "MCR-AAA" + std::to_string(n);
                item.createdAt = "2026-11-23T14:03:07Z";
                item.formVersion = "2026.11";
                item.venue = "Chorlton Library";
                item.neighbourhood = "Chorlton";
                item.sealed.assign(64, 1);
                outbox.enqueue(item);
            }
            outbox.database().exec("UPDATE outbox SET status = 'sent' WHERE seq = 1");
        }
        writeText(setup.config, "this is = not [ toml");
        const auto [status, out] = count({"--count-unsent"});
        INFO(readText(setup.dir / "kiosk.err"));
        CHECK(status.success());
        CHECK(out == "2\n");
    }
    SECTION("an outbox that cannot be read: exit 1 and no number") {
        writeText(setup.data / "outbox.db", std::string(8192, 'x'));
        const auto [status, out] = count({"--count-unsent"});
        CHECK(status.exitedWith(1));
        CHECK(out.empty());
        CHECK(readText(setup.dir / "kiosk.err").find("cannot count the unsent referrals") !=
              std::string::npos);
    }
    SECTION("--count-unsent takes no value") {
        const auto [status, out] = count({"--count-unsent=3"});
        CHECK(status.exitedWith(2));
    }
}

TEST_CASE("issue 9: --set-pin takes the PIN from standard input, never the command line",
          "[operations_kiosk]") {
    KioskSetup setup;
    const auto run = [&](const std::vector<std::string>& args, const std::string& input) {
        writeText(setup.dir / "pin.in", input);
        ProcessOptions options = kioskProcess(setup, args);
        options.unsetEnv.push_back("DISPLAY");  // no window for this
        options.stdinFile = setup.dir / "pin.in";
        return runProcess(options, 60s);
    };
    // On the command line it is refused outright, and nothing changes.
    const std::string before = readText(setup.config);
    CHECK(run({"--set-pin=258046"}, "").exitedWith(2));
    CHECK(readText(setup.dir / "kiosk.err").find("reads the PIN from standard input") !=
          std::string::npos);
    CHECK(run({"--set-pin", "258046"}, "").exitedWith(2));
    // Too easy, or nothing given: refused, nothing changed.
    CHECK(run({"--set-pin"}, "1234\n").exitedWith(2));
    CHECK(readText(setup.dir / "kiosk.err").find("not a straight run") != std::string::npos);
    CHECK(run({"--set-pin"}, "").exitedWith(2));
    CHECK(readText(setup.config) == before);
    CHECK_FALSE(std::filesystem::exists(setup.data / "staff-lock.json"));

    // Locked out by guesses first, to see --set-pin end the lock-out.
    std::filesystem::create_directories(setup.data);
    const std::string old = StaffAuth::hashPin("2580");
    savePinHash(setup.config, old);
    StaffAuth::writeFreshState(setup.data / "staff-lock.json", old);
    {
        StaffAuth auth(old, setup.data / "staff-lock.json");
        for (int i = 0; i < 5; ++i) {
            (void)auth.check("1111", std::chrono::system_clock::now());
        }
        REQUIRE(auth.status(std::chrono::system_clock::now()).outcome ==
                PinCheck::Outcome::LockedOut);
    }
    const ExitStatus status = run({"--set-pin"}, "731946\n");
    INFO(status.describe() << readText(setup.dir / "kiosk.err"));
    REQUIRE(status.success());
    CHECK(readText(setup.dir / "kiosk.out").find("Restart the kiosk") != std::string::npos);
    // Only the hash is stored, in kiosk.toml; the PIN itself is in no file and no argument.
    const KioskConfig after = loadKioskConfig(setup.config);
    CHECK(after.pinHash.rfind("$argon2id$", 0) == 0);
    CHECK(readText(setup.config).find("731946") == std::string::npos);
    CHECK(readText(setup.data / "staff-lock.json").find("731946") == std::string::npos);
    StaffAuth auth(after.pinHash, setup.data / "staff-lock.json");
    CHECK(auth.status(std::chrono::system_clock::now()).outcome == PinCheck::Outcome::Ready);
    CHECK(auth.check("731946", std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Accepted);
}
