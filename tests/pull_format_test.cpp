// The pieces behind `signpost pull`, without a server: CSV/JSON encoding, output file names, the
// output directory (lock, state, clean-up of interrupted runs), the temp-file writer and the
// worker pool. The end-to-end behaviour is in pull_test.cpp.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "support/csv_reader.h"
#include "support/test_support.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/pull_format.h"
#include "sync/tool/pull_ledger.h"
#include "sync/tool/pull_pipeline.h"
#include "sync/tool/tool.h"

using namespace signpost;
using namespace signpost::tool;

namespace {

std::string csvCell(std::string_view text) {
    SecureString out;
    appendCsvCell(out, text);
    return std::string(view(out));
}

std::string jsonString(std::string_view text) {
    SecureString out;
    appendJsonString(out, text);
    return std::string(view(out));
}

std::set<std::string> namesIn(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

protocol::PulledSubmission sampleItem() {
    protocol::PulledSubmission item;
    item.cursor = 42;
    item.submission.id = "3f0c5a55-6a4b-4d6e-9a51-0c7b2f1e8d90";
    item.submission.createdAt = "2026-11-23T14:03:07Z";
    item.deviceId = "dev-1";
    item.deviceName = "Harpurhey kiosk";
    item.receivedAt = "2026-11-23T14:05:00.123Z";
    return item;
}

PulledRecord sampleRecord(const protocol::PulledSubmission& item) {
    PulledRecord record;
    record.item = &item;
    DecodedReferral& r = record.referral;
    r.envelope.reference = "MCR-4K7Q";
    r.envelope.venue = "Harpurhey Library";
    r.envelope.neighbourhood = "Harpurhey";
    r.envelope.consentVersion = "2026-11";
    r.serviceId = "svc-0001";
    r.serviceName = "Chatty Café";
    r.needs = {"feeling-lonely", "food"};
    r.needsText = "Line one\nline \"two\", with a comma";
    r.name = "Zofia Wójcik";
    r.phone = "0161 496 0123";
    r.email = "";
    r.bestTime = "no_preference";
    r.safeToLeaveMessage = "not_answered";
    r.language = "pl";
    r.interpreterNeeded = true;
    r.accessNeeds = "=1+1";
    r.consentGivenAt = "2026-11-23T14:03:07Z";
    record.test = false;
    return record;
}

}  // namespace

TEST_CASE("CSV cells are quoted per RFC 4180", "[pull_format]") {
    CHECK(csvCell("plain") == "plain");
    CHECK(csvCell("") == "");
    CHECK(csvCell("a,b") == "\"a,b\"");
    CHECK(csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvCell("two\nlines") == "\"two\nlines\"");
    CHECK(csvCell("two\r\nlines") == "\"two\r\nlines\"");
    CHECK(csvCell("Zażółć gęślą jaźń") == "Zażółć gęślą jaźń");  // UTF-8 passes unchanged
}

TEST_CASE("CSV cells that a spreadsheet would run as a formula get a leading apostrophe",
          "[pull_format]") {
    CHECK(csvCell("=HYPERLINK(\"http://evil\",\"x\")") ==
          "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
    CHECK(csvCell("+44 7700") == "\"'+44 7700\"");
    CHECK(csvCell("-2+3") == "\"'-2+3\"");
    CHECK(csvCell("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csvCell("\tcmd") == "\"'\tcmd\"");
    CHECK(csvCell("\rcmd") == "\"'\rcmd\"");
    // Only the first character matters; these are ordinary text.
    CHECK(csvCell("a=b") == "a=b");
    CHECK(csvCell(" =1") == " =1");
    CHECK(csvCell("0161 496 0123") == "0161 496 0123");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters", "[pull_format]") {
    CHECK(jsonString("plain") == "\"plain\"");
    CHECK(jsonString("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(jsonString("l1\nl2\r\t") == "\"l1\\nl2\\r\\t\"");
    CHECK(jsonString(std::string("nul\0x", 5)) == "\"nul\\u0000x\"");
    CHECK(jsonString("\x1f") == "\"\\u001f\"");
    CHECK(jsonString("Wójcik") == "\"Wójcik\"");
    // Whatever goes in comes back out through a real parser.
    const std::string tricky = "\"=1\"\\\n\x01 ł ✓";
    CHECK(nlohmann::json::parse(jsonString(tricky)).get<std::string>() == tricky);
}

TEST_CASE("a CSV record has the documented columns in order, and reads back", "[pull_format]") {
    const auto item = sampleItem();
    const PulledRecord record = sampleRecord(item);
    const std::string header = fileHeader(PullFormat::Csv);
    REQUIRE(header.rfind("\xEF\xBB\xBF", 0) == 0);
    SecureString row;
    appendRecord(PullFormat::Csv, record, row);
    const std::string text = header.substr(3) + std::string(view(row));
    REQUIRE(text.ends_with("\r\n"));
    const auto rows = test::parseCsv(text);
    REQUIRE(rows.size() == 2);
    REQUIRE(rows[0].size() == kCsvColumns.size());
    REQUIRE(rows[1].size() == kCsvColumns.size());
    std::map<std::string, std::string> cells;
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
        CHECK(rows[0][i] == kCsvColumns[i]);
        cells[rows[0][i]] = rows[1][i];
    }
    CHECK(cells["Reference"] == "MCR-4K7Q");
    CHECK(cells["Received at"] == "2026-11-23T14:05:00.123Z");
    CHECK(cells["Venue"] == "Harpurhey Library");
    CHECK(cells["Neighbourhood"] == "Harpurhey");
    CHECK(cells["Service"] == "Chatty Café");
    CHECK(cells["Service ID"] == "svc-0001");
    CHECK(cells["Needs"] == "feeling-lonely; food");
    CHECK(cells["Name"] == "Zofia Wójcik");
    CHECK(cells["Phone"] == "0161 496 0123");
    CHECK(cells["Email"] == "");
    CHECK(cells["Best time"] == "no preference");
    CHECK(cells["Safe to leave a message"] == "not answered");
    CHECK(cells["Language"] == "pl");
    CHECK(cells["Interpreter"] == "yes");
    CHECK(cells["Access needs"] == "'=1+1");
    CHECK(cells["Notes"] == "Line one\nline \"two\", with a comma");
    CHECK(cells["Consent version"] == "2026-11");
    CHECK(cells["Consent time"] == "2026-11-23T14:03:07Z");
    CHECK(cells["ID"] == item.submission.id);
    CHECK(cells["Device"] == "Harpurhey kiosk");
    CHECK(cells["Device ID"] == "dev-1");
    CHECK(cells["Created at (device clock)"] == "2026-11-23T14:03:07Z");
    CHECK(cells["Test"] == "no");
}

TEST_CASE("JSON and NDJSON records carry the same facts with types", "[pull_format]") {
    const auto item = sampleItem();
    PulledRecord record = sampleRecord(item);
    record.test = true;

    SECTION("NDJSON: one object per line") {
        SecureString line;
        appendRecord(PullFormat::Ndjson, record, line);
        const std::string text(view(line));
        REQUIRE(text.ends_with("\n"));
        CHECK(std::count(text.begin(), text.end(), '\n') == 1);  // the notes' newline is escaped
        const auto object = nlohmann::json::parse(text);
        CHECK(object["reference"] == "MCR-4K7Q");
        CHECK(object["needs"] == nlohmann::json::array({"feeling-lonely", "food"}));
        CHECK(object["interpreter_needed"] == true);
        CHECK(object["test"] == true);
        CHECK(object["cursor"] == 42);
        CHECK(object["access_needs"] == "=1+1");  // no apostrophe outside CSV
        CHECK(object["notes"] == "Line one\nline \"two\", with a comma");
        CHECK(object["name"] == "Zofia Wójcik");
        CHECK(object["device_name"] == "Harpurhey kiosk");
        CHECK(object["safe_to_leave_message"] == "not_answered");
    }
    SECTION("JSON: an array, empty or not") {
        CHECK(nlohmann::json::parse(fileHeader(PullFormat::Json) +
                                    fileFooter(PullFormat::Json, false)) ==
              nlohmann::json::array());
        std::string text = fileHeader(PullFormat::Json);
        for (int i = 0; i < 3; ++i) {
            SecureString object;
            appendRecord(PullFormat::Json, record, object);
            text +=
                std::string(recordSeparator(PullFormat::Json, i == 0)) + std::string(view(object));
        }
        text += fileFooter(PullFormat::Json, true);
        const auto array = nlohmann::json::parse(text);
        REQUIRE(array.size() == 3);
        CHECK(array[2]["id"] == item.submission.id);
    }
}

TEST_CASE("the errors CSV lists every failure with its reason and no formula", "[pull_format]") {
    PullFailure failure;
    failure.cursor = 7;
    failure.id = "id-1";
    failure.deviceName = "=evil kiosk";
    failure.deviceId = "dev-9";
    failure.venue = "Gorton Hub";
    failure.receivedAt = "2026-11-23T14:05:00.000Z";
    failure.reasonCode = "bad_signature";
    failure.reason = "the device signature does not verify, really";
    const std::string text = errorsCsv({failure, failure});
    REQUIRE(text.rfind("\xEF\xBB\xBF", 0) == 0);
    const auto rows = test::parseCsv(text.substr(3));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"Cursor", "ID", "Device", "Device ID", "Venue",
                                              "Received at", "Reason code", "Reason"});
    CHECK(rows[1] == std::vector<std::string>{"7", "id-1", "'=evil kiosk", "dev-9", "Gorton Hub",
                                              "2026-11-23T14:05:00.000Z", "bad_signature",
                                              "the device signature does not verify, really"});
}

TEST_CASE("formats parse from their names", "[pull_format]") {
    CHECK(parsePullFormat("csv") == PullFormat::Csv);
    CHECK(parsePullFormat("json") == PullFormat::Json);
    CHECK(parsePullFormat("ndjson") == PullFormat::Ndjson);
    CHECK_FALSE(parsePullFormat("CSV"));
    CHECK_FALSE(parsePullFormat("xlsx"));
    CHECK_FALSE(parsePullFormat(""));
}

TEST_CASE("output file names round-trip and nothing else parses", "[pull_format]") {
    CHECK(outputFileName(1, 250, PullFormat::Csv) == "referrals-000000000001-000000000250.csv");
    CHECK(outputFileName(1, 250, PullFormat::Ndjson) ==
          "referrals-000000000001-000000000250.ndjson");
    CHECK(errorsFileName(3, 9) == "referrals-000000000003-000000000009.errors.csv");
    for (PullFormat format : {PullFormat::Csv, PullFormat::Json, PullFormat::Ndjson}) {
        const auto parsed = parseOutputFileName(outputFileName(12, 987654321012, format));
        REQUIRE(parsed);
        CHECK(parsed->from == 12);
        CHECK(parsed->to == 987654321012);
        CHECK_FALSE(parsed->errors);
        CHECK(parsed->format == format);
    }
    const auto errors = parseOutputFileName(errorsFileName(5, 5));
    REQUIRE(errors);
    CHECK(errors->errors);
    CHECK(errors->to == 5);
    CHECK(errors->epoch == 1);
    const auto later = parseOutputFileName(outputFileName(3, 9, PullFormat::Json, 12));
    REQUIRE(later);
    CHECK(later->epoch == 12);
    CHECK(later->from == 3);
    CHECK(later->to == 9);
    CHECK(outputFileName(3, 9, PullFormat::Csv, 2) == "referrals-g2-000000000003-000000000009.csv");
    CHECK(parseOutputFileName(errorsFileName(1, 2, 4))->errors);
    // Wider numbers than the padding still parse (a server past 10^12 cursors).
    CHECK(parseOutputFileName("referrals-1-1234567890123.csv")->to == 1234567890123);
    for (const char* other :
         {"referrals-5-3.csv", "referrals-1-2.xlsx", "referrals-1-2", "referrals--2.csv",
          "referrals-a-2.csv", "referrals-1-2.csv.tmp", "report.csv", ".signpost-pull-12-0.tmp",
          "referrals-1-2.errors.json", "referrals-1-99999999999999999999.csv", "referrals-+1-2.csv",
          "referrals-g1-1-2.csv", "referrals-g-1-2.csv", "referrals-gx-1-2.csv",
          "referrals-g2.csv"}) {
        INFO(other);
        CHECK_FALSE(parseOutputFileName(other));
    }
}

TEST_CASE("the output directory is created private and locked against a second pull",
          "[pull_format]") {
    test::TempDir temp("pull-dir");
    const auto dir = temp / "out" / "nested";
    {
        PullDirectory first(dir);
        CHECK(test::fileMode(dir) == 0700);

        // flock locks belong to open file descriptions: a second open, even in this process,
        // conflicts, exactly as a second `signpost pull` would.
        CHECK_THROWS_WITH(PullDirectory(dir),
                          Catch::Contains("another signpost pull is already writing"));

        // A child process cannot take it either while we hold it.
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                PullDirectory again(dir);
                ::_exit(0);
            } catch (const ToolError&) {
                ::_exit(7);
            }
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 7);
    }
    // Released with the object.
    CHECK_NOTHROW(PullDirectory(dir));

    test::writeText(temp / "file", "x");
    CHECK_THROWS_WITH(PullDirectory(temp / "file"), Catch::Contains("is not a directory"));
}

