#include "ui/views.h"

#include <algorithm>

#include "core/common/log.h"
#include "core/i18n/i18n.h"
#include "core/storage/database.h"
#include "ui/icons.h"

namespace signpost::ui {

void DirectoryCache::reload(DirectoryStore* store) {
    if (store == nullptr) {
        return;
    }
    try {
        store->refreshIfChanged();
        needs = store->needs();
        neighbourhoods = store->neighbourhoods();
        languages = store->languagesOffered();
    } catch (const StorageError& error) {
        logError("ui", std::string("directory lists unavailable: ") + error.what());
    }
}

TouchScroll& ScrollStore::operator[](std::string_view name) {
    auto found = m_scrolls.find(name);
    if (found == m_scrolls.end()) {
        found = m_scrolls.emplace(std::string(name), TouchScroll{}).first;
    }
    return found->second;
}

void ScrollStore::resetAll() {
    for (auto& [name, scroll] : m_scrolls) {
        scroll.reset();
    }
}

bool ScrollStore::anyMoving() const {
    return std::any_of(m_scrolls.begin(), m_scrolls.end(),
                       [](const auto& entry) { return entry.second.isMoving(); });
}

float ScrollStore::offset(std::string_view name) const {
    auto found = m_scrolls.find(name);
    return found == m_scrolls.end() ? 0.0f : found->second.offset();
}

// --- Labels ------------------------------------------------------------------------------------

namespace {
bool hasText(const I18n& i18n, const std::string& key) {
    return i18n.has(i18n.language(), key) || i18n.has("en", key);
}
}  // namespace

std::string needLabel(const I18n& i18n, const TaxonomyTerm& term) {
    const std::string key = "need." + term.code;
    return hasText(i18n, key) ? i18n.tr(key) : term.name;
}

std::string needLabel(const I18n& i18n, const std::vector<TaxonomyTerm>& needs,
                      const std::string& code) {
    for (const TaxonomyTerm& term : needs) {
        if (term.code == code) {
            return needLabel(i18n, term);
        }
    }
    const std::string key = "need." + code;
    return hasText(i18n, key) ? i18n.tr(key) : code;
}

std::string needHint(const I18n& i18n, const TaxonomyTerm& term) {
    const std::string key = "need." + term.code + ".hint";
    if (hasText(i18n, key)) {
        return i18n.tr(key);
    }
    // The data's own description is English; show it only to English readers.
    return i18n.language() == "en" ? term.description : std::string();
}

std::string languageName(const I18n& i18n, const std::string& code) {
    const std::string key = "langname." + code;
    if (hasText(i18n, key)) {
        return i18n.tr(key);
    }
    std::string upper = code;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c); });
    return upper;
}

const char* accessKey(AttendingAccess access) noexcept {
    switch (access) {
        case AttendingAccess::DropIn:
            return textKey("access.drop_in");
        case AttendingAccess::Appointment:
            return textKey("access.appointment");
        case AttendingAccess::Referral:
            return textKey("access.referral");
        case AttendingAccess::Membership:
            return textKey("access.membership");
        case AttendingAccess::Unknown:
            return nullptr;
    }
    return nullptr;
}

std::string groupedNumber(std::size_t value) {
    const std::string digits = std::to_string(value);
    std::string result;
    result.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            result.push_back(',');
        }
        result.push_back(digits[i]);
    }
    return result;
}

std::string neighbourhoodLabel(const I18n& i18n, const std::string& name) {
    return name.empty() ? std::string(i18n.tr("home.anywhere")) : name;
}

// --- Drawing helpers ---------------------------------------------------------------------------

float flowText(Ui& ui, Flow& flow, TextStyle style, ImU32 colour, std::string_view text) {
    const float width = std::min(flow.width(), ui.layout().readableWidth);
    const float height = ui.text().height(style, text, width);
    const Rect box = flow.take(height);
    ui.text().drawWrapped(ui.drawList(), style, Rect{box.x0, box.y0, box.x0 + width, box.y1},
                          colour, text);
    return height;
}

void flowFactRow(Ui& ui, Flow& flow, const char* labelKey, std::string_view value) {
    const Layout& l = ui.layout();
    const float labelWidth = flow.width() * 0.38f;
    const float valueWidth = flow.width() - labelWidth - l.gap;
    const char* label = ui.tr(labelKey);
    const float height = std::max(ui.text().height(TextStyle::Bold, label, labelWidth),
                                  ui.text().height(TextStyle::Body, value, valueWidth));
    const Rect row = flow.take(height);
    ui.text().drawWrapped(ui.drawList(), TextStyle::Bold,
                          Rect{row.x0, row.y0, row.x0 + labelWidth, row.y1}, ui.palette().text,
                          label);
    ui.text().drawWrapped(ui.drawList(), TextStyle::Body,
                          Rect{row.x0 + labelWidth + l.gap, row.y0, row.x1, row.y1},
                          ui.palette().text, value);
    flow.gap(l.smallGap);
}

