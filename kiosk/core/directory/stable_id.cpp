#include "core/directory/stable_id.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>

namespace signpost {

std::string stableUuid(std::string_view kind, std::initializer_list<std::string_view> parts) {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium failed to start");
    }
    crypto_generichash_state state;
    std::array<unsigned char, 16> hash{};
    crypto_generichash_init(&state, nullptr, 0, hash.size());
    // Each part is length-prefixed so ("ab", "c") and ("a", "bc") differ.
    auto add = [&](std::string_view part) {
        const std::uint64_t length = part.size();
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length),
                                  sizeof length);
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                                  part.size());
    };
    add(kind);
    for (std::string_view part : parts) {
        add(part);
    }
    crypto_generichash_final(&state, hash.data(), hash.size());
    hash[6] = static_cast<unsigned char>((hash[6] & 0x0F) | 0x80);  // version 8: custom
    hash[8] = static_cast<unsigned char>((hash[8] & 0x3F) | 0x80);  // RFC 9562 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < hash.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += kHex[hash[i] >> 4];
        out += kHex[hash[i] & 0x0F];
    }
    return out;
}

bool isUuid(std::string_view text) {
    if (text.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) {
            return false;
        }
    }
    return true;
}

std::string uuidFor(std::string_view kind, std::string_view id) {
    return isUuid(id) ? std::string(id) : stableUuid(kind, {id});
}

}  // namespace signpost
