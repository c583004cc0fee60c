#include "ui/text.h"

#include <imgui_internal.h>  // the current window's flags: is this text in a scrolling area?

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/common/log.h"
#include "core/common/utf8.h"

namespace signpost::ui {

namespace {

constexpr float kLineSpacing = 1.15f;  // a line box already spans ascent to descent
constexpr std::size_t kCacheLimit = 4000;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

Rect unite(const Rect& a, const Rect& b) {
    if (a.empty()) {
        return b;
    }
    if (b.empty()) {
        return a;
    }
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

}  // namespace

std::string breakableIdentifier(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char c : text) {
        out.push_back(c);
        if (c == '-' || c == '.' || c == '@' || c == '/' || c == '_') {
            out += "\xE2\x80\x8B";  // U+200B ZERO WIDTH SPACE
        }
    }
    return out;
}

Text::Text(FontConfig config)
    : m_fonts(std::make_unique<text::FontLibrary>(std::move(config))),
      m_shaper(std::make_unique<text::TextShaper>(*m_fonts)),
      m_atlas(*m_fonts) {}

Text::~Text() = default;

void Text::build(ImFontAtlas& atlas) {
    atlas.Clear();
    atlas.AddFontDefault();
    atlas.Build();
    m_built = true;
}

void Text::setLanguage(std::string_view tag, bool rightToLeft) {
    if (m_language != tag) {
        m_language.assign(tag);
    }
    m_rtl = rightToLeft;
}

void Text::setMirrored(bool mirrored, float screenWidth) noexcept {
    m_mirrored = mirrored;
    m_screenWidth = screenWidth;
}

void Text::setTextureHost(GlyphTextureHost* host) {
    if (host == m_host) {
        return;
    }
    if (m_host != nullptr && m_texture != nullptr) {
        m_host->destroy(m_texture);
    }
    m_texture = nullptr;
    m_host = host;
}

ImTextureID Text::textureId() const noexcept {
    // Without a host the id only has to be stable and distinct from ImGui's font texture.
    return m_host != nullptr
               ? m_texture
               : reinterpret_cast<ImTextureID>(const_cast<text::GlyphAtlas*>(&m_atlas));
}

void Text::beginFrame() {
    ++m_frame;
    const bool remade = m_atlas.beginFrame();
    if (m_host == nullptr) {
        return;
    }
    if (m_texture == nullptr || remade || m_textureGeneration != m_atlas.generation()) {
        if (m_texture != nullptr) {
            m_host->destroy(m_texture);
        }
        m_texture = m_host->create(m_atlas.width(), m_atlas.height(), m_atlas.pixels());
        m_textureGeneration = m_atlas.generation();
        m_atlas.takeDirty();  // all of it is in the new texture
    }
}

void Text::endFrame() {
    const text::AtlasRegion dirty = m_atlas.takeDirty();
    if (m_host == nullptr || m_texture == nullptr || dirty.empty()) {
        return;
    }
    const std::uint8_t* start =
        m_atlas.pixels() +
        static_cast<std::size_t>(dirty.y) * static_cast<std::size_t>(m_atlas.width()) +
        static_cast<std::size_t>(dirty.x);
    m_host->update(m_texture, dirty.x, dirty.y, dirty.width, dirty.height, start, m_atlas.width());
}

text::Weight Text::weightOf(TextStyle style) const noexcept {
    return style == TextStyle::Bold || style == TextStyle::Heading || style == TextStyle::Title
               ? text::Weight::Bold
               : text::Weight::Regular;
}

float Text::nominal(TextStyle style) const noexcept {
    switch (style) {
        case TextStyle::Body:
        case TextStyle::Bold:
            return m_layout.bodySize;
        case TextStyle::Small:
            return m_layout.smallSize;
        case TextStyle::Heading:
            return m_layout.headingSize;
        case TextStyle::Title:
            return m_layout.titleSize;
    }
    return m_layout.bodySize;
}

float Text::size(TextStyle style) const {
    const auto [ascent, descent] =
        m_shaper->languageBox(m_language, weightOf(style), nominal(style));
    return ascent + descent;
}

float Text::lineHeight(TextStyle style) const {
    return size(style) * kLineSpacing;
}

std::string Text::sourceFile(TextStyle style) const {
    const text::FaceId face = m_fonts->baseFace(weightOf(style));
    return face == text::kNoFace ? std::string() : m_fonts->info(face).file;
}

bool Text::hasGlyph(char32_t codePoint) const {
    return m_fonts->canDraw(codePoint, m_language);
}

const text::TextLayout& Text::layout(TextStyle style, std::string_view text,
                                     float wrapWidth) const {
    const float size = nominal(style);
    const int wrap = wrapWidth > 0 ? static_cast<int>(std::floor(wrapWidth * 4)) : 0;
    m_key.assign(text);
    m_key.push_back('\x1f');
    m_key.push_back(static_cast<char>('0' + static_cast<int>(style)));
    m_key.append(std::to_string(wrap)).push_back('/');
    m_key.append(std::to_string(static_cast<int>(size * 4))).push_back('/');
    m_key.append(m_language).push_back(m_rtl ? 'r' : 'l');
    if (const auto found = m_cache.find(m_key); found != m_cache.end()) {
        found->second.lastUsed = m_frame;
        return found->second.layout;
    }
    if (m_cache.size() >= kCacheLimit) {
        // Drop what the last frames did not draw; texts drawn this frame stay valid.
        for (auto it = m_cache.begin(); it != m_cache.end();) {
            it = it->second.lastUsed + 2 < m_frame ? m_cache.erase(it) : std::next(it);
        }
    }
    text::LayoutParams params;
    params.weight = weightOf(style);
    params.size = size;
    params.wrapWidth = wrap > 0 ? static_cast<float>(wrap) / 4 : 0;
    params.language = m_language;
    params.uiRtl = m_rtl;
    Cached entry{m_shaper->layout(text, params), m_frame};
    return m_cache.emplace(m_key, std::move(entry)).first->second.layout;
}

float Text::width(TextStyle style, std::string_view text) const {
    return layout(style, text).width;
}

std::vector<std::string_view> Text::wrap(TextStyle style, std::string_view text,
                                         float wrapWidth) const {
    std::vector<std::string_view> lines;
    for (const text::Line& line : layout(style, text, std::max(wrapWidth, 1.0f)).lines) {
        lines.push_back(text.substr(line.begin, line.end - line.begin));
    }
    return lines;
}

float Text::longestWord(TextStyle style, std::string_view text) const {
    return layout(style, text, 100000.0f).longestWord;
}

float Text::lineBoxHeight(TextStyle style, const text::TextLayout& layout, std::size_t line) const {
    const text::Line& l = layout.lines[line];
    return layout.lines.size() == 1 ? std::max(size(style), l.ascent + l.descent)
                                    : l.ascent + l.descent;
}

float Text::layoutHeight(TextStyle style, const text::TextLayout& layout) const {
    float total = 0;
    for (std::size_t i = 0; i < layout.lines.size(); ++i) {
        const float h = lineBoxHeight(style, layout, i);
        total += i + 1 < layout.lines.size() ? h * kLineSpacing : h;
    }
    return total;
}

Rect Text::inkBounds(TextStyle style, std::string_view text) const {
    const text::TextLayout& l = layout(style, text);
    Rect ink;
    for (const text::Glyph& g : l.lines.front().glyphs) {
        const text::AtlasGlyph* slot = m_atlas.find(g.face, g.id, g.em, 0);
        if (slot == nullptr || slot->width == 0) {
            continue;
        }
        const float x0 = std::floor(g.x) + slot->left;
        const float y0 = -std::round(g.y) - slot->top;
        ink = unite(ink, Rect{x0, y0, x0 + slot->width, y0 + slot->height});
    }
    return ink;
}

float Text::height(TextStyle style, std::string_view text, float wrapWidth) const {
    return layoutHeight(style, layout(style, text, std::max(wrapWidth, 1.0f)));
}

float Text::endOffset(TextStyle style, std::string_view text) const {
    const text::TextLayout& l = layout(style, text);
    // The end of a paragraph running against the UI's direction is at the start side.
    return l.lines.front().rtl == m_rtl ? l.lines.front().width : 0.0f;
}

void Text::drawLine(ImDrawList* drawList, const text::Line& line, float x, float top,
                    float boxHeight, ImU32 colour, Rect& ink, bool highlighted) const {
    if (line.glyphs.empty()) {
        return;
    }
    const float lineX = m_mirrored ? m_screenWidth - x - line.width : x;  // where it will show
    const float baseline =
        std::round(top + (boxHeight - line.ascent - line.descent) * 0.5f + line.ascent);
    const float atlasWidth = static_cast<float>(m_atlas.width());
    const float atlasHeight = static_cast<float>(m_atlas.height());
    bool pushed = false;
    for (const text::Glyph& g : line.glyphs) {
        const float pen = lineX + g.x;
        const float whole = std::floor(pen);
        const int bin =
            std::clamp(static_cast<int>((pen - whole) * text::GlyphAtlas::kSubpixelBins), 0,
                       text::GlyphAtlas::kSubpixelBins - 1);
        const text::AtlasGlyph* slot = m_atlas.find(g.face, g.id, g.em, bin);
        if (slot == nullptr || slot->width == 0) {
            continue;
        }
        float x0 = whole + slot->left;
        float x1 = x0 + slot->width;
        const float y0 = baseline - std::round(g.y) - slot->top;
        const float y1 = y0 + slot->height;
        float u0 = slot->x / atlasWidth;
        float u1 = (slot->x + slot->width) / atlasWidth;
        const float v0 = slot->y / atlasHeight;
        const float v1 = (slot->y + slot->height) / atlasHeight;
        if (m_mirrored) {
            // Emitted mirrored, so the frame's flip puts it back the right way round.
            const float m0 = m_screenWidth - x1;
            x1 = m_screenWidth - x0;
            x0 = m0;
            std::swap(u0, u1);
        }
        if (!pushed) {
            drawList->PushTextureID(textureId());
            pushed = true;
        }
        drawList->PrimReserve(6, 4);
        const bool inSentence =
            highlighted && g.cluster >= m_highlight.begin && g.cluster < m_highlight.end;
        drawList->PrimRectUV(ImVec2(x0, y0), ImVec2(x1, y1), ImVec2(u0, v0), ImVec2(u1, v1),
                             inSentence ? m_highlight.ink : colour);
        ink = unite(ink, Rect{x0, y0, x1, y1});
    }
    if (pushed) {
        drawList->PopTextureID();
    }
}

std::pair<float, float> Text::inkExtent(const text::Line& line, float lineX) const {
    float above = 0;
    float below = 0;
    bool any = false;
    for (const text::Glyph& g : line.glyphs) {
        // The same atlas entry drawLine() will use (its sub-pixel bin at this pen position).
        const float pen = lineX + g.x;
        const int bin =
            std::clamp(static_cast<int>((pen - std::floor(pen)) * text::GlyphAtlas::kSubpixelBins),
                       0, text::GlyphAtlas::kSubpixelBins - 1);
        const text::AtlasGlyph* slot = m_atlas.find(g.face, g.id, g.em, bin);
        if (slot == nullptr || slot->width == 0) {
            continue;
        }
        const float top = std::round(g.y) + slot->top;
        const float bottom = static_cast<float>(slot->height) - top;
        above = any ? std::max(above, top) : top;
        below = any ? std::max(below, bottom) : bottom;
        any = true;
    }
    return any ? std::pair{above, below} : std::pair{0.0f, 0.0f};
}

void Text::record(ImDrawList* drawList, TextStyle style, std::string_view text,
                  const text::TextLayout& layout, const Rect& box, const Rect& ink) const {
    if (m_audit == nullptr) {
        return;
    }
    TextRecord r;
    r.text.assign(text);
    r.style = style;
    r.box = box;
    r.ink = ink;
    if (!m_containers.empty()) {
        r.container = m_containers.back();
    }
    const ImVec4 clip = drawList->_ClipRectStack.empty() ? drawList->_CmdHeader.ClipRect
                                                         : drawList->_ClipRectStack.back();
    r.clip = Rect{clip.x, clip.y, clip.z, clip.w};
    const ImGuiWindow* window =
        ImGui::GetCurrentContext() != nullptr ? ImGui::GetCurrentWindowRead() : nullptr;
    r.clipScrolls = window != nullptr && (window->Flags & ImGuiWindowFlags_ChildWindow) != 0;
    r.forcedBreak = layout.forcedBreak();
    r.rtl = layout.rtl();
    r.mirrored = m_mirrored;
    r.missing = layout.missing;
    m_audit->onText(r);
}

void Text::beginReadable(std::vector<std::string>* out) noexcept {
    m_readable = true;
    m_readPaused = false;
    m_readCount = 0;
    m_readOut = out;
}

void Text::endReadable() noexcept {
    m_readable = false;
    m_readOut = nullptr;
}

void Text::setHighlight(int index, std::size_t begin, std::size_t end, ImU32 fill,
                        ImU32 ink) noexcept {
    m_highlight = Highlight{index, begin, end, fill, ink};
}

float Text::drawLayout(ImDrawList* drawList, TextStyle style, const text::TextLayout& layout,
                       std::string_view text, const Rect& box, ImU32 colour, Align align) const {
    // Read-aloud: count (and maybe collect) this text; highlight the sentence being read.
    bool highlighted = false;
    if (m_readable && !m_readPaused) {
        highlighted = m_readCount == m_highlight.index;
        ++m_readCount;
        if (m_readOut != nullptr) {
            m_readOut->emplace_back(text);
        }
    }
    float y = box.y0;
    Rect lines;
    Rect ink;
    for (std::size_t i = 0; i < layout.lines.size(); ++i) {
        const text::Line& line = layout.lines[i];
        const float h = lineBoxHeight(style, layout, i);
        float x = box.x0;
        if (align == Align::Centre) {
            x = box.centreX() - line.width * 0.5f;
        } else if (align == Align::Right) {
            x = box.x1 - line.width;
        }
        x = std::round(x);
        if (highlighted) {
            // The glyphs of the sentence on this line, as one band behind them.
            float a = line.width;
            float b = 0;
            for (const text::Glyph& g : line.glyphs) {
                if (g.cluster >= m_highlight.begin && g.cluster < m_highlight.end) {
                    a = std::min(a, g.x);
                    b = std::max(b, g.x + g.advance);
                }
            }
            if (b > a) {
                // Glyph positions run left to right on the glass; a mirrored layer flips later.
                const float x0 = m_mirrored ? x + line.width - b : x + a;
                const float x1 = m_mirrored ? x + line.width - a : x + b;
                drawList->AddRectFilled(ImVec2(x0 - 2, y), ImVec2(x1 + 2, y + h), m_highlight.fill,
                                        m_layout.radius * 0.5f);
            }
        }
        drawLine(drawList, line, x, y, h, colour, ink, highlighted);
        lines = unite(lines, Rect{x, y, x + std::max(line.width, 0.01f), y + h});
        y += i + 1 < layout.lines.size() ? h * kLineSpacing : h;
    }
    record(drawList, style, text, layout, lines, ink);
    return y - box.y0;
}

void Text::draw(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
                std::string_view text) const {
    if (text.empty()) {
        return;
    }
    const text::TextLayout& l = layout(style, text);
    drawLayout(drawList, style, l, text,
               Rect{position.x, position.y, position.x + l.width, position.y}, colour, Align::Left);
}

float Text::drawWrapped(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                        std::string_view text, Align align) const {
    const text::TextLayout& l = layout(style, text, std::max(box.width(), 1.0f));
    return drawLayout(drawList, style, l, text, box, colour, align);
}

void Text::drawEllipsis(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
                        std::string_view text, float maxWidth) const {
    if (text.empty()) {
        return;
    }
    const text::TextLayout& full = layout(style, text);
    if (full.lines.size() == 1 && full.width <= maxWidth + 0.01f) {
        draw(drawList, style, position, colour, text);
        return;
    }
    // Keep the longest start (cut where a glyph cluster starts) that leaves room for "…".
    const float budget = maxWidth - width(style, kEllipsis);
    std::vector<std::pair<std::uint32_t, float>> clusters;  // (byte offset, advance)
    for (const text::Line& line : full.lines) {
        for (const text::Glyph& g : line.glyphs) {
            clusters.emplace_back(g.cluster, g.advance);
        }
    }
    std::sort(clusters.begin(), clusters.end());
    std::size_t cut = 0;
    float used = 0;
    for (std::size_t i = 0; i < clusters.size();) {
        const std::uint32_t start = clusters[i].first;
        float add = 0;
        std::size_t j = i;
        for (; j < clusters.size() && clusters[j].first == start; ++j) {
            add += clusters[j].second;
        }
        if (used + add > budget) {
            break;
        }
        used += add;
        cut = j < clusters.size() ? clusters[j].first : text.size();
        i = j;
    }
    std::string_view kept = text.substr(0, std::min(cut, text.size()));
    while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\n')) {
        kept.remove_suffix(1);
    }
    std::string shown(kept);
    shown.append(kEllipsis);
    draw(drawList, style, position, colour, shown);
}

