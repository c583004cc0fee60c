// Signpost UI — THE one module that measures, wraps and draws text.
//
// Every widget draws its words through here, never with ImGui::Text. Underneath is the text
// engine (kiosk/text: HarfBuzz shaping, ICU bidi and UAX #14 line breaks, font fallback per
// script and language, an on-demand FreeType glyph atlas); this module caches its layouts, draws
// their glyphs as textured quads from the atlas texture (GlyphTextureHost), and keeps the
// measurements the widgets lay out with.
//
// Sizes: each style's size is the height of one line box in the current language — Layout's font
// size for Latin text, taller where the language's script needs it (Urdu's Nastaliq, Arabic's
// Naskh); a one-line text gets at least that box (widgets centre single lines by it). Wrapped
// lines are as tall as the fonts on them: English in an Urdu UI keeps English spacing.
// lineHeight() is the distance between wrapped lines of the language's own script.
//
// Direction: setLanguage() says whether the UI runs right to left. KioskApp mirrors such a frame
// as a whole (x → width − x) after drawing it; while a mirrored layer is drawn (setMirrored), the
// glyph quads are emitted pre-mirrored, so text comes out readable at its mirrored place. Widgets
// keep thinking in "start" (Align::Left) and "end" (Align::Right).
//
// The render test (tests/ui_render_test.cpp) watches every draw through setAudit(): where the
// ink went, the box it had to stay in (pushContainer), the clip, forced word breaks, and glyphs
// no font could draw.
//
// Thread-safety: UI thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <imgui.h>

#include "text/font_config.h"
#include "text/glyph_atlas.h"
#include "text/text_layout.h"
#include "ui/geometry.h"
#include "ui/glyph_texture.h"
#include "ui/layout.h"

namespace signpost::ui {

enum class TextStyle { Body, Bold, Small, Heading, Title };
enum class Align { Left, Centre, Right };  // Left = where lines start (the right in RTL)

using text::defaultFontConfig;
using text::FontConfig;
using text::loadFontConfig;

// One text drawn, as the render test sees it (coordinates before KioskApp's mirroring).
struct TextRecord {
    std::string text;
    TextStyle style = TextStyle::Body;
    Rect box;                       // the line boxes' union (advance widths, line heights)
    Rect ink;                       // the glyph bitmaps' union (empty for blank text)
    std::optional<Rect> container;  // the box it must stay inside (a button, a key), if any
    Rect clip;                      // the draw list's clip rectangle
    bool clipScrolls = false;       // drawn in a scrolling area (vertical clipping is expected)
    bool forcedBreak = false;       // a word was broken between letters
    bool rtl = false;               // its first paragraph runs right to left
    bool mirrored = false;          // drawn in a mirrored (right-to-left) layer
    std::vector<char32_t> missing;  // characters drawn as .notdef boxes
};

// `text` with a zero-width space after each '-', '.', '@', '/' and '_', so a long identifier or
// address may wrap there (UAX #14 offers no break inside "7a35ebc4-221f-…"); for display only.
std::string breakableIdentifier(std::string_view text);

class TextAudit {
public:
    virtual ~TextAudit() = default;
    virtual void onText(const TextRecord& record) = 0;
};

class Text {
public:
    explicit Text(FontConfig config = defaultFontConfig());
    ~Text();
    Text(const Text&) = delete;
    Text& operator=(const Text&) = delete;

    // ImGui's own atlas holds only ImGui's built-in font (ImGui needs its white pixel for shapes;
    // the shell's last-resort notice uses it). Our text never comes from it. Clears `atlas` first.
    void build(ImFontAtlas& atlas);
    bool isBuilt() const noexcept { return m_built; }
    // The layout whose sizes text is drawn at (set every frame).
    void setLayout(const Layout& layout) noexcept { m_layout = layout; }
    // The language text is laid out for (BCP 47) and whether the UI runs right to left.
    void setLanguage(std::string_view tag, bool rightToLeft);
    const std::string& language() const noexcept { return m_language; }
    bool rightToLeft() const noexcept { return m_rtl; }
    // The layer being drawn is mirrored about x = screenWidth / 2 (see the header).
    void setMirrored(bool mirrored, float screenWidth) noexcept;
    bool mirrored() const noexcept { return m_mirrored; }

    // Frames: beginFrame() before drawing (grows or clears a full atlas, makes the texture);
    // endFrame() after (uploads what changed). needsAnotherFrame(): the atlas ran out of room
    // during this frame, so some glyphs were not drawn: draw again.
    void setTextureHost(GlyphTextureHost* host);
    void beginFrame();
    void endFrame();
    bool needsAnotherFrame() const noexcept { return m_atlas.full(); }
    const text::GlyphAtlas& atlas() const noexcept { return m_atlas; }
    ImTextureID textureId() const noexcept;

    float size(TextStyle style) const;
    float lineHeight(TextStyle style) const;  // distance between wrapped lines
    // The font file Latin text of a style is drawn from ("" if none opened).
    std::string sourceFile(TextStyle style) const;
    // True if some font can draw `codePoint` in the current language (no .notdef box).
    bool hasGlyph(char32_t codePoint) const;

