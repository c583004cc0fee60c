// Closed: outside the venue's opening hours (core/operations/closed_state.h). Calm, not an error:
// the venue is closed, when it opens again, and where to get help now — 999, NHS 111, the
// Samaritans and the link workers' phone. The top bar stays (language, text size, contrast, and
// the staff corner, so staff can still reach the staff panel). Nothing here can be typed into.
#include <algorithm>

#include "core/directory/schedule.h"
#include "core/operations/closed_state.h"
#include "ui/views.h"

namespace signpost::ui {

std::string nextOpeningText(const I18n& i18n, const std::optional<NextOpening>& next) {
    if (!next) {
        return i18n.tr("closed.next_unknown");
    }
    const std::string time = formatClockTime(next->local.minutesOfDay, i18n);
    if (next->daysAhead <= 0) {
        return i18n.format("closed.next_today", {{"time", time}});
    }
    if (next->daysAhead == 1) {
        return i18n.format("closed.next_tomorrow", {{"time", time}});
    }
    if (next->daysAhead < 7) {
        return i18n.format("closed.next_day",
                           {{"day", i18n.tr("day." + std::to_string(next->local.weekday) + ".one")},
                            {"time", time}});
    }
    const std::string date = i18n.format(
        "schedule.date",
        {{"day", std::to_string(static_cast<unsigned>(next->local.date.day()))},
         {"month", i18n.tr("schedule.month." +
                           std::to_string(static_cast<unsigned>(next->local.date.month())))}});
    return i18n.format("closed.next_date", {{"date", date}, {"time", time}});
}

void drawClosedScreen(ScreenContext& c, const Rect& area, const ClosedState& state) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    TouchScroll& scroll = c.scrolls["closed.scroll"];
    ScrollArea scrollArea(ui, scroll, "closed.scroll", area);
    const Rect inner = area.shrink(l.margin, 0);
    const float width = std::min(inner.width(), l.readableWidth);
    Flow flow(inner.x0 + (inner.width() - width) * 0.5f, width);
    flow.gap(l.margin);

    float top = flow.y();
    flowText(ui, flow, TextStyle::Title, p.text, ui.tr("closed.title"));
    flow.gap(l.gap);
    flowText(ui, flow, TextStyle::Body, p.text,
             ui.format("closed.intro", {{"venue", c.runtime.config.venueName}}));
    flow.gap(l.smallGap);
    flowText(ui, flow, TextStyle::Heading, p.text,
             nextOpeningText(c.runtime.i18n, state.nextOpening()));
    ui.registerElement("closed.next", Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    flow.gap(l.gap * 2);

    flowText(ui, flow, TextStyle::Heading, p.text, ui.tr("closed.help_title"));
    flow.gap(l.gap);
    struct Line {
        const char* id;
        std::string text;
    };
    const Line lines[] = {
        {"closed.help.999", ui.tr("closed.help.999")},
        {"closed.help.111", ui.tr("closed.help.111")},
        {"closed.help.samaritans", ui.tr("closed.help.samaritans")},
        {"closed.help.link_worker",
         ui.format("closed.help.link_worker", {{"phone", c.runtime.config.linkWorkerPhone}})},
    };
    for (const Line& line : lines) {
        const float height =
            ui.text().height(TextStyle::Bold, line.text, flow.width() - l.margin * 2) + l.gap * 2;
        const Rect box = flow.take(height);
        panel(ui, box, p.surface, p.border);
        ui.text().drawWrapped(ui.drawList(), TextStyle::Bold, box.shrink(l.margin, l.gap), p.text,
                              line.text);
        ui.registerElement(line.id, box);
        flow.gap(l.gap);
    }
    flow.gap(l.gap);
    flowText(ui, flow, TextStyle::Body, p.textMuted, ui.tr("closed.touch_hint"));
    flow.gap(l.margin);
}

}  // namespace signpost::ui
