#include <iostream>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/referral/outbox.h"
#include "core/referral/referral_codec.h"
#include "core/referral/sealing.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

const char* const kOpenUsage =
    R"(Usage: signpost open --key FILE --db PATH [--out FILE] [--passphrase-file FILE]

Decrypts a kiosk's outbox (its outbox.db) to JSON, for checking. The real transfer of referrals
comes with `signpost pull`. The outbox is opened read-only; nothing in it is changed.

The output is a JSON array with one object per outbox item, in sequence order: the outbox's own
fields (seq, id, reference, created_at, form_version, venue, neighbourhood, service_id, status,
test, attempts, last_error, sent_at) and "referral", the decrypted referral (schema
"signpost.referral"). An item that does not open with this key, or whose content is not a valid
referral, is listed with "referral": null and an "error" saying why; it is never left out.

Options:
  --key FILE              the coordinator key file made by `signpost keygen` (required)
  --db PATH               the kiosk's outbox database (required)
  --out FILE              write the JSON to FILE (mode 0600) instead of standard output
  --passphrase-file FILE  read the key's passphrase from FILE's first line instead of asking
  --help                  show this help

The output holds residents' personal data: keep it only as long as you need it.
Exit status: 0 every item opened; 1 nothing could be read (wrong passphrase, bad key file, no
outbox); 2 usage error; 3 some items could not be opened (they are in the output as errors).
)";

namespace {

using Json = nlohmann::ordered_json;

Json metadataOf(const OutboxItem& item) {
    Json entry;
    entry["seq"] = item.seq;
    entry["id"] = item.id;
    entry["reference"] = item.reference;
    entry["created_at"] = item.createdAt;
    entry["form_version"] = item.formVersion;
    entry["venue"] = item.venue;
    entry["neighbourhood"] = item.neighbourhood;
    entry["service_id"] = item.serviceId;
    entry["status"] = toString(item.status);
    entry["test"] = item.test;
    entry["attempts"] = item.attempts;
    entry["last_error"] = item.lastError;
    entry["sent_at"] = item.sentAt.empty() ? Json(nullptr) : Json(item.sentAt);
    return entry;
}

// Opens one item; returns the problem, or "" and fills entry["referral"].
std::string openItem(const CoordinatorKeyPair& key, const OutboxItem& item, Json& entry) {
    SecureBytes plaintext;
    try {
        plaintext = key.open(item.sealed);
    } catch (const CryptoError&) {
        return "does not open with this key (sealed to another key, or altered)";
    }
    const WipeOnExit guard([&] { wipe(plaintext); });
    DecodedReferral decoded;
    try {
        decoded = parseReferral(view(plaintext));
    } catch (const ReferralFormatError& error) {
        return std::string("opens, but is not a valid referral: ") + error.what();
    }
    // The sealed payload must be the one its row describes: a blob copied onto another row
    // would otherwise be reported under the wrong reference.
    if (decoded.envelope.id != item.id || decoded.envelope.reference != item.reference) {
        return "opens, but its id or reference does not match its outbox row";
    }
    entry["referral"] = Json::parse(view(plaintext));
    return {};
}

}  // namespace

int runOpen(std::span<const std::string> args) {
    const Options options(
        args,
        {{"key", true}, {"db", true}, {"out", true}, {"passphrase-file", true}, {"help", false}});
    if (options.has("help")) {
        std::cout << kOpenUsage;
        return kExitOk;
    }
    const std::filesystem::path keyFile = options.required("key");
    const std::string db = options.required("db");
    const std::optional<std::string> out = options.value("out");
    std::optional<std::filesystem::path> passphraseFile;
    if (std::optional<std::string> file = options.value("passphrase-file")) {
        passphraseFile = *file;
    }

    std::error_code error;
    if (!std::filesystem::exists(keyFile, error)) {
        throw ToolError("no key file at " + keyFile.string());
    }
    if (!std::filesystem::exists(db, error)) {
        throw ToolError("no outbox at " + db);
    }
    const CoordinatorKeyPair key = loadCoordinatorKey(keyFile, passphraseFile);

    std::vector<OutboxItem> items;
    try {
        Outbox outbox(db, {.readOnly = true, .create = false});
        items = outbox.allItems();
    } catch (const StorageError& failure) {
        throw ToolError("cannot read the outbox " + db + ": " + failure.what());
    }

    Json result = Json::array();
    std::size_t failed = 0;
    for (const OutboxItem& item : items) {
        Json entry = metadataOf(item);
        const std::string problem = openItem(key, item, entry);
        if (!problem.empty()) {
            entry["referral"] = nullptr;
            entry["error"] = problem;
            ++failed;
        }
        result.push_back(std::move(entry));
    }
    const std::string text = result.dump(2) + "\n";
    if (out) {
        writeFileAtomically(*out, text, 0600);
    } else {
        std::cout << text;
        std::cout.flush();
        if (!std::cout) {
            throw ToolError("cannot write to standard output");
        }
    }
    std::cerr << "Opened " << items.size() - failed << " of " << items.size()
              << " referral(s) from " << db;
    if (failed > 0) {
        std::cerr << "; " << failed << " could not be opened (see \"error\" in the output)";
    }
    std::cerr << ".\n";
    return failed > 0 ? kExitPartial : kExitOk;
}

}  // namespace signpost::tool
