#include "text/font_config.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/common/log.h"

namespace signpost::text {

namespace {

const char* const kNoto = "/usr/share/fonts/truetype/noto/";
const char* const kNotoCjk = "/usr/share/fonts/opentype/noto/";
const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/";

FontSource at(const std::string& dir, const std::string& file, int index = 0) {
    return FontSource{dir + file, index};
}

FontFamily family(std::string name, std::vector<std::string> scripts,
                  std::vector<std::string> languages, std::vector<FontSource> regular,
                  std::vector<FontSource> bold) {
    FontFamily f;
    f.name = std::move(name);
    f.scripts = std::move(scripts);
    f.languages = std::move(languages);
    f.regular = std::move(regular);
    f.bold = std::move(bold);
    return f;
}

std::vector<std::string> strings(const nlohmann::json& document, const char* key) {
    std::vector<std::string> result;
    if (!document.contains(key)) {
        return result;
    }
    for (const auto& entry : document.at(key)) {
        result.push_back(entry.get<std::string>());
    }
    return result;
}

std::optional<float> optionalEm(const nlohmann::json& family, const char* key) {
    if (!family.contains(key)) {
        return std::nullopt;
    }
    const float value = family.at(key).get<float>();
    if (!(value > 0 && value < 4)) {
        throw std::runtime_error(std::string("\"") + key + "\" must be between 0 and 4 em");
    }
    return value;
}

}  // namespace

FontSource parseFontSource(const std::string& text, const std::filesystem::path& base) {
    FontSource source;
    std::string file = text;
    const std::size_t hash = text.rfind('#');
    if (hash != std::string::npos && hash + 1 < text.size() &&
        text.find_first_not_of("0123456789", hash + 1) == std::string::npos) {
        file = text.substr(0, hash);
        source.index = std::stoi(text.substr(hash + 1));
    }
    if (file.empty()) {
        throw std::runtime_error("an empty font file name");
    }
    const std::filesystem::path path = file;
    source.file = path.is_absolute() ? path : base / path;
    return source;
}

FontConfig defaultFontConfig() {
    FontConfig config;
    config.families.push_back(
        family("latin", {"Latn", "Cyrl", "Grek", "Zyyy", "Zinh"}, {},
               {at(kNoto, "NotoSans-Regular.ttf"), at(kDejaVu, "DejaVuSans.ttf")},
               {at(kNoto, "NotoSans-Bold.ttf"), at(kDejaVu, "DejaVuSans-Bold.ttf")}));
    FontFamily urdu = family("urdu", {"Arab"}, {"ur"}, {at(kNoto, "NotoNastaliqUrdu-Regular.ttf")},
                             {at(kNoto, "NotoNastaliqUrdu-Bold.ttf")});
    urdu.ascent = 2.05f;
    urdu.descent = 0.8f;
    urdu.measureInk = true;
    config.families.push_back(urdu);
    FontFamily arabic =
        family("arabic", {"Arab"}, {},
               {at(kNoto, "NotoNaskhArabic-Regular.ttf"), at(kNoto, "NotoSansArabic-Regular.ttf")},
               {at(kNoto, "NotoNaskhArabic-Bold.ttf"), at(kNoto, "NotoSansArabic-Bold.ttf")});
    arabic.measureInk = true;  // a hamza with a damma over an alef ("أُرسلت") rises past the ascent
    config.families.push_back(arabic);
    config.families.push_back(family(
        "bengali", {"Beng"}, {},
        {at(kNoto, "NotoSansBengali-Regular.ttf"), at(kNoto, "NotoSerifBengali-Regular.ttf")},
        {at(kNoto, "NotoSansBengali-Bold.ttf"), at(kNoto, "NotoSerifBengali-Bold.ttf")}));
    config.families.push_back(family(
        "gurmukhi", {"Guru"}, {},
        {at(kNoto, "NotoSansGurmukhi-Regular.ttf"), at(kNoto, "NotoSerifGurmukhi-Regular.ttf")},
        {at(kNoto, "NotoSansGurmukhi-Bold.ttf"), at(kNoto, "NotoSerifGurmukhi-Bold.ttf")}));
    // Noto Sans CJK collections: face 2 is SC (Simplified), face 3 is TC (Traditional).
    config.families.push_back(family("chinese-traditional", {"Hani", "Hant", "Bopo"}, {"zh-Hant"},
                                     {at(kNotoCjk, "NotoSansCJK-Regular.ttc", 3)},
                                     {at(kNotoCjk, "NotoSansCJK-Bold.ttc", 3)}));
    config.families.push_back(family("chinese-simplified", {"Hani", "Hans", "Bopo", "Hira", "Kana"},
                                     {}, {at(kNotoCjk, "NotoSansCJK-Regular.ttc", 2)},
                                     {at(kNotoCjk, "NotoSansCJK-Bold.ttc", 2)}));
    config.families.push_back(family("symbols", {"Zyyy"}, {}, {at(kDejaVu, "DejaVuSans.ttf")},
                                     {at(kDejaVu, "DejaVuSans-Bold.ttf")}));
    return config;
}

FontConfig loadFontConfig(const std::filesystem::path& assetsDir) {
    const std::filesystem::path file = assetsDir / "fonts.json";
    std::ifstream in(file);
    if (!in) {
        logWarning("text", "no " + file.string() + "; using the built-in font list");
        return defaultFontConfig();
    }
    try {
        std::stringstream buffer;
        buffer << in.rdbuf();
        const nlohmann::json document = nlohmann::json::parse(buffer.str());
        FontConfig config;
        for (const auto& entry : document.at("families")) {
            FontFamily family;
            family.name = entry.at("name").get<std::string>();
            family.scripts = strings(entry, "scripts");
            family.languages = strings(entry, "languages");
            for (const std::string& source : strings(entry, "regular")) {
                family.regular.push_back(parseFontSource(source, assetsDir));
            }
            for (const std::string& source : strings(entry, "bold")) {
                family.bold.push_back(parseFontSource(source, assetsDir));
            }
            if (entry.contains("scale")) {
                family.scale = entry.at("scale").get<float>();
                if (!(family.scale >= 0.5f && family.scale <= 2.0f)) {
                    throw std::runtime_error("family \"" + family.name +
                                             "\": scale must be between 0.5 and 2");
                }
            }
            family.measureInk = entry.value("measure_ink", false);
            family.ascent = optionalEm(entry, "ascent");
            family.descent = optionalEm(entry, "descent");
            if (family.scripts.empty() || family.regular.empty()) {
                throw std::runtime_error("family \"" + family.name +
                                         "\" needs \"scripts\" and \"regular\"");
            }
            config.families.push_back(std::move(family));
        }
        if (config.families.empty()) {
            throw std::runtime_error("no font families");
        }
        return config;
    } catch (const std::exception& error) {
        logWarning("text", file.string() + ": " + error.what() + "; using the built-in font list");
        return defaultFontConfig();
    }
}

}  // namespace signpost::text
