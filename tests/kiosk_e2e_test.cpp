// The real signpost-kiosk, end to end: its command line and start-up failures (no display needed),
// and, under Xvfb, a resident's whole self-referral driven with real X input events
// (tests/e2e/signpost-e2e-driver), checked by decrypting what the kiosk stored. Screenshots of
// every screen are kept in <build>/test-artifacts/e2e/ as artifacts.
//
// The X runs are tagged [.] (slow; CI runs them through the "[slow suites]" ctest entry). They
// always start their own Xvfb of the size they need (windowTestDisplay), whatever $DISPLAY says.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>

#include "core/config/kiosk_config.h"
#include "core/config/toml.h"
#include "core/referral/outbox.h"
#include "core/referral/referral_codec.h"
#include "core/referral/sealing.h"
#include "core/referral/validation.h"
#include "core/staff/staff_auth.h"
#include "e2e/walk_script.h"
#include "e2e/x_screen.h"
#include "support/kiosk_harness.h"
#include "support/notify_listener.h"
#include "support/process.h"
#include "support/test_support.h"
#include "support/virtual_display.h"

using namespace std::chrono_literals;
using namespace signpost;
using namespace signpost::test;

namespace {

std::filesystem::path artifactsDir(const std::string& run) {
    auto dir = binaryDir() / "test-artifacts" / "e2e" / run;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

ExitStatus runKiosk(const KioskSetup& setup, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}) {
    ProcessOptions options = kioskProcess(setup, {});
    options.args = args;
    options.env = env;
    options.unsetEnv.push_back("DISPLAY");  // proves these paths never try to open a window
    options.unsetEnv.push_back("WAYLAND_DISPLAY");
    return runProcess(options, 60s);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        result.push_back(text.substr(start, end - start));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return result;
}

// A kiosk on `display`, up and showing its first frame (READY=1 on our notify socket).
struct RunningKiosk {
    NotifyListener notify;
    ChildProcess process;

    RunningKiosk(const KioskSetup& setup, const VirtualDisplay& display, int width, int height,
                 std::map<std::string, std::string> env = {})
        : notify((setup.dir / "notify.sock").string()) {
        ProcessOptions options = kioskProcess(
            setup, {"--windowed", "--size", std::to_string(width) + "x" + std::to_string(height),
                    "--ui-map", setup.uiMap.string()});
        options.unsetEnv = {"WATCHDOG_USEC", "WATCHDOG_PID"};
        options.env = std::move(env);
        options.env["DISPLAY"] = display.display();
        options.env["NOTIFY_SOCKET"] = notify.address();
        process = ChildProcess::spawn(options);
        auto ready = notify.waitFor("READY=1", 120s, process.pid());
        INFO(process.report());
        REQUIRE(ready);
        REQUIRE(process.running());
    }
};

ExitStatus runDriver(const KioskSetup& setup, const VirtualDisplay& display,
                     const std::string& script, const std::filesystem::path& screenshots) {
    ProcessOptions options;
    options.program = builtProgram("signpost-e2e-driver");
    options.args = {"--ui-map",      setup.uiMap.string(),
                    "--script",      (std::filesystem::path(SIGNPOST_E2E_DIR) / script).string(),
                    "--screenshots", screenshots.string(),
                    "--display",     display.display()};
    options.stdoutFile = screenshots / "driver.log";
    options.stderrFile = screenshots / "driver.log";
    return runProcess(options, 600s);
}

// The kiosk's log and last UI map, next to the screenshots (the temp dir goes away).
void keepArtifacts(const KioskSetup& setup, const std::filesystem::path& artifacts) {
    for (const auto& [from, to] :
         {std::pair{setup.dir / "kiosk.err", "kiosk.log"}, std::pair{setup.uiMap, "ui-map.json"}}) {
        std::error_code ignored;
        std::filesystem::copy_file(from, artifacts / to,
                                   std::filesystem::copy_options::overwrite_existing, ignored);
    }
}

// Walks `script` on the kiosk running on `display` with the e2e driver and REQUIREs that it got
// to the end; the kiosk's log and UI map are kept next to the screenshots either way.
void walk(const KioskSetup& setup, const VirtualDisplay& display, const std::string& script,
          const std::filesystem::path& artifacts, const ChildProcess& kiosk) {
    const ExitStatus walked = runDriver(setup, display, script, artifacts);
    keepArtifacts(setup, artifacts);
    INFO("driver: " << walked.describe() << "\n" << readText(artifacts / "driver.log"));
    INFO(kiosk.report());
    REQUIRE(walked.success());
}

}  // namespace

