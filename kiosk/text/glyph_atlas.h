// Signpost text — the glyph atlas: glyphs rasterised by FreeType on first use into one 8-bit
// coverage image, keyed by (face, glyph index, pixel size, quarter-pixel offset).
//
// Nothing is baked up front: a Chinese screen rasterises the few hundred characters it shows,
// never the 20,000 of the font. Glyphs sit on shelves (rows of similar height). When a frame
// needs more room than is left, find() returns null for the glyphs that did not fit and full()
// turns true; the next beginFrame() makes room and the caller draws that frame again. Room is made
// by clearing the atlas when the glyphs that frame asked for would fill at most half of it (the
// rest are glyphs of screens no longer shown: a kiosk walks through many screens, and most of
// its atlas would otherwise be glyphs drawn once), else by doubling it (up to maxSide), else, at
// the largest size, by clearing it. The image lives here; the app layer copies
// it into a GPU texture (takeDirty() says which part changed) — no GL in this library.
//
// Horizontal positions keep a quarter-pixel offset (four rasterisations at most per glyph and
// size) so joined Arabic letters meet exactly; vertical positions are whole pixels.
//
// Thread-safety: not thread-safe; one owner (the UI thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "text/font_library.h"

namespace signpost::text {

struct AtlasGlyph {
    std::uint16_t x = 0;  // where its pixels are in the atlas
    std::uint16_t y = 0;
    std::uint16_t width = 0;  // 0 × 0 for a glyph with no ink (a space)
    std::uint16_t height = 0;
    std::int16_t left = 0;  // bitmap's left edge from the (whole-pixel) pen position
    std::int16_t top = 0;   // its top edge above the baseline
};

struct AtlasRegion {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool empty() const noexcept { return width <= 0 || height <= 0; }
};

class GlyphAtlas {
public:
    static constexpr int kSubpixelBins = 4;

    // The atlas starts `initialSide` pixels square and may grow to `maxSide`.
    explicit GlyphAtlas(FontLibrary& fonts, int initialSide = 1024, int maxSide = 2048);

    // The glyph rasterised at `em` pixels with the pen `bin`/4 px right of a whole pixel;
    // null when it did not fit this frame (see the header).
    const AtlasGlyph* find(FaceId face, std::uint32_t glyph, float em, int bin);

    // Applies the growth or clearing the last frame needed; true when the whole image changed
    // (a new size, or cleared) and the texture must be made again from pixels().
    bool beginFrame();
    bool full() const noexcept { return m_full; }

    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }
    const std::uint8_t* pixels() const noexcept { return m_pixels.data(); }
    // The part of the image changed since the last call (empty if none).
    AtlasRegion takeDirty();
    std::size_t glyphCount() const noexcept { return m_glyphs.size(); }
    // Changes whenever the image is cleared or resized.
    std::uint64_t generation() const noexcept { return m_generation; }
    // Drops every glyph (the next frames rasterise again what they need).
    void clear();

private:
    struct Entry {
        AtlasGlyph glyph;
        std::uint64_t lastUsed = 0;  // the frame that last asked for it
    };
    struct Shelf {
        int y = 0;
        int height = 0;
        int used = 0;  // pixels taken from the left
    };
    bool place(int width, int height, int& x, int& y);
    void markDirty(int x, int y, int width, int height);

    FontLibrary& m_fonts;
    int m_width;
    int m_height;
    int m_maxSide;
    std::vector<std::uint8_t> m_pixels;
    std::vector<Shelf> m_shelves;
    std::unordered_map<std::uint64_t, Entry> m_glyphs;
    std::uint64_t m_frame = 1;    // counts beginFrame() calls
    std::size_t m_frameArea = 0;  // pixels (with padding) of the glyphs asked for this frame
    AtlasRegion m_dirty;
    bool m_full = false;
    bool m_clearedForRoom = false;  // the last beginFrame() cleared a full atlas to make room
    std::uint64_t m_generation = 1;
};

}  // namespace signpost::text
