#include "sync/server/oruk_documents.h"

#include <algorithm>
#include <set>

#include "core/directory/hsds_export.h"
#include "core/directory/language_names.h"
#include "core/directory/schedule.h"
#include "core/directory/stable_id.h"

namespace signpost::server {

using nlohmann::json;

namespace {

void putIfSet(json& out, const char* key, const std::string& value) {
    if (!value.empty()) {
        out[key] = value;
    }
}

std::string hhmmss(int minutes) {
    return formatClockHhmm(minutes) + ":00";
}

json organisationJson(const Organisation& org) {
    // The UK profile requires a description; an empty one is written empty, never invented.
    json out = {{"id", uuidFor("organization", org.id)},
                {"name", org.name},
                {"description", org.description}};
    putIfSet(out, "email", org.email);
    putIfSet(out, "website", org.website);
    return out;
}

json termJson(const TaxonomyTerm& term) {
    json out = {{"id", uuidFor("taxonomy_term", term.id)},
                {"code", term.code},
                {"name", term.name},
                {"term", term.name},  // the UK profile's name for it
                {"taxonomy", term.taxonomy},
                {"taxonomy_id", stableUuid("taxonomy", {term.taxonomy})}};
    putIfSet(out, "description", term.description);
    putIfSet(out, "term_uri", term.termUri);
    if (!term.parentId.empty()) {
        out["parent_id"] = uuidFor("taxonomy_term", term.parentId);
    }
    if (!term.keywords.empty()) {
        out["keywords"] = term.keywords;  // Signpost's extension: what search should also know
    }
    return out;
}

json locationJson(const Location& location, bool full) {
    const std::string id = uuidFor("location", location.id);
    json out = {{"id", id}};
    putIfSet(out, "name", location.name);
    if (location.latitude && location.longitude) {
        out["latitude"] = *location.latitude;
        out["longitude"] = *location.longitude;
    }
    if (!full) {
        return out;
    }
    putIfSet(out, "transportation", location.transportation);
    if (!location.address.line1.empty()) {
        // The UK profile requires every one of these; what Signpost does not know is left empty.
        json address = {{"id", stableUuid("address", {location.id})},
                        {"address_1", location.address.line1},
                        {"city", location.address.city},
                        {"state_province", ""},
                        {"postal_code", location.address.postcode},
                        {"country", "GB"},
                        {"address_type", "physical"}};
        putIfSet(address, "address_2", location.address.line2);
        out["addresses"] = json::array({std::move(address)});
    }
    if (!location.accessibility.empty()) {
        json list = json::array();
        for (std::size_t i = 0; i < location.accessibility.size(); ++i) {
            list.push_back({{"id", stableUuid("accessibility", {location.id, std::to_string(i)})},
                            {"description", location.accessibility[i]}});
        }
        out["accessibility"] = std::move(list);
    }
    return out;
}

// The one-to-one fields every service shape has.
json serviceBase(const DirectoryIndex& index, const Service& service) {
    json out = {{"id", uuidFor("service", service.id)},
                {"organization_id", uuidFor("organization", service.organisationId)},
                {"name", service.name},
                {"status", toHsds(service.status)}};
    putSharedServiceFields(out, service);
    if (auto modified = index.lastModified.find(service.id); modified != index.lastModified.end()) {
        out["last_modified"] = modified->second;
    }
    if (!service.isFree && service.costKnown && !service.costDescription.empty()) {
        out["fees_description"] = service.costDescription;
    }
    if (const Organisation* org = index.organisation(service.organisationId)) {
        out["organization"] = organisationJson(*org);
    }
    return out;
}

}  // namespace

std::string derivedId(std::string_view kind, std::initializer_list<std::string_view> parts) {
    return stableUuid(kind, parts);
}

DirectoryIndex DirectoryIndex::build(
    DirectoryData data, const std::vector<std::pair<std::string, std::string>>& modified) {
    DirectoryIndex index;
    index.data = std::move(data);
    const DirectoryData& d = index.data;
    for (std::size_t i = 0; i < d.services.size(); ++i) {
        index.serviceById.emplace(d.services[i].id, i);
        index.serviceById.emplace(uuidFor("service", d.services[i].id), i);
    }
    for (std::size_t i = 0; i < d.organisations.size(); ++i) {
        index.organisationById.emplace(d.organisations[i].id, i);
        index.organisationById.emplace(uuidFor("organization", d.organisations[i].id), i);
    }
    for (std::size_t i = 0; i < d.locations.size(); ++i) {
        index.locationById.emplace(d.locations[i].id, i);
        index.locationById.emplace(uuidFor("location", d.locations[i].id), i);
    }
    std::set<std::string> taxonomies;
    for (std::size_t i = 0; i < d.taxonomyTerms.size(); ++i) {
        const TaxonomyTerm& term = d.taxonomyTerms[i];
        index.termById.emplace(term.id, i);
        index.termById.emplace(uuidFor("taxonomy_term", term.id), i);
        if (term.taxonomy == kNeedsVocabulary) {
            index.needByCode.emplace(term.code, &term);
        }
        taxonomies.insert(term.taxonomy);
    }
    index.taxonomies.assign(taxonomies.begin(), taxonomies.end());
    for (const auto& [id, time] : modified) {
        index.lastModified.emplace(id, time);
    }
    return index;
}

const Organisation* DirectoryIndex::organisation(const std::string& id) const {
    auto it = organisationById.find(id);
    return it == organisationById.end() ? nullptr : &data.organisations[it->second];
}

json orukSchedule(const ScheduleRule& rule, const std::string& id) {
    ScheduleFrequency frequency = rule.frequency;
    if (frequency == ScheduleFrequency::Daily && rule.interval == 1) {
        // Every day that matches the filters: the same as WEEKLY (no month days) or MONTHLY.
        frequency =
            rule.byMonthDays.empty() ? ScheduleFrequency::Weekly : ScheduleFrequency::Monthly;
    }
    json out = {{"id", id},
                {"freq", formatFrequency(frequency)},
                {"opens_at", hhmmss(rule.opensAtMinutes)},
                {"closes_at", hhmmss(rule.closesAtMinutes)}};
    // Signpost reads a WEEKLY rule with no byday as every day; ORUK readers may read it as
    // dtstart's weekday (RFC 5545), so the days are always written out.
    out["byday"] = rule.byDays.empty() && rule.byMonthDays.empty()
                       ? std::string("MO,TU,WE,TH,FR,SA,SU")
                       : formatByDay(rule.byDays);
    if (out["byday"].get<std::string>().empty()) {
        out.erase("byday");
    }
    if (!rule.byMonthDays.empty()) {
        out["bymonthday"] = formatByMonthDay(rule.byMonthDays);
    }
    if (rule.interval > 1) {
        out["interval"] = rule.interval;
    }
    if (rule.anchor) {
        out["dtstart"] = formatCivilDate(*rule.anchor);
    }
    if (rule.weekStart != 1) {
        out["wkst"] = formatWeekday(rule.weekStart);
    }
    if (rule.validFrom) {
        out["valid_from"] = formatCivilDate(*rule.validFrom);
    }
    if (rule.validTo) {
        out["valid_to"] = formatCivilDate(*rule.validTo);
    }
    putIfSet(out, "description", rule.description);
    return out;
}

json orukServiceFull(const DirectoryIndex& index, const Service& service) {
    json out = serviceBase(index, service);
    putIfSet(out, "eligibility_description", service.eligibility);
    putIfSet(out, "application_process", service.applicationProcess);
    json types = json::array();
    for (unsigned flag : {kAttendVenue, kAttendPhone, kAttendOnline, kAttendHomeVisit}) {
        if ((service.attendingTypes & flag) != 0) {
            types.push_back(attendingTypeName(flag));
        }
    }
    out["attending_type"] = std::move(types);  // ORUK v1's fields, which Signpost shows
    if (service.attendingAccess != AttendingAccess::Unknown) {
        out["attending_access"] = toHsds(service.attendingAccess);
    }
    json phones = json::array();
    for (std::size_t i = 0; i < service.phones.size(); ++i) {
        json phone = {{"id", stableUuid("phone", {service.id, std::to_string(i)})},
                      {"number", service.phones[i].number}};
        putIfSet(phone, "description", service.phones[i].description);
        phones.push_back(std::move(phone));
    }
    out["phones"] = std::move(phones);
    json schedules = json::array();
    for (std::size_t i = 0; i < service.schedules.size(); ++i) {
        schedules.push_back(orukSchedule(service.schedules[i],
                                         stableUuid("schedule", {service.id, std::to_string(i)})));
    }
    out["schedules"] = std::move(schedules);
    json areas = json::array();
    for (std::size_t i = 0; i < service.serviceAreas.size(); ++i) {
        areas.push_back({{"id", stableUuid("service_area", {service.id, std::to_string(i)})},
                         {"name", service.serviceAreas[i].name},
                         {"extent_type", service.serviceAreas[i].extentType}});
    }
    out["service_areas"] = std::move(areas);
    json sals = json::array();
    for (const std::string& locationId : service.locationIds) {
        auto it = index.locationById.find(locationId);
        if (it == index.locationById.end()) {
            continue;
        }
        const Location& location = index.data.locations[it->second];
        sals.push_back({{"id", stableUuid("service_at_location", {service.id, location.id})},
                        {"service_id", uuidFor("service", service.id)},
                        {"location_id", uuidFor("location", location.id)},
                        {"location", locationJson(location, true)}});
    }
    out["service_at_locations"] = std::move(sals);
    json languages = json::array();
    for (const std::string& code : service.languages) {
        json language = {{"id", stableUuid("language", {service.id, code})}, {"code", code}};
        const std::string_view name = languageEnglishName(code);
        if (!name.empty()) {
            language["name"] = std::string(name);
        }
        languages.push_back(std::move(language));
    }
    out["languages"] = std::move(languages);
    json costs = json::array();
    if (service.isFree) {
        costs.push_back({{"id", stableUuid("cost_option", {service.id})},
                         {"option", "Free"},
                         {"amount", 0},
                         {"currency", "GBP"}});
    } else if (service.costKnown) {
        // The amount is not kept, only the words: an option without an amount is "not free".
        json option = {{"id", stableUuid("cost_option", {service.id})}};
        putIfSet(option, "amount_description", service.costDescription);
        costs.push_back(std::move(option));
    }
    out["cost_options"] = std::move(costs);
    json attributes = json::array();
    for (const std::string& code : service.needCodes) {
        auto need = index.needByCode.find(code);
        if (need == index.needByCode.end()) {
            continue;
        }
        attributes.push_back({{"id", stableUuid("attribute", {service.id, code})},
                              {"taxonomy_term_id", uuidFor("taxonomy_term", need->second->id)},
                              {"link_type", "need"},
                              {"taxonomy_term", termJson(*need->second)}});
    }
    out["attributes"] = std::move(attributes);
    if (!service.acceptsReferrals) {
        out["x_accepts_referrals"] = false;
    }
    if (service.checkTimes) {
        out["x_check_times"] = true;
    }
    return out;
}

json orukServiceListItem(const DirectoryIndex& index, const Service& service) {
    return serviceBase(index, service);
}

json orukOrganisation(const Organisation& organisation) {
    return organisationJson(organisation);
}

json orukTaxonomy(const std::string& name) {
    return {{"id", stableUuid("taxonomy", {name})},
            {"name", name},
            {"description", name == kNeedsVocabulary
                                ? "Signpost's needs: the tiles on the kiosk's home screen"
                                : "Terms from the " + name + " vocabulary"}};
}

json orukTaxonomyTerm(const TaxonomyTerm& term) {
    return termJson(term);
}

json orukServiceAtLocation(const DirectoryIndex& index, const Service& service,
                           const Location& location) {
    return {{"id", stableUuid("service_at_location", {service.id, location.id})},
            {"service_id", uuidFor("service", service.id)},
            {"location_id", uuidFor("location", location.id)},
            {"location", locationJson(location, false)},
            {"service", serviceBase(index, service)}};
}

}  // namespace signpost::server
