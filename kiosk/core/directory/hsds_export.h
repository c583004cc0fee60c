// Signpost — writing DirectoryData as Signpost's own flat HSDS-shaped document: the kiosk's
// bundle, the synthetic generator's output, and the server's snapshots and deltas. The reader of
// this shape (and of ORUK / HSDS 3.0 documents) is hsds_import.h.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "core/directory/directory_types.h"

namespace signpost {

// Serialises `data` to Signpost's flat shape: "directory_version", then "taxonomy_terms",
// "organizations", "locations" and "services" arrays linked by id (assets/directory/README.md).
// parseHsdsJson(toHsdsJson(d)) == d for every field Signpost keeps. Throws only std::bad_alloc.
std::string toHsdsJson(const DirectoryData& data);

}  // namespace signpost
