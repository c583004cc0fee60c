// Signpost UI — big touch controls: buttons, tiles, filter toggles, tick rows, badges.
//
// Every control is at least Layout::target tall and registers its id in the UiMap. Labels wrap
// rather than shrink; the "…Height" helpers say how tall a control must be for its label at a
// given width, so screens can lay out before drawing. A selected state is never shown by colour
// alone: selected tiles and toggles also show a tick (WCAG 1.4.1).
// Thread-safety: UI thread only.
#pragma once

#include <string_view>

#include "ui/geometry.h"
#include "ui/icons.h"
#include "ui/text.h"
#include "ui/ui_context.h"

namespace signpost::ui {

enum class ButtonKind {
    Primary,    // the one main action of a screen (Next, Submit, Ask them to contact me)
    Secondary,  // outlined
    Quiet,      // text with an underline, still a full-size target ("Change")
    Header,     // on the top bar
};

struct ButtonStyle {
    ButtonKind kind = ButtonKind::Secondary;
    Icon icon = Icon::None;
    bool iconAfter = false;  // icon right of the label (Next →)
    bool enabled = true;
    TextStyle textStyle = TextStyle::Bold;
};

// Natural width of a button for `label` (padding + icon + text), at least Layout::target.
float buttonWidth(Ui& ui, std::string_view label, const ButtonStyle& style = {});
// Height for `label` wrapped inside `width`, at least Layout::target.
float buttonHeight(Ui& ui, std::string_view label, float width, const ButtonStyle& style = {});
bool button(Ui& ui, std::string_view id, const Rect& rect, std::string_view label,
            const ButtonStyle& style = {});

// A need tile or choice tile: title (bold) and an optional line under it. `selected` fills it
// and shows a tick; `marker` picks how a choice looks (none, a tick box, a radio dot).
enum class TileMarker { None, Check, Radio };
float tileHeight(Ui& ui, float width, std::string_view title, std::string_view subtitle,
                 TileMarker marker = TileMarker::None);
// The narrowest tile that breaks no word of its title or subtitle between letters.
float tileMinimumWidth(Ui& ui, std::string_view title, std::string_view subtitle,
                       TileMarker marker = TileMarker::None);
bool tile(Ui& ui, std::string_view id, const Rect& rect, std::string_view title,
          std::string_view subtitle, bool selected, TileMarker marker = TileMarker::None);

// A tile in the primary colour for an action among choices ("I'm not sure what I need");
// same size rules as tile() with TileMarker::Check (the icon sits where the marker would).
bool actionTile(Ui& ui, std::string_view id, const Rect& rect, std::string_view title,
                std::string_view subtitle, Icon icon);

// A pill that is on or off (results filters). Width from toggleWidth().
float toggleWidth(Ui& ui, std::string_view label);
bool toggle(Ui& ui, std::string_view id, const Rect& rect, std::string_view label, bool on,
            Icon icon = Icon::None);

// A big tick box with a wrapped label beside it; the whole row is the target.
float checkRowHeight(Ui& ui, float width, std::string_view label);
bool checkRow(Ui& ui, std::string_view id, const Rect& rect, std::string_view label, bool checked,
              bool error = false);

// A small label on a coloured background; returns its width. Not a target.
float badgeWidth(Ui& ui, std::string_view label);
float badge(Ui& ui, ImVec2 position, std::string_view label, ImU32 fill, ImU32 textColour);
float badgeHeight(Ui& ui);

// Fills a rounded panel (cards, sections) with an optional outline.
void panel(Ui& ui, const Rect& rect, ImU32 fill, ImU32 outline = 0);

}  // namespace signpost::ui
