// Signpost — recognising the shape of an HSDS / ORUK document and flattening nested records
// (internal to the directory module).
//
// Every accepted shape (hsds_import.h) becomes Signpost's flat shape: four arrays linked by id.
// An embedded organization, location or taxonomy term is lifted into its array (the first copy of
// an id wins; later copies are the same record seen again) and replaced by an id reference, so
// the record parsers see one shape only.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/directory/hsds_fields.h"

namespace signpost::hsds_detail {

// One record of the flat document with the name to report it by.
struct FlatRecord {
    json value;
    std::string name;  // "contents[2] (id \"…\")", "services[0] (id \"…\"): organization"
    bool notARecord = false;  // an item of a list or page that is no HSDS record: reported, skipped
};

struct FlatDocument {
    std::string shape;           // as ImportResult::shape
    bool signpostShape = false;  // the document was already flat (directory_version present)
    std::string version;         // its directory_version, "" when none
    std::vector<FlatRecord> terms, organisations, locations, services;
};

// Throws ImportError("document", ...) if `document` is none of the accepted shapes. Items of a
// list or page that are not HSDS records are kept among the services with notARecord set.
FlatDocument flattenHsdsDocument(const json& document);

}  // namespace signpost::hsds_detail
