// Signpost — stable UUIDs for records that need one and have none (or have one that is not a
// UUID): HSDS 3.0 / ORUK give every record, down to a phone or a schedule, a UUID id.
//
// stableUuid() hashes a kind and parts with BLAKE2b and writes the first 16 bytes as an
// RFC 9562 version 8 UUID, so the same record always gets the same id, on every server.
//
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace signpost {

// "7c9e6679-7425-8e3f-9a1b-…" for ("phone", {serviceId, "2"}).
std::string stableUuid(std::string_view kind, std::initializer_list<std::string_view> parts);
// True for 8-4-4-4-12 hex digits (any version), as JSON Schema's "uuid" format checks.
bool isUuid(std::string_view text);
// `id` if it is a UUID, else stableUuid(kind, {id}).
std::string uuidFor(std::string_view kind, std::string_view id);

}  // namespace signpost
