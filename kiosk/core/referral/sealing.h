// Signpost — sealing referrals to the coordinators' public key (libsodium crypto_box_seal) and
// the coordinators' passphrase-protected key file.
//
// A sealed box can be opened only with the coordinators' secret key; the kiosk that sealed it
// cannot open it again, so a stolen kiosk reveals nothing.
//
// Key file (JSON, mode 0600): {"format": "signpost-coordinator-key", "version": 1,
// "public_key": b64, "kdf": "argon2id13", "opslimit", "memlimit", "salt": b64, "nonce": b64,
// "secret_key_box": b64 (crypto_secretbox of the secret key under the Argon2id-derived key)}.
// Thread-safety: CoordinatorKeyPair is immutable after construction; functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"

namespace signpost {

class CryptoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class KeyFileError : public std::runtime_error {
public:
    enum class Reason { Unreadable, Malformed, WrongPassphrase };
    KeyFileError(Reason reason, const std::string& message);
    Reason reason() const noexcept { return m_reason; }

private:
    Reason m_reason;
};

struct CoordinatorPublicKey {
    std::array<std::uint8_t, 32> bytes{};
    // Accepts the base64 text `signpost keygen` prints; throws CryptoError with a plain message.
    static CoordinatorPublicKey fromBase64(std::string_view text);
    std::string toBase64() const;
};

// crypto_box_seal of `plaintext` (48 bytes of overhead). Throws CryptoError.
std::vector<std::uint8_t> sealForCoordinators(std::span<const std::uint8_t> plaintext,
                                              const CoordinatorPublicKey& key);

enum class KdfStrength {
    Interactive,  // ~64 MiB; tests and the demo key only
    Moderate,     // ~256 MiB; the default for real keys
    Sensitive,    // ~1 GiB
};

class CoordinatorKeyPair {
public:
    static CoordinatorKeyPair generate();
    // Throws KeyFileError (WrongPassphrase when the box does not open, Malformed, Unreadable).
    static CoordinatorKeyPair loadEncrypted(const std::filesystem::path& file,
                                            std::string_view passphrase);
    // Writes the key file atomically with mode 0600. Throws FileError / CryptoError.
    void saveEncrypted(const std::filesystem::path& file, std::string_view passphrase,
                       KdfStrength strength = KdfStrength::Moderate) const;

    const CoordinatorPublicKey& publicKey() const noexcept { return m_public; }
    // Opens a sealed box; throws CryptoError if it was not sealed to this key or was altered.
    SecureBytes open(std::span<const std::uint8_t> sealed) const;

private:
    CoordinatorPublicKey m_public;
    SecureBytes m_secret;  // 32 bytes
};

}  // namespace signpost
