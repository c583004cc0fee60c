// Test data shared by the server, sync and pull tests: a small synthetic directory.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace signpost::test {

// A small HSDS-shaped directory for the real importer: `services` services (ids svc-0001...),
// each with an organisation (one per three services), a location, a phone, a weekly schedule and
// one of three needs. Services whose 1-based number is in `renamed` get " (moved)" added to
// their names (a changed service, for directory deltas).
inline nlohmann::json sampleDirectoryJson(int services, const std::string& label = "2026-11-01",
                                          const std::set<int>& renamed = {}) {
    using nlohmann::json;
    json doc;
    doc["directory_version"] = label;
    doc["taxonomy_terms"] = json::array();
    const char* needs[] = {"feeling-lonely", "food", "money"};
    for (int i = 0; i < 3; ++i) {
        doc["taxonomy_terms"].push_back({{"id", std::string("need-") + needs[i]},
                                         {"code", needs[i]},
                                         {"name", std::string("Need ") + needs[i]},
                                         {"taxonomy", "signpost-needs"}});
    }
    doc["organizations"] = json::array();
    doc["locations"] = json::array();
    doc["services"] = json::array();
    for (int i = 0; i < services; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "%04d", i + 1);
        const std::string org = "org-" + std::to_string(i / 3 + 1);
        if (i % 3 == 0) {
            doc["organizations"].push_back(
                {{"id", org}, {"name", "Organisation " + std::to_string(i / 3 + 1)}});
        }
        doc["locations"].push_back(
            {{"id", std::string("loc-") + id},
             {"name", std::string("Hall ") + id},
             {"addresses", json::array({{{"address_1", std::to_string(i + 1) + " Mill Lane"},
                                         {"city", "Manchester"},
                                         {"postal_code", "M9 4DH"},
                                         {"address_type", "physical"}}})}});
        doc["services"].push_back(
            {{"id", std::string("svc-") + id},
             {"organization_id", org},
             {"name", std::string("Service ") + id + (renamed.contains(i + 1) ? " (moved)" : "")},
             {"description", "A friendly group that meets every week."},
             {"status", "active"},
             {"phones", json::array({{{"number", "0161 496 0" + std::string(id + 1)}}})},
             {"schedules", json::array({{{"freq", "WEEKLY"},
                                         {"byday", "TU"},
                                         {"opens_at", "10:00"},
                                         {"closes_at", "12:00"}}})},
             {"service_at_locations", json::array({{{"location_id", std::string("loc-") + id}}})},
             {"attributes",
              json::array({{{"taxonomy_term_id", std::string("need-") + needs[i % 3]}}})}});
    }
    return doc;
}

}  // namespace signpost::test
