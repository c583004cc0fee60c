// Every text key the code uses exists in English; every language file has every English key (or
// is listed below as deliberately without it), no key English lacks but its grammatical forms, the
// same placeholders as English per key, a valid _meta (code = file name, status draft/reviewed),
// and plural forms only for categories its language has.
//
// Keys are found by scanning kiosk/ and sync/ sources for: tr("key"), format("key", ...),
// textKey("key") (ui_context.h: the marker for keys kept in tables), and the "error.…" and
// "note.…" literals the referral and runtime modules hand to the UI. Keys built at run time
// are checked by family: need.<code> and need.<code>.hint for every need in the bundled demo
// directory, langname.<code> for every language a service there offers, month.1…12.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

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
            const std::string file =
                std::filesystem::relative(entry.path(), test::sourceDir()).string();
            for (const std::regex& pattern : patterns) {
                for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
                     it != std::sregex_iterator(); ++it) {
                    uses.push_back({(*it)[1].str(), file});
                }
            }
        }
    }
    return uses;
}

std::vector<std::string> allLanguages() {
    std::vector<std::string> codes;
    for (const LanguageInfo& language : I18n::available(test::assetsDir() / "i18n")) {
        codes.push_back(language.code);
    }
    return codes;
}

I18n loadTexts() {
    return I18n::load(test::assetsDir() / "i18n", allLanguages());
}

// English keys a language deliberately does without (English is shown, or the code asks for
// another form), with the reason. Plural forms of English keys ("key#one") are never required.
bool isDeliberateGap(const std::string& language, const std::string& key) {
    if (key.find('#') != std::string::npos) {
        return true;  // each language has its own plural categories
    }
    if (language == "pl") {
        // A 24-hour clock (time.clock "24h"): no am/pm. Ordinals come in gendered forms
        // (schedule.ordinal.1.m / .f) chosen by each day's gender (day.N.gender).
        return key == "time.am" || key == "time.pm" || key == "time.midnight" ||
               key.rfind("schedule.ordinal.", 0) == 0;
    }
    return false;
}

