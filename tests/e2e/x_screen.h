// Signpost e2e — the size of an X display's default screen, asked of the X server itself.
// Kept out of the test files so Xlib's macros (None, Status, Bool...) never meet our headers.
// Thread-safety: opens its own connection per call.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace signpost::e2e {

// {width, height} in pixels, or nullopt when `display` cannot be opened.
std::optional<std::pair<int, int>> screenSize(const std::string& display);

}  // namespace signpost::e2e
