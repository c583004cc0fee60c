// Signpost UI — QR codes residents take away with a phone camera, with no network: a service's
// details (a vCard, core/directory/contact_card.h) and the referral's reference with the number
// to call (plain text).
//
// Encoded by libqrencode (byte mode, UTF-8, error correction M), drawn as dark squares on white
// with the 4-module quiet zone, each module a whole number of pixels. A code is never mirrored
// in a right-to-left layer (a mirrored code does not scan): it is drawn pre-mirrored.
// Thread-safety: UI thread only.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ui/geometry.h"
#include "ui/touch_scroll.h"
#include "ui/ui_context.h"

namespace signpost::ui {

struct QrCode {
    int size = 0;                       // modules per side; 0 = nothing (too long to encode)
    std::vector<std::uint8_t> modules;  // size × size, row by row, 1 = dark
    bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

// Encodes `text` (cached: the last few texts). size 0 if it cannot be encoded.
const QrCode& encodeQr(std::string_view text);

// Draws the code for `text` as large as fits in `box` (top-left aligned, square), registered as
// `id`; returns the side drawn (0 if none).
float drawQrCode(Ui& ui, std::string_view id, const Rect& box, std::string_view text);

// A card in a flow: the code (about 7 cm on the glass, smaller on narrow screens) beside its
// caption, or above it when there is no room beside.
void flowQrCard(Ui& ui, Flow& flow, std::string_view id, std::string_view text,
                std::string_view caption);

}  // namespace signpost::ui
