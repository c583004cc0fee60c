// kiosk.toml's documentation, written from its key table: the example file (config/kiosk.toml)
// and the README's key reference.
#include "core/config/kiosk_config.h"
#include "core/config/kiosk_config_keys.h"

namespace signpost {

std::string exampleKioskConfig() {
    ExampleStyle style;
    style.preamble = {
        "Signpost kiosk configuration.",
        "Every key is shown with its default value and what it may be set to; a key left out takes "
        "its default. A bad value stops the kiosk at start with one line naming this file, the "
        "line and the key. An unknown key is only a warning, shown in the staff panel. Settings "
        "changed in the staff panel are saved back into this file, keeping these comments.",
        "Format: TOML 1.0 (https://toml.io): [tables], text in \"quotes\", lists in [].",
    };
    style.requiredNote =
        "Required: no default; without it (or the key file) the kiosk will not start.";
    style.flagNotes = {
        {kiosk_keys::Staff, " Also set from the staff panel."},
        {kiosk_keys::Remote,
         " Coordinators may set it for this kiosk on the server; their value then wins over this "
         "file until they clear it."},
    };
    return exampleConfigText(kiosk_keys::table(), style);
}

std::string kioskConfigReferenceMarkdown() {
    return keyReferenceMarkdown(kiosk_keys::table(), {{"Staff panel", kiosk_keys::Staff}});
}

}  // namespace signpost
