// Staff panel: what this kiosk is and holds (venue, device, versions, directory, referrals waiting,
// free disk, start-up notes and config warnings), the sync section (staff_sync_section.cpp), and
// the settings staff may change — saved atomically to the config — plus restart and exit.
// Over 600 lines (639, after the tree-wide clang-format of issue 12): one screen per file, and
// the settings section shares the panel's drafts, heading and remote-setting marks. The next
// split is that section (drawSettings/saveSettings, ~250 lines) into staff_settings_section.cpp
// with its drafts in a struct, as staff_sync_section.cpp already is.
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/common/utf8.h"
#include "core/config/toml.h"
#include "core/i18n/i18n.h"
#include "core/operations/device_actions.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

constexpr std::size_t kMaxVenueName = 80;
constexpr int kIdleMinimum = 30;
constexpr int kIdleMaximum = 3600;

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

std::string durationText(const Ui& ui, int seconds) {
    if (seconds % 60 == 0) {
        return ui.format("staff.minutes", {{"count", std::to_string(seconds / 60)}});
    }
    return ui.format("staff.seconds", {{"count", std::to_string(seconds)}});
}

// The step the idle timeout moves by: finer when short.
int idleStep(int seconds, bool up) {
    const int at = up ? seconds : seconds - 1;
    return at < 120 ? 15 : at < 600 ? 60 : 300;
}

class StaffPanelView final : public View {
public:
    void resetVisit() override {
        m_loaded = false;
        m_saveMessage.clear();
        m_saveFailed = false;
        m_syncDrafts = {};
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
        m_draft = settingsOf(c.runtime.config);
        m_available.clear();
        m_reviewed.clear();
        try {
            // Each file's _meta: staff see which translations a native speaker has checked.
            for (const LanguageInfo& language : I18n::available(c.runtime.assetsDir / "i18n")) {
                m_available.push_back(language.code);
                if (language.status == TranslationStatus::Reviewed) {
                    m_reviewed.push_back(language.code);
                }
            }
        } catch (const I18nError& failure) {
            logWarning("ui", std::string("language list: ") + failure.what());
        }
        if (m_available.empty()) {
            m_available.push_back("en");
        }
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

    TextBinding venueBinding() {
        TextBinding binding;
        binding.value = [this] { return std::string_view(m_draft.venueName); };
        binding.type = [this](std::string_view text) {
            bool all = true;
            std::size_t length = utf8::count(m_draft.venueName);
            for (std::size_t at = 0; at < text.size();) {
                const char32_t cp = utf8::next(text, at);
                if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == utf8::kReplacement ||
                    length >= kMaxVenueName) {
                    all = false;
                    continue;
                }
                utf8::append(m_draft.venueName, cp);
                ++length;
            }
            return all;
        };
        binding.erase = [this] {
            if (m_draft.venueName.empty()) {
                return false;
            }
            m_draft.venueName.resize(m_draft.venueName.size() -
                                     utf8::lastLength(m_draft.venueName));
            return true;
        };
        binding.finish = [this] {
            while (!m_draft.venueName.empty() && m_draft.venueName.back() == ' ') {
                m_draft.venueName.pop_back();
            }
        };
        return binding;
    }

    void drawSettings(ScreenContext& c, Flow& flow, TouchScroll& scroll, const ScrollArea& area) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        heading(ui, flow, textKey("staff.section.settings"));

        flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.venue_name"));
        flow.gap(l.smallGap);
        TextFieldSpec venue;
        if (!drawRemoteMark(c, flow, "venue.name", "staff.settings.venue_name",
                            c.runtime.config.venueName)) {
            textField(ui, c.focus, c.keyboard, "staff.settings.venue_name",
                      flow.take(textFieldHeight(ui, venue)), venue, venueBinding(), &scroll,
                      area.viewport(), area.contentTop());
        }
        flow.gap(l.gap * 1.5f);

        flowText(ui, flow, TextStyle::Bold, ui.palette().text,
                 ui.tr("staff.settings.neighbourhood"));
        flow.gap(l.smallGap);
        const std::string area_ = neighbourhoodLabel(c.runtime.i18n, m_draft.neighbourhood);
        const ButtonStyle chooserStyle{ButtonKind::Secondary, Icon::ChevronDown, true};
        if (!drawRemoteMark(c, flow, "venue.neighbourhood", "staff.settings.neighbourhood",
                            area_) &&
            button(ui, "staff.settings.neighbourhood",
                   flow.take(buttonHeight(ui, area_, flow.width(), chooserStyle)), area_,
                   chooserStyle)) {
            std::vector<ChooserOption> options{{"staff.neighbourhood.option.0",
                                                ui.tr("home.anywhere"),
                                                m_draft.neighbourhood.empty()}};
            std::vector<std::string> names{""};
            for (const std::string& name : c.directory.neighbourhoods) {
                options.push_back({"staff.neighbourhood.option." + std::to_string(names.size()),
                                   name, name == m_draft.neighbourhood});
                names.push_back(name);
            }
            c.chooser.open(
                ui.tr("staff.settings.neighbourhood"), std::move(options),
                [this, names](std::size_t index) { m_draft.neighbourhood = names.at(index); });
        }
        flow.gap(l.gap * 1.5f);

