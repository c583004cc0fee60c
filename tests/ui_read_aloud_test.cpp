// "Read aloud" on the screens: the top bar's button reads the screen's own words in order (title,
// introduction, headings, tiles), in the screen's language, the sentence being heard highlighted
// on the glass; any touch stops it; the volume button steps through three levels and a new visit
// starts at the middle one; the button is not there for a language with no voice (Somali,
// Kurdish Sorani) nor on a machine without a sound device.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "speech/audio_sink.h"
#include "speech/speech_engine.h"
#include "support/real_time_sink.h"
#include "support/test_support.h"
#include "ui/kiosk_app.h"
#include "ui/theme.h"
#include "ui_testing/software_renderer.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace signpost::ui;
using namespace signpost::ui::testing;
using namespace std::chrono_literals;
using signpost::test::RealTimeSink;

namespace {

bool waitFor(UiDriver& ui, const std::function<bool()>& condition,
             std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(10ms);
        ui.frame();
    }
    return true;
}

std::size_t indexOf(const std::vector<std::string>& said, std::string_view text) {
    for (std::size_t i = 0; i < said.size(); ++i) {
        if (said[i].find(text) != std::string::npos) {
            return i;
        }
    }
    return said.size();
}

// Pixels of exactly `colour` in the image (the reading highlight is a flat fill).
std::size_t pixelsOf(const Image& image, ImU32 colour) {
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
    const auto r = static_cast<int>(std::lround(c.x * 255));
    const auto g = static_cast<int>(std::lround(c.y * 255));
    const auto b = static_cast<int>(std::lround(c.z * 255));
    std::size_t count = 0;
    for (std::size_t i = 0; i + 2 < image.rgb.size(); i += 3) {
        count += image.rgb[i] == r && image.rgb[i + 1] == g && image.rgb[i + 2] == b ? 1 : 0;
    }
    return count;
}

}  // namespace

TEST_CASE("read aloud: the screen's words in order, highlighted, stopped by any touch",
          "[ui][speech]") {
    setLogToStderr(false);
    speech::SpeechEngine engine({std::make_unique<RealTimeSink>(), {}, {}});
    REQUIRE(engine.waitReady(30s));
    test::TempDir dir("ui-read");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    UiDriver ui(kiosk.runtime);
    SoftwareRenderer renderer;
    MemoryGlyphTexture glyphs(renderer);
    ui.app().setGlyphTextureHost(&glyphs);
    ui.app().setSpeechEngine(&engine);
    REQUIRE(waitFor(
        ui, [&] { return ui.find("global.read_aloud").has_value(); }, 10s));
    REQUIRE(ui.find("global.volume"));

    REQUIRE(ui.press("global.read_aloud"));
    const std::vector<std::string> said = ui.app().readingAloud();
    REQUIRE(said.size() > 10);
    // Reading order is drawing order: title, introduction, the question, the needs.
    const std::size_t title = indexOf(said, kiosk.runtime.i18n.tr("home.title"));
    const std::size_t intro = indexOf(said, "Tap what you would like help with");
    const std::size_t question = indexOf(said, kiosk.runtime.i18n.tr("home.needs_title"));
    const std::size_t lonely = indexOf(said, kiosk.runtime.i18n.tr("need.feeling-lonely"));
    CHECK(title == 0);
    CHECK(title < intro);
    CHECK(intro < question);
    CHECK(question < lonely);
    CHECK(lonely < said.size());
    // The intro is two sentences: read (and highlighted) one at a time.
    CHECK(said[intro] == "Tap what you would like help with, or search.");
    CHECK(said[intro + 1] == "It's free.");
    // The top bar is not the screen's content.
    CHECK(indexOf(said, kiosk.runtime.i18n.tr("global.finish")) == said.size());

    REQUIRE(waitFor(
        ui, [&] { return engine.status()->speaking; }, 10s));
    CHECK(ui.find("global.read_aloud"));  // now "Stop reading"
    ui.frame();
    const Image reading = renderer.render(*ImGui::GetDrawData(), 1920, 1080);
    CHECK(pixelsOf(reading, paletteFor(false).reading) > 500);  // the sentence's band

    // Any touch stops it: here, on the title (nothing to press there).
    ui.tapAt({600, 150});
    REQUIRE(waitFor(
        ui, [&] { return !engine.status()->speaking; }, 3s));
    CHECK(ui.app().readingAloud().empty());
    const Image after = renderer.render(*ImGui::GetDrawData(), 1920, 1080);
    CHECK(pixelsOf(after, paletteFor(false).reading) == 0);

    // Pressing "Stop reading" stops it and does not start it again.
    REQUIRE(ui.press("global.read_aloud"));
    REQUIRE(waitFor(
        ui, [&] { return engine.status()->speaking; }, 10s));
    REQUIRE(ui.press("global.read_aloud"));
    REQUIRE(waitFor(
        ui, [&] { return !engine.status()->speaking; }, 3s));
    ui.wait(1.0, 0.1);
    CHECK_FALSE(engine.status()->speaking);

    // Volume: three steps; a new visit starts in the middle.
    CHECK(engine.volume() == Approx(0.7f));
    REQUIRE(ui.press("global.volume"));
    CHECK(engine.volume() == Approx(1.0f));
    REQUIRE(ui.press("global.volume"));
    CHECK(engine.volume() == Approx(0.4f));
    REQUIRE(ui.press("global.finish"));
    CHECK(engine.volume() == Approx(0.7f));

    // Another screen stops a reading too.
    REQUIRE(ui.press("global.read_aloud"));
    REQUIRE(waitFor(
        ui, [&] { return engine.status()->speaking; }, 10s));
    REQUIRE(ui.press("home.need.food"));
    REQUIRE(waitFor(
        ui, [&] { return !engine.status()->speaking; }, 3s));
    ui.app().setSpeechEngine(nullptr);
    ui.app().setGlyphTextureHost(nullptr);
}

