#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include <algorithm>
#include <csignal>
#include <set>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/config/kiosk_config.h"
#include "core/staff/staff_auth.h"
#include "support/test_support.h"

using namespace signpost;
namespace fs = std::filesystem;

namespace {

std::string keyOfLength(std::size_t bytes) {
    std::vector<std::uint8_t> raw(bytes);
    for (std::size_t i = 0; i < bytes; ++i) {
        raw[i] = static_cast<std::uint8_t>(i * 37 + 11);
    }
    return toBase64(raw);
}

const std::string& validKey() {
    static const std::string key = keyOfLength(32);
    return key;
}

std::string keyLine() {
    return "coordinator_public_key = \"" + validKey() + "\"\n";
}

// The example with a real key pasted in, as a deployment would have it.
std::string deployedExample() {
    std::string text = exampleKioskConfig();
    const std::string empty = "coordinator_public_key = \"\"\n";
    const std::size_t at = text.find(empty);
    REQUIRE(at != std::string::npos);
    return text.replace(at, empty.size(), keyLine());
}

ConfigError configError(const std::string& text, const std::string& file = "kiosk.toml") {
    try {
        (void)parseKioskConfig(text, file);
    } catch (const ConfigError& error) {
        return error;
    }
    FAIL("expected a ConfigError for:\n" << text);
    throw std::logic_error("unreachable");
}

void checkDefaults(const KioskConfig& config) {
    const KioskConfig defaults;
    CHECK(config.venueName == defaults.venueName);
    CHECK(config.neighbourhood == defaults.neighbourhood);
    CHECK(config.referencePrefix == defaults.referencePrefix);
    CHECK(config.timeZone == defaults.timeZone);
    CHECK(config.idleTimeoutSeconds == defaults.idleTimeoutSeconds);
    CHECK(config.idleWarningSeconds == defaults.idleWarningSeconds);
    CHECK(config.textSize == defaults.textSize);
    CHECK(config.highContrast == defaults.highContrast);
    CHECK(config.languages == defaults.languages);
    CHECK(config.defaultLanguage == defaults.defaultLanguage);
    CHECK(config.allowExit == defaults.allowExit);
    CHECK(config.pinHash == defaults.pinHash);
    CHECK(config.formVersion == defaults.formVersion);
    CHECK(config.consentVersion == defaults.consentVersion);
    CHECK(config.retentionMonths == defaults.retentionMonths);
    CHECK(config.linkWorkerPhone == defaults.linkWorkerPhone);
    CHECK(config.dataDir == defaults.dataDir);
    CHECK(config.assetsDir == defaults.assetsDir);
    CHECK(config.directoryBundle == defaults.directoryBundle);
}

// A fast (minimum-cost) Argon2id hash: valid for the config, cheap for tests.
std::string cheapPinHash(const std::string& pin) {
    ensureSodium();
    char hash[crypto_pwhash_STRBYTES];
    REQUIRE(crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN) == 0);
    return hash;
}

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("config/kiosk.toml is exactly the generated example", "[config]") {
    CHECK(test::readText(test::sourceDir() / "config" / "kiosk.toml") == exampleKioskConfig());
}

TEST_CASE("the example documents every key with its default", "[config]") {
    const std::string example = exampleKioskConfig();
    const TomlDocument document = TomlDocument::parse(example, "kiosk.toml");
    REQUIRE(document.entries().size() >= 20);
    std::vector<std::string> lines;
    std::istringstream lineStream(example);
    for (std::string line; std::getline(lineStream, line);) {
        lines.push_back(line);
    }
    for (const TomlEntry& entry : document.entries()) {
        INFO(entry.table << "." << entry.key);
        // The two lines above each key: what it may be set to, and its default.
        const std::string& previous = lines[static_cast<std::size_t>(entry.line - 2)];
        if (entry.table == "referral" && entry.key == "coordinator_public_key") {
            CHECK_THAT(previous, Catch::StartsWith("# Required"));
            CHECK_THAT(example, Catch::Contains("Paste the key printed by `signpost keygen`"));
        } else if (formatTomlValue(entry.value).size() + 11 <= 99) {
            CHECK(previous == "# Default: " + formatTomlValue(entry.value));
        } else {
            // Too long for a comment line: the key's own line shows the default.
            CHECK(previous == "# Default: the value below.");
            REQUIRE(entry.key == "languages");
            TomlArray offered;
            for (const std::string& code : KioskConfig{}.languages) {
                offered.emplace_back(code);
            }
            CHECK(formatTomlValue(entry.value) == formatTomlValue(offered));
        }
        // The comment block above the key says what it may be set to.
        std::string block;
        for (std::size_t i = static_cast<std::size_t>(entry.line - 2);
             i > 0 && lines[i].rfind("# ", 0) == 0; --i) {
            block = lines[i] + "\n" + block;
        }
        CHECK_THAT(block, Catch::Contains("\n# Allowed: "));
    }
    // Every comment line fits in 99 columns (a key's line is as long as its value).
    std::istringstream in(example);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind('#', 0) == 0) {
            CHECK(line.size() <= 99);
        }
    }
}

