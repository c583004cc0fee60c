#include "ui_testing/software_renderer.h"

#include <algorithm>
#include <cmath>

// The one place the stb implementations are compiled for the UI test tools (libstb-dev ships
// headers; the e2e driver compiles its own writer, tests/e2e/png_writer.cpp).
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

namespace signpost::ui::testing {

bool writePng(const std::filesystem::path& file, const Image& image) {
    if (image.width <= 0 || image.height <= 0) {
        return false;
    }
    stbi_write_png_compression_level = 6;
    return stbi_write_png(file.c_str(), image.width, image.height, 3, image.rgb.data(),
                          image.width * 3) != 0;
}

Image readPng(const std::filesystem::path& file) {
    Image image;
    int channels = 0;
    unsigned char* data = stbi_load(file.c_str(), &image.width, &image.height, &channels, 3);
    if (data == nullptr) {
        return Image{};
    }
    image.rgb.assign(data, data + static_cast<std::size_t>(image.width) *
                                      static_cast<std::size_t>(image.height) * 3);
    stbi_image_free(data);
    return image;
}

ImageDifference compareImages(const Image& a, const Image& b, int tolerance) {
    ImageDifference result;
    if (a.width != b.width || a.height != b.height) {
        result.sizeDiffers = true;
        return result;
    }
    for (std::size_t i = 0; i + 2 < a.rgb.size(); i += 3) {
        int worst = 0;
        for (std::size_t c = 0; c < 3; ++c) {
            worst = std::max(
                worst, std::abs(static_cast<int>(a.rgb[i + c]) - static_cast<int>(b.rgb[i + c])));
        }
        result.largest = std::max(result.largest, worst);
        if (worst > tolerance) {
            ++result.pixels;
        }
    }
    return result;
}

void SoftwareRenderer::setCoverageTexture(ImTextureID id, int width, int height,
                                          std::vector<std::uint8_t> pixels) {
    m_textures[id] = Texture{width, height, 1, std::move(pixels)};
}

void SoftwareRenderer::updateCoverageTexture(ImTextureID id, int x, int y, int w, int h,
                                             const std::uint8_t* pixels, int stride) {
    const auto found = m_textures.find(id);
    if (found == m_textures.end()) {
        return;
    }
    Texture& t = found->second;
    for (int row = 0; row < h && y + row < t.height; ++row) {
        std::copy_n(pixels + static_cast<std::ptrdiff_t>(row) * stride, std::min(w, t.width - x),
                    t.pixels.begin() + static_cast<std::ptrdiff_t>(y + row) * t.width + x);
    }
}

void SoftwareRenderer::removeTexture(ImTextureID id) {
    m_textures.erase(id);
}

namespace {

struct Sampler {
    int width = 1;
    int height = 1;
    int channels = 0;  // 0 = plain white
    const std::uint8_t* pixels = nullptr;

    void sample(float u, float v, float out[4]) const {
        if (channels == 0 || pixels == nullptr) {
            out[0] = out[1] = out[2] = out[3] = 1;
            return;
        }
        const int x =
            std::clamp(static_cast<int>(std::floor(u * static_cast<float>(width))), 0, width - 1);
        const int y =
            std::clamp(static_cast<int>(std::floor(v * static_cast<float>(height))), 0, height - 1);
        const std::uint8_t* p =
            pixels + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(x)) *
                         static_cast<std::size_t>(channels);
        if (channels == 1) {
            out[0] = out[1] = out[2] = 1;
            out[3] = static_cast<float>(p[0]) / 255.0f;
        } else {
            for (int c = 0; c < 4; ++c) {
                out[c] = static_cast<float>(p[c]) / 255.0f;
            }
        }
    }
};

float edge(const ImVec2& a, const ImVec2& b, float px, float py) {
    return (px - a.x) * (b.y - a.y) - (py - a.y) * (b.x - a.x);
}

// The top-left fill rule: of two triangles sharing an edge, exactly one owns the pixel centres
// on it (no seam, no double blending on a rectangle's diagonal).
bool ownsEdge(const ImVec2& a, const ImVec2& b, const ImVec2& other) {
    if (a.y == b.y) {
        return other.y > a.y;  // a top edge: the inside is below it
    }
    const float x = a.x + (other.y - a.y) * (b.x - a.x) / (b.y - a.y);
    return other.x > x;  // a left edge: the inside is to its right
}

}  // namespace

