#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/referral/outbox.h"
#include "core/referral/sealing.h"
#include "core/referral/submit.h"
#include "support/test_support.h"

extern char** environ;

using namespace signpost;
using nlohmann::json;

namespace {

constexpr const char* kPassphrase = "a long enough passphrase";

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
    std::string tty;  // what the program wrote to its terminal (pty runs only)
};

struct RunOptions {
    std::map<std::string, std::string> env;  // added to a copy of ours, minus SIGNPOST_PASSPHRASE
    bool terminal = false;                   // give the program a pseudo-terminal as /dev/tty
    std::vector<std::string> typed;          // lines typed, one after each prompt (": ")
};

// Runs the built `signpost` in its own session (so it has no terminal unless we give it one),
// with stdin from /dev/null, and collects stdout, stderr, the terminal's output and the status.
RunResult run(const std::vector<std::string>& args, const RunOptions& options = {}) {
    const std::string program = test::builtProgram("signpost").string();
    int outPipe[2];
    int errPipe[2];
    REQUIRE(::pipe2(outPipe, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(errPipe, O_CLOEXEC) == 0);
    int master = -1;
    std::string slaveName;
    if (options.terminal) {
        master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master >= 0);
        REQUIRE(::grantpt(master) == 0);
        REQUIRE(::unlockpt(master) == 0);
        slaveName = ::ptsname(master);
    }
    // Holding the slave open here keeps the master from reporting a hang-up before the child
    // has opened it (and after it has gone), so the loop below can poll the master throughout.
    const int parentSlave =
        master >= 0 ? ::open(slaveName.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;

    std::vector<std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        if (!std::string_view(*entry).starts_with("SIGNPOST_PASSPHRASE=")) {
            environment.emplace_back(*entry);
        }
    }
    for (const auto& [name, value] : options.env) {
        environment.push_back(name + "=" + value);
    }
    std::vector<char*> envp;
    for (std::string& entry : environment) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> argvStrings{program};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argvStrings) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::setsid();  // no controlling terminal...
        if (!slaveName.empty()) {
            const int slave = ::open(slaveName.c_str(), O_RDWR);  // ...unless we hand it this one
            if (slave < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0) {
                ::_exit(125);
            }
            ::close(slave);
        }
        const int devNull = ::open("/dev/null", O_RDONLY);
        ::dup2(devNull, 0);
        ::dup2(outPipe[1], 1);
        ::dup2(errPipe[1], 2);
        ::execve(program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(outPipe[1]);
    ::close(errPipe[1]);

    RunResult result;
    std::size_t answered = 0;
    std::size_t promptSearchFrom = 0;
    bool outOpen = true;
    bool errOpen = true;
    const auto readTty = [&] {
        char buffer[4096];
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n <= 0) {
            return false;
        }
        result.tty.append(buffer, static_cast<std::size_t>(n));
        // Type the next line only once its prompt is shown: echo is off by then.
        const std::size_t prompt = result.tty.find(": ", promptSearchFrom);
        if (prompt != std::string::npos && answered < options.typed.size()) {
            const std::string line = options.typed[answered++] + "\n";
            REQUIRE(::write(master, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
            promptSearchFrom = prompt + 2;
        }
        return true;
    };
    while (outOpen || errOpen) {
        std::vector<pollfd> fds;
        if (outOpen) {
            fds.push_back({outPipe[0], POLLIN, 0});
        }
        if (errOpen) {
            fds.push_back({errPipe[0], POLLIN, 0});
        }
        if (master >= 0) {
            fds.push_back({master, POLLIN, 0});
        }
        const int ready = ::poll(fds.data(), fds.size(), 30000);
        INFO("tty so far: [" << result.tty << "] out: [" << result.out << "] err: [" << result.err
                             << "]");
        REQUIRE(ready > 0);  // the program must not hang waiting for input
        for (const pollfd& fd : fds) {
            if (fd.revents == 0) {
                continue;
            }
            if (fd.fd == master) {
                readTty();
                continue;
            }
            char buffer[4096];
            const ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
            std::string& sink = fd.fd == outPipe[0] ? result.out : result.err;
            if (n <= 0) {
                (fd.fd == outPipe[0] ? outOpen : errOpen) = false;
            } else {
                sink.append(buffer, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (master >= 0) {
        pollfd pending{master, POLLIN, 0};
        while (::poll(&pending, 1, 0) > 0 && (pending.revents & POLLIN) != 0 && readTty()) {
        }
        ::close(parentSlave);
        ::close(master);
    }
    ::close(outPipe[0]);
    ::close(errPipe[0]);
    return result;
}

RunOptions withPassphrase(const std::string& passphrase = kPassphrase) {
    RunOptions options;
    options.env["SIGNPOST_PASSPHRASE"] = passphrase;
    return options;
}

std::string publicKeyFrom(const std::string& keygenOutput) {
    static const std::regex line(R"re(^coordinator_public_key = "([A-Za-z0-9+/]{43}=)"\n$)re");
    std::smatch match;
    REQUIRE(std::regex_match(keygenOutput, match, line));
    return match[1];
}

std::size_t lineCount(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

ReferralForm formFor(const std::string& name) {
    ReferralForm form;
    form.kind = ReferralKind::General;
    form.needCodes = {"lonely"};
    form.name = name;
    form.phone = "07700 900123";
    form.safeToLeaveMessage = Answer::Yes;
    form.consentGiven = true;
    return form;
}

SubmitContext contextFor(const CoordinatorPublicKey& key) {
    SubmitContext context;
    context.venue = "Chorlton Library";
    context.neighbourhood = "Chorlton";
    context.formVersion = "2026.11";
    context.consentVersion = "consent-2026-11-v1";
    context.deviceId = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a";
    context.coordinatorKey = key;
    return context;
}

}  // namespace

// ---- the shell: version, help, usage errors ----------------------------------------------------

TEST_CASE("signpost --version and help", "[signpost_cli]") {
    RunResult version = run({"--version"});
    CHECK(version.exitCode == 0);
    CHECK(version.out == std::string("signpost ") + SIGNPOST_VERSION + "\n");

    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"help"}, std::vector<std::string>{"--help"}}) {
        RunResult help = run(args);
        CHECK(help.exitCode == 0);
        CHECK_THAT(help.out, Catch::StartsWith("Usage: signpost <command>"));
        CHECK_THAT(help.out, Catch::Contains("keygen") && Catch::Contains("open"));
        CHECK(help.err.empty());
    }
    for (const char* verb : {"keygen", "open"}) {
        RunResult help = run({verb, "--help"});
        CHECK(help.exitCode == 0);
        CHECK_THAT(help.out, Catch::StartsWith(std::string("Usage: signpost ") + verb));
        CHECK(run({"help", verb}).out == help.out);
    }
}

TEST_CASE("usage errors go to stderr with the usage, exit 2", "[signpost_cli]") {
    struct Case {
        std::vector<std::string> args;
        const char* message;
    };
    const Case cases[] = {
        {{}, "signpost: no command given"},
        {{"frobnicate"}, "signpost: unknown command 'frobnicate'"},
        {{"--frobnicate"}, "signpost: unknown option --frobnicate"},
        {{"help", "nope"}, "signpost: no such command 'nope'"},
        {{"keygen"}, "signpost keygen: --out is required"},
        {{"keygen", "--bogus"}, "signpost keygen: unknown option --bogus"},
        {{"keygen", "--out"}, "signpost keygen: --out needs a value"},
        {{"keygen", "--out", "--force"}, "signpost keygen: --out needs a value"},
        {{"keygen", "--out=a", "--out=b"}, "signpost keygen: --out is given twice"},
        {{"keygen", "--out", "k", "--force=yes"}, "signpost keygen: --force takes no value"},
        {{"keygen", "--out", "k", "--kdf", "fast"},
         "signpost keygen: --kdf must be interactive, moderate or sensitive, not 'fast'"},
        {{"keygen", "stray"}, "signpost keygen: unexpected argument 'stray'"},
        {{"open", "--key", "k"}, "signpost open: --db is required"},
        {{"open", "--db", "d"}, "signpost open: --key is required"},
        {{"open", "--key", "k", "--db", "d", "-x"}, "signpost open: unexpected argument '-x'"},
    };
    for (const Case& c : cases) {
        INFO("args: " << json(c.args).dump());
        const RunResult result = run(c.args);
        CHECK(result.exitCode == 2);
        CHECK(result.out.empty());
        CHECK_THAT(result.err, Catch::StartsWith(std::string(c.message) + "\n\nUsage: signpost"));
    }
}

// ---- keygen ------------------------------------------------------------------------------------

TEST_CASE("keygen writes a 0600 key file and prints the kiosk.toml line", "[signpost_cli]") {
    test::TempDir dir("cli");
    const std::filesystem::path keyFile = dir / "coordinator.key";
    const RunResult result =
        run({"keygen", "--out", keyFile.string(), "--kdf", "interactive"}, withPassphrase());
    REQUIRE(result.exitCode == 0);
    const std::string publicKey = publicKeyFrom(result.out);  // exactly one line on stdout
    CHECK_THAT(result.err, Catch::Contains("Wrote the coordinator key to " + keyFile.string()));
    CHECK(test::fileMode(keyFile) == 0600);

    const CoordinatorKeyPair pair = CoordinatorKeyPair::loadEncrypted(keyFile, kPassphrase);
    CHECK(pair.publicKey().toBase64() == publicKey);
    CHECK(json::parse(test::readText(keyFile))["memlimit"] == 64ULL << 20);

    SECTION("refuses to overwrite without --force") {
        const std::string before = test::readText(keyFile);
        const RunResult again =
            run({"keygen", "--out", keyFile.string(), "--kdf", "interactive"}, withPassphrase());
        CHECK(again.exitCode == 1);
        CHECK(again.out.empty());
        CHECK_THAT(again.err, Catch::Contains("already exists; use --force"));
        CHECK(lineCount(again.err) == 1);
        CHECK(test::readText(keyFile) == before);

        const RunResult forced =
            run({"keygen", "--out", keyFile.string(), "--kdf", "interactive", "--force"},
                withPassphrase());
        CHECK(forced.exitCode == 0);
        CHECK(publicKeyFrom(forced.out) != publicKey);
        CHECK(CoordinatorKeyPair::loadEncrypted(keyFile, kPassphrase).publicKey().toBase64() ==
              publicKeyFrom(forced.out));
    }
}

TEST_CASE("keygen reads the passphrase from a file", "[signpost_cli]") {
    test::TempDir dir("cli");
    test::writeText(dir / "passphrase.txt", std::string(kPassphrase) + "\nsecond line ignored\n");
    const RunResult result = run({"keygen", "--out", (dir / "k.key").string(), "--kdf=interactive",
                                  "--passphrase-file", (dir / "passphrase.txt").string()},
                                 withPassphrase("the file wins over the environment"));
    REQUIRE(result.exitCode == 0);
    CHECK(CoordinatorKeyPair::loadEncrypted(dir / "k.key", kPassphrase).publicKey().toBase64() ==
          publicKeyFrom(result.out));

    SECTION("an empty or missing passphrase file is an error") {
        test::writeText(dir / "empty.txt", "\n");
        const RunResult empty = run({"keygen", "--out", (dir / "e.key").string(),
                                     "--passphrase-file", (dir / "empty.txt").string()});
        CHECK(empty.exitCode == 1);
        CHECK_THAT(empty.err, Catch::Contains("is empty"));
        const RunResult missing = run({"keygen", "--out", (dir / "m.key").string(),
                                       "--passphrase-file", (dir / "nope.txt").string()});
        CHECK(missing.exitCode == 1);
        CHECK_THAT(missing.err, Catch::Contains("cannot read the passphrase file"));
        CHECK_FALSE(std::filesystem::exists(dir / "e.key"));
        CHECK_FALSE(std::filesystem::exists(dir / "m.key"));
    }
}

TEST_CASE("keygen refuses weak or missing passphrases and bad paths", "[signpost_cli]") {
    test::TempDir dir("cli");
    const std::filesystem::path keyFile = dir / "k.key";

    const RunResult shortOne = run({"keygen", "--out", keyFile.string()}, withPassphrase("short"));
    CHECK(shortOne.exitCode == 1);
    CHECK_THAT(shortOne.err, Catch::Contains("too short"));

    // No --passphrase-file, no environment variable, and no terminal (as under cron or CI).
    const RunResult none = run({"keygen", "--out", keyFile.string()});
    CHECK(none.exitCode == 1);
    CHECK(none.err ==
          "signpost keygen: no passphrase: run this in a terminal, or give "
          "--passphrase-file FILE or set SIGNPOST_PASSPHRASE\n");
    CHECK_FALSE(std::filesystem::exists(keyFile));

    const RunResult badDir =
        run({"keygen", "--out", (dir / "no-such-dir" / "k.key").string(), "--kdf", "interactive"},
            withPassphrase());
    CHECK(badDir.exitCode == 1);
    CHECK(badDir.out.empty());
    CHECK(lineCount(badDir.err) == 1);
}

TEST_CASE("keygen asks twice on the terminal, without echo", "[signpost_cli]") {
    test::TempDir dir("cli");
    const std::filesystem::path keyFile = dir / "k.key";
    RunOptions options;
    options.terminal = true;
    options.typed = {kPassphrase, kPassphrase};
    const RunResult result =
        run({"keygen", "--out", keyFile.string(), "--kdf", "interactive"}, options);
    REQUIRE(result.exitCode == 0);
    CHECK_THAT(result.tty, Catch::Contains("Passphrase for the new key: "));
    CHECK_THAT(result.tty, Catch::Contains("Type the passphrase again: "));
    CHECK(result.tty.find(kPassphrase) == std::string::npos);  // never echoed
    CHECK(result.out.find(kPassphrase) == std::string::npos);
    CHECK(result.err.find(kPassphrase) == std::string::npos);
    CHECK(CoordinatorKeyPair::loadEncrypted(keyFile, kPassphrase).publicKey().toBase64() ==
          publicKeyFrom(result.out));

    SECTION("two different entries write nothing") {
        RunOptions mismatch;
        mismatch.terminal = true;
        mismatch.typed = {kPassphrase, "a different passphrase"};
        const RunResult failed = run(
            {"keygen", "--out", (dir / "other.key").string(), "--kdf", "interactive"}, mismatch);
        CHECK(failed.exitCode == 1);
        CHECK_THAT(failed.err, Catch::Contains("do not match"));
        CHECK_FALSE(std::filesystem::exists(dir / "other.key"));
    }
}

// ---- open --------------------------------------------------------------------------------------

TEST_CASE("open decrypts an outbox to JSON and reports what does not open", "[signpost_cli]") {
    setLogToStderr(false);
    test::TempDir dir("cli");
    const std::filesystem::path keyFile = dir / "coordinator.key";
    const std::filesystem::path db = dir / "outbox.db";
    const CoordinatorKeyPair coordinators = CoordinatorKeyPair::generate();
    coordinators.saveEncrypted(keyFile, kPassphrase, KdfStrength::Interactive);
    const SubmitContext context = contextFor(coordinators.publicKey());

    std::vector<SubmitReceipt> receipts;
    {
        Outbox outbox(db.string());
        receipts.push_back(submitReferral(formFor("Ann Example"), context, outbox));
        receipts.push_back(submitReferral(formFor("Bob Example"), context, outbox));
    }

    SECTION("every item opens: exit 0") {
        const std::string before = test::readText(db);
        const RunResult result =
            run({"open", "--key", keyFile.string(), "--db", db.string()}, withPassphrase());
        REQUIRE(result.exitCode == 0);
        const json output = json::parse(result.out);
        REQUIRE(output.is_array());
        REQUIRE(output.size() == 2);
        for (std::size_t i = 0; i < 2; ++i) {
            const json& entry = output[i];
            CHECK(entry["seq"] == receipts[i].seq);
            CHECK(entry["id"] == receipts[i].id);
            CHECK(entry["reference"] == receipts[i].reference);
            CHECK(entry["status"] == "queued");
            CHECK(entry["venue"] == "Chorlton Library");
            CHECK(entry["test"] == false);
            CHECK(entry["sent_at"].is_null());
            CHECK_FALSE(entry.contains("error"));
            CHECK(entry["referral"]["schema"] == "signpost.referral");
            CHECK(entry["referral"]["id"] == receipts[i].id);
            CHECK(entry["referral"]["contact"]["phone"] == "07700 900123");
        }
        CHECK(output[0]["referral"]["contact"]["name"] == "Ann Example");
        CHECK(output[1]["referral"]["contact"]["name"] == "Bob Example");
        CHECK(result.err == "Opened 2 of 2 referral(s) from " + db.string() + ".\n");
        CHECK(test::readText(db) == before);  // opened read-only: nothing changed
    }
    SECTION("--out writes a private file instead of stdout") {
        const std::filesystem::path out = dir / "referrals.json";
        const RunResult result =
            run({"open", "--key", keyFile.string(), "--db", db.string(), "--out", out.string()},
                withPassphrase());
        REQUIRE(result.exitCode == 0);
        CHECK(result.out.empty());
        CHECK(test::fileMode(out) == 0600);
        CHECK(json::parse(test::readText(out)).size() == 2);
    }
    SECTION("items that do not open are listed as errors, never dropped: exit 3") {
        {
            Outbox outbox(db.string());
            const auto addRaw = [&](const std::string& reference, std::vector<std::uint8_t> sealed,
                                    const std::string& id = "") {
                NewOutboxItem item;
                item.id =
                    id.empty() ? "00000000-0000-4000-8000-" + reference.substr(4) + "00000000" : id;
                item.reference = reference;
                item.createdAt = "2026-11-23T14:03:07Z";
                item.formVersion = "2026.11";
                item.venue = "Chorlton Library";
                item.neighbourhood = "Chorlton";
                item.sealed = std::move(sealed);
                outbox.enqueue(item);
            };
            const std::string notJson = "not a referral";
            // 3: sealed to some other key
            addRaw("MCR-AAAA", sealForCoordinators(std::vector<std::uint8_t>{'{', '}'},
                                                   CoordinatorKeyPair::generate().publicKey()));
            // 4: not a sealed box at all
            addRaw("MCR-CCCC", std::vector<std::uint8_t>(100, 0x42));
            // 5: opens, but is not a referral
            addRaw("MCR-DDDD",
                   sealForCoordinators(std::vector<std::uint8_t>(notJson.begin(), notJson.end()),
                                       coordinators.publicKey()));
            // 6: a real referral's box copied onto another row
            const std::vector<OutboxItem> items = outbox.allItems();
            addRaw("MCR-EEEE", items[0].sealed);
            // 7: a good one after the bad ones
            receipts.push_back(submitReferral(formFor("Cat Example"), context, outbox));
        }
        const RunResult result =
            run({"open", "--key", keyFile.string(), "--db", db.string()}, withPassphrase());
        CHECK(result.exitCode == 3);
        const json output = json::parse(result.out);
        REQUIRE(output.size() == 7);
        const std::vector<std::string> expectedErrors = {
            "",
            "",
            "does not open with this key (sealed to another key, or altered)",
            "does not open with this key (sealed to another key, or altered)",
            "opens, but is not a valid referral: referral is not valid JSON (at byte 2)",
            "opens, but its id or reference does not match its outbox row",
            "",
        };
        for (std::size_t i = 0; i < output.size(); ++i) {
            INFO("item " << i);
            CHECK(output[i]["seq"] == static_cast<int>(i + 1));
            if (expectedErrors[i].empty()) {
                CHECK_FALSE(output[i].contains("error"));
                CHECK(output[i]["referral"].is_object());
            } else {
                CHECK(output[i]["error"] == expectedErrors[i]);
                CHECK(output[i]["referral"].is_null());
            }
        }
        CHECK(output[6]["referral"]["contact"]["name"] == "Cat Example");
        CHECK(result.err == "Opened 3 of 7 referral(s) from " + db.string() +
                                "; 4 could not be opened (see \"error\" in the output).\n");
    }
    SECTION("a wrong passphrase is one clear line, exit 1") {
        const RunResult result = run({"open", "--key", keyFile.string(), "--db", db.string()},
                                     withPassphrase("not the passphrase"));
        CHECK(result.exitCode == 1);
        CHECK(result.out.empty());
        CHECK(result.err == "signpost open: wrong passphrase for " + keyFile.string() + "\n");
    }
    SECTION("the passphrase can be typed on the terminal") {
        RunOptions options;
        options.terminal = true;
        options.typed = {kPassphrase};
        const RunResult result =
            run({"open", "--key", keyFile.string(), "--db", db.string()}, options);
        CHECK(result.exitCode == 0);
        CHECK_THAT(result.tty, Catch::Contains("Passphrase for " + keyFile.string() + ": "));
        CHECK(result.tty.find(kPassphrase) == std::string::npos);
        CHECK(json::parse(result.out).size() == 2);
    }
    SECTION("missing or wrong files are one line, exit 1") {
        test::writeText(dir / "not-a-key", "hello");
        test::writeText(dir / "not-an-outbox.db", std::string(4096, 'x'));
        struct Case {
            std::string key;
            std::string db;
            std::string message;
        };
        const Case cases[] = {
            {(dir / "missing.key").string(), db.string(),
             "signpost open: no key file at " + (dir / "missing.key").string()},
            {keyFile.string(), (dir / "missing.db").string(),
             "signpost open: no outbox at " + (dir / "missing.db").string()},
            {(dir / "not-a-key").string(), db.string(),
             "signpost open: " + (dir / "not-a-key").string() +
                 " is not a usable coordinator key file: not JSON (truncated or edited?)"},
            {keyFile.string(), (dir / "not-an-outbox.db").string(),
             "signpost open: cannot read the outbox " + (dir / "not-an-outbox.db").string()},
        };
        for (const Case& c : cases) {
            INFO(c.message);
            const RunResult result = run({"open", "--key", c.key, "--db", c.db}, withPassphrase());
            CHECK(result.exitCode == 1);
            CHECK(result.out.empty());
            CHECK_THAT(result.err, Catch::StartsWith(c.message));
            CHECK(lineCount(result.err) == 1);
        }
    }
}

TEST_CASE("open on an empty outbox prints an empty array", "[signpost_cli]") {
    test::TempDir dir("cli");
    const CoordinatorKeyPair coordinators = CoordinatorKeyPair::generate();
    coordinators.saveEncrypted(dir / "k.key", kPassphrase, KdfStrength::Interactive);
    { Outbox create((dir / "outbox.db").string()); }
    const RunResult result =
        run({"open", "--key", (dir / "k.key").string(), "--db", (dir / "outbox.db").string()},
            withPassphrase());
    CHECK(result.exitCode == 0);
    CHECK(result.out == "[]\n");
}

TEST_CASE("keygen then open, end to end through the binary", "[signpost_cli]") {
    setLogToStderr(false);
    test::TempDir dir("cli");
    const std::filesystem::path keyFile = dir / "coordinator.key";
    const RunResult keygen =
        run({"keygen", "--out", keyFile.string(), "--kdf", "interactive"}, withPassphrase());
    REQUIRE(keygen.exitCode == 0);
    // What a kiosk does with the printed line: read the key from its config and seal to it.
    const CoordinatorPublicKey kioskKey =
        CoordinatorPublicKey::fromBase64(publicKeyFrom(keygen.out));
    {
        Outbox outbox((dir / "outbox.db").string());
        submitReferral(formFor("Zoë Łukasiewicz"), contextFor(kioskKey), outbox);
    }
    const RunResult open =
        run({"open", "--key", keyFile.string(), "--db", (dir / "outbox.db").string()},
            withPassphrase());
    REQUIRE(open.exitCode == 0);
    CHECK(json::parse(open.out)[0]["referral"]["contact"]["name"] == "Zoë Łukasiewicz");
}