TEST_CASE("the example on its own parses with no key: the kiosk asks for one at start",
          "[config]") {
    // "" means "from the key file" (an installed kiosk, core/runtime/coordinator_key.h); a kiosk
    // run from a build with neither stops at start (kiosk_runtime_test).
    const KioskConfig config = parseKioskConfig(exampleKioskConfig(), "kiosk.toml");
    CHECK(config.coordinatorPublicKey.empty());
}

TEST_CASE("the example with a key pasted in gives every default", "[config]") {
    const KioskConfig config = parseKioskConfig(deployedExample(), "kiosk.toml");
    checkDefaults(config);
    CHECK(config.coordinatorPublicKey == validKey());
    CHECK(config.warnings.empty());
    CHECK(config.sourceFile.empty());
}

TEST_CASE("a config with only the key takes every default", "[config]") {
    const KioskConfig config = parseKioskConfig("[referral]\n" + keyLine(), "kiosk.toml");
    checkDefaults(config);
    CHECK(config.warnings.empty());
}

TEST_CASE("the error names file, line, table.key and the value, as documented", "[config]") {
    std::string text = "[referral]\n" + keyLine();
    for (int line = 3; line < 11; ++line) {
        text += "# filler\n";
    }
    text += "[kiosk]\n";                    // line 11
    text += "idle_timeout = \"ninety\"\n";  // line 12
    const ConfigError error = configError(text);
    CHECK(std::string(error.what()) ==
          "kiosk.toml:12: kiosk.idle_timeout: expected a whole number of seconds from 30 to "
          "3600, got \"ninety\"");
    CHECK(error.file() == "kiosk.toml");
    CHECK(error.line() == 12);
    CHECK(error.key() == "kiosk.idle_timeout");
    // The file name is shown as given.
    CHECK_THAT(configError(text, "/etc/signpost/kiosk.toml").what(),
               Catch::StartsWith("/etc/signpost/kiosk.toml:12: kiosk.idle_timeout: "));
}

