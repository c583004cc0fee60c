// Signpost UI — a modal list of big options over a dimmed screen: the neighbourhood chooser, the
// language chooser, the results' language filter. One option may be marked as the current one.
// The list scrolls by touch when it is long; "Close" (chooser.close) leaves it unchanged.
// Thread-safety: UI thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ui/geometry.h"
#include "ui/touch_scroll.h"
#include "ui/ui_context.h"

namespace signpost::ui {

struct ChooserOption {
    std::string id;     // UiMap id, e.g. "home.neighbourhood.option.3"
    std::string label;  // already translated
    bool selected = false;
};

class Chooser {
public:
    // Opens with `options`; `onChoose` gets the index chosen (after the frame, as an intent).
    void open(std::string title, std::vector<ChooserOption> options,
              std::function<void(std::size_t)> onChoose);
    void close();
    void reset() { close(); }
    bool isOpen() const noexcept { return m_open; }
    // Draws over `screen` (call with the Ui on the chooser's layer).
    void draw(Ui& ui, const Rect& screen);

private:
    bool m_open = false;
    std::string m_title;
    std::vector<ChooserOption> m_options;
    std::function<void(std::size_t)> m_onChoose;
    TouchScroll m_scroll;
};

}  // namespace signpost::ui