TEST_CASE("signpost-kiosk answers --help and --version without a display", "[kiosk_e2e]") {
    KioskSetup setup;
    auto status = runKiosk(setup, {"--help"});
    CHECK(status.success());
    const std::string help = readText(setup.dir / "kiosk.out");
    CHECK(help.find("Usage: signpost-kiosk") != std::string::npos);
    for (const char* flag :
         {"--config", "--data-dir", "--windowed", "--size", "--ui-map", "--version"}) {
        CHECK(help.find(flag) != std::string::npos);
    }
    CHECK(help.find("75") != std::string::npos);  // documents the restart exit code

    status = runKiosk(setup, {"--version"});
    CHECK(status.success());
    CHECK(readText(setup.dir / "kiosk.out") ==
          std::string("signpost-kiosk ") + SIGNPOST_VERSION + "\n");
}

TEST_CASE("bad command lines print the usage and exit 2", "[kiosk_e2e]") {
    KioskSetup setup;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--fullscreen"}, "unknown option --fullscreen"},
        {{"stray"}, "unexpected argument 'stray'"},
        {{"--config"}, "--config needs a value"},
        {{"--size", "big"}, "--size expects WIDTHxHEIGHT"},
        {{"--size", "1920x"}, "--size expects WIDTHxHEIGHT"},
        {{"--size", "100x100"}, "--size expects WIDTHxHEIGHT"},
        {{"--size=1920x1080x2"}, "--size expects WIDTHxHEIGHT"},
        {{"--windowed=yes"}, "--windowed takes no value"},
    };
    for (const auto& [args, message] : cases) {
        INFO(args.front());
        const auto status = runKiosk(setup, args);
        CHECK(status.exitedWith(2));
        const std::string err = readText(setup.dir / "kiosk.err");
        CHECK(err.find(message) != std::string::npos);
        CHECK(err.find("Usage: signpost-kiosk") != std::string::npos);
    }
}

TEST_CASE("a bad config stops the kiosk with one line and exit 78 before any window",
          "[kiosk_e2e]") {
    KioskSetup setup;
    SECTION("a bad value names file, line and key") {
        TomlDocument document = TomlDocument::parse(readText(setup.config), "kiosk.toml");
        document.set("kiosk", "idle_timeout", std::string("ninety"));
        writeText(setup.config, document.toString());
        const int line = document.find("kiosk", "idle_timeout")->line;
        // No DISPLAY: had it tried to open a window it would fail with 1, not 78.
        const auto status =
            runKiosk(setup, {"--config", setup.config.string(), "--data-dir", setup.data.string()});
        CHECK(status.exitedWith(78));
        const auto err = lines(readText(setup.dir / "kiosk.err"));
        REQUIRE(err.size() == 1);
        CHECK(err[0].find("kiosk.toml:" + std::to_string(line) + ":") != std::string::npos);
        CHECK(err[0].find("kiosk.idle_timeout") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(setup.data / "outbox.db"));  // nothing was touched
    }
    SECTION("a missing config file") {
        const auto status = runKiosk(setup, {"--config", (setup.dir / "missing.toml").string(),
                                             "--data-dir", setup.data.string()});
        CHECK(status.exitedWith(78));
        const auto err = lines(readText(setup.dir / "kiosk.err"));
        REQUIRE(err.size() == 1);
        CHECK(err[0].find("missing.toml") != std::string::npos);
    }
    SECTION("the shipped example, with no coordinator key pasted in") {
        writeText(setup.config, exampleKioskConfig());
        const auto status =
            runKiosk(setup, {"--config", setup.config.string(), "--data-dir", setup.data.string()});
        CHECK(status.exitedWith(78));
        CHECK(readText(setup.dir / "kiosk.err").find("coordinator_public_key") !=
              std::string::npos);
    }
}

