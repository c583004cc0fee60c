// The real signpost-server executable as a child process: admin verbs, usage and config errors,
// and `serve` with the happy path and the role matrix over loopback.
#include <catch2/catch.hpp>

#include <csignal>
#include <regex>

#include "support/process.h"
#include "support/server_harness.h"
#include "sync/server/server_cli.h"

using namespace signpost;
using namespace std::chrono_literals;
using test::bearer;
using test::statusOf;
using test::TestKiosk;

namespace {

using CliResult = test::ProgramRun;

class BinaryFixture {
public:
    BinaryFixture() : m_dir("server-binary") { writeConfig(""); }

    const std::filesystem::path& dir() const { return m_dir.path(); }
    std::filesystem::path configFile() const { return m_dir / "server.toml"; }

    // A config on loopback with its data in the temp dir and relaxed rate limits.
    void writeConfig(const std::string& extraServerKeys, int port = 0) {
        test::writeText(configFile(),
                        "[server]\nlisten_address = \"127.0.0.1\"\nport = " + std::to_string(port) +
                            "\nlog_level = \"info\"\n" + extraServerKeys +
                            "\n[storage]\ndata_dir = \"" + (m_dir / "data").string() +
                            "\"\n\n[limits]\nenroll_burst = 1000\nbad_token_burst = 1000\n");
    }

    CliResult run(std::vector<std::string> args, bool withConfig = true) {
        if (withConfig) {
            args.push_back("--config");
            args.push_back(configFile().string());
        }
        return test::runBuiltProgram("signpost-server", std::move(args), m_dir.path(), {}, 60s);
    }

    // Starts `serve`; returns once it logged its address. Retries on a port taken meanwhile.
    test::ChildProcess serve(int& port) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            port = test::findFreeLoopbackPort();
            writeConfig("", port);
            test::ProcessOptions options;
            options.program = test::builtProgram("signpost-server");
            options.args = {"serve", "--config", configFile().string()};
            options.stderrFile = m_dir / ("serve-" + std::to_string(attempt) + ".log");
            auto child = test::ChildProcess::spawn(options);
            const bool listening = test::waitUntil(
                [&] {
                    return child.stderrText().find("signpost-server: listening on") !=
                               std::string::npos ||
                           !child.running();
                },
                20s);
            if (listening && child.running()) {
                return child;
            }
            if (child.stderrText().find("cannot listen") == std::string::npos) {
                FAIL("signpost-server did not start: " << child.report());
            }
        }
        FAIL("no free port after 5 attempts");
        return {};
    }

private:
    test::TempDir m_dir;
};

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

TEST_CASE("every verb has --help and exits 0", "[server_binary]") {
    BinaryFixture f;
    const std::vector<std::vector<std::string>> helps = {
        {"--help"},
        {"serve", "--help"},
        {"admin", "--help"},
        {"admin", "enrollment-code", "--help"},
        {"admin", "coordinator-token", "--help"},
        {"admin", "coordinator-token", "create", "--help"},
        {"admin", "devices", "--help"},
        {"admin", "devices", "revoke", "--help"},
        {"admin", "import-directory", "--help"},
    };
    for (const auto& args : helps) {
        INFO((args.size() > 1 ? args[0] + " " + args[1] : args[0]));
        const CliResult r = f.run(args, false);
        CHECK(r.status.exitedWith(server::exit_code::kOk));
        CHECK(r.out.rfind("usage: signpost-server", 0) == 0);
    }
    CHECK(f.run({"admin", "devices", "--help"}, false).out.find("devices list") !=
          std::string::npos);
    CHECK(f.run({"--help"}, false)
              .out.find("exit codes: 0 success, 1 operation failed, 2 usage error, 3 configuration "
                        "error") != std::string::npos);
    const CliResult version = f.run({"--version"}, false);
    CHECK(version.status.success());
    CHECK(trimmed(version.out) == std::string("signpost-server ") + SIGNPOST_VERSION);
}

