// The text engine on its own (kiosk/text, no ImGui): shaping matches HarfBuzz's own hb-shape for
// the same strings and fonts, bidirectional order keeps numbers and addresses left to right inside
// right-to-left text, lines break by UAX #14 (Chinese between ideographs, never before "，"),
// fonts fall back per script and language, missing glyphs are reported, and the glyph atlas fills
// on demand, grows, and clears.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/common/log.h"
#include "core/common/utf8.h"
#include "support/process.h"
#include "support/test_support.h"
#include "text/font_library.h"
#include "text/glyph_atlas.h"
#include "text/text_layout.h"

using namespace signpost;
using namespace signpost::text;

namespace {

struct Engine {
    FontLibrary fonts{loadFontConfig(test::assetsDir())};
    TextShaper shaper{fonts};
};

TextLayout lay(Engine& e, std::string_view text, std::string_view language, float wrap = 0,
               bool uiRtl = false, Weight weight = Weight::Regular) {
    LayoutParams params;
    params.size = 36;
    params.wrapWidth = wrap;
    params.language = language;
    params.uiRtl = uiRtl;
    params.weight = weight;
    return e.shaper.layout(text, params);
}

std::string fileOf(Engine& e, FaceId face) {
    return face == kNoFace ? ""
                           : std::filesystem::path(e.fonts.info(face).file).filename().string();
}

// The byte offsets of the glyphs of `line` in visual (left-to-right) order.
std::vector<std::uint32_t> clusters(const Line& line) {
    std::vector<std::uint32_t> result;
    for (const Glyph& g : line.glyphs) {
        result.push_back(g.cluster);
    }
    return result;
}

std::size_t byteOf(std::string_view text, std::string_view part) {
    return text.find(part);
}

}  // namespace

TEST_CASE("text: shaping is HarfBuzz's own, glyph for glyph (hb-shape)", "[text][shaping]") {
    setLogToStderr(false);
    const auto hbShape = test::findInPath("hb-shape");
    REQUIRE(hbShape);  // libharfbuzz-bin (installer/install-deps.sh)
    Engine e;
    struct Sample {
        const char* language;
        const char* text;
        const char* file;  // the face our fallback must pick
        int index;
    };
    const Sample samples[] = {
        {"ur", "براہ کرم یہاں اپنا نام لکھیں", "NotoNastaliqUrdu-Regular.ttf", 0},
        {"ar", "ابحث عن المساعدة بالقرب منك", "NotoNaskhArabic-Regular.ttf", 0},
        {"fa", "کمک در نزدیکی خود پیدا کنید", "NotoNaskhArabic-Regular.ttf", 0},
        {"ckb", "یارمەتی لە نزیکی خۆت بدۆزەرەوە", "NotoNaskhArabic-Regular.ttf", 0},
        {"bn", "কাছাকাছি সাহায্য খুঁজুন", "NotoSansBengali-Regular.ttf", 0},
        {"pa", "ਨੇੜੇ ਮਦਦ ਲੱਭੋ", "NotoSansGurmukhi-Regular.ttf", 0},
        {"zh-Hans", "在附近寻找帮助", "NotoSansCJK-Regular.ttc", 2},
        {"zh-Hant", "在附近尋找幫助", "NotoSansCJK-Regular.ttc", 3},
        {"uk", "Знайдіть допомогу поруч", "NotoSans-Regular.ttf", 0},
        {"ro", "Găsiți ajutor în apropiere", "NotoSans-Regular.ttf", 0},
        {"pl", "Gotowe źdźbło", "NotoSans-Regular.ttf", 0},
    };
    test::TempDir dir("hb-shape");
    for (const Sample& sample : samples) {
        INFO(sample.language << ": " << sample.text);
        // Lay out at an em of exactly 1000 px, so our positions are hb-shape's font units.
        LayoutParams params;
        params.language = sample.language;
        const TextLayout probe = e.shaper.layout(sample.text, params);
        REQUIRE(probe.lines.size() == 1);
        REQUIRE_FALSE(probe.lines[0].glyphs.empty());
        const FaceId used = probe.lines[0].glyphs[0].face;
        CHECK(fileOf(e, used) == sample.file);
        CHECK(e.fonts.info(used).index == sample.index);
        const float unitsPerEm = e.fonts.info(used).unitsPerEm;
        params.size = unitsPerEm / (e.shaper.emFor(1.0f) * e.fonts.info(used).scale);
        const TextLayout ours = e.shaper.layout(sample.text, params);
        REQUIRE(ours.missing.empty());

        test::ProcessOptions options;
        options.program = *hbShape;
        options.args = {"--output-format=json",
                        "--no-glyph-names",
                        "--font-size=upem",
                        "--language=" + std::string(sample.language),
                        "--face-index=" + std::to_string(sample.index),
                        e.fonts.info(used).file,
                        sample.text};
        options.stdoutFile = dir / "out.json";
        REQUIRE(test::runProcess(options, std::chrono::seconds(30)).success());
        const auto theirs = nlohmann::json::parse(test::readText(dir / "out.json"));
        const Line& line = ours.lines[0];
        REQUIRE(theirs.size() == line.glyphs.size());
        // hb-shape counts clusters in characters; ours are byte offsets.
        auto characterAt = [&](std::uint32_t byte) {
            return utf8::count(std::string_view(sample.text).substr(0, byte));
        };
        float pen = 0;
        for (std::size_t i = 0; i < line.glyphs.size(); ++i) {
            const Glyph& g = line.glyphs[i];
            INFO("glyph " << i);
            CHECK(g.id == theirs[i]["g"].get<std::uint32_t>());
            CHECK(characterAt(g.cluster) == theirs[i]["cl"].get<std::size_t>());
            CHECK(g.advance == Approx(theirs[i]["ax"].get<float>()).margin(0.05));
            CHECK(g.x - pen == Approx(theirs[i]["dx"].get<float>()).margin(0.05));
            CHECK(g.y == Approx(theirs[i]["dy"].get<float>()).margin(0.05));
            pen += g.advance;
        }
    }
}

