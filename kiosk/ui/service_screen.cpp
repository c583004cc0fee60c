// The service page: what it is, who it is for, how to get it, opening times in plain words, where,
// how to contact them, languages, when the entry was last checked, "Open now"; then "Ask them to
// contact me" — or, for a signposting-only service, how to contact them directly.
#include <algorithm>

#include "core/common/log.h"
#include "core/directory/contact_card.h"
#include "core/directory/schedule.h"
#include "core/i18n/i18n.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

const char* const kMonthKeys[] = {textKey("month.1"),  textKey("month.2"),  textKey("month.3"),
                                  textKey("month.4"),  textKey("month.5"),  textKey("month.6"),
                                  textKey("month.7"),  textKey("month.8"),  textKey("month.9"),
                                  textKey("month.10"), textKey("month.11"), textKey("month.12")};

std::string addressText(const Address& address) {
    std::string text = address.line1;
    for (const std::string* part : {&address.line2, &address.city, &address.postcode}) {
        if (!part->empty()) {
            text += (text.empty() ? "" : ", ") + *part;
        }
    }
    return text;
}

std::string ageText(const Ui& ui, const Service& service) {
    if (service.minimumAge && service.maximumAge) {
        return ui.format("service.age_range", {{"min", std::to_string(*service.minimumAge)},
                                               {"max", std::to_string(*service.maximumAge)}});
    }
    if (service.minimumAge) {
        return ui.format("service.age_min", {{"min", std::to_string(*service.minimumAge)}});
    }
    if (service.maximumAge) {
        return ui.format("service.age_max", {{"max", std::to_string(*service.maximumAge)}});
    }
    return {};
}

class ServiceView final : public View {
public:
    void resetVisit() override {
        m_detail.reset();
        m_loadedId.clear();
    }

    bool showsOpenNow() const override { return m_detail && !m_detail->service.schedules.empty(); }

    void draw(ScreenContext& c, const Rect& area) override {
        load(c);
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        Rect rest = area;
        const bool canRefer = m_detail && m_detail->service.acceptsReferrals;
        Rect footer;
        if (canRefer) {
            footer = rest.cutBottom(l.target * 1.3f + l.gap * 2);
        }
        TouchScroll& scroll = c.scrolls["service.scroll"];
        {
            ScrollArea scrollArea(ui, scroll, "service.scroll", rest);
            const Rect inner = rest.shrink(l.margin, 0);
            Flow flow(inner.x0, inner.width());
            flow.gap(l.margin * 0.75f);
            if (!m_detail) {
                flowError(ui, flow, "error.service.unavailable");
            } else {
                drawBody(c, flow, *m_detail);
            }
            flow.gap(l.margin);
        }
        if (canRefer) {
            ui.drawList()->AddRectFilled(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y1),
                                         p.background);
            ui.drawList()->AddLine(ImVec2(footer.x0, footer.y0), ImVec2(footer.x1, footer.y0),
                                   p.surfaceSunken, l.border);
            const char* label = ui.tr("service.refer");
            const ButtonStyle style{ButtonKind::Primary, Icon::Phone};
            const Rect inner = footer.shrink(l.margin, l.gap);
            const float w = std::min(inner.width(),
                                     std::max(buttonWidth(ui, label, style), inner.width() * 0.5f));
            if (button(ui, "service.refer", Rect{inner.x1 - w, inner.y0, inner.x1, inner.y1}, label,
                       style)) {
                KioskSession& session = c.session;
                const Service& s = m_detail->service;
                ui.defer([&session, id = s.id, name = s.name, needs = s.needCodes] {
                    session.startServiceReferral(id, name, needs);
                });
            }
        }
    }

