#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/common/ids.h"
#include "support/test_support.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/submission_signing.h"
#include "sync/protocol/wire.h"

using namespace signpost;
using namespace signpost::protocol;

namespace {

Submission sampleSubmission() {
    Submission s;
    s.id = uuidV4();
    s.seq = 7;
    s.createdAt = "2026-11-23T10:15:00Z";
    s.formVersion = "2026.11";
    s.venue = "Central Library";
    s.neighbourhood = "Hulme, Moss Side & Rusholme";
    s.serviceId = "svc-food-001";
    s.sealed = std::vector<std::uint8_t>(300, 0xAB);
    return s;
}

}  // namespace

TEST_CASE("a submission batch survives the wire unchanged", "[protocol]") {
    DeviceSigningKey key = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    SubmissionBatch batch{{s}};
    SubmissionBatch back = parseSubmissionBatch(toJson(batch));
    REQUIRE(back.submissions.size() == 1);
    const Submission& r = back.submissions[0];
    CHECK(r.id == s.id);
    CHECK(r.seq == 7);
    CHECK(r.createdAt == s.createdAt);
    CHECK(r.venue == s.venue);
    CHECK(r.neighbourhood == s.neighbourhood);
    CHECK(r.serviceId == s.serviceId);
    CHECK(r.sealed == s.sealed);
    CHECK(r.signature == s.signature);
    CHECK(verifySubmission(r, key.publicKey()));
}

TEST_CASE("signatures catch any change to any stored field", "[protocol]") {
    DeviceSigningKey key = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    REQUIRE(verifySubmission(s, key.publicKey()));

    Submission changed = s;
    SECTION("sealed bytes") {
        changed.sealed[10] ^= 1;
    }
    SECTION("sequence") {
        changed.seq = 8;
    }
    SECTION("venue") {
        changed.venue = "Elsewhere";
    }
    SECTION("service") {
        changed.serviceId = "";
    }
    SECTION("test flag") {
        changed.test = true;
    }
    SECTION("created at") {
        changed.createdAt = "2099-01-01T00:00:00Z";
    }
    CHECK_FALSE(verifySubmission(changed, key.publicKey()));
    CHECK(contentHash(changed) != contentHash(s));
}

TEST_CASE("another device's key does not verify, signatures are deterministic", "[protocol]") {
    DeviceSigningKey key = DeviceSigningKey::generate();
    DeviceSigningKey other = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    CHECK_FALSE(verifySubmission(s, other.publicKey()));
    Submission again = s;
    key.sign(again);
    CHECK(again.signature == s.signature);  // a blind retry sends identical bytes
    // The content hash ignores the signature: re-enrolled device, same content = duplicate.
    other.sign(again);
    CHECK(contentHash(again) == contentHash(s));
}

