// Done: the request is stored. The reference is big and spaced for reading aloud over the phone
// ("M C R – 4 K 7 Q"), then what happens next, then one button that clears the screen.
#include <algorithm>

#include "core/common/log.h"
#include "core/storage/database.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {

std::string spacedReference(std::string_view reference) {
    std::string spaced;
    for (char ch : reference) {
        if (ch == '-') {
            spaced += "  \xE2\x80\x93  ";  // "  –  "
            continue;
        }
        if (!spaced.empty() && spaced.back() != ' ') {
            spaced += ' ';
        }
        spaced += ch;
    }
    return spaced;
}

class ReferralDoneView final : public View {
public:
    void resetVisit() override {
        m_detail.reset();
        m_loadedId.clear();
    }

    // The service the referral was for, read once per referral.
    void loadService(ScreenContext& c) {
        const std::string& id = c.session.referredServiceId();
        if (id == m_loadedId) {
            return;
        }
        m_loadedId = id;
        m_detail.reset();
        if (!id.empty() && c.runtime.directory) {
            try {
                m_detail = c.runtime.directory->service(id);
            } catch (const StorageError& error) {
                logError("ui", std::string("service load failed: ") + error.what());
            }
        }
    }

    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const StepSpec spec{"referral.done.scroll",          textKey("referral.done.title"),
                            textKey("referral.done.intro"),  "referral.done.finish",
                            textKey("referral.done.finish"), false};
        const bool finish =
            drawReferralStep(c, area, spec, [&](Flow& flow, TouchScroll&, const ScrollArea&) {
                const Layout& l = ui.layout();
                const Palette& p = ui.palette();
                flowText(ui, flow, TextStyle::Bold, p.text, ui.tr("referral.done.reference_label"));
                flow.gap(l.smallGap);
                const std::string spaced = spacedReference(c.session.reference());
                const float width = std::min(
                    flow.width(), std::max(ui.text().width(TextStyle::Title, spaced) + l.margin * 2,
                                           flow.width() * 0.5f));
                const float height =
                    ui.text().height(TextStyle::Title, spaced, width - l.margin * 2) + l.gap * 2;
                const Rect box = flow.take(height, width);
                panel(ui, box, p.surface, p.primary);
                ui.text().drawCentred(ui.drawList(), TextStyle::Title, box.shrink(l.margin, l.gap),
                                      p.text, spaced);
                ui.registerElement("referral.done.reference", box);
                flow.gap(l.smallGap);
                flowText(ui, flow, TextStyle::Body, p.textMuted,
                         ui.tr("referral.done.reference_hint"));
                flow.gap(l.gap);
                // To take away, right under the reference: it and the number to call.
                const std::string receipt = referralReceiptText(
                    c.runtime.i18n, c.session.reference(), c.runtime.config.linkWorkerPhone);
                flowQrCard(ui, flow, "referral.done.qr", receipt, ui.tr("qr.receipt_caption"));
                flow.gap(l.gap * 2);
                drawSection(ui, flow, textKey("referral.done.next_title"),
                            ui.tr("referral.done.next"));
                drawSection(ui, flow, textKey("referral.done.no_reply_title"),
                            ui.format("referral.done.no_reply",
                                      {{"phone", c.runtime.config.linkWorkerPhone}}));
                loadService(c);
                if (m_detail) {
                    flow.gap(l.gap);
                    flowText(ui, flow, TextStyle::Bold, p.text, m_detail->service.name);
                    flow.gap(l.smallGap);
                    drawServiceQr(c, flow, *m_detail, "referral.done.service_qr");
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

std::unique_ptr<View> makeReferralDoneView() {
    return std::make_unique<ReferralDoneView>();
}

}  // namespace signpost::ui
