#include "ui/ui_map.h"

#include <nlohmann/json.hpp>

namespace signpost::ui {

void UiMap::beginFrame(std::string screenId) {
    m_screenId = std::move(screenId);
    m_elements.clear();
    ++m_frame;
}

void UiMap::add(std::string_view id, float x, float y, float width, float height, bool enabled) {
    m_elements.push_back(UiElement{std::string(id), x, y, width, height, enabled});
}

std::optional<UiElement> UiMap::find(std::string_view id) const {
    for (const UiElement& element : m_elements) {
        if (element.id == id) {
            return element;
        }
    }
    return std::nullopt;
}

std::string UiMap::toJson() const {
    nlohmann::json elements = nlohmann::json::array();
    for (const UiElement& element : m_elements) {
        elements.push_back({{"id", element.id},
                            {"x", element.x},
                            {"y", element.y},
                            {"w", element.width},
                            {"h", element.height},
                            {"enabled", element.enabled}});
    }
    nlohmann::json document{{"screen", m_screenId}, {"frame", m_frame}, {"elements", elements}};
    return document.dump();
}

}  // namespace signpost::ui