        // Idle timeout: − value +
        flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.idle"));
        flow.gap(l.smallGap);
        if (!drawRemoteMark(c, flow, "kiosk.idle_timeout", "staff.settings.idle",
                            durationText(ui, c.runtime.config.idleTimeoutSeconds))) {
            const Rect row = flow.take(l.target);
            const float w = std::max(l.target * 1.5f, buttonWidth(ui, "\xE2\x88\x92"));
            if (button(
                    ui, "staff.settings.idle_minus", Rect{row.x0, row.y0, row.x0 + w, row.y1},
                    "\xE2\x88\x92",
                    ButtonStyle{ButtonKind::Secondary, Icon::None, false,
                                m_draft.idleTimeoutSeconds > kIdleMinimum, TextStyle::Heading})) {
                ui.defer([this] {
                    m_draft.idleTimeoutSeconds =
                        std::max(kIdleMinimum, m_draft.idleTimeoutSeconds -
                                                   idleStep(m_draft.idleTimeoutSeconds, false));
                });
            }
            const std::string value = durationText(ui, m_draft.idleTimeoutSeconds);
            const float valueWidth =
                std::max(ui.text().width(TextStyle::Heading, value), 300.0f * l.scale) + l.gap * 2;
            ui.text().drawCentred(ui.drawList(), TextStyle::Heading,
                                  Rect{row.x0 + w, row.y0, row.x0 + w + valueWidth, row.y1},
                                  ui.palette().text, value);
            if (button(
                    ui, "staff.settings.idle_plus",
                    Rect{row.x0 + w + valueWidth, row.y0, row.x0 + w * 2 + valueWidth, row.y1}, "+",
                    ButtonStyle{ButtonKind::Secondary, Icon::None, false,
                                m_draft.idleTimeoutSeconds < kIdleMaximum, TextStyle::Heading})) {
                ui.defer([this] {
                    m_draft.idleTimeoutSeconds =
                        std::min(kIdleMaximum, m_draft.idleTimeoutSeconds +
                                                   idleStep(m_draft.idleTimeoutSeconds, true));
                });
            }
        }
        flow.gap(l.gap * 1.5f);

        flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.text_size"));
        flow.gap(l.smallGap);
        const TextSize sizes[] = {TextSize::Normal, TextSize::Large, TextSize::Largest};
        const char* sizeKeys[] = {textKey("text_size.normal"), textKey("text_size.large"),
                                  textKey("text_size.largest")};
        std::vector<ChoiceTile> sizeTiles;
        for (int i = 0; i < 3; ++i) {
            sizeTiles.push_back({std::string("staff.settings.text_size.") + toString(sizes[i]),
                                 ui.tr(sizeKeys[i]),
                                 {},
                                 m_draft.textSize == sizes[i]});
        }
        const int size = drawChoiceTiles(ui, flow, sizeTiles, TileMarker::Radio, 260.0f, 3);
        if (size >= 0) {
            ui.defer([this, chosen = sizes[size]] { m_draft.textSize = chosen; });
        }

        const char* contrast = ui.tr("staff.settings.high_contrast");
        if (checkRow(ui, "staff.settings.high_contrast",
                     flow.take(checkRowHeight(ui, flow.width(), contrast)), contrast,
                     m_draft.highContrast)) {
            ui.defer([this] { m_draft.highContrast = !m_draft.highContrast; });
        }
        flow.gap(l.gap * 1.5f);

        flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.languages"));
        flow.gap(l.smallGap);
        std::string offered;
        for (const std::string& code : c.runtime.config.languages) {
            offered += (offered.empty() ? "" : ", ") + languageName(c.runtime.i18n, code);
        }
        const bool languagesRemote =
            drawRemoteMark(c, flow, "kiosk.languages", "staff.settings.languages", offered);
        std::vector<ChoiceTile> languageTiles;
        for (const std::string& code : m_available) {
            const bool on = code == "en" ||
                            std::find(m_draft.languages.begin(), m_draft.languages.end(), code) !=
                                m_draft.languages.end();
            const bool reviewed =
                std::find(m_reviewed.begin(), m_reviewed.end(), code) != m_reviewed.end();
            languageTiles.push_back({"staff.settings.language." + code,
                                     languageName(c.runtime.i18n, code),
                                     code == "en" ? ui.tr("staff.settings.always_on")
                                     : reviewed   ? ui.tr("staff.settings.status_reviewed")
                                                  : ui.tr("staff.settings.status_draft"),
                                     on});
        }
        const int language = languagesRemote ? -1
                                             : drawChoiceTiles(ui, flow, languageTiles,
                                                               TileMarker::Check, 300.0f, 3);
        if (language >= 0 && m_available[static_cast<std::size_t>(language)] != "en") {
            ui.defer([this, code = m_available[static_cast<std::size_t>(language)]] {
                auto at = std::find(m_draft.languages.begin(), m_draft.languages.end(), code);
                if (at == m_draft.languages.end()) {
                    m_draft.languages.push_back(code);
                } else {
                    m_draft.languages.erase(at);
                }
            });
        }
        flow.gap(l.gap);

