#include "sync/engine/engine_options.h"

namespace signpost::sync {

SyncEngineOptions syncEngineOptions(const KioskConfig& config,
                                    const std::filesystem::path& dataDir) {
    SyncEngineOptions options;
    options.dataDir = dataDir;
    options.outboxFile = dataDir / "outbox.db";
    options.directoryFile = dataDir / "directory.db";
    options.timeZone = config.timeZone;
    options.venue = config.venueName;
    options.deviceName = "Signpost kiosk, " + config.venueName;
    options.http.caFile = config.syncCaFile;
    for (const std::string* pin : {&config.syncPin, &config.syncBackupPin}) {
        if (!pin->empty()) {
            options.http.pinnedPublicKeys.push_back(*pin);
        }
    }
    options.http.proxy = config.syncProxy;
    options.batchSize = static_cast<std::size_t>(config.syncBatchSize);
    options.backoff.cap = std::chrono::seconds(config.syncRetryMaxSeconds);
    options.directoryInterval = std::chrono::seconds(config.syncDirectoryIntervalSeconds);
    options.heartbeatInterval = std::chrono::seconds(config.syncHeartbeatIntervalSeconds);
    options.sentGrace = std::chrono::hours(config.syncSentGraceHours);
    return options;
}

}  // namespace signpost::sync
