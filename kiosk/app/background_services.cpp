#include "app/background_services.h"

#include <GLFW/glfw3.h>

#include <cstdlib>
#include <utility>

#include "speech/speech_engine.h"
#include "sync/engine/engine_options.h"
#include "sync/engine/sync_engine.h"
#include "ui/kiosk_app.h"

namespace signpost::app {

BackgroundServices::BackgroundServices(KioskRuntime& runtime, ui::KioskApp& app)
    : m_runtime(runtime), m_app(app) {}

BackgroundServices::~BackgroundServices() {
    if (m_speech) {
        m_app.setSpeechEngine(nullptr);
        m_speech.reset();
    }
    if (m_sync) {
        m_sync->stop();
        m_app.setSyncEngine(nullptr);
    }
}

void BackgroundServices::start() {
    if (m_sync) {
        return;
    }
    // The sync engine: its own thread and connections; it wakes the loop when its status changes.
    sync::SyncEngineOptions syncOptions =
        sync::syncEngineOptions(m_runtime.config, m_runtime.dataDir);
    syncOptions.onStatusChanged = [] { glfwPostEmptyEvent(); };
    auto engine = std::make_unique<sync::SyncEngine>(std::move(syncOptions));
    m_app.setSyncEngine(engine.get());
    engine->start();
    m_sync = std::move(engine);

    // Read-aloud: espeak-ng on its own thread, to ALSA's "default" device (speech/audio_sink.h
    // says why ALSA); SIGNPOST_AUDIO_DEVICE names another ALSA device ("plughw:1", "null").
    speech::SpeechOptions speechOptions;
    const char* audioDevice = std::getenv("SIGNPOST_AUDIO_DEVICE");
    speechOptions.sink =
        speech::makeAlsaSink(audioDevice != nullptr && *audioDevice != 0 ? audioDevice : "default");
    speechOptions.onChange = [this] {
        m_speechChanged.store(true);
        glfwPostEmptyEvent();
    };
    m_speech = std::make_unique<speech::SpeechEngine>(std::move(speechOptions));
    m_app.setSpeechEngine(m_speech.get());
    glfwPostEmptyEvent();  // the loop picks the engines up at once
}

}  // namespace signpost::app
