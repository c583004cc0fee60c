// sd_notify's protocol (core/runtime/systemd_notify.h: the watchdog from libsystemd, the send
// non-blocking and ours), checked against a real datagram socket standing in for the service
// manager.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <csignal>

#include <cstdlib>

#include "core/runtime/systemd_notify.h"
#include "support/notify_listener.h"
#include "support/test_support.h"

using namespace std::chrono_literals;
using signpost::SystemdNotifier;
using signpost::test::NotifyListener;
using signpost::test::ScopedEnv;
using Clock = SystemdNotifier::Clock;

namespace {

std::string abstractName(const char* label) {
    static int counter = 0;
    return "@signpost-test-" + std::string(label) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++);
}

}  // namespace

TEST_CASE("notifications reach a path socket with our pid", "[systemd_notify]") {
    signpost::test::TempDir dir("notify");
    NotifyListener listener((dir.path() / "notify.sock").string());
    SystemdNotifier notifier(listener.address(), std::nullopt);
    REQUIRE(notifier.enabled());

    CHECK(notifier.notifyReady());
    auto message = listener.receive(5s);
    REQUIRE(message);
    CHECK(message->text == "READY=1");
    CHECK(message->senderPid == ::getpid());

    CHECK(notifier.notify("RELOADING=1\nSTATUS=reloading"));
    message = listener.receive(5s);
    REQUIRE(message);
    CHECK(message->has("RELOADING=1"));
    CHECK(message->has("STATUS=reloading"));

    CHECK(notifier.notifyStopping());
    message = listener.receive(5s);
    REQUIRE(message);
    CHECK(message->text == "STOPPING=1");
}

TEST_CASE("notifications reach an abstract '@' socket", "[systemd_notify]") {
    NotifyListener listener(abstractName("abstract"));
    SystemdNotifier notifier(listener.address(), std::nullopt);
    REQUIRE(notifier.enabled());
    CHECK(notifier.notifyReady());
    auto message = listener.receive(5s);
    REQUIRE(message);
    CHECK(message->text == "READY=1");
}

TEST_CASE("a status text cannot inject other assignments", "[systemd_notify]") {
    NotifyListener listener(abstractName("status"));
    SystemdNotifier notifier(listener.address(), std::nullopt);
    CHECK(notifier.notifyStatus("showing home\nREADY=1"));
    auto message = listener.receive(5s);
    REQUIRE(message);
    CHECK(message->text == "STATUS=showing home READY=1");
    CHECK_FALSE(message->has("READY=1"));
}

TEST_CASE("without a usable NOTIFY_SOCKET nothing is sent and nothing fails", "[systemd_notify]") {
    SECTION("no address") {
        SystemdNotifier notifier;
        CHECK_FALSE(notifier.enabled());
        CHECK_FALSE(notifier.notifyReady());
        CHECK_FALSE(notifier.pingWatchdog(Clock::now()));
    }
    SECTION("an address kind we do not speak (systemd's vsock)") {
        SystemdNotifier notifier("vsock:2:1234", std::nullopt);
        CHECK_FALSE(notifier.enabled());
        CHECK_FALSE(notifier.notifyReady());
    }
    SECTION("a relative path or a path too long for sockaddr_un") {
        CHECK_FALSE(SystemdNotifier("run/notify", std::nullopt).enabled());
        CHECK_FALSE(SystemdNotifier("/" + std::string(200, 'x'), std::nullopt).enabled());
        CHECK_FALSE(SystemdNotifier("@", std::nullopt).enabled());
    }
    SECTION("nobody listening: the send fails as a value") {
        signpost::test::TempDir dir("notify-none");
        SystemdNotifier notifier((dir.path() / "nobody.sock").string(), std::nullopt);
        REQUIRE(notifier.enabled());
        CHECK_FALSE(notifier.notifyReady());
        CHECK_FALSE(notifier.notifyReady());  // and again, quietly
    }
}

TEST_CASE("a listener that stops reading never blocks the sender", "[systemd_notify]") {
    // A Unix datagram queue holds only a few messages; a blocking send would freeze the kiosk's
    // frame loop (this test would then hang until ctest's timeout).
    NotifyListener listener(abstractName("full"));
    SystemdNotifier notifier(listener.address(), std::nullopt);
    int sent = 0;
    int dropped = 0;
    for (int i = 0; i < 500; ++i) {
        (notifier.notifyStatus("message " + std::to_string(i)) ? sent : dropped)++;
    }
    CHECK(sent > 0);
    CHECK(dropped > 0);
    listener.drain();
    CHECK(listener.history().size() == static_cast<std::size_t>(sent));
    CHECK(notifier.notifyReady());  // room again once the listener has read
}