TEST_CASE("text: numbers, references and addresses stay left to right inside Arabic",
          "[text][bidi]") {
    setLogToStderr(false);
    Engine e;
    SECTION("a phone number in an Arabic sentence reads in order, isolated or not") {
        auto digitsOf = [](const std::string& text, const Line& line) {
            std::vector<std::uint32_t> digits;
            for (const Glyph& g : line.glyphs) {
                if (text[g.cluster] >= '0' && text[g.cluster] <= '9') {
                    digits.push_back(g.cluster);
                }
            }
            return digits;
        };
        // Plain UBA would show "0000 496 0161" (spaces between numbers resolve right to left in
        // right-to-left text); numbers written straight into a translation hold together.
        for (const std::string plain : {"اتصل على 0161 496 0000 الآن", "اتصل بالرقم 116 123 مجانا",
                                        "اتصل على +44 161 496 0000"}) {
            INFO(plain);
            const TextLayout bare = lay(e, plain, "ar", 0, true);
            const auto inOrder = digitsOf(plain, bare.lines[0]);
            CHECK(inOrder.size() >= 6);
            CHECK(std::is_sorted(inOrder.begin(), inOrder.end()));
        }
        // "+" stays at the number's left, where it is read first.
        const std::string plus = "اتصل على +44 161";
        const auto plusOrder = clusters(lay(e, plus, "ar", 0, true).lines[0]);
        const auto plusAt = std::find(plusOrder.begin(), plusOrder.end(), byteOf(plus, "+"));
        REQUIRE(plusAt != plusOrder.end());
        REQUIRE(std::next(plusAt) != plusOrder.end());
        CHECK(*std::next(plusAt) == byteOf(plus, "44"));
        const std::string text =
            "اتصل على \xE2\x81\xA8"
            "0161 496 0000"
            "\xE2\x81\xA9 الآن";
        const TextLayout layout = lay(e, text, "ar", 0, true);
        REQUIRE(layout.lines.size() == 1);
        CHECK(layout.rtl());
        const auto order = clusters(layout.lines[0]);
        // Visual order: the last Arabic word is leftmost, the first one rightmost...
        CHECK(order.front() >= byteOf(text, "الآن"));
        CHECK(order.back() == 0);
        // ...and the digits read left to right, in their own order.
        const auto digits = digitsOf(text, layout.lines[0]);
        INFO(nlohmann::json(order).dump());
        REQUIRE(digits.size() == 11);
        CHECK(std::is_sorted(digits.begin(), digits.end()));
        // A number on its own is left to right even in a right-to-left UI.
        const TextLayout alone = lay(e, "0161 496 0000", "ar", 0, true);
        CHECK_FALSE(alone.rtl());
        const auto aloneOrder = clusters(alone.lines[0]);
        CHECK(std::is_sorted(aloneOrder.begin(), aloneOrder.end()));
    }
    SECTION("an isolated e-mail address at the start does not turn the paragraph around") {
        // FSI … PDI, as I18n::format wraps a value that must stay left to right.
        const std::string text =
            "\xE2\x81\xA8"
            "ana.nowak@example.org"
            "\xE2\x81\xA9"
            " هو بريدك";
        const TextLayout layout = lay(e, text, "ar", 0, true);
        CHECK(layout.rtl());
        const auto order = clusters(layout.lines[0]);
        std::vector<std::uint32_t> address;
        for (std::uint32_t c : order) {
            if (c > 0 && c < byteOf(text, "\xE2\x81\xA9")) {
                address.push_back(c);
            }
        }
        REQUIRE(address.size() >= 15);
        CHECK(std::is_sorted(address.begin(), address.end()));
        // The address is the rightmost thing on the line (the start of an RTL paragraph).
        CHECK(order.back() < byteOf(text, "\xE2\x81\xA9"));
    }
    SECTION("direction: Arabic text in a left-to-right UI, English in a right-to-left UI") {
        CHECK(lay(e, "اردو", "en").rtl());
        CHECK_FALSE(lay(e, "Age UK Manchester", "ar", 0, true).rtl());
        CHECK(lay(e, "Age UK مانشستر", "ar", 0, true).rtl());
        CHECK_FALSE(lay(e, "Age UK مانشستر", "en").rtl());
        CHECK_FALSE(lay(e, "09:00-17:00", "ar", 0, true).rtl());  // no letters: as numbers read
    }
    SECTION("brackets mirror in right-to-left runs") {
        const TextLayout plain = lay(e, "(مرحبا)", "ar", 0, true);
        const TextLayout latin = lay(e, "(hello)", "en");
        REQUIRE(plain.lines[0].glyphs.size() >= 2);
        // The leftmost glyph of the RTL line is the closing bracket (byte offset of ")").
        CHECK(plain.lines[0].glyphs.front().cluster == byteOf("(مرحبا)", ")"));
        CHECK(latin.lines[0].glyphs.front().cluster == 0);
    }
}