private:
    void load(ScreenContext& c) {
        const std::string& id = c.session.serviceId();
        if (id == m_loadedId || c.runtime.directory == nullptr) {
            return;
        }
        m_loadedId = id;
        try {
            m_detail = c.runtime.directory->service(id);
        } catch (const StorageError& error) {
            logError("ui", std::string("service load failed: ") + error.what());
            m_detail.reset();
        }
        c.scrolls["service.scroll"].reset();
    }

    static void drawBody(ScreenContext& c, Flow& flow, const ServiceDetail& detail) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        const Service& s = detail.service;
        flowText(ui, flow, TextStyle::Heading, p.text, s.name);
        if (!detail.organisation.name.empty() && detail.organisation.name != s.name) {
            flow.gap(l.smallGap * 0.5f);
            flowText(ui, flow, TextStyle::Body, p.textMuted, detail.organisation.name);
        }
        flow.gap(l.gap);

        // Badges: open now, cost, how to get it.
        bool openNow = false;
        if (!s.schedules.empty() && c.runtime.zone) {
            openNow = isOpenAt(s.schedules, c.runtime.zone->toLocal(c.wallSeconds()));
        }
        {
            const Rect row = flow.take(badgeHeight(ui));
            float x = row.x0;
            if (openNow) {
                x += badge(ui, ImVec2(x, row.y0), ui.tr("badge.open_now"), p.badgeOpen,
                           p.onBadgeOpen) +
                     l.smallGap;
            }
            if (s.isFree ||
                s.costKnown) {  // nothing published about cost: no badge rather than a guess
                x += badge(ui, ImVec2(x, row.y0),
                           s.isFree ? std::string(ui.tr("badge.free"))
                                    : (s.costDescription.empty() ? std::string(ui.tr("badge.cost"))
                                                                 : s.costDescription),
                           p.badge, p.onBadge) +
                     l.smallGap;
            }
            if (const char* key = accessKey(s.attendingAccess)) {
                badge(ui, ImVec2(x, row.y0), ui.tr(key), p.badge, p.onBadge);
            }
        }
        flow.gap(l.gap * 1.5f);

        if (!s.acceptsReferrals) {
            drawDirectContact(c, flow, detail);
        }
        drawSection(ui, flow, textKey("service.what"), s.description);
        std::string who = s.eligibility;
        const std::string ages = ageText(ui, s);
        if (!ages.empty()) {
            who += (who.empty() ? "" : "\n") + ages;
        }
        drawSection(ui, flow, textKey("service.who"), who);
        std::string how = s.applicationProcess;
        if (const char* key = accessKey(s.attendingAccess)) {
            const std::string sentence = ui.format("service.how_access", {{"access", ui.tr(key)}});
            how = how.empty() ? sentence : how + "\n" + sentence;
        }
        drawSection(ui, flow, textKey("service.how"), how);

        // Opening times in plain words.
        std::string times;
        for (const std::string& line : describeSchedule(s.schedules, c.runtime.i18n)) {
            times += (times.empty() ? "" : "\n") + line;
        }
        if (s.checkTimes) {
            // Some published hours could not be read exactly: "open" only when a rule that could
            // be read says so, never "closed" on incomplete hours.
            times +=
                (times.empty() ? "" : "\n") + std::string(ui.tr(textKey("service.check_times")));
            if (openNow) {
                times += "\n" + std::string(ui.tr(textKey("service.open_now")));
            }
        } else if (times.empty()) {
            times = ui.tr("service.no_times");
        } else {
            times += "\n";
            times += ui.tr(openNow ? textKey("service.open_now") : textKey("service.closed_now"));
        }
        drawSection(ui, flow, textKey("service.times"), times);

        flowText(ui, flow, TextStyle::Bold, p.text, ui.tr("service.contact"));
        flow.gap(l.smallGap * 0.5f);
        drawContactDetails(c, flow, detail);
        flow.gap(l.gap);
        drawServiceQr(c, flow, detail, "service.qr");
        flow.gap(l.gap * 1.5f);

        std::string access;
        for (const Location& location : detail.locations) {
            for (const std::string& statement : location.accessibility) {
                access += (access.empty() ? "\xE2\x80\xA2 " : "\n\xE2\x80\xA2 ") + statement;
            }
            if (!location.transportation.empty()) {
                access += (access.empty() ? "" : "\n") + location.transportation;
            }
        }
        drawSection(ui, flow, textKey("service.accessibility"), access);

        std::string languages;
        for (const std::string& code : s.languages) {
            languages += (languages.empty() ? "" : ", ") + languageName(c.runtime.i18n, code);
        }
        drawSection(ui, flow, textKey("service.languages"), languages);

        if (s.lastChecked) {
            const unsigned month = static_cast<unsigned>(s.lastChecked->month());
            const int year = static_cast<int>(s.lastChecked->year());
            if (month >= 1 && month <= 12) {
                flowText(ui, flow, TextStyle::Small, p.textMuted,
                         ui.format("service.last_checked", {{"month", ui.tr(kMonthKeys[month - 1])},
                                                            {"year", std::to_string(year)}}));
            }
        }
    }

    static void drawDirectContact(ScreenContext& c, Flow& flow, const ServiceDetail& detail) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        // Measure, then draw the panel behind what follows.
        ImDrawList* dl = ui.drawList();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        const float top = flow.y();
        flow.gap(l.gap);
        Flow inner(flow.left() + l.gap, flow.width() - l.gap * 2);
        flowText(ui, inner, TextStyle::Heading, p.text, ui.tr("service.direct_title"));
        inner.gap(l.smallGap);
        flowText(ui, inner, TextStyle::Body, p.text, ui.tr("service.direct_intro"));
        inner.gap(l.gap);
        drawContactDetails(c, inner, detail);
        inner.gap(l.gap);
        const char* ask = ui.tr("service.ask_link_worker");
        const ButtonStyle style{ButtonKind::Secondary, Icon::Phone};
        const float w = std::min(inner.width(), buttonWidth(ui, ask, style));
        if (button(ui, "service.ask_link_worker", inner.take(buttonHeight(ui, ask, w, style), w),
                   ask, style)) {
            KioskSession& session = c.session;
            ui.defer([&session] { session.startGeneralReferral(); });
        }
        inner.gap(l.gap);
        const float bottom = flow.y();
        dl->ChannelsSetCurrent(0);
        panel(ui, Rect{flow.left(), top, flow.left() + flow.width(), bottom}, p.surface, p.primary);
        dl->ChannelsMerge();
        flow.gap(l.gap * 1.5f);
    }

    std::optional<ServiceDetail> m_detail;
    std::string m_loadedId;
};

}  // namespace

