// The staff panel's settings section: venue name, neighbourhood, idle timeout, text size, high
// contrast and the languages offered (each with its translation status), then Save — written to
// kiosk.toml atomically and applied at once. A setting the coordinators set remotely shows its
// value with "Set by your coordinator" instead of a control.
#include <algorithm>

#include "core/common/log.h"
#include "core/common/utf8.h"
#include "core/config/kiosk_config.h"
#include "core/i18n/i18n.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

constexpr std::size_t kMaxVenueName = 80;
constexpr int kIdleMinimum = 30;
constexpr int kIdleMaximum = 3600;

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

// The drafts start from the running config; the language list from each file's _meta, so staff
// see which translations a native speaker has checked.
void loadDrafts(const KioskRuntime& runtime, StaffSettingsDrafts& drafts) {
    drafts.loaded = true;
    drafts.settings = settingsOf(runtime.config);
    drafts.available.clear();
    drafts.reviewed.clear();
    try {
        for (const LanguageInfo& language : I18n::available(runtime.assetsDir / "i18n")) {
            drafts.available.push_back(language.code);
            if (language.status == TranslationStatus::Reviewed) {
                drafts.reviewed.push_back(language.code);
            }
        }
    } catch (const I18nError& failure) {
        logWarning("ui", std::string("language list: ") + failure.what());
    }
    if (drafts.available.empty()) {
        drafts.available.push_back("en");
    }
}

// Printable characters only (no control codes, no replacement characters), at most
// kMaxVenueName code points; trailing spaces go when the keyboard closes.
TextBinding venueBinding(std::string& venueName) {
    TextBinding binding;
    binding.value = [&venueName] { return std::string_view(venueName); };
    binding.type = [&venueName](std::string_view text) {
        bool all = true;
        std::size_t length = utf8::count(venueName);
        for (std::size_t at = 0; at < text.size();) {
            const char32_t cp = utf8::next(text, at);
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == utf8::kReplacement ||
                length >= kMaxVenueName) {
                all = false;
                continue;
            }
            utf8::append(venueName, cp);
            ++length;
        }
        return all;
    };
    binding.erase = [&venueName] {
        if (venueName.empty()) {
            return false;
        }
        venueName.resize(venueName.size() - utf8::lastLength(venueName));
        return true;
    };
    binding.finish = [&venueName] {
        while (!venueName.empty() && venueName.back() == ' ') {
            venueName.pop_back();
        }
    };
    return binding;
}

void drawVenueName(ScreenContext& c, Flow& flow, TouchScroll& scroll, const ScrollArea& area,
                   StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.venue_name"));
    flow.gap(ui.layout().smallGap);
    TextFieldSpec venue;
    if (!drawRemoteMark(c, flow, "venue.name", "staff.settings.venue_name",
                        c.runtime.config.venueName)) {
        textField(ui, c.focus, c.keyboard, "staff.settings.venue_name",
                  flow.take(textFieldHeight(ui, venue)), venue,
                  venueBinding(drafts.settings.venueName), &scroll, area.viewport(),
                  area.contentTop());
    }
}

void drawNeighbourhood(ScreenContext& c, Flow& flow, StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.neighbourhood"));
    flow.gap(ui.layout().smallGap);
    const std::string label = neighbourhoodLabel(c.runtime.i18n, drafts.settings.neighbourhood);
    const ButtonStyle chooserStyle{ButtonKind::Secondary, Icon::ChevronDown, true};
    if (drawRemoteMark(c, flow, "venue.neighbourhood", "staff.settings.neighbourhood", label) ||
        !button(ui, "staff.settings.neighbourhood",
                flow.take(buttonHeight(ui, label, flow.width(), chooserStyle)), label,
                chooserStyle)) {
        return;
    }
    std::vector<ChooserOption> options{{"staff.neighbourhood.option.0", ui.tr("home.anywhere"),
                                        drafts.settings.neighbourhood.empty()}};
    std::vector<std::string> names{""};
    for (const std::string& name : c.directory.neighbourhoods) {
        options.push_back({"staff.neighbourhood.option." + std::to_string(names.size()), name,
                           name == drafts.settings.neighbourhood});
        names.push_back(name);
    }
    c.chooser.open(
        ui.tr("staff.settings.neighbourhood"), std::move(options),
        [&drafts, names](std::size_t index) { drafts.settings.neighbourhood = names.at(index); });
}