    // The laid-out text (cached): lines, glyphs, widths. wrapWidth ≤ 0: no wrapping.
    const text::TextLayout& layout(TextStyle style, std::string_view text,
                                   float wrapWidth = 0) const;
    // Width of one line of text (no wrapping; the widest paragraph).
    float width(TextStyle style, std::string_view text) const;
    // Splits `text` into lines no wider than `wrapWidth` (UAX #14; a word longer than a line is
    // broken between letters; '\n' always breaks). Views into `text`.
    std::vector<std::string_view> wrap(TextStyle style, std::string_view text,
                                       float wrapWidth) const;
    // The widest part of `text` that cannot be broken (a long word): narrower than this, a box
    // would have to break a word between letters.
    float longestWord(TextStyle style, std::string_view text) const;
    // The ink of `text` laid out on one line (no wrapping), relative to where that line's
    // left edge meets its baseline (y grows downwards); an empty Rect for text with no ink.
    // Rasterises its glyphs into the atlas, as drawing would. For labels that must fit a small
    // box whatever the script (a key): Nastaliq letters are far taller and wider than Latin ones.
    Rect inkBounds(TextStyle style, std::string_view text) const;
    // Height `text` takes when wrapped to `wrapWidth`.
    float height(TextStyle style, std::string_view text, float wrapWidth) const;
    // The x offset, within a one-line text's width, where its logical end is (the caret).
    float endOffset(TextStyle style, std::string_view text) const;

    // One line (or paragraphs), its box's top-left at `position`.
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
    // A laid-out text: its lines from `box`'s top, each aligned within `box`'s width.
    // Returns the height used.
    float drawLayout(ImDrawList* drawList, TextStyle style, const text::TextLayout& layout,
                     std::string_view text, const Rect& box, ImU32 colour, Align align) const;

    // --- Read-aloud ----------------------------------------------------------------------------
    // Between beginReadable() and endReadable() (KioskApp: around the screen's own drawing) the
    // texts drawn are counted in order; with `out`, they are also collected — what "Read aloud"
    // reads. pauseReadable(true) leaves texts out (the Back / Next footer).
    void beginReadable(std::vector<std::string>* out) noexcept;
    void endReadable() noexcept;
    void pauseReadable(bool paused) noexcept { m_readPaused = paused; }
    // The readable text number `index` of each frame gets `fill` behind its bytes [begin, end)
    // and `ink` for their letters — the sentence being read.
    void setHighlight(int index, std::size_t begin, std::size_t end, ImU32 fill,
                      ImU32 ink) noexcept;
    void clearHighlight() noexcept { m_highlight.index = -1; }

    // --- For the render test -------------------------------------------------------------------
    void setAudit(TextAudit* audit) noexcept { m_audit = audit; }
    // The box the next texts must stay inside (a button's face); nestable.
    void pushContainer(const Rect& box) { m_containers.push_back(box); }
    void popContainer() {
        if (!m_containers.empty()) {
            m_containers.pop_back();
        }
    }
    // Layouts cached (tests and the memory benchmark).
    std::size_t cachedLayouts() const noexcept { return m_cache.size(); }

private:
    struct Cached {
        text::TextLayout layout;
        std::uint64_t lastUsed = 0;
    };
    text::Weight weightOf(TextStyle style) const noexcept;
    float nominal(TextStyle style) const noexcept;
    float lineBoxHeight(TextStyle style, const text::TextLayout& layout, std::size_t line) const;
    float layoutHeight(TextStyle style, const text::TextLayout& layout) const;
    void drawLine(ImDrawList* drawList, const text::Line& line, float x, float top, float boxHeight,
                  ImU32 colour, Rect& ink, bool highlighted = false) const;
    // How far a line's glyph bitmaps reach above and below its baseline when drawn from `lineX`
    // (rasterises them, as drawing would); {0, 0} for a line with no ink.
    std::pair<float, float> inkExtent(const text::Line& line, float lineX) const;
    void record(ImDrawList* drawList, TextStyle style, std::string_view text,
                const text::TextLayout& layout, const Rect& box, const Rect& ink) const;

    std::unique_ptr<text::FontLibrary> m_fonts;
    std::unique_ptr<text::TextShaper> m_shaper;
    mutable text::GlyphAtlas m_atlas;
    mutable std::unordered_map<std::string, Cached> m_cache;
    mutable std::string m_key;  // scratch for cache keys
    std::uint64_t m_frame = 0;
    Layout m_layout;
    std::string m_language = "en";
    bool m_rtl = false;
    bool m_mirrored = false;
    float m_screenWidth = 0;
    bool m_built = false;
    GlyphTextureHost* m_host = nullptr;
    ImTextureID m_texture = nullptr;
    std::uint64_t m_textureGeneration = 0;
    TextAudit* m_audit = nullptr;
    std::vector<Rect> m_containers;
    bool m_readable = false;
    bool m_readPaused = false;
    mutable int m_readCount = 0;  // per frame bookkeeping, counted while drawing
    std::vector<std::string>* m_readOut = nullptr;
    struct Highlight {
        int index = -1;
        std::size_t begin = 0;
        std::size_t end = 0;
        ImU32 fill = 0;
        ImU32 ink = 0;
    } m_highlight;
};

}  // namespace signpost::ui