Image SoftwareRenderer::render(const ImDrawData& data, int width, int height) {
    std::vector<float> buffer(
        static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3, 0.0f);
    Sampler fontAtlas;
    if (ImGui::GetCurrentContext() != nullptr) {
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        fontAtlas = Sampler{w, h, pixels != nullptr ? 4 : 0, pixels};
    }
    for (int n = 0; n < data.CmdListsCount; ++n) {
        const ImDrawList* list = data.CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback != nullptr || cmd.ElemCount == 0) {
                continue;
            }
            // As ImGui's GL renderer: a scissor of whole pixels, truncated.
            const int sx0 = std::max(0, static_cast<int>(cmd.ClipRect.x - data.DisplayPos.x));
            const int sy0 = std::max(0, static_cast<int>(cmd.ClipRect.y - data.DisplayPos.y));
            const int sx1 = std::min(width, static_cast<int>(cmd.ClipRect.z - data.DisplayPos.x));
            const int sy1 = std::min(height, static_cast<int>(cmd.ClipRect.w - data.DisplayPos.y));
            if (sx1 <= sx0 || sy1 <= sy0) {
                continue;
            }
            Sampler sampler = fontAtlas;
            if (cmd.GetTexID() != nullptr) {
                const auto found = m_textures.find(cmd.GetTexID());
                sampler = found == m_textures.end()
                              ? Sampler{}
                              : Sampler{found->second.width, found->second.height,
                                        found->second.channels, found->second.pixels.data()};
            }
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                const ImDrawVert* v[3];
                for (unsigned k = 0; k < 3; ++k) {
                    v[k] = &list->VtxBuffer[static_cast<int>(
                        cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + i + k)])];
                }
                ImVec2 p[3];
                for (int k = 0; k < 3; ++k) {
                    p[k] = ImVec2(v[k]->pos.x - data.DisplayPos.x, v[k]->pos.y - data.DisplayPos.y);
                }
                float area = edge(p[0], p[1], p[2].x, p[2].y);
                if (std::fabs(area) < 1e-6f) {
                    continue;
                }
                if (area < 0) {
                    std::swap(p[1], p[2]);
                    std::swap(v[1], v[2]);
                    area = -area;
                }
                const bool own0 = ownsEdge(p[1], p[2], p[0]);
                const bool own1 = ownsEdge(p[2], p[0], p[1]);
                const bool own2 = ownsEdge(p[0], p[1], p[2]);
                const int x0 =
                    std::max(sx0, static_cast<int>(std::floor(std::min({p[0].x, p[1].x, p[2].x}))));
                const int x1 = std::min(
                    sx1, static_cast<int>(std::ceil(std::max({p[0].x, p[1].x, p[2].x}))) + 1);
                const int y0 =
                    std::max(sy0, static_cast<int>(std::floor(std::min({p[0].y, p[1].y, p[2].y}))));
                const int y1 = std::min(
                    sy1, static_cast<int>(std::ceil(std::max({p[0].y, p[1].y, p[2].y}))) + 1);
                float colour[3][4];
                for (int k = 0; k < 3; ++k) {
                    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(v[k]->col);
                    colour[k][0] = c.x;
                    colour[k][1] = c.y;
                    colour[k][2] = c.z;
                    colour[k][3] = c.w;
                }
                for (int y = y0; y < y1; ++y) {
                    const float py = static_cast<float>(y) + 0.5f;
                    for (int x = x0; x < x1; ++x) {
                        const float px = static_cast<float>(x) + 0.5f;
                        const float w0 = edge(p[1], p[2], px, py);
                        const float w1 = edge(p[2], p[0], px, py);
                        const float w2 = edge(p[0], p[1], px, py);
                        if (w0 < 0 || w1 < 0 || w2 < 0 || (w0 == 0 && !own0) ||
                            (w1 == 0 && !own1) || (w2 == 0 && !own2)) {
                            continue;
                        }
                        const float b0 = w0 / area;
                        const float b1 = w1 / area;
                        const float b2 = w2 / area;
                        float texel[4];
                        sampler.sample(b0 * v[0]->uv.x + b1 * v[1]->uv.x + b2 * v[2]->uv.x,
                                       b0 * v[0]->uv.y + b1 * v[1]->uv.y + b2 * v[2]->uv.y, texel);
                        const float alpha =
                            (b0 * colour[0][3] + b1 * colour[1][3] + b2 * colour[2][3]) * texel[3];
                        if (alpha <= 0) {
                            continue;
                        }
                        float* out = buffer.data() + (static_cast<std::size_t>(y) *
                                                          static_cast<std::size_t>(width) +
                                                      static_cast<std::size_t>(x)) *
                                                         3;
                        for (int c = 0; c < 3; ++c) {
                            const float source =
                                (b0 * colour[0][c] + b1 * colour[1][c] + b2 * colour[2][c]) *
                                texel[c];
                            out[c] = source * alpha + out[c] * (1 - alpha);
                        }
                    }
                }
            }
        }
    }
    Image image;
    image.width = width;
    image.height = height;
    image.rgb.resize(buffer.size());
    for (std::size_t i = 0; i < buffer.size(); ++i) {
        image.rgb[i] =
            static_cast<std::uint8_t>(std::lround(std::clamp(buffer[i], 0.0f, 1.0f) * 255.0f));
    }
    return image;
}

ImTextureID MemoryGlyphTexture::create(int width, int height, const std::uint8_t* pixels) {
    const auto id = reinterpret_cast<ImTextureID>(m_next++);
    m_renderer.setCoverageTexture(
        id, width, height,
        std::vector<std::uint8_t>(
            pixels, pixels + static_cast<std::size_t>(width) * static_cast<std::size_t>(height)));
    return id;
}

void MemoryGlyphTexture::update(ImTextureID texture, int x, int y, int w, int h,
                                const std::uint8_t* pixels, int stride) {
    m_renderer.updateCoverageTexture(texture, x, y, w, h, pixels, stride);
}

void MemoryGlyphTexture::destroy(ImTextureID texture) {
    m_renderer.removeTexture(texture);
}

}  // namespace signpost::ui::testing