TEST_CASE("text: line breaks follow UAX #14 in every script", "[text][breaks]") {
    setLogToStderr(false);
    Engine e;
    SECTION("Chinese breaks between ideographs and never puts a comma first") {
        const std::string text =
            "如果你感到孤独，可以和我们的链接工作者谈谈，他们会帮助你找到附近的支持。";
        const float full = lay(e, text, "zh-Hans").width;
        const TextLayout layout = lay(e, text, "zh-Hans", full / 3.5f);
        CHECK(layout.lines.size() >= 4);
        CHECK_FALSE(layout.forcedBreak());
        for (const Line& line : layout.lines) {
            CHECK(line.width <= full / 3.5f + 0.5f);
            const std::string_view start = std::string_view(text).substr(line.begin, 3);
            CHECK(start != "，");
            CHECK(start != "。");
        }
    }
    SECTION("Urdu and Bengali break at spaces, keeping every letter") {
        for (const auto& [language, text] :
             {std::pair<const char*, std::string>{"ur",
                                                  "براہ کرم یہاں اپنا پورا نام اور فون نمبر لکھیں"},
              {"bn", "অনুগ্রহ করে এখানে আপনার পুরো নাম এবং ফোন নম্বর লিখুন"}}) {
            INFO(language);
            const float full = lay(e, text, language).width;
            const TextLayout layout = lay(e, text, language, full / 2.5f);
            CHECK(layout.lines.size() >= 3);
            CHECK_FALSE(layout.forcedBreak());
            std::size_t letters = 0;
            for (const Line& line : layout.lines) {
                CHECK(line.width <= full / 2.5f + 0.5f);
                CHECK(text[line.end] == (line.end == text.size() ? '\0' : ' '));
                letters +=
                    utf8::count(std::string_view(text).substr(line.begin, line.end - line.begin));
            }
            CHECK(letters + layout.lines.size() - 1 == utf8::count(text));
        }
    }
    SECTION("a word wider than the line breaks between graphemes and says so") {
        const std::string word = "Konstantynopolitańczykowianeczka";
        const float narrow = lay(e, "support", "pl").width;
        const TextLayout layout = lay(e, word, "pl", narrow);
        CHECK(layout.lines.size() >= 3);
        CHECK(layout.forcedBreak());
        std::string joined;
        for (const Line& line : layout.lines) {
            joined += word.substr(line.begin, line.end - line.begin);
            CHECK(line.width <= narrow + 0.5f);
        }
        CHECK(joined == word);
        // Bengali: a grapheme cluster (consonant + vowel sign) is never split.
        const std::string bengali = "স্বাস্থ্যসেবাকেন্দ্রসমূহ";
        const TextLayout split = lay(e, bengali, "bn", lay(e, "স্বা", "bn").width * 1.5f);
        for (const Line& line : split.lines) {
            if (line.begin > 0) {
                std::size_t at = line.begin;
                const char32_t first = utf8::next(bengali, at);
                CHECK_FALSE(
                    (first >= 0x09BE && first <= 0x09CD));  // no line starts with a vowel sign
            }
        }
    }
    SECTION("new lines start paragraphs; an empty text is one empty line") {
        const TextLayout layout = lay(e, "one\n\nتحتاج", "ar", 1000, true);
        REQUIRE(layout.lines.size() == 3);
        CHECK_FALSE(layout.lines[0].rtl);
        CHECK(layout.lines[1].glyphs.empty());
        CHECK(layout.lines[2].rtl);
        CHECK(lay(e, "", "en", 100).lines.size() == 1);
    }
}

