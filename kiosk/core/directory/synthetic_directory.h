// Signpost — large synthetic directories for tests and benchmarks (10k and 100k services).
//
// Deterministic for a given seed. Services are spread over the given neighbourhoods and need
// codes, with varied names and descriptions drawn from realistic word lists (so search ranking
// and prefix matching are exercised as on real data), weekly and monthly schedules including
// overnight ones, phone numbers in Ofcom's drama range (0161 496 0000–0999), mixed costs,
// access types and languages.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/directory/directory_types.h"

namespace signpost {

struct SyntheticDirectoryOptions {
    std::size_t services = 10000;
    std::uint64_t seed = 1;
    std::vector<std::string> neighbourhoods;  // empty = the 12 names in assets' demo directory
    std::size_t servicesPerOrganisation = 3;
};

DirectoryData generateSyntheticDirectory(const SyntheticDirectoryOptions& options);

}  // namespace signpost
