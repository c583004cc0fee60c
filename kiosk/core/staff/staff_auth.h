// Signpost — the staff PIN: Argon2id hash in the config, lockout that survives a restart.
//
// Five wrong PINs lock staff mode for five minutes. The count and the lock end are kept in a
// small state file in the data dir, written atomically on every change, so pulling the plug does
// not reset the count. If the wall clock jumps backwards, a lock never lasts longer than its
// full length from now.
// Thread-safety: UI thread only. check() takes ~0.1 s (Argon2id, interactive limits).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/common/time_util.h"

namespace signpost {

struct PinCheck {
    enum class Outcome { Accepted, Wrong, LockedOut, NoPinSet } outcome = Outcome::Wrong;
    int attemptsLeft = 0;                  // before the lock; 0 when locked
    std::chrono::seconds lockRemaining{0}; // > 0 only when LockedOut
};

class StaffAuth {
public:
    // `pinHash` from config staff.pin_hash ("" = none set). Reads `stateFile` if it exists (a
    // damaged state file counts as locked, to be safe, and is rewritten).
    StaffAuth(std::string pinHash, std::filesystem::path stateFile, int maxAttempts = 5,
              std::chrono::seconds lockDuration = std::chrono::minutes(5));

    bool hasPin() const noexcept { return !m_pinHash.empty(); }
    // Verifies `pin`; a wrong PIN counts towards the lock, a right one clears the count.
    // While locked, returns LockedOut without checking. Throws FileError if the state file
    // cannot be written (fail closed: the attempt still counts in memory).
    PinCheck check(std::string_view pin, SystemTime now);
    // The current lock state without an attempt.
    PinCheck status(SystemTime now) const;

    // 4–8 digits, not all the same digit, not a straight run (1234, 9876).
    static bool isAcceptableNewPin(std::string_view pin);
    // Argon2id hash string for the config (crypto_pwhash_str, interactive limits). Throws.
    static std::string hashPin(std::string_view pin);
    void setPinHash(std::string pinHash) { m_pinHash = std::move(pinHash); }

private:
    void persist() const;
    std::string m_pinHash;
    std::filesystem::path m_stateFile;
    int m_maxAttempts;
    std::chrono::seconds m_lockDuration;
    int m_failures = 0;
    SystemTime m_lockedUntil{};
};

}  // namespace signpost
