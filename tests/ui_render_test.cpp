// The render test: every screen × every language × every text size × landscape and portrait,
// headless. Each settled screen is drawn once more with the text module's audit on, and fails on
//  - text clipped or overflowing: ink outside its container (a button, a key, a field) or outside
//    the clip rectangle (sideways anywhere; up and down too, except in a scrolling area);
//  - a word broken between letters (no line-break opportunity fitted: "Gotowe" on the Polish
//    Done key at one size up in portrait, before the keyboard sized its keys to their labels);
//  - a glyph no font has (a .notdef box), and ink taller than the line box that should hold it;
//  - in a right-to-left language, text drawn in a layer left unmirrored (the keyboard excepted).
// A second test compares the whole UiMap of every screen in English with the same screens in a
// right-to-left copy of English: each element must sit exactly at its mirror image.
//
// The walk is the resident's: home, the two choosers, results, a service, every referral step
// with each keyboard layout and page, the confirmation; then "contact them yourself", the idle
// question, the closed screen, the staff PIN pad and panel.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/common/log.h"
#include "core/common/utf8.h"
#include "core/i18n/i18n.h"
#include "core/session/kiosk_session.h"
#include "support/test_support.h"
#include "support/ui_staff_harness.h"
#include "ui/keyboard_layouts.h"
#include "ui/kiosk_app.h"
#include "ui/text.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace signpost::ui;
using signpost::ui::testing::TestKiosk;
using signpost::ui::testing::TestKioskOptions;
using signpost::ui::testing::UiDriver;

namespace {

constexpr float kTolerance = 1.0f;  // pixels of rounding allowed at any edge

struct AuditLog final : TextAudit {
    std::vector<TextRecord> records;
    void onText(const TextRecord& record) override { records.push_back(record); }
};

std::string hex(char32_t cp) {
    std::ostringstream out;
    out << "U+" << std::hex << std::uppercase << static_cast<unsigned>(cp);
    return out.str();
}

std::string describe(const Rect& r) {
    std::ostringstream out;
    out << "(" << r.x0 << "," << r.y0 << ")-(" << r.x1 << "," << r.y1 << ")";
    return out.str();
}

bool inside(const Rect& inner, const Rect& outer, bool vertical) {
    if (inner.empty()) {
        return true;
    }
    const bool across = inner.x0 >= outer.x0 - kTolerance && inner.x1 <= outer.x1 + kTolerance;
    const bool down = inner.y0 >= outer.y0 - kTolerance && inner.y1 <= outer.y1 + kTolerance;
    return across && (!vertical || down);
}

// What is wrong with one drawn text ("" = nothing).
std::string problemWith(const TextRecord& r, bool rightToLeft) {
    if (!r.missing.empty()) {
        std::string list;
        for (char32_t cp : r.missing) {
            list += hex(cp) + " ";
        }
        return "no glyph (.notdef box) for " + list;
    }
    if (r.forcedBreak) {
        return "a word broken between letters";
    }
    if (r.container && !inside(r.ink, *r.container, true)) {
        return "ink " + describe(r.ink) + " outside its box " + describe(*r.container);
    }
    if (r.container && r.box.width() > r.container->width() + kTolerance) {
        return "wider than its box";
    }
    if (!inside(r.ink, r.clip, !r.clipScrolls)) {
        return "ink " + describe(r.ink) + " clipped by " + describe(r.clip);
    }
    if (!r.ink.empty() && (r.ink.y0 < r.box.y0 - 2 || r.ink.y1 > r.box.y1 + 2)) {
        return "ink " + describe(r.ink) + " taller than its line box " + describe(r.box);
    }
    if (rightToLeft && !r.mirrored) {
        return "left unmirrored in a right-to-left language";
    }
    return {};
}

struct Combination {
    std::string language;
    TextSize size;
    float width;
    float height;
    std::string label() const {
        const char* sizes[] = {"normal", "large", "largest"};
        return language + " " + sizes[static_cast<int>(size)] + " " +
               std::to_string(static_cast<int>(width)) + "x" +
               std::to_string(static_cast<int>(height));
    }
};

class RenderWalk {
public:
    RenderWalk(const Combination& c, const std::map<std::string, std::string>& texts,
               std::vector<std::string>& failures)
        : m_combination(c), m_failures(failures), m_dir("ui-render") {
        TestKioskOptions options;
        options.textSize = c.size;
        options.pinHash = test::knownPinHash();
        m_kiosk = std::make_unique<TestKiosk>(m_dir.path(), test::assetsDir(), options);
        KioskRuntime& runtime = m_kiosk->runtime;
        if (!texts.empty()) {
            runtime.i18n = I18n::fromJsonTexts(texts);
            runtime.config.languages.clear();
            for (const auto& [code, text] : texts) {
                runtime.config.languages.push_back(code);
            }
        }
        runtime.config.defaultLanguage = c.language;
        m_ui = std::make_unique<UiDriver>(runtime, c.width, c.height);
        m_rtl = runtime.i18n.languageInfo().rightToLeft;
    }

