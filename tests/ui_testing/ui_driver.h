// Signpost UI testing — drive a KioskApp headless, as a finger would: a real ImGui context with a
// built font atlas and no renderer (FACTS: ImGui 1.86 headless testing), a fake clock, and the
// UiMap to find things by id.
//
//   UiDriver ui(runtime);                 // 1920×1080, first frame drawn
//   REQUIRE(ui.press("home.need.food"));  // tap the centre of the element
//   REQUIRE(ui.typeText("referral.name", "Ana Nowak"));  // focus, then on-screen keys
//   ui.drag({500, 800}, {500, 300});      // a drag scrolls and presses nothing
//
// Every action settles afterwards (draws frames until nothing moves), so the map always shows the
// screen as a person would see it. Only one UiDriver may exist at a time (ImGui's context is
// global). Thread-safety: one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ui/kiosk_app.h"
#include "ui/ui_map.h"

struct ImGuiContext;

namespace signpost::ui::testing {

struct Point {
    float x = 0;
    float y = 0;
};

class UiDriver {
public:
    explicit UiDriver(KioskRuntime& runtime, float width = 1920, float height = 1080);
    ~UiDriver();
    UiDriver(const UiDriver&) = delete;
    UiDriver& operator=(const UiDriver&) = delete;

    KioskApp& app() noexcept { return *m_app; }
    const UiMap& map() const { return m_app->uiMap(); }
    std::string screen() const { return m_app->currentScreenId(); }
    std::optional<UiElement> find(std::string_view id) const { return map().find(id); }
    // The first element whose id starts with `prefix`.
    std::optional<UiElement> findFirst(std::string_view prefix) const;

    // The display changes size (rotation): the next frame lays out for it.
    void resize(float width, float height);
    // The steady clock the app is fed (what nextWakeUp() is measured against).
    std::chrono::steady_clock::time_point now() const noexcept { return m_now; }
    // Wall clock used for "open now" (default 2026-11-23 (a Monday) 11:00 UTC).
    void setWallClock(std::chrono::system_clock::time_point now) { m_wall = now; }

    // One frame `seconds` after the last, with the pointer as it is.
    void frame(double seconds = 1.0 / 60);
    // Frames until nothing moves (at most `maxFrames`).
    void settle(int maxFrames = 240);
    // Time passes with nobody touching the screen; frames as the shell would draw them
    // (one per `step`, the idle countdown's tick).
    void wait(double seconds, double step = 1.0);

    // --- The finger ----------------------------------------------------------------------------
    // Puts the finger at `point`, down or up, for the next frame() (no frame is drawn).
    void touch(Point point, bool down) { setPointer(point, down); }
    void tapAt(Point point);
    // Taps the centre of `id`; false if it is not on screen (nothing is pressed).
    bool press(std::string_view id);
    bool pressFirst(std::string_view prefix);
    // Finger down on `id`, held still for `seconds`, then up.
    bool hold(std::string_view id, double seconds);
    // Finger down at `from`, moved to `to` over `seconds` in even steps, then lifted (unless
    // `lift` is false).
    void drag(Point from, Point to, double seconds = 0.25, int steps = 15, bool lift = true);
    // Lifts the finger where it is (after drag(..., lift = false)).
    void release();
    bool pointerDown() const noexcept { return m_down; }

    // Drags the scrolling area `area` (its UiMap id) until `id` is wholly on screen: first
    // towards the end, then back towards the start. False if it never appears.
    bool scrollIntoView(std::string_view id, std::string_view area, int maxDrags = 40);

    // --- Typing --------------------------------------------------------------------------------
    // Taps the field, then types `text` on the on-screen keyboard (shift for capitals, the
    // symbols and accents pages as needed), then presses Done. False if a key was not found.
    bool typeText(std::string_view fieldId, std::string_view text);
    // Presses on-screen keys for `text` into whatever field has focus.
    bool typeKeys(std::string_view text);
    // A physical keyboard (staff): characters through io.InputQueueCharacters.
    void typePhysical(std::string_view text);

private:
    void setPointer(Point point, bool down);
    bool pressKeyFor(char32_t codePoint);

    std::unique_ptr<KioskApp> m_app;
    ImGuiContext* m_context = nullptr;
    float m_width;
    float m_height;
    std::chrono::steady_clock::time_point m_now;
    std::chrono::system_clock::time_point m_wall;
    Point m_pointer{-1, -1};
    bool m_down = false;
    bool m_inputSinceFrame = false;
};

}  // namespace signpost::ui::testing
