// Signpost server — the directory written as Open Referral UK 3.0 / HSDS 3.0 JSON objects.
//
// One function per ORUK object shape (the UK profile's compiled schemas): a fully nested
// service (`/services/{id}`), a service list item (one-to-one fields and the organization), an
// organization, a taxonomy, a taxonomy term, a service_at_location. What Signpost keeps maps to
// ORUK fields; what ORUK has no field for travels as our extensions (x_accepts_referrals,
// x_check_times), so importing these documents back gives the same directory
// (tests/oruk_api_test.cpp checks it).
//
// Records HSDS wants an id for but Signpost does not keep one for (phones, schedules, cost
// options, addresses, service_at_locations, taxonomies...) get a stable UUID derived from what
// they belong to (derivedId), so the same directory always serves the same ids.
//
// Thread-safety: pure functions over a DirectoryIndex that is immutable once built.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/directory/directory_types.h"

namespace signpost::server {

// A stable RFC 9562 version 8 UUID from a kind and parts ("phone", service id, "2").
std::string derivedId(std::string_view kind, std::initializer_list<std::string_view> parts);

// The published directory with the lookups the ORUK documents need.
struct DirectoryIndex {
    DirectoryData data;
    std::unordered_map<std::string, std::size_t> serviceById, organisationById, locationById,
        termById;
    std::unordered_map<std::string, const TaxonomyTerm*> needByCode;
    std::unordered_map<std::string, std::string> lastModified;  // service id -> RFC 3339 time
    std::vector<std::string> taxonomies;                        // distinct vocabulary names, sorted

    // Builds the lookups; `modified` is ServerStore::serviceModifiedTimes().
    static DirectoryIndex build(DirectoryData data,
                                const std::vector<std::pair<std::string, std::string>>& modified);
    const Organisation* organisation(const std::string& id) const;
};

nlohmann::json orukServiceFull(const DirectoryIndex& index, const Service& service);
nlohmann::json orukServiceListItem(const DirectoryIndex& index, const Service& service);
nlohmann::json orukOrganisation(const Organisation& organisation);  // the list shape
nlohmann::json orukTaxonomy(const std::string& name);
nlohmann::json orukTaxonomyTerm(const TaxonomyTerm& term);
// One service at one of its locations (the list shape: location and service one-to-one fields).
nlohmann::json orukServiceAtLocation(const DirectoryIndex& index, const Service& service,
                                     const Location& location);
// The schedule as ORUK writes it; freq DAILY with interval 1 becomes the WEEKLY or MONTHLY rule
// it equals (the UK profile lists only those two).
nlohmann::json orukSchedule(const ScheduleRule& rule, const std::string& id);

}  // namespace signpost::server