void flowError(Ui& ui, Flow& flow, const char* key) {
    if (key == nullptr) {
        return;
    }
    const Layout& l = ui.layout();
    const char* message = ui.tr(key);
    const float icon = l.bodySize * 0.9f;
    const float width = std::min(flow.width(), l.readableWidth) - icon - l.smallGap;
    const float height = std::max(icon, ui.text().height(TextStyle::Bold, message, width));
    flow.gap(l.smallGap);
    const Rect box = flow.take(height);
    drawIcon(ui.drawList(), Icon::Warning, Rect::fromSize(box.x0, box.y0, icon, icon),
             ui.palette().error, std::max(2.0f, l.border));
    ui.text().drawWrapped(
        ui.drawList(), TextStyle::Bold,
        Rect{box.x0 + icon + l.smallGap, box.y0, box.x0 + icon + l.smallGap + width, box.y1},
        ui.palette().error, message);
}

void labelledField(ScreenContext& c, Flow& flow, TouchScroll* scroll, const Rect& viewport,
                   float contentTop, std::string_view id, const char* labelKey, const char* hintKey,
                   TextFieldSpec spec, const TextBinding& binding, const char* errorKey) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr(labelKey));
    if (hintKey != nullptr) {
        flow.gap(l.smallGap * 0.5f);
        flowText(ui, flow, TextStyle::Small, ui.palette().textMuted, ui.tr(hintKey));
    }
    flow.gap(l.smallGap);
    spec.error = errorKey != nullptr;
    const float width = std::min(flow.width(), l.readableWidth);
    const Rect field = flow.take(textFieldHeight(ui, spec), width);
    textField(ui, c.focus, c.keyboard, id, field, spec, binding, scroll, viewport, contentTop);
    flowError(ui, flow, errorKey);
}

TextBinding sessionBinding(KioskSession& session, TextTarget target) {
    TextBinding binding;
    binding.value = [&session, target] { return session.text(target); };
    binding.type = [&session, target](std::string_view text) {
        return session.typeText(target, text);
    };
    binding.erase = [&session, target] { return session.eraseLast(target); };
    binding.finish = [&session, target] { session.finishEditing(target); };
    return binding;
}

// --- Referral chrome ---------------------------------------------------------------------------

ReferralFrame splitReferralArea(Ui& ui, const Rect& area) {
    const Layout& l = ui.layout();
    ReferralFrame frame;
    Rect rest = area;
    const float safetyText = ui.text().height(TextStyle::Bold, ui.tr("safety.line"),
                                              area.width() - l.margin * 2 - l.bodySize * 1.5f);
    frame.safety = rest.cutBottom(safetyText + l.gap * 1.25f);
    frame.footer = rest.cutBottom(l.target + l.gap * 2);
    frame.scroll = rest;
    return frame;
}

void drawSafetyLine(Ui& ui, const Rect& rect) {
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    ImDrawList* dl = ui.drawList();
    dl->AddRectFilled(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y1), p.safety);
    dl->AddLine(ImVec2(rect.x0, rect.y0), ImVec2(rect.x1, rect.y0), p.onSafety, l.border);
    const char* line = ui.tr("safety.line");
    const float icon = l.bodySize * 0.9f;
    const float textWidth = std::min(ui.text().width(TextStyle::Bold, line),
                                     rect.width() - l.margin * 2 - icon - l.smallGap);
    const float textHeight = ui.text().height(TextStyle::Bold, line, textWidth + 1);
    const float groupWidth = icon + l.smallGap + textWidth;
    const float x = rect.centreX() - groupWidth * 0.5f;
    drawIcon(dl, Icon::Phone, Rect::fromSize(x, rect.centreY() - icon * 0.5f, icon, icon),
             p.onSafety, std::max(2.0f, l.border));
    ui.text().drawWrapped(dl, TextStyle::Bold,
                          Rect{x + icon + l.smallGap, rect.centreY() - textHeight * 0.5f,
                               x + groupWidth + 1, rect.y1},
                          p.onSafety, line);
    ui.registerElement("referral.safety_line", rect);
}

void drawProgress(ScreenContext& c, Flow& flow) {
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    const Palette& p = ui.palette();
    const int step = c.session.stepNumber();
    const int total = c.session.stepCount();
    if (step <= 0 || total <= 0) {
        return;
    }
    const std::string label = ui.format(
        "referral.progress", {{"step", std::to_string(step)}, {"total", std::to_string(total)}});
    flowText(ui, flow, TextStyle::Bold, p.text, label);
    flow.gap(l.smallGap);
    const float width = std::min(flow.width(), l.readableWidth);
    const Rect bar = flow.take(std::max(6.0f, l.smallGap), width);
    const float segmentGap = l.smallGap * 0.5f;
    const float segment =
        (bar.width() - segmentGap * static_cast<float>(total - 1)) / static_cast<float>(total);
    for (int i = 0; i < total; ++i) {
        const float x = bar.x0 + static_cast<float>(i) * (segment + segmentGap);
        ui.drawList()->AddRectFilled(ImVec2(x, bar.y0), ImVec2(x + segment, bar.y1),
                                     i < step ? p.primary : p.surfaceSunken, bar.height() * 0.5f);
    }
    ui.registerElement("referral.progress", bar);
    flow.gap(l.smallGap);
    const ReferralForm& form = c.session.form();
    const std::string about =
        form.kind == ReferralKind::Service
            ? ui.format("referral.for_service", {{"service", form.serviceName}})
            : std::string(ui.tr("referral.for_general"));
    flowText(ui, flow, TextStyle::Small, p.textMuted, about);
    flow.gap(l.gap);
}

