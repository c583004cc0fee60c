#include "core/directory/hsds_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "core/common/atomic_file.h"
#include "core/directory/schedule.h"

namespace signpost {

using nlohmann::json;

ImportError::ImportError(const std::string& recordPath, const std::string& problem)
    : std::runtime_error(recordPath + ": " + problem), m_recordPath(recordPath) {}

namespace {

constexpr const char* kNeedsVocabulary = "signpost-needs";

std::string quotedValue(std::string_view text) {
    // Error messages quote data; keep them one line and short.
    std::string result = "\"";
    for (char c : text.substr(0, 60)) {
        result += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    if (text.size() > 60) {
        result += "...";
    }
    return result + "\"";
}

const char* typeName(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: return "a number";
        case json::value_t::string: return "a string";
        case json::value_t::array: return "an array";
        case json::value_t::object: return "an object";
        default: return "something else";
    }
}

// Reads the fields of one record, naming the record and the field in every error.
class Fields {
public:
    Fields(const json& object, std::string record, std::string prefix = "")
        : m_object(object), m_record(std::move(record)), m_prefix(std::move(prefix)) {}

    [[noreturn]] void fail(std::string_view field, const std::string& problem) const {
        throw ImportError(m_record, m_prefix + std::string(field) + ": " + problem);
    }
    const std::string& record() const { return m_record; }
    std::string path(std::string_view field) const { return m_prefix + std::string(field); }

    // Absent and null both read as "not given".
    const json* find(const char* key) const {
        auto it = m_object.find(key);
        if (it == m_object.end() || it->is_null()) {
            return nullptr;
        }
        return &*it;
    }

    std::string text(const char* key, bool required = false) const {
        const json* value = find(key);
        if (value == nullptr) {
            if (required) {
                fail(key, "required field is missing");
            }
            return {};
        }
        if (!value->is_string()) {
            fail(key, std::string("expected a string, got ") + typeName(*value));
        }
        std::string result = value->get<std::string>();
        if (required && result.find_first_not_of(" \t\r\n") == std::string::npos) {
            fail(key, "must not be empty");
        }
        return result;
    }

    const json& array(const char* key) const {
        static const json kEmpty = json::array();
        const json* value = find(key);
        if (value == nullptr) {
            return kEmpty;
        }
        if (!value->is_array()) {
            fail(key, std::string("expected an array, got ") + typeName(*value));
        }
        return *value;
    }

    std::optional<double> number(const char* key) const {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number()) {
            fail(key, std::string("expected a number, got ") + typeName(*value));
        }
        const double result = value->get<double>();
        if (!std::isfinite(result)) {
            fail(key, "expected a finite number");
        }
        return result;
    }

    std::optional<int> integer(const char* key, int minimum, int maximum) const {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_number_integer()) {
            fail(key, std::string("expected a whole number, got ") + typeName(*value));
        }
        const auto result = value->get<long long>();
        if (result < minimum || result > maximum) {
            fail(key, "must be between " + std::to_string(minimum) + " and " + std::to_string(maximum) +
                          ", got " + std::to_string(result));
        }
        return static_cast<int>(result);
    }

    std::optional<bool> boolean(const char* key) const {
        const json* value = find(key);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (!value->is_boolean()) {
            fail(key, std::string("expected true or false, got ") + typeName(*value));
        }
        return value->get<bool>();
    }

    std::optional<CivilDate> date(const char* key) const {
        const std::string value = text(key);
        if (value.empty()) {
            return std::nullopt;
        }
        auto parsed = parseCivilDate(value);
        if (!parsed) {
            fail(key, "expected a date YYYY-MM-DD, got " + quotedValue(value));
        }
        return parsed;
    }

    std::string url(const char* key) const {
        std::string value = text(key);
        if (!value.empty() && value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
            fail(key, "expected a web address starting with https:// or http://, got " + quotedValue(value));
        }
        return value;
    }

