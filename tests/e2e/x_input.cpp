#include "e2e/x_input.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>

#include <cstdint>
#include <vector>

#include "e2e/png_writer.h"

namespace signpost::e2e {
namespace {

// Position of the lowest set bit and the width of a colour mask (e.g. 0xff0000 → 16, 8).
void maskShape(unsigned long mask, int& shift, int& bits) {
    shift = 0;
    bits = 0;
    if (mask == 0) {
        return;
    }
    while ((mask & 1UL) == 0) {
        mask >>= 1;
        ++shift;
    }
    while ((mask & 1UL) != 0) {
        mask >>= 1;
        ++bits;
    }
}

std::uint8_t channel(unsigned long pixel, unsigned long mask, int shift, int bits) {
    if (bits == 0) {
        return 0;
    }
    const unsigned long value = (pixel & mask) >> shift;
    const unsigned long max = (1UL << bits) - 1;
    return static_cast<std::uint8_t>(value * 255 / max);
}

}  // namespace

XSession::XSession(const std::string& display) {
    m_display = XOpenDisplay(display.empty() ? nullptr : display.c_str());
    if (m_display == nullptr) {
        throw XInputError("cannot connect to X display '" + display + "'");
    }
    int eventBase = 0, errorBase = 0, major = 0, minor = 0;
    if (!XTestQueryExtension(m_display, &eventBase, &errorBase, &major, &minor)) {
        XCloseDisplay(m_display);
        throw XInputError("the X server has no XTEST extension");
    }
    m_screen = DefaultScreen(m_display);
    m_width = DisplayWidth(m_display, m_screen);
    m_height = DisplayHeight(m_display, m_screen);
}

XSession::~XSession() {
    XCloseDisplay(m_display);
}

void XSession::movePointer(int x, int y) {
    XTestFakeMotionEvent(m_display, m_screen, x, y, CurrentTime);
    XSync(m_display, False);
}

void XSession::button(bool down) {
    XTestFakeButtonEvent(m_display, 1, down ? True : False, CurrentTime);
    XSync(m_display, False);
}

void XSession::screenshot(const std::filesystem::path& pngFile) {
    const Window root = RootWindow(m_display, m_screen);
    XImage* image = XGetImage(m_display, root, 0, 0, static_cast<unsigned>(m_width),
                              static_cast<unsigned>(m_height), AllPlanes, ZPixmap);
    if (image == nullptr) {
        throw XInputError("XGetImage of the root window failed");
    }
    int redShift = 0, redBits = 0, greenShift = 0, greenBits = 0, blueShift = 0, blueBits = 0;
    maskShape(image->red_mask, redShift, redBits);
    maskShape(image->green_mask, greenShift, greenBits);
    maskShape(image->blue_mask, blueShift, blueBits);
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(m_width) *
                                  static_cast<std::size_t>(m_height) * 3);
    std::size_t at = 0;
    for (int y = 0; y < m_height; ++y) {
        for (int x = 0; x < m_width; ++x) {
            const unsigned long pixel = XGetPixel(image, x, y);
            rgb[at++] = channel(pixel, image->red_mask, redShift, redBits);
            rgb[at++] = channel(pixel, image->green_mask, greenShift, greenBits);
            rgb[at++] = channel(pixel, image->blue_mask, blueShift, blueBits);
        }
    }
    XDestroyImage(image);
    if (!writePng(pngFile, m_width, m_height, rgb)) {
        throw XInputError("cannot write " + pngFile.string());
    }
}

}  // namespace signpost::e2e
