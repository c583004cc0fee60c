// Signpost — the staff PIN: Argon2id hash in the config, a lockout that escalates and survives
// restarts.
//
// No PIN, no staff mode (issue 9): a kiosk ships without one, and the touchscreen never offers
// to set one. The PIN is set by the installer (setup-kiosk.sh), `signpost-kiosk --set-pin`, from
// the server as a hash in the device's remote settings, or from the staff panel by staff who
// already entered the current PIN. Each of those writes a fresh lock state (writeFreshState).
//
// Lockout: five wrong PINs lock staff mode for 5 minutes; each further lock doubles, 10, 20, 40
// minutes ... up to 24 hours, until the right PIN is entered. The count, the number of locks and
// the lock end live in a small JSON state file in the data dir (mode 0600), written atomically on
// every change and read back at construction, so pulling the plug or restarting resets nothing.
// Each attempt is counted (and saved) before the PIN is verified, so cutting the power mid-check
// cannot undo it. If the wall clock jumps backwards, a lock never lasts longer than its full
// length from now.
//
// The state file carries a keyed BLAKE2b checksum over its fields and a fingerprint of the PIN it
// belongs to. With a PIN set, a state file that is missing, unreadable or edited (a checksum that
// does not match) counts as LOCKED for the longest lock, not as reset, and is rewritten as such:
// deleting or editing it is no way around a lockout (--set-pin, which needs the machine's admin,
// is). A state written for another PIN (the PIN was changed outside the app) keeps its locks and
// their count. The one exception to "missing is locked" is the first start after an upgrade from
// a version without lock states (missingIsFresh), which the runtime decides.
// What it does not stop: someone who can run as the kiosk's user can rewrite the PIN itself.
//
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
    // NoPinSet: staff mode is not set up on this kiosk (nothing can be entered).
    enum class Outcome { Accepted, Wrong, LockedOut, NoPinSet, Ready } outcome = Outcome::Wrong;
    int attemptsLeft = 0;                   // before the lock; 0 when locked
    std::chrono::seconds lockRemaining{0};  // > 0 only when LockedOut (whole seconds, rounded up)
};

struct StaffLockOptions {
    int maxAttempts = 5;                                       // wrong PINs before a lock (>= 1)
    std::chrono::seconds firstLock{std::chrono::minutes(5)};   // the first lock (>= 1 s)
    std::chrono::seconds longestLock{std::chrono::hours(24)};  // the cap (>= firstLock)
    bool missingIsFresh = false;  // a missing state file is a fresh start (first start after an
                                  // upgrade from a version without lock states); otherwise locked
};

class StaffAuth {
public:
    // `pinHash` from config staff.pin_hash ("" = none set). Reads `stateFile` (see above: with a
    // PIN, a missing, unreadable or edited one counts as locked for the longest lock and is
    // rewritten; a failed rewrite is logged, not thrown). Does not throw for file problems.
    StaffAuth(std::string pinHash, std::filesystem::path stateFile, StaffLockOptions options = {});

    bool hasPin() const noexcept { return !m_pinHash.empty(); }
    // Verifies `pin`; a wrong PIN counts towards the lock, a right one clears the count and the
    // escalation. The attempt that reaches maxAttempts returns LockedOut (lockRemaining = that
    // lock's full length). While locked, returns LockedOut without checking; with no PIN set,
    // NoPinSet (not counted). Throws FileError if the state file cannot be written and the PIN was
    // wrong (fail closed: the attempt still counts in memory). A right PIN is Accepted even then
    // (logged), so staff can still reach the panel on a failing disk.
    PinCheck check(std::string_view pin, SystemTime now);
    // The current state without an attempt: LockedOut (with lockRemaining), else NoPinSet, else
    // Ready (with attemptsLeft). Never Accepted.
    PinCheck status(SystemTime now) const;
    // How many locks were imposed since the right PIN was last entered (0 = none).
    int lockouts() const noexcept { return m_lockouts; }
    // When the current lock ends; nullopt when not locked at `now`.
    std::optional<SystemTime> lockedUntil(SystemTime now) const;
    // The length of the n-th lock in a row (n >= 1): firstLock doubled n - 1 times, capped.
    std::chrono::seconds lockLength(int n) const;

    // 4–8 ASCII digits, not all the same digit, not a straight run up or down (1234, 9876).
    static bool isAcceptableNewPin(std::string_view pin);
    // Argon2id hash string for the config (crypto_pwhash_str, interactive limits). Throws
    // std::invalid_argument if !isAcceptableNewPin(pin), std::runtime_error if libsodium fails
    // (out of memory).
    static std::string hashPin(std::string_view pin);
    // True for something crypto_pwhash_str could have written with Argon2id ("$argon2id$...").
    static bool looksLikePinHash(std::string_view hash);
    // An unlocked state with no wrong attempts, bound to `pinHash`, written atomically to
    // `stateFile` (mode 0600): the step every legitimate way of setting a PIN ends with. Throws
    // FileError.
    static void writeFreshState(const std::filesystem::path& stateFile, const std::string& pinHash);

    // A new PIN was set by a legitimate path (the staff panel after the PIN was entered, the
    // coordinators' remote settings): uses it from now on and starts a fresh state for it.
    // Throws FileError when the state cannot be written (the new PIN is used anyway).
    void adoptNewPin(std::string pinHash);

private:
    void persist() const;  // throws FileError
    void capLock(SystemTime now) const;
    void lockForLongest(const char* why);
    std::string m_pinHash;
    std::filesystem::path m_stateFile;
    StaffLockOptions m_options;
    int m_failures = 0;
    int m_lockouts = 0;
    // Set while a lock was imposed and not yet cleared by a later attempt. Mutable because
    // status() caps it when the wall clock has jumped backwards.
    mutable std::optional<SystemTime> m_lockedUntil;
    // The length of the lock in m_lockedUntil (for the backwards-clock cap).
    std::chrono::seconds m_currentLock{0};
};

}  // namespace signpost
