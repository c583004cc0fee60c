// Signpost test helpers — an audio sink that takes as long as a sound card would to play what it
// is given (and plays nothing), so a reading lasts long enough for a test to stop or touch it.
// Header-only: only the tests that link signpost_speech include it.
//
// Thread-safety: written by the speech thread; `stops` may be read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "speech/audio_sink.h"

namespace signpost::test {

class RealTimeSink final : public speech::AudioSink {
public:
    bool open(int rate) override {
        m_rate = rate;
        return true;
    }
    bool write(const std::int16_t*, std::size_t count) override {
        std::this_thread::sleep_for(
            std::chrono::microseconds(count * 1000000 / static_cast<std::size_t>(m_rate)));
        return true;
    }
    void drain() override {}
    void stop() override { ++stops; }
    void close() override {}
    std::string error() const override { return {}; }

    std::atomic<int> stops{0};  // how many times the device queue was dropped

private:
    int m_rate = 22050;
};

}  // namespace signpost::test