    std::string email(const char* key) const {
        std::string value = text(key);
        if (value.empty()) {
            return value;
        }
        const std::size_t at = value.find('@');
        const bool ok = at != std::string::npos && at > 0 && value.find('@', at + 1) == std::string::npos &&
                        value.find('.', at) != std::string::npos && value.back() != '.' &&
                        value.find_first_of(" \t\r\n<>,;") == std::string::npos;
        if (!ok) {
            fail(key, "expected an email address, got " + quotedValue(value));
        }
        return value;
    }

    // An element of an array field must be an object; returns a Fields for it.
    Fields child(const json& element, std::string_view arrayKey, std::size_t index) const {
        const std::string childPrefix = m_prefix + std::string(arrayKey) + "[" + std::to_string(index) + "]";
        if (!element.is_object()) {
            throw ImportError(m_record, childPrefix + ": expected an object, got " + typeName(element));
        }
        return Fields(element, m_record, childPrefix + ".");
    }

private:
    const json& m_object;
    std::string m_record;
    std::string m_prefix;
};

// "services[41] (id "svc-food-042")", or without the id when it is unusable.
std::string recordName(const char* collection, std::size_t index, const json& element) {
    std::string name = std::string(collection) + "[" + std::to_string(index) + "]";
    if (element.is_object()) {
        auto id = element.find("id");
        if (id != element.end() && id->is_string() && !id->get<std::string>().empty()) {
            name += " (id " + quotedValue(id->get<std::string>()) + ")";
        }
    }
    return name;
}

const json& topArray(const json& document, const char* key, bool required) {
    static const json kEmpty = json::array();
    auto it = document.find(key);
    if (it == document.end() || it->is_null()) {
        if (required) {
            throw ImportError(key, "required array is missing");
        }
        return kEmpty;
    }
    if (!it->is_array()) {
        throw ImportError(key, std::string("expected an array, got ") + typeName(*it));
    }
    return *it;
}

// Tracks ids within one collection to report duplicates against the first use.
class IdRegistry {
public:
    explicit IdRegistry(const char* collection) : m_collection(collection) {}
    void add(const std::string& id, std::size_t index, const Fields& fields) {
        auto [it, inserted] = m_ids.emplace(id, index);
        if (!inserted) {
            fields.fail("id", "duplicate of " + std::string(m_collection) + "[" + std::to_string(it->second) + "]");
        }
    }
    bool contains(const std::string& id) const { return m_ids.count(id) != 0; }
    std::size_t indexOf(const std::string& id) const { return m_ids.at(id); }

private:
    const char* m_collection;
    std::unordered_map<std::string, std::size_t> m_ids;
};

ScheduleRule parseSchedule(const Fields& f) {
    ScheduleRule rule;
    const std::string freq = f.text("freq");
    try {
        rule.frequency = freq.empty() ? ScheduleFrequency::Weekly : parseFrequency(freq);
    } catch (const std::invalid_argument& error) {
        f.fail("freq", error.what());
    }
    // Recurrence parts we cannot honour must not be silently dropped: the hours would be wrong.
    for (const char* unsupported : {"bymonthday", "byyearday", "byweekno", "count"}) {
        if (f.find(unsupported) != nullptr) {
            f.fail(unsupported, "not supported; use byday with freq WEEKLY or MONTHLY");
        }
    }
    if (auto interval = f.integer("interval", 1, 1000); interval && *interval != 1) {
        f.fail("interval", "only 1 (every week or every month) is supported, got " + std::to_string(*interval));
    }
    try {
        rule.byDays = parseByDay(f.text("byday"));
    } catch (const std::invalid_argument& error) {
        f.fail("byday", error.what());
    }
    for (const ByDay& day : rule.byDays) {
        if (day.ordinal != 0 && rule.frequency != ScheduleFrequency::Monthly) {
            f.fail("byday", "a week of the month (like 1MO) needs freq MONTHLY");
        }
    }
    if (rule.frequency == ScheduleFrequency::Monthly && rule.byDays.empty()) {
        f.fail("byday", "freq MONTHLY needs byday, like 1MO or -1FR");
    }
    for (const char* key : {"opens_at", "closes_at"}) {
        const std::string value = f.text(key, true);
        try {
            const int minutes = parseClockMinutes(value);
            if (key == std::string_view("opens_at")) {
                if (minutes == 1440) {
                    f.fail(key, "a service cannot open at 24:00; use 00:00");
                }
                rule.opensAtMinutes = minutes;
            } else {
                rule.closesAtMinutes = minutes;
            }
        } catch (const std::invalid_argument& error) {
            f.fail(key, error.what());
        }
    }
    rule.validFrom = f.date("valid_from");
    rule.validTo = f.date("valid_to");
    if (rule.validFrom && rule.validTo && *rule.validTo < *rule.validFrom) {
        f.fail("valid_to", "is before valid_from");
    }
    rule.description = f.text("description");
    return rule;
}

