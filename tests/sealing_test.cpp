#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/referral/sealing.h"
#include "support/test_support.h"

using namespace signpost;
using nlohmann::json;

namespace {

constexpr const char* kPassphrase = "correct horse battery staple";

std::vector<std::uint8_t> bytesOf(const std::string& text) {
    return {text.begin(), text.end()};
}

KeyFileError::Reason loadFailure(const std::filesystem::path& file, std::string_view passphrase) {
    try {
        CoordinatorKeyPair::loadEncrypted(file, passphrase);
    } catch (const KeyFileError& error) {
        return error.reason();
    }
    FAIL("expected a KeyFileError");
    return KeyFileError::Reason::Unreadable;
}

// One key file shared by the key-file tests: each Argon2id derivation costs ~64 MiB and a
// noticeable fraction of a second, so the tests edit copies of this file instead.
struct SavedKey {
    test::TempDir dir{"sealing"};
    CoordinatorKeyPair pair = CoordinatorKeyPair::generate();
    std::filesystem::path file = dir / "coordinator.key";
    std::string text;
    SavedKey() {
        pair.saveEncrypted(file, kPassphrase, KdfStrength::Interactive);
        text = test::readText(file);
    }
};

SavedKey& savedKey() {
    static SavedKey key;
    return key;
}

}  // namespace

TEST_CASE("public keys read back from the base64 keygen prints", "[sealing]") {
    const CoordinatorKeyPair pair = CoordinatorKeyPair::generate();
    const std::string text = pair.publicKey().toBase64();
    CHECK(text.size() == 44);
    CHECK(CoordinatorPublicKey::fromBase64(text) == pair.publicKey());
    CHECK(CoordinatorPublicKey::fromBase64("  " + text + "\n") == pair.publicKey());

    SECTION("bad keys are refused with a plain message") {
        struct Case {
            std::string text;
            const char* message;
        };
        const Case cases[] = {
            {"", "no coordinator public key is set"},
            {"   ", "no coordinator public key is set"},
            {"not base64 at all!", "the coordinator public key is not valid base64"},
            {text.substr(0, 43), "the coordinator public key is not valid base64"},
            {toBase64(std::vector<std::uint8_t>(31, 7)),
             "the coordinator public key must be 32 bytes (44 base64 characters), not 31 bytes"},
            {toBase64(std::vector<std::uint8_t>(33, 7)),
             "the coordinator public key must be 32 bytes (44 base64 characters), not 33 bytes"},
            {toBase64(std::vector<std::uint8_t>(32, 0)), "the coordinator public key is all zeros"},
        };
        for (const Case& c : cases) {
            INFO("'" << c.text << "'");
            CHECK_THROWS_WITH(CoordinatorPublicKey::fromBase64(c.text), c.message);
            CHECK_THROWS_AS(CoordinatorPublicKey::fromBase64(c.text), CryptoError);
        }
    }
}

TEST_CASE("a sealed box opens only with the coordinators' secret key", "[sealing]") {
    const CoordinatorKeyPair coordinators = CoordinatorKeyPair::generate();
    const std::vector<std::uint8_t> plaintext = bytesOf(R"({"name":"Ann Example"})");
    const std::vector<std::uint8_t> sealed =
        sealForCoordinators(plaintext, coordinators.publicKey());

    CHECK(sealed.size() == plaintext.size() + 48);
    const SecureBytes opened = coordinators.open(sealed);
    CHECK(std::vector<std::uint8_t>(opened.begin(), opened.end()) == plaintext);
    // The ciphertext does not contain the plaintext.
    CHECK(std::search(sealed.begin(), sealed.end(), plaintext.begin() + 2, plaintext.begin() + 8) ==
          sealed.end());

    SECTION("each seal is fresh: the same plaintext never gives the same box") {
        CHECK(sealForCoordinators(plaintext, coordinators.publicKey()) != sealed);
    }
    SECTION("another key cannot open it") {
        const CoordinatorKeyPair other = CoordinatorKeyPair::generate();
        CHECK_THROWS_AS(other.open(sealed), CryptoError);
    }
    SECTION("any altered byte is detected") {
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            std::vector<std::uint8_t> altered = sealed;
            altered[i] ^= 0x01;
            INFO("byte " << i);
            CHECK_THROWS_AS(coordinators.open(altered), CryptoError);
        }
    }
    SECTION("truncated or extended boxes are detected") {
        CHECK_THROWS_AS(coordinators.open(std::span(sealed).first(sealed.size() - 1)), CryptoError);
        CHECK_THROWS_AS(coordinators.open(std::span(sealed).first(48)), CryptoError);
        CHECK_THROWS_WITH(coordinators.open(std::span(sealed).first(47)),
                          "sealed referral is too short to be a sealed box");
        CHECK_THROWS_AS(coordinators.open({}), CryptoError);
        std::vector<std::uint8_t> longer = sealed;
        longer.push_back(0);
        CHECK_THROWS_AS(coordinators.open(longer), CryptoError);
    }
    SECTION("an empty plaintext still seals and opens") {
        const std::vector<std::uint8_t> box = sealForCoordinators({}, coordinators.publicKey());
        CHECK(box.size() == 48);
        CHECK(coordinators.open(box).empty());
    }
}