    UiDriver& ui() { return *m_ui; }
    KioskRuntime& runtime() { return m_kiosk->runtime; }

    // Draws the settled screen once more with the audit on and files what is wrong.
    void check(const std::string& what) {
        AuditLog log;
        m_ui->app().setTextAudit(&log);
        m_ui->frame();
        m_ui->app().setTextAudit(nullptr);
        ++m_screens;
        if (log.records.empty()) {
            m_failures.push_back(m_combination.label() + ", " + what + ": no text drawn at all");
        }
        for (const TextRecord& r : log.records) {
            // The keyboard keeps its own (left-to-right) layout in every language.
            const bool keyboard =
                m_ui->app().keyboardShown() && r.container &&
                r.container->y0 >= m_ui->find("keyboard.panel").value_or(UiElement{}).y - 1;
            const std::string problem = problemWith(r, m_rtl && !keyboard);
            if (!problem.empty()) {
                m_failures.push_back(m_combination.label() + ", " + what + " (" + m_ui->screen() +
                                     "): \"" + r.text + "\": " + problem);
            }
        }
    }
    int screens() const noexcept { return m_screens; }

private:
    Combination m_combination;
    std::vector<std::string>& m_failures;
    test::TempDir m_dir;
    std::unique_ptr<TestKiosk> m_kiosk;
    std::unique_ptr<UiDriver> m_ui;
    bool m_rtl = false;
    int m_screens = 0;
};

// The resident's walk through every screen, checking each; REQUIREs that it could move on.
void walkEveryScreen(RenderWalk& walk) {
    UiDriver& ui = walk.ui();
    walk.check("home");
    REQUIRE(ui.press("home.neighbourhood"));
    walk.check("neighbourhood chooser");
    REQUIRE(ui.press("chooser.close"));
    REQUIRE(ui.press("global.language"));
    walk.check("language chooser");
    REQUIRE(ui.press("chooser.close"));
    REQUIRE(ui.press("home.search"));
    walk.check("home, typing a search (letters)");
    if (ui.press("keyboard.symbols")) {
        walk.check("keyboard symbols");
        REQUIRE(ui.press("keyboard.symbols"));
    }
    if (ui.press("keyboard.accents")) {
        walk.check("keyboard accents");
        REQUIRE(ui.press("keyboard.accents"));
    }
    if (ui.press("keyboard.latin")) {
        walk.check("keyboard switched to Latin");
        REQUIRE(ui.press("keyboard.latin"));
    }
    REQUIRE(ui.press("keyboard.done"));

    REQUIRE(ui.scrollIntoView("home.need.food", "home.scroll"));
    REQUIRE(ui.press("home.need.food"));
    REQUIRE(ui.screen() == "results");
    walk.check("results");
    REQUIRE(ui.pressFirst("results.item."));
    REQUIRE(ui.screen() == "service");
    walk.check("service");
    // A service that takes referrals.
    for (int i = 1; i < 40 && !ui.find("service.refer"); ++i) {
        REQUIRE(ui.press("global.back"));
        const std::string id = "results.item." + std::to_string(i);
        REQUIRE(ui.scrollIntoView(id, "results.list"));
        REQUIRE(ui.press(id));
    }
    REQUIRE(ui.press("service.refer"));
    REQUIRE(ui.screen() == "referral.needs");
    walk.check("referral needs");
    REQUIRE(ui.press("referral.next"));
    if (ui.screen() == "referral.needs") {  // no need chosen yet: the error shows, then choose one
        walk.check("referral needs, with its error");
        REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
        REQUIRE(ui.press("referral.need.food"));
        REQUIRE(ui.press("referral.next"));
    }
    REQUIRE(ui.screen() == "referral.contact");
    walk.check("referral contact");
    REQUIRE(ui.scrollIntoView("referral.name", "referral.contact.scroll"));
    REQUIRE(ui.press("referral.name"));
    walk.check("referral contact, keyboard for a name");
    ui.typePhysical("Ana Nowak");
    REQUIRE(ui.press("keyboard.done"));
    REQUIRE(ui.scrollIntoView("referral.phone", "referral.contact.scroll"));
    REQUIRE(ui.press("referral.phone"));
    walk.check("referral contact, phone keypad");
    ui.typePhysical("07700 900123");
    REQUIRE(ui.press("keyboard.done"));
    REQUIRE(ui.scrollIntoView("referral.email", "referral.contact.scroll"));
    REQUIRE(ui.press("referral.email"));
    walk.check("referral contact, e-mail keyboard");
    ui.typePhysical("ana.nowak@example.org");
    REQUIRE(ui.press("keyboard.done"));
    walk.check("referral contact, filled in");
    const char* steps[][2] = {{"referral.best_time", "referral.best_time.morning"},
                              {"referral.message", "referral.message.yes"},
                              {"referral.language", nullptr},
                              {"referral.access", nullptr},
                              {"referral.consent", "referral.consent.tick"}};
    for (const auto& [screen, choice] : steps) {
        REQUIRE(ui.press("referral.next"));
        REQUIRE(ui.screen() == screen);
        walk.check(screen);
        if (choice != nullptr) {
            REQUIRE(ui.scrollIntoView(choice, std::string(screen) + ".scroll"));
            REQUIRE(ui.press(choice));
        }
    }
    REQUIRE(ui.press("referral.next"));
    REQUIRE(ui.screen() == "referral.review");
    walk.check("referral review");
    REQUIRE(ui.press("referral.submit"));
    REQUIRE(ui.screen() == "referral.done");
    walk.check("referral done (thank you)");
    REQUIRE(ui.press("global.finish"));

    // "I'd rather contact them myself".
    REQUIRE(ui.scrollIntoView("home.general_referral", "home.scroll"));
    REQUIRE(ui.press("home.general_referral"));
    REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
    REQUIRE(ui.press("referral.need.food"));
    REQUIRE(ui.press("referral.next"));
    REQUIRE(ui.scrollIntoView("referral.contact_myself", "referral.contact.scroll"));
    REQUIRE(ui.press("referral.contact_myself"));
    REQUIRE(ui.screen() == "referral.contact_self");
    walk.check("contact them yourself");
    REQUIRE(ui.press("global.finish"));

    // The idle question (Urdu's tall Nastaliq lines can push the tiles below the fold).
    REQUIRE(ui.scrollIntoView("home.need.food", "home.scroll"));
    REQUIRE(ui.press("home.need.food"));
    ui.wait(92);
    REQUIRE(ui.screen().find("+idle") != std::string::npos);
    walk.check("idle question");
    REQUIRE(ui.press("idle.yes"));

    // Staff: the PIN pad and the panel.
    REQUIRE(ui.press("global.finish"));
    test::openPinPad(ui);
    walk.check("staff PIN pad");
    REQUIRE(test::typePin(ui, test::kStaffPin));
    ui.settle();
    REQUIRE(ui.screen() == "staff.panel");
    walk.check("staff panel");
    REQUIRE(ui.press("staff.close"));

    // The closed screen (the venue closed all week).
    KioskRuntime& runtime = walk.runtime();
    for (std::string* day :
         {&runtime.config.hoursMonday, &runtime.config.hoursTuesday, &runtime.config.hoursWednesday,
          &runtime.config.hoursThursday, &runtime.config.hoursFriday, &runtime.config.hoursSaturday,
          &runtime.config.hoursSunday}) {
        *day = "closed";
    }
    ui.app().settingsChanged();
    ui.settle();
    REQUIRE(ui.screen() == "closed");
    walk.check("closed screen");
}

std::vector<Combination> combinations(const std::vector<std::string>& languages) {
    std::vector<Combination> result;
    for (const std::string& language : languages) {
        for (TextSize size : {TextSize::Normal, TextSize::Large, TextSize::Largest}) {
            result.push_back({language, size, 1920, 1080});
            result.push_back({language, size, 1080, 1920});
        }
    }
    return result;
}

void report(const std::vector<std::string>& failures) {
    // SIGNPOST_RENDER_REPORT=FILE appends every failure there (the message shows the first 40).
    if (const char* file = std::getenv("SIGNPOST_RENDER_REPORT"); file != nullptr && *file != 0) {
        std::ofstream all(file, std::ios::app);
        for (const std::string& failure : failures) {
            all << failure << "\n";
        }
    }
    std::ostringstream out;
    for (std::size_t i = 0; i < failures.size() && i < 40; ++i) {
        out << failures[i] << "\n";
    }
    if (failures.size() > 40) {
        out << "... and " << failures.size() - 40 << " more\n";
    }
    INFO(out.str());
    CHECK(failures.empty());
}

}  // namespace

