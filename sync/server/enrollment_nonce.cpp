#include "sync/server/enrollment_nonce.h"

#include <sodium.h>

#include <cstring>
#include <vector>

#include "core/common/ids.h"

namespace signpost::server {

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kBodyBytes = 1 + 8 + 16;
constexpr std::size_t kNonceBytes = kBodyBytes + crypto_auth_hmacsha256_BYTES;
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::int64_t unixSeconds(SystemTime time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

EnrollmentNonces::EnrollmentNonces() {
    ensureSodium();
    crypto_auth_hmacsha256_keygen(m_key.data());
}

std::string EnrollmentNonces::issue(SystemTime now) {
    std::array<std::uint8_t, kNonceBytes> nonce{};
    nonce[0] = kVersion;
    const auto expiry = static_cast<std::uint64_t>(unixSeconds(now + kLifetime));
    for (int i = 0; i < 8; ++i) {
        nonce[static_cast<std::size_t>(1 + i)] = static_cast<std::uint8_t>(expiry >> (56 - 8 * i));
    }
    randombytes_buf(nonce.data() + 9, 16);
    crypto_auth_hmacsha256(nonce.data() + kBodyBytes, nonce.data(), kBodyBytes, m_key.data());
    std::string text(sodium_base64_ENCODED_LEN(kNonceBytes, kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), nonce.data(), nonce.size(), kVariant);
    text.resize(std::strlen(text.c_str()));
    return text;
}

EnrollmentNonces::Check EnrollmentNonces::check(std::string_view text, SystemTime now) const {
    std::array<std::uint8_t, kNonceBytes> nonce{};
    std::size_t length = 0;
    if (text.size() > 2 * kNonceBytes ||
        sodium_base642bin(nonce.data(), nonce.size(), text.data(), text.size(), nullptr, &length,
                          nullptr, kVariant) != 0 ||
        length != kNonceBytes || nonce[0] != kVersion ||
        crypto_auth_hmacsha256_verify(nonce.data() + kBodyBytes, nonce.data(), kBodyBytes,
                                      m_key.data()) != 0) {
        return Check::Malformed;
    }
    std::uint64_t expiry = 0;
    for (std::size_t i = 1; i <= 8; ++i) {
        expiry = (expiry << 8) | nonce[i];
    }
    if (static_cast<std::int64_t>(expiry) <= unixSeconds(now)) {
        return Check::Expired;
    }
    return Check::Valid;
}

bool EnrollmentNonces::claim(std::string_view nonce, SystemTime now) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_claimed.begin(); it != m_claimed.end();) {
        it = it->second <= now ? m_claimed.erase(it) : std::next(it);
    }
    return m_claimed.emplace(std::string(nonce), now + kLifetime).second;
}

void EnrollmentNonces::release(std::string_view nonce) {
    std::lock_guard lock(m_mutex);
    m_claimed.erase(std::string(nonce));
}

std::size_t EnrollmentNonces::claimedCount() const {
    std::lock_guard lock(m_mutex);
    return m_claimed.size();
}

}  // namespace signpost::server