TEST_CASE("a device key saved to disk loads back with mode 0600", "[protocol]") {
    test::TempDir dir("protocol");
    DeviceSigningKey key = DeviceSigningKey::generate();
    key.save(dir / "device.key");
    CHECK(
        (std::filesystem::status(dir / "device.key").permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    DeviceSigningKey loaded = DeviceSigningKey::load(dir / "device.key");
    CHECK(loaded.publicKey() == key.publicKey());
    test::writeText(dir / "bad.key", "not base64 at all");
    CHECK_THROWS_WITH(DeviceSigningKey::load(dir / "bad.key"),
                      Catch::Contains("not a device signing key"));
}

TEST_CASE("malformed batches name the field at fault", "[protocol]") {
    auto errorFor = [](const std::string& body) -> std::string {
        try {
            parseSubmissionBatch(body);
        } catch (const WireFormatError& error) {
            return error.what();
        }
        return "no error";
    };
    DeviceSigningKey key = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    std::string good = toJson(SubmissionBatch{{s}});

    CHECK(errorFor("{") == "the body is not valid JSON");
    CHECK(errorFor("[]") == "expected an object, got an array");
    CHECK(errorFor("{}") == "submissions: required field is missing");
    CHECK(errorFor(R"({"submissions": []})") == "submissions: must hold at least one submission");
    CHECK(errorFor(R"({"submissions": [{"id": "x"}]})") ==
          "submissions[0].id: must be a lower-case UUIDv4");

    std::string badSeq = good;
    badSeq.replace(badSeq.find("\"seq\":7"), 7, "\"seq\":\"7\"");
    CHECK(errorFor(badSeq) == "submissions[0].seq: expected a whole number, got a string");

    std::string badSignature = good;
    auto at = badSignature.find("\"signature\":\"") + 13;
    badSignature.replace(at, 4, "!!!!");
    CHECK(errorFor(badSignature) == "submissions[0].signature: is not valid base64");

    SubmissionBatch tooMany;
    for (std::size_t i = 0; i <= kMaxBatchItems; ++i) {
        Submission item = sampleSubmission();
        key.sign(item);
        tooMany.submissions.push_back(item);
    }
    CHECK_THAT(errorFor(toJson(tooMany)), Catch::Contains("at most 100 per request"));

    Submission huge = sampleSubmission();
    huge.sealed.assign(kMaxSealedBytes + 1, 1);
    key.sign(huge);
    CHECK_THAT(errorFor(toJson(SubmissionBatch{{huge}})), Catch::Contains("submissions[0].sealed"));
}

TEST_CASE("error bodies round-trip and captive-portal HTML is not mistaken for one", "[protocol]") {
    ApiError error{"rate_limited", "too many enrolment attempts; try again in 30 s"};
    auto back = parseApiError(toJson(error));
    REQUIRE(back);
    CHECK(back->code == "rate_limited");
    CHECK(back->message == error.message);
    CHECK_FALSE(parseApiError("<html><body>Welcome to Library WiFi</body></html>"));
    CHECK_FALSE(parseApiError(R"({"results": []})"));
}

TEST_CASE("pull pages, directory updates, heartbeats and device lists round-trip", "[protocol]") {
    DeviceSigningKey key = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    SubmissionPage page;
    page.submissions.push_back(
        PulledSubmission{42, s, "dev-1", "Central Library kiosk",
                         std::vector<std::uint8_t>(key.publicKey().begin(), key.publicKey().end()),
                         "2026-11-23T10:15:02Z"});
    page.nextCursor = 42;
    page.hasMore = true;
    SubmissionPage pageBack = parseSubmissionPage(toJson(page));
    REQUIRE(pageBack.submissions.size() == 1);
    CHECK(pageBack.submissions[0].cursor == 42);
    CHECK(pageBack.submissions[0].deviceName == "Central Library kiosk");
    CHECK(verifySubmission(pageBack.submissions[0].submission,
                           pageBack.submissions[0].signingPublicKey));
    CHECK(pageBack.hasMore);

    DirectoryUpdate update;
    update.version = 5;
    update.since = 4;
    update.directoryJson = R"({"services":[]})";
    update.deletedServiceIds = {"svc-1"};
    DirectoryUpdate updateBack = parseDirectoryUpdate(toJson(update));
    CHECK(updateBack.version == 5);
    CHECK_FALSE(updateBack.full);
    CHECK(updateBack.deletedServiceIds == std::vector<std::string>{"svc-1"});
    CHECK(updateBack.directoryJson == R"({"services":[]})");

    Heartbeat heartbeat{"0.1.0", 3, 10, 1, "2026-11-23T10:00:00Z", "timeout", 123456789, 5};
    DeviceList list{{DeviceInfo{"dev-1", "Kiosk", "Central Library", "2026-11-01T09:00:00Z",
                                "2026-11-23T10:00:00Z", false, heartbeat}}};
    DeviceList listBack = parseDeviceList(toJson(list));
    REQUIRE(listBack.devices.size() == 1);
    CHECK(listBack.devices[0].lastHeartbeat.queued == 3);
    CHECK(listBack.devices[0].lastHeartbeat.freeDiskBytes == 123456789);
    CHECK(listBack.devices[0].lastHeartbeat.lastError == "timeout");

    CHECK_THROWS_WITH(parseAckRequest(R"({"ids": ["nope"]})"), Catch::Contains("ids[0]"));
    CHECK_THROWS_WITH(
        parseEnrollRequest(R"({"enrollment_code": "A", "device_name": "k", "venue": "v",
                                            "signing_public_key": "AAAA"})"),
        Catch::Contains("signing_public_key: must be 32 bytes"));
}

TEST_CASE("issue 9: generations on pages and cursors, staff lock-outs in heartbeats",
          "[protocol]") {
    SubmissionPage page;
    page.nextCursor = 7;
    page.generation = "0123456789abcdef";
    page.restarted = true;
    const SubmissionPage back = parseSubmissionPage(toJson(page));
    CHECK(back.generation == "0123456789abcdef");
    CHECK(back.restarted);
    // An older server's page has neither.
    const SubmissionPage old =
        parseSubmissionPage(R"({"has_more":false,"next_cursor":0,"submissions":[]})");
    CHECK(old.generation.empty());
    CHECK_FALSE(old.restarted);

    CHECK(formatPullCursor("", 12) == "12");
    CHECK(formatPullCursor("00ff", 12) == "00ff:12");
    CHECK(parsePullCursor("12").generation.empty());
    CHECK(parsePullCursor("12").cursor == 12);
    CHECK(parsePullCursor("00ff:0").generation == "00ff");
    for (const char* bad :
         {"", "-1", "x", "00ff:", ":3", "00FF:3", "0g:3", "a:b", "1:2:3", "12 "}) {
        INFO(bad);
        CHECK_THROWS_AS(parsePullCursor(bad), WireFormatError);
    }

    Heartbeat beat;
    beat.appVersion = "0.2.0";
    beat.staff = {true, true, 3, "2026-11-23T10:00:00Z"};
    const Heartbeat beatBack = parseHeartbeat(toJson(beat));
    CHECK(beatBack.staff == beat.staff);
    // A kiosk too old to report: not reported, not "no PIN".
    const Heartbeat older = parseHeartbeat(R"({"app_version":"0.1.0"})");
    CHECK_FALSE(older.staff.reported);
    CHECK_THROWS_WITH(parseHeartbeat(R"({"app_version":"x","staff":{"lockouts":-1}})"),
                      Catch::Contains("staff.lockouts"));
}

TEST_CASE("issue 12: an error body of the wrong shape is not an error body, not an exception",
          "[protocol]") {
    // nlohmann's value("code", "") threw type_error on {"code": 5}: the kiosk reads every odd
    // answer with parseApiError, so a server (or portal) sending this made the sync engine report
    // "storage" trouble and reopen its stores.
    CHECK_FALSE(parseApiError(R"({"error": {"code": 5, "message": "x"}})").has_value());
    CHECK_FALSE(parseApiError(R"({"error": {"code": "busy", "message": ["x"]}})").has_value());
    CHECK_FALSE(parseApiError(R"({"error": "busy"})").has_value());
    CHECK_FALSE(parseApiError("<html>log in</html>").has_value());
    const auto error = parseApiError(R"({"error": {"code": "busy", "message": "try later"}})");
    REQUIRE(error.has_value());
    CHECK(error->code == "busy");
    CHECK(error->message == "try later");
}

TEST_CASE("issue 12: a whole number beyond int64 is refused, not wrapped", "[protocol]") {
    // nlohmann reads 9223372036854775808 and up as unsigned; read as int64 it used to wrap to a
    // negative cursor (or a seq of -1) without an error.
    DeviceSigningKey key = DeviceSigningKey::generate();
    Submission s = sampleSubmission();
    key.sign(s);
    PulledSubmission pulled;
    pulled.cursor = 5;
    pulled.submission = s;
    pulled.deviceId = "device-1";
    pulled.signingPublicKey.assign(key.publicKey().begin(), key.publicKey().end());
    pulled.receivedAt = "2026-11-23T10:00:00Z";
    std::string page = toJson(SubmissionPage{{pulled}, 5, false, "", false});
    REQUIRE_NOTHROW(parseSubmissionPage(page));
    page.replace(page.find("\"cursor\":5"), 10, "\"cursor\":9223372036854775808");
    CHECK_THROWS_WITH(parseSubmissionPage(page),
                      "submissions[0].cursor: must be at most 9223372036854775807, got "
                      "9223372036854775808");

    std::string batch = toJson(SubmissionBatch{{s}});
    batch.replace(batch.find("\"seq\":7"), 7, "\"seq\":18446744073709551615");
    CHECK_THROWS_WITH(parseSubmissionBatch(batch),
                      "submissions[0].seq: must be at most 9223372036854775807, got "
                      "18446744073709551615");
}

TEST_CASE("a pull page written directly is the JSON a DOM would write", "[protocol]") {
    // The page is written without nlohmann (the pull's hot path); nlohmann is the reference.
    SubmissionPage page;
    page.nextCursor = 9;
    page.hasMore = false;
    const std::string awkward = std::string("quote \" back\\slash \n\r\t tab, bell \x07, nul ") +
                                std::string(1, '\0') + " and Łódź — ✓";
    for (std::size_t size : {49, 50, 51, 52, 300}) {  // every base64 tail: one, two, no bytes left
        PulledSubmission p;
        p.cursor = static_cast<std::int64_t>(size) + 1;
        p.submission = sampleSubmission();
        p.submission.seq = static_cast<std::int64_t>(size) * 1000000007 + 1;
        p.submission.venue = awkward;
        p.submission.test = size % 2 == 1;
        p.submission.sealed.resize(size);
        for (std::size_t i = 0; i < size; ++i) {
            p.submission.sealed[i] = static_cast<std::uint8_t>(i * 37 + 255);
        }
        p.submission.signature = std::vector<std::uint8_t>(64, 0xFF);
        p.deviceId = "dev-" + std::to_string(size);
        p.deviceName = awkward;
        p.signingPublicKey = std::vector<std::uint8_t>(32, 0x3E);
        p.receivedAt = "2026-11-23T10:15:02Z";
        page.submissions.push_back(p);
    }

    nlohmann::json items = nlohmann::json::array();
    for (const PulledSubmission& p : page.submissions) {
        const Submission& s = p.submission;
        items.push_back({{"id", s.id},
                         {"seq", s.seq},
                         {"created_at", s.createdAt},
                         {"form_version", s.formVersion},
                         {"venue", s.venue},
                         {"neighbourhood", s.neighbourhood},
                         {"service_id", s.serviceId},
                         {"test", s.test},
                         {"sealed", toBase64(s.sealed)},
                         {"signature", toBase64(s.signature)},
                         {"cursor", p.cursor},
                         {"device_id", p.deviceId},
                         {"device_name", p.deviceName},
                         {"signing_public_key", toBase64(p.signingPublicKey)},
                         {"received_at", p.receivedAt}});
    }
    const std::string expected =
        nlohmann::json{{"submissions", items}, {"next_cursor", 9}, {"has_more", false}}.dump();
    CHECK(toJson(page) == expected);

    const SubmissionPage back = parseSubmissionPage(toJson(page));
    REQUIRE(back.submissions.size() == page.submissions.size());
    for (std::size_t i = 0; i < back.submissions.size(); ++i) {
        CHECK(back.submissions[i].submission.sealed == page.submissions[i].submission.sealed);
        CHECK(back.submissions[i].submission.venue == awkward);
        CHECK(back.submissions[i].deviceName == awkward);
    }
    CHECK(toJson(SubmissionPage{}) == R"({"has_more":false,"next_cursor":0,"submissions":[]})");
}

TEST_CASE("public base64 decodes as libsodium does, and refuses what it refuses", "[protocol]") {
    for (std::size_t size = 0; size <= 70; ++size) {
        std::vector<std::uint8_t> bytes(size);
        for (std::size_t i = 0; i < size; ++i) {
            bytes[i] = static_cast<std::uint8_t>(i * 73 + size);
        }
        const std::string text = toBase64(bytes);  // libsodium's encoder
        INFO(text);
        const auto decoded = decodePublicBase64(text);
        REQUIRE(decoded);
        CHECK(*decoded == bytes);
        std::string written;
        appendPublicBase64String(written, bytes);
        CHECK(written == "\"" + text + "\"");
    }
    for (const char* bad : {"A", "AB", "ABC", "AB=C", "A===", "====", "AB==CD==", "AB$D", "AB D",
                            "QR==", "QUJ=", "QUJ=x===", "QUJD\n"}) {
        INFO(bad);
        CHECK_FALSE(decodePublicBase64(bad));
        CHECK_FALSE(fromBase64(bad));  // the reference agrees
    }
    CHECK(decodePublicBase64("QQ==") == std::vector<std::uint8_t>{'A'});
    CHECK(decodePublicBase64("QUI=") == std::vector<std::uint8_t>{'A', 'B'});
}
