#include "speech/audio_sink.h"

#include <alsa/asoundlib.h>

namespace signpost::speech {

namespace {

// ALSA prints its own complaints to stderr; ours go through error() to the log instead.
void quietAlsa(const char*, int, const char*, int, const char*, ...) {}

class AlsaSink final : public AudioSink {
public:
    explicit AlsaSink(std::string device) : m_device(std::move(device)) {}
    ~AlsaSink() override { close(); }

    bool open(int sampleRate) override {
        if (m_pcm != nullptr && m_rate == sampleRate) {
            return true;
        }
        close();
        int result = snd_pcm_open(&m_pcm, m_device.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
        if (result < 0) {
            m_pcm = nullptr;
            m_error = "cannot open sound device \"" + m_device + "\": " + snd_strerror(result);
            return false;
        }
        // 100 ms of buffer: short enough that a touch silences it at once, long enough for a
        // busy 2-core machine not to underrun.
        result = snd_pcm_set_params(m_pcm, SND_PCM_FORMAT_S16, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                    static_cast<unsigned>(sampleRate), 1, 100000);
        if (result < 0) {
            m_error =
                "sound device \"" + m_device + "\" refused 16-bit mono: " + snd_strerror(result);
            close();
            return false;
        }
        m_rate = sampleRate;
        return true;
    }

    bool write(const std::int16_t* samples, std::size_t count) override {
        while (count > 0 && m_pcm != nullptr) {
            snd_pcm_sframes_t written = snd_pcm_writei(m_pcm, samples, count);
            if (written < 0) {
                written = snd_pcm_recover(m_pcm, static_cast<int>(written), 1);  // an underrun
                if (written < 0) {
                    m_error = std::string("sound device write: ") +
                              snd_strerror(static_cast<int>(written));
                    return false;
                }
                continue;
            }
            samples += written;
            count -= static_cast<std::size_t>(written);
        }
        return m_pcm != nullptr;
    }

    void drain() override {
        if (m_pcm != nullptr) {
            snd_pcm_drain(m_pcm);
            snd_pcm_prepare(m_pcm);
        }
    }

    void stop() override {
        if (m_pcm != nullptr) {
            snd_pcm_drop(m_pcm);
            snd_pcm_prepare(m_pcm);
        }
    }

    void close() override {
        if (m_pcm != nullptr) {
            snd_pcm_close(m_pcm);
            m_pcm = nullptr;
        }
        m_rate = 0;
    }

    std::string error() const override { return m_error; }

private:
    std::string m_device;
    snd_pcm_t* m_pcm = nullptr;
    int m_rate = 0;
    std::string m_error;
};

}  // namespace

std::unique_ptr<AudioSink> makeAlsaSink(std::string device) {
    snd_lib_error_set_handler(quietAlsa);
    return std::make_unique<AlsaSink>(std::move(device));
}

bool BufferSink::open(int sampleRate) {
    std::lock_guard lock(m_mutex);
    m_rate = sampleRate;
    return true;
}

bool BufferSink::write(const std::int16_t* samples, std::size_t count) {
    std::lock_guard lock(m_mutex);
    m_samples.insert(m_samples.end(), samples, samples + count);
    return true;
}

std::vector<std::int16_t> BufferSink::samples() const {
    std::lock_guard lock(m_mutex);
    return m_samples;
}

int BufferSink::sampleRate() const {
    std::lock_guard lock(m_mutex);
    return m_rate;
}

void BufferSink::clear() {
    std::lock_guard lock(m_mutex);
    m_samples.clear();
}

}  // namespace signpost::speech
