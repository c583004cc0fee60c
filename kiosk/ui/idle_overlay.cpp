// The idle question: "Do you need more time?" over a dimmed screen, with a countdown of at least
// 20 seconds (WCAG 2.2.1) and one big "Yes". Any other touch is ignored (IdleTimer: a stray
// touch on the dimmed screen must not count as an answer).
#include <algorithm>

#include "ui/views.h"

namespace signpost::ui {

void drawIdleOverlay(ScreenContext& c, const Rect& screen, int secondsLeft) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(screen.x0, screen.y0), ImVec2(screen.x1, screen.y1), p.overlay);

    const float width = std::min(screen.width() - l.margin * 2, 1100.0f * l.scale * l.textScale);
    const float inner = width - l.margin * 2;
    const char* title = ui.tr("idle.title");
    const int seconds = std::max(0, secondsLeft);
    const std::string body =
        ui.formatPlural("idle.countdown", seconds, {{"seconds", std::to_string(seconds)}});
    const char* yes = ui.tr("idle.yes");
    const ButtonStyle yesStyle{ButtonKind::Primary, Icon::Tick, false, true, TextStyle::Heading};
    const float titleHeight = ui.text().height(TextStyle::Heading, title, inner);
    const float bodyHeight = ui.text().height(TextStyle::Body, body, inner);
    const float yesHeight = std::max(l.target * 1.6f, buttonHeight(ui, yes, inner, yesStyle));
    const float height = l.margin * 2 + titleHeight + l.gap + bodyHeight + l.gap * 2 + yesHeight;
    const Rect card = Rect::fromSize(screen.centreX() - width * 0.5f,
                                     screen.centreY() - height * 0.5f, width, height);
    panel(ui, card, p.background, p.border);
    ui.registerElement("idle.panel", card);

    float y = card.y0 + l.margin;
    const Rect content{card.x0 + l.margin, y, card.x1 - l.margin, card.y1 - l.margin};
    y += ui.text().drawWrapped(dl, TextStyle::Heading,
                               Rect{content.x0, y, content.x1, y + titleHeight}, p.text, title,
                               Align::Centre);
    y += l.gap;
    y += ui.text().drawWrapped(dl, TextStyle::Body, Rect{content.x0, y, content.x1, y + bodyHeight},
                               p.text, body, Align::Centre);
    y += l.gap * 2;
    if (button(ui, "idle.yes", Rect{content.x0, y, content.x1, y + yesHeight}, yes, yesStyle)) {
        IdleTimer& idle = c.idle;
        const SteadyClock::time_point now = ui.now();
        ui.defer([&idle, now] { idle.extend(now); });
    }
    // The countdown ticks each second: IdleTimer::nextWakeUp() wakes the shell for it.
}

}  // namespace signpost::ui
