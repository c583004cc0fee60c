// Fuzz target: the remote-settings reader (core/operations/remote_settings.h). The first byte
// picks the path: the parser alone (only RemoteSettingsError may escape), or the kiosk's whole
// start-up path, layRemoteSettings over a default config from remote-settings.json in a data
// directory, which is documented never to throw (a damaged file or an unusable value becomes
// a staff note).
#include <cstdint>
#include <fstream>

#include "core/config/kiosk_config.h"
#include "core/operations/remote_settings.h"
#include "core/runtime/kiosk_runtime.h"  // StaffNote
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view json = signpost::fuzz::text(data + 1, size - 1);
    if (data[0] % 2 == 0) {
        try {
            signpost::remoteSettingsFromJson(json);
        } catch (const signpost::RemoteSettingsError&) {
            // The documented refusal.
        }
        return 0;
    }
    static const std::filesystem::path dir = signpost::fuzz::scratchDirectory("remote-settings");
    {
        std::ofstream file(dir / signpost::kRemoteSettingsFileName,
                           std::ios::binary | std::ios::trunc);
        file.write(json.data(), static_cast<std::streamsize>(json.size()));
    }
    signpost::KioskConfig config;
    std::vector<signpost::StaffNote> notes;
    signpost::layRemoteSettings(config, dir, notes);  // never throws
    return 0;
}
