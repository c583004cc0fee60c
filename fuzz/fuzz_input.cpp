#include "fuzz_input.h"

#include <stdlib.h>

#include <stdexcept>

namespace signpost::fuzz {

std::filesystem::path scratchDirectory(const char* name) {
    std::string pattern = (std::filesystem::temp_directory_path() /
                           (std::string("signpost-fuzz-") + name + "-XXXXXX"))
                              .string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

}  // namespace signpost::fuzz
