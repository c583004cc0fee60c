#include "core/staff/staff_auth.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/common/atomic_file.h"
#include "core/common/ids.h"
#include "core/common/log.h"

namespace signpost {

namespace {

constexpr int kStateFormat = 2;  // 1: before issue 9 (no escalation, no checksum; still read once)

struct LockState {
    int failures = 0;
    int lockouts = 0;
    std::optional<SystemTime> lockedUntil;
    std::chrono::seconds lockSeconds{0};
    std::string pin;  // fingerprint of the PIN hash it belongs to
};

std::string hex(const unsigned char* bytes, std::size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 15]);
    }
    return out;
}

// 16 hex digits naming a PIN hash without revealing anything useful about it.
std::string pinFingerprint(const std::string& pinHash) {
    ensureSodium();
    unsigned char out[8];
    static const unsigned char key[] = "signpost staff pin fingerprint";
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(pinHash.data()),
                       pinHash.size(), key, sizeof key - 1);
    return hex(out, sizeof out);
}

std::string stampOrNull(const std::optional<SystemTime>& at) {
    return at ? formatIsoUtcMillis(*at) : std::string("null");
}

// The checksum over every field: a hand edit (failures back to 0, the lock end removed) no
// longer matches, and the file then counts as locked.
std::string checksum(const LockState& state) {
    ensureSodium();
    const std::string text = std::to_string(kStateFormat) + "|" + state.pin + "|" +
                             std::to_string(state.failures) + "|" + std::to_string(state.lockouts) +
                             "|" + stampOrNull(state.lockedUntil) + "|" +
                             std::to_string(state.lockSeconds.count());
    static const unsigned char key[] = "signpost staff lock state v2";
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), key, sizeof key - 1);
    return hex(out, sizeof out);
}

std::string stateJson(const LockState& state) {
    nlohmann::json json;
    json["format"] = kStateFormat;
    json["pin"] = state.pin;
    json["failures"] = state.failures;
    json["lockouts"] = state.lockouts;
    json["locked_until"] = state.lockedUntil
                               ? nlohmann::json(formatIsoUtcMillis(*state.lockedUntil))
                               : nlohmann::json(nullptr);
    json["lock_seconds"] = state.lockSeconds.count();
    json["check"] = checksum(state);
    return json.dump() + "\n";
}

// nullopt for anything that is not exactly what stateJson() (or, once, the version 1 format)
// wrote: a damaged or edited file must not be half-trusted.
std::optional<LockState> parseState(const std::string& text, int maxAttempts) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    const auto format = json.find("format");
    const auto failures = json.find("failures");
    const auto lockedUntil = json.find("locked_until");
    if (format == json.end() || !format->is_number_integer() || failures == json.end() ||
        !failures->is_number_integer() || lockedUntil == json.end()) {
        return std::nullopt;
    }
    LockState state;
    const auto count = failures->get<long long>();
    if (count < 0 || count > maxAttempts) {
        return std::nullopt;
    }
    state.failures = static_cast<int>(count);
    if (lockedUntil->is_string()) {
        state.lockedUntil = parseIsoUtc(lockedUntil->get<std::string>());
        if (!state.lockedUntil) {
            return std::nullopt;
        }
    } else if (!lockedUntil->is_null()) {
        return std::nullopt;
    }
    if (*format == 1 && json.size() == 3) {
        state.lockouts = state.lockedUntil ? 1 : 0;
        return state;  // written before issue 9: taken once, rewritten as version 2
    }
    if (*format != kStateFormat) {
        return std::nullopt;
    }
    const auto lockouts = json.find("lockouts");
    const auto seconds = json.find("lock_seconds");
    const auto pin = json.find("pin");
    const auto check = json.find("check");
    if (lockouts == json.end() || !lockouts->is_number_integer() || seconds == json.end() ||
        !seconds->is_number_integer() || pin == json.end() || !pin->is_string() ||
        check == json.end() || !check->is_string() || json.size() != 7) {
        return std::nullopt;
    }
    state.lockouts = lockouts->get<int>();
    state.lockSeconds = std::chrono::seconds(seconds->get<long long>());
    state.pin = pin->get<std::string>();
    if (state.lockouts < 0 || state.lockouts > 1000 || state.lockSeconds.count() < 0 ||
        check->get<std::string>() != checksum(state)) {
        return std::nullopt;
    }
    return state;
}

}  // namespace