std::vector<ScheduleRule> parseSchedules(const Fields& parent) {
    std::vector<ScheduleRule> rules;
    const json& list = parent.array("schedules");
    for (std::size_t i = 0; i < list.size(); ++i) {
        rules.push_back(parseSchedule(parent.child(list[i], "schedules", i)));
    }
    return rules;
}

TaxonomyTerm parseTerm(const Fields& f) {
    TaxonomyTerm term;
    term.id = f.text("id", true);
    term.name = f.text("name", true);
    term.code = f.text("code");
    if (term.code.empty()) {
        term.code = term.id;
    }
    term.description = f.text("description");
    term.parentId = f.text("parent_id");
    term.taxonomy = f.text("taxonomy");
    term.termUri = f.text("term_uri");
    const json& keywords = f.array("keywords");
    for (std::size_t i = 0; i < keywords.size(); ++i) {
        if (!keywords[i].is_string()) {
            f.fail("keywords[" + std::to_string(i) + "]", std::string("expected a string, got ") + typeName(keywords[i]));
        }
        term.keywords.push_back(keywords[i].get<std::string>());
    }
    return term;
}

Organisation parseOrganisation(const Fields& f) {
    Organisation org;
    org.id = f.text("id", true);
    org.name = f.text("name", true);
    org.description = f.text("description");
    org.website = f.url("website");
    org.email = f.email("email");
    return org;
}

Location parseLocation(const Fields& f) {
    Location location;
    location.id = f.text("id", true);
    location.name = f.text("name");
    const json& addresses = f.array("addresses");
    // HSDS allows several (physical, postal); the kiosk shows the physical one, else the first.
    std::optional<std::size_t> chosen;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        Fields a = f.child(addresses[i], "addresses", i);
        a.text("address_1", true);
        a.text("address_2");
        a.text("city");
        a.text("postal_code");
        if (!chosen || (a.text("address_type") == "physical" &&
                        f.child(addresses[*chosen], "addresses", *chosen).text("address_type") != "physical")) {
            chosen = i;
        }
    }
    if (chosen) {
        Fields a = f.child(addresses[*chosen], "addresses", *chosen);
        location.address.line1 = a.text("address_1", true);
        location.address.line2 = a.text("address_2");
        location.address.city = a.text("city");
        location.address.postcode = a.text("postal_code");
    }
    const json& accessibility = f.array("accessibility");
    for (std::size_t i = 0; i < accessibility.size(); ++i) {
        location.accessibility.push_back(f.child(accessibility[i], "accessibility", i).text("description", true));
    }
    location.transportation = f.text("transportation");
    location.latitude = f.number("latitude");
    location.longitude = f.number("longitude");
    if (location.latitude && std::abs(*location.latitude) > 90) {
        f.fail("latitude", "must be between -90 and 90");
    }
    if (location.longitude && std::abs(*location.longitude) > 180) {
        f.fail("longitude", "must be between -180 and 180");
    }
    if (location.latitude.has_value() != location.longitude.has_value()) {
        f.fail(location.latitude ? "longitude" : "latitude", "latitude and longitude come together");
    }
    return location;
}

std::string formatPounds(double amount) {
    char buffer[32];
    if (amount == std::floor(amount)) {
        std::snprintf(buffer, sizeof buffer, "£%.0f", amount);
    } else {
        std::snprintf(buffer, sizeof buffer, "£%.2f", amount);
    }
    return buffer;
}