TEST_CASE("text: fonts fall back per script and language, missing glyphs are reported",
          "[text][fonts]") {
    setLogToStderr(false);
    Engine e;
    auto faceOf = [&](std::string_view text, std::string_view language, std::size_t glyph = 0) {
        const TextLayout layout = lay(e, text, language);
        REQUIRE(layout.lines[0].glyphs.size() > glyph);
        return layout.lines[0].glyphs[glyph].face;
    };
    CHECK(fileOf(e, faceOf("نام", "ur")) == "NotoNastaliqUrdu-Regular.ttf");
    CHECK(fileOf(e, faceOf("نام", "fa")) == "NotoNaskhArabic-Regular.ttf");
    CHECK(fileOf(e, faceOf("نام", "en")) ==
          "NotoNaskhArabic-Regular.ttf");  // Urdu's font is Urdu's
    CHECK(e.fonts.info(faceOf("帮助", "zh-Hans")).index == 2);
    CHECK(e.fonts.info(faceOf("幫助", "zh-Hant")).index == 3);
    CHECK(fileOf(e, faceOf("Age UK", "ur")) == "NotoSans-Regular.ttf");
    CHECK(fileOf(e, faceOf("Gotowe", "pl")) == "NotoSans-Regular.ttf");
    CHECK(fileOf(e, lay(e, "Gotowe", "pl", 0, false, Weight::Bold).lines[0].glyphs[0].face) ==
          "NotoSans-Bold.ttf");
    // Digits inside a Bengali sentence are drawn with the Bengali face (one run, no gaps).
    const TextLayout mixed = lay(e, "ফোন ১২৩", "bn");
    for (const Glyph& g : mixed.lines[0].glyphs) {
        CHECK(fileOf(e, g.face) == "NotoSansBengali-Regular.ttf");
    }
    CHECK(mixed.missing.empty());
    // Tamil has no font in our list: reported, drawn as .notdef.
    const TextLayout tamil = lay(e, "தமிழ்", "ta");
    CHECK_FALSE(tamil.missing.empty());
    CHECK(std::find(tamil.missing.begin(), tamil.missing.end(), U'த') != tamil.missing.end());
    // Isolates and joiners are invisible, never "missing".
    CHECK(lay(e,
              "\xE2\x81\xA8"
              "x"
              "\xE2\x81\xA9",
              "ar", 0, true)
              .missing.empty());
    // A language's line box: Urdu's is taller than English's, Chinese's a little.
    const auto en = e.shaper.languageBox("en", Weight::Regular, 36);
    const auto ur = e.shaper.languageBox("ur", Weight::Regular, 36);
    const auto zh = e.shaper.languageBox("zh-Hans", Weight::Regular, 36);
    CHECK(en.first + en.second == Approx(36).margin(0.01));
    CHECK(ur.first + ur.second > 45);
    CHECK(zh.first + zh.second > 36);
}

