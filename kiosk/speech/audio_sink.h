// Signpost speech — where synthesised speech goes: the venue machine's sound system through ALSA,
// or nowhere (CI), or a buffer (tests).
//
// Why ALSA and not PulseAudio/PipeWire: the kiosk runs as a system user in a bare X session
// started by systemd. A PulseAudio or PipeWire server runs per logged-in user session (it needs
// XDG_RUNTIME_DIR and a user bus), and a kiosk has none, so a Pulse client would find no server.
// ALSA's "default" device always exists: on a bare Debian it is the card itself (through dmix,
// so the device is shared), and where PipeWire's or Pulse's ALSA plugin is installed, "default"
// routes through them. The kiosk user needs the `audio` group (the systemd unit adds it).
//
// Samples are 16-bit signed mono at the rate open() is given. write() blocks while the device's
// buffer is full, which is what paces synthesis to playback.
//
// Thread-safety: one thread at a time (the speech worker).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace signpost::speech {

class AudioSink {
public:
    virtual ~AudioSink() = default;
    // Opens the output for mono 16-bit audio at `sampleRate`; false (and error()) if it cannot.
    virtual bool open(int sampleRate) = 0;
    // Plays `count` samples; blocks while the device is full. False on an unrecoverable error.
    virtual bool write(const std::int16_t* samples, std::size_t count) = 0;
    // Waits until everything written has been heard.
    virtual void drain() = 0;
    // Drops what is still queued at once (a touch stopped the reading).
    virtual void stop() = 0;
    virtual void close() = 0;
    // Why open() or write() failed.
    virtual std::string error() const = 0;
};

// ALSA PCM playback on `device` ("default", "null", "hw:0"...). Latency ~100 ms.
std::unique_ptr<AudioSink> makeAlsaSink(std::string device = "default");

// Accepts everything at once and plays nothing (CI has no sound card).
class NullSink final : public AudioSink {
public:
    bool open(int) override { return true; }
    bool write(const std::int16_t*, std::size_t) override { return true; }
    void drain() override {}
    void stop() override {}
    void close() override {}
    std::string error() const override { return {}; }
};

// Keeps every sample written (tests listen to what was said). Thread-safe reads.
class BufferSink final : public AudioSink {
public:
    bool open(int sampleRate) override;
    bool write(const std::int16_t* samples, std::size_t count) override;
    void drain() override {}
    void stop() override { ++m_stops; }
    void close() override {}
    std::string error() const override { return {}; }

    std::vector<std::int16_t> samples() const;
    int sampleRate() const;
    int stops() const { return m_stops; }
    void clear();

private:
    mutable std::mutex m_mutex;
    std::vector<std::int16_t> m_samples;
    int m_rate = 0;
    std::atomic<int> m_stops{0};
};

}  // namespace signpost::speech