struct DocumentIds {
    IdRegistry terms{"taxonomy_terms"};
    IdRegistry organisations{"organizations"};
    IdRegistry locations{"locations"};
    std::unordered_map<std::string, const TaxonomyTerm*> termById;
};

Service parseService(const Fields& f, const DocumentIds& ids) {
    Service service;
    service.id = f.text("id", true);
    service.organisationId = f.text("organization_id", true);
    if (!ids.organisations.contains(service.organisationId)) {
        f.fail("organization_id", "no organization with id " + quotedValue(service.organisationId));
    }
    service.name = f.text("name", true);
    service.description = f.text("description");
    service.url = f.url("url");
    service.email = f.email("email");
    const std::string status = f.text("status", true);
    auto parsedStatus = parseServiceStatus(status);
    if (!parsedStatus) {
        f.fail("status", "expected active, inactive, defunct or temporarily closed, got " + quotedValue(status));
    }
    service.status = *parsedStatus;
    service.eligibility = f.text("eligibility_description");
    service.applicationProcess = f.text("application_process");
    service.minimumAge = f.integer("minimum_age", 0, 150);
    service.maximumAge = f.integer("maximum_age", 0, 150);
    if (service.minimumAge && service.maximumAge && *service.maximumAge < *service.minimumAge) {
        f.fail("maximum_age", "is below minimum_age");
    }
    service.lastChecked = f.date("assured_date");

    if (const json* types = f.find("attending_type")) {
        std::vector<std::pair<std::string, const json*>> items;
        if (types->is_string()) {
            items.emplace_back("attending_type", types);
        } else if (types->is_array()) {
            for (std::size_t i = 0; i < types->size(); ++i) {
                items.emplace_back("attending_type[" + std::to_string(i) + "]", &(*types)[i]);
            }
        } else {
            f.fail("attending_type", std::string("expected a string or an array of strings, got ") + typeName(*types));
        }
        service.attendingTypes = 0;
        for (const auto& [field, item] : items) {
            if (!item->is_string()) {
                f.fail(field, std::string("expected a string, got ") + typeName(*item));
            }
            const unsigned flag = parseAttendingType(item->get<std::string>());
            if (flag == 0) {
                f.fail(field, "expected venue, phone, online or home visit, got " + quotedValue(item->get<std::string>()));
            }
            service.attendingTypes |= flag;
        }
        if (service.attendingTypes == 0) {
            f.fail("attending_type", "must name at least one way to attend");
        }
    }
    const std::string access = f.text("attending_access");
    if (!access.empty()) {
        auto parsed = parseAttendingAccess(access);
        if (!parsed) {
            f.fail("attending_access", "expected drop-in, appointment, referral or membership, got " + quotedValue(access));
        }
        service.attendingAccess = *parsed;
    }

    const json& phones = f.array("phones");
    for (std::size_t i = 0; i < phones.size(); ++i) {
        Fields p = f.child(phones[i], "phones", i);
        Phone phone{p.text("number", true), p.text("description")};
        if (phone.number.find_first_of("0123456789") == std::string::npos) {
            p.fail("number", "expected a phone number, got " + quotedValue(phone.number));
        }
        service.phones.push_back(std::move(phone));
    }

    service.schedules = parseSchedules(f);

    const json& areas = f.array("service_areas");
    for (std::size_t i = 0; i < areas.size(); ++i) {
        Fields a = f.child(areas[i], "service_areas", i);
        ServiceArea area;
        area.name = a.text("name", true);
        const std::string extent = a.text("extent_type");
        if (!extent.empty()) {
            if (extent != "neighbourhood" && extent != "city") {
                a.fail("extent_type", "expected neighbourhood or city, got " + quotedValue(extent));
            }
            area.extentType = extent;
        }
        service.serviceAreas.push_back(std::move(area));
    }

    const json& sals = f.array("service_at_locations");
    for (std::size_t i = 0; i < sals.size(); ++i) {
        Fields s = f.child(sals[i], "service_at_locations", i);
        const std::string locationId = s.text("location_id", true);
        if (!ids.locations.contains(locationId)) {
            s.fail("location_id", "no location with id " + quotedValue(locationId));
        }
        if (std::find(service.locationIds.begin(), service.locationIds.end(), locationId) ==
            service.locationIds.end()) {
            service.locationIds.push_back(locationId);
        }
        for (ScheduleRule& rule : parseSchedules(s)) {
            service.schedules.push_back(std::move(rule));
        }
    }

    const json& languages = f.array("languages");
    for (std::size_t i = 0; i < languages.size(); ++i) {
        Fields l = f.child(languages[i], "languages", i);
        std::string code = l.text("code", true);
        const bool ok = code.size() >= 2 && code.size() <= 3 &&
                        std::all_of(code.begin(), code.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                        });
        if (!ok) {
            l.fail("code", "expected an ISO 639 language code like \"en\" or \"pl\", got " + quotedValue(code));
        }
        std::transform(code.begin(), code.end(), code.begin(),
                       [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
        if (std::find(service.languages.begin(), service.languages.end(), code) == service.languages.end()) {
            service.languages.push_back(code);
        }
    }

    // Free when every cost option is zero (or there are none); the first paid option explains.
    const json& costs = f.array("cost_options");
    for (std::size_t i = 0; i < costs.size(); ++i) {
        Fields c = f.child(costs[i], "cost_options", i);
        const std::optional<double> amount = c.number("amount");
        if (amount && *amount < 0) {
            c.fail("amount", "must not be negative");
        }
        const std::string option = c.text("option");
        const std::string description = c.text("amount_description");
        c.text("currency");
        if (amount && *amount == 0) {
            continue;
        }
        if (service.isFree) {
            service.isFree = false;
            service.costDescription = !description.empty() ? description
                                      : !option.empty()    ? option
                                      : amount             ? formatPounds(*amount)
                                                           : std::string();
        }
    }
    const std::string fees = f.text("fees_description");
    if (service.costDescription.empty() && !service.isFree) {
        service.costDescription = fees;
    }

    const json& attributes = f.array("attributes");
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        Fields a = f.child(attributes[i], "attributes", i);
        const std::string termId = a.text("taxonomy_term_id", true);
        auto term = ids.termById.find(termId);
        if (term == ids.termById.end()) {
            a.fail("taxonomy_term_id", "no taxonomy term with id " + quotedValue(termId));
        }
        if (term->second->taxonomy == kNeedsVocabulary &&
            std::find(service.needCodes.begin(), service.needCodes.end(), term->second->code) ==
                service.needCodes.end()) {
            service.needCodes.push_back(term->second->code);
        }
    }

    if (auto accepts = f.boolean("x_accepts_referrals")) {
        service.acceptsReferrals = *accepts;
    }
    return service;
}

}  // namespace

