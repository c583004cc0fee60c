// Search in every language: services written in other scripts are found by what a resident
// types (Chinese without spaces, Arabic script with or without harakat and in each language's
// letter forms, Bengali and Gurmukhi whole words), and a need named in any of the kiosk's
// languages finds that need's services ("samotność", "تنهایی", "孤独" -> Feeling lonely).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/common/log.h"
#include "core/directory/directory_store.h"
#include "core/directory/search_text.h"
#include "core/i18n/i18n.h"
#include "core/runtime/kiosk_runtime.h"
#include "core/storage/database.h"
#include "support/directory_test_data.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

[[maybe_unused]] const bool kQuiet = (signpost::setLogToStderr(false), true);

using Ids = std::vector<std::string>;

DirectoryData scriptsDirectory() {
    DirectoryData d;
    d.version = "scripts-1";
    d.taxonomyTerms = {
        test::need("n-lonely", "feeling-lonely", "Feeling lonely", {"loneliness", "company"}),
        test::need("n-money", "money-debt", "Money and debt", {"debt", "bills"}),
        test::need("n-food", "food", "Food", {"food bank", "meals"}),
        test::need("n-english", "english-language", "Learning English", {"esol"}),
    };
    Organisation org;
    org.id = "org";
    org.name = "Community Alliance";
    d.organisations = {org};
    auto add = [&](const char* id, const char* name, const char* description,
                   std::vector<std::string> needs) {
        d.services.push_back(test::service(id, "org", name, description, std::move(needs), "city"));
    };
    add("svc-zh-food", "华人社区食物银行", "每周三免费提供新鲜蔬菜和米饭。", {"food"});
    add("svc-zh-elders", "长者茶聚", "为感到孤独的老人提供陪伴和午餐。", {"feeling-lonely"});
    add("svc-ar-advice", "مركز الإرشاد العربي", "نُقَدِّمُ المَشورةَ في الدُّيونِ والفَواتيرِ", {"money-debt"});
    add("svc-fa-english", "کانون فارسی‌زبانان",
        "کلاس‌های زبان انگلیسی برای بزرگسالان",
        {"english-language"});
    add("svc-ur-help", "مدد گھر", "ہر ہفتے مفت کھانا", {"food"});
    add("svc-bn-food", "বাংলা খাবার ব্যাংক", "প্রতি শুক্রবার বিনামূল্যে খাবার", {"food"});
    add("svc-pa-langar", "ਗੁਰਦੁਆਰਾ ਲੰਗਰ", "ਹਰ ਰੋਜ਼ ਮੁਫ਼ਤ ਭੋਜਨ", {"food"});
    add("svc-uk-club", "Український клуб", "Зустрічі для людей, які почуваються самотніми",
        {"feeling-lonely"});
    add("svc-en-friends", "Friendship Café", "A place to meet people when you feel lonely.",
        {"feeling-lonely"});
    add("svc-en-debt", "Debt Advice Line", "Free phone advice on bills.", {"money-debt"});
    return d;
}

std::vector<std::string> needCodes(const DirectoryStore& store) {
    std::vector<std::string> codes;
    for (const TaxonomyTerm& term : store.needs()) {
        codes.push_back(term.code);
    }
    return codes;
}

struct Fixture {
    DirectoryStore store{":memory:", test::londonZone()};
    explicit Fixture(bool withTexts = true) {
        store.replaceAll(scriptsDirectory(), "test");
        if (withTexts) {
            std::vector<std::string> all;
            for (const LanguageInfo& language : I18n::available(test::assetsDir() / "i18n")) {
                all.push_back(language.code);
            }
            const I18n texts = I18n::load(test::assetsDir() / "i18n", all);
            store.setNeedWords(texts.needWords(needCodes(store)));
        }
    }
    SearchResults find(const std::string& text) const {
        SearchRequest request;
        request.text = text;
        return store.search(request, test::tuesdayMorning());
    }
    Ids ids(const std::string& text) const {
        Ids result;
        for (const ServiceSummary& item : find(text).items) {
            result.push_back(item.id);
        }
        std::sort(result.begin(), result.end());
        return result;
    }
};

// Every prefix as typed, one character at a time.
std::vector<std::string> prefixes(const std::string& text) {
    std::vector<std::string> result;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
            continue;
        }
        result.push_back(text.substr(0, i));
    }
    return result;
}

}  // namespace