TEST_CASE("the key file round-trips with the right passphrase", "[sealing]") {
    SavedKey& saved = savedKey();
    const CoordinatorKeyPair loaded = CoordinatorKeyPair::loadEncrypted(saved.file, kPassphrase);
    CHECK(loaded.publicKey() == saved.pair.publicKey());

    // A box sealed to the original opens with the loaded key, and the other way round.
    const std::vector<std::uint8_t> message = bytesOf("referral payload");
    const SecureBytes opened = loaded.open(sealForCoordinators(message, saved.pair.publicKey()));
    CHECK(std::vector<std::uint8_t>(opened.begin(), opened.end()) == message);

    SECTION("the file is private (0600) and holds the documented fields") {
        CHECK(test::fileMode(saved.file) == 0600);
        const json file = json::parse(saved.text);
        CHECK(file["format"] == "signpost-coordinator-key");
        CHECK(file["version"] == 1);
        CHECK(file["kdf"] == "argon2id13");
        CHECK(file["public_key"] == saved.pair.publicKey().toBase64());
        CHECK(file["opslimit"].get<unsigned long long>() >= 2);
        CHECK(file["memlimit"].get<unsigned long long>() == 64ULL << 20);
        CHECK(fromBase64(file["salt"].get<std::string>())->size() == 16);
        CHECK(fromBase64(file["nonce"].get<std::string>())->size() == 24);
        CHECK(fromBase64(file["secret_key_box"].get<std::string>())->size() == 48);
        CHECK(fromBase64(file["key_check"].get<std::string>())->size() == 16);
    }
    SECTION("saving again uses a fresh salt and nonce") {
        test::TempDir dir("sealing");
        loaded.saveEncrypted(dir / "again.key", kPassphrase, KdfStrength::Interactive);
        const json first = json::parse(saved.text);
        const json second = json::parse(test::readText(dir / "again.key"));
        CHECK(first["salt"] != second["salt"]);
        CHECK(first["nonce"] != second["nonce"]);
        CHECK(first["secret_key_box"] != second["secret_key_box"]);
        CHECK(first["public_key"] == second["public_key"]);
    }
}

TEST_CASE("a wrong passphrase is told apart from a damaged file", "[sealing]") {
    SavedKey& saved = savedKey();
    CHECK(loadFailure(saved.file, "correct horse battery stapler") ==
          KeyFileError::Reason::WrongPassphrase);
    CHECK(loadFailure(saved.file, "") == KeyFileError::Reason::WrongPassphrase);
    CHECK_THROWS_WITH(CoordinatorKeyPair::loadEncrypted(saved.file, "nope"),
                      "wrong passphrase for " + saved.file.string());
}

