// Signpost UI — where the glyph atlas (kiosk/text/glyph_atlas.h) becomes a GPU texture.
//
// The UI library draws text as textured quads but knows nothing of GL: the shell implements this
// interface with OpenGL (kiosk/app/gl_glyph_texture.cpp), tests with a copy in memory for the
// software renderer. Without a host (headless tests), draw commands carry a placeholder texture
// id and nothing is uploaded.
//
// The atlas image is 8-bit coverage (one byte a pixel, rows of `width` bytes); a texture must give
// white with that coverage as alpha, since ImGui's renderers multiply it by the vertex colour.
//
// Thread-safety: called on the UI thread, inside KioskApp::drawFrame (the GL context is current).
#pragma once

#include <cstdint>

#include <imgui.h>

namespace signpost::ui {

class GlyphTextureHost {
public:
    virtual ~GlyphTextureHost() = default;
    // Makes a texture of `width` × `height` from the whole image; returns its id for draw
    // commands (never null on success; null = failed, text is then not drawn).
    virtual ImTextureID create(int width, int height, const std::uint8_t* pixels) = 0;
    // Copies the rectangle (x, y, w, h) of the image (rows of `stride` bytes) into `texture`.
    virtual void update(ImTextureID texture, int x, int y, int w, int h, const std::uint8_t* pixels,
                        int stride) = 0;
    virtual void destroy(ImTextureID texture) = 0;
};

}  // namespace signpost::ui