DirectoryData parseHsdsJson(std::string_view jsonText) {
    json document;
    try {
        document = json::parse(jsonText.begin(), jsonText.end());
    } catch (const json::exception& error) {
        // parse_error, or out_of_range for a number no double holds (1e400).
        throw ImportError("document", std::string("not valid JSON: ") + error.what());
    }
    if (!document.is_object()) {
        throw ImportError("document", std::string("expected a JSON object, got ") + typeName(document));
    }
    DirectoryData data;
    Fields top(document, "document");
    data.version = top.text("directory_version", true);

    DocumentIds ids;
    const json& terms = topArray(document, "taxonomy_terms", false);
    std::map<std::pair<std::string, std::string>, std::size_t> codes;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        const std::string record = recordName("taxonomy_terms", i, terms[i]);
        if (!terms[i].is_object()) {
            throw ImportError(record, std::string("expected an object, got ") + typeName(terms[i]));
        }
        Fields f(terms[i], record);
        TaxonomyTerm term = parseTerm(f);
        ids.terms.add(term.id, i, f);
        auto [it, inserted] = codes.emplace(std::make_pair(term.taxonomy, term.code), i);
        if (!inserted) {
            f.fail("code", "duplicate of taxonomy_terms[" + std::to_string(it->second) + "] in vocabulary " +
                               quotedValue(term.taxonomy));
        }
        data.taxonomyTerms.push_back(std::move(term));
    }
    for (std::size_t i = 0; i < data.taxonomyTerms.size(); ++i) {
        const TaxonomyTerm& term = data.taxonomyTerms[i];
        if (!term.parentId.empty() && !ids.terms.contains(term.parentId)) {
            throw ImportError(recordName("taxonomy_terms", i, terms[i]),
                              "parent_id: no taxonomy term with id " + quotedValue(term.parentId));
        }
        ids.termById.emplace(term.id, &term);
    }

    const json& organisations = topArray(document, "organizations", true);
    for (std::size_t i = 0; i < organisations.size(); ++i) {
        const std::string record = recordName("organizations", i, organisations[i]);
        if (!organisations[i].is_object()) {
            throw ImportError(record, std::string("expected an object, got ") + typeName(organisations[i]));
        }
        Fields f(organisations[i], record);
        Organisation org = parseOrganisation(f);
        ids.organisations.add(org.id, i, f);
        data.organisations.push_back(std::move(org));
    }

    const json& locations = topArray(document, "locations", false);
    for (std::size_t i = 0; i < locations.size(); ++i) {
        const std::string record = recordName("locations", i, locations[i]);
        if (!locations[i].is_object()) {
            throw ImportError(record, std::string("expected an object, got ") + typeName(locations[i]));
        }
        Fields f(locations[i], record);
        Location location = parseLocation(f);
        ids.locations.add(location.id, i, f);
        data.locations.push_back(std::move(location));
    }

    const json& services = topArray(document, "services", true);
    IdRegistry serviceIds("services");
    data.services.reserve(services.size());
    for (std::size_t i = 0; i < services.size(); ++i) {
        const std::string record = recordName("services", i, services[i]);
        if (!services[i].is_object()) {
            throw ImportError(record, std::string("expected an object, got ") + typeName(services[i]));
        }
        Fields f(services[i], record);
        Service service = parseService(f, ids);
        serviceIds.add(service.id, i, f);
        data.services.push_back(std::move(service));
    }
    return data;
}