TEST_CASE("every key refuses bad values with a message naming its line", "[config]") {
    struct Bad {
        std::string table;
        std::string key;
        std::string value;    // TOML text
        std::string problem;  // expected in what()
    };
    const std::string text80 = std::string(81, 'x');
    const std::vector<Bad> cases = {
        {"venue", "name", "\"\"", "expected text in quotes, 1 to 80 characters, got \"\""},
        {"venue", "name", "\"" + text80 + "\"", "expected text in quotes, 1 to 80 characters"},
        {"venue", "name", "\"tab\\there\"", "got \"tab\\there\""},
        {"venue", "name", "5", "got 5"},
        {"venue", "neighbourhood", "\"" + std::string(61, 'n') + "\"", "at most 60 characters"},
        {"venue", "neighbourhood", "true", "got true"},
        {"venue", "reference_prefix", "\"mcr\"", "capital letters A to Z, in quotes, got \"mcr\""},
        {"venue", "reference_prefix", "\"\"", "2 to 5 capital letters"},
        {"venue", "reference_prefix", "\"ABCDEF\"", "2 to 5 capital letters"},
        {"venue", "reference_prefix", "\"M1\"", "capital letters"},
        {"venue", "time_zone", "\"../../etc/passwd\"", "a time zone name in quotes"},
        {"venue", "time_zone", "\"Europe//London\"", "a time zone name"},
        {"venue", "time_zone", "\"/Europe/London\"", "a time zone name"},
        {"venue", "time_zone", "\"Europe/London.bak\"", "a time zone name"},
        {"venue", "time_zone", "\"\"", "a time zone name"},
        {"venue", "time_zone", "1", "a time zone name"},
        {"kiosk", "idle_timeout", "29", "from 30 to 3600, got 29"},
        {"kiosk", "idle_timeout", "3601", "from 30 to 3600, got 3601"},
        {"kiosk", "idle_timeout", "-1", "got -1"},
        {"kiosk", "idle_timeout", "90.5", "got 90.5"},
        {"kiosk", "idle_timeout", "true", "got true"},
        {"kiosk", "idle_timeout", "9223372036854775807", "got 9223372036854775807"},
        {"kiosk", "idle_warning", "19", "whole number of seconds from 20 to 120, got 19"},
        {"kiosk", "idle_warning", "121", "from 20 to 120, got 121"},
        {"kiosk", "text_size", "\"huge\"",
         "one of \"normal\", \"large\", \"largest\", got \"huge\""},
        {"kiosk", "text_size", "\"Normal\"", "got \"Normal\""},
        {"kiosk", "text_size", "1", "got 1"},
        {"kiosk", "high_contrast", "\"yes\"", "expected true or false, got \"yes\""},
        {"kiosk", "high_contrast", "1", "expected true or false, got 1"},
        {"kiosk", "languages", "\"en\"",
         "a list of BCP 47 language tags, like [\"en\", \"pl\", \"ckb\", \"zh-Hans\"]"},
        {"kiosk", "languages", "[\"english\"]", "\"english\" is not a BCP 47 language tag"},
        {"kiosk", "languages", "[\"en\", \"xx\"]", "\"xx\" is not a BCP 47 language tag"},
        {"kiosk", "languages", "[\"en\", \"zh-Hanz\"]", "\"zh-Hanz\" is not a BCP 47 language tag"},
        {"kiosk", "languages", "[\"en\", \"zh_Hans\"]", "\"zh_Hans\" is not a BCP 47 language tag"},
        {"kiosk", "languages", "[\"en\", \"../pl\"]", "\"../pl\" is not a BCP 47 language tag"},
        {"kiosk", "languages", "[1]", "1 is not a BCP 47 language tag"},
        {"kiosk", "languages", "[\"en\", \"pl\", \"en\"]", "\"en\" is listed twice"},
        {"kiosk", "languages", "[\"en\", \"zh-hans\", \"zh-Hans\"]", "\"zh-Hans\" is listed twice"},
        {"kiosk", "default_language", "\"english\"",
         "a BCP 47 language tag in quotes, like \"en\", \"ckb\" or \"zh-Hans\""},
        {"kiosk", "default_language", "\"xx\"", "got \"xx\""},
        {"kiosk", "default_language", "\"fr\"",
         "expected one of the languages in kiosk.languages (\"en\", \"pl\", \"ur\", \"ar\", "
         "\"bn\", \"zh-Hans\", \"zh-Hant\", \"pa\", \"so\", \"ro\", \"ckb\", \"fa\", \"uk\"), got "
         "\"fr\""},
        {"kiosk", "allow_exit", "\"true\"", "expected true or false, got \"true\""},
        // operations: [hours]
        {"hours", "monday", "\"9-5\"", "expected opening hours in quotes"},
        {"hours", "tuesday", "\"17:00-09:00\"", "got \"17:00-09:00\""},
        {"hours", "wednesday", "\"\"", "expected opening hours"},
        {"hours", "thursday", "9", "got 9"},
        {"hours", "friday", "\"open\"", "expected opening hours"},
        {"hours", "saturday", "\"09:00-13:00, 12:00-14:00\"", "expected opening hours"},
        {"hours", "sunday", "\"Closed\"", "expected opening hours"},
        {"hours", "exceptions", "\"2026-12-25 closed\"", "a list of dates with their hours"},
        {"hours", "exceptions", "[\"2026-02-30 closed\"]", "not a real date"},
        {"hours", "exceptions", "[\"2026-12-25 closed\", \"2026-12-25 closed\"]", "listed twice"},
        {"hours", "sleep_when_closed", "1", "expected true or false"},
        {"hours", "closed_wake", "14", "whole number of seconds from 15 to 600, got 14"},
        {"staff", "pin_hash", "\"1234\"", "expected an Argon2id hash written by the staff panel"},
        {"staff", "pin_hash", "\"$argon2id$v=19$garbage\"", "expected an Argon2id hash"},
        {"staff", "pin_hash", "\"$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA\"",
         "expected an Argon2id hash"},
        {"referral", "coordinator_public_key", "\"not base64!\"", "(base64 of 32 bytes), got"},
        {"referral", "coordinator_public_key", "\"" + keyOfLength(31) + "\"", "base64 of 32 bytes"},
        {"referral", "coordinator_public_key", "\"" + keyOfLength(33) + "\"", "base64 of 32 bytes"},
        {"referral", "coordinator_public_key", "\" " + validKey() + "\"", "base64 of 32 bytes"},
        {"referral", "coordinator_public_key", "42", "got 42"},
        {"referral", "form_version", "\"\"", "version label in quotes: 1 to 40"},
        {"referral", "form_version", "\"has space\"", "got \"has space\""},
        {"referral", "form_version", "\"" + std::string(41, 'v') + "\"", "1 to 40"},
        {"referral", "consent_version", "\"consent/1\"", "version label"},
        {"referral", "consent_version", "7", "got 7"},
        {"referral", "retention_months", "0", "whole number of months from 1 to 120, got 0"},
        {"referral", "retention_months", "121", "got 121"},
        {"referral", "link_worker_phone", "\"call us\"", "a phone number in quotes"},
        {"referral", "link_worker_phone", "\"12\"", "a phone number"},
        {"referral", "link_worker_phone", "\"0161 496 0000 ext. 5\"", "a phone number"},
        {"referral", "link_worker_phone", "\"\"", "a phone number"},
        {"paths", "data_dir", "\"relative/path\"", "an absolute path in quotes, or \"\""},
        {"paths", "data_dir", "5", "got 5"},
        {"paths", "assets_dir", "\"assets\"", "an absolute path"},
        {"paths", "directory_bundle", "\"\"", "a file path in quotes, got \"\""},
        {"paths", "directory_bundle", "false", "a file path"},
        // [sync] (helper "engine")
        {"sync", "server_url", "\"sync.example.org\"", "starting https://"},
        {"sync", "server_url", "\"https://\"", "starting https://"},
        {"sync", "server_url", "\"https://a b\"", "got \"https://a b\""},
        {"sync", "ca_file", "\"ca.pem\"", "an absolute path"},
        {"sync", "pin", "\"md5//abc\"", "\"sha256//\" followed by base64 of 32 bytes"},
        {"sync", "backup_pin", "\"sha256//AAAA\"", "base64 of 32 bytes"},
        {"sync", "proxy", "\"" + std::string(201, 'p') + "\"", "at most 200 characters"},
        {"sync", "batch_size", "0", "whole number of referrals from 1 to 100, got 0"},
        {"sync", "batch_size", "101", "got 101"},
        {"sync", "retry_max", "29", "from 30 to 3600"},
        {"sync", "directory_interval", "59", "from 60 to 86400"},
        {"sync", "heartbeat_interval", "29", "from 30 to 86400"},
        {"sync", "sent_grace", "-1", "whole number of hours from 0 to 8760"},
    };
    std::set<std::string> covered;
    for (const Bad& bad : cases) {
        std::string text = "[referral]\n";
        int line = 0;
        if (bad.table == "referral" && bad.key == "coordinator_public_key") {
            text += "coordinator_public_key = " + bad.value + "\n";
            line = 2;
        } else {
            text += keyLine();
            if (bad.table != "referral") {
                text += "[" + bad.table + "]\n";
            }
            text += bad.key + " = " + bad.value + "   # a comment\n";
            line = bad.table == "referral" ? 3 : 4;
        }
        INFO(text);
        const ConfigError error = configError(text);
        CHECK(error.line() == line);
        CHECK(error.key() == bad.table + "." + bad.key);
        CHECK_THAT(error.what(), Catch::StartsWith("kiosk.toml:" + std::to_string(line) + ": " +
                                                   bad.table + "." + bad.key + ": "));
        CHECK_THAT(error.what(), Catch::Contains(bad.problem));
        covered.insert(bad.table + "." + bad.key);
    }
    // Each key in the example has bad values above, so a new key cannot skip this test.
    const TomlDocument example = TomlDocument::parse(exampleKioskConfig(), "k");
    for (const TomlEntry& entry : example.entries()) {
        CHECK(covered.count(entry.table + "." + entry.key) == 1);
    }
}