TEST_CASE(
    "issue 13: a window test gets its own 1920x1080 Xvfb even when $DISPLAY names another screen",
    "[kiosk_e2e]") {
    if (!VirtualDisplay::xvfbAvailable()) {
        WARN("Xvfb is not installed; skipped");
        return;
    }
    // What xvfb-run gives a whole ctest run: a 1280x1024 screen in $DISPLAY.
    VirtualDisplayOptions xvfbRun;
    xvfbRun.width = 1280;
    xvfbRun.height = 1024;
    VirtualDisplay ambient = VirtualDisplay::start(xvfbRun);
    const char* before = std::getenv("DISPLAY");
    const std::string saved = before != nullptr ? before : "";
    ::setenv("DISPLAY", ambient.display().c_str(), 1);
    VirtualDisplay own = windowTestDisplay();
    if (before != nullptr) {
        ::setenv("DISPLAY", saved.c_str(), 1);
    } else {
        ::unsetenv("DISPLAY");
    }
    CHECK(own.ownsServer());
    CHECK(own.display() != ambient.display());
    const auto size = e2e::screenSize(own.display());
    REQUIRE(size);
    CHECK(size->first == 1920);
    CHECK(size->second == 1080);
}

TEST_CASE("with no display the kiosk says so and exits 1", "[kiosk_e2e]") {
    KioskSetup setup;
    const auto status = runKiosk(setup, {"--config", setup.config.string(), "--data-dir",
                                         setup.data.string(), "--windowed"});
    CHECK(status.exitedWith(1));
    CHECK(readText(setup.dir / "kiosk.err").find("cannot open the display") != std::string::npos);
}

TEST_CASE("a resident self-refers on the real kiosk with real input events", "[kiosk_e2e][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    const auto artifacts = artifactsDir("landscape");
    VirtualDisplay display = windowTestDisplay(1920, 1080, artifacts / "xvfb.log");
    RunningKiosk kiosk(setup, display, 1920, 1080);
    walk(setup, display, "self_referral.walk", artifacts, kiosk.process);
    CHECK(std::filesystem::exists(artifacts / "01-home.png"));
    CHECK(std::filesystem::exists(artifacts / "12-referral-done.png"));

    // SIGTERM is the service manager's stop: a clean exit 0, STOPPING=1 on the way out. (We did
    // not read the STATUS messages sent during the walk; make room for STOPPING=1 first.)
    kiosk.notify.drain();
    CHECK(kiosk.notify.history().size() >= 2);  // READY=1, then STATUS=showing ... per screen
    const auto stopped = kiosk.process.stop(10s);
    INFO(kiosk.process.report());
    CHECK(stopped.success());
    CHECK(kiosk.notify.waitFor("STOPPING=1", 2s));
    keepArtifacts(setup, artifacts);

    // Exactly one referral, sealed: only the coordinators' key opens it, and it holds what was
    // typed.
    Outbox outbox((setup.data / "outbox.db").string());
    const auto items = outbox.allItems();
    REQUIRE(items.size() == 1);
    CHECK(items[0].status == OutboxStatus::Queued);
    CHECK_FALSE(items[0].serviceId.empty());
    const SecureBytes plain = setup.key.open(items[0].sealed);
    const DecodedReferral referral = parseReferral(view(plain));
    const auto steps =
        e2e::loadWalkScript(std::filesystem::path(SIGNPOST_E2E_DIR) / "self_referral.walk");
    CHECK(referral.kind == "service");
    CHECK(referral.serviceId == items[0].serviceId);
    CHECK(referral.name == e2e::typedInto(steps, "referral.name"));
    CHECK(referral.phone ==
          normaliseUkPhone(e2e::typedInto(steps, "referral.phone")).value_or("?"));
    CHECK(referral.email == e2e::typedInto(steps, "referral.email"));
    CHECK(referral.bestTime == "morning");
    CHECK(referral.safeToLeaveMessage == "yes");
    CHECK(referral.consentGiven);
    CHECK(referral.envelope.reference == items[0].reference);
    // What the sealed box hides must not be lying next to it in the clear.
    const std::string database = readText(setup.data / "outbox.db");
    CHECK(database.find(e2e::typedInto(steps, "referral.name")) == std::string::npos);
    CHECK(database.find(e2e::typedInto(steps, "referral.email")) == std::string::npos);
}

