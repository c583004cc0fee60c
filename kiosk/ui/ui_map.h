// Signpost — where each touchable element was drawn last frame, by stable id.
//
// Widgets register themselves as they are drawn ("home.need.food", "referral.next",
// "keyboard.key.a"). Headless UI tests press elements by id; the real kiosk writes the map as
// JSON when started with --ui-map FILE, so the end-to-end driver can send real X input events to
// the right place. No resident data is ever put in a map (ids and rectangles only).
// Thread-safety: UI thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::ui {

struct UiElement {
    std::string id;
    float x = 0, y = 0, width = 0, height = 0;  // screen pixels, top-left origin
    bool enabled = true;
};

class UiMap {
public:
    void beginFrame(std::string screenId);
    void add(std::string_view id, float x, float y, float width, float height, bool enabled = true);

    const std::string& screenId() const noexcept { return m_screenId; }
    const std::vector<UiElement>& elements() const noexcept { return m_elements; }
    std::optional<UiElement> find(std::string_view id) const;
    // {"screen": "...", "frame": N, "elements": [{"id","x","y","w","h","enabled"}]}
    std::string toJson() const;
    unsigned long long frameNumber() const noexcept { return m_frame; }

private:
    std::string m_screenId;
    std::vector<UiElement> m_elements;
    unsigned long long m_frame = 0;
};

}  // namespace signpost::ui