TEST_CASE("Chinese: any part of a name or description, as it is typed", "[search_languages]") {
    Fixture f(false);
    for (const std::string& typed : prefixes("华人社区食物银行")) {
        INFO(typed);
        CHECK(f.ids(typed) == Ids{"svc-zh-food"});
    }
    CHECK(f.ids("食物银行") == Ids{"svc-zh-food"});
    CHECK(f.ids("银行") == Ids{"svc-zh-food"});
    CHECK(f.ids("行") == Ids{"svc-zh-food"});  // the last character of a run
    CHECK(f.ids("蔬菜") == Ids{"svc-zh-food"});
    CHECK(f.ids("孤独") == Ids{"svc-zh-elders"});
    CHECK(f.ids("老人 午餐") == Ids{"svc-zh-elders"});
    CHECK(f.ids("银食").empty());           // characters present, not next to each other
    CHECK(f.ids("食物银行 孤独").empty());  // every word still required
}

TEST_CASE("Arabic script: harakat, tatweel and each language's letter forms fold away",
          "[search_languages]") {
    Fixture f(false);
    CHECK(f.ids("الديون") == Ids{"svc-ar-advice"});  // typed without the harakat of the text
    CHECK(f.ids("الدُّيون") == Ids{"svc-ar-advice"});
    CHECK(f.ids("الارشاد") == Ids{"svc-ar-advice"});     // alef without hamza finds الإرشاد
    CHECK(f.ids("الإرشـــاد") == Ids{"svc-ar-advice"});  // tatweel
    CHECK(f.ids("فارسیزبانان") == Ids{"svc-fa-english"});  // without the zero-width non-joiner
    CHECK(f.ids("فارسی‌زبانان") == Ids{"svc-fa-english"});
    CHECK(f.ids("كلاسهاي") == Ids{"svc-fa-english"});  // Arabic kaf, heh and yeh for Persian ones
    CHECK(f.ids("انگلیسی") == Ids{"svc-fa-english"});
    CHECK(f.ids("ﺍﻧﮕﻠﻴﺴﻲ") == Ids{"svc-fa-english"});  // presentation forms (from a PDF)
    CHECK(f.ids("گهر") == Ids{"svc-ur-help"});         // Urdu do-chashmi he typed as heh
    CHECK(f.ids("مفت") == Ids{"svc-ur-help"});
}

TEST_CASE("Bengali and Gurmukhi words are whole words, vowel signs included",
          "[search_languages]") {
    Fixture f(false);
    // unicode61's default categories cut words at every vowel sign: "খাবার" matched "খ", "ব", "র".
    CHECK(f.ids("খাবার") == Ids{"svc-bn-food"});
    CHECK(f.ids("ব্যাংক") == Ids{"svc-bn-food"});
    CHECK(f.ids("বিনামূল্যে") == Ids{"svc-bn-food"});
    CHECK(f.ids("খা") == Ids{"svc-bn-food"});  // as typed
    CHECK(f.ids("ਲੰਗਰ") == Ids{"svc-pa-langar"});
    CHECK(f.ids("ਭੋਜਨ") == Ids{"svc-pa-langar"});
    CHECK(f.ids("ਮੁਫਤ") == Ids{"svc-pa-langar"});  // without the nukta of ਫ਼
    Database db(":memory:");
    SearchTokenizer tokenizer(db.handle());
    CHECK(tokenizer.countTokens(foldLetters("বাংলা খাবার ব্যাংক")) == 3);
}

TEST_CASE("Cyrillic folds case", "[search_languages]") {
    Fixture f(false);
    CHECK(f.ids("УКРАЇНСЬКИЙ") == Ids{"svc-uk-club"});
    CHECK(f.ids("самотн") == Ids{"svc-uk-club"});
}

