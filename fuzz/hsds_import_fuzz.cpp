// Fuzz target: the HSDS / Open Referral importer from text (core/directory/hsds_import.h), the
// public entry point the kiosk's bundled directory, the server's import-directory and directory
// updates all go through. Only ImportError may escape.
#include <cstdint>

#include "core/directory/hsds_import.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        signpost::parseHsdsJson(signpost::fuzz::text(data, size));
    } catch (const signpost::ImportError&) {
        // The documented refusal.
    }
    return 0;
}
