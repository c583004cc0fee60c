// Signpost — kiosk.toml's key table (kiosk_config_keys.cpp), for the kiosk config's own .cpp
// files: loading and saving (kiosk_config.cpp), the example file and README reference
// (kiosk_config_docs.cpp) and remote settings (kiosk_config_remote.cpp). Other code uses
// kiosk_config.h.
//
// Thread-safety: the table is built on first use and then only read.
#pragma once

#include "core/config/config_keys.h"
#include "core/config/kiosk_config.h"

namespace signpost::kiosk_keys {

inline constexpr unsigned Staff = config_key::FirstOwnFlag;        // set from the staff panel
inline constexpr unsigned Remote = config_key::FirstOwnFlag << 1;  // coordinators may set it

const KeyTable<KioskConfig>& table();

}  // namespace signpost::kiosk_keys