TEST_CASE("a need named in any language finds its services", "[search_languages]") {
    Fixture f;
    const Ids lonely{"svc-en-friends", "svc-uk-club", "svc-zh-elders"};
    for (const char* typed :
         {"samotność", "samotnosc", "samotności", "jestem samotna", "تنهایی", "تنهايي", "الوحدة",
          "وحيد", "孤独", "孤單", "самотність", "kalinimo", "singurătate", "একাকীত্ব", "ਇਕੱਲਾਪਣ",
          "اکیلا پن", "تەنیایی", "lonely"}) {
        INFO(typed);
        CHECK(f.ids(typed) == lonely);
        CHECK(f.find(typed).namedNeedCodes == Ids{"feeling-lonely"});
    }
    // A tile name typed in part, as it is typed.
    CHECK(f.ids("samot") == lonely);
    CHECK(f.ids("孤") == Ids{"svc-zh-elders"});  // one character: the index, not a need word
    CHECK(f.ids("我很孤独") == lonely);          // the word inside a Chinese run
    CHECK(f.ids("食物") == (Ids{"svc-bn-food", "svc-pa-langar", "svc-ur-help", "svc-zh-food"}));
    CHECK(f.ids("борги") == (Ids{"svc-ar-advice", "svc-en-debt"}));
    CHECK(f.ids("الديون") ==
          (Ids{"svc-ar-advice", "svc-en-debt"}));  // the text's word, and the need
    // Words typed in another language still narrow: every word is required.
    CHECK(f.ids("samotność debt").empty());
    SECTION("without the texts, the same words find only what the data says") {
        Fixture plain(false);
        CHECK(plain.ids("samotność").empty());
        CHECK(plain.find("samotność").namedNeedCodes.empty());
        CHECK(plain.ids("孤独") == Ids{"svc-zh-elders"});
    }
}

TEST_CASE("need words come from every text file, whichever languages the kiosk offers",
          "[search_languages]") {
    Fixture f(false);
    const std::filesystem::path dir = test::assetsDir() / "i18n";
    using Entry = std::tuple<std::string, std::string, std::vector<std::string>>;
    const auto entries = [](const std::vector<NeedWords>& words) {
        std::vector<Entry> result;
        for (const NeedWords& entry : words) {
            result.emplace_back(entry.language, entry.needCode, entry.words);
        }
        std::sort(result.begin(), result.end());
        return result;
    };
    const std::vector<Entry> everyFile = entries(needWordsForSearch(dir, f.store));
    std::set<std::string> languages;
    for (const Entry& entry : everyFile) {
        languages.insert(std::get<0>(entry));
    }
    CHECK(languages.size() == I18n::available(dir).size());
    CHECK(everyFile.size() == languages.size() * needCodes(f.store).size());
    std::vector<std::string> all;
    for (const LanguageInfo& language : I18n::available(dir)) {
        all.push_back(language.code);
    }
    for (const std::vector<std::string>& offered :
         {std::vector<std::string>{}, std::vector<std::string>{"pl", "zh-Hans"}, all}) {
        INFO(offered.size() << " languages offered");
        const I18n loaded = I18n::load(dir, offered);
        CHECK(entries(needWordsForSearch(loaded, dir, f.store)) == everyFile);
    }
    // An English-only kiosk still finds a need typed in Polish.
    f.store.setNeedWords(needWordsForSearch(I18n::load(dir, {}), dir, f.store));
    CHECK(f.find("samotność").namedNeedCodes == Ids{"feeling-lonely"});
    SECTION("a broken file among those not offered loses only its own language's words") {
        test::TempDir temp;
        const std::filesystem::path copy = temp.path() / "i18n";
        std::filesystem::copy(dir, copy);
        {
            std::ofstream broken(copy / "pl.json", std::ios::trunc);
            broken << "{\"need.food\": ";
        }
        const std::vector<Entry> withoutPolish =
            entries(needWordsForSearch(I18n::load(copy, {}), copy, f.store));
        std::vector<Entry> expected;
        std::copy_if(everyFile.begin(), everyFile.end(), std::back_inserter(expected),
                     [](const Entry& entry) { return std::get<0>(entry) != "pl"; });
        CHECK(withoutPolish == expected);
        CHECK_FALSE(expected.empty());
        CHECK(expected.size() < everyFile.size());
        const std::vector<LogLine> lines = recentLogLines(5);
        CHECK(std::any_of(lines.begin(), lines.end(), [](const LogLine& line) {
            return line.level == LogLevel::Warning &&
                   line.message.find("\"pl\" not loaded for search") != std::string::npos &&
                   line.message.find("pl.json") != std::string::npos;
        }));
        // Every language already loaded (here from the intact folder): no file is read again, so
        // the broken copy is never opened.
        CHECK(needWordsForSearch(I18n::load(dir, all), copy, f.store).size() == everyFile.size());
    }
}

