#include "e2e/x_screen.h"

#include <X11/Xlib.h>

namespace signpost::e2e {

std::optional<std::pair<int, int>> screenSize(const std::string& display) {
    ::Display* x = XOpenDisplay(display.c_str());
    if (x == nullptr) {
        return std::nullopt;
    }
    const int screen = DefaultScreen(x);
    std::pair<int, int> size{DisplayWidth(x, screen), DisplayHeight(x, screen)};
    XCloseDisplay(x);
    return size;
}

}  // namespace signpost::e2e
