#include "ui/remote_settings_poller.h"

#include "core/common/log.h"
#include "core/operations/remote_settings.h"
#include "sync/engine/device_identity.h"
#include "sync/engine/engine_options.h"
#include "sync/engine/sync_engine.h"
#include "sync/engine/sync_status.h"
#include "sync/net/remote_settings_fetch.h"

namespace signpost::ui {

RemoteSettingsPoller::~RemoteSettingsPoller() {
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

bool RemoteSettingsPoller::update(KioskRuntime& runtime, const sync::SyncStatus* status) {
    if (m_changed.exchange(false)) {
        try {
            KioskConfig fresh = loadKioskConfig(runtime.configFile);
            std::vector<StaffNote> notes;
            layRemoteSettings(fresh, runtime.dataDir, notes);
            fresh.sourceFile = runtime.config.sourceFile;
            if (fresh.pinHash != runtime.config.pinHash && runtime.staff) {
                // The coordinators set (or cleared) this kiosk's PIN: a legitimate new PIN, with a
                // fresh lock state (a way to end a long lock-out from the server).
                try {
                    runtime.staff->adoptNewPin(fresh.pinHash);
                } catch (const std::exception& error) {
                    logError("staff",
                             std::string("new PIN from the coordinators: lock state not saved: ") +
                                 error.what());
                }
                logInfo("staff", "staff PIN changed by the coordinators' remote settings");
            }
            runtime.config = std::move(fresh);
            for (StaffNote& note : notes) {
                runtime.notes.push_back(std::move(note));
            }
            logInfo("config", "remote settings applied");
            return true;
        } catch (const std::exception& error) {
            logError("config",
                     std::string("remote settings not applied: kiosk.toml: ") + error.what());
        }
    }
    if (status == nullptr || !status->enrolled || status->lastSuccessAt.empty() ||
        status->lastSuccessAt == m_seenSuccess || m_running.load()) {
        return false;
    }
    m_seenSuccess = status->lastSuccessAt;
    if (m_thread.joinable()) {
        m_thread.join();
    }
    m_running = true;
    const sync::SyncEngineOptions options =
        sync::syncEngineOptions(runtime.config, runtime.dataDir);
    m_thread = std::thread([this, http = options.http, dataDir = runtime.dataDir] {
        try {
            if (auto identity = sync::loadDeviceIdentity(dataDir)) {
                HttpClient client(http);
                auto fetched = sync::fetchRemoteSettings(client, identity->enrollment.serverUrl,
                                                         identity->token, dataDir);
                if (!fetched) {
                    logWarning("config", "remote settings not fetched: " + fetched.error().code);
                } else if (fetched.value() == sync::RemoteSettingsFetch::Updated) {
                    logInfo("config", "new remote settings received");
                    m_changed = true;
                    if (m_wake) {
                        m_wake();
                    }
                }
            }
        } catch (const std::exception& error) {
            logWarning("config", std::string("remote settings not fetched: ") + error.what());
        }
        m_running = false;
    });
    return false;
}

}  // namespace signpost::ui
