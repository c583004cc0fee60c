// signpost-e2e-driver: walks a running signpost-kiosk through a script with real X input events.
//
//   signpost-e2e-driver --ui-map FILE --script FILE --screenshots DIR
//                       [--display :N] [--timeout-ms 20000] [--settle-ms 250]
//
// The kiosk must run with --ui-map FILE on the same display. The driver reads the map to find
// where each element is, sends XTest pointer events at its centre, and waits on the map (screen
// id, element rectangles, frame counter) rather than on the clock. Each step is logged on stdout;
// a failing step is named with its line and the screen the kiosk showed, a FAILED-<n>.png
// screenshot is taken, and the exit code is 1. Exit codes: 0 walked, 1 a step failed, 2 usage,
// 3 cannot start (no display, no XTEST, unreadable script).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "e2e/ui_map_reader.h"
#include "e2e/walk_script.h"
#include "e2e/x_input.h"

namespace {

using namespace signpost::e2e;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct DriverOptions {
    std::filesystem::path uiMap;
    std::filesystem::path script;
    std::filesystem::path screenshots;
    std::string display;
    milliseconds timeout{20000};
    milliseconds settle{250};
};

class StepFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

const char* usage() {
    return "Usage: signpost-e2e-driver --ui-map FILE --script FILE --screenshots DIR\n"
           "                           [--display :N] [--timeout-ms MS] [--settle-ms MS]\n";
}

std::optional<DriverOptions> parseArgs(int argc, char** argv) {
    DriverOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string name = argv[i];
        if (name == "--help") {
            std::fputs(usage(), stdout);
            std::exit(0);
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "signpost-e2e-driver: %s needs a value\n", name.c_str());
            return std::nullopt;
        }
        const std::string value = argv[++i];
        try {
            if (name == "--ui-map") {
                options.uiMap = value;
            } else if (name == "--script") {
                options.script = value;
            } else if (name == "--screenshots") {
                options.screenshots = value;
            } else if (name == "--display") {
                options.display = value;
            } else if (name == "--timeout-ms") {
                options.timeout = milliseconds(std::stoi(value));
            } else if (name == "--settle-ms") {
                options.settle = milliseconds(std::stoi(value));
            } else {
                std::fprintf(stderr, "signpost-e2e-driver: unknown option %s\n", name.c_str());
                return std::nullopt;
            }
        } catch (const std::exception&) {
            std::fprintf(stderr, "signpost-e2e-driver: %s expects a number\n", name.c_str());
            return std::nullopt;
        }
    }
    if (options.uiMap.empty() || options.script.empty() || options.screenshots.empty()) {
        std::fprintf(stderr,
                     "signpost-e2e-driver: --ui-map, --script and --screenshots are required\n");
        return std::nullopt;
    }
    return options;
}

class Driver {
public:
    Driver(const DriverOptions& options, XSession& x) : m_options(options), m_x(x) {}

    void run(const WalkStep& step) {
        switch (step.kind) {
            case WalkStep::Kind::WaitScreen:
                waitFor("screen '" + step.target + "'",
                        [&](const MapSnapshot& map) { return map.screen == step.target; });
                break;
            case WalkStep::Kind::ExpectScreen: {
                const MapSnapshot map = settled();
                if (map.screen != step.target) {
                    throw StepFailure("expected screen '" + step.target + "'");
                }
                break;
            }
            case WalkStep::Kind::WaitElement:
                pressableElement(step.target);
                break;
            case WalkStep::Kind::Press:
                press(step.target);
                break;
            case WalkStep::Kind::Hold:
                pressAt(pressableElement(step.target), milliseconds(std::stoi(step.text)));
                break;
            case WalkStep::Kind::PressFirst:
                pressFirst(step.target);
                break;
            case WalkStep::Kind::Type:
                type(step.target, step.text);
                break;
            case WalkStep::Kind::ScrollTo:
                scrollTo(step.target, step.text);
                break;
            case WalkStep::Kind::Screenshot:
                screenshot(step.target);
                break;
            case WalkStep::Kind::Sleep:
                std::this_thread::sleep_for(milliseconds(std::stoi(step.text)));
                break;
        }
    }

    // The newest map, or a failure that says the kiosk never wrote one.
    MapSnapshot current() {
        if (auto map = readUiMap(m_options.uiMap)) {
            m_last = map;
            return *map;
        }
        if (m_last) {
            return *m_last;  // mid-rename or a partial read: the previous one is still true
        }
        throw StepFailure("no UI map at " + m_options.uiMap.string() +
                          " (is the kiosk running with --ui-map?)");
    }

