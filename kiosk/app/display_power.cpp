#include "app/display_power.h"

#include <GLFW/glfw3.h>
#define GLFW_EXPOSE_NATIVE_X11
#include <GLFW/glfw3native.h>
#include <X11/Xlib.h>
#include <X11/extensions/dpms.h>

#include "core/common/log.h"

namespace signpost::app {

_XDisplay* DisplayPower::forGlfw() {
    return glfwGetX11Display();
}

DisplayPower::DisplayPower(_XDisplay* display) : m_display(display) {
    if (m_display == nullptr) {
        return;
    }
    int eventBase = 0;
    int errorBase = 0;
    m_supported = DPMSQueryExtension(m_display, &eventBase, &errorBase) && DPMSCapable(m_display);
    if (m_supported) {
        CARD16 level = 0;
        BOOL enabled = False;
        DPMSInfo(m_display, &level, &enabled);
        m_dpmsWasEnabled = enabled != False;
    }
}

DisplayPower::~DisplayPower() {
    if (!m_awake) {
        set(true);
    }
}

void DisplayPower::set(bool awake) {
    if (awake == m_awake) {
        return;
    }
    m_awake = awake;
    if (!m_supported) {
        static bool told = false;
        if (!told) {
            told = true;
            logWarning("display",
                       "this X server has no DPMS: the screen stays on while the venue is closed");
        }
        return;
    }
    if (!awake) {
        // DPMSForceLevel needs DPMS enabled; the session keeps it disabled while open.
        DPMSEnable(m_display);
        DPMSForceLevel(m_display, DPMSModeOff);
        logInfo("display", "venue closed and nobody near: display sleeping (DPMS off)");
    } else {
        DPMSForceLevel(m_display, DPMSModeOn);
        if (!m_dpmsWasEnabled) {
            DPMSDisable(m_display);  // back to "no blanking" as the session set it
        }
        logInfo("display", "display awake");
    }
    XFlush(m_display);
}

}  // namespace signpost::app
