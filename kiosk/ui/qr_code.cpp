#include "ui/qr_code.h"

#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <string>

#include "ui/button.h"

namespace signpost::ui {

namespace {

constexpr int kQuietZone = 4;  // modules of white around the code (ISO/IEC 18004)
constexpr std::size_t kCached = 6;

}  // namespace

const QrCode& encodeQr(std::string_view text) {
    static std::list<std::pair<std::string, QrCode>> cache;  // most recent first
    for (auto it = cache.begin(); it != cache.end(); ++it) {
        if (it->first == text) {
            cache.splice(cache.begin(), cache, it);
            return cache.front().second;
        }
    }
    QrCode code;
    const std::string data(text);
    if (QRcode* qr = QRcode_encodeData(static_cast<int>(data.size()),
                                       reinterpret_cast<const unsigned char*>(data.data()), 0,
                                       QR_ECLEVEL_M)) {
        code.size = qr->width;
        code.modules.resize(static_cast<std::size_t>(qr->width) *
                            static_cast<std::size_t>(qr->width));
        for (std::size_t i = 0; i < code.modules.size(); ++i) {
            code.modules[i] = (qr->data[i] & 1U) != 0 ? 1 : 0;  // bit 0: dark
        }
        QRcode_free(qr);
    }
    cache.emplace_front(data, std::move(code));
    if (cache.size() > kCached) {
        cache.pop_back();
    }
    return cache.front().second;
}

float drawQrCode(Ui& ui, std::string_view id, const Rect& box, std::string_view text) {
    const QrCode& code = encodeQr(text);
    if (code.size == 0) {
        return 0;
    }
    const int modules = code.size + kQuietZone * 2;
    const float side = std::min(box.width(), box.height());
    const float module = std::floor(side / static_cast<float>(modules));
    if (module < 1) {
        return 0;
    }
    const float drawn = module * static_cast<float>(modules);
    const Rect square = Rect::fromSize(std::round(box.x0), std::round(box.y0), drawn, drawn);
    ui.registerElement(id, square);
    ImDrawList* dl = ui.drawList();
    const ImU32 white = IM_COL32(255, 255, 255, 255);
    const ImU32 black = IM_COL32(0, 0, 0, 255);
    dl->AddRectFilled(ImVec2(square.x0, square.y0), ImVec2(square.x1, square.y1), white);
    // Where the code must appear on the glass; each module then goes where the layer's mirroring
    // will put it back (ui.physical is its own inverse).
    const Rect glass = ui.physical(square);
    for (int y = 0; y < code.size; ++y) {
        for (int x = 0; x < code.size; ++x) {
            if (!code.dark(x, y)) {
                continue;
            }
            const Rect cell = Rect::fromSize(glass.x0 + static_cast<float>(x + kQuietZone) * module,
                                             glass.y0 + static_cast<float>(y + kQuietZone) * module,
                                             module, module);
            const Rect at = ui.physical(cell);
            dl->AddRectFilled(ImVec2(at.x0, at.y0), ImVec2(at.x1, at.y1), black);
        }
    }
    return drawn;
}

void flowQrCard(Ui& ui, Flow& flow, std::string_view id, std::string_view text,
                std::string_view caption) {
    const Layout& l = ui.layout();
    const QrCode& code = encodeQr(text);
    if (code.size == 0) {
        return;
    }
    const float modules = static_cast<float>(code.size + kQuietZone * 2);
    // About 70 mm on the glass reads well at arm's length; at least 3 px a module.
    const float wanted =
        std::max(modules * 3, std::min(70.0f * l.pixelsPerMm, flow.width() * 0.45f));
    const float side = std::floor(wanted / modules) * modules;
    const float pad = l.gap;
    const bool beside = flow.width() - side - pad * 3 >= l.readableWidth * 0.25f;
    const float textWidth = beside ? flow.width() - side - pad * 3 : flow.width() - pad * 2;
    const float captionHeight = ui.text().height(TextStyle::Body, caption, textWidth);
    const float height =
        beside ? std::max(side, captionHeight) + pad * 2 : side + captionHeight + pad * 3;
    const Rect card = flow.take(height);
    panel(ui, card, ui.palette().surface, ui.palette().border);
    const Rect codeBox = Rect::fromSize(card.x0 + pad, card.y0 + pad, side, side);
    drawQrCode(ui, id, codeBox, text);
    const Rect captionBox = beside ? Rect{codeBox.x1 + pad, card.centreY() - captionHeight * 0.5f,
                                          card.x1 - pad, card.y1}
                                   : Rect{card.x0 + pad, codeBox.y1 + pad, card.x1 - pad, card.y1};
    ui.text().drawWrapped(ui.drawList(), TextStyle::Body, captionBox, ui.palette().text, caption);
}

}  // namespace signpost::ui