    std::string lastSummary() const {
        return m_last ? m_last->summary() : std::string("no UI map read yet");
    }

    void screenshot(const std::string& name) {
        settled();
        const auto file = m_options.screenshots / (name + ".png");
        m_x.screenshot(file);
        std::printf("    screenshot %s\n", file.string().c_str());
    }

    void failureScreenshot(std::size_t stepNumber) {
        try {
            char name[32];
            std::snprintf(name, sizeof name, "FAILED-%02zu.png", stepNumber);
            m_x.screenshot(m_options.screenshots / name);
            std::printf("    failure screenshot %s\n",
                        (m_options.screenshots / name).string().c_str());
        } catch (const std::exception& error) {
            std::printf("    (no failure screenshot: %s)\n", error.what());
        }
    }

    MapSnapshot waitFor(const std::string& what,
                        const std::function<bool(const MapSnapshot&)>& condition) {
        const auto deadline = Clock::now() + m_options.timeout;
        while (true) {
            std::optional<MapSnapshot> map = readUiMap(m_options.uiMap);
            if (map) {
                m_last = map;
                if (condition(*map)) {
                    return *map;
                }
            }
            if (Clock::now() >= deadline) {
                std::string detail;
                if (!map) {
                    detail = std::filesystem::exists(m_options.uiMap)
                                 ? " (the UI map file exists but cannot be read as a map now)"
                                 : " (there is no UI map file)";
                }
                throw StepFailure("timed out after " + std::to_string(m_options.timeout.count()) +
                                  " ms waiting for " + what + detail);
            }
            std::this_thread::sleep_for(milliseconds(10));
        }
    }

private:
    // Waits until the frame counter has not moved for the settle time: animations are over.
    MapSnapshot settled() {
        MapSnapshot map = waitFor("the UI map", [](const MapSnapshot&) { return true; });
        auto stableSince = Clock::now();
        const auto deadline = stableSince + m_options.timeout;
        while (Clock::now() - stableSince < m_options.settle) {
            if (Clock::now() >= deadline) {
                throw StepFailure("the kiosk never settled (it kept drawing for " +
                                  std::to_string(m_options.timeout.count()) + " ms)");
            }
            std::this_thread::sleep_for(milliseconds(10));
            MapSnapshot next = current();
            if (next.frame != map.frame || next.screen != map.screen) {
                map = next;
                stableSince = Clock::now();
            }
        }
        return map;
    }

    // Waits until the kiosk drew `count` frames after `frame` (or gives up quietly: a motion to
    // the point the pointer already is on produces no event and so no frame).
    void waitFrames(unsigned long long frame, unsigned long long count, milliseconds limit) {
        const auto deadline = Clock::now() + limit;
        while (Clock::now() < deadline) {
            if (current().frame >= frame + count) {
                return;
            }
            std::this_thread::sleep_for(milliseconds(3));
        }
    }

    static bool sameRect(const MapElement& a, const MapElement& b) {
        return a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height;
    }

    // The element once it is drawn, enabled, inside the window and has stopped moving (the
    // keyboard slides in; content scrolls to keep the focused field above it).
    MapElement pressableElement(const std::string& id) {
        std::optional<MapElement> previous;
        auto stableSince = Clock::now();
        MapSnapshot map = waitFor("element '" + id + "' to be pressable and still",
                                  [&](const MapSnapshot& snapshot) {
                                      const MapElement* element = snapshot.find(id);
                                      if (element == nullptr || !snapshot.pressable(*element)) {
                                          previous.reset();
                                          return false;
                                      }
                                      if (!previous || !sameRect(*previous, *element)) {
                                          previous = *element;
                                          stableSince = Clock::now();
                                          return false;
                                      }
                                      return Clock::now() - stableSince >= milliseconds(100);
                                  });
        return *map.find(id);
    }

