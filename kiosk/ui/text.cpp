#include "ui/text.h"

#include <imgui_freetype.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/utf8.h"

namespace signpost::ui {

namespace {

constexpr float kLineSpacing = 1.15f;  // font size already spans ascent to descent
constexpr std::size_t kStyleCount = 5;

std::size_t indexOf(TextStyle style) noexcept { return static_cast<std::size_t>(style); }

std::vector<ImWchar> defaultRanges() {
    return {
        0x0020, 0x007E,  // Basic Latin
        0x00A0, 0x00FF,  // Latin-1 Supplement (£, é, ö...)
        0x0100, 0x017F,  // Latin Extended-A (ą ć ę ł ń ś ź ż, ő, č...)
        0x0180, 0x024F,  // Latin Extended-B (ș ț...)
        0x2000, 0x206F,  // General Punctuation (– — ‘ ’ “ ” • …)
        0x20A0, 0x20CF,  // Currency Symbols (€)
        0,
    };
}

bool readBytes(const std::filesystem::path& path, std::string& out) {
    try {
        out = readFile(path);
    } catch (const FileError&) {
        out.clear();
    }
    return !out.empty();
}

// "U+0100-017F" or "U+00A3" → a range; false if malformed.
bool parseRange(const std::string& text, ImWchar& first, ImWchar& last) {
    if (text.size() < 3 || (text[0] != 'U' && text[0] != 'u') || text[1] != '+') {
        return false;
    }
    const std::string body = text.substr(2);
    const std::size_t dash = body.find('-');
    try {
        std::size_t used = 0;
        const unsigned long a = std::stoul(body.substr(0, dash), &used, 16);
        if (used != (dash == std::string::npos ? body.size() : dash)) {
            return false;
        }
        unsigned long b = a;
        if (dash != std::string::npos) {
            std::string tail = body.substr(dash + 1);
            if (tail.size() > 2 && (tail[0] == 'U' || tail[0] == 'u') && tail[1] == '+') {
                tail = tail.substr(2);
            }
            b = std::stoul(tail, &used, 16);
            if (used != tail.size()) {
                return false;
            }
        }
        // ImWchar is 16 bits in Debian's build: only the Basic Multilingual Plane.
        if (a == 0 || b < a || b > 0xFFFF) {
            return false;
        }
        first = static_cast<ImWchar>(a);
        last = static_cast<ImWchar>(b);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

FontConfig defaultFontConfig() {
    FontConfig config;
    config.regular = {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
    config.bold = {"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
                   "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"};
    config.glyphRanges = defaultRanges();
    return config;
}

FontConfig loadFontConfig(const std::filesystem::path& assetsDir) {
    const std::filesystem::path file = assetsDir / "fonts.json";
    std::ifstream in(file);
    if (!in) {
        logWarning("ui", "no " + file.string() + "; using the built-in font list");
        return defaultFontConfig();
    }
    try {
        std::stringstream buffer;
        buffer << in.rdbuf();
        const nlohmann::json document = nlohmann::json::parse(buffer.str());
        FontConfig config;
        auto paths = [&](const char* key) {
            std::vector<std::filesystem::path> result;
            for (const auto& entry : document.at(key)) {
                std::filesystem::path path = entry.get<std::string>();
                result.push_back(path.is_absolute() ? path : assetsDir / path);
            }
            return result;
        };
        config.regular = paths("regular");
        config.bold = paths("bold");
        for (const auto& entry : document.at("glyph_ranges")) {
            ImWchar first = 0;
            ImWchar last = 0;
            if (!parseRange(entry.get<std::string>(), first, last)) {
                throw std::runtime_error("bad glyph range \"" + entry.get<std::string>() + "\"");
            }
            config.glyphRanges.push_back(first);
            config.glyphRanges.push_back(last);
        }
        if (config.glyphRanges.empty()) {
            throw std::runtime_error("no glyph ranges");
        }
        config.glyphRanges.push_back(0);
        return config;
    } catch (const std::exception& error) {
        logWarning("ui", file.string() + ": " + error.what() + "; using the built-in font list");
        return defaultFontConfig();
    }
}

Text::Text(FontConfig config) : m_config(std::move(config)) {
    if (m_config.glyphRanges.empty() || m_config.glyphRanges.back() != 0) {
        m_config.glyphRanges = defaultRanges();
    }
}

void Text::build(ImFontAtlas& atlas, const Layout& layout) {
    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;

    std::string regular;
    std::string bold;
    std::string regularFile;
    std::string boldFile;
    for (const auto& candidate : m_config.regular) {
        if (readBytes(candidate, regular)) {
            regularFile = candidate.string();
            break;
        }
    }
    for (const auto& candidate : m_config.bold) {
        if (readBytes(candidate, bold)) {
            boldFile = candidate.string();
            break;
        }
    }
    if (regularFile.empty()) {
        logError("ui", "no usable regular font file; text will use ImGui's built-in font");
    }

    const float sizes[kStyleCount] = {layout.bodySize, layout.bodySize, layout.smallSize,
                                      layout.headingSize, layout.titleSize};
    const bool isBold[kStyleCount] = {false, true, false, true, true};
    for (std::size_t i = 0; i < kStyleCount; ++i) {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;  // our buffers live until Build() below
        config.PixelSnapH = true;
        config.OversampleH = 1;
        config.OversampleV = 1;
        std::string* data = isBold[i] && !boldFile.empty() ? &bold : &regular;
        Face& f = m_faces[i];
        f.bakedSize = sizes[i];
        if (isBold[i] && boldFile.empty() && !regularFile.empty()) {
            config.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;  // synthesise bold
        }
        if (data->empty()) {
            config.SizePixels = sizes[i];
            f.font = atlas.AddFontDefault(&config);
            f.file.clear();
        } else {
            f.font = atlas.AddFontFromMemoryTTF(data->data(), static_cast<int>(data->size()),
                                                sizes[i], &config, m_config.glyphRanges.data());
            f.file = data == &bold ? boldFile : regularFile;
        }
    }
    if (!atlas.Build()) {
        logError("ui", "font atlas build failed; falling back to ImGui's built-in font");
        atlas.Clear();
        for (std::size_t i = 0; i < kStyleCount; ++i) {
            ImFontConfig config;
            config.SizePixels = sizes[i];
            m_faces[i].font = atlas.AddFontDefault(&config);
            m_faces[i].file.clear();
        }
        atlas.Build();
    }
    // The atlas points at our buffers; drop that input now that the texture is built.
    atlas.ClearInputData();
    m_layout = layout;
    m_built = true;
}

bool Text::needsRebuild(const Layout& layout) const noexcept {
    return !m_built || m_faces[indexOf(TextStyle::Body)].bakedSize != layout.bodySize ||
           m_faces[indexOf(TextStyle::Small)].bakedSize != layout.smallSize ||
           m_faces[indexOf(TextStyle::Heading)].bakedSize != layout.headingSize ||
           m_faces[indexOf(TextStyle::Title)].bakedSize != layout.titleSize;
}

const Text::Face& Text::face(TextStyle style) const noexcept { return m_faces[indexOf(style)]; }

float Text::size(TextStyle style) const noexcept {
    switch (style) {
        case TextStyle::Body:
        case TextStyle::Bold: return m_layout.bodySize;
        case TextStyle::Small: return m_layout.smallSize;
        case TextStyle::Heading: return m_layout.headingSize;
        case TextStyle::Title: return m_layout.titleSize;
    }
    return m_layout.bodySize;
}

float Text::lineHeight(TextStyle style) const noexcept { return size(style) * kLineSpacing; }

ImFont* Text::font(TextStyle style) const noexcept { return face(style).font; }

const std::string& Text::sourceFile(TextStyle style) const noexcept { return face(style).file; }

bool Text::hasGlyph(char32_t codePoint) const {
    const ImFont* f = face(TextStyle::Body).font;
    if (f == nullptr || codePoint > 0xFFFF) {
        return false;
    }
    return f->FindGlyphNoFallback(static_cast<ImWchar>(codePoint)) != nullptr;
}

float Text::advance(const ImFont* f, float scale, char32_t cp) const noexcept {
    if (cp > 0xFFFF) {
        return f->FallbackAdvanceX * scale;
    }
    return f->GetCharAdvance(static_cast<ImWchar>(cp)) * scale;
}

float Text::width(TextStyle style, std::string_view text) const {
    const ImFont* f = font(style);
    if (f == nullptr) {
        return 0;
    }
    const float scale = size(style) / f->FontSize;
    float total = 0;
    for (std::size_t at = 0; at < text.size();) {
        total += advance(f, scale, utf8::next(text, at));
    }
    return total;
}

std::vector<std::string_view> Text::wrap(TextStyle style, std::string_view text,
                                         float wrapWidth) const {
    std::vector<std::string_view> lines;
    const ImFont* f = font(style);
    if (f == nullptr) {
        lines.push_back(text);
        return lines;
    }
    const float scale = size(style) / f->FontSize;
    constexpr std::size_t npos = std::string_view::npos;
    std::size_t paragraphStart = 0;
    while (true) {
        std::size_t paragraphEnd = text.find('\n', paragraphStart);
        if (paragraphEnd == npos) {
            paragraphEnd = text.size();
        }
        std::size_t lineStart = paragraphStart;
        float lineWidth = 0;
        std::size_t breakEnd = npos;  // where the line may end: the first of a run of spaces
        std::size_t resume = npos;    // where the next line would start: after that run
        float widthAtResume = 0;
        bool previousSpace = false;
        for (std::size_t at = paragraphStart; at < paragraphEnd;) {
            const std::size_t start = at;
            const char32_t cp = utf8::next(text, at);
            const float w = advance(f, scale, cp);
            if (cp == U' ') {
                if (!previousSpace) {
                    breakEnd = start;
                }
                lineWidth += w;
                resume = at;
                widthAtResume = lineWidth;
                previousSpace = true;
                continue;
            }
            previousSpace = false;
            if (lineWidth + w > wrapWidth && start > lineStart) {
                if (resume != npos && breakEnd > lineStart) {
                    lines.push_back(text.substr(lineStart, breakEnd - lineStart));
                    lineStart = resume;
                    lineWidth -= widthAtResume;
                } else {
                    // A word longer than the line: break between letters.
                    lines.push_back(text.substr(lineStart, start - lineStart));
                    lineStart = start;
                    lineWidth = 0;
                }
                breakEnd = npos;
                resume = npos;
            }
            lineWidth += w;
        }
        std::size_t lineEnd = paragraphEnd;
        if (previousSpace && breakEnd != npos && breakEnd >= lineStart) {
            lineEnd = breakEnd;  // no trailing spaces
        }
        lines.push_back(text.substr(lineStart, lineEnd - lineStart));
        if (paragraphEnd >= text.size()) {
            break;
        }
        paragraphStart = paragraphEnd + 1;
    }
    return lines;
}

float Text::height(TextStyle style, std::string_view text, float wrapWidth) const {
    const std::size_t count = wrap(style, text, wrapWidth).size();
    return count == 0 ? 0 : (static_cast<float>(count) - 1) * lineHeight(style) + size(style);
}

void Text::draw(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
                std::string_view text) const {
    if (text.empty()) {
        return;
    }
    drawList->AddText(font(style), size(style), ImVec2(std::round(position.x), std::round(position.y)),
                      colour, text.data(), text.data() + text.size());
}

float Text::drawWrapped(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                        std::string_view text, Align align) const {
    const std::vector<std::string_view> lines = wrap(style, text, box.width());
    float y = box.y0;
    for (std::string_view line : lines) {
        float x = box.x0;
        if (align != Align::Left) {
            const float w = width(style, line);
            x = align == Align::Centre ? box.centreX() - w * 0.5f : box.x1 - w;
        }
        draw(drawList, style, ImVec2(x, y), colour, line);
        y += lineHeight(style);
    }
    return lines.empty() ? 0 : y - box.y0 - lineHeight(style) + size(style);
}

void Text::drawEllipsis(ImDrawList* drawList, TextStyle style, ImVec2 position, ImU32 colour,
                        std::string_view text, float maxWidth) const {
    const ImFont* f = font(style);
    if (f == nullptr || text.empty()) {
        return;
    }
    if (width(style, text) <= maxWidth) {
        draw(drawList, style, position, colour, text);
        return;
    }
    static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …
    const float scale = size(style) / f->FontSize;
    const float budget = maxWidth - width(style, kEllipsis);
    float used = 0;
    std::size_t cut = 0;
    for (std::size_t at = 0; at < text.size();) {
        const float w = advance(f, scale, utf8::next(text, at));
        if (used + w > budget) {
            break;
        }
        used += w;
        cut = at;
    }
    std::string_view kept = text.substr(0, cut);
    while (!kept.empty() && kept.back() == ' ') {
        kept.remove_suffix(1);
    }
    draw(drawList, style, position, colour, kept);
    draw(drawList, style, ImVec2(position.x + width(style, kept), position.y), colour, kEllipsis);
}

void Text::drawCentred(ImDrawList* drawList, TextStyle style, const Rect& box, ImU32 colour,
                       std::string_view text) const {
    const std::vector<std::string_view> lines = wrap(style, text, box.width());
    const float total = lines.empty() ? 0
                                      : (static_cast<float>(lines.size()) - 1) * lineHeight(style) +
                                            size(style);
    float y = box.centreY() - total * 0.5f;
    for (std::string_view line : lines) {
        const float w = width(style, line);
        draw(drawList, style, ImVec2(box.centreX() - w * 0.5f, y), colour, line);
        y += lineHeight(style);
    }
}

}  // namespace signpost::ui
