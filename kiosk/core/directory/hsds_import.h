// Signpost — reading an HSDS-shaped JSON file (Open Referral UK / HSDS 3.0) into DirectoryData.
//
// The accepted shape is documented in assets/directory/README.md: a top-level object with
// "directory_version", "taxonomy_terms", "organizations", "locations" and "services"; each
// service carries nested "phones", "schedules", "service_areas", "service_at_locations",
// "languages", "cost_options" and "attributes" (links to taxonomy terms), as HSDS 3.0 does.
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/directory/directory_types.h"

namespace signpost {

// A malformed import. what() names the record and the field, e.g.
// "services[41] (id \"svc-food-042\"): schedules[0].opens_at: expected HH:MM, got \"9am\"".
class ImportError : public std::runtime_error {
public:
    ImportError(const std::string& recordPath, const std::string& problem);
    const std::string& recordPath() const noexcept { return m_recordPath; }

private:
    std::string m_recordPath;
};

// Parses and validates the whole document: required fields, types, ids unique, every reference
// (organization_id, location_id, taxonomy_term_id) resolves, schedules parse. Throws ImportError
// on the first problem; nothing is partially returned.
DirectoryData parseHsdsJson(std::string_view jsonText);
// Reads a file and parses it; a file that cannot be read throws ImportError naming the path.
DirectoryData loadHsdsFile(const std::filesystem::path& path);

// Serialises back to the same shape (used by the synthetic generator and the server's snapshots).
std::string toHsdsJson(const DirectoryData& data);

}  // namespace signpost
