#include "ui/chooser.h"

#include <algorithm>
#include <cmath>

#include "ui/button.h"

namespace signpost::ui {

void Chooser::open(std::string title, std::vector<ChooserOption> options,
                   std::function<void(std::size_t)> onChoose) {
    m_open = true;
    m_title = std::move(title);
    m_options = std::move(options);
    m_onChoose = std::move(onChoose);
    m_scroll.reset();
}

void Chooser::close() {
    m_open = false;
    m_options.clear();
    m_onChoose = nullptr;
    m_scroll.reset();
}

void Chooser::draw(Ui& ui, const Rect& screen) {
    if (!m_open) {
        return;
    }
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(screen.x0, screen.y0), ImVec2(screen.x1, screen.y1), p.overlay);

    const float width = std::min(screen.width() - l.margin * 2, 1200.0f * l.scale * l.textScale);
    Rect card = Rect::fromSize(screen.centreX() - width * 0.5f, screen.y0 + l.margin, width,
                               screen.height() - l.margin * 2);
    panel(ui, card, p.background, p.border);
    Rect inner = card.shrink(l.margin * 0.75f);

    // Title and close button on one row.
    const ButtonStyle closeStyle{ButtonKind::Secondary, Icon::Cross};
    const char* closeLabel = ui.tr("chooser.close");
    const float closeWidth = buttonWidth(ui, closeLabel, closeStyle);
    Rect titleRow = inner;
    const float titleHeight =
        std::max(l.target,
                 ui.text().height(TextStyle::Heading, m_title, inner.width() - closeWidth - l.gap));
    titleRow.y1 = titleRow.y0 + titleHeight;
    inner.y0 = titleRow.y1 + l.gap;
    if (button(ui, "chooser.close",
               Rect{titleRow.x1 - closeWidth, titleRow.y0, titleRow.x1, titleRow.y0 + l.target},
               closeLabel, closeStyle)) {
        ui.defer([this] { close(); });
    }
    Rect titleBox = titleRow;
    titleBox.x1 -= closeWidth + l.gap;
    ui.text().drawWrapped(dl, TextStyle::Heading, titleBox, p.text, m_title);

    // Options in as many columns as fit comfortably.
    const float minColumn = 420.0f * l.scale * l.textScale;
    const int columns =
        std::max(1, std::min(3, static_cast<int>((inner.width() + l.gap) / (minColumn + l.gap))));
    const float columnWidth =
        (inner.width() - l.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float rowHeight = 0;
    for (const ChooserOption& option : m_options) {
        rowHeight =
            std::max(rowHeight, tileHeight(ui, columnWidth, option.label, {}, TileMarker::Radio));
    }
    const std::size_t rows = (m_options.size() + static_cast<std::size_t>(columns) - 1) /
                             static_cast<std::size_t>(columns);
    const float contentHeight = static_cast<float>(rows) * (rowHeight + l.gap);
    // Shrink the card to its content when the list is short.
    if (contentHeight < inner.height()) {
        inner.y1 = inner.y0 + contentHeight;
    }
    ScrollArea area(ui, m_scroll, "chooser.list", inner);
    Flow flow(inner.x0, inner.width());
    for (std::size_t row = 0; row < rows; ++row) {
        const Rect line = flow.take(rowHeight);
        for (int column = 0; column < columns; ++column) {
            const std::size_t index =
                row * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column);
            if (index >= m_options.size()) {
                break;
            }
            const float x = line.x0 + static_cast<float>(column) * (columnWidth + l.gap);
            const ChooserOption& option = m_options[index];
            if (tile(ui, option.id, Rect{x, line.y0, x + columnWidth, line.y1}, option.label, {},
                     option.selected, TileMarker::Radio)) {
                ui.defer([this, index] {
                    auto onChoose = m_onChoose;
                    close();
                    if (onChoose) {
                        onChoose(index);
                    }
                });
            }
        }
        flow.gap(l.gap);
    }
}

}  // namespace signpost::ui
