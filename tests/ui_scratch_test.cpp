#include <catch2/catch.hpp>
#include <imgui.h>
#include <nlohmann/json.hpp>
#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "support/test_support.h"
#include "ui/kiosk_app.h"
#include "ui/testing/software_renderer.h"
#include "ui/testing/test_kiosk.h"
#include "ui/testing/ui_driver.h"
using namespace signpost;
using namespace signpost::ui::testing;
TEST_CASE("scratch render", "[.scratch]") {
    setLogToStderr(false);
    auto en = nlohmann::json::parse(test::readText(test::assetsDir() / "i18n/en.json"));
    std::map<std::string, std::string> texts;
    texts["en"] = en.dump();
    texts["pl"] = test::readText(test::assetsDir() / "i18n/pl.json");
    auto make = [&](const char* code, const char* native, const char* dir, std::map<std::string,std::string> kv) {
        nlohmann::json j = nlohmann::json::object();
        j["_meta"] = {{"code", code}, {"native_name", native}, {"english_name", code}, {"direction", dir}};
        for (auto& [k, v] : kv) j[k] = v;
        texts[code] = j.dump();
    };
    make("ur", "اردو", "rtl", {{"home.title", "اپنے قریب مدد تلاش کریں"}, {"home.intro", "جس چیز میں آپ مدد چاہتے ہیں اسے تھپتھپائیں، یا تلاش کریں۔ یہ مفت ہے۔"},
        {"need.feeling-lonely", "تنہائی محسوس کرنا"}, {"need.food", "کھانا"}, {"need.money-debt", "پیسہ اور قرض"}, {"global.finish", "ختم کریں اور صاف کریں"}, {"global.back", "واپس"}});
    make("bn", "বাংলা", "ltr", {{"home.title", "কাছাকাছি সাহায্য খুঁজুন"}, {"need.feeling-lonely", "একাকী বোধ করা"}, {"need.food", "খাবার"}});
    make("zh-Hans", "简体中文", "ltr", {{"home.title", "在附近寻找帮助"}, {"home.intro", "点击您需要帮助的内容，或者搜索。这是免费的。"}, {"need.feeling-lonely", "感到孤独"}, {"need.food", "食物"}});
    for (const char* code : {"en", "ur", "bn", "zh-Hans"}) {
        for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
            test::TempDir dir("scratch");
            TestKiosk kiosk(dir.path(), test::assetsDir());
            kiosk.runtime.i18n = I18n::fromJsonTexts(texts);
            kiosk.runtime.config.languages = {"en", "pl", "ur", "bn", "zh-Hans"};
            kiosk.runtime.config.defaultLanguage = code;
            SoftwareRenderer renderer;
            UiDriver ui(kiosk.runtime, static_cast<float>(w), static_cast<float>(h));
            MemoryGlyphTexture glyphs(renderer);
            ui.app().setGlyphTextureHost(&glyphs);
            ui.frame(); ui.settle();
            auto shot = renderer.render(*ImGui::GetDrawData(), w, h);
            writePng("/tmp/scratch/home-" + std::string(code) + "-" + std::to_string(w) + ".png", shot);
            if (ui.press("home.need.food")) {
                ui.pressFirst("results.item.");
                auto s2 = renderer.render(*ImGui::GetDrawData(), w, h);
                writePng("/tmp/scratch/service-" + std::string(code) + "-" + std::to_string(w) + ".png", s2);
            }
            ui.app().setGlyphTextureHost(nullptr);
        }
    }
}
