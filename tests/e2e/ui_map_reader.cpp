#include "e2e/ui_map_reader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace signpost::e2e {
namespace {

std::optional<long long> numericSuffix(std::string_view id, std::size_t prefixLength) {
    std::string_view rest = id.substr(prefixLength);
    long long value = 0;
    auto [ptr, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (rest.empty() || error != std::errc() || ptr != rest.data() + rest.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

const MapElement* MapSnapshot::find(std::string_view id) const {
    for (const auto& element : elements) {
        if (element.id == id) {
            return &element;
        }
    }
    return nullptr;
}

std::vector<const MapElement*> MapSnapshot::withPrefix(std::string_view prefix) const {
    std::vector<const MapElement*> found;
    for (const auto& element : elements) {
        if (element.id.rfind(prefix, 0) == 0) {
            found.push_back(&element);
        }
    }
    std::stable_sort(found.begin(), found.end(), [&](const MapElement* a, const MapElement* b) {
        auto left = numericSuffix(a->id, prefix.size());
        auto right = numericSuffix(b->id, prefix.size());
        if (left && right) {
            return *left < *right;
        }
        return left.has_value() && !right.has_value();
    });
    return found;
}

bool MapSnapshot::pressable(const MapElement& element) const {
    const double cx = element.x + element.width / 2;
    const double cy = element.y + element.height / 2;
    // Written so that NaN fails every comparison and so is never pressable.
    return element.enabled && element.width > 0 && element.height > 0 && cx >= 0 && cy >= 0 &&
           cx < windowWidth && cy < windowHeight;
}

std::string MapSnapshot::summary(std::size_t limit) const {
    std::string text = "screen '" + screen + "', frame " + std::to_string(frame) + ", " +
                       std::to_string(elements.size()) + " elements:";
    for (std::size_t i = 0; i < elements.size() && i < limit; ++i) {
        text += " " + elements[i].id;
    }
    if (elements.size() > limit) {
        text += " ...";
    }
    return text;
}

std::optional<MapSnapshot> parseUiMap(std::string_view json) {
    const auto document = nlohmann::json::parse(json, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("screen") ||
        !document.contains("elements")) {
        return std::nullopt;
    }
    try {
        MapSnapshot map;
        map.screen = document.at("screen").get<std::string>();
        map.frame = document.value("frame", 0ULL);
        if (document.contains("window")) {
            const auto& window = document.at("window");
            map.windowX = window.value("x", 0);
            map.windowY = window.value("y", 0);
            map.windowWidth = window.value("width", 0);
            map.windowHeight = window.value("height", 0);
        }
        for (const auto& item : document.at("elements")) {
            MapElement element;
            element.id = item.at("id").get<std::string>();
            // A number that was NaN or infinite in the kiosk is written as null: such an element
            // is in the map but cannot be pressed.
            const auto number = [&](const char* key) {
                const auto& value = item.at(key);
                return value.is_number() ? value.get<double>()
                                         : std::numeric_limits<double>::quiet_NaN();
            };
            element.x = number("x");
            element.y = number("y");
            element.width = number("w");
            element.height = number("h");
            element.enabled = item.value("enabled", true);
            map.elements.push_back(std::move(element));
        }
        return map;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::optional<MapSnapshot> readUiMap(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseUiMap(text.str());
}

}  // namespace signpost::e2e