TEST_CASE("an Arabic-speaking resident self-refers on the real kiosk, right to left",
          "[kiosk_e2e][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    {
        TomlDocument document = TomlDocument::parse(readText(setup.config), "kiosk.toml");
        document.set("kiosk", "default_language", "ar");
        writeText(setup.config, document.toString());
    }
    const auto artifacts = artifactsDir("arabic");
    VirtualDisplay display = windowTestDisplay(1920, 1080, artifacts / "xvfb.log");
    RunningKiosk kiosk(setup, display, 1920, 1080);
    walk(setup, display, "self_referral_ar.walk", artifacts, kiosk.process);
    const auto map = nlohmann::json::parse(readText(setup.uiMap));
    CHECK(map["screen"] == "referral.done");

    Outbox outbox((setup.data / "outbox.db").string());
    const auto items = outbox.allItems();
    REQUIRE(items.size() == 1);
    const SecureBytes plain = setup.key.open(items[0].sealed);
    const DecodedReferral referral = parseReferral(view(plain));
    const auto steps =
        e2e::loadWalkScript(std::filesystem::path(SIGNPOST_E2E_DIR) / "self_referral_ar.walk");
    CHECK(referral.name == "أحمد علي");  // typed on the Arabic keyboard, key by key
    CHECK(referral.name == e2e::typedInto(steps, "referral.name"));
    CHECK(referral.email == "ahmed.ali@example.org");
    CHECK(referral.phone == normaliseUkPhone("07700900123").value_or("?"));
    CHECK(referral.language == "ar");
    CHECK(referral.consentGiven);

    // The confirmation's QR code, read back from the real screenshot (the layer around it is
    // mirrored; the code itself must not be).
    const auto zbarimg = findInPath("zbarimg");
    REQUIRE(zbarimg);
    ProcessOptions decode;
    decode.program = *zbarimg;
    decode.args = {"--quiet",         "--raw",    "-Sdisable",
                   "-Sqrcode.enable", "-Sbinary", (artifacts / "09-referral-done-ar.png").string()};
    decode.stdoutFile = artifacts / "qr.txt";
    runProcess(decode, 60s);
    const std::string decoded = readText(artifacts / "qr.txt");
    INFO(decoded);
    CHECK(decoded.find(items[0].reference) != std::string::npos);
    CHECK(decoded.find("0161 496 0000") != std::string::npos);
}

TEST_CASE("the first screens work in portrait", "[kiosk_e2e][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    const auto artifacts = artifactsDir("portrait");
    // Always a virtual display of the right shape: a desktop's may be too short for 1920 rows.
    VirtualDisplay display = windowTestDisplay(1080, 1920, artifacts / "xvfb.log");
    RunningKiosk kiosk(setup, display, 1080, 1920);
    walk(setup, display, "portrait_first_screens.walk", artifacts, kiosk.process);
    CHECK(kiosk.process.stop(10s).success());
    Outbox outbox((setup.data / "outbox.db").string());
    CHECK(outbox.allItems().empty());
}

