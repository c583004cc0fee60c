// Signpost — toHsdsJson(): DirectoryData written as Signpost's flat HSDS-shaped document
// (hsds_export.h), built with nlohmann::json. Schedules are written with schedule.h's HSDS field
// formatters, so what is written is exactly what the importer's parsers read back; fields at
// their default are left out, as the importer defaults them again.
#include "core/directory/hsds_export.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

#include "core/directory/schedule.h"

namespace signpost {

using nlohmann::json;

namespace {

json scheduleJson(const ScheduleRule& rule) {
    json out = {{"freq", formatFrequency(rule.frequency)},
                {"opens_at", formatClockHhmm(rule.opensAtMinutes)},
                {"closes_at", formatClockHhmm(rule.closesAtMinutes)}};
    if (!rule.byDays.empty()) {
        out["byday"] = formatByDay(rule.byDays);
    }
    if (rule.validFrom) {
        out["valid_from"] = formatCivilDate(*rule.validFrom);
    }
    if (rule.validTo) {
        out["valid_to"] = formatCivilDate(*rule.validTo);
    }
    if (!rule.description.empty()) {
        out["description"] = rule.description;
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
    if (!rule.byMonthDays.empty()) {
        out["bymonthday"] = formatByMonthDay(rule.byMonthDays);
    }
    return out;
}

void putIfSet(json& out, const char* key, const std::string& value) {
    if (!value.empty()) {
        out[key] = value;
    }
}

}  // namespace

void putSharedServiceFields(json& out, const Service& service) {
    putIfSet(out, "description", service.description);
    putIfSet(out, "url", service.url);
    putIfSet(out, "email", service.email);
    if (service.minimumAge) {
        out["minimum_age"] = *service.minimumAge;
    }
    if (service.maximumAge) {
        out["maximum_age"] = *service.maximumAge;
    }
    if (service.lastChecked) {
        out["assured_date"] = formatCivilDate(*service.lastChecked);
    }
}

std::string toHsdsJson(const DirectoryData& data) {
    json document;
    document["directory_version"] = data.version;
    json terms = json::array();
    // Attributes link services to terms by id; needs are identified by code in Service.
    std::unordered_map<std::string, std::string> needIdByCode;
    for (const TaxonomyTerm& term : data.taxonomyTerms) {
        json t = {{"id", term.id}, {"code", term.code}, {"name", term.name}};
        putIfSet(t, "description", term.description);
        putIfSet(t, "parent_id", term.parentId);
        putIfSet(t, "taxonomy", term.taxonomy);
        putIfSet(t, "term_uri", term.termUri);
        if (!term.keywords.empty()) {
            t["keywords"] = term.keywords;
        }
        if (term.taxonomy == kNeedsVocabulary) {
            needIdByCode.emplace(term.code, term.id);
        }
        terms.push_back(std::move(t));
    }
    document["taxonomy_terms"] = std::move(terms);

    json organisations = json::array();
    for (const Organisation& org : data.organisations) {
        json o = {{"id", org.id}, {"name", org.name}};
        putIfSet(o, "description", org.description);
        putIfSet(o, "website", org.website);
        putIfSet(o, "email", org.email);
        organisations.push_back(std::move(o));
    }
    document["organizations"] = std::move(organisations);

    json locations = json::array();
    for (const Location& location : data.locations) {
        json l = {{"id", location.id}};
        putIfSet(l, "name", location.name);
        if (!location.address.line1.empty()) {
            json a = {{"address_1", location.address.line1}, {"address_type", "physical"}};
            putIfSet(a, "address_2", location.address.line2);
            putIfSet(a, "city", location.address.city);
            putIfSet(a, "postal_code", location.address.postcode);
            l["addresses"] = json::array({a});
        }
        if (!location.accessibility.empty()) {
            json list = json::array();
            for (const std::string& statement : location.accessibility) {
                list.push_back({{"description", statement}});
            }
            l["accessibility"] = std::move(list);
        }
        putIfSet(l, "transportation", location.transportation);
        if (location.latitude && location.longitude) {
            l["latitude"] = *location.latitude;
            l["longitude"] = *location.longitude;
        }
        locations.push_back(std::move(l));
    }
    document["locations"] = std::move(locations);

    json services = json::array();
    for (const Service& service : data.services) {
        json s = {{"id", service.id},
                  {"organization_id", service.organisationId},
                  {"name", service.name},
                  {"status", toHsds(service.status)}};
        putSharedServiceFields(s, service);
        putIfSet(s, "eligibility_description", service.eligibility);
        putIfSet(s, "application_process", service.applicationProcess);
        json types = json::array();
        for (unsigned flag : {kAttendVenue, kAttendPhone, kAttendOnline, kAttendHomeVisit}) {
            if ((service.attendingTypes & flag) != 0) {
                types.push_back(attendingTypeName(flag));
            }
        }
        if (!types.empty()) {
            s["attending_type"] = std::move(types);
        }
        if (service.attendingAccess != AttendingAccess::Unknown) {
            s["attending_access"] = toHsds(service.attendingAccess);
        }
        if (!service.phones.empty()) {
            json list = json::array();
            for (const Phone& phone : service.phones) {
                json p = {{"number", phone.number}};
                putIfSet(p, "description", phone.description);
                list.push_back(std::move(p));
            }
            s["phones"] = std::move(list);
        }
        if (!service.schedules.empty()) {
            json list = json::array();
            for (const ScheduleRule& rule : service.schedules) {
                list.push_back(scheduleJson(rule));
            }
            s["schedules"] = std::move(list);
        }
        if (!service.serviceAreas.empty()) {
            json list = json::array();
            for (const ServiceArea& area : service.serviceAreas) {
                list.push_back({{"name", area.name}, {"extent_type", area.extentType}});
            }
            s["service_areas"] = std::move(list);
        }
        if (!service.locationIds.empty()) {
            json list = json::array();
            for (const std::string& id : service.locationIds) {
                list.push_back({{"location_id", id}});
            }
            s["service_at_locations"] = std::move(list);
        }
        if (!service.languages.empty()) {
            json list = json::array();
            for (const std::string& code : service.languages) {
                list.push_back({{"code", code}});
            }
            s["languages"] = std::move(list);
        }
        if (!service.costKnown) {
            s["x_cost_unknown"] = true;
        } else if (!service.isFree) {
            // No amount: the import reads a cost option without one as "not free".
            json option = json::object();
            putIfSet(option, "amount_description", service.costDescription);
            s["cost_options"] = json::array({option});
        }
        if (!service.needCodes.empty()) {
            json list = json::array();
            for (const std::string& code : service.needCodes) {
                auto id = needIdByCode.find(code);
                list.push_back(
                    {{"taxonomy_term_id", id != needIdByCode.end() ? id->second : code}});
            }
            s["attributes"] = std::move(list);
        }
        if (!service.acceptsReferrals) {
            s["x_accepts_referrals"] = false;
        }
        if (service.checkTimes) {
            s["x_check_times"] = true;
        }
        services.push_back(std::move(s));
    }
    document["services"] = std::move(services);
    return document.dump(1, ' ', false, json::error_handler_t::replace);
}

}  // namespace signpost