// − value +
void drawIdleTimeout(ScreenContext& c, Flow& flow, StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.idle"));
    flow.gap(l.smallGap);
    if (drawRemoteMark(c, flow, "kiosk.idle_timeout", "staff.settings.idle",
                       durationText(ui, c.runtime.config.idleTimeoutSeconds))) {
        return;
    }
    int& seconds = drafts.settings.idleTimeoutSeconds;
    const Rect row = flow.take(l.target);
    const float w = std::max(l.target * 1.5f, buttonWidth(ui, "\xE2\x88\x92"));
    if (button(ui, "staff.settings.idle_minus", Rect{row.x0, row.y0, row.x0 + w, row.y1},
               "\xE2\x88\x92",
               ButtonStyle{ButtonKind::Secondary, Icon::None, false, seconds > kIdleMinimum,
                           TextStyle::Heading})) {
        ui.defer(
            [&seconds] { seconds = std::max(kIdleMinimum, seconds - idleStep(seconds, false)); });
    }
    const std::string value = durationText(ui, seconds);
    const float valueWidth =
        std::max(ui.text().width(TextStyle::Heading, value), 300.0f * l.scale) + l.gap * 2;
    ui.text().drawCentred(ui.drawList(), TextStyle::Heading,
                          Rect{row.x0 + w, row.y0, row.x0 + w + valueWidth, row.y1},
                          ui.palette().text, value);
    if (button(ui, "staff.settings.idle_plus",
               Rect{row.x0 + w + valueWidth, row.y0, row.x0 + w * 2 + valueWidth, row.y1}, "+",
               ButtonStyle{ButtonKind::Secondary, Icon::None, false, seconds < kIdleMaximum,
                           TextStyle::Heading})) {
        ui.defer(
            [&seconds] { seconds = std::min(kIdleMaximum, seconds + idleStep(seconds, true)); });
    }
}

void drawLooks(ScreenContext& c, Flow& flow, StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.text_size"));
    flow.gap(ui.layout().smallGap);
    const TextSize sizes[] = {TextSize::Normal, TextSize::Large, TextSize::Largest};
    const char* sizeKeys[] = {textKey("text_size.normal"), textKey("text_size.large"),
                              textKey("text_size.largest")};
    std::vector<ChoiceTile> sizeTiles;
    for (int i = 0; i < 3; ++i) {
        sizeTiles.push_back({std::string("staff.settings.text_size.") + toString(sizes[i]),
                             ui.tr(sizeKeys[i]),
                             {},
                             drafts.settings.textSize == sizes[i]});
    }
    const int size = drawChoiceTiles(ui, flow, sizeTiles, TileMarker::Radio, 260.0f, 3);
    if (size >= 0) {
        ui.defer([&drafts, chosen = sizes[size]] { drafts.settings.textSize = chosen; });
    }

    const char* contrast = ui.tr("staff.settings.high_contrast");
    if (checkRow(ui, "staff.settings.high_contrast",
                 flow.take(checkRowHeight(ui, flow.width(), contrast)), contrast,
                 drafts.settings.highContrast)) {
        ui.defer([&drafts] { drafts.settings.highContrast = !drafts.settings.highContrast; });
    }
}