TEST_CASE("render: every screen in every language, text size and orientation", "[ui][render]") {
    setLogToStderr(false);
    std::vector<std::string> languages;
    {
        test::TempDir dir("ui-render-languages");
        TestKiosk probe(dir.path(), test::assetsDir());
        for (const auto& entry : std::filesystem::directory_iterator(test::assetsDir() / "i18n")) {
            if (entry.path().extension() == ".json") {
                languages.push_back(entry.path().stem().string());
            }
        }
    }
    std::sort(languages.begin(), languages.end());
    std::vector<std::string> failures;
    int screens = 0;
    for (const Combination& c : combinations(languages)) {
        std::map<std::string, std::string> texts;
        for (const std::string& code : languages) {
            texts[code] = test::readText(test::assetsDir() / "i18n" / (code + ".json"));
        }
        RenderWalk walk(c, texts, failures);
        INFO(c.label());
        walkEveryScreen(walk);
        screens += walk.screens();
    }
    CHECK(screens >= static_cast<int>(languages.size()) * 6 * 20);
    report(failures);
}

namespace {

// English with "direction": "rtl": the same words, so every element must land exactly at the
// mirror image of where English puts it — any element drawn outside the mirroring shows up.
std::map<std::string, std::string> englishBothWays() {
    auto en = nlohmann::json::parse(test::readText(test::assetsDir() / "i18n" / "en.json"));
    auto rtl = en;
    rtl["_meta"]["code"] = "en-x-rtl";
    rtl["_meta"]["direction"] = "rtl";
    return {{"en", en.dump()}, {"en-x-rtl", rtl.dump()}};
}

// Element rectangles of the screen shown, by id.
std::map<std::string, UiElement> elements(UiDriver& ui) {
    std::map<std::string, UiElement> result;
    for (const UiElement& element : ui.map().elements()) {
        result.emplace(element.id, element);
    }
    return result;
}

// Ids allowed to stay where they are: the keyboard keeps its own layout in every language.
bool keepsItsPlace(const std::string& id) {
    return id.rfind("keyboard.", 0) == 0;
}

}  // namespace