void drawStepTitle(ScreenContext& c, Flow& flow, const char* titleKey, const char* introKey) {
    Ui& ui = c.ui;
    flowText(ui, flow, TextStyle::Heading, ui.palette().text, ui.tr(titleKey));
    if (introKey != nullptr) {
        flow.gap(ui.layout().smallGap);
        flowText(ui, flow, TextStyle::Body, ui.palette().textMuted, ui.tr(introKey));
    }
    flow.gap(ui.layout().gap * 1.5f);
}

bool referralFooter(ScreenContext& c, const Rect& footer, const char* nextId, const char* nextKey,
                    bool showBack) {
    c.ui.text().pauseReadable(true);  // Back and Next are not what the screen says
    struct Resume {
        Ui& ui;
        ~Resume() { ui.text().pauseReadable(false); }
    } resume{c.ui};
    Ui& ui = c.ui;
    const Layout& l = ui.layout();
    ui.drawList()->AddRectFilled(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y1),
                                 ui.palette().background);
    ui.drawList()->AddLine(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y0),
                           ui.palette().surfaceSunken, l.border);
    const Rect inner = footer.shrink(l.margin, l.gap);
    if (showBack) {
        const ButtonStyle backStyle{ButtonKind::Secondary, Icon::Back};
        const char* backLabel = ui.tr("referral.back");
        const float w = std::max(buttonWidth(ui, backLabel, backStyle), inner.width() * 0.25f);
        if (button(ui, "referral.back", Rect{inner.x0, inner.y0, inner.x0 + w, inner.y1}, backLabel,
                   backStyle)) {
            KioskSession& session = c.session;
            TextFocus& focus = c.focus;
            ui.defer([&session, &focus] {
                focus.blur();
                session.back();
            });
        }
    }
    if (nextId == nullptr) {
        return false;
    }
    const ButtonStyle nextStyle{ButtonKind::Primary, Icon::Forward, true};
    const char* nextLabel = ui.tr(nextKey != nullptr ? nextKey : textKey("referral.next"));
    const float w = std::max(buttonWidth(ui, nextLabel, nextStyle), inner.width() * 0.35f);
    return button(ui, nextId, Rect{inner.x1 - w, inner.y0, inner.x1, inner.y1}, nextLabel,
                  nextStyle);
}

void deferNextStep(ScreenContext& c) {
    KioskSession& session = c.session;
    TextFocus& focus = c.focus;
    c.ui.defer([&session, &focus] {
        focus.blur();
        session.nextStep();
    });
}

}  // namespace signpost::ui

namespace signpost::ui {

int drawChoiceTiles(Ui& ui, Flow& flow, const std::vector<ChoiceTile>& tiles, TileMarker marker,
                    float minimumWidth, int maxColumns) {
    const Layout& l = ui.layout();
    float minimum = minimumWidth * l.scale * l.textScale;
    for (const ChoiceTile& t : tiles) {
        minimum =
            std::max(minimum, tileMinimumWidth(ui, t.title, t.subtitle, marker));  // no word broken
    }
    const int columns =
        std::clamp(static_cast<int>((flow.width() + l.gap) / (minimum + l.gap)), 1, maxColumns);
    const float width =
        (flow.width() - l.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    int tapped = -1;
    for (std::size_t start = 0; start < tiles.size(); start += static_cast<std::size_t>(columns)) {
        const std::size_t end = std::min(tiles.size(), start + static_cast<std::size_t>(columns));
        float height = 0;
        for (std::size_t i = start; i < end; ++i) {
            height =
                std::max(height, tileHeight(ui, width, tiles[i].title, tiles[i].subtitle, marker));
        }
        const Rect row = flow.take(height);
        for (std::size_t i = start; i < end; ++i) {
            const float x = row.x0 + static_cast<float>(i - start) * (width + l.gap);
            if (tile(ui, tiles[i].id, Rect{x, row.y0, x + width, row.y1}, tiles[i].title,
                     tiles[i].subtitle, tiles[i].selected, marker)) {
                tapped = static_cast<int>(i);
            }
        }
        flow.gap(l.gap);
    }
    return tapped;
}

}  // namespace signpost::ui