// English is always offered (the fallback for every key); the others toggle.
void drawLanguages(ScreenContext& c, Flow& flow, StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr("staff.settings.languages"));
    flow.gap(ui.layout().smallGap);
    std::string offered;
    for (const std::string& code : c.runtime.config.languages) {
        offered += (offered.empty() ? "" : ", ") + languageName(c.runtime.i18n, code);
    }
    if (drawRemoteMark(c, flow, "kiosk.languages", "staff.settings.languages", offered)) {
        return;
    }
    std::vector<std::string>& chosen = drafts.settings.languages;
    std::vector<ChoiceTile> tiles;
    for (const std::string& code : drafts.available) {
        const bool on =
            code == "en" || std::find(chosen.begin(), chosen.end(), code) != chosen.end();
        const bool reviewed = std::find(drafts.reviewed.begin(), drafts.reviewed.end(), code) !=
                              drafts.reviewed.end();
        tiles.push_back({"staff.settings.language." + code, languageName(c.runtime.i18n, code),
                         code == "en" ? ui.tr("staff.settings.always_on")
                         : reviewed   ? ui.tr("staff.settings.status_reviewed")
                                      : ui.tr("staff.settings.status_draft"),
                         on});
    }
    const int language = drawChoiceTiles(ui, flow, tiles, TileMarker::Check, 300.0f, 3);
    if (language < 0 || drafts.available[static_cast<std::size_t>(language)] == "en") {
        return;
    }
    ui.defer([&chosen, code = drafts.available[static_cast<std::size_t>(language)]] {
        auto at = std::find(chosen.begin(), chosen.end(), code);
        if (at == chosen.end()) {
            chosen.push_back(code);
        } else {
            chosen.erase(at);
        }
    });
}

// Writes the drafts to kiosk.toml, then applies them to the running kiosk: the session's
// defaults, the idle timer, and the texts when the languages changed.
void saveDrafts(KioskRuntime& runtime, KioskSession& session, IdleTimer& idle,
                StaffSettingsDrafts& drafts) {
    KioskSettings settings = drafts.settings;
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
        drafts.saveFailed = true;
        drafts.saveMessage =
            runtime.i18n.format("staff.settings.save_error", {{"error", error.what()}});
        logWarning("staff", std::string("settings not saved: ") + error.what());
        return;
    }
    KioskConfig& config = runtime.config;
    const bool languagesChanged = config.languages != settings.languages;
    applySettings(config, settings);
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
    drafts.settings = settingsOf(config);
    drafts.saveFailed = false;
    drafts.saveMessage = runtime.i18n.tr("staff.settings.saved");
    logInfo("staff", "settings saved");
}

void drawSave(ScreenContext& c, Flow& flow, StaffSettingsDrafts& drafts) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const char* save = ui.tr("staff.settings.save");
    const ButtonStyle saveStyle{ButtonKind::Primary, Icon::Tick};
    const float saveWidth = std::max(buttonWidth(ui, save, saveStyle), flow.width() * 0.4f);
    if (button(ui, "staff.settings.save", flow.take(l.target * 1.2f, saveWidth), save, saveStyle)) {
        KioskRuntime& runtime = c.runtime;
        KioskSession& session = c.session;
        IdleTimer& idle = c.idle;
        TextFocus& focus = c.focus;
        ui.defer([&drafts, &runtime, &session, &idle, &focus] {
            focus.blur();
            saveDrafts(runtime, session, idle, drafts);
        });
    }
    if (!drafts.saveMessage.empty()) {
        flow.gap(l.smallGap);
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Bold,
                 drafts.saveFailed ? ui.palette().error : ui.palette().text, drafts.saveMessage);
        ui.registerElement(
            drafts.saveFailed ? "staff.settings.save_failed" : "staff.settings.saved",
            Rect{flow.left(), top, flow.left() + flow.width(), flow.y()});
    }
}

}  // namespace

void drawStaffSettingsSection(ScreenContext& c, Flow& flow, TouchScroll& scroll,
                              const ScrollArea& area, StaffSettingsDrafts& drafts) {
    if (!drafts.loaded) {
        loadDrafts(c.runtime, drafts);
    }
    const float between = c.ui.layout().gap * 1.5f;
    drawVenueName(c, flow, scroll, area, drafts);
    flow.gap(between);
    drawNeighbourhood(c, flow, drafts);
    flow.gap(between);
    drawIdleTimeout(c, flow, drafts);
    flow.gap(between);
    drawLooks(c, flow, drafts);
    flow.gap(between);
    drawLanguages(c, flow, drafts);
    flow.gap(c.ui.layout().gap);
    drawSave(c, flow, drafts);
}

}  // namespace signpost::ui
