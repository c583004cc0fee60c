#include "sync/protocol/json_text.h"

#include <array>

namespace signpost::protocol {

namespace {

constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> decodingTable() {
    std::array<std::uint8_t, 256> table{};
    table.fill(kInvalid);
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = decodingTable();

}  // namespace

std::optional<std::vector<std::uint8_t>> decodePublicBase64(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    }
    std::vector<std::uint8_t> out(text.size() / 4 * 3 - padding);
    std::size_t o = 0;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const std::size_t quads = last ? 4 - padding : 4;
        std::uint32_t value = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            std::uint8_t sextet = 0;
            if (k < quads) {
                sextet = kDecode[static_cast<unsigned char>(text[i + k])];
                if (sextet == kInvalid) {
                    return std::nullopt;  // a stray character, or '=' before the end
                }
            }
            value = (value << 6) | sextet;
        }
        const std::size_t bytes = quads - 1;  // 4 sextets → 3 bytes, 3 → 2, 2 → 1
        if (last && padding > 0 && (value & ((1u << (8 * (3 - bytes))) - 1)) != 0) {
            return std::nullopt;  // non-zero unused bits: not the canonical encoding
        }
        for (std::size_t b = 0; b < bytes; ++b) {
            out[o++] = static_cast<std::uint8_t>(value >> (16 - 8 * b));
        }
    }
    return out;
}

}  // namespace signpost::protocol
