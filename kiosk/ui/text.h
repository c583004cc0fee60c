// Signpost UI — THE one module that loads fonts and measures, wraps and draws text.
//
// Every widget draws its words through here, never with ImGui::Text, so that right-to-left and
// complex scripts (Urdu, Arabic, Bengali: a later issue) need shaping in this one place only.
// Fonts come from assets/fonts.json: for each face ("regular", "bold") a list of files tried in
// order (Noto Sans from fonts-noto-core, DejaVu as the fallback), and the Unicode ranges to bake
// (Latin, Latin-1, Latin Extended-A/B, general punctuation, currency). Fonts are baked at the pixel
// sizes of the current Layout (FreeType, light hinting); the atlas is rebuilt when the text size
// or the display scale changes (KioskApp::fontAtlasStale()).
//
// Thread-safety: UI thread only (uses the ImGui context's atlas).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "ui/geometry.h"
#include "ui/layout.h"

namespace signpost::ui {

enum class TextStyle { Body, Bold, Small, Heading, Title };
enum class Align { Left, Centre, Right };

struct FontConfig {
    std::vector<std::filesystem::path> regular;  // candidates, first readable wins
    std::vector<std::filesystem::path> bold;
    std::vector<ImWchar> glyphRanges;            // pairs, zero-terminated
};

// Reads <assetsDir>/fonts.json; relative font paths are relative to assetsDir. A missing or
// malformed file gives the built-in defaults (and a log warning). Never throws.
FontConfig loadFontConfig(const std::filesystem::path& assetsDir);
FontConfig defaultFontConfig();

class Text {
public:
    explicit Text(FontConfig config = defaultFontConfig());

    // Bakes the five styles at `layout`'s sizes into `atlas` (cleared first) and builds it.
    void build(ImFontAtlas& atlas, const Layout& layout);
    // True when the baked sizes differ from `layout`'s (a rebuild would sharpen the text).
    bool needsRebuild(const Layout& layout) const noexcept;
    bool isBuilt() const noexcept { return m_built; }
    // The layout whose sizes text is drawn at (set every frame; may differ from the baked one
    // for the frame before a rebuild: text is then scaled, never wrong).
    void setLayout(const Layout& layout) noexcept { m_layout = layout; }

    float size(TextStyle style) const noexcept;
    float lineHeight(TextStyle style) const noexcept;  // distance between wrapped lines
    ImFont* font(TextStyle style) const noexcept;
    // The font file a style was baked from ("" = ImGui's built-in font: no usable file found).
    const std::string& sourceFile(TextStyle style) const noexcept;
    // True if the body font has a real glyph for `codePoint` (no fallback box).
    bool hasGlyph(char32_t codePoint) const;

    // Width of one line of text (no wrapping).
    float width(TextStyle style, std::string_view text) const;
    // Splits `text` into lines no wider than `wrapWidth` (at spaces; a word longer than a line
    // is broken between letters; '\n' always breaks). Views into `text`.
    std::vector<std::string_view> wrap(TextStyle style, std::string_view text, float wrapWidth) const;
    // Height `text` takes when wrapped to `wrapWidth`.
    float height(TextStyle style, std::string_view text, float wrapWidth) const;

    void draw(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
              std::string_view text) const;
    // Wrapped text inside `box` (its width; starting at its top), aligned; returns the height used.
    float drawWrapped(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                      std::string_view text, Align align = Align::Left) const;
    // One line, cut with "…" if wider than `maxWidth`.
    void drawEllipsis(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
                      std::string_view text, float maxWidth) const;
    // Wrapped and centred vertically and horizontally in `box`.
    void drawCentred(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                     std::string_view text) const;

private:
    struct Face {
        ImFont* font = nullptr;
        float bakedSize = 0;
        std::string file;
    };
    const Face& face(TextStyle style) const noexcept;
    float advance(const ImFont* font, float scale, char32_t cp) const noexcept;

    FontConfig m_config;
    Layout m_layout;
    Face m_faces[5];
    bool m_built = false;
};

}  // namespace signpost::ui