TEST_CASE("usage errors exit 2 with one clear line and the usage", "[server_binary]") {
    BinaryFixture f;
    struct Case {
        std::vector<std::string> args;
        std::string firstLine;
    };
    const std::vector<Case> cases = {
        {{}, "signpost-server: missing command"},
        {{"launch"}, "signpost-server: unknown command 'launch'"},
        {{"admin"}, "signpost-server: missing admin command"},
        {{"admin", "frobnicate"}, "signpost-server: unknown admin command 'frobnicate'"},
        {{"admin", "enrollment-code"}, "signpost-server: --venue is required"},
        {{"admin", "enrollment-code", "--venue", "X", "--expires", "forever"},
         "signpost-server: --expires: expected a duration such as 30m, 24h or 7d (at most 30d)"},
        {{"admin", "enrollment-code", "--venue", "X", "--expires", "31d"},
         "signpost-server: --expires: expected a duration such as 30m, 24h or 7d (at most 30d)"},
        {{"admin", "coordinator-token"},
         "signpost-server: missing an action: create, revoke or list"},
        {{"admin", "coordinator-token", "create"},
         "signpost-server: --name is required (1 to 100 characters)"},
        {{"admin", "coordinator-token", "rotate"}, "signpost-server: unknown action \"rotate\""},
        {{"admin", "devices", "revoke"}, "signpost-server: missing the device id"},
        {{"admin", "devices", "list", "extra"}, "signpost-server: unexpected argument 'extra'"},
        {{"admin", "import-directory"}, "signpost-server: missing the directory file"},
        {{"serve", "now"}, "signpost-server: unexpected argument 'now'"},
    };
    for (const Case& c : cases) {
        INFO(c.firstLine);
        const CliResult r = f.run(c.args);
        CHECK(r.status.exitedWith(server::exit_code::kUsage));
        CHECK(r.err.substr(0, r.err.find('\n')) == c.firstLine);
        CHECK(r.err.find("usage: signpost-server") != std::string::npos);
        CHECK(r.out.empty());
    }
}

TEST_CASE("configuration errors exit 3 naming file, line and key", "[server_binary]") {
    BinaryFixture f;
    const CliResult missing =
        f.run({"admin", "devices", "list", "--config", (f.dir() / "nope.toml").string()}, false);
    CHECK(missing.status.exitedWith(server::exit_code::kConfig));
    CHECK(missing.err.find("nope.toml: cannot read the configuration file") != std::string::npos);

    test::writeText(f.configFile(), "[server]\nthreads = 0\n");
    const CliResult bad = f.run({"admin", "devices", "list"});
    CHECK(bad.status.exitedWith(server::exit_code::kConfig));
    CHECK(trimmed(bad.err) == "signpost-server: " + f.configFile().string() +
                                  ":2: server.threads: expected a whole number from 1 to 1024");

    // Plain HTTP on a non-loopback address: serve refuses, naming listen_address.
    test::writeText(f.configFile(),
                    "[server]\nport = 0\nlisten_address = \"0.0.0.0\"\n[storage]\ndata_dir = \"" +
                        (f.dir() / "data").string() + "\"\n");
    const CliResult open = f.run({"serve"});
    CHECK(open.status.exitedWith(server::exit_code::kConfig));
    CHECK(open.err.find(":3: server.listen_address: plain HTTP on \"0.0.0.0\" is refused") !=
          std::string::npos);
    // An unknown key is a warning only.
    f.writeConfig("colour = \"blue\"");
    const CliResult warned = f.run({"admin", "devices", "list"});
    CHECK(warned.status.success());
    CHECK(warned.err.find("server.colour: unknown key; it is ignored") != std::string::npos);
}