TEST_CASE("a mistyped PIN in pin_hash is never repeated in the error", "[config]") {
    const ConfigError error =
        configError("[referral]\n" + keyLine() + "[staff]\npin_hash = \"4821\"\n");
    CHECK_THAT(error.what(), !Catch::Contains("4821"));
    CHECK(error.line() == 4);
}

TEST_CASE("good values at the edges are accepted and typed", "[config]") {
    const std::string name80 = [] {
        std::string text;
        for (int i = 0; i < 80; ++i) {
            text += "ł";  // 80 characters, 160 bytes
        }
        return text;
    }();
    const std::string hash = cheapPinHash("4821");
    const KioskConfig config = parseKioskConfig(
        "[venue]\n"
        "name = \"" +
            name80 +
            "\"\n"
            "neighbourhood = \"Cheetham Hill\"\n"
            "reference_prefix = \"ABCDE\"\n"
            "time_zone = \"America/Argentina/Buenos_Aires\"\n"
            "[kiosk]\n"
            "idle_timeout = 3600\n"
            "idle_warning = 20\n"
            "text_size = \"largest\"\n"
            "high_contrast = true\n"
            "languages = [\"pl\", \"en\", \"ur\"]\n"
            "default_language = \"ur\"\n"
            "allow_exit = true\n"
            "[staff]\n"
            "pin_hash = \"" +
            hash +
            "\"\n"
            "[referral]\n" +
            keyLine() +
            "form_version = \"2027.01-b_2\"\n"
            "consent_version = 'consent-2027'\n"
            "retention_months = 120\n"
            "link_worker_phone = \"+44 (161) 496-0999\"\n"
            "[paths]\n"
            "data_dir = \"/srv/signpost\"\n"
            "assets_dir = \"/opt/signpost/assets\"\n"
            "directory_bundle = \"/opt/data/dir.json\"\n",
        "kiosk.toml");
    CHECK(config.venueName == name80);
    CHECK(config.neighbourhood == "Cheetham Hill");
    CHECK(config.referencePrefix == "ABCDE");
    CHECK(config.timeZone == "America/Argentina/Buenos_Aires");
    CHECK(config.idleTimeoutSeconds == 3600);
    CHECK(config.idleWarningSeconds == 20);
    CHECK(config.textSize == TextSize::Largest);
    CHECK(config.highContrast);
    CHECK(config.languages == std::vector<std::string>{"pl", "en", "ur"});
    CHECK(config.defaultLanguage == "ur");
    CHECK(config.allowExit);
    CHECK(config.pinHash == hash);
    CHECK(config.formVersion == "2027.01-b_2");
    CHECK(config.consentVersion == "consent-2027");
    CHECK(config.retentionMonths == 120);
    CHECK(config.linkWorkerPhone == "+44 (161) 496-0999");
    CHECK(config.dataDir == "/srv/signpost");
    CHECK(config.assetsDir == "/opt/signpost/assets");
    CHECK(config.directoryBundle == "/opt/data/dir.json");
    CHECK(config.warnings.empty());

    const KioskConfig low = parseKioskConfig(
        "[kiosk]\nidle_timeout = 30\n[referral]\n" + keyLine() + "retention_months = 1\n", "k");
    CHECK(low.idleTimeoutSeconds == 30);
    CHECK(low.retentionMonths == 1);
    // An interactive-cost hash, as StaffAuth writes it, is accepted too.
    const std::string real = StaffAuth::hashPin("4821");
    CHECK(parseKioskConfig("[staff]\npin_hash = \"" + real + "\"\n[referral]\n" + keyLine(), "k")
              .pinHash == real);
}