TEST_CASE("render: a right-to-left language mirrors every element of every screen",
          "[ui][render]") {
    setLogToStderr(false);
    const auto texts = englishBothWays();
    for (const auto& [width, height] : {std::pair{1920.0f, 1080.0f}, std::pair{1080.0f, 1920.0f}}) {
        std::vector<std::string> failures;
        std::vector<std::map<std::string, std::map<std::string, UiElement>>> seen(2);
        for (int pass = 0; pass < 2; ++pass) {
            const std::string language = pass == 0 ? "en" : "en-x-rtl";
            RenderWalk walk(Combination{language, TextSize::Normal, width, height}, texts,
                            failures);
            UiDriver& ui = walk.ui();
            auto snap = [&](const std::string& name) { seen[pass][name] = elements(ui); };
            snap("home");
            REQUIRE(ui.press("global.language"));
            snap("language chooser");
            REQUIRE(ui.press("chooser.close"));
            REQUIRE(ui.press("home.need.food"));
            snap("results");
            REQUIRE(ui.pressFirst("results.item."));
            snap("service");
            REQUIRE(ui.press("global.finish"));
            REQUIRE(ui.scrollIntoView("home.general_referral", "home.scroll"));
            REQUIRE(ui.press("home.general_referral"));
            snap("needs");
            REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
            REQUIRE(ui.press("referral.need.food"));
            REQUIRE(ui.press("referral.next"));
            REQUIRE(ui.press("referral.name"));
            snap("contact with keyboard");
        }
        INFO(width << "x" << height);
        for (const auto& [screen, ltr] : seen[0]) {
            const auto& rtl = seen[1][screen];
            CHECK(rtl.size() == ltr.size());
            for (const auto& [id, a] : ltr) {
                const auto found = rtl.find(id);
                if (found == rtl.end()) {
                    failures.push_back(screen + ": " + id + " missing in right-to-left");
                    continue;
                }
                const UiElement& b = found->second;
                const float mirroredX = keepsItsPlace(id) ? a.x : width - a.x - a.width;
                if (std::abs(b.x - mirroredX) > 1 || std::abs(b.y - a.y) > 1 ||
                    std::abs(b.width - a.width) > 1 || std::abs(b.height - a.height) > 1) {
                    failures.push_back(screen + ": " + id + " at x " + std::to_string(b.x) +
                                       ", expected " + std::to_string(mirroredX));
                }
            }
        }
        report(failures);
    }
}