std::string referralReceiptText(const I18n& i18n, const std::string& reference,
                                const std::string& phone) {
    return std::string(i18n.tr("referral.done.reference_label")) + ": " + reference + "\n" +
           i18n.format("referral.done.no_reply", {{"phone", phone}});
}

void drawServiceQr(ScreenContext& c, Flow& flow, const ServiceDetail& detail, std::string_view id) {
    flowQrCard(c.ui, flow, id, serviceVCard(detail), c.ui.tr("qr.service_caption"));
}

void drawSection(Ui& ui, Flow& flow, const char* titleKey, std::string_view body) {
    if (body.empty()) {
        return;
    }
    const Layout& l = ui.layout();
    flowText(ui, flow, TextStyle::Bold, ui.palette().text, ui.tr(titleKey));
    flow.gap(l.smallGap * 0.5f);
    flowText(ui, flow, TextStyle::Body, ui.palette().text, body);
    flow.gap(l.gap * 1.5f);
}

void drawContactDetails(ScreenContext& c, Flow& flow, const ServiceDetail& detail) {
    Ui& ui = c.ui;
    const Palette& p = ui.palette();
    const Layout& l = ui.layout();
    const Service& s = detail.service;
    bool any = false;
    for (const Phone& phone : s.phones) {
        const std::string line = phone.description.empty()
                                     ? phone.number
                                     : phone.number + " \xE2\x80\x93 " + phone.description;
        flowText(ui, flow, TextStyle::Bold, p.text, ui.format("contact.phone", {{"number", line}}));
        flow.gap(l.smallGap * 0.5f);
        any = true;
    }
    const std::string& website = s.url.empty() ? detail.organisation.website : s.url;
    if (!website.empty()) {
        flowText(ui, flow, TextStyle::Body, p.text,
                 ui.format("contact.website", {{"website", website}}));
        flow.gap(l.smallGap * 0.5f);
        any = true;
    }
    const std::string& email = s.email.empty() ? detail.organisation.email : s.email;
    if (!email.empty()) {
        flowText(ui, flow, TextStyle::Body, p.text, ui.format("contact.email", {{"email", email}}));
        flow.gap(l.smallGap * 0.5f);
        any = true;
    }
    for (const Location& location : detail.locations) {
        std::string text = addressText(location.address);
        if (!location.name.empty()) {
            text = location.name + (text.empty() ? "" : ", " + text);
        }
        if (!text.empty()) {
            flowText(ui, flow, TextStyle::Body, p.text,
                     ui.format("contact.address", {{"address", text}}));
            flow.gap(l.smallGap * 0.5f);
            any = true;
        }
    }
    if (!any) {
        flowText(ui, flow, TextStyle::Body, p.textMuted, ui.tr("contact.none"));
    }
}

std::unique_ptr<View> makeServiceView() {
    return std::make_unique<ServiceView>();
}

}  // namespace signpost::ui
