#include "text/glyph_atlas.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "core/common/log.h"

namespace signpost::text {

namespace {

constexpr int kPadding = 1;  // empty pixels between glyphs, so filtering never bleeds

std::uint64_t keyOf(FaceId face, std::uint32_t glyph, std::uint32_t size64, int bin) {
    return (static_cast<std::uint64_t>(face) << 48) |
           (static_cast<std::uint64_t>(glyph & 0xFFFFu) << 32) |
           (static_cast<std::uint64_t>(size64 & 0x3FFFFFFu) << 2) |
           static_cast<std::uint64_t>(bin & 3);
}

}  // namespace

GlyphAtlas::GlyphAtlas(FontLibrary& fonts, int initialSide, int maxSide)
    : m_fonts(fonts),
      m_width(std::max(64, initialSide)),
      m_height(std::max(64, initialSide)),
      m_maxSide(std::max(m_width, maxSide)),
      m_pixels(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height), 0) {}

void GlyphAtlas::clear() {
    std::fill(m_pixels.begin(), m_pixels.end(), 0);
    m_glyphs.clear();
    m_shelves.clear();
    m_dirty = {};
    ++m_generation;
}

bool GlyphAtlas::beginFrame() {
    const std::size_t frameArea = std::exchange(m_frameArea, 0);
    ++m_frame;
    if (!m_full) {
        m_clearedForRoom = false;
        return false;
    }
    m_full = false;
    const std::size_t area = static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height);
    if (!std::exchange(m_clearedForRoom, false) && frameArea * 2 <= area) {
        // What the last frame drew fits twice over: the rest is other screens' glyphs. (Once:
        // if the frame fills the cleared atlas again, shelf packing needs more, and it grows.)
        clear();
        m_clearedForRoom = true;
        return true;
    }
    if (m_width < m_maxSide) {
        const int width = std::min(m_width * 2, m_maxSide);
        const int height = std::min(m_height * 2, m_maxSide);
        std::vector<std::uint8_t> grown(
            static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
        for (int row = 0; row < m_height; ++row) {
            std::memcpy(
                grown.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(width),
                m_pixels.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(m_width),
                static_cast<std::size_t>(m_width));
        }
        m_pixels = std::move(grown);
        m_width = width;
        m_height = height;
        logInfo("text", "glyph atlas grown to " + std::to_string(width) + "x" +
                            std::to_string(height) + " (" + std::to_string(m_glyphs.size()) +
                            " glyphs)");
        m_dirty = {};
        ++m_generation;
        return true;
    }
    clear();
    return true;
}

AtlasRegion GlyphAtlas::takeDirty() {
    const AtlasRegion dirty = m_dirty;
    m_dirty = {};
    return dirty;
}

void GlyphAtlas::markDirty(int x, int y, int width, int height) {
    if (m_dirty.empty()) {
        m_dirty = {x, y, width, height};
        return;
    }
    const int x1 = std::max(m_dirty.x + m_dirty.width, x + width);
    const int y1 = std::max(m_dirty.y + m_dirty.height, y + height);
    m_dirty.x = std::min(m_dirty.x, x);
    m_dirty.y = std::min(m_dirty.y, y);
    m_dirty.width = x1 - m_dirty.x;
    m_dirty.height = y1 - m_dirty.y;
}

bool GlyphAtlas::place(int width, int height, int& x, int& y) {
    const int w = width + kPadding;
    const int h = height + kPadding;
    // The lowest shelf that fits and does not waste more than a third of its height.
    Shelf* best = nullptr;
    for (Shelf& shelf : m_shelves) {
        if (shelf.height >= h && shelf.height * 2 <= h * 3 && m_width - shelf.used >= w &&
            (best == nullptr || shelf.height < best->height)) {
            best = &shelf;
        }
    }
    if (best == nullptr) {
        const int top = m_shelves.empty() ? 0 : m_shelves.back().y + m_shelves.back().height;
        if (top + h > m_height || w > m_width) {
            return false;
        }
        m_shelves.push_back({top, h, 0});
        best = &m_shelves.back();
    }
    x = best->used;
    y = best->y;
    best->used += w;
    return true;
}

const AtlasGlyph* GlyphAtlas::find(FaceId face, std::uint32_t glyph, float em, int bin) {
    const auto size64 = static_cast<std::uint32_t>(std::lround(std::max(em, 1.0f) * 64));
    bin = std::clamp(bin, 0, kSubpixelBins - 1);
    const std::uint64_t key = keyOf(face, glyph, size64, bin);
    if (const auto found = m_glyphs.find(key); found != m_glyphs.end()) {
        Entry& entry = found->second;
        if (entry.lastUsed != m_frame) {
            entry.lastUsed = m_frame;
            if (entry.glyph.width > 0) {
                m_frameArea += static_cast<std::size_t>(entry.glyph.width + kPadding) *
                               static_cast<std::size_t>(entry.glyph.height + kPadding);
            }
        }
        return &entry.glyph;
    }
    if (m_full || face == kNoFace) {
        return nullptr;
    }
    FT_Face ft = m_fonts.ftFace(face);
    AtlasGlyph result;
    if (FT_Set_Char_Size(ft, 0, static_cast<FT_F26Dot6>(size64), 72, 72) == 0 &&
        FT_Load_Glyph(ft, glyph, FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) == 0 &&
        ft->glyph->format == FT_GLYPH_FORMAT_OUTLINE) {
        FT_GlyphSlot slot = ft->glyph;
        if (m_fonts.info(face).syntheticBold) {
            FT_Outline_Embolden(&slot->outline, static_cast<FT_Pos>(size64 / 24));
        }
        FT_Outline_Translate(&slot->outline, bin * 64 / kSubpixelBins, 0);
        if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) == 0 &&
            slot->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
            const FT_Bitmap& bitmap = slot->bitmap;
            const int w = static_cast<int>(bitmap.width);
            const int h = static_cast<int>(bitmap.rows);
            result.left = static_cast<std::int16_t>(slot->bitmap_left);
            result.top = static_cast<std::int16_t>(slot->bitmap_top);
            if (w > 0 && h > 0) {
                int x = 0;
                int y = 0;
                m_frameArea +=
                    static_cast<std::size_t>(w + kPadding) * static_cast<std::size_t>(h + kPadding);
                if (!place(w, h, x, y)) {
                    m_full = true;
                    return nullptr;
                }
                for (int row = 0; row < h; ++row) {
                    const unsigned char* source =
                        bitmap.buffer + static_cast<std::ptrdiff_t>(row) * bitmap.pitch;
                    std::memcpy(
                        m_pixels.data() +
                            static_cast<std::size_t>(y + row) * static_cast<std::size_t>(m_width) +
                            static_cast<std::size_t>(x),
                        source, static_cast<std::size_t>(w));
                }
                markDirty(x, y, w, h);
                result.x = static_cast<std::uint16_t>(x);
                result.y = static_cast<std::uint16_t>(y);
                result.width = static_cast<std::uint16_t>(w);
                result.height = static_cast<std::uint16_t>(h);
            }
        }
    }
    // A glyph that failed to load is remembered as blank rather than tried every frame.
    return &m_glyphs.emplace(key, Entry{result, m_frame}).first->second.glyph;
}

}  // namespace signpost::text