TEST_CASE("render: every key of every script keyboard has a glyph in its language",
          "[ui][render]") {
    setLogToStderr(false);
    ImGuiContext* context = ImGui::CreateContext();
    Text text;
    text.build(*ImGui::GetIO().Fonts);
    const std::pair<const char*, const char*> languages[] = {
        {"latin", "pl"}, {"cyrillic", "uk"}, {"arabic", "ar"},  {"persian", "fa"},
        {"urdu", "ur"},  {"sorani", "ckb"},  {"bengali", "bn"}, {"gurmukhi", "pa"}};
    for (const ScriptKeyboard* layout : allScriptKeyboards()) {
        const auto found =
            std::find_if(std::begin(languages), std::end(languages),
                         [&](const auto& pair) { return std::string(pair.first) == layout->name; });
        REQUIRE(found != std::end(languages));
        CHECK(&scriptKeyboardFor(found->second) == layout);
        text.setLanguage(found->second, false);
        std::size_t keys = 0;
        for (const auto* rows : {&layout->letters, &layout->more}) {
            CHECK(rows->size() <= 4);
            for (std::string_view row : *rows) {
                CHECK(utf8::count(row) <= 12);  // fits the keyboard's widest row
                for (std::size_t at = 0; at < row.size();) {
                    const char32_t cp = utf8::next(row, at);
                    INFO(layout->name << " U+" << std::hex << static_cast<unsigned>(cp));
                    CHECK(text.hasGlyph(cp));
                    ++keys;
                }
            }
        }
        CHECK(keys >= 30);
    }
    CHECK(&scriptKeyboardFor("so") == &latinKeyboard());
    CHECK(&scriptKeyboardFor("zh-Hans") == &latinKeyboard());
    ImGui::DestroyContext(context);
}
