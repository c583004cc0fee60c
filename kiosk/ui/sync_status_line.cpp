// The resident-facing sync status: one calm line in the top bar, muted, never an error code.
#include "core/i18n/i18n.h"
#include "sync/engine/sync_status.h"
#include "ui/sync_text.h"
#include "ui/views.h"

namespace signpost::ui {

void drawSyncStatusLine(ScreenContext& c, const Rect& space) {
    if (!c.syncStatus || !c.runtime.zone || space.width() <= 0) {
        return;
    }
    Ui& ui = c.ui;
    const std::string line =
        residentSyncLine(c.runtime.i18n, *c.runtime.zone, *c.syncStatus, c.wallNow);
    const float width = ui.text().width(TextStyle::Small, line);
    if (width > space.width()) {
        return;  // no room beside the controls on this screen and text size: better nothing than a
                 // cut
    }
    const float height = ui.text().lineHeight(TextStyle::Small);
    const Rect box{space.x1 - width, space.centreY() - height * 0.5f, space.x1,
                   space.centreY() + height * 0.5f};
    ui.text().draw(ui.drawList(), TextStyle::Small, ImVec2(box.x0, box.y0), ui.palette().onHeader,
                   line);
    ui.registerElement("global.sync_status", box);
}

}  // namespace signpost::ui
