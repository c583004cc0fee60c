// Signpost UI — remote settings at sync (operations): after each sync round the engine reports
// as a success (SyncStatus::lastSuccessAt moved on) the poller fetches this device's settings on
// a thread of its own (sync/net/remote_settings_fetch.h). When they changed it rebuilds the
// config between frames — kiosk.toml re-read, remote-settings.json laid over it — and tells the
// caller, who applies it (KioskApp::settingsChanged). A kiosk.toml made invalid meanwhile keeps
// the running config (logged). The engine itself is not touched.
//
// Thread-safety: update() on the UI thread only; the fetch runs on the poller's thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/runtime/kiosk_runtime.h"

namespace signpost::sync {
struct SyncStatus;
}

namespace signpost::ui {

class RemoteSettingsPoller {
public:
    RemoteSettingsPoller() = default;
    ~RemoteSettingsPoller();  // joins a fetch in flight (bounded by the HTTP timeouts)
    RemoteSettingsPoller(const RemoteSettingsPoller&) = delete;
    RemoteSettingsPoller& operator=(const RemoteSettingsPoller&) = delete;

    // Once per frame with this frame's status (null without an engine). Returns true when
    // runtime.config was replaced with new remote settings applied.
    bool update(KioskRuntime& runtime, const sync::SyncStatus* status);
    bool fetching() const noexcept { return m_running.load(); }
    // Called on the poller's thread when a fetch brought new settings, so a frame loop that
    // sleeps until input can wake and apply them (the shell passes glfwPostEmptyEvent). Set it
    // before the first update(); it must be safe to call from any thread.
    void setWake(std::function<void()> wake) { m_wake = std::move(wake); }

private:
    std::string m_seenSuccess;
    std::thread m_thread;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_changed{false};
    std::function<void()> m_wake;
};

}  // namespace signpost::ui