    void pressAt(const MapElement& element, milliseconds hold = milliseconds(0)) {
        const MapSnapshot map = current();
        const int x = map.windowX + static_cast<int>(std::lround(element.x + element.width / 2));
        const int y = map.windowY + static_cast<int>(std::lround(element.y + element.height / 2));
        // Each event waits for the kiosk to draw what it did, so a press is never merged with the
        // next one inside a single frame (ImGui 1.86 polls the button state once per frame).
        auto frame = current().frame;
        m_x.movePointer(x, y);
        waitFrames(frame, 1, milliseconds(300));
        frame = current().frame;
        m_x.button(true);
        waitFrames(frame, 1, milliseconds(1000));
        std::this_thread::sleep_for(hold);
        frame = current().frame;
        m_x.button(false);
        waitFrames(frame, 2, milliseconds(1000));
        std::printf("    %s %s at (%d, %d)\n", hold.count() > 0 ? "held" : "pressed",
                    element.id.c_str(), x, y);
    }

    void press(const std::string& id) { pressAt(pressableElement(id)); }

    // Drags `area` up until `id` is in it, clear of its bottom edge (a clipped element is mapped
    // cut to the edge). Each drag ends with the finger held still, so the content stays put.
    void scrollTo(const std::string& id, const std::string& area) {
        for (int drag = 0; drag < 30; ++drag) {
            const MapSnapshot map = settled();
            const MapElement* view = map.find(area);
            if (view == nullptr) {
                throw StepFailure("no scrolling area '" + area + "' on screen '" + map.screen +
                                  "'");
            }
            const MapElement* element = map.find(id);
            if (element != nullptr && map.pressable(*element) && element->y >= view->y &&
                element->y + element->height < view->y + view->height - 1) {
                std::printf("    %s in view after %d drag(s)\n", id.c_str(), drag);
                return;
            }
            const int x = map.windowX + static_cast<int>(std::lround(view->x + view->width / 2));
            const int from =
                map.windowY + static_cast<int>(std::lround(view->y + view->height * 0.75));
            const int to =
                map.windowY + static_cast<int>(std::lround(view->y + view->height * 0.25));
            auto frame = current().frame;
            m_x.movePointer(x, from);
            waitFrames(frame, 1, milliseconds(300));
            frame = current().frame;
            m_x.button(true);
            waitFrames(frame, 1, milliseconds(1000));
            constexpr int kSteps = 12;
            for (int i = 1; i <= kSteps; ++i) {
                frame = current().frame;
                m_x.movePointer(x, from + (to - from) * i / kSteps);
                waitFrames(frame, 1, milliseconds(300));
            }
            std::this_thread::sleep_for(milliseconds(300));  // still: no fling on lifting
            frame = current().frame;
            m_x.button(false);
            waitFrames(frame, 2, milliseconds(1000));
            const MapSnapshot after = settled();
            const MapElement* moved = after.find(id);
            const bool same = (element == nullptr) == (moved == nullptr) &&
                              (element == nullptr || sameRect(*element, *moved));
            if (same && element != nullptr) {
                throw StepFailure("'" + area + "' does not scroll any further and '" + id +
                                  "' is still not wholly in it");
            }
        }
        throw StepFailure("'" + id + "' not in '" + area + "' after 30 drags");
    }

    void pressFirst(const std::string& prefix) {
        std::string chosen;
        waitFor("an element starting with '" + prefix + "'", [&](const MapSnapshot& map) {
            for (const MapElement* element : map.withPrefix(prefix)) {
                if (map.pressable(*element)) {
                    chosen = element->id;
                    return true;
                }
            }
            return false;
        });
        press(chosen);
    }

    // The character keys a map shows ("keyboard.key.a", ...): what tells one page of the keyboard
    // from another.
    static std::set<std::string> characterKeys(const MapSnapshot& map) {
        std::set<std::string> keys;
        for (const MapElement* element : map.withPrefix("keyboard.key.")) {
            keys.insert(element->id);
        }
        return keys;
    }

    // Presses a key that turns the keyboard to another page or alphabet and waits until a map
    // shows other character keys, then until the kiosk stops drawing. Waiting for stillness alone
    // is fooled on a loaded machine: a kiosk drawing slowly can look still before the new page
    // is drawn, and the next toggle then turns the keyboard the wrong way.
    void switchKeys(const std::string& id) {
        const std::set<std::string> before = characterKeys(settled());
        press(id);
        waitFor("the keyboard to show other keys after " + id, [&](const MapSnapshot& map) {
            const std::set<std::string> now = characterKeys(map);
            return !now.empty() && now != before;
        });
        settled();
    }

