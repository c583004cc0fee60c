// Signpost — the staff PIN: Argon2id hash in the config, lockout that survives a restart.
//
// Five wrong PINs lock staff mode for five minutes. The count and the lock end are kept in a
// small JSON state file in the data dir (mode 0600), written atomically on every change and read
// back at construction, so pulling the plug or restarting does not reset the count. Each attempt
// is counted (and saved) before the PIN is verified, so cutting the power mid-check cannot undo
// it. If the wall clock jumps backwards, a lock never lasts longer than its full length from now.
// A damaged state file locks staff mode once, for the full length, and is rewritten.
// PIN comparison is libsodium's crypto_pwhash_str_verify (Argon2id); no length or format check
// runs before it, so timing does not reveal anything about the stored PIN.
// Thread-safety: UI thread only. check() takes ~0.1 s (Argon2id, interactive limits).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/common/time_util.h"

namespace signpost {

struct PinCheck {
    // Ready: only from status(), not locked and a PIN is set: the pad may take a PIN.
    enum class Outcome { Accepted, Wrong, LockedOut, NoPinSet, Ready } outcome = Outcome::Wrong;
    int attemptsLeft = 0;                  // before the lock; 0 when locked
    std::chrono::seconds lockRemaining{0}; // > 0 only when LockedOut (whole seconds, rounded up)
};

class StaffAuth {
public:
    // `pinHash` from config staff.pin_hash ("" = none set). Reads `stateFile` if it exists (a
    // damaged or unreadable state file counts as locked for `lockDuration` from the system clock's
    // now, to be safe, and is rewritten; a failed rewrite is logged, not thrown). maxAttempts is at
    // least 1 and lockDuration at least 1 s. Does not throw for file problems.
    StaffAuth(std::string pinHash, std::filesystem::path stateFile, int maxAttempts = 5,
              std::chrono::seconds lockDuration = std::chrono::minutes(5));

    bool hasPin() const noexcept { return !m_pinHash.empty(); }
    // Verifies `pin`; a wrong PIN counts towards the lock, a right one clears the count. The
    // attempt that reaches maxAttempts returns LockedOut (lockRemaining = the full length).
    // While locked, returns LockedOut without checking; with no PIN set, NoPinSet (not counted).
    // Throws FileError if the state file cannot be written and the PIN was wrong (fail closed:
    // the attempt still counts in memory). A right PIN is Accepted even then (logged), so staff
    // can still reach the panel on a failing disk.
    PinCheck check(std::string_view pin, SystemTime now);
    // The current state without an attempt: LockedOut (with lockRemaining), else NoPinSet, else
    // Ready (with attemptsLeft). Never Accepted.
    PinCheck status(SystemTime now) const;

    // 4–8 ASCII digits, not all the same digit, not a straight run up or down (1234, 9876).
    static bool isAcceptableNewPin(std::string_view pin);
    // Argon2id hash string for the config (crypto_pwhash_str, interactive limits). Throws
    // std::invalid_argument if !isAcceptableNewPin(pin), std::runtime_error if libsodium fails
    // (out of memory).
    static std::string hashPin(std::string_view pin);
    // After a new PIN was saved (savePinHash). Leaves the attempt count and lock as they are.
    void setPinHash(std::string pinHash) { m_pinHash = std::move(pinHash); }

private:
    void persist() const;  // throws FileError
    void capLock(SystemTime now) const;
    std::string m_pinHash;
    std::filesystem::path m_stateFile;
    int m_maxAttempts;
    std::chrono::seconds m_lockDuration;
    int m_failures = 0;
    // Set while a lock was imposed and not yet cleared by a later attempt. Mutable because
    // status() caps it when the wall clock has jumped backwards.
    mutable std::optional<SystemTime> m_lockedUntil;
};

}  // namespace signpost
