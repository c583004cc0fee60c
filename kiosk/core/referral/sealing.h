// Signpost — sealing referrals to the coordinators' public key (libsodium crypto_box_seal) and
// the coordinators' passphrase-protected key file.
//
// A sealed box can be opened only with the coordinators' secret key; the kiosk that sealed it
// cannot open it again, so a stolen kiosk reveals nothing.
//
// Key file (JSON, mode 0600): {"format": "signpost-coordinator-key", "version": 1,
// "public_key": b64, "kdf": "argon2id13", "opslimit", "memlimit", "salt": b64, "nonce": b64,
// "secret_key_box": b64 (crypto_secretbox of the secret key under the Argon2id-derived key),
// "key_check": b64 (16-byte BLAKE2b of a fixed label keyed with the derived key)}.
// key_check tells a wrong passphrase (check differs) from an edited secret_key_box (check
// matches, box does not open); it gives an attacker nothing the box does not, since both need the
// same Argon2id work per guess. A public_key that does not match the decrypted secret key, a
// truncated file, missing fields, bad base64, or KDF limits outside libsodium's range (or above
// 4 GiB of memory or 32 passes) are all Malformed.
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
    bool operator==(const CoordinatorPublicKey&) const = default;
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
    // Throws KeyFileError (WrongPassphrase when the passphrase is not the one the file was saved
    // with, Malformed, Unreadable), or CryptoError if there is not enough memory for the KDF.
    static CoordinatorKeyPair loadEncrypted(const std::filesystem::path& file,
                                            std::string_view passphrase);
    // Writes the key file atomically with mode 0600 (replacing any file at `file`). Throws
    // FileError / CryptoError (also for an empty passphrase, or too little memory for the KDF).
    void saveEncrypted(const std::filesystem::path& file, std::string_view passphrase,
                       KdfStrength strength = KdfStrength::Moderate) const;

    const CoordinatorPublicKey& publicKey() const noexcept { return m_public; }
    // Opens a sealed box; throws CryptoError if it was not sealed to this key or was altered.
    SecureBytes open(std::span<const std::uint8_t> sealed) const;

private:
    CoordinatorKeyPair() = default;

    CoordinatorPublicKey m_public;
    SecureBytes m_secret;  // 32 bytes
};

}  // namespace signpost