void Text::drawCentred(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                       std::string_view text) const {
    const text::TextLayout& l = layout(style, text, std::max(box.width(), 1.0f));
    const float total = layoutHeight(style, l);
    float top = box.centreY() - total * 0.5f;
    // A one-line label is centred by its line box, so labels side by side share a baseline. But
    // a script whose box is far taller than a lone letter (Urdu's Nastaliq: 2.85 em, for the
    // stacks of whole words) puts that baseline low in a small box such as a key, and a letter
    // reaching below it would leave the key: move the line just enough to keep its ink inside.
    if (l.lines.size() == 1 && !l.lines.front().glyphs.empty()) {
        const text::Line& line = l.lines.front();
        const float x = std::round(box.centreX() - line.width * 0.5f);  // as drawLayout places it
        const auto [above, below] =
            inkExtent(line, m_mirrored ? m_screenWidth - x - line.width : x);
        if (above + below > 0) {
            const float baseline =
                std::round(top + (total - line.ascent - line.descent) * 0.5f + line.ascent);
            const float inkTop = baseline - above;
            const float inkBottom = baseline + below;
            if (inkBottom - inkTop > box.height()) {
                top += box.centreY() - (inkTop + inkBottom) * 0.5f;
            } else if (inkTop < box.y0) {
                top += box.y0 - inkTop;
            } else if (inkBottom > box.y1) {
                top -= inkBottom - box.y1;
            }
        }
    }
    drawLayout(drawList, style, l, text, Rect{box.x0, top, box.x1, top + total}, colour,
               Align::Centre);
}

}  // namespace signpost::ui