TEST_CASE("text sizes convert both ways", "[config]") {
    for (TextSize size : {TextSize::Normal, TextSize::Large, TextSize::Largest}) {
        CHECK(parseTextSize(toString(size)) == size);
    }
    CHECK(std::string(toString(TextSize::Large)) == "large");
    CHECK_FALSE(parseTextSize("huge").has_value());
    CHECK(std::string(toString(static_cast<TextSize>(9))).empty());
}

TEST_CASE("unknown keys and tables are warnings with their lines", "[config]") {
    const std::string text =
        "colour = \"blue\"\n"           // 1: a root key
        "[venue]\n"                     // 2
        "name = \"Central Library\"\n"  // 3
        "nme = \"typo\"\n"              // 4
        "idle_timeout = 60\n"           // 5: right key, wrong table
        "[printer]\n"                   // 6: a table this version does not know
        "model = \"x\"\n"               // 7: covered by the table's warning
        "[referral]\n" +                // 8
        keyLine();                      // 9
    const KioskConfig config = parseKioskConfig(text, "kiosk.toml");
    CHECK(config.venueName == "Central Library");
    CHECK(config.idleTimeoutSeconds == 90);  // the misplaced key is not used
    REQUIRE(config.warnings.size() == 4);
    CHECK(config.warnings[0].line == 1);
    CHECK(config.warnings[0].key == "colour");
    CHECK(config.warnings[0].message == "unknown key; it is ignored");
    CHECK(config.warnings[1].line == 4);
    CHECK(config.warnings[1].key == "venue.nme");
    CHECK(config.warnings[1].message == "unknown key; it is ignored");
    CHECK(config.warnings[2].line == 5);
    CHECK(config.warnings[2].key == "venue.idle_timeout");
    CHECK(config.warnings[2].message ==
          "unknown key; it is ignored (did you mean kiosk.idle_timeout?)");
    CHECK(config.warnings[3].line == 6);
    CHECK(config.warnings[3].key == "printer");
    CHECK(config.warnings[3].message == "unknown table [printer]; it and its keys are ignored");
}

TEST_CASE("languages are BCP 47 tags, kept in canonical case", "[config]") {
    const KioskConfig config = parseKioskConfig(
        "[kiosk]\nlanguages = [\"EN\", \"zh-hans\", \"CKB\", \"zh-Hant\"]\ndefault_language = "
        "\"ZH-HANS\"\n[referral]\n" +
            keyLine(),
        "kiosk.toml");
    CHECK(config.languages == std::vector<std::string>{"en", "zh-Hans", "ckb", "zh-Hant"});
    CHECK(config.defaultLanguage == "zh-Hans");
    CHECK(config.warnings.empty());
}

TEST_CASE("by default every language with a text file is offered", "[config]") {
    const KioskConfig config;
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::assetsDir() / "i18n")) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path().stem().string());
        }
    }
    std::vector<std::string> offered = config.languages;
    std::sort(files.begin(), files.end());
    std::sort(offered.begin(), offered.end());
    CHECK(offered == files);
}

TEST_CASE("English is always offered", "[config]") {
    const KioskConfig config =
        parseKioskConfig("[kiosk]\nlanguages = [\"pl\"]\n[referral]\n" + keyLine(), "kiosk.toml");
    CHECK(config.languages == std::vector<std::string>{"en", "pl"});
    REQUIRE(config.warnings.size() == 1);
    CHECK(config.warnings[0].line == 2);
    CHECK(config.warnings[0].key == "kiosk.languages");
    CHECK_THAT(config.warnings[0].message, Catch::Contains("\"en\" is always offered"));

    const KioskConfig empty =
        parseKioskConfig("[kiosk]\nlanguages = []\n[referral]\n" + keyLine(), "kiosk.toml");
    CHECK(empty.languages == std::vector<std::string>{"en"});
    // The default language must be offered: "pl" was dropped from the list here.
    const ConfigError error = configError(
        "[kiosk]\nlanguages = [\"en\"]\ndefault_language = \"pl\"\n[referral]\n" + keyLine());
    CHECK(error.line() == 3);
    CHECK(error.key() == "kiosk.default_language");
    CHECK_THAT(error.what(), Catch::Contains("(\"en\"), got \"pl\""));
}

TEST_CASE("a missing coordinator key names the [referral] line, or line 0", "[config]") {
    const ConfigError underTable =
        configError("[venue]\nname = \"A\"\n\n[referral]\nform_version = \"x\"\n");
    CHECK(underTable.line() == 4);
    CHECK(
        std::string(underTable.what()) ==
        "kiosk.toml:4: referral.coordinator_public_key: missing; expected the coordinators' "
        "public key printed by \"signpost keygen\", or \"\" when an installed kiosk reads it from "
        "/etc/signpost/coordinator.pub (base64 of 32 bytes) under [referral]");
    const ConfigError noTable = configError("[venue]\nname = \"A\"\n");
    CHECK(noTable.line() == 0);
    CHECK_THAT(noTable.what(),
               Catch::StartsWith("kiosk.toml: referral.coordinator_public_key: missing;"));
    CHECK(configError("").line() == 0);
}

