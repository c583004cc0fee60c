// Signpost — letting the display sleep outside opening hours (X11 DPMS extension, libXext).
//
// Why libXext and not `xset dpms force off`: no child process per change, an answer we can check
// (DPMSCapable, DPMSInfo), and nothing extra to install at run time (libxext6 is already pulled
// in by the GL stack). The kiosk session (installer/kiosk-session) keeps DPMS off while the venue
// is open; this turns it on and forces the monitor off when KioskApp::displayAwake() says so,
// and back on (restoring the DPMS state found at start) when it says awake again. The X server
// itself wakes the monitor on the first touch; the app then shows the closed screen.
//
// An X server without DPMS (Xvfb, some drivers) is logged once and the screen simply stays on.
// Thread-safety: the main (GLFW) thread only.
#pragma once

struct _XDisplay;

namespace signpost::app {

class DisplayPower {
public:
    // `display` is GLFW's X connection (glfwGetX11Display); null = not on X11 (nothing happens).
    explicit DisplayPower(_XDisplay* display);
    // GLFW's own X connection (after glfwInit on X11); null, so inactive, on other platforms.
    static _XDisplay* forGlfw();
    ~DisplayPower();  // wakes the display if this put it to sleep
    DisplayPower(const DisplayPower&) = delete;
    DisplayPower& operator=(const DisplayPower&) = delete;

    // Applies the wanted state if it differs from the last one applied.
    void set(bool awake);
    bool supported() const noexcept { return m_supported; }
    bool sleeping() const noexcept { return !m_awake; }

private:
    _XDisplay* m_display;
    bool m_supported = false;
    bool m_awake = true;
    bool m_dpmsWasEnabled = false;
};

}  // namespace signpost::app
