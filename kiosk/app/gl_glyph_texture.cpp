#include "app/gl_glyph_texture.h"

#include <GLFW/glfw3.h>  // GL/gl.h and its extension constants

#include <cstdio>

namespace signpost::app {

namespace {

GLuint nameOf(ImTextureID texture) {
    return static_cast<GLuint>(reinterpret_cast<std::intptr_t>(texture));
}

// Runs `upload` with our texture bound and the pixel-store state set for tightly packed rows
// of `rowLength` pixels, then puts back what ImGui's renderer expects.
template <class Upload>
void withTexture(GLuint name, int rowLength, Upload&& upload) {
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    glBindTexture(GL_TEXTURE_2D, name);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, rowLength);
    upload();
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
}

}  // namespace

GlGlyphTexture::GlGlyphTexture() {
    int major = 0;
    int minor = 0;
    const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    if (version != nullptr && std::sscanf(version, "%d.%d", &major, &minor) == 2) {
        m_singleChannel = major > 3 || (major == 3 && minor >= 3);
    }
}

ImTextureID GlGlyphTexture::create(int width, int height, const std::uint8_t* pixels) {
    GLuint name = 0;
    glGenTextures(1, &name);
    if (name == 0) {
        return nullptr;
    }
    withTexture(name, 0, [&] {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        if (m_singleChannel) {
            const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
            glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE,
                         pixels);
        } else {
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         nullptr);
        }
    });
    const auto id = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(name));
    if (!m_singleChannel) {
        update(id, 0, 0, width, height, pixels, width);
    }
    return id;
}

void GlGlyphTexture::update(ImTextureID texture, int x, int y, int w, int h,
                            const std::uint8_t* pixels, int stride) {
    if (m_singleChannel) {
        withTexture(nameOf(texture), stride, [&] {
            glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RED, GL_UNSIGNED_BYTE, pixels);
        });
        return;
    }
    m_rgba.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    for (int row = 0; row < h; ++row) {
        const std::uint8_t* source = pixels + static_cast<std::ptrdiff_t>(row) * stride;
        std::uint8_t* target =
            m_rgba.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(w) * 4;
        for (int col = 0; col < w; ++col) {
            target[col * 4 + 0] = 255;
            target[col * 4 + 1] = 255;
            target[col * 4 + 2] = 255;
            target[col * 4 + 3] = source[col];
        }
    }
    withTexture(nameOf(texture), 0, [&] {
        glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, m_rgba.data());
    });
    m_rgba.clear();
    m_rgba.shrink_to_fit();
}

void GlGlyphTexture::destroy(ImTextureID texture) {
    const GLuint name = nameOf(texture);
    if (name != 0) {
        glDeleteTextures(1, &name);
    }
}

}  // namespace signpost::app
