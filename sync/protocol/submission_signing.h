// Signpost — device signatures on submissions (Ed25519, libsodium crypto_sign) and the content
// hash that decides "same bytes" for idempotent re-pushes.
//
// The signed message is a domain-separated, length-prefixed encoding of every field the server
// stores, with the sealed ciphertext included by its BLAKE2b-256 hash:
//   "signpost-submission-v1" || for each of (id, seq as decimal, created_at, form_version, venue,
//   neighbourhood, service_id, test "0"/"1", hex(blake2b256(sealed))): u32be length || bytes
// Ed25519 signatures are deterministic, so a blind retry sends identical bytes.
// contentHash() covers the same fields *without* the signature, so a kiosk that re-enrolled
// (new key, new signature) re-pushing an item the server already has is a duplicate, not a
// conflict.
//
// Enrollment is signed the same way (proof of possession of the key being registered):
//   "signpost-enroll-v1" || for each of (nonce, enrollment_code as sent, device_name, venue,
//   the 32 public-key bytes): u32be length || bytes
//
// Thread-safety: DeviceSigningKey is immutable after construction; functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "core/common/secure_buffer.h"
#include "sync/protocol/wire.h"

namespace signpost::protocol {

std::vector<std::uint8_t> signingMessage(const Submission& submission);
std::array<std::uint8_t, 32> contentHash(const Submission& submission);

std::vector<std::uint8_t> enrollSigningMessage(const EnrollRequest& request);
// True if `request.signature` is a valid signature over enrollSigningMessage() by
// `request.signingPublicKey`.
bool verifyEnrollRequest(const EnrollRequest& request);

// True if `submission.signature` is a valid signature by `publicKey` (32 bytes).
bool verifySubmission(const Submission& submission, std::span<const std::uint8_t> publicKey);

class DeviceSigningKey {
public:
    static DeviceSigningKey generate();
    // Reads a key file written by save(); throws FileError, or std::runtime_error if malformed.
    static DeviceSigningKey load(const std::filesystem::path& file);
    // Writes the 64-byte secret key (base64) atomically with mode 0600. Throws FileError.
    void save(const std::filesystem::path& file) const;

    const std::array<std::uint8_t, 32>& publicKey() const noexcept { return m_public; }
    // Sets submission.signature.
    void sign(Submission& submission) const;
    // Sets request.signingPublicKey to this key and request.signature over the other fields
    // (set the nonce first).
    void sign(EnrollRequest& request) const;

private:
    std::array<std::uint8_t, 32> m_public{};
    SecureBytes m_secret;  // 64 bytes (libsodium's seed || public key form)
};

}  // namespace signpost::protocol
