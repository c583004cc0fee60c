#include "core/referral/sealing.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"

namespace signpost {

namespace {

using nlohmann::json;

constexpr std::string_view kKeyFileFormat = "signpost-coordinator-key";
constexpr int kKeyFileVersion = 1;
constexpr std::string_view kKdfName = "argon2id13";
constexpr std::string_view kKeyCheckLabel = "signpost coordinator key check v1";
constexpr std::size_t kKeyCheckBytes = 16;
// A key file asking for more than this is refused as malformed rather than allowed to make the
// tool allocate without bound.
constexpr unsigned long long kMaxMemlimit = 4ULL << 30;
constexpr unsigned long long kMaxOpslimit = 32;  // "sensitive" is 4

static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32);
static_assert(crypto_secretbox_KEYBYTES == 32);

struct KdfLimits {
    unsigned long long opslimit;
    std::size_t memlimit;
};

KdfLimits limitsFor(KdfStrength strength) {
    switch (strength) {
        case KdfStrength::Interactive:
            return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
        case KdfStrength::Sensitive:
            return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
        case KdfStrength::Moderate:
            break;
    }
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

SecureBytes deriveKey(std::string_view passphrase, std::span<const std::uint8_t> salt,
                      const KdfLimits& limits) {
    SecureBytes key(crypto_secretbox_KEYBYTES);
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                      limits.opslimit, limits.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw CryptoError("not enough memory to derive the key from the passphrase (needs " +
                          std::to_string(limits.memlimit >> 20) + " MiB)");
    }
    return key;
}

std::array<std::uint8_t, kKeyCheckBytes> keyCheck(const SecureBytes& derivedKey) {
    std::array<std::uint8_t, kKeyCheckBytes> check{};
    crypto_generichash(check.data(), check.size(),
                       reinterpret_cast<const unsigned char*>(kKeyCheckLabel.data()),
                       kKeyCheckLabel.size(), derivedKey.data(), derivedKey.size());
    return check;
}

[[noreturn]] void malformed(const std::filesystem::path& file, const std::string& problem) {
    throw KeyFileError(KeyFileError::Reason::Malformed,
                       file.string() + " is not a usable coordinator key file: " + problem);
}

std::vector<std::uint8_t> base64Field(const json& root, const std::filesystem::path& file,
                                      const char* name, std::size_t expectedSize) {
    const auto it = root.find(name);
    if (it == root.end() || !it->is_string()) {
        malformed(file, std::string("field \"") + name + "\" is missing or not text");
    }
    std::optional<std::vector<std::uint8_t>> bytes = fromBase64(it->get<std::string>());
    if (!bytes || bytes->size() != expectedSize) {
        malformed(file, std::string("field \"") + name + "\" is not " +
                            std::to_string(expectedSize) + " bytes of base64");
    }
    return *bytes;
}

unsigned long long integerField(const json& root, const std::filesystem::path& file,
                                const char* name, unsigned long long minimum,
                                unsigned long long maximum) {
    const auto it = root.find(name);
    if (it == root.end() || !it->is_number_unsigned()) {
        malformed(file, std::string("field \"") + name + "\" is missing or not a whole number");
    }
    const auto value = it->get<unsigned long long>();
    if (value < minimum || value > maximum) {
        malformed(file, std::string("field \"") + name + "\" is out of range");
    }
    return value;
}

}  // namespace

KeyFileError::KeyFileError(Reason reason, const std::string& message)
    : std::runtime_error(message), m_reason(reason) {}

CoordinatorPublicKey CoordinatorPublicKey::fromBase64(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r')) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        throw CryptoError("no coordinator public key is set");
    }
    std::optional<std::vector<std::uint8_t>> bytes = signpost::fromBase64(text);
    if (!bytes) {
        throw CryptoError("the coordinator public key is not valid base64");
    }
    CoordinatorPublicKey key;
    if (bytes->size() != key.bytes.size()) {
        throw CryptoError(
            "the coordinator public key must be 32 bytes (44 base64 characters), not " +
            std::to_string(bytes->size()) + " bytes");
    }
    std::copy(bytes->begin(), bytes->end(), key.bytes.begin());
    if (sodium_is_zero(key.bytes.data(), key.bytes.size()) == 1) {
        throw CryptoError("the coordinator public key is all zeros");
    }
    return key;
}

std::string CoordinatorPublicKey::toBase64() const {
    return signpost::toBase64(bytes);
}

std::vector<std::uint8_t> sealForCoordinators(std::span<const std::uint8_t> plaintext,
                                              const CoordinatorPublicKey& key) {
    ensureSodium();
    std::vector<std::uint8_t> sealed(plaintext.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(sealed.data(), plaintext.data(), plaintext.size(), key.bytes.data()) != 0) {
        throw CryptoError("cannot seal the referral to the coordinator key (is the key valid?)");
    }
    return sealed;
}

CoordinatorKeyPair CoordinatorKeyPair::generate() {
    ensureSodium();
    CoordinatorKeyPair pair;
    pair.m_secret.resize(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(pair.m_public.bytes.data(), pair.m_secret.data());
    return pair;
}

SecureBytes CoordinatorKeyPair::open(std::span<const std::uint8_t> sealed) const {
    if (sealed.size() < crypto_box_SEALBYTES) {
        throw CryptoError("sealed referral is too short to be a sealed box");
    }
    SecureBytes plaintext(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plaintext.data(), sealed.data(), sealed.size(), m_public.bytes.data(),
                             m_secret.data()) != 0) {
        throw CryptoError(
            "sealed referral does not open with this key (sealed to another key, or "
            "altered)");
    }
    return plaintext;
}