TEST_CASE("admin verbs: codes, coordinator tokens, devices, directory imports", "[server_binary]") {
    BinaryFixture f;

    const CliResult code =
        f.run({"admin", "enrollment-code", "--venue", "Moss Side Library", "--expires", "2h"});
    REQUIRE(code.status.success());
    CHECK(std::regex_match(
        trimmed(code.out),
        std::regex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")));
    CHECK(
        code.err.find("enrollment code for venue \"Moss Side Library\", single use, valid until") !=
        std::string::npos);

    const CliResult created = f.run({"admin", "coordinator-token", "create", "--name", "alice"});
    REQUIRE(created.status.success());
    const std::string token = trimmed(created.out);
    CHECK(server::isWellFormedToken(token));
    CHECK(created.err.find("cannot be shown again") != std::string::npos);
    const CliResult duplicate = f.run({"admin", "coordinator-token", "create", "--name=alice"});
    CHECK(duplicate.status.exitedWith(server::exit_code::kFailed));
    CHECK(duplicate.err.find("already named \"alice\"") != std::string::npos);
    CHECK(f.run({"admin", "coordinator-token", "create", "--name", "bob"}).status.success());
    const CliResult list = f.run({"admin", "coordinator-token", "list"});
    CHECK(list.out.find("alice") != std::string::npos);
    CHECK(list.out.find("bob") != std::string::npos);
    CHECK(list.out.find(token) == std::string::npos);  // only hashes are kept
    CHECK(f.run({"admin", "coordinator-token", "revoke", "bob"}).status.success());
    const CliResult again = f.run({"admin", "coordinator-token", "revoke", "bob"});
    CHECK(again.status.exitedWith(server::exit_code::kFailed));
    CHECK(again.err.find("no active coordinator token is named \"bob\"") != std::string::npos);
    CHECK(f.run({"admin", "coordinator-token", "list"}).out.find("revoked") != std::string::npos);

    // A device enrolled through the store shows in the list and can be revoked.
    std::string deviceId;
    {
        server::SqliteServerStore store(f.dir() / "data" / "signpost-server.db");
        const auto now = std::chrono::system_clock::now();
        server::EnrollmentAttempt attempt;
        attempt.codeHash = server::hashToken(*server::normalizeEnrollmentCode(trimmed(code.out)));
        attempt.deviceName = "Reception kiosk";
        attempt.signingKey.assign(32, 9);
        attempt.newDeviceId = uuidV4();
        attempt.newTokenHash = server::hashToken(server::generateToken());
        REQUIRE(store.enrollDevice(attempt, now, 15min).status == server::EnrollStatus::Enrolled);
        deviceId = attempt.newDeviceId;
    }
    const CliResult devices = f.run({"admin", "devices", "list"});
    REQUIRE(devices.status.success());
    CHECK(devices.out.find(deviceId) != std::string::npos);
    CHECK(devices.out.find("Reception kiosk") != std::string::npos);
    CHECK(devices.out.find("Moss Side Library") != std::string::npos);
    CHECK(devices.out.find("active") != std::string::npos);
    const CliResult revoke = f.run({"admin", "devices", "revoke", deviceId});
    CHECK(revoke.status.success());
    CHECK(revoke.err.find("(Reception kiosk, Moss Side Library) revoked") != std::string::npos);
    CHECK(f.run({"admin", "devices", "list"}).out.find("revoked") != std::string::npos);
    CHECK(f.run({"admin", "devices", "revoke", deviceId})
              .status.exitedWith(server::exit_code::kFailed));
    const CliResult unknown = f.run({"admin", "devices", "revoke", "no-such-device"});
    CHECK(unknown.status.exitedWith(server::exit_code::kFailed));
    CHECK(unknown.err.find("no device has the id \"no-such-device\"") != std::string::npos);

    // Directory imports: a new version, then no change, then a change.
    const auto file = f.dir() / "directory.json";
    test::writeText(file, test::sampleDirectoryJson(12).dump(2));
    const CliResult imported = f.run({"admin", "import-directory", file.string()});
    REQUIRE(imported.status.success());
    CHECK(trimmed(imported.out) ==
          "directory version 1 published: 12 added, 0 changed, 0 removed, 0 unchanged, taxonomy "
          "terms updated");
    CHECK(trimmed(f.run({"admin", "import-directory", file.string()}).out) ==
          "no changes: the directory is still version 1");
    auto changed = test::sampleDirectoryJson(11, "2026-11-08");
    changed["services"][0]["name"] = "Tuesday Lunch Club";
    test::writeText(file, changed.dump());
    CHECK(trimmed(f.run({"admin", "import-directory", file.string()}).out) ==
          "directory version 2 published: 0 added, 1 changed, 1 removed, 10 unchanged");
    // A bad record (issue 11): skipped with its record, field and reason; the rest is imported.
    auto broken = test::sampleDirectoryJson(3);
    broken["services"][1]["organization_id"] = "org-404";
    test::writeText(file, broken.dump());
    const CliResult partly = f.run({"admin", "import-directory", file.string()});
    CHECK(partly.status.success());
    CHECK(partly.err.find("services[1]") != std::string::npos);
    CHECK(partly.err.find("organization_id: no organization with id \"org-404\" [skipped]") !=
          std::string::npos);
    CHECK(partly.err.find("1 record(s) skipped") != std::string::npos);
    CHECK(trimmed(partly.out).rfind("directory version 3 published:", 0) == 0);
    // A document that is not a directory at all: exit 1, nothing published.
    test::writeText(file, R"({"foo": 1})");
    const CliResult failed = f.run({"admin", "import-directory", file.string()});
    CHECK(failed.status.exitedWith(server::exit_code::kFailed));
    CHECK(failed.err.find("not an HSDS document") != std::string::npos);
    const CliResult absent =
        f.run({"admin", "import-directory", (f.dir() / "absent.json").string()});
    CHECK(absent.status.exitedWith(server::exit_code::kFailed));
    CHECK(absent.err.find("cannot read the file") != std::string::npos);
}

TEST_CASE("the real binary: serve, happy path, role matrix, admin while running, SIGTERM",
          "[server_binary]") {
    BinaryFixture f;
    int port = 0;
    test::ChildProcess server = f.serve(port);
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30s);

    auto freshCode = [&] {
        const CliResult r = f.run({"admin", "enrollment-code", "--venue", "Harpurhey Library"});
        REQUIRE(r.status.success());
        return trimmed(r.out);
    };
    auto enroll = [&](const std::string& name) {
        TestKiosk kiosk;
        auto result = client.Post("/v1/devices/enroll",
                                  test::signedEnrollBody(client, freshCode(), kiosk.key, name),
                                  "application/json");
        REQUIRE(statusOf(result) == 201);
        const auto response = protocol::parseEnrollResponse(result->body);
        kiosk.deviceId = response.deviceId;
        kiosk.token = response.deviceToken;
        return kiosk;
    };

    // Happy path: enroll → push → pull → ack, with the coordinator token from the CLI.
    TestKiosk kiosk = enroll("Front desk");
    std::vector<protocol::Submission> items = {kiosk.submission(), kiosk.submission()};
    auto pushed = client.Post("/v1/submissions", bearer(kiosk.token), test::batchJson(items),
                              "application/json");
    REQUIRE(statusOf(pushed) == 200);
    for (const auto& r : protocol::parseSubmissionResults(pushed->body).results) {
        CHECK(r.status == protocol::ItemStatus::Stored);
    }
    const CliResult tokenRun = f.run({"admin", "coordinator-token", "create", "--name", "alice"});
    REQUIRE(tokenRun.status.success());
    const std::string coordinator = trimmed(tokenRun.out);
    auto pulled = client.Get("/v1/submissions?after=0", bearer(coordinator));
    REQUIRE(statusOf(pulled) == 200);
    const auto page = protocol::parseSubmissionPage(pulled->body);
    REQUIRE(page.submissions.size() == 2);
    CHECK(page.submissions[0].submission.id == items[0].id);
    CHECK(protocol::verifySubmission(page.submissions[1].submission,
                                     page.submissions[1].signingPublicKey));
    protocol::AckRequest ack;
    ack.ids = {items[0].id, items[1].id};
    CHECK(statusOf(client.Post("/v1/submissions/ack", bearer(coordinator), protocol::toJson(ack),
                               "application/json")) == 200);
    // A blind re-push after the ack: duplicate.
    auto again = client.Post("/v1/submissions", bearer(kiosk.token), test::batchJson(items),
                             "application/json");
    CHECK(protocol::parseSubmissionResults(again->body).results[0].status ==
          protocol::ItemStatus::Duplicate);

    // A directory imported by the CLI while the server runs reaches the kiosk.
    const auto file = f.dir() / "directory.json";
    test::writeText(file, test::sampleDirectoryJson(5).dump());
    REQUIRE(f.run({"admin", "import-directory", file.string()}).status.success());
    auto directory = client.Get("/v1/directory?since=0", bearer(kiosk.token));
    REQUIRE(statusOf(directory) == 200);
    const auto update = protocol::parseDirectoryUpdate(directory->body);
    CHECK(update.version == 1);
    CHECK(parseHsdsJson(update.directoryJson).services.size() == 5);

    // The role matrix against the real process; revocations made with the CLI.
    TestKiosk revoked = enroll("To revoke");
    REQUIRE(f.run({"admin", "devices", "revoke", revoked.deviceId}).status.success());
    const CliResult bob = f.run({"admin", "coordinator-token", "create", "--name", "bob"});
    REQUIRE(f.run({"admin", "coordinator-token", "revoke", "bob"}).status.success());
    test::MatrixCredentials who;
    who.device = &kiosk;
    who.coordinator = coordinator;
    who.revokedDevice = &revoked;
    who.revokedCoordinator = trimmed(bob.out);
    who.freshEnrollmentCode = freshCode;
    test::checkRoleMatrix(client, who);

    // The fleet as the CLI sees it, while the server runs.
    const CliResult fleet = f.run({"admin", "devices", "list"});
    CHECK(fleet.out.find("Front desk") != std::string::npos);

    // One log line per request on stderr, none carrying a token.
    const std::string log = server.stderrText();
    CHECK(log.find("INFO http: POST /v1/submissions 200 ") != std::string::npos);
    CHECK(log.find("device=" + kiosk.deviceId) != std::string::npos);
    CHECK(log.find(kiosk.token) == std::string::npos);
    CHECK(log.find(coordinator) == std::string::npos);

    // SIGTERM: a clean stop with exit code 0, and the database is intact.
    REQUIRE(server.sendSignal(SIGTERM));
    const auto status = server.waitFor(20s);
    REQUIRE(status);
    CHECK(status->success());
    CHECK(server.stderrText().find("stopping on SIGTERM") != std::string::npos);
    server::SqliteServerStore reopened(f.dir() / "data" / "signpost-server.db");
    CHECK(reopened.integrityCheck() == "ok");
    CHECK(reopened.pullSubmissions(0, 100).submissions.size() >= 2);
}
