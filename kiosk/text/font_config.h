// Signpost text — which font files draw which scripts, read from assets/fonts.json.
//
// A font *family* covers some scripts (ISO 15924 codes: "Latn", "Cyrl", "Arab", "Beng", "Guru",
// "Hani"...) and may be reserved for some languages (BCP 47 tags: Urdu's Nastaliq is used for
// "ur" only; Traditional Chinese glyph forms for "zh-Hant"). Each family lists candidate files
// for its regular and bold faces; the first readable one wins. The order of the families is the
// fallback order for a character no preferred family has.
//
//   {"families": [
//     {"name": "latin", "scripts": ["Latn", "Cyrl", "Grek", "Zyyy"],
//      "regular": ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"],
//      "bold": ["/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"]},
//     {"name": "chinese-traditional", "scripts": ["Hani"], "languages": ["zh-Hant"],
//      "regular": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#3"], ...}]}
//
// "file#N" picks face N of a font collection (.ttc). A relative path is relative to the assets
// directory. Optional per family: "scale" (its em relative to the Latin one), "ascent"/"descent"
// (the line box, in em; default: the font's own hhea values) and "measure_ink": true (a line
// with letters reaching past that box grows to hold them: Nastaliq stacks "کبھی" to 2.4 em).
//
// Thread-safety: value types and pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace signpost::text {

struct FontSource {
    std::filesystem::path file;
    int index = 0;  // face in a collection (.ttc); 0 for a plain font file
    bool operator==(const FontSource&) const = default;
};

struct FontFamily {
    std::string name;
    std::vector<std::string> scripts;    // ISO 15924 codes it is chosen for
    std::vector<std::string> languages;  // BCP 47 tags it is reserved for; empty = any language
    std::vector<FontSource> regular;     // candidates, first readable wins
    std::vector<FontSource> bold;        // empty or none readable: regular, emboldened
    float scale = 1;                     // em relative to the base (first) family's
    std::optional<float> ascent;         // line box above the baseline, in em (default: hhea)
    std::optional<float> descent;        // below the baseline, in em, positive
    bool measureInk = false;             // a line grows to its glyphs' real ink where that
                                         // reaches past ascent/descent (Nastaliq's stacks)
    bool operator==(const FontFamily&) const = default;
};

struct FontConfig {
    std::vector<FontFamily> families;  // fallback order; the first is the base (Latin) family
};

// "file#3" → {file, 3}; relative paths are made relative to `base`.
FontSource parseFontSource(const std::string& text, const std::filesystem::path& base);

// The built-in list (Debian's Noto fonts, DejaVu as the last resort for Latin).
FontConfig defaultFontConfig();
// Reads <assetsDir>/fonts.json. A missing or malformed file gives defaultFontConfig() and a log
// warning naming the problem. Never throws.
FontConfig loadFontConfig(const std::filesystem::path& assetsDir);

}  // namespace signpost::text
