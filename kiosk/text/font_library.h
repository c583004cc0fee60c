// Signpost text — the font faces: opened on first use, shared by HarfBuzz (shaping) and FreeType
// (rasterising), and the choice of face for each character (font fallback per script and
// language).
//
// A font file is opened once and shared by its faces. FreeType reads glyph outlines from it with
// pread() (a mapping would keep ~64 KB resident around every glyph touched: ~8 MB of each 19 MB
// CJK file after a Chinese tour); HarfBuzz reads its layout tables (cmap, GSUB, GPOS, hmtx:
// contiguous, so few pages) from a read-only mapping of it. A face opens the first
// time a character needs it: a kiosk that never shows Chinese never opens the CJK file.
//
// Face choice for a character `cp` in a run of script S, language L, weight W: the families
// covering S reserved for L (Urdu's Nastaliq for "ur"), then those covering S open to any
// language, then those covering S reserved for other languages, then every other family in the
// configured order; the first whose face has a glyph for `cp` wins. kNoFace if none has one.
//
// Thread-safety: not thread-safe; one owner (the UI thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/font_config.h"

struct FT_FaceRec_;
struct FT_LibraryRec_;
struct FT_StreamRec_;
struct hb_font_t;

namespace signpost::text {

enum class Weight : std::uint8_t { Regular, Bold };

using FaceId = std::uint16_t;
inline constexpr FaceId kNoFace = 0xFFFF;

struct FaceInfo {
    std::string file;        // the font file it was opened from
    int index = 0;           // face in a collection
    std::size_t family = 0;  // index into FontConfig::families
    Weight weight = Weight::Regular;
    bool syntheticBold = false;  // no bold file: the regular outlines are emboldened
    float unitsPerEm = 1000;
    float ascent = 0.8f;      // line box above the baseline, in em (family override or hhea)
    float descent = 0.2f;     // below, in em, positive
    float scale = 1;          // the family's em relative to the base family's
    bool measureInk = false;  // lines grow to this face's real ink (FontFamily::measureInk)
};

class FontLibrary {
public:
    explicit FontLibrary(FontConfig config);
    ~FontLibrary();
    FontLibrary(const FontLibrary&) = delete;
    FontLibrary& operator=(const FontLibrary&) = delete;

    const FontConfig& config() const noexcept { return m_config; }

    // The face of `family` at `weight`, opened on first use; kNoFace if no candidate file opens
    // (logged once).
    FaceId face(std::size_t family, Weight weight);
    // The base family's face (the first family: Latin); kNoFace if not even that opens.
    FaceId baseFace(Weight weight) { return face(0, weight); }
    // The face to draw `cp` with, in a run of ICU script code `script` (UScriptCode) for
    // `language` (BCP 47). kNoFace when no family has a glyph for it.
    FaceId faceFor(char32_t cp, int script, std::string_view language, Weight weight);
    // True if `face` has a glyph for `cp`.
    bool covers(FaceId face, char32_t cp) const;
    // True if some family can draw `cp` (in its own script) for `language`.
    bool canDraw(char32_t cp, std::string_view language);

    const FaceInfo& info(FaceId face) const { return m_faces.at(face)->info; }
    hb_font_t* hbFont(FaceId face) const { return m_faces.at(face)->hb; }
    FT_FaceRec_* ftFace(FaceId face) const { return m_faces.at(face)->ft; }
    std::size_t openFaceCount() const noexcept { return m_faces.size(); }

    // The families that draw `language`'s own scripts (by ICU's likely scripts for the tag),
    // most specific first; always ends with the base family. Used for a language's line box.
    const std::vector<std::size_t>& familiesForLanguage(std::string_view language);

private:
    struct FontFile;
    struct Face {
        FaceInfo info;
        FT_FaceRec_* ft = nullptr;
        hb_font_t* hb = nullptr;
        std::shared_ptr<FontFile> file;
        std::shared_ptr<FT_StreamRec_> stream;  // FreeType's reader of `file`, outlives `ft`
    };
    const std::vector<std::size_t>& candidates(int script, std::string_view language);
    std::shared_ptr<FontFile> openFile(const std::string& file);
    FaceId open(std::size_t family, Weight weight, const FontSource& source, bool synthetic);

    FontConfig m_config;
    FT_LibraryRec_* m_freetype = nullptr;
    std::vector<std::unique_ptr<Face>> m_faces;
    std::map<std::pair<std::size_t, Weight>, FaceId> m_byFamily;
    std::map<std::string, std::weak_ptr<FontFile>> m_files;
    std::map<std::pair<int, std::string>, std::vector<std::size_t>, std::less<>> m_candidates;
    std::map<std::string, std::vector<std::size_t>, std::less<>> m_languageFamilies;
};

// True if the language of BCP 47 `tag` is written right to left (ICU's likely script: "ur",
// "ar", "fa", "ckb" yes; "pa" (Gurmukhi) no).
bool isRightToLeftLanguage(std::string_view tag);

// True if `tag` is `language` or a more specific form of it ("zh-Hant-HK" matches "zh-Hant").
bool languageMatches(std::string_view tag, std::string_view language) noexcept;

}  // namespace signpost::text
