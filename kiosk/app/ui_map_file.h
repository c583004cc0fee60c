// Signpost — the UiMap written to a file for the end-to-end driver (--ui-map FILE).
//
// The file is UiMap::toJson() with one more member, "window": where the kiosk's window is on the
// X screen and its size, so the driver can turn element positions into screen positions:
//   {"window": {"x": 0, "y": 0, "width": 1920, "height": 1080}, "screen": "home", "frame": 12,
//    "elements": [{"id": "home.need.food", "x": 64, "y": 300, "w": 400, "h": 180, "enabled":
//    true}]}
// It is rewritten after every frame the kiosk draws (render on demand: none while idle), so the
// driver can wait for "the kiosk drew what my last event did" by watching the frame number, by
// writing a temporary file and renaming it over the old one, so a reader never sees half a file.
// No fsync: the file is for a live test, not for surviving power loss.
//
// Thread-safety: UI thread only. update() throws FileError if the file cannot be written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ui/ui_map.h"

namespace signpost::app {

struct WindowGeometry {
    int x = 0, y = 0, width = 0, height = 0;
    bool operator==(const WindowGeometry&) const = default;
};

class UiMapFile {
public:
    explicit UiMapFile(std::filesystem::path path);
    // Writes the map if it (or its frame number, or the window) changed since the last write.
    // Returns true if it wrote.
    bool update(const ui::UiMap& map, const WindowGeometry& window);
    const std::filesystem::path& path() const noexcept { return m_path; }

    // The file's text for `map` and `window` (exposed for tests).
    static std::string render(const ui::UiMap& map, const WindowGeometry& window);

private:
    std::filesystem::path m_path;
    bool m_written = false;
    unsigned long long m_frame = 0;
    std::string m_screen;
    std::vector<ui::UiElement> m_elements;
    WindowGeometry m_window;
};

}  // namespace signpost::app
