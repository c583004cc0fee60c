// Staff panel: what this kiosk is and holds (venue, device, versions, directory, referrals waiting,
// free disk, start-up notes and config warnings), the sync section (staff_sync_section.cpp), the
// settings staff may change (staff_settings_section.cpp), and restart, reboot and exit.
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>

#include "core/common/log.h"
#include "core/operations/device_actions.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

std::string bytesText(unsigned long long bytes) {
    char text[32];
    const double gb = static_cast<double>(bytes) / 1e9;
    if (gb >= 1) {
        std::snprintf(text, sizeof text, "%.1f GB", gb);
    } else {
        std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / 1e6);
    }
    return text;
}

class StaffPanelView final : public View {
public:
    void resetVisit() override {
        m_loaded = false;
        m_syncDrafts = {};
        m_settingsDrafts = {};
    }

    void draw(ScreenContext& c, const Rect& area) override {
        if (!m_loaded) {
            load(c);
        }
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        Rect rest = area;
        const int rows = footerRows(c, rest.shrink(l.margin, 0).width());
        const Rect footer = rest.cutBottom(l.target * static_cast<float>(rows) +
                                           l.gap * static_cast<float>(rows + 1));
        {
            TouchScroll& scroll = c.scrolls["staff.scroll"];
            ScrollArea scrollArea(ui, scroll, "staff.scroll", rest);
            const Rect inner = rest.shrink(l.margin, 0);
            Flow flow(inner.x0, std::min(inner.width(), l.readableWidth));
            flow.gap(l.margin * 0.75f);
            flowText(ui, flow, TextStyle::Title, ui.palette().text, ui.tr("staff.title"));
            flow.gap(l.gap * 1.5f);
            drawFacts(c, flow);
            drawSync(c, flow, scroll, scrollArea);
            drawNotes(c, flow);
            drawOperations(c, flow);
            drawSettings(c, flow, scroll, scrollArea);
            flow.gap(l.margin);
        }
        drawFooter(c, footer);
    }

private:
    void load(ScreenContext& c) {
        m_loaded = true;
        m_stats.reset();
        m_counts.reset();
        try {
            if (c.runtime.directory) {
                m_stats = c.runtime.directory->stats();
            }
        } catch (const StorageError& e) {
            logError("staff", std::string("directory stats: ") + e.what());
        }
        try {
            if (c.runtime.outbox) {
                m_counts = c.runtime.outbox->counts();
            }
        } catch (const StorageError& e) {
            logError("staff", std::string("outbox counts: ") + e.what());
        }
        m_freeDisk.clear();
        struct statvfs fs {};
        if (::statvfs(c.runtime.dataDir.c_str(), &fs) == 0) {
            m_freeDisk = c.ui.format(
                "staff.disk_value",
                {{"free", bytesText(static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize)},
                 {"total", bytesText(static_cast<unsigned long long>(fs.f_blocks) * fs.f_frsize)}});
        }
    }

    static void heading(Ui& ui, Flow& flow, const char* key) {
        flow.gap(ui.layout().gap);
        flowText(ui, flow, TextStyle::Heading, ui.palette().text, ui.tr(key));
        flow.gap(ui.layout().smallGap);
        const Rect rule = flow.take(std::max(1.0f, ui.layout().border));
        ui.drawList()->AddRectFilled(ImVec2(rule.x0, rule.y0), ImVec2(rule.x1, rule.y1),
                                     ui.palette().surfaceSunken);
        flow.gap(ui.layout().gap);
    }

    void drawFacts(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const KioskRuntime& rt = c.runtime;
        heading(ui, flow, textKey("staff.section.kiosk"));
        flowFactRow(ui, flow, textKey("staff.venue"), rt.config.venueName);
        flowFactRow(ui, flow, textKey("staff.neighbourhood"),
                    neighbourhoodLabel(rt.i18n, rt.config.neighbourhood));
        flowFactRow(ui, flow, textKey("staff.device"), breakableIdentifier(rt.deviceId));
        flowFactRow(ui, flow, textKey("staff.version"), SIGNPOST_VERSION);
        flowFactRow(ui, flow, textKey("staff.config_file"), rt.configFile.string());
        flowFactRow(ui, flow, textKey("staff.disk"),
                    m_freeDisk.empty() ? std::string(ui.tr("staff.unknown")) : m_freeDisk);

        heading(ui, flow, textKey("staff.section.directory"));
        if (m_stats) {
            flowFactRow(ui, flow, textKey("staff.directory_version"), m_stats->version);
            flowFactRow(ui, flow, textKey("staff.directory_imported"), m_stats->importedAt);
            flowFactRow(ui, flow, textKey("staff.directory_source"), m_stats->source);
            flowFactRow(ui, flow, textKey("staff.directory_counts"),
                        ui.format("staff.directory_counts_value",
                                  {{"services", groupedNumber(m_stats->services)},
                                   {"organisations", groupedNumber(m_stats->organisations)},
                                   {"locations", groupedNumber(m_stats->locations)}}));
        } else {
            flowText(ui, flow, TextStyle::Body, ui.palette().error, ui.tr("staff.unavailable"));
        }

        heading(ui, flow, textKey("staff.section.outbox"));
        if (m_counts) {
            flowFactRow(ui, flow, textKey("staff.outbox_queued"), groupedNumber(m_counts->queued));
            flowFactRow(ui, flow, textKey("staff.outbox_sent"), groupedNumber(m_counts->sent));
            flowFactRow(ui, flow, textKey("staff.outbox_rejected"),
                        groupedNumber(m_counts->rejected));
        } else {
            flowText(ui, flow, TextStyle::Body, ui.palette().error, ui.tr("staff.unavailable"));
        }
    }

