// Signpost speech — read-aloud: espeak-ng synthesis and playback on a worker thread.
//
// The UI hands over what a screen says, in reading order, one sentence per utterance, and reads a
// status snapshot each frame (which utterance is being heard, to highlight it). Nothing here
// touches ImGui; the worker never waits for the UI. espeak-ng is a process-wide singleton that is
// not thread-safe, so every call into it happens on the engine's worker, and only one engine may
// exist at a time. espeak-ng stays loaded until the process ends.
//
//   SpeechEngine speech({makeAlsaSink(), {}, [] { glfwPostEmptyEvent(); }});
//   if (speech.hasVoice("ur")) speech.speak("ur", {"پہلا جملہ۔", "دوسرا جملہ۔"});
//   ... any touch: speech.stop();
//
// Voices: the espeak-ng voice whose language matches the BCP 47 tag (its full tag, then its
// primary language), with two choices made here: Simplified Chinese is read in Mandarin ("cmn"),
// Traditional Chinese in Cantonese ("yue": most of Manchester's Traditional Chinese readers are
// from Hong Kong). Somali and Kurdish Sorani have no espeak-ng voice (its "ku" is Kurmanji, in
// Latin script), so they get none: the UI hides read-aloud there.
//
// Start-up: espeak-ng loads its data on the worker (tens of ms), so the kiosk's first frame does
// not wait; ready() and hasVoice() are false until then, and onChange is called when it is done.
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "speech/audio_sink.h"

namespace signpost::speech {

struct SpeechStatus {
    bool ready = false;        // espeak-ng is loaded and the voices are known
    bool outputReady = false;  // the sound device opened (tried again every 30 s while not)
    bool speaking = false;     // a reading is under way
    std::uint64_t job = 0;     // the reading this is about (speak()'s return value)
    int utterance = -1;        // which of its utterances is being heard now; -1 = none
    std::string error;         // the last failure ("" = none): no sound device, no voice...
    std::chrono::steady_clock::time_point firstSound{};  // the job's first audible samples
                                                         // were handed to the device (0 = not yet)
};

struct SpeechOptions {
    std::unique_ptr<AudioSink> sink;  // where audio goes; null = NullSink
    std::string dataPath;             // espeak-ng-data directory; "" = the system's
    std::function<void()> onChange;   // called (from the worker) when the status changes
};

class SpeechEngine {
public:
    explicit SpeechEngine(SpeechOptions options);
    ~SpeechEngine();  // stops reading and joins the worker
    SpeechEngine(const SpeechEngine&) = delete;
    SpeechEngine& operator=(const SpeechEngine&) = delete;

    bool ready() const;
    // Blocks until ready (or `timeout`); false if it did not become ready (espeak-ng failed).
    bool waitReady(std::chrono::milliseconds timeout) const;
    // The espeak-ng voice for `language` ("" = none, or not ready yet).
    std::string voiceFor(std::string_view language) const;
    bool hasVoice(std::string_view language) const { return !voiceFor(language).empty(); }

    // Reads `utterances` in order in `language`, stopping whatever was being read. Returns the
    // job id the status will carry; 0 if there is no voice for the language (nothing happens).
    std::uint64_t speak(std::string language, std::vector<std::string> utterances);
    // Stops at once (the sound device's queue is dropped). Nothing if idle.
    void stop();
    // 0 (silent) .. 1 (full); default 0.7. Applies to the next samples written.
    void setVolume(float volume);
    float volume() const { return m_volume.load(); }

    std::shared_ptr<const SpeechStatus> status() const;

    // Synthesises `text` to samples without playing them (tests); blocks. Empty if no voice.
    std::vector<std::int16_t> synthesise(std::string language, std::string text);
    int sampleRate() const { return m_sampleRate.load(); }

    // Used by the synthesis callback (C API, no user pointer): not for callers.
    struct Run;

private:
    struct Job {
        std::uint64_t id = 0;
        std::string voice;
        std::vector<std::string> utterances;
        bool toBuffer = false;
        std::vector<std::int16_t>* buffer = nullptr;
        bool done = false;
    };
    void worker();
    bool play(Job& job);  // false: the sound device failed
    void publish(const std::function<void(SpeechStatus&)>& change);

    SpeechOptions m_options;
    std::unique_ptr<AudioSink> m_sink;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    std::optional<Job> m_pending;
    Job* m_buffered = nullptr;  // a synthesise() request waiting for the worker
    bool m_quit = false;
    std::atomic<std::uint64_t> m_current{0};  // the job being read; stop() bumps it
    std::uint64_t m_nextJob = 1;
    std::atomic<float> m_volume{0.7f};
    std::atomic<int> m_sampleRate{0};
    std::vector<std::pair<std::string, int>> m_voiceLanguages;  // (language, priority); set once
    bool m_ready = false;
    std::shared_ptr<const SpeechStatus> m_status = std::make_shared<SpeechStatus>();
    std::thread m_thread;
};

// The voice for `language` among espeak-ng's (language, priority) pairs, by the rules above.
std::string chooseVoice(std::string_view language,
                        const std::vector<std::pair<std::string, int>>& voiceLanguages);

}  // namespace signpost::speech