TEST_CASE("the first problem in the file is the one reported", "[config]") {
    const ConfigError error =
        configError("[venue]\nname = \"\"\n[kiosk]\nidle_timeout = 5\n");  // and no key at all
    CHECK(error.line() == 2);
    CHECK(error.key() == "venue.name");
    // Syntax errors come through with the file name too.
    const ConfigError syntax = configError("[kiosk]\nidle_timeout = 90 seconds\n");
    CHECK(syntax.line() == 2);
    CHECK_THAT(syntax.what(), Catch::StartsWith("kiosk.toml:2: kiosk.idle_timeout: "));
    CHECK_THAT(syntax.what(), Catch::Contains("saw 's'"));  // toml++'s words
}

TEST_CASE("loading: missing file, directory, and a good file", "[config]") {
    test::TempDir dir("config");
    const fs::path missing = dir / "nope.toml";
    try {
        (void)loadKioskConfig(missing);
        FAIL("expected a ConfigError");
    } catch (const ConfigError& error) {
        CHECK(error.line() == 0);
        CHECK(error.file() == missing.string());
        CHECK_THAT(error.what(), Catch::StartsWith(missing.string() + ": config file not found"));
    }
    CHECK_THROWS_WITH(loadKioskConfig(dir.path()), Catch::Contains("is a directory"));

    const fs::path file = dir / "kiosk.toml";
    test::writeText(file, deployedExample());
    const KioskConfig config = loadKioskConfig(file);
    CHECK(config.sourceFile == file);
    checkDefaults(config);

    test::writeText(file, "[referral]\ncoordinator_public_key = 3\n");
    CHECK_THROWS_WITH(loadKioskConfig(file),
                      Catch::StartsWith(file.string() + ":2: referral.coordinator_public_key: "));
}

TEST_CASE("settingsOf copies the staff-editable fields", "[config]") {
    KioskConfig config;
    config.venueName = "Hulme Library";
    config.neighbourhood = "Hulme";
    config.idleTimeoutSeconds = 120;
    config.textSize = TextSize::Large;
    config.highContrast = true;
    config.languages = {"en", "ur"};
    const KioskSettings settings = settingsOf(config);
    CHECK(settings.venueName == "Hulme Library");
    CHECK(settings.neighbourhood == "Hulme");
    CHECK(settings.idleTimeoutSeconds == 120);
    CHECK(settings.textSize == TextSize::Large);
    CHECK(settings.highContrast);
    CHECK(settings.languages == std::vector<std::string>{"en", "ur"});
}

TEST_CASE("a save takes away other users' access: the file holds the PIN's hash", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    test::writeText(file, deployedExample());
    ::chmod(file.c_str(), 0664);
    savePinHash(file, StaffAuth::hashPin("2580"));
    CHECK(test::fileMode(file) == 0660u);
    ::chmod(file.c_str(), 0644);
    savePinHash(file, "");
    CHECK(test::fileMode(file) == 0640u);
}

TEST_CASE("a settings save changes only its values and keeps the rest byte for byte", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    const std::string original = deployedExample();
    test::writeText(file, original);
    ::chmod(file.c_str(), 0640);

    KioskSettings settings = settingsOf(loadKioskConfig(file));
    settings.venueName = "Biblioteka \"Łódź\"";
    settings.idleTimeoutSeconds = 120;
    settings.textSize = TextSize::Large;
    settings.languages = {"en", "pl", "ur"};
    saveKioskSettings(file, settings);

    std::string expected = original;
    auto replace = [&](const std::string& from, const std::string& to) {
        const std::size_t at = expected.find(from);
        REQUIRE(at != std::string::npos);
        expected.replace(at, from.size(), to);
    };
    replace("name = \"Demo venue\"\n", "name = \"Biblioteka \\\"Łódź\\\"\"\n");
    replace("idle_timeout = 90\n", "idle_timeout = 120\n");
    replace("text_size = \"normal\"\n", "text_size = \"large\"\n");
    replace(
        "languages = [\"en\", \"pl\", \"ur\", \"ar\", \"bn\", \"zh-Hans\", \"zh-Hant\", \"pa\", "
        "\"so\", \"ro\", \"ckb\", \"fa\", \"uk\"]\n",
        "languages = [\"en\", \"pl\", \"ur\"]\n");
    CHECK(test::readText(file) == expected);
    CHECK(test::fileMode(file) == 0640u);
    CHECK(filesIn(dir.path()) == std::vector<std::string>{"kiosk.toml"});  // no temp left

    const KioskConfig reloaded = loadKioskConfig(file);
    CHECK(reloaded.venueName == "Biblioteka \"Łódź\"");
    CHECK(reloaded.idleTimeoutSeconds == 120);
    CHECK(reloaded.textSize == TextSize::Large);
    CHECK(reloaded.languages == std::vector<std::string>{"en", "pl", "ur"});
    CHECK(reloaded.coordinatorPublicKey == validKey());
}