TEST_CASE("read aloud: no button without a voice for the language or without a sound device",
          "[ui][speech]") {
    setLogToStderr(false);
    test::TempDir dir("ui-read-none");
    TestKiosk kiosk(dir.path(), test::assetsDir());
    std::map<std::string, std::string> texts{
        {"en", test::readText(test::assetsDir() / "i18n" / "en.json")}};
    for (const char* code : {"so", "ckb"}) {
        nlohmann::json file = nlohmann::json::parse(texts["en"]);
        file["_meta"]["code"] = code;
        texts[code] = file.dump();
    }
    kiosk.runtime.i18n = I18n::fromJsonTexts(texts);
    kiosk.runtime.config.languages = {"en", "so", "ckb"};
    UiDriver ui(kiosk.runtime);
    CHECK_FALSE(ui.find("global.read_aloud"));  // no engine at all
    {
        speech::SpeechEngine engine({std::make_unique<speech::NullSink>(), {}, {}});
        REQUIRE(engine.waitReady(30s));
        ui.app().setSpeechEngine(&engine);
        REQUIRE(waitFor(
            ui, [&] { return ui.find("global.read_aloud").has_value(); }, 10s));
        for (const char* code : {"so", "ckb"}) {
            INFO(code);
            REQUIRE(ui.press("global.language"));
            REQUIRE(ui.press(std::string("language.option.") + code));
            CHECK_FALSE(ui.find("global.read_aloud"));
            CHECK_FALSE(ui.find("global.volume"));
        }
        ui.app().setSpeechEngine(nullptr);
    }
    {
        speech::SpeechEngine broken({speech::makeAlsaSink("no-such-device"), {}, {}});
        REQUIRE(broken.waitReady(30s));
        ui.app().setSpeechEngine(&broken);
        REQUIRE(ui.press("global.finish"));  // English again
        REQUIRE(waitFor(
            ui, [&] { return broken.status()->ready; }, 10s));
        ui.wait(0.5, 0.1);
        CHECK_FALSE(ui.find("global.read_aloud"));
        ui.app().setSpeechEngine(nullptr);
    }
}
