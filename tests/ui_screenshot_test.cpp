// Real pixels, headless: screens drawn by the software renderer (kiosk/ui/testing) are compared
// with golden screenshots (tests/golden/*.png), and the QR codes on the service page and the
// "Thank you" screen are decoded back from those pixels with zbar (zbarimg) — in a right-to-left
// language too, where the layer around them is mirrored.
//
//   SIGNPOST_UPDATE_GOLDENS=1 build-ci/tests/ui_screenshot_test   # after an intended change
//
// Every image drawn is also kept in <build>/test-artifacts/screenshots/ to look at.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "core/common/log.h"
#include "core/directory/contact_card.h"
#include "core/i18n/i18n.h"
#include "core/session/kiosk_session.h"
#include "support/process.h"
#include "support/test_support.h"
#include "ui/kiosk_app.h"
#include "ui/views.h"
#include "ui_testing/software_renderer.h"
#include "ui_testing/test_kiosk.h"
#include "ui_testing/ui_driver.h"

using namespace signpost;
using namespace signpost::ui;
using namespace signpost::ui::testing;

namespace {

// Every language file in assets/i18n, plus a right-to-left copy of English (test-only).
std::map<std::string, std::string> allTexts() {
    std::map<std::string, std::string> texts;
    for (const auto& entry : std::filesystem::directory_iterator(test::assetsDir() / "i18n")) {
        if (entry.path().extension() == ".json") {
            texts[entry.path().stem().string()] = test::readText(entry.path());
        }
    }
    auto rtl = nlohmann::json::parse(texts.at("en"));
    rtl["_meta"]["code"] = "en-x-rtl";
    rtl["_meta"]["direction"] = "rtl";
    texts["en-x-rtl"] = rtl.dump();
    return texts;
}

std::filesystem::path artifacts() {
    const auto dir = test::binaryDir() / "test-artifacts" / "screenshots";
    std::filesystem::create_directories(dir);
    return dir;
}

// A kiosk drawn by the software renderer.
struct Screenshots {
    test::TempDir dir{"ui-shots"};
    std::unique_ptr<TestKiosk> kiosk;
    SoftwareRenderer renderer;
    std::unique_ptr<MemoryGlyphTexture> glyphs;
    std::unique_ptr<UiDriver> ui;
    int width;
    int height;

    Screenshots(const std::string& language, int w, int h, TextSize size = TextSize::Normal)
        : width(w), height(h) {
        TestKioskOptions options;
        options.textSize = size;
        kiosk = std::make_unique<TestKiosk>(dir.path(), test::assetsDir(), options);
        const auto texts = allTexts();
        kiosk->runtime.i18n = I18n::fromJsonTexts(texts);
        kiosk->runtime.config.languages.clear();
        for (const auto& [code, text] : texts) {
            kiosk->runtime.config.languages.push_back(code);
        }
        kiosk->runtime.config.defaultLanguage = language;
        ui = std::make_unique<UiDriver>(kiosk->runtime, static_cast<float>(w),
                                        static_cast<float>(h));
        glyphs = std::make_unique<MemoryGlyphTexture>(renderer);
        ui->app().setGlyphTextureHost(glyphs.get());
        ui->frame();
        ui->settle();
    }
    ~Screenshots() { ui->app().setGlyphTextureHost(nullptr); }

    Image shoot(const std::string& name) {
        ui->frame();
        Image image = renderer.render(*ImGui::GetDrawData(), width, height);
        writePng(artifacts() / (name + ".png"), image);
        return image;
    }
};

Image crop(const Image& image, const UiElement& element, int margin) {
    Image out;
    const int x0 = std::max(0, static_cast<int>(element.x) - margin);
    const int y0 = std::max(0, static_cast<int>(element.y) - margin);
    const int x1 = std::min(image.width, static_cast<int>(element.x + element.width) + margin);
    const int y1 = std::min(image.height, static_cast<int>(element.y + element.height) + margin);
    out.width = x1 - x0;
    out.height = y1 - y0;
    out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
    for (int y = 0; y < out.height; ++y) {
        std::copy_n(image.at(x0, y0 + y), static_cast<std::size_t>(out.width) * 3, out.at(0, y));
    }
    return out;
}

// What zbarimg reads in `image` ("" if nothing).
std::string decodeQr(const Image& image, const std::string& name) {
    const auto zbarimg = test::findInPath("zbarimg");
    REQUIRE(zbarimg);  // zbar-tools (installer/install-deps.sh)
    const auto file = artifacts() / (name + ".png");
    REQUIRE(writePng(file, image));
    test::ProcessOptions options;
    options.program = *zbarimg;
    options.args = {"--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sbinary", file.string()};
    options.stdoutFile = artifacts() / (name + ".txt");
    test::runProcess(options, std::chrono::seconds(60));
    // With -Sbinary zbarimg writes the symbol's bytes exactly, adding nothing (a vCard's own
    // CRLF at its end stays).
    return test::readText(artifacts() / (name + ".txt"));
}

void compareWithGolden(const Image& image, const std::string& name) {
    const auto golden = test::sourceDir() / "tests" / "golden" / (name + ".png");
    if (const char* update = std::getenv("SIGNPOST_UPDATE_GOLDENS");
        update != nullptr && *update == '1') {
        std::filesystem::create_directories(golden.parent_path());
        REQUIRE(writePng(golden, image));
        WARN("golden screenshot rewritten: " << golden);
        return;
    }
    const Image expected = readPng(golden);
    INFO(name << ": golden " << golden << ", drawn " << artifacts() / (name + ".png"));
    REQUIRE(expected.width > 0);
    const ImageDifference difference = compareImages(image, expected, 24);
    CHECK_FALSE(difference.sizeDiffers);
    // A glyph moved by a pixel changes a few hundred pixels; a layout change, tens of thousands.
    CHECK(difference.pixels <= static_cast<std::size_t>(image.width * image.height / 2000));
}

}  // namespace