TEST_CASE("a need's several-word synonym must be typed in full", "[search_languages]") {
    Fixture f;
    // Somali "hoy la'aan" (homelessness) is three tokens; "la" and "aan" alone are common words.
    const SearchResults la = f.find("la");
    CHECK(std::find(la.namedNeedCodes.begin(), la.namedNeedCodes.end(), "housing") ==
          la.namedNeedCodes.end());
}

TEST_CASE("ranking in other scripts is SQLite's bm25()", "[search_languages]") {
    test::TempDir dir("bm25-scripts");
    const std::string path = (dir / "directory.sqlite").string();
    {
        DirectoryStore writer(path, test::londonZone());
        writer.replaceAll(scriptsDirectory(), "test");
    }
    DirectoryStore store(path, test::londonZone());
    Database raw(path);
    SearchTokenizer tokenizer(raw.handle());
    for (const std::string text :
         {"食物银行", "银", "孤独 老人", "الديون", "খাবার", "ਭੋਜਨ", "food", "a"}) {
        INFO(text);
        SearchRequest request;
        request.text = text;
        const SearchResults ours = store.search(request, test::tuesdayMorning());
        Statement sql = raw.prepare(
            "SELECT s.id FROM service_fts f JOIN services s ON s.row_id = f.rowid WHERE "
            "service_fts MATCH ?1 "
            "ORDER BY bm25(service_fts, 10.0, 5.0, 3.0, 1.0, 1.5), s.sort_key, s.row_id");
        sql.bind(1, buildMatchExpression(tokenizer.tokens(text)));
        Ids expected;
        while (sql.step()) {
            expected.push_back(sql.columnText(0));
        }
        Ids actual;
        for (const ServiceSummary& item : ours.items) {
            actual.push_back(item.id);
        }
        CHECK_FALSE(expected.empty());
        CHECK(actual == expected);
    }
}

TEST_CASE("folding, one rule at a time", "[search_languages]") {
    CHECK(foldQueryText("أَهْلاً") == "اهلا");
    CHECK(foldQueryText("تـــنهایی") == "تنهايي");
    CHECK(foldQueryText("ہے") == "هي");
    CHECK(foldQueryText("کمک") == "كمك");
    CHECK(foldQueryText("یارمەتی") == "يارمهتي");
    CHECK(foldQueryText("ؤ ئ إ آ ٱ ة ۀ ھ") == "و ي ا ا ا ه ه ه");
    CHECK(foldQueryText("٠١٦١ ۴۹۶ ০১৬১ ੦੧੬੧") == "0161 496 0161 0161");
    CHECK(foldQueryText("ﻻ ＡＢＣ Straße ﬁ") == "لا abc strasse fi");
    CHECK(foldQueryText("Ł ø Æ") == "l o ae");
    CHECK(foldQueryText("食物银行") == " 食物银行 ");
    CHECK(foldLetters("食物银行") == " 食物 物银 银行 行 ");
    CHECK(foldLetters("银") == " 银 ");
    CHECK(foldLetters("abc食物def") == "abc 食物 物 def");
    CHECK(cjkBigrams("食物银") == Ids{"食物", "物银"});
    CHECK(cjkBigrams("食") == Ids{"食"});
    CHECK(phraseFor({"食物银", false, true}) == "\"食物 物银\"");
    CHECK(phraseFor({"食", false, true}) == "\"食\"*");
    CHECK(editDistance("تنهایی", "تنهاىی", 1) == 1);  // one letter, two bytes
    CHECK(editDistance("samotność", "samotnosc", 2) == 2);
    Database db(":memory:");
    SearchTokenizer tokenizer(db.handle());
    const std::vector<SearchToken> typed = tokenizer.tokens("我很孤独");
    REQUIRE(typed.size() == 1);
    CHECK(typed[0].cjk);
    CHECK_FALSE(typed[0].finished);
    CHECK(tokenizer.tokens("我很孤独 ")[0].finished);
    CHECK(tokenizer.tokens("孤独。")[0].finished);
}
