// Signpost end-to-end — reading the kiosk's --ui-map file (format: kiosk/app/ui_map_file.h).
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::e2e {

struct MapElement {
    std::string id;
    double x = 0, y = 0, width = 0, height = 0;  // window pixels
    bool enabled = true;
};

struct MapSnapshot {
    int windowX = 0, windowY = 0, windowWidth = 0, windowHeight = 0;
    std::string screen;
    unsigned long long frame = 0;
    std::vector<MapElement> elements;

    const MapElement* find(std::string_view id) const;
    // Elements whose id starts with `prefix`, ordered by their numeric suffix when they have one
    // (results.item.2 before results.item.10), otherwise in drawing order.
    std::vector<const MapElement*> withPrefix(std::string_view prefix) const;
    // True if the element's centre lies inside the window (it can be pressed).
    bool pressable(const MapElement& element) const;
    // "home: home.need.food, home.search, ..." (at most `limit` ids) for failure messages.
    std::string summary(std::size_t limit = 40) const;
};

// Parses the file's text; nullopt if it is not (yet) a complete map.
std::optional<MapSnapshot> parseUiMap(std::string_view json);
// Reads and parses the file; nullopt while it does not exist or is not a complete map.
std::optional<MapSnapshot> readUiMap(const std::filesystem::path& file);

}  // namespace signpost::e2e
