// Read-aloud's engine (kiosk/speech): every language that has an espeak-ng voice is synthesised
// to a buffer and must be real, non-silent speech of a plausible length; the languages without a
// voice say so (the UI hides the button); a reading moves through its sentences, stops at once
// when asked, follows the volume; and the real ALSA path plays into ALSA's "null" device (CI has
// no sound card).
#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

#include "speech/audio_sink.h"
#include "speech/speech_engine.h"
#include "support/process.h"
#include "support/real_time_sink.h"

using namespace signpost;
using namespace signpost::speech;
using namespace std::chrono_literals;
using signpost::test::RealTimeSink;

namespace {

double rms(const std::vector<std::int16_t>& samples) {
    double sum = 0;
    for (std::int16_t s : samples) {
        sum += static_cast<double>(s) * s;
    }
    return samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

double audibleShare(const std::vector<std::int16_t>& samples) {
    std::size_t loud = 0;
    for (std::int16_t s : samples) {
        loud += std::abs(s) > 300 ? 1 : 0;
    }
    return samples.empty() ? 0 : static_cast<double>(loud) / static_cast<double>(samples.size());
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

TEST_CASE("speech: voices are chosen by language, and some languages have none", "[speech]") {
    const std::vector<std::pair<std::string, int>> voices{
        {"en-gb", 2}, {"en", 2}, {"cmn", 5}, {"zh-cmn", 5},  {"zh", 5}, {"yue", 5}, {"zh", 8},
        {"ur", 5},    {"ku", 5}, {"fa", 5},  {"fa-latn", 5}, {"pa", 5}, {"bn", 5},  {"uk", 5}};
    CHECK(chooseVoice("en", voices) == "en-gb");
    CHECK(chooseVoice("zh-Hans", voices) == "cmn");
    CHECK(chooseVoice("zh-Hant", voices) == "yue");
    CHECK(chooseVoice("ur", voices) == "ur");
    CHECK(chooseVoice("fa", voices) == "fa");
    CHECK(chooseVoice("pa", voices) == "pa");
    CHECK(chooseVoice("uk-UA", voices) == "uk");  // by its primary language
    CHECK(chooseVoice("ckb", voices).empty());    // "ku" is Kurmanji, not Sorani
    CHECK(chooseVoice("so", voices).empty());
}

TEST_CASE("speech: every language with a voice is synthesised to real speech", "[speech]") {
    SpeechEngine engine({std::make_unique<NullSink>(), {}, {}});
    REQUIRE(engine.waitReady(30s));
    const std::pair<const char*, const char*> samples[] = {
        {"en", "Find local support near you. It is free."},
        {"pl", "Znajdź pomoc w okolicy. To nic nie kosztuje."},
        {"ur", "اپنے قریب مدد تلاش کریں۔ یہ مفت ہے۔"},
        {"ar", "ابحث عن المساعدة بالقرب منك. إنها مجانية."},
        {"bn", "কাছাকাছি সাহায্য খুঁজুন। এটি বিনামূল্যে।"},
        {"zh-Hans", "在附近寻找帮助。这是免费的。"},
        {"zh-Hant", "在附近尋找幫助。這是免費的。"},
        {"pa", "ਨੇੜੇ ਮਦਦ ਲੱਭੋ। ਇਹ ਮੁਫ਼ਤ ਹੈ।"},
        {"ro", "Găsiți ajutor în apropiere. Este gratuit."},
        {"fa", "در نزدیکی خود کمک پیدا کنید. رایگان است."},
        {"uk", "Знайдіть допомогу поруч. Це безкоштовно."},
    };
    for (const auto& [language, text] : samples) {
        INFO(language);
        REQUIRE(engine.hasVoice(language));
        const std::vector<std::int16_t> audio = engine.synthesise(language, text);
        const double seconds = static_cast<double>(audio.size()) / engine.sampleRate();
        CHECK(seconds > 1.0);   // two short sentences, spoken
        CHECK(seconds < 15.0);  // not stuck repeating or reading a file name
        CHECK(rms(audio) > 500);
        CHECK(audibleShare(audio) > 0.25);
    }
    for (const char* language : {"so", "ckb"}) {
        INFO(language);
        CHECK_FALSE(engine.hasVoice(language));
        CHECK(engine.synthesise(language, "Caawimo").empty());
        CHECK(engine.speak(language, {"Caawimo"}) == 0);
    }
}

TEST_CASE("speech: a reading moves sentence by sentence, stops at once, follows the volume",
          "[speech]") {
    SECTION("sentences in order, then idle") {
        auto sink = std::make_unique<BufferSink>();
        BufferSink& buffer = *sink;
        std::mutex mutex;
        std::vector<int> heard;
        SpeechEngine* self = nullptr;
        SpeechEngine engine({std::move(sink), {}, [&] {
                                 if (self == nullptr) {
                                     return;
                                 }
                                 std::lock_guard lock(mutex);
                                 const int u = self->status()->utterance;
                                 if (heard.empty() || heard.back() != u) {
                                     heard.push_back(u);
                                 }
                             }});
        self = &engine;
        REQUIRE(engine.waitReady(30s));
        const std::uint64_t job = engine.speak("en", {"One.", "Two.", "Three."});
        REQUIRE(job != 0);
        REQUIRE(waitFor([&] { return engine.status()->job == job && !engine.status()->speaking; },
                        30s));
        std::lock_guard lock(mutex);
        CHECK(std::find(heard.begin(), heard.end(), 2) != heard.end());
        CHECK(std::is_sorted(heard.begin(), std::find(heard.begin(), heard.end(), -1)));
        CHECK(buffer.samples().size() > static_cast<std::size_t>(engine.sampleRate() / 2));
        CHECK(engine.status()->firstSound != std::chrono::steady_clock::time_point{});
    }
    SECTION("stop silences it at once") {
        auto sink = std::make_unique<RealTimeSink>();
        RealTimeSink& realTime = *sink;
        SpeechEngine engine({std::move(sink), {}, {}});
        REQUIRE(engine.waitReady(30s));
        const std::uint64_t job = engine.speak(
            "en", {"This is a long sentence that takes several seconds to say out loud.",
                   "And another one that would follow it if nobody touched the screen."});
        REQUIRE(
            waitFor([&] { return engine.status()->job == job && engine.status()->speaking; }, 30s));
        const auto asked = std::chrono::steady_clock::now();
        engine.stop();
        REQUIRE(waitFor([&] { return !engine.status()->speaking; }, 10s));
        CHECK(std::chrono::steady_clock::now() - asked < 2s);  // not the seconds left to say
        CHECK(realTime.stops.load() >= 1);                     // the device queue was dropped
    }
    SECTION("volume scales the samples") {
        SpeechEngine engine({std::make_unique<NullSink>(), {}, {}});
        REQUIRE(engine.waitReady(30s));
        engine.setVolume(1.0f);
        const double loud = rms(engine.synthesise("en", "Volume"));
        engine.setVolume(0.25f);
        const double quiet = rms(engine.synthesise("en", "Volume"));
        CHECK(quiet == Approx(loud * 0.25).epsilon(0.05));
        engine.setVolume(7.0f);
        CHECK(engine.volume() == 1.0f);
    }
}

TEST_CASE("speech: ALSA playback through the null device, and a missing device is an error",
          "[speech]") {
    {
        SpeechEngine engine({makeAlsaSink("null"), {}, {}});
        REQUIRE(engine.waitReady(30s));
        const std::uint64_t job = engine.speak("pl", {"Dzień dobry."});
        REQUIRE(job != 0);
        REQUIRE(waitFor([&] { return engine.status()->job == job && !engine.status()->speaking; },
                        30s));
        CHECK(engine.status()->error.empty());
        CHECK(engine.status()->firstSound != std::chrono::steady_clock::time_point{});
    }
    SpeechEngine broken({makeAlsaSink("no-such-device"), {}, {}});
    REQUIRE(broken.waitReady(30s));
    const std::uint64_t job = broken.speak("en", {"Hello."});
    REQUIRE(waitFor([&] { return !broken.status()->error.empty(); }, 30s));
    CHECK(broken.status()->error.find("no-such-device") != std::string::npos);
    CHECK_FALSE(broken.status()->speaking);
    (void)job;
}