TEST_CASE("text: the glyph atlas fills on demand, grows, and clears when full", "[text][atlas]") {
    setLogToStderr(false);
    Engine e;
    GlyphAtlas atlas(e.fonts, 128, 256);
    const TextLayout layout = lay(e, "在附近寻找帮助", "zh-Hans");
    std::size_t found = 0;
    for (const Glyph& g : layout.lines[0].glyphs) {
        const AtlasGlyph* slot = atlas.find(g.face, g.id, g.em, 0);
        REQUIRE(slot != nullptr);
        CHECK(slot->width > 0);
        CHECK(slot->height > 0);
        ++found;
    }
    CHECK(atlas.glyphCount() == found);  // only what was drawn: never the whole font
    const AtlasRegion dirty = atlas.takeDirty();
    CHECK_FALSE(dirty.empty());
    CHECK(atlas.takeDirty().empty());
    // Pixels were really drawn.
    CHECK(std::any_of(atlas.pixels(), atlas.pixels() + atlas.width() * atlas.height(),
                      [](std::uint8_t p) { return p > 200; }));
    // The same glyph again is not rasterised again; another offset is.
    const Glyph& first = layout.lines[0].glyphs[0];
    CHECK(atlas.find(first.face, first.id, first.em, 0) ==
          atlas.find(first.face, first.id, first.em, 0));
    atlas.find(first.face, first.id, first.em, 2);
    CHECK(atlas.glyphCount() == found + 1);
    // Fill it with big glyphs: it says full, grows at the next frame, then clears at its largest.
    const TextLayout big =
        lay(e, "如果你感到孤独可以和我们的链接工作者谈谈他们会帮助你找到附近的支持", "zh-Hans");
    bool full = false;
    for (int round = 0; round < 3 && !full; ++round) {
        for (const Glyph& g : big.lines[0].glyphs) {
            if (atlas.find(g.face, g.id, 120.0f + static_cast<float>(round), 0) == nullptr) {
                full = true;
                break;
            }
        }
    }
    REQUIRE(full);
    CHECK(atlas.full());
    const std::uint64_t generation = atlas.generation();
    CHECK(atlas.beginFrame());
    CHECK(atlas.width() == 256);
    CHECK(atlas.generation() != generation);
    CHECK(atlas.find(first.face, first.id, first.em, 0) != nullptr);  // kept across growth
    while (!atlas.full()) {
        for (const Glyph& g : big.lines[0].glyphs) {
            atlas.find(g.face, g.id, 200.0f + static_cast<float>(atlas.glyphCount()), 0);
        }
    }
    CHECK(atlas.beginFrame());
    CHECK(atlas.width() == 256);
    CHECK(atlas.glyphCount() == 0);  // cleared: the next frame rasterises what it needs
    CHECK_FALSE(atlas.beginFrame());
}