    // The section itself lives in staff_sync_section.cpp.
    void drawSync(ScreenContext& c, Flow& flow, TouchScroll& scroll, const ScrollArea& area) {
        Ui& ui = c.ui;
        heading(ui, flow, textKey("staff.section.sync"));
        const float top = flow.y();
        if (c.syncStatus) {
            drawStaffSyncSection(c, flow, scroll, area, m_syncDrafts);
        } else {
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted,
                     ui.tr("staff.sync.not_configured"));
        }
        ui.registerElement("staff.sync",
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    }

    static void drawNotes(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        const KioskRuntime& rt = c.runtime;
        heading(ui, flow, textKey("staff.section.notes"));
        if (rt.notes.empty() && rt.config.warnings.empty()) {
            flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr("staff.notes_none"));
            return;
        }
        for (const StaffNote& note : rt.notes) {
            std::string line = ui.tr(note.key);
            for (const auto& [name, value] : note.args) {
                const std::string placeholder = "{" + name + "}";
                for (std::size_t at = line.find(placeholder); at != std::string::npos;
                     at = line.find(placeholder, at + value.size())) {
                    line.replace(at, placeholder.size(), value);
                }
            }
            if (!note.detail.empty()) {
                line += " (" + note.detail + ")";
            }
            flowText(ui, flow, TextStyle::Body, ui.palette().text, "\xE2\x80\xA2 " + line);
            flow.gap(ui.layout().smallGap);
        }
        for (const ConfigWarning& warning : rt.config.warnings) {
            flowText(ui, flow, TextStyle::Body, ui.palette().text,
                     ui.format("staff.config_warning", {{"line", std::to_string(warning.line)},
                                                        {"key", warning.key},
                                                        {"message", warning.message}}));
            flow.gap(ui.layout().smallGap);
        }
    }

    // operations: network, reboot outcome, remote settings, recent log.
    void drawOperations(ScreenContext& c, Flow& flow) {
        Ui& ui = c.ui;
        heading(ui, flow, textKey("staff.section.network"));
        drawStaffNetwork(c, flow);
        if (auto outcome = m_reboot.poll(); outcome && !outcome->accepted) {
            flow.gap(ui.layout().smallGap);
            const float top = flow.y();
            flowText(ui, flow, TextStyle::Bold, ui.palette().error,
                     ui.format("staff.reboot.failed", {{"error", outcome->error}}));
            ui.registerElement("staff.reboot.failed",
                               Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        }
        if (m_reboot.running()) {
            ui.requestAnimationFrame();  // keep drawing until systemctl answers
        }
        flow.gap(ui.layout().smallGap);
        const KioskConfig& config = c.runtime.config;
        std::string keys;
        for (const std::string& key : config.remoteKeys) {
            keys += (keys.empty() ? "" : ", ") + key;
        }
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Body, ui.palette().textMuted,
                 keys.empty() ? std::string(ui.tr("staff.remote.none"))
                              : ui.format("staff.remote.keys", {{"keys", keys}}));
        ui.registerElement("staff.remote",
                           Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        flow.gap(ui.layout().gap);
        drawStaffTestReferral(c, flow, m_testReferral);
        heading(ui, flow, textKey("staff.section.logs"));
        drawStaffLog(c, flow);
    }

    // The section itself lives in staff_settings_section.cpp.
    void drawSettings(ScreenContext& c, Flow& flow, TouchScroll& scroll, const ScrollArea& area) {
        heading(c.ui, flow, textKey("staff.section.settings"));
        drawStaffSettingsSection(c, flow, scroll, area, m_settingsDrafts);
    }

    // The footer's buttons in order, with their label keys; wrapped into as many rows as the
    // width needs (portrait screens take two).
    static std::vector<std::pair<const char*, const char*>> footerButtons(const ScreenContext& c) {
        std::vector<std::pair<const char*, const char*>> buttons{
            {"staff.close", textKey("staff.close")},
            {"staff.restart", textKey("staff.restart")},
            {"staff.change_pin", textKey("staff.change_pin")},
            {"staff.reboot", textKey("staff.reboot")}};
        if (c.runtime.config.allowExit) {
            buttons.emplace_back("staff.exit", textKey("staff.exit"));
        }
        return buttons;
    }

    static int footerRows(ScreenContext& c, float width) {
        Ui& ui = c.ui;
        int rows = 1;
        float x = 0;
        for (const auto& [id, key] : footerButtons(c)) {
            const float w =
                buttonWidth(ui, ui.tr(key), ButtonStyle{ButtonKind::Secondary, Icon::Cross});
            if (x > 0 && x + w > width) {
                ++rows;
                x = 0;
            }
            x += w + ui.layout().gap;
        }
        return rows;
    }

    void drawFooter(ScreenContext& c, const Rect& footer) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        ui.drawList()->AddRectFilled(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y1),
                                     ui.palette().background);
        ui.drawList()->AddLine(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y0),
                               ui.palette().surfaceSunken, l.border);
        const Rect inner = footer.shrink(l.margin, l.gap);
        float x = inner.x0;
        float y = inner.y0;
        auto place = [&](const char* id, const char* key, ButtonKind kind, Icon icon,
                         bool enabled = true) {
            const char* label = ui.tr(key);
            const ButtonStyle style{kind, icon, false, enabled};
            const float w = buttonWidth(ui, label, style);
            if (x > inner.x0 && x + w > inner.x1) {
                x = inner.x0;
                y += l.target + l.gap;
            }
            const bool pressed = button(ui, id, Rect{x, y, x + w, y + l.target}, label, style);
            x += w + l.gap;
            return pressed;
        };
        ShellRequest& request = c.shellRequest;
        KioskSession& session = c.session;
        TextFocus& focus = c.focus;
        if (place("staff.close", textKey("staff.close"), ButtonKind::Primary, Icon::Cross)) {
            ui.defer([&session, &focus] {
                focus.drop();
                logInfo("staff", "staff mode closed");
                session.finishAndClear();
            });
        }
        if (place("staff.restart", textKey("staff.restart"), ButtonKind::Secondary, Icon::None)) {
            ui.defer([&request] {
                logInfo("staff", "restart requested from the staff panel");
                request = ShellRequest::Restart;
            });
        }
        // A PIN the coordinators set on the server is theirs to change.
        if (place("staff.change_pin", textKey("staff.change_pin"), ButtonKind::Secondary,
                  Icon::None, !c.runtime.config.isRemote("staff.pin_hash"))) {
            ui.defer([&session] {
                logInfo("staff", "PIN change started from the staff panel");
                requestStaffPinChange();
                session.navigate(Screen::StaffPin);
            });
        }
        // Two taps, so a slip of the finger never restarts the computer: the first arms it for 5 s.
        const SteadyClock::time_point now = ui.now();
        const bool armed = m_rebootArmedUntil && now < *m_rebootArmedUntil;
        if (armed) {
            ui.requestAnimationFrame();  // to disarm on time
        }
        if (place("staff.reboot", armed ? textKey("staff.reboot.confirm") : textKey("staff.reboot"),
                  armed ? ButtonKind::Primary : ButtonKind::Secondary, Icon::None)) {
            ui.defer([this, armed, now] {
                if (armed) {
                    m_rebootArmedUntil.reset();
                    m_reboot.start();
                } else {
                    m_rebootArmedUntil = now + std::chrono::seconds(5);
                }
            });
        }
        if (c.runtime.config.allowExit &&
            place("staff.exit", textKey("staff.exit"), ButtonKind::Secondary, Icon::None)) {
            ui.defer([&request] {
                logInfo("staff", "exit requested from the staff panel");
                request = ShellRequest::Exit;
            });
        }
    }

    bool m_loaded = false;
    std::optional<DirectoryStats> m_stats;
    std::optional<OutboxCounts> m_counts;
    std::string m_freeDisk;
    RebootRequest m_reboot;
    std::optional<SteadyClock::time_point> m_rebootArmedUntil;
    TestReferralState m_testReferral;
    StaffSyncDrafts m_syncDrafts;
    StaffSettingsDrafts m_settingsDrafts;
};

}  // namespace

std::unique_ptr<View> makeStaffPanelView() {
    return std::make_unique<StaffPanelView>();
}

}  // namespace signpost::ui
