#include "speech/speech_engine.h"

#include <espeak-ng/speak_lib.h>

#include "core/common/log.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace signpost::speech {

namespace {

constexpr int kBufferMs = 40;           // espeak-ng hands audio over in chunks this long
constexpr std::int16_t kAudible = 100;  // |sample| above this counts as sound, not silence

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

// One synthesis under way (espeak-ng's callback has no user pointer, so the worker sets this).
struct SpeechEngine::Run {
    SpeechEngine* engine = nullptr;
    std::uint64_t job = 0;
    std::vector<std::int16_t>* buffer = nullptr;  // synthesise(): collect, do not play
    bool failed = false;
    bool heard = false;

    int onSamples(const short* wav, int count) {
        if (buffer == nullptr && engine->m_current.load() != job) {
            return 1;  // stopped or replaced: abort the synthesis
        }
        if (wav == nullptr || count <= 0) {
            return 0;
        }
        const float volume = std::clamp(engine->m_volume.load(), 0.0f, 1.0f);
        std::vector<std::int16_t> scaled(wav, wav + count);
        bool audible = false;
        for (std::int16_t& sample : scaled) {
            sample = static_cast<std::int16_t>(static_cast<float>(sample) * volume);
            audible = audible || std::abs(sample) > kAudible;
        }
        if (buffer != nullptr) {
            buffer->insert(buffer->end(), scaled.begin(), scaled.end());
            return 0;
        }
        if (!engine->m_sink->write(scaled.data(), scaled.size())) {
            failed = true;
            return 1;
        }
        if (audible && !heard) {
            heard = true;
            const auto now = std::chrono::steady_clock::now();
            engine->publish([now](SpeechStatus& s) { s.firstSound = now; });
        }
        return 0;
    }
};

namespace {

thread_local SpeechEngine::Run* t_run = nullptr;

int synthCallback(short* wav, int count, espeak_EVENT*) {
    return t_run == nullptr ? 0 : t_run->onSamples(wav, count);
}

}  // namespace

std::string chooseVoice(std::string_view language,
                        const std::vector<std::pair<std::string, int>>& voiceLanguages) {
    const std::string tag = lower(language);
    std::string wanted = tag;
    if (tag == "zh-hant" || tag.rfind("zh-hant-", 0) == 0) {
        wanted = "yue";
    } else if (tag == "zh" || tag == "zh-hans" || tag.rfind("zh-hans-", 0) == 0) {
        wanted = "cmn";
    } else if (tag == "en") {
        wanted = "en-gb";
    }
    auto best = [&](const std::string& code) {
        std::string found;
        int priority = 1000;
        for (const auto& [voiceLanguage, voicePriority] : voiceLanguages) {
            if (lower(voiceLanguage) == code && voicePriority < priority) {
                found = voiceLanguage;
                priority = voicePriority;
            }
        }
        return found;
    };
    if (std::string voice = best(wanted); !voice.empty()) {
        return voice;
    }
    const std::string primary = wanted.substr(0, wanted.find('-'));
    return primary == wanted ? std::string() : best(primary);
}

SpeechEngine::SpeechEngine(SpeechOptions options) : m_options(std::move(options)) {
    m_sink = std::move(m_options.sink);
    if (!m_sink) {
        m_sink = std::make_unique<NullSink>();
    }
    m_thread = std::thread([this] { worker(); });
}

SpeechEngine::~SpeechEngine() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_current.store(0);
    }
    m_wake.notify_all();
    m_thread.join();
}

bool SpeechEngine::ready() const {
    std::lock_guard lock(m_mutex);
    return m_ready;
}

bool SpeechEngine::waitReady(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, timeout, [this] { return m_ready || !m_status->error.empty(); });
    return m_ready;
}

std::string SpeechEngine::voiceFor(std::string_view language) const {
    std::lock_guard lock(m_mutex);
    return m_ready ? chooseVoice(language, m_voiceLanguages) : std::string();
}

std::uint64_t SpeechEngine::speak(std::string language, std::vector<std::string> utterances) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(m_mutex);
        const std::string voice = m_ready ? chooseVoice(language, m_voiceLanguages) : std::string();
        if (voice.empty() || utterances.empty()) {
            return 0;
        }
        id = m_nextJob++;
        Job job;
        job.id = id;
        job.voice = voice;
        job.utterances = std::move(utterances);
        m_pending = std::move(job);
        m_current.store(id);
    }
    m_wake.notify_all();
    return id;
}

void SpeechEngine::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
        m_current.store(0);
    }
    m_wake.notify_all();
}

void SpeechEngine::setVolume(float volume) {
    m_volume.store(std::clamp(volume, 0.0f, 1.0f));
}

std::shared_ptr<const SpeechStatus> SpeechEngine::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SpeechEngine::publish(const std::function<void(SpeechStatus&)>& change) {
    {
        std::lock_guard lock(m_mutex);
        auto next = std::make_shared<SpeechStatus>(*m_status);
        change(*next);
        m_status = std::move(next);
    }
    m_wake.notify_all();
    if (m_options.onChange) {
        m_options.onChange();
    }
}

std::vector<std::int16_t> SpeechEngine::synthesise(std::string language, std::string text) {
    std::vector<std::int16_t> samples;
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_ready || !m_status->error.empty() || m_quit; });
    const std::string voice = m_ready ? chooseVoice(language, m_voiceLanguages) : std::string();
    if (voice.empty()) {
        return samples;
    }
    Job job;
    job.voice = voice;
    job.utterances = {std::move(text)};
    job.toBuffer = true;
    job.buffer = &samples;
    m_wake.wait(lock, [this] { return m_buffered == nullptr || m_quit; });
    m_buffered = &job;
    m_wake.notify_all();
    m_wake.wait(lock, [&] { return job.done || m_quit; });
    return samples;
}

