#include "sync/protocol/submission_signing.h"

#include <sodium.h>

#include <stdexcept>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"

namespace signpost::protocol {

namespace {

void appendField(std::vector<std::uint8_t>& out, std::string_view field) {
    const auto length = static_cast<std::uint32_t>(field.size());
    out.push_back(static_cast<std::uint8_t>(length >> 24));
    out.push_back(static_cast<std::uint8_t>(length >> 16));
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
    out.insert(out.end(), field.begin(), field.end());
}

// Every stored field except the signature, in a fixed, unambiguous encoding.
std::vector<std::uint8_t> canonicalFields(const Submission& s) {
    ensureSodium();
    std::array<std::uint8_t, 32> sealedHash{};
    crypto_generichash(sealedHash.data(), sealedHash.size(), s.sealed.data(), s.sealed.size(),
                       nullptr, 0);
    std::vector<std::uint8_t> out;
    out.reserve(256);
    const std::string_view domain = "signpost-submission-v1";
    out.insert(out.end(), domain.begin(), domain.end());
    appendField(out, s.id);
    appendField(out, std::to_string(s.seq));
    appendField(out, s.createdAt);
    appendField(out, s.formVersion);
    appendField(out, s.venue);
    appendField(out, s.neighbourhood);
    appendField(out, s.serviceId);
    appendField(out, s.test ? "1" : "0");
    appendField(out, toHex(sealedHash));
    return out;
}

}  // namespace

std::vector<std::uint8_t> enrollSigningMessage(const EnrollRequest& request) {
    std::vector<std::uint8_t> out;
    out.reserve(192);
    const std::string_view domain = "signpost-enroll-v1";
    out.insert(out.end(), domain.begin(), domain.end());
    appendField(out, request.nonce);
    appendField(out, request.enrollmentCode);
    appendField(out, request.deviceName);
    appendField(out, request.venue);
    appendField(out,
                std::string_view(reinterpret_cast<const char*>(request.signingPublicKey.data()),
                                 request.signingPublicKey.size()));
    return out;
}

bool verifyEnrollRequest(const EnrollRequest& request) {
    ensureSodium();
    if (request.signingPublicKey.size() != crypto_sign_PUBLICKEYBYTES ||
        request.signature.size() != crypto_sign_BYTES) {
        return false;
    }
    const std::vector<std::uint8_t> message = enrollSigningMessage(request);
    return crypto_sign_verify_detached(request.signature.data(), message.data(), message.size(),
                                       request.signingPublicKey.data()) == 0;
}

std::vector<std::uint8_t> signingMessage(const Submission& submission) {
    return canonicalFields(submission);
}

std::array<std::uint8_t, 32> contentHash(const Submission& submission) {
    std::vector<std::uint8_t> fields = canonicalFields(submission);
    std::array<std::uint8_t, 32> hash{};
    crypto_generichash(hash.data(), hash.size(), fields.data(), fields.size(), nullptr, 0);
    return hash;
}

bool verifySubmission(const Submission& submission, std::span<const std::uint8_t> publicKey) {
    if (publicKey.size() != crypto_sign_PUBLICKEYBYTES ||
        submission.signature.size() != crypto_sign_BYTES) {
        return false;
    }
    std::vector<std::uint8_t> message = signingMessage(submission);
    return crypto_sign_verify_detached(submission.signature.data(), message.data(), message.size(),
                                       publicKey.data()) == 0;
}

DeviceSigningKey DeviceSigningKey::generate() {
    ensureSodium();
    DeviceSigningKey key;
    key.m_secret.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(key.m_public.data(), key.m_secret.data());
    return key;
}

DeviceSigningKey DeviceSigningKey::load(const std::filesystem::path& file) {
    std::string text = readFile(file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    auto bytes = fromBase64(text);
    secureWipe(text.data(), text.size());
    if (!bytes || bytes->size() != crypto_sign_SECRETKEYBYTES) {
        if (bytes) {
            secureWipe(bytes->data(), bytes->size());
        }
        throw std::runtime_error(file.string() + ": not a device signing key");
    }
    DeviceSigningKey key;
    key.m_secret.assign(bytes->begin(), bytes->end());
    secureWipe(bytes->data(), bytes->size());
    crypto_sign_ed25519_sk_to_pk(key.m_public.data(), key.m_secret.data());
    return key;
}

void DeviceSigningKey::save(const std::filesystem::path& file) const {
    std::string text = toBase64(m_secret) + "\n";
    try {
        writeFileAtomically(file, text, 0600);
    } catch (...) {
        secureWipe(text.data(), text.size());
        throw;
    }
    secureWipe(text.data(), text.size());
}

void DeviceSigningKey::sign(EnrollRequest& request) const {
    request.signingPublicKey.assign(m_public.begin(), m_public.end());
    const std::vector<std::uint8_t> message = enrollSigningMessage(request);
    request.signature.resize(crypto_sign_BYTES);
    crypto_sign_detached(request.signature.data(), nullptr, message.data(), message.size(),
                         m_secret.data());
}

void DeviceSigningKey::sign(Submission& submission) const {
    std::vector<std::uint8_t> message = signingMessage(submission);
    submission.signature.resize(crypto_sign_BYTES);
    crypto_sign_detached(submission.signature.data(), nullptr, message.data(), message.size(),
                         m_secret.data());
}

}  // namespace signpost::protocol
