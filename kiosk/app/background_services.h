// Signpost — the kiosk's background workers: the sync engine and read-aloud (espeak-ng + ALSA),
// started only once the first frame is on screen.
//
// Why after the first frame: both start threads that do real work at once (the sync engine opens
// its databases and initialises libcurl and OpenSSL; read-aloud loads espeak-ng's phoneme data
// and probes the sound device, which loads ALSA's plugins). On the kiosk's 2 cores that work
// competed with the first frame and made the start slower (issue 10's cold-start target), and
// nothing on the first screen waits for either: the sync line says "not synced yet" and the Read
// aloud button stays hidden until the engines report, a frame or so later.
//
// start(): creates both engines and hands them to the app and the frame loop (wakes the loop
// with glfwPostEmptyEvent when their status changes); idempotent. The destructor detaches them
// from the app and stops them (before GLFW terminates: declare this after the GLFW session).
//
// Thread-safety: the main thread only.
#pragma once

#include <atomic>
#include <memory>

#include "core/runtime/kiosk_runtime.h"

namespace signpost::sync {
class SyncEngine;
}
namespace signpost::speech {
class SpeechEngine;
}
namespace signpost::ui {
class KioskApp;
}

namespace signpost::app {

class BackgroundServices {
public:
    BackgroundServices(KioskRuntime& runtime, ui::KioskApp& app);
    ~BackgroundServices();
    BackgroundServices(const BackgroundServices&) = delete;
    BackgroundServices& operator=(const BackgroundServices&) = delete;

    // Starts both engines (once). Throws what the sync engine's options throw (a bad config).
    void start();
    bool started() const noexcept { return m_sync != nullptr; }
    // Null until start().
    sync::SyncEngine* syncEngine() const noexcept { return m_sync.get(); }
    // Set by the speech engine's thread when its status changed (it also wakes the loop).
    std::atomic<bool>& speechChanged() noexcept { return m_speechChanged; }

private:
    KioskRuntime& m_runtime;
    ui::KioskApp& m_app;
    std::atomic<bool> m_speechChanged{false};
    std::unique_ptr<sync::SyncEngine> m_sync;
    std::unique_ptr<speech::SpeechEngine> m_speech;
};

}  // namespace signpost::app