TEST_CASE("the kiosk feeds the systemd watchdog while idle, only after frames", "[kiosk_e2e][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    VirtualDisplay display = windowTestDisplay(1280, 1024);
    // 1 s watchdog: a ping at least every 0.5 s although nobody touches the screen.
    RunningKiosk kiosk(setup, display, 1280, 1024, {{"WATCHDOG_USEC", "1000000"}});
    std::vector<NotifyListener::Message> pings;
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < until) {
        if (auto ping = kiosk.notify.waitFor("WATCHDOG=1", 1s, kiosk.process.pid())) {
            pings.push_back(*ping);
        }
    }
    CHECK(pings.size() >= 4);   // ~6 expected in 3 s at one per half interval
    CHECK(pings.size() <= 12);  // throttled, not one per frame
    for (std::size_t i = 1; i < pings.size(); ++i) {
        CHECK(pings[i].receivedAt - pings[i - 1].receivedAt < 1s);
    }

    SECTION("a stopped (hung) kiosk sends no pings") {
        REQUIRE(kiosk.process.sendSignal(SIGSTOP));
        kiosk.notify.drain();
        CHECK_FALSE(kiosk.notify.waitFor("WATCHDOG=1", 1500ms, kiosk.process.pid()));
        REQUIRE(kiosk.process.sendSignal(SIGCONT));
        CHECK(kiosk.notify.waitFor("WATCHDOG=1", 5s, kiosk.process.pid()));
    }
    CHECK(kiosk.process.stop(10s).success());
}

TEST_CASE(
    "issue 9: no PIN, no staff mode, and the PIN from --set-pin opens it and restarts: exit 75",
    "[kiosk_e2e][.]") {
    if (!e2eEnabled()) {
        return;
    }
    KioskSetup setup;
    const auto artifacts = artifactsDir("staff");
    VirtualDisplay display = windowTestDisplay(1920, 1080, artifacts / "xvfb.log");
    {
        // As installed: no PIN. The corner says staff mode is not set up; nothing to type into.
        RunningKiosk fresh(setup, display, 1920, 1080);
        walk(setup, display, "staff_no_pin.walk", artifacts, fresh.process);
        CHECK(fresh.process.stop(10s).success());
    }
    CHECK(loadKioskConfig(setup.config).pinHash.empty());
    {
        // The installer's step: the PIN from standard input.
        writeText(setup.dir / "pin.in", "258046\n");
        ProcessOptions setPin = kioskProcess(setup, {"--set-pin"});
        setPin.unsetEnv.push_back("DISPLAY");
        setPin.stdinFile = setup.dir / "pin.in";
        const ExitStatus set = runProcess(setPin, 60s);
        INFO(set.describe() << readText(setup.dir / "kiosk.err"));
        REQUIRE(set.success());
    }
    RunningKiosk kiosk(setup, display, 1920, 1080);

    // The 3 s hold only works if the render-on-demand loop keeps drawing while the finger rests.
    walk(setup, display, "staff_restart.walk", artifacts, kiosk.process);
    const auto status = kiosk.process.waitFor(30s);
    INFO(kiosk.process.report());
    REQUIRE(status);
    CHECK(status->exitedWith(75));  // the systemd unit restarts the kiosk on this code

    // The new PIN was saved into the config as an Argon2id hash, and it opens staff mode.
    const TomlDocument config = TomlDocument::parse(readText(setup.config), "kiosk.toml");
    const TomlEntry* pin = config.find("staff", "pin_hash");
    REQUIRE(pin);
    const std::string hash = std::get<std::string>(pin->value);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    StaffAuth::writeFreshState(setup.dir / "staff-check.json", hash);
    StaffAuth auth(hash, setup.dir / "staff-check.json");
    CHECK(auth.check("258046", std::chrono::system_clock::now()).outcome ==
          PinCheck::Outcome::Accepted);
}
