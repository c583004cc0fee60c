#include "core/referral/unsent_count.h"

#include <cerrno>
#include <set>
#include <string>
#include <vector>

#include "core/common/atomic_file.h"
#include "core/storage/database.h"

namespace signpost {

namespace {

constexpr const char* kUnsent = "SELECT id FROM outbox WHERE status <> 'sent'";

bool present(const std::filesystem::path& path) {
    std::error_code ignored;
    return std::filesystem::exists(path, ignored);
}

// The damaged copies the kiosk moved aside: "outbox.db.damaged-<time>", without their own
// -wal/-shm/-journal companions.
std::vector<std::filesystem::path> damagedCopies(const std::filesystem::path& dataDir) {
    std::vector<std::filesystem::path> copies;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dataDir, error)) {
        const std::string name = entry.path().filename().string();
        const auto endsWith = [&](const char* suffix) {
            const std::string s(suffix);
            return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
        };
        if (name.rfind("outbox.db.damaged-", 0) == 0 && !endsWith("-wal") && !endsWith("-shm") &&
            !endsWith("-journal")) {
            copies.push_back(entry.path());
        }
    }
    if (error) {
        throw FileError(dataDir, "cannot list", error.value());
    }
    return copies;
}

}  // namespace

UnsentCount countUnsentReferrals(const std::filesystem::path& dataDir) {
    UnsentCount count;
    const std::filesystem::path live = dataDir / "outbox.db";
    std::set<std::string> liveIds;
    if (present(live)) {
        Database db(live.string(), {.create = false});
        Statement all = db.prepare("SELECT id FROM outbox");
        while (all.step()) {
            liveIds.insert(all.columnText(0));
        }
        Statement unsent = db.prepare(kUnsent);
        while (unsent.step()) {
            ++count.live;
        }
    } else if (present(live.string() + "-wal")) {
        // A write-ahead log without its database holds committed referrals nobody can see here.
        throw FileError(live.string() + "-wal", "a write-ahead log without its outbox.db", ENOENT);
    }
    for (const auto& copy : damagedCopies(dataDir)) {
        Database db(copy.string(), {.readOnly = true});
        Statement unsent = db.prepare(kUnsent);
        while (unsent.step()) {
            if (liveIds.count(unsent.columnText(0)) == 0) {
                ++count.damagedCopies;
            }
        }
        ++count.copiesRead;
    }
    return count;
}

}  // namespace signpost