TEST_CASE("truncated and edited key files are malformed", "[sealing]") {
    SavedKey& saved = savedKey();
    test::TempDir dir("sealing");
    const std::filesystem::path file = dir / "edited.key";
    const json original = json::parse(saved.text);

    SECTION("truncated") {
        for (std::size_t length :
             {std::size_t{0}, std::size_t{1}, saved.text.size() / 2, saved.text.size() - 3}) {
            test::writeText(file, saved.text.substr(0, length));
            INFO("length " << length);
            CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::Malformed);
        }
    }
    SECTION("not a key file") {
        test::writeText(file, "[1, 2, 3]");
        CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::Malformed);
        test::writeText(file, "coordinator_public_key = \"abc\"\n");
        CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::Malformed);
    }
    SECTION("edited fields") {
        const CoordinatorKeyPair other = CoordinatorKeyPair::generate();
        std::string flippedBox = original["secret_key_box"].get<std::string>();
        flippedBox[5] = flippedBox[5] == 'A' ? 'B' : 'A';
        struct Case {
            const char* field;
            json value;
        };
        const Case cases[] = {
            {"format", "something-else"},
            {"version", 2},
            {"version", "1"},
            {"kdf", "scrypt"},
            {"opslimit", 0},
            {"opslimit", 1000000},
            {"opslimit", -1},
            {"opslimit", "2"},
            {"memlimit", 1024},
            {"memlimit", 1ULL << 40},
            {"public_key", other.publicKey().toBase64()},  // does not belong to the secret key
            {"public_key", "!!!"},
            {"salt", toBase64(std::vector<std::uint8_t>(8, 1))},
            {"nonce", toBase64(std::vector<std::uint8_t>(12, 1))},
            {"secret_key_box", flippedBox},  // check passes, box does not open
            {"secret_key_box", toBase64(std::vector<std::uint8_t>(32, 1))},
            {"key_check", toBase64(std::vector<std::uint8_t>(8, 1))},
            {"key_check", nullptr},
        };
        for (const Case& c : cases) {
            json edited = original;
            edited[c.field] = c.value;
            test::writeText(file, edited.dump(2));
            INFO(c.field << " = " << c.value.dump());
            CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::Malformed);
        }
        for (const char* field : {"format", "version", "public_key", "kdf", "opslimit", "memlimit",
                                  "salt", "nonce", "secret_key_box", "key_check"}) {
            json edited = original;
            edited.erase(field);
            test::writeText(file, edited.dump(2));
            INFO("without " << field);
            CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::Malformed);
        }
    }
    SECTION("the message says what is wrong") {
        const auto messageFor = [&](const char* field, const json& value) {
            json edited = original;
            edited[field] = value;
            test::writeText(file, edited.dump(2));
            try {
                CoordinatorKeyPair::loadEncrypted(file, kPassphrase);
            } catch (const KeyFileError& error) {
                return std::string(error.what());
            }
            return std::string("loaded");
        };
        std::string flippedBox = original["secret_key_box"].get<std::string>();
        flippedBox[5] = flippedBox[5] == 'A' ? 'B' : 'A';
        CHECK_THAT(messageFor("secret_key_box", flippedBox),
                   Catch::EndsWith("the encrypted secret key was altered"));
        CHECK_THAT(messageFor("public_key", CoordinatorKeyPair::generate().publicKey().toBase64()),
                   Catch::EndsWith("the public key does not belong to the secret key"));
        CHECK_THAT(messageFor("version", 2), Catch::Contains("version 2 is not one this program"));
        CHECK_THAT(messageFor("memlimit", 1ULL << 40),
                   Catch::EndsWith("field \"memlimit\" is out of range"));
        CHECK_THAT(messageFor("nonce", "AAAA"),
                   Catch::EndsWith("field \"nonce\" is not 24 bytes of base64"));
        CHECK_THAT(messageFor("format", 7), Catch::StartsWith(file.string() + " is not a usable"));
    }
    SECTION("an edited salt cannot be told from a wrong passphrase (documented)") {
        json edited = original;
        edited["salt"] = toBase64(std::vector<std::uint8_t>(16, 9));
        test::writeText(file, edited.dump(2));
        CHECK(loadFailure(file, kPassphrase) == KeyFileError::Reason::WrongPassphrase);
    }
}

TEST_CASE("a missing key file is unreadable", "[sealing]") {
    test::TempDir dir("sealing");
    CHECK(loadFailure(dir / "no-such.key", kPassphrase) == KeyFileError::Reason::Unreadable);
}

TEST_CASE("saving a key file: failures and replacement", "[sealing]") {
    test::TempDir dir("sealing");
    const CoordinatorKeyPair pair = CoordinatorKeyPair::generate();
    CHECK_THROWS_AS(pair.saveEncrypted(dir / "k.key", "", KdfStrength::Interactive), CryptoError);
    CHECK_FALSE(std::filesystem::exists(dir / "k.key"));
    CHECK_THROWS_AS(
        pair.saveEncrypted(dir / "missing-dir" / "k.key", kPassphrase, KdfStrength::Interactive),
        FileError);

    SECTION("a non-ASCII passphrase works, byte for byte") {
        const std::string passphrase = "zażółć gęślą jaźń \xF0\x9F\x94\x91";
        pair.saveEncrypted(dir / "k.key", passphrase, KdfStrength::Interactive);
        CHECK(CoordinatorKeyPair::loadEncrypted(dir / "k.key", passphrase).publicKey() ==
              pair.publicKey());
        CHECK(loadFailure(dir / "k.key", "zazolc gesla jazn") ==
              KeyFileError::Reason::WrongPassphrase);
    }
    SECTION("saving over an existing file replaces it whole, still 0600") {
        test::writeText(dir / "k.key", "old contents");
        ::chmod((dir / "k.key").c_str(), 0644);
        pair.saveEncrypted(dir / "k.key", kPassphrase, KdfStrength::Interactive);
        CHECK(test::fileMode((dir / "k.key")) == 0600);
        CHECK(CoordinatorKeyPair::loadEncrypted(dir / "k.key", kPassphrase).publicKey() ==
              pair.publicKey());
        // No temporary files are left next to it.
        std::size_t entries = 0;
        for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
            ++entries;
        }
        CHECK(entries == 1);
    }
}

TEST_CASE("sealing to a key read from the config matches the key pair", "[sealing]") {
    const CoordinatorKeyPair pair = CoordinatorKeyPair::generate();
    const CoordinatorPublicKey fromConfig =
        CoordinatorPublicKey::fromBase64(pair.publicKey().toBase64());
    const std::vector<std::uint8_t> message = bytesOf("hello");
    const SecureBytes opened = pair.open(sealForCoordinators(message, fromConfig));
    CHECK(std::vector<std::uint8_t>(opened.begin(), opened.end()) == message);
}
