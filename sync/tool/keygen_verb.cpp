#include <cstdio>
#include <iostream>

#include "core/common/atomic_file.h"
#include "core/common/utf8.h"
#include "core/referral/sealing.h"
#include "core/referral/validation.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

const char* const kKeygenUsage =
    R"(Usage: signpost keygen --out FILE [--kdf interactive|moderate|sensitive] [--force]
                       [--passphrase-file FILE]

Creates the coordinators' key pair. The secret key is written to FILE (mode 0600), encrypted
with a key derived from a passphrase (Argon2id + XSalsa20-Poly1305). The public key is printed
as the line to put in the [referral] section of each kiosk's kiosk.toml:

  coordinator_public_key = "..."

Kiosks seal every referral to that public key; only this key file, with its passphrase, can
open them. Keep both safe: if either is lost, queued referrals cannot be read.

Options:
  --out FILE              where to write the key file (required)
  --kdf STRENGTH          how hard the passphrase is to guess at: interactive (64 MiB; tests
                          and demos only), moderate (256 MiB, default), sensitive (1 GiB)
  --force                 replace FILE if it exists (the old key is lost)
  --passphrase-file FILE  read the passphrase from FILE's first line instead of asking
  --help                  show this help

The passphrase is asked twice on the terminal, without echo. For scripts, give
--passphrase-file or set SIGNPOST_PASSPHRASE. Use at least 12 characters; four or more random
words are best.
)";

namespace {

constexpr std::size_t kMinPassphraseLength = 12;

KdfStrength parseStrength(const std::string& text) {
    if (text == "interactive") {
        return KdfStrength::Interactive;
    }
    if (text == "moderate") {
        return KdfStrength::Moderate;
    }
    if (text == "sensitive") {
        return KdfStrength::Sensitive;
    }
    throw UsageError("--kdf must be interactive, moderate or sensitive, not '" + text + "'");
}

}  // namespace

int runKeygen(std::span<const std::string> args) {
    const Options options(args, {{"out", true},
                                 {"kdf", true},
                                 {"force", false},
                                 {"passphrase-file", true},
                                 {"help", false}});
    if (options.has("help")) {
        std::cout << kKeygenUsage;
        return kExitOk;
    }
    const std::filesystem::path out = options.required("out");
    const std::string kdfName = options.value("kdf").value_or("moderate");
    const KdfStrength strength = parseStrength(kdfName);
    std::error_code error;
    if (std::filesystem::exists(out, error) && !options.has("force")) {
        throw ToolError(out.string() +
                        " already exists; use --force to replace it (the key in it "
                        "will be lost)");
    }

    std::optional<std::filesystem::path> passphraseFile;
    if (std::optional<std::string> file = options.value("passphrase-file")) {
        passphraseFile = *file;
    }
    SecureString passphrase = readPassphrase(
        passphraseFile, "Passphrase for the new key: ", "Type the passphrase again: ");
    const WipeOnExit guard([&] { wipe(passphrase); });
    if (utf8::count(view(passphrase)) < kMinPassphraseLength) {
        throw ToolError("the passphrase is too short: use at least " +
                        std::to_string(kMinPassphraseLength) +
                        " characters (four or more random words are best)");
    }

    const CoordinatorKeyPair pair = CoordinatorKeyPair::generate();
    pair.saveEncrypted(out, view(passphrase), strength);

    std::cerr << "Wrote the coordinator key to " << out.string() << " (mode 0600, Argon2id "
              << kdfName << ").\n"
              << "Keep the file and its passphrase safe: without both, referrals cannot be read.\n"
              << "Put this line in the [referral] section of each kiosk's kiosk.toml:\n";
    std::cout << "coordinator_public_key = \"" << pair.publicKey().toBase64() << "\"\n";
    std::cout.flush();
    return std::cout ? kExitOk : kExitFailed;
}

}  // namespace signpost::tool