void CoordinatorKeyPair::saveEncrypted(const std::filesystem::path& file,
                                       std::string_view passphrase, KdfStrength strength) const {
    ensureSodium();
    if (passphrase.empty()) {
        throw CryptoError("an empty passphrase cannot protect a key");
    }
    const KdfLimits limits = limitsFor(strength);
    std::array<std::uint8_t, crypto_pwhash_SALTBYTES> salt{};
    randombytes_buf(salt.data(), salt.size());
    std::array<std::uint8_t, crypto_secretbox_NONCEBYTES> nonce{};
    randombytes_buf(nonce.data(), nonce.size());

    const SecureBytes key = deriveKey(passphrase, salt, limits);
    std::vector<std::uint8_t> box(crypto_secretbox_MACBYTES + m_secret.size());
    crypto_secretbox_easy(box.data(), m_secret.data(), m_secret.size(), nonce.data(), key.data());

    json root;
    root["format"] = kKeyFileFormat;
    root["version"] = kKeyFileVersion;
    root["public_key"] = m_public.toBase64();
    root["kdf"] = kKdfName;
    root["opslimit"] = limits.opslimit;
    root["memlimit"] = static_cast<unsigned long long>(limits.memlimit);
    root["salt"] = toBase64(salt);
    root["nonce"] = toBase64(nonce);
    root["secret_key_box"] = toBase64(box);
    root["key_check"] = toBase64(keyCheck(key));
    writeFileAtomically(file, root.dump(2) + "\n", 0600);
}

CoordinatorKeyPair CoordinatorKeyPair::loadEncrypted(const std::filesystem::path& file,
                                                     std::string_view passphrase) {
    ensureSodium();
    std::string text;
    try {
        text = readFile(file);
    } catch (const FileError& error) {
        throw KeyFileError(KeyFileError::Reason::Unreadable, error.what());
    }
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error&) {
        malformed(file, "not JSON (truncated or edited?)");
    }
    if (!root.is_object()) {
        malformed(file, "not a JSON object");
    }
    const auto format = root.find("format");
    if (format == root.end() || !format->is_string() ||
        format->get<std::string>() != kKeyFileFormat) {
        malformed(file, "\"format\" is not \"signpost-coordinator-key\"");
    }
    const auto version = root.find("version");
    if (version == root.end() || !version->is_number_integer()) {
        malformed(file, "\"version\" is missing");
    }
    if (version->get<long long>() != kKeyFileVersion) {
        malformed(file, "version " + std::to_string(version->get<long long>()) +
                            " is not one this program understands (" +
                            std::to_string(kKeyFileVersion) + ")");
    }
    const auto kdf = root.find("kdf");
    if (kdf == root.end() || !kdf->is_string() || kdf->get<std::string>() != kKdfName) {
        malformed(file, "\"kdf\" is not \"argon2id13\"");
    }
    KdfLimits limits{};
    limits.opslimit =
        integerField(root, file, "opslimit", crypto_pwhash_OPSLIMIT_MIN,
                     std::min<unsigned long long>(kMaxOpslimit, crypto_pwhash_OPSLIMIT_MAX));
    limits.memlimit = static_cast<std::size_t>(
        integerField(root, file, "memlimit", crypto_pwhash_MEMLIMIT_MIN,
                     std::min<unsigned long long>(kMaxMemlimit, crypto_pwhash_MEMLIMIT_MAX)));
    const std::vector<std::uint8_t> publicKey =
        base64Field(root, file, "public_key", crypto_box_PUBLICKEYBYTES);
    const std::vector<std::uint8_t> salt = base64Field(root, file, "salt", crypto_pwhash_SALTBYTES);
    const std::vector<std::uint8_t> nonce =
        base64Field(root, file, "nonce", crypto_secretbox_NONCEBYTES);
    const std::vector<std::uint8_t> box = base64Field(
        root, file, "secret_key_box", crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES);
    const std::vector<std::uint8_t> check = base64Field(root, file, "key_check", kKeyCheckBytes);

    const SecureBytes key = deriveKey(passphrase, salt, limits);
    const auto expected = keyCheck(key);
    if (sodium_memcmp(expected.data(), check.data(), kKeyCheckBytes) != 0) {
        throw KeyFileError(KeyFileError::Reason::WrongPassphrase,
                           "wrong passphrase for " + file.string());
    }
    CoordinatorKeyPair pair;
    pair.m_secret.resize(crypto_box_SECRETKEYBYTES);
    if (crypto_secretbox_open_easy(pair.m_secret.data(), box.data(), box.size(), nonce.data(),
                                   key.data()) != 0) {
        malformed(file, "the encrypted secret key was altered");
    }
    std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> derivedPublic{};
    crypto_scalarmult_base(derivedPublic.data(), pair.m_secret.data());
    if (sodium_memcmp(derivedPublic.data(), publicKey.data(), derivedPublic.size()) != 0) {
        malformed(file, "the public key does not belong to the secret key");
    }
    pair.m_public.bytes = derivedPublic;
    return pair;
}

}  // namespace signpost