void SpeechEngine::worker() {
    // espeak-ng is loaded once per process and never unloaded: its espeak_Terminate() deadlocks
    // after a second espeak_Initialize() (1.51), and engines come and go in tests. Only one
    // engine exists at a time, so its calls never run concurrently.
    static std::mutex loading;
    static int loadedRate = 0;
    int rate = 0;
    {
        std::lock_guard lock(loading);
        if (loadedRate == 0) {
            loadedRate =
                espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMs,
                                  m_options.dataPath.empty() ? nullptr : m_options.dataPath.c_str(),
                                  espeakINITIALIZE_DONT_EXIT);
        }
        rate = loadedRate;
    }
    if (rate <= 0) {
        logError("speech", "espeak-ng could not load its voices (espeak-ng-data): no read-aloud");
        publish([](SpeechStatus& s) { s.error = "espeak-ng could not load its voices"; });
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_quit; });
        return;
    }
    m_sampleRate.store(rate);
    espeak_SetSynthCallback(synthCallback);
    std::vector<std::pair<std::string, int>> languages;
    for (const espeak_VOICE* const* voice = espeak_ListVoices(nullptr);
         voice != nullptr && *voice != nullptr; ++voice) {
        // `languages` is a run of (priority byte, NUL-terminated name), ended by a 0 byte.
        for (const char* entry = (*voice)->languages; entry != nullptr && *entry != 0;) {
            const int priority = static_cast<unsigned char>(*entry);
            const std::string name(entry + 1);
            languages.emplace_back(name, priority);
            entry += 1 + name.size() + 1;
        }
    }
    {
        std::lock_guard lock(m_mutex);
        m_voiceLanguages = std::move(languages);
        m_ready = true;
    }
    publish([](SpeechStatus& s) { s.ready = true; });

    // The sound device: opened now (the button only shows with one), again later if it failed
    // (USB speakers plugged in after start-up).
    bool outputReady = false;
    std::string lastError;
    auto probe = [&] {
        outputReady = m_sink->open(rate);
        const std::string error = outputReady ? std::string() : m_sink->error();
        if (error == lastError && m_status->outputReady == outputReady) {
            return;  // nothing new: no status change, no wake-up of the UI (idle stays idle)
        }
        // Said once per change, not every 30 s: read-aloud is hidden until a device opens.
        if (error.empty()) {
            logInfo("speech", "sound device ready: read-aloud available");
        } else {
            logWarning("speech", error + "; read-aloud is hidden until a sound device works");
        }
        lastError = error;
        publish([&](SpeechStatus& s) {
            s.outputReady = outputReady;
            s.error = error;
        });
    };
    probe();
    while (true) {
        std::unique_lock lock(m_mutex);
        const auto work = [this] { return m_quit || m_pending || m_buffered != nullptr; };
        if (outputReady) {
            m_wake.wait(lock, work);
        } else if (!m_wake.wait_for(lock, std::chrono::seconds(30), work)) {
            lock.unlock();
            probe();
            continue;
        }
        if (m_quit) {
            break;
        }
        if (m_buffered != nullptr) {
            Job& job = *m_buffered;
            lock.unlock();
            Run run{this, 0, job.buffer};
            t_run = &run;
            espeak_SetVoiceByName(job.voice.c_str());
            const std::string& text = job.utterances.front();
            espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                         nullptr, nullptr);
            t_run = nullptr;
            lock.lock();
            job.done = true;
            m_buffered = nullptr;
            lock.unlock();
            m_wake.notify_all();
            continue;
        }
        Job job = std::move(*m_pending);
        m_pending.reset();
        lock.unlock();
        if (!play(job)) {
            outputReady = false;  // probed again in 30 s
        }
    }
    m_sink->close();
}

bool SpeechEngine::play(Job& job) {
    if (!m_sink->open(m_sampleRate.load())) {
        const std::string error = m_sink->error();
        publish([&](SpeechStatus& s) {
            s.error = error;
            s.outputReady = false;
            s.speaking = false;
            s.job = job.id;
            s.utterance = -1;
        });
        return false;
    }
    publish([&](SpeechStatus& s) {
        s.speaking = true;
        s.job = job.id;
        s.utterance = 0;
        s.error.clear();
        s.firstSound = {};
    });
    Run run{this, job.id, nullptr};
    for (std::size_t i = 0; i < job.utterances.size() && m_current.load() == job.id && !run.failed;
         ++i) {
        if (i > 0) {
            publish([&](SpeechStatus& s) { s.utterance = static_cast<int>(i); });
        }
        t_run = &run;
        espeak_SetVoiceByName(job.voice.c_str());
        const std::string& text = job.utterances[i];
        espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                     nullptr);
        t_run = nullptr;
    }
    if (m_current.load() == job.id && !run.failed) {
        m_sink->drain();  // the last sentence plays to its end
    } else {
        m_sink->stop();  // a touch: silence now
    }
    const std::string error = run.failed ? m_sink->error() : std::string();
    publish([&](SpeechStatus& s) {
        if (s.job == job.id) {
            s.speaking = false;
            s.utterance = -1;
        }
        if (!error.empty()) {
            s.error = error;
        }
    });
    return !run.failed;
}

}  // namespace signpost::speech