TEST_CASE("the pull state round-trips, and damage is a clear error", "[pull_format]") {
    test::TempDir temp("pull-state");
    PullDirectory dir(temp.path());
    const PullState fresh = dir.loadState();
    CHECK(fresh.cursor == 0);
    CHECK(fresh.ledgerBatches == 0);
    CHECK(fresh.epoch == 1);
    CHECK(fresh.server.empty());
    CHECK_FALSE(fresh.legacy);

    PullState saved;
    saved.server = "https://sync.example.org";
    saved.generation = "0123456789abcdef";
    saved.epoch = 2;
    saved.cursor = 250;
    saved.ledgerBatches = 7;
    saved.ackedBatches = 6;
    dir.saveState(saved);
    const PullState loaded = dir.loadState();
    CHECK(loaded.server == "https://sync.example.org");
    CHECK(loaded.generation == "0123456789abcdef");
    CHECK(loaded.epoch == 2);
    CHECK(loaded.cursor == 250);
    CHECK(loaded.ledgerBatches == 7);
    CHECK(loaded.ackedBatches == 6);
    CHECK_FALSE(loaded.legacy);

    // A state written before generations and the ledger is read, marked for migration.
    test::writeText(
        temp / kPullStateFileName,
        R"({"format":"signpost-pull-state","version":1,"server":"https://a","cursor":40,"acked_through":30})");
    const PullState old = dir.loadState();
    CHECK(old.legacy);
    CHECK(old.cursor == 40);
    CHECK(old.legacyAckedThrough == 30);
    CHECK(old.generation.empty());
    CHECK(test::fileMode(temp / kPullStateFileName) == 0600);

    const std::vector<std::string> damaged = {
        "",
        "not json",
        "[]",
        R"({"format":"something-else","version":1,"cursor":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":3,"cursor":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":2,"cursor":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":2,"generation":"","epoch":0,"cursor":1,"ledger_batches":0,"acked_batches":0})",
        R"({"format":"signpost-pull-state","version":2,"generation":"","epoch":1,"cursor":1,"ledger_batches":1,"acked_batches":2})",
        R"({"format":"signpost-pull-state","version":2,"generation":5,"epoch":1,"cursor":1,"ledger_batches":1,"acked_batches":0})",
        R"({"format":"signpost-pull-state","version":1,"cursor":-1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":1,"cursor":"5","acked_through":0})",
        R"({"format":"signpost-pull-state","version":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":1,"cursor":5,"acked_through":9})",
        // Found by fuzz/pull_state_fuzz.cpp: a format that is not a string escaped as nlohmann's
        // type_error instead of "damaged"; so did 1e400 anywhere.
        R"({"format":1,"version":1,"cursor":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":1e400,"cursor":1,"acked_through":0})",
        R"({"format":"signpost-pull-state","version":99999999999,"cursor":1,"acked_through":0})",
    };
    for (const std::string& text : damaged) {
        INFO(text);
        test::writeText(temp / kPullStateFileName, text);
        CHECK_THROWS_WITH(dir.loadState(),
                          Catch::Contains("is damaged") && Catch::Contains("move it aside"));
    }
}

