// Signpost — how many referrals in a kiosk's data directory never reached the server.
//
// `apt purge signpost-kiosk` may delete /var/lib/signpost only when this is 0; otherwise the
// directory is moved aside for the coordinators (installer/packaging/kiosk/prerm, postrm). The
// package asks the kiosk binary itself (`signpost-kiosk --count-unsent`) in prerm, while the binary
// is still installed, so the answer comes from the code that wrote the outbox and not from a
// sqlite3 command line that a kiosk installed without Recommends does not have.
//
// Counted: rows of <dataDir>/outbox.db whose status is not 'sent' (queued ones, and rejected
// ones: the server refused them, so the outbox holds their only copy); and unsent rows of the
// damaged copies the kiosk moved aside (outbox.db.damaged-*) whose referral id the live outbox
// does not hold (a salvaged row is counted once, in the live outbox, while it is unsent).
// Opening the live outbox replays its write-ahead log, so referrals committed just before the
// app stopped count too; damaged copies are opened read-only and never changed.
//
// Thread-safety: a free function; it opens its own connections.
// Throws: StorageError or FileError when anything that may hold referrals cannot be read — an
// outbox that cannot be counted must never be reported as empty.
#pragma once

#include <cstdint>
#include <filesystem>

namespace signpost {

struct UnsentCount {
    std::int64_t live = 0;           // in outbox.db
    std::int64_t damagedCopies = 0;  // in outbox.db.damaged-*, not also in outbox.db
    int copiesRead = 0;              // how many damaged copies were read
    std::int64_t total() const noexcept { return live + damagedCopies; }
};

UnsentCount countUnsentReferrals(const std::filesystem::path& dataDir);

}  // namespace signpost
