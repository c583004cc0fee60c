// Signpost — the sync engine's options from the kiosk's config ([sync] keys, core/config).
// Thread-safety: a pure function.
#pragma once

#include <filesystem>

#include "core/config/kiosk_config.h"
#include "sync/engine/sync_engine.h"

namespace signpost::sync {

// Fills SyncEngineOptions from `config`: venue and device name, time zone, HTTP settings (CA
// file, pins, proxy), batch size, backoff ceiling, intervals and the sent-ciphertext grace period.
// Files live in `dataDir`. onStatusChanged is left empty for the caller.
SyncEngineOptions syncEngineOptions(const KioskConfig& config,
                                    const std::filesystem::path& dataDir);

}  // namespace signpost::sync
