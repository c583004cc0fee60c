// Fuzz target: the TOML configuration readers from text, kiosk.toml (core/config/kiosk_config.h)
// and server.toml (sync/server/server_config.h) — the public entry points, so the target
// outlives a change of TOML library underneath. The first byte picks the reader. Only
// ConfigError may escape.
#include <cstdint>

#include "core/config/kiosk_config.h"
#include "fuzz_input.h"
#include "sync/server/server_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view text = signpost::fuzz::text(data + 1, size - 1);
    try {
        if (data[0] % 2 == 0) {
            signpost::parseKioskConfig(text, "kiosk.toml");
        } else {
            signpost::server::parseServerConfig(text, "server.toml");
        }
    } catch (const signpost::ConfigError&) {
        // The documented refusal.
    }
    return 0;
}
