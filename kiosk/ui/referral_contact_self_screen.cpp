// "I'd rather contact them myself": the service's own contact details (or, for a general
// request, the link workers' phone number from the config). Nothing is sent.
#include "core/common/log.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

class ReferralContactSelfView final : public View {
public:
    void resetVisit() override {
        m_detail.reset();
        m_loadedId.clear();
    }

    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const ReferralForm& form = c.session.form();
        if (form.kind == ReferralKind::Service && form.serviceId != m_loadedId &&
            c.runtime.directory) {
            m_loadedId = form.serviceId;
            try {
                m_detail = c.runtime.directory->service(form.serviceId);
            } catch (const StorageError& error) {
                logError("ui", std::string("service load failed: ") + error.what());
                m_detail.reset();
            }
        }
        const bool forService = form.kind == ReferralKind::Service && m_detail;
        StepSpec spec{"referral.contact_self.scroll", textKey("referral.contact_self.title"),
                      nullptr, "referral.contact_self.finish",
                      textKey("referral.contact_self.finish")};
        spec.introKey = forService ? textKey("referral.contact_self.intro_service")
                                   : textKey("referral.contact_self.intro_general");
        const bool finish =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                const Layout& l = ui.layout();
                const Palette& p = ui.palette();
                if (forService) {
                    flowText(ui, flow, TextStyle::Heading, p.text, m_detail->service.name);
                    flow.gap(l.gap);
                    drawContactDetails(c, flow, *m_detail);
                    flow.gap(l.gap);
                    drawServiceQr(c, flow, *m_detail, "referral.contact_self.qr");
                    flow.gap(l.gap * 1.5f);
                }
                flowText(ui, flow, TextStyle::Bold, p.text,
                         ui.tr("referral.contact_self.link_worker"));
                flow.gap(l.smallGap);
                flowText(ui, flow, TextStyle::Title, p.text, c.runtime.config.linkWorkerPhone);
                flow.gap(l.gap);
                flowText(ui, flow, TextStyle::Body, p.textMuted,
                         ui.tr("referral.contact_self.note"));
                if (!forService) {
                    flow.gap(l.gap);
                    flowQrCard(ui, flow, "referral.contact_self.qr",
                               std::string(c.runtime.i18n.tr("referral.contact_self.link_worker")) +
                                   ": " + c.runtime.config.linkWorkerPhone,
                               ui.tr("qr.link_worker_caption"));
                }
            });
        if (finish) {
            KioskSession& session = c.session;
            ui.defer([&session] { session.finishAndClear(); });
        }
    }

private:
    std::optional<ServiceDetail> m_detail;
    std::string m_loadedId;
};

}  // namespace

std::unique_ptr<View> makeReferralContactSelfView() {
    return std::make_unique<ReferralContactSelfView>();
}

}  // namespace signpost::ui