TEST_CASE("resume cursor and clean-up of what an interrupted run left", "[pull_format]") {
    test::TempDir temp("pull-cleanup");
    PullDirectory dir(temp.path());
    CHECK(dir.highestOutputCursor() == 0);
    CHECK(dir.cleanUpInterruptedRun(0) == 0);

    test::writeText(temp / outputFileName(1, 10, PullFormat::Csv), "x");
    test::writeText(temp / errorsFileName(1, 10), "x");
    test::writeText(temp / outputFileName(11, 30, PullFormat::Json), "x");
    test::writeText(temp / errorsFileName(31, 40), "x");      // its run died before committing
    test::writeText(temp / ".signpost-pull-123-0.tmp", "x");  // a half-written file
    test::writeText(temp / "..signpost-pull.json.tmp-99-abc", "x");  // writeFileAtomically's name
    test::writeText(temp / "notes.txt", "mine");
    test::writeText(temp / "referrals-1-99.csv.bak", "mine");
    CHECK(dir.highestOutputCursor() == 30);  // errors files do not count

    CHECK(dir.cleanUpInterruptedRun(30) == 3);
    CHECK(namesIn(temp.path()) ==
          std::set<std::string>{kPullLockFileName, outputFileName(1, 10, PullFormat::Csv),
                                errorsFileName(1, 10), outputFileName(11, 30, PullFormat::Json),
                                "notes.txt", "referrals-1-99.csv.bak"});
    // An errors-only run is complete once the state says so.
    test::writeText(temp / errorsFileName(31, 40), "x");
    CHECK(dir.cleanUpInterruptedRun(40) == 0);
    CHECK(std::filesystem::exists(temp / errorsFileName(31, 40)));

    // After a restore (issue 9) cursors start again: files of the second generation this
    // directory met carry "g2-" and count on their own.
    test::writeText(temp / outputFileName(1, 5, PullFormat::Csv, 2), "x");
    test::writeText(temp / errorsFileName(6, 8, 2), "x");  // died before committing
    test::writeText(temp / errorsFileName(1, 3, 3), "x");  // a later generation: not committed
    CHECK(dir.highestOutputCursor(1) == 30);
    CHECK(dir.highestOutputCursor(2) == 5);
    CHECK(dir.cleanUpInterruptedRun(5, 2) == 2);
    CHECK(std::filesystem::exists(temp / errorsFileName(31, 40)));  // generation 1: kept
    CHECK(std::filesystem::exists(temp / outputFileName(1, 5, PullFormat::Csv, 2)));
    CHECK_FALSE(std::filesystem::exists(temp / errorsFileName(6, 8, 2)));
}

