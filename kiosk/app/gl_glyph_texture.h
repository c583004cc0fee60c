// Signpost shell — the glyph atlas as an OpenGL texture (ui/glyph_texture.h).
//
// The atlas is 8-bit coverage. With OpenGL 3.3 or later it is stored as one channel (GL_R8) and
// swizzled to (1, 1, 1, coverage), a quarter of the memory of RGBA — which counts twice on
// machines without a GPU, where Mesa keeps textures in our process. Older contexts get RGBA.
// Thread-safety: the thread that owns the GL context.
#pragma once

#include <vector>

#include "ui/glyph_texture.h"

namespace signpost::app {

class GlGlyphTexture final : public ui::GlyphTextureHost {
public:
    GlGlyphTexture();
    ImTextureID create(int width, int height, const std::uint8_t* pixels) override;
    void update(ImTextureID texture, int x, int y, int w, int h, const std::uint8_t* pixels,
                int stride) override;
    void destroy(ImTextureID texture) override;

private:
    bool m_singleChannel = false;
    std::vector<std::uint8_t> m_rgba;  // scratch for contexts without swizzling
};

}  // namespace signpost::app
