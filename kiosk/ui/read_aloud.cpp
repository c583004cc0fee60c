#include "ui/read_aloud.h"

#include "core/common/utf8.h"
#include "speech/speech_engine.h"
#include "text/sentences.h"
#include "ui/text.h"

namespace signpost::ui {

namespace {

constexpr float kVolumes[ReadAloud::kVolumeLevels] = {0.4f, 0.7f, 1.0f};

// What a speech synthesiser should hear: no bidi isolates or other invisible controls.
std::string speakable(std::string_view text) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const char32_t cp = utf8::next(text, at);
        const bool control = (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x202A && cp <= 0x202E) ||
                             cp == 0x200E || cp == 0x200F;
        if (!control) {
            utf8::append(out, cp == U'\n' ? U' ' : cp);
        }
    }
    return out;
}

}  // namespace

void ReadAloud::setEngine(speech::SpeechEngine* engine) {
    stop();
    m_engine = engine;
    if (m_engine != nullptr) {
        m_engine->setVolume(kVolumes[m_volume - 1]);
    }
}

bool ReadAloud::available(std::string_view language) const {
    if (m_engine == nullptr || !m_engine->hasVoice(language)) {
        return false;
    }
    const auto status = m_engine->status();
    return status->ready && status->outputReady;
}

bool ReadAloud::reading() const {
    if (m_requested) {
        return true;
    }
    if (m_job == 0 || m_engine == nullptr) {
        return false;
    }
    const auto status = m_engine->status();
    return !(status->job == m_job && !status->speaking) && status->error.empty();
}

void ReadAloud::toggle() {
    if (m_touchStopped) {
        m_touchStopped = false;  // this very touch stopped the reading: that is all it does
        return;
    }
    if (reading()) {
        stop();
    } else if (m_engine != nullptr) {
        m_requested = true;
    }
}

void ReadAloud::stop() {
    m_requested = false;
    if (m_job != 0 && m_engine != nullptr) {
        m_engine->stop();
    }
    m_job = 0;
    m_sentences.clear();
    m_utterances.clear();
}

void ReadAloud::cycleVolume() {
    m_volume = m_volume % kVolumeLevels + 1;
    if (m_engine != nullptr) {
        m_engine->setVolume(kVolumes[m_volume - 1]);
    }
}

void ReadAloud::reset() {
    stop();
    m_touchStopped = false;
    m_volume = kDefaultVolume;
    if (m_engine != nullptr) {
        m_engine->setVolume(kVolumes[m_volume - 1]);
    }
}

std::vector<std::string>* ReadAloud::beginFrame(Text& text, bool touched, ImU32 fill, ImU32 ink) {
    if (touched) {
        m_touchStopped = reading();
        if (m_touchStopped) {
            stop();
        }
    }
    text.clearHighlight();
    if (m_job != 0 && m_engine != nullptr) {
        const auto status = m_engine->status();
        if (status->job == m_job && !status->speaking) {
            stop();  // read to the end
        } else if (status->job == m_job && status->utterance >= 0 &&
                   static_cast<std::size_t>(status->utterance) < m_sentences.size()) {
            const Sentence& s = m_sentences[static_cast<std::size_t>(status->utterance)];
            text.setHighlight(s.text, s.begin, s.end, fill, ink);
        }
    }
    m_collecting = m_requested;
    m_collected.clear();
    return m_collecting ? &m_collected : nullptr;
}

void ReadAloud::endFrame(std::string_view language) {
    if (!m_collecting) {
        return;
    }
    m_collecting = false;
    m_requested = false;
    m_sentences.clear();
    m_utterances.clear();
    for (std::size_t i = 0; i < m_collected.size(); ++i) {
        const std::string& t = m_collected[i];
        for (const auto& [begin, end] : text::sentenceRanges(t, language)) {
            std::string said = speakable(std::string_view(t).substr(begin, end - begin));
            if (said.empty() || (!m_utterances.empty() && m_utterances.back() == said)) {
                continue;
            }
            m_sentences.push_back({static_cast<int>(i), begin, end});
            m_utterances.push_back(std::move(said));
        }
    }
    m_job = m_engine != nullptr ? m_engine->speak(std::string(language), m_utterances) : 0;
    if (m_job == 0) {
        m_sentences.clear();
        m_utterances.clear();
    }
}

}  // namespace signpost::ui
