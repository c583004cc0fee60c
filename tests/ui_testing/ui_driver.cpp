#include "ui_testing/ui_driver.h"

#include <imgui.h>

#include <cmath>

#include "core/common/time_util.h"
#include "core/common/utf8.h"

#include <unicode/uchar.h>

namespace signpost::ui::testing {

UiDriver::UiDriver(KioskRuntime& runtime, float width, float height)
    : m_width(width),
      m_height(height),
      m_now(std::chrono::steady_clock::now()),
      m_wall(*parseIsoUtc("2026-11-23T11:00:00Z")) {
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    m_app = std::make_unique<KioskApp>(runtime);
    m_app->buildFonts(io);
    frame();
    settle();
}

UiDriver::~UiDriver() {
    m_app.reset();
    ImGui::DestroyContext(m_context);
}

std::optional<UiElement> UiDriver::findFirst(std::string_view prefix) const {
    for (const UiElement& element : map().elements()) {
        if (element.id.compare(0, prefix.size(), prefix) == 0) {
            return element;
        }
    }
    return std::nullopt;
}

void UiDriver::resize(float width, float height) {
    m_width = width;
    m_height = height;
    frame();
    settle();
}

void UiDriver::frame(double seconds) {
    ImGuiIO& io = ImGui::GetIO();
    // The shell's job: rebuild the atlas when the text size (or display) changed.
    if (m_app->fontAtlasStale()) {
        m_app->buildFonts(io);
    }
    const auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds));
    m_now += step;
    m_wall += std::chrono::duration_cast<std::chrono::system_clock::duration>(step);
    io.DisplaySize = ImVec2(m_width, m_height);
    io.DeltaTime = static_cast<float>(seconds > 0 ? seconds : 1.0 / 60);
    io.MousePos = ImVec2(m_pointer.x, m_pointer.y);
    io.MouseDown[0] = m_down;
    ImGui::NewFrame();
    FrameInput input;
    input.now = m_now;
    input.wallNow = m_wall;
    input.displayWidth = m_width;
    input.displayHeight = m_height;
    input.hadInput = m_inputSinceFrame;
    m_inputSinceFrame = false;
    m_app->drawFrame(input);
    ImGui::Render();
}

void UiDriver::settle(int maxFrames) {
    for (int i = 0; i < maxFrames; ++i) {
        frame();
        if (!m_app->isAnimating()) {
            frame();  // one more, as the shell draws after input
            return;
        }
    }
}

void UiDriver::wait(double seconds, double step) {
    double left = seconds;
    while (left > 1e-9) {
        const double now = std::min(step, left);
        frame(now);
        left -= now;
    }
}

void UiDriver::setPointer(Point point, bool down) {
    m_pointer = point;
    m_down = down;
    m_inputSinceFrame = true;
}

void UiDriver::release() {
    setPointer(m_pointer, false);
    frame();
}

void UiDriver::tapAt(Point point) {
    setPointer(point, false);
    frame();
    setPointer(point, true);
    frame();
    setPointer(point, false);
    frame();
    settle();
}

bool UiDriver::press(std::string_view id) {
    const std::optional<UiElement> element = find(id);
    if (!element || !element->enabled) {
        return false;
    }
    tapAt({element->x + element->width * 0.5f, element->y + element->height * 0.5f});
    return true;
}

bool UiDriver::pressFirst(std::string_view prefix) {
    const std::optional<UiElement> element = findFirst(prefix);
    return element && press(element->id);
}

bool UiDriver::hold(std::string_view id, double seconds) {
    const std::optional<UiElement> element = find(id);
    if (!element) {
        return false;
    }
    const Point centre{element->x + element->width * 0.5f, element->y + element->height * 0.5f};
    setPointer(centre, false);
    frame();
    setPointer(centre, true);
    frame();
    wait(seconds, 0.1);
    setPointer(centre, false);
    frame();
    settle();
    return true;
}

void UiDriver::drag(Point from, Point to, double seconds, int steps, bool lift) {
    setPointer(from, false);
    frame();
    setPointer(from, true);
    frame();
    const double dt = seconds / steps;
    for (int i = 1; i <= steps; ++i) {
        const float t = static_cast<float>(i) / static_cast<float>(steps);
        setPointer({from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t}, true);
        frame(dt);
    }
    if (lift) {
        setPointer(to, false);
        frame(dt);
    }
}

