// Staff mode through the UI, for the headless UI tests: the PIN they all use, and the presses
// that reach the PIN pad and the staff panel.
#pragma once

#include <string>
#include <string_view>

#include "core/staff/staff_auth.h"
#include "ui_testing/ui_driver.h"

#ifndef CATCH_VERSION_MAJOR
#include <catch2/catch.hpp>
#endif

namespace signpost::test {

inline constexpr std::string_view kStaffPin = "2580";

// The Argon2id hash of kStaffPin, made once per test executable (hashing takes ~50 ms).
inline const std::string& knownPinHash() {
    static const std::string hash = StaffAuth::hashPin(kStaffPin);
    return hash;
}

// Presses the PIN pad's digit keys, then OK; false as soon as a key is not on screen.
inline bool typePin(ui::testing::UiDriver& ui, std::string_view pin) {
    for (char digit : pin) {
        if (!ui.press(std::string("staff.pin.key.") + digit)) {
            return false;
        }
    }
    return ui.press("staff.pin.ok");
}

// Holds the staff corner for 3.2 s: the PIN pad must open.
inline void openPinPad(ui::testing::UiDriver& ui) {
    REQUIRE(ui.hold("global.staff_corner", 3.2));
    REQUIRE(ui.screen() == "staff.pin");
}

// The PIN pad, kStaffPin, and the staff panel must be showing.
inline void openStaffPanel(ui::testing::UiDriver& ui) {
    openPinPad(ui);
    REQUIRE(typePin(ui, kStaffPin));
    ui.settle();
    REQUIRE(ui.screen() == "staff.panel");
}

}  // namespace signpost::test
