// Signpost — a note for staff, shown in the staff panel (start-up recoveries, config warnings,
// remote settings the kiosk could not use).
//
// It lives in common because modules at several layers leave notes (operations' remote settings,
// runtime's start-up recoveries) and the staff panel shows them all; keeping it here means no
// lower folder has to include runtime/ for it.
//
// Thread-safety: a value type.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace signpost {

// Something staff should know. `key` is an i18n key ("note.*"); `detail` is technical,
// untranslated, and never personal (a file name, an error code).
struct StaffNote {
    StaffNote(std::string noteKey, std::string noteDetail = {},
              std::vector<std::pair<std::string, std::string>> noteArgs = {})
        : key(std::move(noteKey)), detail(std::move(noteDetail)), args(std::move(noteArgs)) {}
    std::string key;
    std::string detail;
    std::vector<std::pair<std::string, std::string>> args;  // the key's {placeholders}, if any
};

}  // namespace signpost