StaffAuth::StaffAuth(std::string pinHash, std::filesystem::path stateFile, StaffLockOptions options)
    : m_pinHash(std::move(pinHash)), m_stateFile(std::move(stateFile)), m_options(options) {
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    m_options.firstLock = std::max(m_options.firstLock, std::chrono::seconds(1));
    m_options.longestLock = std::max(m_options.longestLock, m_options.firstLock);
    std::error_code error;
    const bool exists = std::filesystem::exists(m_stateFile, error);
    if (!exists && !error) {
        if (!hasPin()) {
            return;  // no staff mode, nothing to lock
        }
        if (m_options.missingIsFresh) {
            try {
                persist();
            } catch (const FileError& writeError) {
                logWarning("staff", std::string("cannot write lock state: ") + writeError.what());
            }
            return;
        }
        lockForLongest("missing");
        return;
    }
    std::optional<LockState> state;
    if (exists) {
        try {
            state = parseState(readFile(m_stateFile), m_options.maxAttempts);
        } catch (const FileError&) {
            state.reset();
        }
    }
    if (!state) {
        if (hasPin()) {
            lockForLongest("unreadable or edited");
        }
        return;
    }
    m_failures = state->failures;
    m_lockouts = state->lockouts;
    m_lockedUntil = state->lockedUntil;
    m_currentLock =
        state->lockSeconds.count() > 0 ? state->lockSeconds : lockLength(std::max(1, m_lockouts));
    if (hasPin() && state->pin != pinFingerprint(m_pinHash)) {
        // Written for another PIN (version 1 files name none): bound to this one, locks kept.
        try {
            persist();
        } catch (const FileError& writeError) {
            logWarning("staff", std::string("cannot rewrite lock state: ") + writeError.what());
        }
    }
}

void StaffAuth::lockForLongest(const char* why) {
    m_failures = m_options.maxAttempts;
    m_currentLock = m_options.longestLock;
    m_lockouts = 1;
    while (lockLength(m_lockouts) < m_options.longestLock && m_lockouts < 1000) {
        ++m_lockouts;
    }
    m_lockedUntil = std::chrono::system_clock::now() + m_currentLock;
    logWarning("staff", std::string("lock state file ") + why + "; staff mode locked for " +
                            std::to_string(m_currentLock.count()) + " s");
    try {
        persist();
    } catch (const FileError& writeError) {
        logWarning("staff", std::string("cannot rewrite lock state: ") + writeError.what());
    }
}

std::chrono::seconds StaffAuth::lockLength(int n) const {
    std::chrono::seconds length = m_options.firstLock;
    for (int i = 1; i < n && length < m_options.longestLock; ++i) {
        length *= 2;
    }
    return std::min(length, m_options.longestLock);
}

void StaffAuth::capLock(SystemTime now) const {
    if (m_lockedUntil && *m_lockedUntil - now > m_currentLock) {
        m_lockedUntil = now + m_currentLock;  // the clock went backwards
    }
}

std::optional<SystemTime> StaffAuth::lockedUntil(SystemTime now) const {
    capLock(now);
    if (m_lockedUntil && now < *m_lockedUntil) {
        return m_lockedUntil;
    }
    return std::nullopt;
}

PinCheck StaffAuth::status(SystemTime now) const {
    capLock(now);
    PinCheck result;
    if (m_lockedUntil && now < *m_lockedUntil) {
        result.outcome = PinCheck::Outcome::LockedOut;
        result.attemptsLeft = 0;
        result.lockRemaining = std::chrono::ceil<std::chrono::seconds>(*m_lockedUntil - now);
        return result;
    }
    // A served lock starts a fresh count.
    const int failures = m_lockedUntil ? 0 : m_failures;
    result.outcome = hasPin() ? PinCheck::Outcome::Ready : PinCheck::Outcome::NoPinSet;
    result.attemptsLeft = m_options.maxAttempts - failures;
    return result;
}

