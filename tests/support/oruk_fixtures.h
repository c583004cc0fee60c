// Test support for issue 11's ORUK tests: the test documents under tests/data/oruk/ as one
// directory, the shipped needs mapping, and a comparison of everything the kiosk shows.
#pragma once

#include <string>

#include "core/directory/directory_types.h"
#include "core/directory/needs_mapping.h"

namespace signpost::test {

// config/needs-mapping.toml, loaded once.
const NeedsMapping& orukNeedsMapping();
// service_full, services_page, organization_full, service_at_location_full and quirks_service
// imported with the needs mapping and merged (records with the same id once). Throws
// std::runtime_error if one of them does not import.
DirectoryData orukFixtureDirectory();
// "" when `b` shows residents exactly what `a` does, service by service (matched by id): names,
// texts, contacts, cost, status, needs, areas, languages, places and accessibility, and hours —
// compared by their words (describeSchedule, English) and by "open now" at every half hour of
// 2026 and 2027. Otherwise the first difference, in words.
std::string shownDifference(const DirectoryData& a, const DirectoryData& b);

}  // namespace signpost::test