TEST_CASE("screenshots: golden images of the screens that matter most", "[ui][screenshots]") {
    setLogToStderr(false);
    struct Shot {
        const char* name;
        const char* language;
        int width;
        int height;
        TextSize size;
        std::function<void(UiDriver&)> go;
    };
    const std::vector<Shot> shots = {
        {"home-en-landscape", "en", 1920, 1080, TextSize::Normal, [](UiDriver&) {}},
        {"home-rtl-landscape", "en-x-rtl", 1920, 1080, TextSize::Normal, [](UiDriver&) {}},
        {"service-pl-portrait", "pl", 1080, 1920, TextSize::Normal,
         [](UiDriver& ui) {
             REQUIRE(ui.press("home.need.food"));
             REQUIRE(ui.pressFirst("results.item."));
         }},
        {"keyboard-pl-portrait-large", "pl", 1080, 1920, TextSize::Large,
         [](UiDriver& ui) { REQUIRE(ui.press("home.search")); }},
    };
    for (const Shot& shot : shots) {
        INFO(shot.name);
        Screenshots s(shot.language, shot.width, shot.height, shot.size);
        shot.go(*s.ui);
        s.ui->settle();
        compareWithGolden(s.shoot(shot.name), shot.name);
    }
}

TEST_CASE("screenshots: the QR codes read back from the pixels as the details they carry",
          "[ui][screenshots][qr]") {
    setLogToStderr(false);
    for (const char* language : {"en", "en-x-rtl"}) {
        INFO(language);
        Screenshots s(language, 1920, 1080);
        UiDriver& ui = *s.ui;
        REQUIRE(ui.press("home.need.food"));
        // A service that takes referrals, to follow it to the "Thank you" screen.
        std::string serviceId;
        for (int i = 0; i < 40 && serviceId.empty(); ++i) {
            const std::string id = "results.item." + std::to_string(i);
            REQUIRE(ui.scrollIntoView(id, "results.list"));
            REQUIRE(ui.press(id));
            if (ui.find("service.refer")) {
                serviceId = ui.app().session().serviceId();
            } else {
                REQUIRE(ui.press("global.back"));
            }
        }
        REQUIRE_FALSE(serviceId.empty());
        const auto detail = s.kiosk->runtime.directory->service(serviceId);
        REQUIRE(detail);
        REQUIRE(ui.scrollIntoView("service.qr", "service.scroll"));
        const auto code = ui.find("service.qr");
        REQUIRE(code);
        const std::string name = std::string("qr-service-") + language;
        CHECK(decodeQr(crop(s.shoot(name), *code, 8), name) == serviceVCard(*detail));

        // Through the referral to its confirmation.
        REQUIRE(ui.press("service.refer"));
        if (!ui.press("referral.next") || ui.screen() == "referral.needs") {
            REQUIRE(ui.scrollIntoView("referral.need.food", "referral.needs.scroll"));
            REQUIRE(ui.press("referral.need.food"));
            REQUIRE(ui.press("referral.next"));
        }
        REQUIRE(ui.scrollIntoView("referral.name", "referral.contact.scroll"));
        REQUIRE(ui.press("referral.name"));
        ui.typePhysical("Ana Nowak");
        REQUIRE(ui.press("keyboard.done"));
        REQUIRE(ui.scrollIntoView("referral.email", "referral.contact.scroll"));
        REQUIRE(ui.press("referral.email"));
        ui.typePhysical("ana@example.org");
        REQUIRE(ui.press("keyboard.done"));
        for (int step = 0; step < 8 && ui.screen() != "referral.review"; ++step) {
            if (ui.screen() == "referral.consent") {
                REQUIRE(ui.scrollIntoView("referral.consent.tick", "referral.consent.scroll"));
                REQUIRE(ui.press("referral.consent.tick"));
            }
            REQUIRE(ui.press("referral.next"));
        }
        REQUIRE(ui.press("referral.submit"));
        REQUIRE(ui.screen() == "referral.done");
        const std::string reference = ui.app().session().reference();
        REQUIRE(ui.scrollIntoView("referral.done.qr", "referral.done.scroll"));
        const auto receipt = ui.find("referral.done.qr");
        REQUIRE(receipt);
        const std::string doneName = std::string("qr-receipt-") + language;
        const std::string said = decodeQr(crop(s.shoot(doneName), *receipt, 8), doneName);
        CHECK(said == referralReceiptText(s.kiosk->runtime.i18n, reference,
                                          s.kiosk->runtime.config.linkWorkerPhone));
        CHECK(said.find(reference) != std::string::npos);
        REQUIRE(ui.scrollIntoView("referral.done.service_qr", "referral.done.scroll"));
        const auto card = ui.find("referral.done.service_qr");
        REQUIRE(card);
        const std::string cardName = std::string("qr-done-service-") + language;
        CHECK(decodeQr(crop(s.shoot(cardName), *card, 8), cardName) == serviceVCard(*detail));
    }
}