TEST_CASE("the environment configures socket and watchdog like sd_watchdog_enabled",
          "[systemd_notify]") {
    NotifyListener listener(abstractName("env"));
    ScopedEnv socket("NOTIFY_SOCKET", listener.address().c_str());
    const std::string ourPid = std::to_string(::getpid());

    SECTION("watchdog for this process") {
        ScopedEnv usec("WATCHDOG_USEC", "3000000");
        ScopedEnv pid("WATCHDOG_PID", ourPid.c_str());
        auto notifier = SystemdNotifier::fromEnvironment();
        CHECK(notifier.enabled());
        REQUIRE(notifier.watchdogInterval());
        CHECK(*notifier.watchdogInterval() == 3s);
    }
    SECTION("watchdog without a pid applies to us") {
        ScopedEnv usec("WATCHDOG_USEC", "500000");
        ScopedEnv pid("WATCHDOG_PID", nullptr);
        auto notifier = SystemdNotifier::fromEnvironment();
        REQUIRE(notifier.watchdogInterval());
        CHECK(*notifier.watchdogInterval() == 500ms);
    }
    SECTION("a watchdog meant for another process is not ours to feed") {
        ScopedEnv usec("WATCHDOG_USEC", "3000000");
        ScopedEnv pid("WATCHDOG_PID", "1");
        CHECK_FALSE(SystemdNotifier::fromEnvironment().watchdogInterval());
    }
    SECTION("malformed or zero intervals mean no watchdog") {
        for (const char* bad : {"", "abc", "0", "12s", "-5"}) {
            ScopedEnv usec("WATCHDOG_USEC", bad);
            ScopedEnv pid("WATCHDOG_PID", nullptr);
            CHECK_FALSE(SystemdNotifier::fromEnvironment().watchdogInterval());
        }
    }
    SECTION("no NOTIFY_SOCKET at all") {
        ScopedEnv unset("NOTIFY_SOCKET", nullptr);
        CHECK_FALSE(SystemdNotifier::fromEnvironment().enabled());
    }
}

TEST_CASE("watchdog pings are throttled to half the interval", "[systemd_notify]") {
    NotifyListener listener(abstractName("watchdog"));
    SystemdNotifier notifier(listener.address(), std::chrono::microseconds(1'000'000));
    const auto t0 = Clock::time_point{} + 100s;

    REQUIRE(notifier.nextWatchdogPing());
    CHECK(*notifier.nextWatchdogPing() <= t0);  // never pinged: due now
    CHECK(notifier.pingWatchdog(t0));
    CHECK(*notifier.nextWatchdogPing() == t0 + 500ms);
    CHECK_FALSE(notifier.pingWatchdog(t0 + 100ms));
    CHECK_FALSE(notifier.pingWatchdog(t0 + 499ms));
    CHECK(notifier.pingWatchdog(t0 + 500ms));
    CHECK(notifier.pingWatchdog(t0 + 1200ms));

    listener.drain();
    REQUIRE(listener.history().size() == 3);
    for (const auto& message : listener.history()) {
        CHECK(message.text == "WATCHDOG=1");
    }

    SECTION("no watchdog configured: no pings, no deadline") {
        SystemdNotifier plain(listener.address(), std::nullopt);
        CHECK_FALSE(plain.pingWatchdog(t0));
        CHECK_FALSE(plain.nextWatchdogPing());
    }
}

TEST_CASE("a moved-from notifier is disabled and the new owner keeps working", "[systemd_notify]") {
    NotifyListener listener(abstractName("move"));
    SystemdNotifier first(listener.address(), std::nullopt);
    CHECK(first.notifyReady());
    SystemdNotifier second(std::move(first));
    CHECK_FALSE(first.enabled());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    CHECK(second.notifyReady());
    SystemdNotifier third;
    third = std::move(second);
    CHECK(third.notifyReady());
    listener.drain();
    CHECK(listener.history().size() == 3);
}

TEST_CASE("libsystemd's sd_notify blocks on a full queue: why the send is ours",
          "[systemd_notify]") {
    // libsystemd 252 sends with a blocking sendmsg(): a child process that keeps notifying a
    // manager that stopped reading hangs until its alarm ends it. Should a later libsystemd stop
    // blocking, this fails, and systemd_notify.cpp can call sd_notify() itself.
    NotifyListener listener(abstractName("libsystemd"));
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::setenv("NOTIFY_SOCKET", listener.address().c_str(), 1);
        ::alarm(2);  // SIGALRM's default action ends the child
        for (int i = 0; i < 100; ++i) {
            ::sd_notify(0, "STATUS=filling the queue");
        }
        ::_exit(0);  // every notification went out: sd_notify did not block
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM));
    // Ours, to the same full queue, returns (a hang here would end in ctest's timeout).
    SystemdNotifier notifier(listener.address(), std::nullopt);
    CHECK_FALSE(notifier.notifyReady());
}
