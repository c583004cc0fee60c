// Signpost fuzz targets — what they share. Each target feeds libFuzzer's bytes to one public
// entry point that reads outside input and lets through only the exception that entry point
// documents; anything else escaping (a std::out_of_range, a nlohmann type_error) aborts the
// run as a crash, as does every AddressSanitizer or UndefinedBehaviorSanitizer report.
//
// Thread-safety: libFuzzer calls a target from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace signpost::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A directory of its own for targets that read a file (made once per process, left for the
// system to clean: libFuzzer exits without running destructors).
std::filesystem::path scratchDirectory(const char* name);

}  // namespace signpost::fuzz