// Languages need forms English does not: gendered ordinals ("schedule.ordinal.1.m" beside English
// "schedule.ordinal.1"), a day's gender ("day.1.gender"), plural forms ("idle.countdown#few").
// Such a key is a variant of an English key; any other key English lacks is a mistake.
bool isGrammaticalVariant(const std::string& key, const std::set<std::string>& english) {
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

std::set<std::string> placeholders(const std::string& text) {
    static const std::regex placeholder(R"(\{[a-z_]+\})");
    std::set<std::string> found;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
         it != std::sregex_iterator(); ++it) {
        found.insert(it->str());
    }
    return found;
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

TEST_CASE("all thirteen languages are there, each file's _meta is right", "[i18n]") {
    const std::vector<std::string> codes = allLanguages();
    for (const char* code : {"en", "pl", "ur", "ar", "bn", "zh-Hans", "zh-Hant", "pa", "so", "ro",
                             "ckb", "fa", "uk"}) {
        INFO(code);
        CHECK(std::find(codes.begin(), codes.end(), code) != codes.end());
    }
    const std::set<std::string> rightToLeft{"ar", "fa", "ur", "ckb"};
    for (const std::string& code : codes) {
        INFO(code << ".json");
        const nlohmann::json file =
            nlohmann::json::parse(test::readText(test::assetsDir() / "i18n" / (code + ".json")));
        REQUIRE(file.contains("_meta"));
        const nlohmann::json& meta = file["_meta"];
        CHECK(meta.value("code", "") == code);
        // Written out in every file: a translation is a draft until a native speaker says so.
        REQUIRE(meta.contains("status"));
        CHECK((meta["status"] == "draft" || meta["status"] == "reviewed"));
        CHECK(meta.value("direction", "") == (rightToLeft.count(code) == 1 ? "rtl" : "ltr"));
        CHECK_FALSE(meta.value("native_name", "").empty());
        CHECK_FALSE(meta.value("english_name", "").empty());
        if (code != "en") {
            CHECK(meta.value("native_name", "") != meta.value("english_name", ""));  // the endonym
        }
    }
}

TEST_CASE("keys built at run time exist in every language", "[i18n]") {
    const I18n texts = loadTexts();
    std::vector<std::string> keys;
    for (int month = 1; month <= 12; ++month) {
        keys.push_back("month." + std::to_string(month));
    }
    const std::filesystem::path demo = test::assetsDir() / "directory" / "manchester-demo.json";
    REQUIRE(std::filesystem::exists(demo));
    const DirectoryData data = loadHsdsFile(demo);
    std::set<std::string> languages{"en", "pl", "ur", "ar", "bn", "pa",
                                    "so", "zh", "ro", "fa", "ku", "ti"};
    for (const LanguageInfo& language : texts.languages()) {
        languages.insert(language.code);  // the referral language screen lists the kiosk's own
    }
    std::size_t needs = 0;
    for (const TaxonomyTerm& term : data.taxonomyTerms) {
        if (term.taxonomy == "signpost-needs") {
            keys.push_back("need." + term.code);
            keys.push_back("need." + term.code + ".hint");
            keys.push_back("need." + term.code + ".words");
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
    for (const LanguageInfo& language : texts.languages()) {
        for (const std::string& key : keys) {
            INFO(language.code << ": " << key);
            CHECK(texts.has(language.code, key));
        }
    }
}

TEST_CASE("every language has every English key, or a deliberate gap, and nothing English lacks",
          "[i18n]") {
    const I18n texts = loadTexts();
    const std::vector<std::string> english = texts.keys("en");
    const std::set<std::string> englishSet(english.begin(), english.end());
    CHECK_FALSE(isGrammaticalVariant("no.such.key.m", englishSet));
    CHECK_FALSE(isGrammaticalVariant("nothing.gender", englishSet));
    CHECK_FALSE(isGrammaticalVariant("idle.countdown#lots", englishSet));
    for (const LanguageInfo& language : texts.languages()) {
        const std::vector<std::string> own = texts.keys(language.code);
        const std::set<std::string> ownSet(own.begin(), own.end());
        for (const std::string& key : own) {
            INFO(language.code << ".json has a key en.json lacks: " << key);
            CHECK((englishSet.count(key) == 1 || isGrammaticalVariant(key, englishSet)));
        }
        for (const std::string& key : english) {
            if (ownSet.count(key) == 0 && !isDeliberateGap(language.code, key)) {
                FAIL_CHECK(language.code << ".json lacks " << key);
            }
        }
    }
    // The screens' own keys are in every language (a deliberate gap is never one of them).
    for (const Use& use : scanSources()) {
        if (!isUiFile(use.file)) {
            continue;
        }
        for (const LanguageInfo& language : texts.languages()) {
            if (!texts.has(language.code, use.key)) {
                FAIL_CHECK("the screens use a key " << language.code << ".json lacks: " << use.key);
            }
        }
    }
}

TEST_CASE("placeholders in every language match the English ones", "[i18n]") {
    const I18n texts = loadTexts();
    for (const LanguageInfo& language : texts.languages()) {
        for (const std::string& key : texts.keys(language.code)) {
            const std::string base = key.substr(0, key.find('#'));
            if (base.rfind("schedule.", 0) == 0 || !texts.has("en", base)) {
                continue;  // the schedule wording and grammatical forms have language-specific
                           // parts
            }
            INFO(language.code << ": " << key);
            const std::set<std::string> own = placeholders(texts.textIn(language.code, key));
            const std::set<std::string> reference = placeholders(texts.textIn("en", base));
            if (key == base) {
                CHECK(own == reference);
            } else {
                // A plural form may leave the number out ("ثانيتين", two seconds).
                CHECK(std::includes(reference.begin(), reference.end(), own.begin(), own.end()));
            }
        }
    }
}

TEST_CASE("plural forms only for categories the language has, and phone numbers unchanged",
          "[i18n]") {
    const I18n texts = loadTexts();
    for (const LanguageInfo& language : texts.languages()) {
        std::set<std::string> categories;
        for (long long n = 0; n <= 1000; ++n) {
            categories.insert(texts.pluralCategory(language.code, n));
        }
        for (const std::string& key : texts.keys(language.code)) {
            if (const std::size_t hash = key.find('#'); hash != std::string::npos) {
                INFO(language.code << ": " << key);
                CHECK(categories.count(key.substr(hash + 1)) == 1);
            }
        }
        // The numbers residents call are the same in every language (ASCII digits).
        const std::vector<std::pair<const char*, const char*>> numbers = {
            {"safety.line", "999"},
            {"safety.line", "116 123"},
            {"closed.help.999", "999"},
            {"closed.help.111", "111"},
            {"closed.help.samaritans", "116 123"},
            {"referral.phone.hint", "07700 900123"}};
        for (const auto& [key, number] : numbers) {
            INFO(language.code << ": " << key);
            CHECK(std::string(texts.textIn(language.code, key)).find(number) != std::string::npos);
        }
    }
}
