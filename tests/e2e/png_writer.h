// Signpost end-to-end — PNG files from RGB pixels (stb_image_write from Debian's libstb-dev).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace signpost::e2e {

// Writes 8-bit RGB rows, top to bottom. Returns false if the file cannot be written.
bool writePng(const std::filesystem::path& file, int width, int height,
              const std::vector<std::uint8_t>& rgb);

}  // namespace signpost::e2e
