// Signpost — writing DirectoryData as Signpost's own flat HSDS-shaped document: the kiosk's
// bundle, the synthetic generator's output, and the server's snapshots and deltas. The reader of
// this shape (and of ORUK / HSDS 3.0 documents) is hsds_import.h.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "core/directory/directory_types.h"

namespace signpost {

// Serialises `data` to Signpost's flat shape: "directory_version", then "taxonomy_terms",
// "organizations", "locations" and "services" arrays linked by id (assets/directory/README.md).
// parseHsdsJson(toHsdsJson(d)) == d for every field Signpost keeps. Throws only std::bad_alloc.
std::string toHsdsJson(const DirectoryData& data);

// The service fields Signpost's shape and the UK profile's (the server's ORUK documents,
// sync/server/oruk_documents.cpp) write alike, each only when set: "description", "url",
// "email", "minimum_age", "maximum_age", "assured_date" (YYYY-MM-DD). Ids, status and the
// fields the two shapes name differently are the caller's.
void putSharedServiceFields(nlohmann::json& out, const Service& service);

}  // namespace signpost