TEST_CASE("a save keeps a hand-written file's comments, odd spacing and other keys", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    const std::string original =
        "# Hand-written at the Central Library, 2026-11-02\n"
        "[venue]\n"
        "name='Central'   # staff rename this\n"
        "\n"
        "[kiosk]\n"
        "allow_exit = true # for the pilot only\n"
        "colour = \"blue\" # an unknown key stays\n"
        "\n"
        "# the key from the coordinators' laptop\n"
        "[referral]\n" +
        keyLine();
    test::writeText(file, original);
    KioskSettings settings = settingsOf(loadKioskConfig(file));
    settings.venueName = "Central Library";
    settings.neighbourhood = "City Centre";  // not in the file yet: added to [venue]
    settings.idleTimeoutSeconds = 45;        // added to [kiosk], after its last key
    saveKioskSettings(file, settings);
    CHECK(test::readText(file) ==
          "# Hand-written at the Central Library, 2026-11-02\n"
          "[venue]\n"
          "name=\"Central Library\"   # staff rename this\n"
          "neighbourhood = \"City Centre\"\n"
          "\n"
          "[kiosk]\n"
          "allow_exit = true # for the pilot only\n"
          "colour = \"blue\" # an unknown key stays\n"
          "idle_timeout = 45\n"
          "\n"
          "# the key from the coordinators' laptop\n"
          "[referral]\n" +
              keyLine());
}

TEST_CASE("a save with nothing changed does not rewrite the file", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    test::writeText(file, "[referral]\n" + keyLine());
    struct stat before {};
    REQUIRE(::stat(file.c_str(), &before) == 0);
    saveKioskSettings(file, settingsOf(loadKioskConfig(file)));
    struct stat after {};
    REQUIRE(::stat(file.c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);  // a rewrite would have renamed a new inode in
    CHECK(test::readText(file) == "[referral]\n" + keyLine());
}

TEST_CASE("a save adds English and follows a symlink", "[config]") {
    test::TempDir dir("config");
    const fs::path real = dir / "real.toml";
    const fs::path link = dir / "kiosk.toml";
    test::writeText(real, deployedExample());
    fs::create_symlink(real.filename(), link);
    KioskSettings settings = settingsOf(loadKioskConfig(link));
    settings.languages = {"pl"};
    saveKioskSettings(link, settings);
    CHECK(fs::is_symlink(link));
    CHECK_THAT(test::readText(real), Catch::Contains("languages = [\"en\", \"pl\"]\n"));
    CHECK(loadKioskConfig(link).languages == std::vector<std::string>{"en", "pl"});
}

TEST_CASE("a save that fails leaves the old file intact", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    const std::string original = deployedExample();
    test::writeText(file, original);
    KioskSettings settings = settingsOf(loadKioskConfig(file));
    REQUIRE(settings.idleTimeoutSeconds == 90);
    settings.venueName = "Changed";

    SECTION("a bad setting is refused before anything is written") {
        settings.idleTimeoutSeconds = 10;
        try {
            saveKioskSettings(file, settings);
            FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            CHECK(std::string(error.what()) ==
                  file.string() +
                      ": kiosk.idle_timeout: expected a whole number of seconds from 30 to 3600, "
                      "got 10");
        }
        settings.idleTimeoutSeconds = 90;
        settings.venueName = "";
        CHECK_THROWS_WITH(saveKioskSettings(file, settings), Catch::Contains("venue.name"));
        settings.venueName = "ok";
        settings.languages = {"en", "klingon"};
        CHECK_THROWS_WITH(saveKioskSettings(file, settings), Catch::Contains("kiosk.languages"));
        settings.languages = {"en"};
        settings.textSize = static_cast<TextSize>(7);
        CHECK_THROWS_WITH(saveKioskSettings(file, settings), Catch::Contains("kiosk.text_size"));
    }
    SECTION("a result the kiosk would refuse at start is not written") {
        // default_language is "pl"; dropping Polish would leave it pointing nowhere.
        std::string text = original;
        text.replace(text.find("default_language = \"en\""), 23, "default_language = \"pl\"");
        test::writeText(file, text);
        settings.languages = {"en"};
        CHECK_THROWS_WITH(saveKioskSettings(file, settings),
                          Catch::Contains("kiosk.default_language"));
        CHECK(test::readText(file) == text);
        test::writeText(file, original);
    }
    SECTION("the disk refuses the write (file size limit; works as root too)") {
        struct rlimit old {};
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        auto* previous = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limited = old;
        limited.rlim_cur = 512;  // far less than the config
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
        bool threw = false;
        try {
            saveKioskSettings(file, settings);
        } catch (const FileError& error) {
            threw = true;
            CHECK(error.errnoValue() == EFBIG);
        }
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previous);
        CHECK(threw);
    }
    SECTION("a read-only directory (not as root: root may write anyway)") {
        if (::geteuid() == 0) {
            WARN("running as root: the read-only directory case cannot fail here");
        } else {
            ::chmod(dir.path().c_str(), 0500);
            CHECK_THROWS_AS(saveKioskSettings(file, settings), FileError);
            ::chmod(dir.path().c_str(), 0700);
        }
    }
    SECTION("the file is gone, or its directory never existed") {
        const fs::path nowhere = dir / "missing" / "kiosk.toml";
        CHECK_THROWS_AS(saveKioskSettings(nowhere, settings), FileError);
        CHECK_THROWS_AS(writeFileAtomically(nowhere, original), FileError);
        CHECK_FALSE(fs::exists(dir / "missing"));
        CHECK_THROWS_AS(savePinHash(dir / "gone.toml", ""), FileError);
    }
    CHECK(test::readText(file) == original);
    CHECK(filesIn(dir.path()) == std::vector<std::string>{"kiosk.toml"});
}

