#include "sync/server/tokens.h"

#include <sodium.h>

#include <cctype>

#include "core/common/ids.h"

namespace signpost::server {

namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeLength = 12;

// A fixed key separates these hashes from any other BLAKE2b use of the same bytes.
constexpr std::string_view kHashKey = "signpost-server-token-hash-v1...";  // 32 bytes
static_assert(kHashKey.size() == 32);

}  // namespace

std::string generateToken() {
    ensureSodium();
    std::array<std::uint8_t, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.resize(out.size() - 1);  // the terminating NUL
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

bool isWellFormedToken(std::string_view text) {
    if (text.size() != 43) {
        return false;
    }
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

TokenHash hashToken(std::string_view token) {
    ensureSodium();
    TokenHash hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), reinterpret_cast<const unsigned char*>(kHashKey.data()),
                       kHashKey.size());
    return hash;
}

std::string generateEnrollmentCode() {
    std::string code;
    for (std::size_t i = 0; i < kCodeLength; ++i) {
        if (i > 0 && i % 4 == 0) {
            code += '-';
        }
        code += kCrockford[randomBelow(32)];
    }
    return code;
}

std::optional<std::string> normalizeEnrollmentCode(std::string_view text) {
    std::string out;
    for (char raw : text) {
        if (raw == '-' || raw == ' ') {
            continue;
        }
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
        if (c == 'O') {
            c = '0';
        } else if (c == 'I' || c == 'L') {
            c = '1';
        }
        if (std::string_view(kCrockford).find(c) == std::string_view::npos) {
            return std::nullopt;
        }
        out += c;
        if (out.size() > kCodeLength) {
            return std::nullopt;
        }
    }
    if (out.size() != kCodeLength) {
        return std::nullopt;
    }
    return out;
}

}  // namespace signpost::server