TEST_CASE("text: a full atlas holding other screens' glyphs is cleared, not grown",
          "[text][atlas]") {
    // Issue 10's memory: walking screen after screen in Chinese filled the atlas with glyphs of
    // screens no longer shown, and it grew to its largest (4 MB, and as much in the texture).
    setLogToStderr(false);
    Engine e;
    GlyphAtlas atlas(e.fonts, 256, 1024);
    const TextLayout text =
        lay(e, "如果你感到孤独可以和我们的链接工作者谈谈他们会帮助你找到附近的支持", "zh-Hans");
    // Each "screen" draws the same characters at a new size: a few glyphs, far less than half
    // of the atlas; screen after screen fills it.
    bool filled = false;
    for (int screen = 0; screen < 200 && !filled; ++screen) {
        const float size = 20.0f + static_cast<float>(screen % 40);
        const int bin = screen / 40;
        for (std::size_t i = 0; i < 6; ++i) {
            const Glyph& g = text.lines[0].glyphs[i];
            if (atlas.find(g.face, g.id, size, bin) == nullptr) {
                filled = true;
                break;
            }
        }
        if (!filled) {
            CHECK_FALSE(atlas.beginFrame());
        }
    }
    REQUIRE(filled);
    const std::uint64_t generation = atlas.generation();
    CHECK(atlas.beginFrame());
    CHECK(atlas.width() == 256);  // cleared at its size: the last screen needs little room
    CHECK(atlas.glyphCount() == 0);
    CHECK(atlas.generation() != generation);
    // A frame that needs more than the cleared atlas holds still makes it grow.
    bool full = false;
    for (int round = 0; round < 4 && !full; ++round) {
        for (const Glyph& g : text.lines[0].glyphs) {
            if (atlas.find(g.face, g.id, 60.0f + static_cast<float>(round), 0) == nullptr) {
                full = true;
                break;
            }
        }
    }
    REQUIRE(full);
    CHECK(atlas.beginFrame());
    CHECK(atlas.width() == 512);
}

TEST_CASE("text: the kiosk's own texts in every language shape as hb-shape shapes them",
          "[text][shaping]") {
    setLogToStderr(false);
    const auto hbShape = test::findInPath("hb-shape");
    REQUIRE(hbShape);
    Engine e;
    test::TempDir dir("hb-shape-ui");
    std::size_t compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::assetsDir() / "i18n")) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        const auto file = nlohmann::json::parse(test::readText(entry.path()));
        const std::string language = file["_meta"]["code"].get<std::string>();
        for (const char* key : {"home.title", "home.needs_title", "keyboard.done", "global.finish",
                                "referral.done.title", "need.feeling-lonely"}) {
            if (!file.contains(key)) {
                continue;
            }
            const std::string text = file[key].get<std::string>();
            INFO(language << " " << key << ": " << text);
            LayoutParams params;
            params.language = language;
            params.uiRtl = isRightToLeftLanguage(language);
            const TextLayout probe = e.shaper.layout(text, params);
            REQUIRE(probe.missing.empty());
            // hb-shape takes one font: compare the texts our fallback draws with one face.
            const FaceId face = probe.lines[0].glyphs.at(0).face;
            const bool oneFace =
                std::all_of(probe.lines[0].glyphs.begin(), probe.lines[0].glyphs.end(),
                            [&](const Glyph& g) { return g.face == face; });
            // hb-shape does no bidi: skip right-to-left texts holding left-to-right runs (digits).
            const bool mixed = probe.rtl() && std::any_of(text.begin(), text.end(), [](char c) {
                                   return std::isalnum(static_cast<unsigned char>(c)) != 0;
                               });
            if (!oneFace || mixed) {
                continue;
            }
            params.size =
                e.fonts.info(face).unitsPerEm / (e.shaper.emFor(1.0f) * e.fonts.info(face).scale);
            const TextLayout ours = e.shaper.layout(text, params);
            test::ProcessOptions options;
            options.program = *hbShape;
            options.args = {"--output-format=json",
                            "--no-glyph-names",
                            "--font-size=upem",
                            "--language=" + language,
                            "--direction=" + std::string(ours.rtl() ? "rtl" : "ltr"),
                            "--face-index=" + std::to_string(e.fonts.info(face).index),
                            e.fonts.info(face).file,
                            text};
            options.stdoutFile = dir / "out.json";
            REQUIRE(test::runProcess(options, std::chrono::seconds(30)).success());
            const auto theirs = nlohmann::json::parse(test::readText(dir / "out.json"));
            const Line& line = ours.lines[0];
            REQUIRE(theirs.size() == line.glyphs.size());
            for (std::size_t i = 0; i < line.glyphs.size(); ++i) {
                INFO("glyph " << i);
                CHECK(line.glyphs[i].id == theirs[i]["g"].get<std::uint32_t>());
                CHECK(line.glyphs[i].advance == Approx(theirs[i]["ax"].get<float>()).margin(0.05));
            }
            ++compared;
        }
    }
    CHECK(compared >= 40);
}