TEST_CASE("savePinHash writes, replaces and clears the hash", "[config]") {
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    const std::string original = deployedExample();
    test::writeText(file, original);
    const std::string hash = cheapPinHash("4821");
    savePinHash(file, hash);
    std::string expected = original;
    expected.replace(expected.find("pin_hash = \"\""), 13, "pin_hash = \"" + hash + "\"");
    CHECK(test::readText(file) == expected);
    CHECK(loadKioskConfig(file).pinHash == hash);

    CHECK_THROWS_AS(savePinHash(file, "4821"), ConfigError);  // a PIN is not a hash
    try {
        savePinHash(file, "4821");
    } catch (const ConfigError& error) {
        CHECK_THAT(error.what(), !Catch::Contains("4821"));
    }
    CHECK(test::readText(file) == expected);

    savePinHash(file, "");
    CHECK(test::readText(file) == original);

    // A file without [staff] gets one at the end.
    test::writeText(file, "[referral]\n" + keyLine());
    savePinHash(file, hash);
    CHECK(test::readText(file) ==
          "[referral]\n" + keyLine() + "\n[staff]\npin_hash = \"" + hash + "\"\n");
}

TEST_CASE("the Markdown key reference lists every table and key", "[config]") {
    const std::string markdown = kioskConfigReferenceMarkdown();
    const TomlDocument example = TomlDocument::parse(exampleKioskConfig(), "k");
    for (const TomlTable& table : example.tables()) {
        CHECK_THAT(markdown, Catch::Contains("### `[" + table.name + "]`\n"));
    }
    for (const TomlEntry& entry : example.entries()) {
        INFO(entry.key);
        CHECK_THAT(markdown, Catch::Contains("| `" + entry.key + "` | "));
    }
    CHECK_THAT(markdown, Catch::Contains("| `idle_timeout` | `90` | a whole number of seconds from "
                                         "30 to 3600 | yes | "));
    CHECK_THAT(markdown, Catch::Contains("| `coordinator_public_key` | required | "));
    // Every row has the header's five cells.
    std::istringstream in(markdown);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.front() == '|') {
            std::size_t bars = 0;
            for (std::size_t i = 0; i < line.size(); ++i) {
                bars += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
            }
            CHECK(bars == 6);
        }
    }
}

TEST_CASE("kiosk.toml is real TOML: multi-line lists, literal strings, dotted keys", "[config]") {
    const std::string text =
        "[venue]\n"
        "name = 'Gorton \"Hub\" Library'   # a literal string\n"
        "\n"
        "[kiosk]\n"
        "languages = [\n"
        "    \"en\",\n"
        "    \"pl\",  # Polish: the biggest group in the area\n"
        "]\n"
        "\n"
        "[hours]\n"
        "exceptions = [\n"
        "    \"2026-12-25 closed\",\n"
        "    \"2026-12-24 09:00-13:00\",\n"
        "]\n"
        "monday = \"\"\"09:00-17:00\"\"\"\n"
        "\n"
        "[referral]\n" +
        keyLine();
    const KioskConfig config = parseKioskConfig(text, "kiosk.toml");
    CHECK(config.venueName == "Gorton \"Hub\" Library");
    CHECK(config.languages == std::vector<std::string>{"en", "pl"});
    CHECK(config.hoursExceptions.size() == 2);
    CHECK(config.hoursMonday == "09:00-17:00");
    CHECK(config.warnings.empty());

    // The same keys written the dotted way mean the same thing.
    const KioskConfig dotted = parseKioskConfig(
        "venue.name = \"Dotted\"\nkiosk.idle_timeout = 45\n[referral]\n" + keyLine(), "kiosk.toml");
    CHECK(dotted.venueName == "Dotted");
    CHECK(dotted.idleTimeoutSeconds == 45);

    // A staff save rewrites the list it changes and keeps the other multi-line list as it was.
    test::TempDir dir("config");
    const fs::path file = dir / "kiosk.toml";
    test::writeText(file, text);
    KioskSettings settings = settingsOf(config);
    settings.languages = {"en", "uk"};
    saveKioskSettings(file, settings);
    std::string expected = text;
    const std::string before =
        "languages = [\n    \"en\",\n    \"pl\",  # Polish: the biggest group in the area\n]";
    expected.replace(expected.find(before), before.size(), "languages = [\"en\", \"uk\"]");
    CHECK(test::readText(file) == expected);
}

TEST_CASE("values of a type no key takes get the key's own message", "[config]") {
    struct Bad {
        std::string line;
        std::string problem;
    };
    const std::vector<Bad> cases = {
        {"languages = [\"en\", true]", "true is not a BCP 47 language tag"},
        {"languages = [\"en\", [\"pl\"]]", "[\"pl\"] is not a BCP 47 language tag"},
        {"languages = { en = true }", "got { en = true }"},
        {"idle_timeout = 2026-11-23", "got 2026-11-23"},
        {"idle_timeout = 90.0", "got 90.0"},
        {"text_size = { size = \"large\" }", "one of \"normal\", \"large\", \"largest\""},
    };
    for (const Bad& bad : cases) {
        INFO(bad.line);
        const ConfigError error =
            configError("[referral]\n" + keyLine() + "[kiosk]\n" + bad.line + "\n");
        CHECK(error.line() == 4);
        CHECK_THAT(error.what(), Catch::StartsWith("kiosk.toml:4: kiosk."));
        CHECK_THAT(error.what(), Catch::Contains(bad.problem));
    }
}