TEST_CASE("the ids ledger appends batches, forgets dropped ones and cuts off a torn tail",
          "[pull_format]") {
    test::TempDir temp("pull-ledger");
    const std::filesystem::path file = temp / kPullLedgerFileName;
    {
        PullLedger ledger(file);
        CHECK_FALSE(ledger.existedBefore());
        CHECK(ledger.batchCount() == 0);
        LedgerBatch first;
        first.generation = "00aa";
        first.from = 1;
        first.to = 3;
        first.file = outputFileName(1, 3, PullFormat::Csv);
        first.entries = {{'W', "id-1"}, {'T', "id-2"}};
        ledger.append(first);
        LedgerBatch second;
        second.epoch = 2;
        second.generation = "00bb";
        second.from = 1;
        second.to = 2;
        second.entries = {{'R', "id-1"}, {'W', "id-3"}};
        ledger.append(second);
        CHECK(ledger.kindOf("id-1") == 'W');
        CHECK(ledger.kindOf("id-2") == 'T');
        CHECK(ledger.kindOf("id-3") == 'W');
        CHECK(ledger.kindOf("id-4") == 0);
        CHECK(test::fileMode(file) == 0600);
    }
    {
        PullLedger ledger(file);
        CHECK(ledger.existedBefore());
        REQUIRE(ledger.batchCount() == 2);
        CHECK(ledger.batch(0).file == outputFileName(1, 3, PullFormat::Csv));
        CHECK(ledger.batch(1).file.empty());
        CHECK(ledger.batch(1).epoch == 2);
        CHECK(ledger.batch(1).generation == "00bb");
        CHECK(ledger.batch(1).entries.size() == 2);
        ledger.truncate(1);
        CHECK(ledger.kindOf("id-3") == 0);
        CHECK(ledger.kindOf("id-1") == 'W');
    }
    // A run killed while appending leaves half a batch: it is not a batch, and goes.
    const std::string whole = test::readText(file);
    for (const std::string& tail :
         {std::string("batch 1 1 00aa 4 9 referrals-x.csv\nW id-9\n"),
          std::string("batch 1 1 00aa 4 9 referrals-x.csv\nW id-9\nend 1 1"), std::string("bat")}) {
        INFO(tail);
        test::writeText(file, whole + tail);
        PullLedger ledger(file);
        CHECK(ledger.batchCount() == 1);
        CHECK(ledger.kindOf("id-9") == 0);
        CHECK(test::readText(file) == whole);
    }
    // Damage inside complete batches is an error, never a silent reset.
    for (const std::string& text :
         {std::string("batch 0 1 - 1 2 -\nX id\nend 0 1\n"),
          std::string("batch 0 1 - 1 2 -\nW id\nend 0 2\n"),
          std::string("batch 5 1 - 1 2 -\nW id\nend 5 1\n"), std::string("W id\nend 0 1\n")}) {
        INFO(text);
        test::writeText(file, text);
        CHECK_THROWS_WITH(PullLedger(file), Catch::Contains("is damaged"));
    }
}