bool UiDriver::scrollIntoView(std::string_view id, std::string_view area, int maxDrags) {
    // A clipped element is mapped cut to the view's edge, so "wholly" means clear of both edges.
    auto wholly = [&]() {
        const std::optional<UiElement> element = find(id);
        const std::optional<UiElement> view = find(area);
        return element && view && element->y > view->y + 0.5f &&
               element->y + element->height < view->y + view->height - 0.5f;
    };
    for (int direction = 0; direction < 2; ++direction) {
        for (int i = 0; i < maxDrags && !wholly(); ++i) {
            const std::optional<UiElement> view = find(area);
            if (!view) {
                return false;
            }
            const float before = m_app->scrollOffset(area);
            const float x = view->x + view->width * 0.5f;
            const float top = view->y + view->height * 0.75f;
            const float bottom = view->y + view->height * 0.25f;
            // Drag, then hold still before lifting: no fling, the content stays where it was left.
            if (direction == 0) {
                drag({x, top}, {x, bottom}, 0.5, 15, false);
            } else {
                drag({x, bottom}, {x, top}, 0.5, 15, false);
            }
            wait(0.2, 1.0 / 60);
            release();
            settle();
            if (m_app->scrollOffset(area) == before) {
                break;
            }
        }
    }
    return wholly();
}

bool UiDriver::pressKeyFor(char32_t cp) {
    if (cp == U' ') {
        return press("keyboard.space");
    }
    // A key shows its unshifted character; capitals need shift first.
    auto lookup = [&]() -> std::optional<std::pair<std::string, bool>> {
        for (const UiElement& element : map().elements()) {
            constexpr std::string_view prefix = "keyboard.key.";
            if (element.id.compare(0, prefix.size(), prefix) != 0) {
                continue;
            }
            const std::string_view character = std::string_view(element.id).substr(prefix.size());
            std::size_t at = 0;
            if (character.empty()) {
                continue;
            }
            const char32_t key = utf8::next(character, at);
            if (at != character.size()) {
                continue;  // ".co.uk", ".com"
            }
            if (key == cp) {
                return std::make_pair(element.id, false);
            }
            if (key != U'ß' && static_cast<char32_t>(u_toupper(static_cast<UChar32>(key))) == cp) {
                return std::make_pair(element.id, true);
            }
        }
        return std::nullopt;
    };
    auto pressFound = [&](const std::pair<std::string, bool>& found) {
        if (found.second && !press("keyboard.shift")) {
            return false;
        }
        return press(found.first);
    };
    if (auto found = lookup()) {
        return pressFound(*found);
    }
    // The other pages of this alphabet, then the same on the other alphabet (Latin ↔ the
    // language's script), coming back to the letters page each time.
    for (int alphabet = 0; alphabet < 2; ++alphabet) {
        if (alphabet == 1 && !press("keyboard.latin")) {
            break;
        }
        if (alphabet == 1) {
            if (auto found = lookup()) {
                return pressFound(*found);
            }
        }
        for (const char* page : {"keyboard.symbols", "keyboard.accents"}) {
            if (!press(page)) {
                continue;
            }
            if (auto found = lookup()) {
                const bool pressed = pressFound(*found);
                press(page);  // back to the letters for the next character
                return pressed;
            }
            press(page);  // back to the letters
        }
    }
    press("keyboard.latin");  // back to the alphabet it started on
    return false;
}

bool UiDriver::typeKeys(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        if (!pressKeyFor(utf8::next(text, at))) {
            return false;
        }
    }
    return true;
}

bool UiDriver::typeText(std::string_view fieldId, std::string_view text) {
    if (!press(fieldId)) {
        return false;
    }
    if (!typeKeys(text)) {
        return false;
    }
    return press("keyboard.done");
}

void UiDriver::typePhysical(std::string_view text) {
    ImGuiIO& io = ImGui::GetIO();
    const std::string copy(text);
    io.AddInputCharactersUTF8(copy.c_str());
    m_inputSinceFrame = true;
    frame();
    settle();
}

}  // namespace signpost::ui::testing