    // The key for one character: on the page shown, else on the symbols page or the second page
    // of letters, else the same on the other alphabet (keyboard.latin: Latin and the language's
    // own script); back to the letters page afterwards.
    void pressCharacter(const std::string& character, bool shifted) {
        const std::string keyId = "keyboard.key." + character;
        // Not in the newest map: maybe that map is older than the last page switch (a loaded
        // machine draws slowly), so look again once the kiosk has stopped drawing.
        auto here = [&] {
            return current().find(keyId) != nullptr || settled().find(keyId) != nullptr;
        };
        auto hit = [&] {
            if (shifted) {
                press("keyboard.shift");
            }
            press(keyId);
        };
        if (here()) {
            hit();
            return;
        }
        for (int alphabet = 0; alphabet < 2; ++alphabet) {
            if (alphabet == 1) {
                if (settled().find("keyboard.latin") == nullptr) {
                    break;
                }
                switchKeys("keyboard.latin");
                if (here()) {
                    hit();
                    return;
                }
            }
            for (const char* page : {"keyboard.symbols", "keyboard.accents"}) {
                if (settled().find(page) == nullptr) {
                    continue;
                }
                switchKeys(page);
                const bool found = here();
                if (found) {
                    hit();
                    settled();  // the page key's place is read from a frame drawn after the key
                }
                switchKeys(page);
                if (found) {
                    return;
                }
            }
        }
        throw StepFailure("no on-screen key types \"" + character + "\"");
    }

    void type(const std::string& field, const std::string& text) {
        press(field);
        // The keyboard slides in from the bottom: its top row (digits, present in every layout)
        // shows long before the rows below it. Its Done key, on the bottom row, standing still
        // means the whole keyboard is in place; then the kiosk has stopped drawing.
        pressableElement("keyboard.done");
        settled();
        // One UTF-8 character at a time (the keys are named by their character).
        for (std::size_t at = 0; at < text.size();) {
            const auto lead = static_cast<unsigned char>(text[at]);
            const std::size_t length = lead < 0x80        ? 1
                                       : lead >> 5 == 0x6 ? 2
                                       : lead >> 4 == 0xE ? 3
                                                          : 4;
            const std::string character = text.substr(at, length);
            at += length;
            if (length == 1 && (lead < 0x20 || lead == 0x7F)) {
                throw StepFailure("cannot type a control character with the on-screen keyboard");
            }
            if (character == " ") {
                press("keyboard.space");
            } else if (length == 1 && lead >= 'A' && lead <= 'Z') {
                pressCharacter(std::string(1, static_cast<char>(lead - 'A' + 'a')), true);
            } else {
                pressCharacter(character, false);
            }
        }
    }

    const DriverOptions& m_options;
    XSession& m_x;
    std::optional<MapSnapshot> m_last;
};

}  // namespace

int main(int argc, char** argv) {
    auto options = parseArgs(argc, argv);
    if (!options) {
        std::fputs(usage(), stderr);
        return 2;
    }
    std::vector<WalkStep> steps;
    std::optional<XSession> x;
    try {
        steps = loadWalkScript(options->script);
        std::filesystem::create_directories(options->screenshots);
        x.emplace(options->display);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signpost-e2e-driver: %s\n", error.what());
        return 3;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::printf("walking %s: %zu steps, screen %dx%d\n", options->script.filename().c_str(),
                steps.size(), x->screenWidth(), x->screenHeight());

    Driver driver(*options, *x);
    try {
        driver.waitFor("the kiosk's first UI map", [](const MapSnapshot&) { return true; });
    } catch (const StepFailure& error) {
        std::fprintf(stderr, "signpost-e2e-driver: %s at %s\n", error.what(),
                     options->uiMap.c_str());
        return 1;
    }
    const auto started = Clock::now();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const WalkStep& step = steps[i];
        std::printf("[%zu/%zu] line %d: %s\n", i + 1, steps.size(), step.line, step.source.c_str());
        try {
            driver.run(step);
        } catch (const std::exception& error) {
            std::printf("FAILED step %zu (%s line %d: \"%s\"): %s\n    kiosk showed %s\n", i + 1,
                        options->script.filename().c_str(), step.line, step.source.c_str(),
                        error.what(), driver.lastSummary().c_str());
            std::fprintf(stderr, "signpost-e2e-driver: step %zu (line %d: \"%s\") failed: %s\n",
                         i + 1, step.line, step.source.c_str(), error.what());
            driver.failureScreenshot(i + 1);
            return 1;
        }
    }
    const auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("walked %zu steps in %.1f s\n", steps.size(), seconds);
    return 0;
}