TEST_CASE("OutputFile writes through a private temporary file and renames on commit",
          "[pull_format]") {
    test::TempDir temp("pull-output");
    std::filesystem::path tempPath;
    {
        OutputFile file(temp.path());
        tempPath = file.temporaryPath();
        CHECK(tempPath.parent_path() == temp.path());
        CHECK(test::fileMode(tempPath) == 0600);
        std::string big(3 << 20, 'x');  // past the flush threshold
        file.write("head,");
        file.write(big);
        file.write(",tail");
        CHECK_FALSE(std::filesystem::exists(temp / "final.csv"));
        file.commit("final.csv");
        CHECK(file.bytesWritten() == big.size() + 10);
    }
    CHECK_FALSE(std::filesystem::exists(tempPath));
    const std::string text = test::readText(temp / "final.csv");
    CHECK(text.size() == (3u << 20) + 10);
    CHECK(text.starts_with("head,x"));
    CHECK(text.ends_with("x,tail"));

    SECTION("abandoned without commit, the temporary file is removed") {
        std::filesystem::path abandoned;
        {
            OutputFile file(temp.path());
            abandoned = file.temporaryPath();
            file.write("partial");
        }
        CHECK_FALSE(std::filesystem::exists(abandoned));
        CHECK(namesIn(temp.path()) == std::set<std::string>{"final.csv"});
    }
    SECTION("a failed rename is a FileError with its errno, and leaves no temporary file") {
        std::filesystem::path abandoned;
        {
            OutputFile file(temp.path());
            abandoned = file.temporaryPath();
            file.write("data");
            try {
                file.commit("sub/dir/missing.csv");
                FAIL("commit into a missing directory succeeded");
            } catch (const FileError& error) {
                CHECK(error.errnoValue() == ENOENT);
            }
        }
        CHECK_FALSE(std::filesystem::exists(abandoned));
    }
    SECTION("creating in a directory that is gone is a FileError") {
        CHECK_THROWS_AS(OutputFile(temp / "gone"), FileError);
    }
}

TEST_CASE("the worker pool runs every index once and passes errors back", "[pull_format]") {
    for (unsigned threads : {1u, 2u, 4u}) {
        WorkerPool pool(threads);
        CHECK(pool.threads() == threads);
        for (int round = 0; round < 50; ++round) {
            const std::size_t count = static_cast<std::size_t>(round * 37 % 1001);
            std::vector<std::atomic<int>> hits(count);
            pool.run(count, [&](std::size_t i) { hits[i].fetch_add(1); });
            for (std::size_t i = 0; i < count; ++i) {
                REQUIRE(hits[i].load() == 1);
            }
        }
        CHECK_THROWS_WITH(pool.run(100,
                                   [](std::size_t i) {
                                       if (i == 57) {
                                           throw std::runtime_error("task 57 failed");
                                       }
                                   }),
                          "task 57 failed");
        // Still usable after an error.
        std::atomic<int> total{0};
        pool.run(10, [&](std::size_t) { total.fetch_add(1); });
        CHECK(total.load() == 10);
    }
}