        const char* save = ui.tr("staff.settings.save");
        const ButtonStyle saveStyle{ButtonKind::Primary, Icon::Tick};
        const float saveWidth = std::max(buttonWidth(ui, save, saveStyle), flow.width() * 0.4f);
        if (button(ui, "staff.settings.save", flow.take(l.target * 1.2f, saveWidth), save,
                   saveStyle)) {
            KioskRuntime& runtime = c.runtime;
            KioskSession& session = c.session;
            IdleTimer& idle = c.idle;
            TextFocus& focus = c.focus;
            ui.defer([this, &runtime, &session, &idle, &focus] {
                focus.blur();
                saveSettings(runtime, session, idle);
            });
        }
        if (!m_saveMessage.empty()) {
            flow.gap(l.smallGap);
            const float top = flow.y();
            flowText(ui, flow, TextStyle::Bold,
                     m_saveFailed ? ui.palette().error : ui.palette().text, m_saveMessage);
            ui.registerElement(m_saveFailed ? "staff.settings.save_failed" : "staff.settings.saved",
                               Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
        }
    }

    void saveSettings(KioskRuntime& runtime, KioskSession& session, IdleTimer& idle) {
        KioskSettings settings = m_draft;
        if (std::find(settings.languages.begin(), settings.languages.end(), "en") ==
            settings.languages.end()) {
            settings.languages.insert(settings.languages.begin(), "en");
        }
        try {
            // Remote settings stay out of kiosk.toml: the file keeps its own value for when the
            // coordinators clear theirs (precedence: kiosk_config.h).
            saveKioskSettings(runtime.configFile, settings, runtime.config.remoteKeys);
        } catch (const std::exception& error) {
            // Staff-facing and technical on purpose: it names the file and what was wrong.
            m_saveFailed = true;
            m_saveMessage =
                runtime.i18n.format("staff.settings.save_error", {{"error", error.what()}});
            logWarning("staff", std::string("settings not saved: ") + error.what());
            return;
        }
        KioskConfig& config = runtime.config;
        const bool languagesChanged = config.languages != settings.languages;
        config.venueName = settings.venueName;
        config.neighbourhood = settings.neighbourhood;
        config.idleTimeoutSeconds = settings.idleTimeoutSeconds;
        config.textSize = settings.textSize;
        config.highContrast = settings.highContrast;
        config.languages = settings.languages;
        idle.setDurations(std::chrono::seconds(config.idleTimeoutSeconds),
                          std::chrono::seconds(config.idleWarningSeconds));
        if (languagesChanged) {
            try {
                const std::string current = runtime.i18n.language();
                runtime.i18n = I18n::load(runtime.assetsDir / "i18n", config.languages);
                runtime.i18n.setLanguage(current);
            } catch (const I18nError& error) {
                logError("staff", std::string("texts not reloaded: ") + error.what());
            }
        }
        SessionDefaults defaults = session.defaults();
        defaults.neighbourhood = config.neighbourhood;
        defaults.textSize = config.textSize;
        defaults.highContrast = config.highContrast;
        session.setDefaults(defaults);
        m_draft = settingsOf(config);
        m_saveFailed = false;
        m_saveMessage = runtime.i18n.tr("staff.settings.saved");
        logInfo("staff", "settings saved");
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
    KioskSettings m_draft;
    std::vector<std::string> m_available;
    std::vector<std::string> m_reviewed;  // of m_available: checked by a native speaker
    std::optional<DirectoryStats> m_stats;
    std::optional<OutboxCounts> m_counts;
    std::string m_freeDisk;
    std::string m_saveMessage;
    bool m_saveFailed = false;
    RebootRequest m_reboot;
    std::optional<SteadyClock::time_point> m_rebootArmedUntil;
    TestReferralState m_testReferral;
    StaffSyncDrafts m_syncDrafts;
};

}  // namespace

std::unique_ptr<View> makeStaffPanelView() {
    return std::make_unique<StaffPanelView>();
}

}  // namespace signpost::ui
