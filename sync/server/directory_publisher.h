// Signpost server — turning an imported directory into a publishable version, and deltas back
// into one HSDS-shaped document.
//
// Each service gets a canonical document: toHsdsJson() of a directory holding just that service,
// its organisation, its locations and the taxonomy terms it links to (with their parents). Its
// BLAKE2b-256 is the service's content hash, so any change to the service *or to what it
// depends on* (an organisation renamed, a location moved, a term reworded) changes the hash and
// puts the service in the next delta — and a delta document is always importable on its own.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/directory/directory_types.h"
#include "sync/server/server_store.h"

namespace signpost::server {

// Canonical per-service records (sorted by id), the terms document and the full snapshot.
// Throws std::invalid_argument if a service id appears twice.
DirectoryPublication preparePublication(const DirectoryData& data);

// Merges HSDS-shaped documents into one: every top-level array (organizations, locations,
// taxonomy_terms, services, ...) is concatenated keeping the first record of each "id";
// "directory_version" is set to `label`; the four HSDS arrays are always present (maybe empty),
// so the result always imports. Throws std::invalid_argument on a document that is not
// a JSON object.
std::string mergeDirectoryDocuments(const std::vector<std::string>& documents,
                                    const std::string& label);

}  // namespace signpost::server
