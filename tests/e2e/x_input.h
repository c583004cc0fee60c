// Signpost end-to-end — real input events and screenshots on an X display.
//
// Presses are XTest fake events: the X server treats them as a real pointer, so they travel the
// same path a touchscreen's emulated pointer events do (X11/Xwayland; FACTS.md "Kiosks and
// touch"): server → GLFW → ImGui's backend → the kiosk's widgets.
//
// Thread-safety: one thread. Throws XInputError.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

struct _XDisplay;

namespace signpost::e2e {

class XInputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class XSession {
public:
    // Connects to `display` ("" = $DISPLAY) and checks the XTEST extension is there.
    explicit XSession(const std::string& display);
    ~XSession();
    XSession(const XSession&) = delete;
    XSession& operator=(const XSession&) = delete;

    int screenWidth() const noexcept { return m_width; }
    int screenHeight() const noexcept { return m_height; }

    void movePointer(int x, int y);  // absolute, root window coordinates
    void button(bool down);          // button 1 (a touch is button 1)
    // The whole root window as a PNG. Throws XInputError if it cannot be read or written.
    void screenshot(const std::filesystem::path& pngFile);

private:
    _XDisplay* m_display = nullptr;
    int m_screen = 0;
    int m_width = 0;
    int m_height = 0;
};

}  // namespace signpost::e2e
