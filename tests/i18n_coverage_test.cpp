// Every text key the code uses exists in English; Polish has no keys English lacks; the Polish
// gaps are reported (and none are allowed in the screens' own texts).
//
// Keys are found by scanning kiosk/ and sync/ sources for: tr("key"), format("key", ...),
// textKey("key") (ui_context.h: the marker for keys kept in tables), and the "error.…" and
// "note.…" literals the referral and runtime modules hand to the UI. Keys built at run time
// are checked by family: need.<code> and need.<code>.hint for every need in the bundled demo
// directory, langname.<code> for every language a service there offers, month.1…12.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/directory/hsds_import.h"
#include "core/i18n/i18n.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

struct Use {
    std::string key;
    std::string file;
};

std::vector<Use> scanSources() {
    const std::regex patterns[] = {
        std::regex(R"re(\btr\("([a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+)"\))re"),
        std::regex(R"re(\bformat\("([a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+)",)re"),
        std::regex(R"re(\bformatPlural\("([a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+)",)re"),
        std::regex(R"re(\btextKey\("([a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+)"\))re"),
        std::regex(R"re("((?:error|note)\.[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*)")re"),
    };
    std::vector<Use> uses;
    for (const char* root : {"kiosk", "sync"}) {
        const std::filesystem::path dir = test::sourceDir() / root;
        if (!std::filesystem::exists(dir)) {
            continue;
        }
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) {
                continue;
            }
            const std::string text = test::readText(entry.path());
            const std::string file = std::filesystem::relative(entry.path(), test::sourceDir()).string();
            for (const std::regex& pattern : patterns) {
                for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator();
                     ++it) {
                    uses.push_back({(*it)[1].str(), file});
                }
            }
        }
    }
    return uses;
}

I18n loadTexts() { return I18n::load(test::assetsDir() / "i18n", {"en", "pl"}); }

// Polish grammar needs forms English does not: gendered ordinals ("schedule.ordinal.1.m" beside
// English "schedule.ordinal.1") and a day's gender ("day.1.gender"). Such a key is a variant of an
// English key; any other Polish-only key is a mistake.
bool isGrammaticalVariant(const std::string& key, const std::set<std::string>& english) {
    // A plural form ("idle.countdown#few") of an English key: CLDR categories only.
    if (const std::size_t hash = key.find('#'); hash != std::string::npos) {
        static const std::set<std::string> categories{"zero", "one", "two", "few", "many", "other"};
        return categories.count(key.substr(hash + 1)) == 1 &&
               english.count(key.substr(0, hash)) == 1;
    }
    const std::size_t dot = key.rfind('.');
    if (dot == std::string::npos) {
        return false;
    }
    const std::string form = key.substr(dot + 1);
    const std::string base = key.substr(0, dot);
    if (form == "gender") {
        return english.count(base + ".one") == 1;  // day.1.gender beside day.1.one
    }
    return (form == "m" || form == "f" || form == "n") && english.count(base) == 1;
}

bool isUiFile(const std::string& file) {
    return file.rfind("kiosk/ui/", 0) == 0 || file.rfind("kiosk/core/session/", 0) == 0;
}

}  // namespace

TEST_CASE("every text key used in code exists in English", "[i18n]") {
    const I18n texts = loadTexts();
    const std::vector<Use> uses = scanSources();
    REQUIRE(uses.size() > 300);  // the scan really found the screens' keys
    std::set<std::string> missing;
    for (const Use& use : uses) {
        if (!texts.has("en", use.key)) {
            missing.insert(use.key + " (" + use.file + ")");
        }
    }
    for (const std::string& entry : missing) {
        FAIL_CHECK("missing from en.json: " << entry);
    }
    CHECK(missing.empty());
}

TEST_CASE("keys built at run time exist in English and Polish", "[i18n]") {
    const I18n texts = loadTexts();
    std::vector<std::string> keys;
    for (int month = 1; month <= 12; ++month) {
        keys.push_back("month." + std::to_string(month));
    }
    const std::filesystem::path demo = test::assetsDir() / "directory" / "manchester-demo.json";
    REQUIRE(std::filesystem::exists(demo));
    const DirectoryData data = loadHsdsFile(demo);
    std::set<std::string> languages{"en", "pl", "ur", "ar", "bn", "pa", "so", "zh", "ro", "fa", "ku", "ti"};
    std::size_t needs = 0;
    for (const TaxonomyTerm& term : data.taxonomyTerms) {
        if (term.taxonomy == "signpost-needs") {
            keys.push_back("need." + term.code);
            keys.push_back("need." + term.code + ".hint");
            ++needs;
        }
    }
    CHECK(needs >= 12);
    for (const Service& service : data.services) {
        languages.insert(service.languages.begin(), service.languages.end());
    }
    for (const std::string& code : languages) {
        keys.push_back("langname." + code);
    }
    for (const std::string& key : keys) {
        INFO(key);
        CHECK(texts.has("en", key));
        CHECK(texts.has("pl", key));
    }
}

TEST_CASE("Polish has no keys English lacks (but grammatical forms), Polish gaps are reported", "[i18n]") {
    const I18n texts = loadTexts();
    const std::vector<std::string> english = texts.keys("en");
    const std::vector<std::string> polish = texts.keys("pl");
    const std::set<std::string> englishSet(english.begin(), english.end());
    for (const std::string& key : polish) {
        INFO("pl.json has a key en.json lacks: " << key);
        CHECK((englishSet.count(key) == 1 || isGrammaticalVariant(key, englishSet)));
    }
    CHECK_FALSE(isGrammaticalVariant("no.such.key.m", englishSet));
    CHECK_FALSE(isGrammaticalVariant("nothing.gender", englishSet));
    // Keys the screens use must be in Polish too; other gaps (English-only wording such as the
    // 12-hour clock, or ordinals Polish has in gendered forms) are listed but do not fail.
    const std::set<std::string> polishSet(polish.begin(), polish.end());
    std::set<std::string> uiMissing;
    for (const Use& use : scanSources()) {
        if (isUiFile(use.file) && polishSet.count(use.key) == 0) {
            uiMissing.insert(use.key);
        }
    }
    for (const std::string& key : uiMissing) {
        FAIL_CHECK("the screens use a key pl.json lacks: " << key);
    }
    std::vector<std::string> gaps;
    for (const std::string& key : english) {
        if (polishSet.count(key) == 0) {
            gaps.push_back(key);
        }
    }
    std::ostringstream report;
    for (const std::string& key : gaps) {
        report << " " << key;
    }
    if (!gaps.empty()) {
        WARN("en.json keys with no Polish text (English is shown):" << report.str());
    }
    CHECK(gaps.size() < english.size() / 10);
}

TEST_CASE("placeholders in Polish match the English ones", "[i18n]") {
    const I18n texts = loadTexts();
    const std::regex placeholder(R"(\{[a-z_]+\})");
    auto placeholders = [&](const std::string& text) {
        std::set<std::string> found;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator(); ++it) {
            found.insert(it->str());
        }
        return found;
    };
    I18n polish = loadTexts();
    REQUIRE(polish.setLanguage("pl"));
    for (const std::string& key : texts.keys("pl")) {
        if (key.rfind("schedule.", 0) == 0 || !texts.has("en", key)) {
            continue;  // the schedule wording and grammatical forms have language-specific parts
        }
        INFO(key);
        CHECK(placeholders(polish.tr(key)) == placeholders(texts.tr(key)));
    }
}