DirectoryData loadHsdsFile(const std::filesystem::path& path) {
    std::string text;
    try {
        text = readFile(path);
    } catch (const FileError& error) {
        throw ImportError(path.string(), std::string("cannot read the file: ") + error.what());
    }
    try {
        return parseHsdsJson(text);
    } catch (const ImportError& error) {
        // Keep the record path, and say which file it was in.
        throw ImportError(path.filename().string() + ": " + error.recordPath(),
                          std::string(error.what()).substr(error.recordPath().size() + 2));
    }
}

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
    return out;
}

void putIfSet(json& out, const char* key, const std::string& value) {
    if (!value.empty()) {
        out[key] = value;
    }
}

}  // namespace

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
        putIfSet(s, "description", service.description);
        putIfSet(s, "url", service.url);
        putIfSet(s, "email", service.email);
        putIfSet(s, "eligibility_description", service.eligibility);
        putIfSet(s, "application_process", service.applicationProcess);
        if (service.minimumAge) {
            s["minimum_age"] = *service.minimumAge;
        }
        if (service.maximumAge) {
            s["maximum_age"] = *service.maximumAge;
        }
        if (service.lastChecked) {
            s["assured_date"] = formatCivilDate(*service.lastChecked);
        }
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
        if (!service.isFree) {
            // No amount: the import reads a cost option without one as "not free".
            json option = json::object();
            putIfSet(option, "amount_description", service.costDescription);
            s["cost_options"] = json::array({option});
        }
        if (!service.needCodes.empty()) {
            json list = json::array();
            for (const std::string& code : service.needCodes) {
                auto id = needIdByCode.find(code);
                list.push_back({{"taxonomy_term_id", id != needIdByCode.end() ? id->second : code}});
            }
            s["attributes"] = std::move(list);
        }
        if (!service.acceptsReferrals) {
            s["x_accepts_referrals"] = false;
        }
        services.push_back(std::move(s));
    }
    document["services"] = std::move(services);
    return document.dump(1, ' ', false, json::error_handler_t::replace);
}

}  // namespace signpost
