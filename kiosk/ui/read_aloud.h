// Signpost UI — "Read aloud": a screen's own words, in the order they are drawn, handed to the
// speech engine (kiosk/speech) one sentence at a time in the screen's language; the sentence being
// heard is highlighted; any touch stops it; the volume is the top bar's.
//
// The press of the top bar's button asks for a reading; the next frame collects the texts the
// screen draws (ui/text.h: beginReadable) and starts it. Each later frame reads the engine's
// status snapshot and highlights that sentence (by its text's position in the drawing order,
// which stays put because any touch — the only thing that could change the screen — stops the
// reading). A new screen, a new visit or the idle question stop it too.
//
// Thread-safety: UI thread only (the engine itself is thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

namespace signpost::speech {
class SpeechEngine;
}

namespace signpost::ui {

class Text;

class ReadAloud {
public:
    static constexpr int kVolumeLevels = 3;
    static constexpr int kDefaultVolume = 2;

    // Null (the default): no read-aloud at all. The engine must outlive its use here.
    void setEngine(speech::SpeechEngine* engine);
    // The button shows: an engine that is ready, a voice for `language`, and a sound device.
    bool available(std::string_view language) const;
    // A reading asked for or under way.
    bool reading() const;

    // The top bar's button: a reading of this screen, or the end of one.
    void toggle();
    void stop();
    int volumeLevel() const noexcept { return m_volume; }  // 1..kVolumeLevels
    void cycleVolume();
    // A new visit: silence, and the volume back to its default.
    void reset();

    // Before the screen is drawn. `touched`: a finger went down this frame (it stops a reading,
    // and that touch then starts nothing). Sets the text module's highlight. Returns where the
    // screen's texts must be collected this frame (a reading starts), or null.
    std::vector<std::string>* beginFrame(Text& text, bool touched, ImU32 fill, ImU32 ink);
    // After the screen is drawn: starts reading what was collected, in `language`.
    void endFrame(std::string_view language);

    // The sentences of the reading in progress (tests).
    const std::vector<std::string>& utterances() const noexcept { return m_utterances; }

private:
    struct Sentence {
        int text = 0;  // which readable text of the frame
        std::size_t begin = 0;
        std::size_t end = 0;
    };
    speech::SpeechEngine* m_engine = nullptr;
    bool m_requested = false;
    bool m_collecting = false;
    bool m_touchStopped = false;
    std::vector<std::string> m_collected;
    std::vector<Sentence> m_sentences;
    std::vector<std::string> m_utterances;
    std::uint64_t m_job = 0;
    int m_volume = kDefaultVolume;
};

}  // namespace signpost::ui
