// Signpost end-to-end — walkthrough scripts for signpost-e2e-driver.
//
// One command per line; '#' starts a comment line; blank lines are ignored. Arguments are
// separated by spaces; the rest of a `type` line (after the element id) is the text, spaces
// included.
//
//   wait-screen ID          wait until the kiosk shows screen ID
//   expect-screen ID        once the screen has settled, it must be ID (fails at once otherwise)
//   wait-element ID         wait until element ID is drawn and enabled
//   press ID                a real pointer press/release (XTest) at the element's centre
//   hold ID MS              press at the element's centre and keep it down for MS milliseconds
//                           (the staff corner opens staff mode after a 3 s hold)
//   press-first PREFIX      press the first element whose id starts with PREFIX (lowest
//                           numeric suffix: results.item.0 before results.item.1)
//   type ID TEXT            press field ID, then each character's on-screen keyboard key:
//                           keyboard.key.<c>, keyboard.shift + key for capitals,
//                           keyboard.space for spaces (keyboard.symbols first if the key is
//                           not on the current layer)
//   scroll-to ID AREA       drag scrolling area AREA up (a finger moving the content up, held
//                           still before lifting, so nothing flings) until element ID is in
//                           it and clear of its bottom edge (Urdu's tall lines push the
//                           consent tick below the fold); fails if the content stops moving
//   screenshot NAME         the whole X screen to <screenshots>/NAME.png, once it has settled
//   sleep MS                wait (only for demos; tests wait on conditions)
//
// Thread-safety: pure functions. parseWalkScript throws WalkScriptError naming the line.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::e2e {

class WalkScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct WalkStep {
    enum class Kind {
        WaitScreen,
        ExpectScreen,
        WaitElement,
        Press,
        Hold,
        PressFirst,
        Type,
        ScrollTo,
        Screenshot,
        Sleep
    };
    Kind kind = Kind::Press;
    std::string target;  // screen id, element id, prefix, screenshot name
    std::string text;    // Type: the text; Sleep, Hold: the milliseconds; ScrollTo: the area
    int line = 0;        // 1-based, for messages
    std::string source;  // the line as written, for messages
};

std::vector<WalkStep> parseWalkScript(std::string_view text, const std::string& fileName);
std::vector<WalkStep> loadWalkScript(const std::filesystem::path& file);

// The text typed into element `fieldId` by the script's `type` steps (the last one wins), or ""
// — tests compare what the kiosk stored with what was typed.
std::string typedInto(const std::vector<WalkStep>& steps, std::string_view fieldId);

}  // namespace signpost::e2e
