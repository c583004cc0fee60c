#include "ui/icons.h"

#include <algorithm>
#include <cmath>

namespace signpost::ui {

namespace {

thread_local bool t_mirrored = false;

// Icons whose shape means the same either way round keep it in a mirrored layer (a tick, a
// handset, a magnifier, the letters of text size, the contrast disc); arrows and Backspace turn.
bool keepsShape(Icon icon) noexcept {
    return icon == Icon::Tick || icon == Icon::Phone || icon == Icon::Search ||
           icon == Icon::TextSize || icon == Icon::Contrast;
}

void drawShape(ImDrawList* dl, Icon icon, const Rect& box, ImU32 colour, float thickness) {
    const float size = std::min(box.width(), box.height());
    const float cx = box.centreX();
    const float cy = box.centreY();
    const float r = size * 0.5f;
    auto p = [&](float x, float y) { return ImVec2(cx + x * r, cy + y * r); };
    switch (icon) {
        case Icon::None:
            break;
        case Icon::Back: {
            const ImVec2 pts[] = {p(0.3f, -0.6f), p(-0.3f, 0), p(0.3f, 0.6f)};
            dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness);
            break;
        }
        case Icon::Forward: {
            const ImVec2 pts[] = {p(-0.3f, -0.6f), p(0.3f, 0), p(-0.3f, 0.6f)};
            dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness);
            break;
        }
        case Icon::ChevronDown: {
            const ImVec2 pts[] = {p(-0.6f, -0.25f), p(0, 0.35f), p(0.6f, -0.25f)};
            dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness);
            break;
        }
        case Icon::Tick: {
            const ImVec2 pts[] = {p(-0.65f, 0.05f), p(-0.2f, 0.5f), p(0.65f, -0.5f)};
            dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness * 1.3f);
            break;
        }
        case Icon::Cross:
            dl->AddLine(p(-0.5f, -0.5f), p(0.5f, 0.5f), colour, thickness);
            dl->AddLine(p(0.5f, -0.5f), p(-0.5f, 0.5f), colour, thickness);
            break;
        case Icon::Globe:
            dl->AddCircle(p(0, 0), r * 0.8f, colour, 32, thickness);
            dl->AddLine(p(-0.8f, 0), p(0.8f, 0), colour, thickness * 0.8f);
            dl->AddBezierCubic(p(0, -0.8f), p(-0.55f, -0.4f), p(-0.55f, 0.4f), p(0, 0.8f), colour,
                               thickness * 0.8f);
            dl->AddBezierCubic(p(0, -0.8f), p(0.55f, -0.4f), p(0.55f, 0.4f), p(0, 0.8f), colour,
                               thickness * 0.8f);
            break;
        case Icon::TextSize: {
            // Two letter-like "A" shapes, small and large.
            auto letterA = [&](float x, float scale) {
                const ImVec2 pts[] = {p(x - 0.3f * scale, 0.6f),
                                      p(x, -0.6f * scale + (1 - scale) * 0.6f),
                                      p(x + 0.3f * scale, 0.6f)};
                dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness);
                dl->AddLine(p(x - 0.17f * scale, 0.6f - 0.45f * scale),
                            p(x + 0.17f * scale, 0.6f - 0.45f * scale), colour, thickness);
            };
            letterA(-0.45f, 0.6f);
            letterA(0.3f, 1.0f);
            break;
        }
        case Icon::Contrast:
            dl->AddCircle(p(0, 0), r * 0.75f, colour, 32, thickness);
            dl->PathArcTo(p(0, 0), r * 0.75f, -1.5707963f, 1.5707963f, 24);
            dl->PathFillConvex(colour);
            break;
        case Icon::Search:
            dl->AddCircle(p(-0.15f, -0.15f), r * 0.45f, colour, 24, thickness);
            dl->AddLine(p(0.18f, 0.18f), p(0.65f, 0.65f), colour, thickness * 1.3f);
            break;
        case Icon::Phone: {
            const ImVec2 pts[] = {p(-0.55f, -0.6f), p(-0.25f, -0.6f), p(-0.1f, -0.25f),
                                  p(-0.3f, -0.1f),  p(0.1f, 0.3f),    p(0.25f, 0.1f),
                                  p(0.6f, 0.25f),   p(0.6f, 0.55f),   p(0.35f, 0.65f)};
            dl->AddPolyline(pts, 9, colour, ImDrawFlags_None, thickness);
            dl->AddBezierQuadratic(p(0.35f, 0.65f), p(-0.7f, 0.4f), p(-0.55f, -0.6f), colour,
                                   thickness);
            break;
        }
        case Icon::Backspace: {
            const ImVec2 pts[] = {p(-0.75f, 0), p(-0.35f, -0.5f), p(0.75f, -0.5f), p(0.75f, 0.5f),
                                  p(-0.35f, 0.5f)};
            dl->AddPolyline(pts, 5, colour, ImDrawFlags_Closed, thickness);
            dl->AddLine(p(-0.05f, -0.22f), p(0.4f, 0.22f), colour, thickness);
            dl->AddLine(p(0.4f, -0.22f), p(-0.05f, 0.22f), colour, thickness);
            break;
        }
        case Icon::Shift: {
            const ImVec2 pts[] = {p(0, -0.7f),    p(0.65f, 0), p(0.3f, 0),  p(0.3f, 0.6f),
                                  p(-0.3f, 0.6f), p(-0.3f, 0), p(-0.65f, 0)};
            dl->AddPolyline(pts, 7, colour, ImDrawFlags_Closed, thickness);
            break;
        }
        case Icon::Warning: {
            dl->AddTriangle(p(0, -0.75f), p(0.8f, 0.65f), p(-0.8f, 0.65f), colour, thickness);
            dl->AddLine(p(0, -0.25f), p(0, 0.2f), colour, thickness);
            dl->AddCircleFilled(p(0, 0.42f), thickness * 0.8f, colour);
            break;
        }
        case Icon::Lock:
            dl->AddRect(p(-0.5f, -0.1f), p(0.5f, 0.7f), colour, thickness, ImDrawFlags_None,
                        thickness);
            dl->PathArcTo(p(0, -0.1f), r * 0.32f, 3.14159265f, 6.2831853f, 16);
            dl->PathStroke(colour, ImDrawFlags_None, thickness);
            break;
        case Icon::Speaker:
        case Icon::VolumeLow:
        case Icon::VolumeMedium:
        case Icon::VolumeHigh: {
            // A loudspeaker; Speaker has sound lines, the volume icons one to three arcs.
            const ImVec2 body[] = {p(-0.75f, -0.22f), p(-0.45f, -0.22f), p(-0.05f, -0.6f),
                                   p(-0.05f, 0.6f),   p(-0.45f, 0.22f),  p(-0.75f, 0.22f)};
            dl->AddPolyline(body, 6, colour, ImDrawFlags_Closed, thickness);
            const int arcs = icon == Icon::Speaker        ? 2
                             : icon == Icon::VolumeLow    ? 1
                             : icon == Icon::VolumeMedium ? 2
                                                          : 3;
            for (int i = 0; i < arcs; ++i) {
                const float radius = r * (0.3f + 0.22f * static_cast<float>(i));
                dl->PathArcTo(p(0.05f, 0), radius, -0.8f, 0.8f, 12);
                dl->PathStroke(colour, ImDrawFlags_None, thickness);
            }
            break;
        }
        case Icon::Home: {
            const ImVec2 pts[] = {p(-0.7f, -0.05f), p(0, -0.7f), p(0.7f, -0.05f)};
            dl->AddPolyline(pts, 3, colour, ImDrawFlags_None, thickness);
            const ImVec2 body[] = {p(-0.5f, -0.2f), p(-0.5f, 0.65f), p(0.5f, 0.65f),
                                   p(0.5f, -0.2f)};
            dl->AddPolyline(body, 4, colour, ImDrawFlags_None, thickness);
            break;
        }
    }
}

}  // namespace

void setIconsMirrored(bool mirrored) noexcept {
    t_mirrored = mirrored;
}

void drawIcon(ImDrawList* dl, Icon icon, const Rect& box, ImU32 colour, float thickness) {
    const int first = dl->VtxBuffer.Size;
    drawShape(dl, icon, box, colour, thickness);
    if (t_mirrored && keepsShape(icon)) {
        // Pre-mirrored about its own centre: the layer's flip turns it back.
        const float twiceCentre = box.x0 + box.x1;
        for (int i = first; i < dl->VtxBuffer.Size; ++i) {
            dl->VtxBuffer[i].pos.x = twiceCentre - dl->VtxBuffer[i].pos.x;
        }
    }
}

}  // namespace signpost::ui
