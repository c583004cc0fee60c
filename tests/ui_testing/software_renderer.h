// Signpost UI testing — real pixels without a GPU or a display: a small CPU rasteriser for ImGui
// draw data, as ImGui's OpenGL3 renderer would draw it (textured, vertex-coloured triangles,
// scissored by each command's clip rectangle, blended source-over with straight alpha).
//
//   SoftwareRenderer renderer;
//   MemoryGlyphTexture glyphs(renderer);   // the glyph atlas's texture, kept in memory
//   app.setGlyphTextureHost(&glyphs);
//   ... draw a frame ...
//   Image shot = renderer.render(*ImGui::GetDrawData(), 1920, 1080);
//
// Deterministic (no driver, no filtering differences), so golden screenshots compare exactly on
// every machine; the e2e tests take their screenshots from the real kiosk under Xvfb instead.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/glyph_texture.h"

namespace signpost::ui::testing {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;  // rows top to bottom, 3 bytes a pixel
    std::uint8_t* at(int x, int y) {
        return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                             static_cast<std::size_t>(x)) *
                                3;
    }
    const std::uint8_t* at(int x, int y) const {
        return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                             static_cast<std::size_t>(x)) *
                                3;
    }
};

bool writePng(const std::filesystem::path& file, const Image& image);
// Empty image (width 0) if unreadable.
Image readPng(const std::filesystem::path& file);
// Pixels whose channels differ by more than `tolerance`, and the largest difference.
struct ImageDifference {
    std::size_t pixels = 0;
    int largest = 0;
    bool sizeDiffers = false;
};
ImageDifference compareImages(const Image& a, const Image& b, int tolerance);

class SoftwareRenderer {
public:
    // Textures by id: ImGui's font atlas (null id, RGBA) is taken from the current context at
    // render time; others come from setTexture (8-bit coverage, as the glyph atlas is).
    void setCoverageTexture(ImTextureID id, int width, int height,
                            std::vector<std::uint8_t> pixels);
    void updateCoverageTexture(ImTextureID id, int x, int y, int w, int h,
                               const std::uint8_t* pixels, int stride);
    void removeTexture(ImTextureID id);

    // Draws `data` onto a black image of width × height.
    Image render(const ImDrawData& data, int width, int height);

private:
    struct Texture {
        int width = 0;
        int height = 0;
        int channels = 1;  // 1 = coverage (white with alpha), 4 = RGBA
        std::vector<std::uint8_t> pixels;
    };
    std::map<ImTextureID, Texture> m_textures;
};

// The glyph atlas's "GPU texture", kept in a SoftwareRenderer.
class MemoryGlyphTexture final : public GlyphTextureHost {
public:
    explicit MemoryGlyphTexture(SoftwareRenderer& renderer) : m_renderer(renderer) {}
    ImTextureID create(int width, int height, const std::uint8_t* pixels) override;
    void update(ImTextureID texture, int x, int y, int w, int h, const std::uint8_t* pixels,
                int stride) override;
    void destroy(ImTextureID texture) override;

private:
    SoftwareRenderer& m_renderer;
    std::intptr_t m_next = 0x5100;
};

}  // namespace signpost::ui::testing