PinCheck StaffAuth::check(std::string_view pin, SystemTime now) {
    const PinCheck current = status(now);
    if (current.outcome != PinCheck::Outcome::Ready) {
        return current;  // LockedOut or NoPinSet: nothing to verify, nothing counted
    }
    if (m_lockedUntil) {
        m_lockedUntil.reset();
        m_failures = 0;
    }
    ensureSodium();

    // Count the attempt first, and lock if it is the last one, so that killing the power while
    // Argon2id runs leaves the attempt counted.
    ++m_failures;
    const bool lastAttempt = m_failures >= m_options.maxAttempts;
    if (lastAttempt) {
        ++m_lockouts;
        m_currentLock = lockLength(m_lockouts);
        m_lockedUntil = now + m_currentLock;
    }
    std::optional<FileError> saveError;
    try {
        persist();
    } catch (const FileError& error) {
        saveError = error;
    }

    const bool accepted =
        crypto_pwhash_str_verify(m_pinHash.c_str(), pin.data(),
                                 static_cast<unsigned long long>(pin.size())) == 0;
    if (accepted) {
        m_failures = 0;
        m_lockouts = 0;
        m_lockedUntil.reset();
        try {
            persist();
        } catch (const FileError& error) {
            logWarning("staff",
                       std::string("PIN accepted but lock state not saved: ") + error.what());
        }
        return PinCheck{PinCheck::Outcome::Accepted, m_options.maxAttempts,
                        std::chrono::seconds(0)};
    }
    logInfo("staff",
            "wrong PIN (" + std::to_string(m_failures) + " of " +
                std::to_string(m_options.maxAttempts) + ")" +
                (lastAttempt ? "; staff mode locked for " + std::to_string(m_currentLock.count()) +
                                   " s (lock " + std::to_string(m_lockouts) + " in a row)"
                             : ""));
    if (saveError) {
        throw *saveError;
    }
    if (lastAttempt) {
        return PinCheck{PinCheck::Outcome::LockedOut, 0, m_currentLock};
    }
    return PinCheck{PinCheck::Outcome::Wrong, m_options.maxAttempts - m_failures,
                    std::chrono::seconds(0)};
}

void StaffAuth::persist() const {
    LockState state;
    state.failures = m_failures;
    state.lockouts = m_lockouts;
    state.lockedUntil = m_lockedUntil;
    state.lockSeconds = m_lockedUntil ? m_currentLock : std::chrono::seconds(0);
    state.pin = hasPin() ? pinFingerprint(m_pinHash) : "";
    writeFileAtomically(m_stateFile, stateJson(state), 0600);
}

void StaffAuth::writeFreshState(const std::filesystem::path& stateFile,
                                const std::string& pinHash) {
    LockState state;
    state.pin = pinHash.empty() ? "" : pinFingerprint(pinHash);
    writeFileAtomically(stateFile, stateJson(state), 0600);
}

void StaffAuth::adoptNewPin(std::string pinHash) {
    m_pinHash = std::move(pinHash);
    m_failures = 0;
    m_lockouts = 0;
    m_lockedUntil.reset();
    persist();
}

bool StaffAuth::looksLikePinHash(std::string_view hash) {
    return hash.starts_with("$argon2id$v=19$m=") && hash.size() < crypto_pwhash_STRBYTES &&
           hash.find_first_of(" \t\r\n\"\\") == std::string_view::npos;
}

bool StaffAuth::isAcceptableNewPin(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8) {
        return false;
    }
    if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    bool allSame = true;
    bool runUp = true;
    bool runDown = true;
    for (std::size_t i = 1; i < pin.size(); ++i) {
        const int step = pin[i] - pin[i - 1];
        allSame = allSame && step == 0;
        runUp = runUp && step == 1;
        runDown = runDown && step == -1;
    }
    return !allSame && !runUp && !runDown;
}

std::string StaffAuth::hashPin(std::string_view pin) {
    if (!isAcceptableNewPin(pin)) {
        throw std::invalid_argument("PIN must be 4 to 8 digits, not all the same and not a run");
    }
    ensureSodium();
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin.data(), static_cast<unsigned long long>(pin.size()),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("cannot hash the PIN (out of memory)");
    }
    return std::string(hash);
}

}  // namespace signpost
