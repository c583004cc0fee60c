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

constexpr int kStateFormat = 1;

struct LockState {
    int failures = 0;
    std::optional<SystemTime> lockedUntil;
};

// nullopt for anything that is not exactly what persist() writes: a damaged file must not be
// half-trusted.
std::optional<LockState> parseState(const std::string& text, int maxAttempts) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    const auto format = json.find("format");
    const auto failures = json.find("failures");
    const auto lockedUntil = json.find("locked_until");
    if (format == json.end() || !format->is_number_integer() || *format != kStateFormat ||
        failures == json.end() || !failures->is_number_integer() || lockedUntil == json.end()) {
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
    return state;
}

}  // namespace

StaffAuth::StaffAuth(std::string pinHash, std::filesystem::path stateFile, int maxAttempts,
                     std::chrono::seconds lockDuration)
    : m_pinHash(std::move(pinHash)),
      m_stateFile(std::move(stateFile)),
      m_maxAttempts(std::max(1, maxAttempts)),
      m_lockDuration(std::max(lockDuration, std::chrono::seconds(1))) {
    std::error_code error;
    const bool exists = std::filesystem::exists(m_stateFile, error);
    if (!exists && !error) {
        return;  // first start, or never a wrong PIN
    }
    std::optional<LockState> state;
    if (exists) {
        try {
            state = parseState(readFile(m_stateFile), m_maxAttempts);
        } catch (const FileError&) {
            state.reset();
        }
    }
    if (state) {
        m_failures = state->failures;
        m_lockedUntil = state->lockedUntil;
        return;
    }
    // Someone may have damaged the file to clear the count: lock once, to be safe.
    m_failures = m_maxAttempts;
    m_lockedUntil = std::chrono::system_clock::now() + m_lockDuration;
    logWarning("staff", "lock state file unreadable or damaged; staff mode locked for " +
                            std::to_string(m_lockDuration.count()) + " s");
    try {
        persist();
    } catch (const FileError& writeError) {
        logWarning("staff", std::string("cannot rewrite lock state: ") + writeError.what());
    }
}

void StaffAuth::capLock(SystemTime now) const {
    if (m_lockedUntil && *m_lockedUntil - now > m_lockDuration) {
        m_lockedUntil = now + m_lockDuration;  // the clock went backwards
    }
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
    result.attemptsLeft = m_maxAttempts - failures;
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
    const bool lastAttempt = m_failures >= m_maxAttempts;
    if (lastAttempt) {
        m_lockedUntil = now + m_lockDuration;
    }
    std::optional<FileError> saveError;
    try {
        persist();
    } catch (const FileError& error) {
        saveError = error;
    }

    const bool accepted = crypto_pwhash_str_verify(m_pinHash.c_str(), pin.data(),
                                                   static_cast<unsigned long long>(pin.size())) == 0;
    if (accepted) {
        m_failures = 0;
        m_lockedUntil.reset();
        try {
            persist();
        } catch (const FileError& error) {
            logWarning("staff", std::string("PIN accepted but lock state not saved: ") + error.what());
        }
        return PinCheck{PinCheck::Outcome::Accepted, m_maxAttempts, std::chrono::seconds(0)};
    }
    logInfo("staff", "wrong PIN (" + std::to_string(m_failures) + " of " +
                         std::to_string(m_maxAttempts) + ")");
    if (saveError) {
        throw *saveError;
    }
    if (lastAttempt) {
        return PinCheck{PinCheck::Outcome::LockedOut, 0, m_lockDuration};
    }
    return PinCheck{PinCheck::Outcome::Wrong, m_maxAttempts - m_failures, std::chrono::seconds(0)};
}

void StaffAuth::persist() const {
    nlohmann::json json;
    json["format"] = kStateFormat;
    json["failures"] = m_failures;
    json["locked_until"] =
        m_lockedUntil ? nlohmann::json(formatIsoUtcMillis(*m_lockedUntil)) : nlohmann::json(nullptr);
    writeFileAtomically(m_stateFile, json.dump() + "\n", 0600);
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
