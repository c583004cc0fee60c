#include "sync/server/backup_status.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/common/atomic_file.h"

namespace signpost::server {

namespace {

using nlohmann::json;

json toJson(const BackupStatus::Outcome& outcome, SystemTime when, bool success) {
    json entry = {{"unix", outcome.unixTime}, {"time", formatIsoUtc(when)}, {"file", outcome.file}};
    if (success) {
        entry["bytes"] = outcome.bytes;
    } else {
        entry["error"] = outcome.error;
    }
    return entry;
}

std::optional<BackupStatus::Outcome> outcomeFrom(const json& document, const char* key) {
    if (!document.contains(key) || document.at(key).is_null()) {
        return std::nullopt;
    }
    const json& entry = document.at(key);
    BackupStatus::Outcome outcome;
    outcome.unixTime = entry.at("unix").get<std::int64_t>();
    outcome.file = entry.value("file", std::string());
    outcome.bytes = entry.value("bytes", std::uintmax_t{0});
    outcome.error = entry.value("error", std::string());
    return outcome;
}

// The file as JSON, keeping whatever it held; an unreadable or foreign file starts afresh.
json loadForUpdate(const std::filesystem::path& statusFile) {
    std::error_code ignored;
    if (!std::filesystem::exists(statusFile, ignored)) {
        return json::object();
    }
    try {
        json document = json::parse(readFile(statusFile));
        if (document.is_object()) {
            return document;
        }
    } catch (const std::exception&) {
        // Replaced below: a damaged status file must not stop backups from being recorded.
    }
    return json::object();
}

void record(const std::filesystem::path& statusFile, SystemTime when,
            const BackupStatus::Outcome& outcome, bool success) {
    json document = loadForUpdate(statusFile);
    const char* key = success ? "last_success" : "last_failure";
    const char* total = success ? "successes" : "failures";
    document[key] = toJson(outcome, when, success);
    std::uint64_t count = 0;
    if (document.contains(total) && document[total].is_number_unsigned()) {
        count = document[total].get<std::uint64_t>();
    }
    document[total] = count + 1;
    document["last_attempt"] = success ? "success" : "failure";
    writeFileAtomically(statusFile, document.dump(2) + "\n", 0600);
}

}  // namespace

std::filesystem::path backupStatusFile(const std::filesystem::path& database) {
    return database.parent_path() / "backup-status.json";
}

BackupStatus readBackupStatus(const std::filesystem::path& statusFile) {
    BackupStatus status;
    std::error_code missing;
    if (!std::filesystem::exists(statusFile, missing)) {
        return status;
    }
    const std::string text = readFile(statusFile);
    try {
        const json document = json::parse(text);
        status.lastSuccess = outcomeFrom(document, "last_success");
        status.lastFailure = outcomeFrom(document, "last_failure");
        status.successes = document.value("successes", std::uint64_t{0});
        status.failures = document.value("failures", std::uint64_t{0});
        status.lastAttemptSucceeded = document.value("last_attempt", std::string()) == "success";
    } catch (const json::exception& error) {
        throw std::runtime_error(statusFile.string() +
                                 " is not a backup status file: " + error.what());
    }
    return status;
}

void recordBackupSuccess(const std::filesystem::path& statusFile, SystemTime when,
                         const std::filesystem::path& backupFile, std::uintmax_t bytes) {
    BackupStatus::Outcome outcome;
    outcome.unixTime = unixSeconds(when);
    outcome.file = backupFile.string();
    outcome.bytes = bytes;
    record(statusFile, when, outcome, true);
}

void recordBackupFailure(const std::filesystem::path& statusFile, SystemTime when,
                         const std::filesystem::path& backupFile, const std::string& error) {
    BackupStatus::Outcome outcome;
    outcome.unixTime = unixSeconds(when);
    outcome.file = backupFile.string();
    outcome.error = error;
    record(statusFile, when, outcome, false);
}

}  // namespace signpost::server
