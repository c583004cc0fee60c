#include "e2e/png_writer.h"

// The one place the implementation is compiled (libstb-dev ships headers only).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace signpost::e2e {

bool writePng(const std::filesystem::path& file, int width, int height,
              const std::vector<std::uint8_t>& rgb) {
    if (width <= 0 || height <= 0 ||
        rgb.size() < static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
        return false;
    }
    // Fast zlib level: screenshots are artifacts to look at, not to archive.
    stbi_write_png_compression_level = 3;
    return stbi_write_png(file.c_str(), width, height, 3, rgb.data(), width * 3) != 0;
}

}  // namespace signpost::e2e
