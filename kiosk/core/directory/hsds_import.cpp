#include "core/directory/hsds_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "core/common/atomic_file.h"
#include "core/directory/hsds_fields.h"
#include "core/directory/hsds_schedule.h"
#include "core/directory/hsds_shape.h"
#include "core/directory/language_names.h"
#include "core/directory/needs_mapping.h"

namespace signpost {

using nlohmann::json;
using namespace hsds_detail;

ImportError::ImportError(const std::string& recordPath, const std::string& problem)
    : std::runtime_error(recordPath + ": " + problem), m_recordPath(recordPath) {}

std::string_view toString(ImportEffect effect) {
    switch (effect) {
        case ImportEffect::RecordSkipped:
            return "skipped";
        case ImportEffect::FieldIgnored:
            return "field not used";
        case ImportEffect::HoursIncomplete:
            return "check times";
    }
    return "skipped";
}

std::string ImportProblem::toString() const {
    return record + ": " + (field.empty() ? "" : field + ": ") + reason + " [" +
           std::string(signpost::toString(effect)) + "]";
}

std::size_t ImportResult::recordsSkipped() const {
    return static_cast<std::size_t>(std::count_if(
        problems.begin(), problems.end(),
        [](const ImportProblem& p) { return p.effect == ImportEffect::RecordSkipped; }));
}

namespace {

constexpr const char* kNeedsVocabulary = "signpost-needs";

struct Context {
    ImportLog& log;
    const ImportOptions& options;
    bool signpostShape = false;
    std::unordered_map<std::string, std::size_t> termIndex, organisationIndex, locationIndex,
        serviceIndex;
    std::vector<TaxonomyTerm>* terms = nullptr;
    std::unordered_map<std::string, std::vector<Phone>>
        locationPhones;  // ORUK location and contact phones
};

// Reads an optional field; in a lenient import a bad value is reported and left out.
template <class Read>
auto optionalField(Context& ctx, const Fields& f, Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const ImportError& error) {
        if (ctx.log.strict()) {
            throw;
        }
        std::string rest = std::string(error.what()).substr(error.recordPath().size() + 2);
        const std::size_t colon = rest.find(": ");
        ctx.log.report(error.recordPath(), f.recordId(),
                       colon == std::string::npos ? "" : rest.substr(0, colon),
                       colon == std::string::npos ? rest : rest.substr(colon + 2),
                       ImportEffect::FieldIgnored);
        return {};
    }
}

// "services[0]" of "services[0] (id \"x\")": where the first copy of a duplicate was.
std::string firstRecord(const std::string& name) {
    return name.substr(0, name.find(" (id "));
}

std::string formatMoney(double amount, const std::string& currency) {
    char buffer[48];
    const bool whole = amount == std::floor(amount);
    std::string upper = currency;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(std::toupper(c)); });
    if (upper.empty() || upper == "GBP") {
        std::snprintf(buffer, sizeof buffer, whole ? "£%.0f" : "£%.2f", amount);
    } else {
        std::snprintf(buffer, sizeof buffer, whole ? "%.0f %s" : "%.2f %s", amount, upper.c_str());
    }
    return buffer;
}

bool hasDigit(const std::string& text) {
    return text.find_first_of("0123456789") != std::string::npos;
}

// Phones of an HSDS `phones` array (and, with contacts, of each contact's), deduplicated by digits.
void readPhones(Context& ctx, const Fields& parent, const char* key,
                const std::string& contactLabel, std::vector<Phone>& out) {
    const json& phones = optionalField(ctx, parent, [&]() -> json { return parent.array(key); });
    for (std::size_t i = 0; i < phones.size(); ++i) {
        optionalField(ctx, parent, [&]() -> bool {
            Fields p = parent.child(phones[i], key, i);
            std::string number = p.text("number", true);
            // Some feeds quote the number inside the string ("\"+44 1234 234567\"").
            number.erase(std::remove(number.begin(), number.end(), '"'), number.end());
            if (!hasDigit(number)) {
                p.fail("number", "expected a phone number, got " + quotedValue(number));
            }
            std::string type = p.text("type");
            std::transform(type.begin(), type.end(), type.begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
            if (type == "fax") {
                return false;  // nobody at a kiosk can use a fax number
            }
            if (const json* extension = p.find("extension")) {
                const std::string ext =
                    extension->is_string() ? extension->get<std::string>() : extension->dump();
                if (!ext.empty()) {
                    number += " ext. " + ext;
                }
            }
            std::string description = p.text("description");
            if (description.empty()) {
                description = contactLabel;
            }
            std::string digits;
            std::copy_if(number.begin(), number.end(), std::back_inserter(digits),
                         [](char c) { return c >= '0' && c <= '9'; });
            const bool seen = std::any_of(out.begin(), out.end(), [&](const Phone& phone) {
                std::string other;
                std::copy_if(phone.number.begin(), phone.number.end(), std::back_inserter(other),
                             [](char c) { return c >= '0' && c <= '9'; });
                return other == digits;
            });
            if (!seen) {
                out.push_back({number, description});
            }
            return true;
        });
    }
}

void readContactPhones(Context& ctx, const Fields& parent, std::vector<Phone>& out) {
    const json& contacts =
        optionalField(ctx, parent, [&]() -> json { return parent.array("contacts"); });
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        optionalField(ctx, parent, [&]() -> bool {
            Fields c = parent.child(contacts[i], "contacts", i);
            std::string label = c.text("name");
            const std::string title = c.text("title");
            if (!title.empty()) {
                label += (label.empty() ? "" : ", ") + title;
            }
            readPhones(ctx, c, "phones", label, out);
            return true;
        });
    }
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
            f.fail("keywords[" + std::to_string(i) + "]",
                   std::string("expected a string, got ") + typeName(keywords[i]));
        }
        term.keywords.push_back(keywords[i].get<std::string>());
    }
    return term;
}

Organisation parseOrganisation(Context& ctx, const Fields& f) {
    Organisation org;
    org.id = f.text("id", true);
    org.name = f.text("name", true);
    org.description = optionalField(ctx, f, [&] { return f.text("description"); });
    org.website = optionalField(ctx, f, [&] { return f.url("website"); });
    org.email = optionalField(ctx, f, [&] { return f.email("email"); });
    return org;
}

Location parseLocation(Context& ctx, const Fields& f) {
    Location location;
    location.id = f.text("id", true);
    location.name = optionalField(ctx, f, [&] { return f.text("name"); });
    const json& addresses = optionalField(ctx, f, [&]() -> json { return f.array("addresses"); });
    // HSDS allows several (physical, postal); the kiosk shows the physical one, else the first.
    std::optional<Address> chosen;
    bool chosenPhysical = false;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        optionalField(ctx, f, [&]() -> bool {
            Fields a = f.child(addresses[i], "addresses", i);
            Address address{a.text("address_1", true), a.text("address_2"), a.text("city"),
                            a.text("postal_code")};
            const bool physical = a.text("address_type") == "physical";
            if (!chosen || (physical && !chosenPhysical)) {
                chosen = std::move(address);
                chosenPhysical = physical;
            }
            return true;
        });
    }
    if (chosen) {
        location.address = std::move(*chosen);
    }
    const json& accessibility =
        optionalField(ctx, f, [&]() -> json { return f.array("accessibility"); });
    for (std::size_t i = 0; i < accessibility.size(); ++i) {
        optionalField(ctx, f, [&]() -> bool {
            Fields a = f.child(accessibility[i], "accessibility", i);
            std::string statement = a.text("description", true);
            const std::string details = a.text("details");
            if (!details.empty()) {
                statement += (statement.back() == '.' ? " " : ". ") + details;
            }
            location.accessibility.push_back(std::move(statement));
            return true;
        });
    }
    location.transportation = optionalField(ctx, f, [&] { return f.text("transportation"); });
    optionalField(ctx, f, [&]() -> bool {
        const auto latitude = f.number("latitude");
        const auto longitude = f.number("longitude");
        if (latitude && std::abs(*latitude) > 90) {
            f.fail("latitude", "must be between -90 and 90");
        }
        if (longitude && std::abs(*longitude) > 180) {
            f.fail("longitude", "must be between -180 and 180");
        }
        if (latitude.has_value() != longitude.has_value()) {
            f.fail(latitude ? "longitude" : "latitude", "latitude and longitude come together");
        }
        location.latitude = latitude;
        location.longitude = longitude;
        return true;
    });
    if (!ctx.signpostShape) {
        std::vector<Phone> phones;
        readPhones(ctx, f, "phones", location.name, phones);
        readContactPhones(ctx, f, phones);
        ctx.locationPhones[location.id] = std::move(phones);
    }
    return location;
}

// One schedule; a schedule that cannot be read exactly leaves the service "check times".
void readSchedules(Context& ctx, const Fields& parent, Service& service,
                   std::vector<std::string>& attending) {
    const json& list = parent.array("schedules");
    for (std::size_t i = 0; i < list.size(); ++i) {
        try {
            std::string attendingText;
            service.schedules.push_back(parseHsdsSchedule(parent.child(list[i], "schedules", i),
                                                          ctx.options.venueOffsetsMinutes,
                                                          &attendingText, ctx.signpostShape));
            if (!attendingText.empty() &&
                std::find(attending.begin(), attending.end(), attendingText) == attending.end()) {
                attending.push_back(attendingText);
            }
        } catch (const ImportError& error) {
            if (ctx.log.strict()) {
                throw;
            }
            std::string rest = std::string(error.what()).substr(error.recordPath().size() + 2);
            const std::size_t colon = rest.find(": ");
            ctx.log.report(error.recordPath(), parent.recordId(), rest.substr(0, colon),
                           rest.substr(colon + 2), ImportEffect::HoursIncomplete);
            service.checkTimes = true;
        }
    }
}

void readCost(Context& ctx, const Fields& f, Service& service) {
    const json& costs = f.array("cost_options");
    std::vector<std::string> paidLines;
    bool anyPaid = false;
    for (std::size_t i = 0; i < costs.size(); ++i) {
        Fields c = f.child(costs[i], "cost_options", i);
        const std::optional<double> amount = c.number("amount");
        if (amount && *amount < 0) {
            c.fail("amount", "must not be negative");
        }
        const std::string option = c.text("option");
        const std::string description = c.text("amount_description");
        const std::string currency = c.text("currency");
        if (amount && *amount == 0) {
            continue;
        }
        anyPaid = true;
        std::string line;
        if (ctx.signpostShape) {
            line = !description.empty() ? description
                   : !option.empty()    ? option
                   : amount             ? formatMoney(*amount, currency)
                                        : "";
        } else if (hasDigit(description) || !amount) {
            line = !description.empty() ? description : option;
            if (amount && !option.empty() && !description.empty()) {
                line = option + ": " + line;
            }
        } else {
            line = formatMoney(*amount, currency) + (description.empty() ? "" : " " + description);
            if (!option.empty()) {
                line = option + ": " + line;
            }
        }
        if (!line.empty() &&
            std::find(paidLines.begin(), paidLines.end(), line) == paidLines.end()) {
            paidLines.push_back(line);
        }
    }
    std::string fees = f.text("fees_description");
    if (fees.empty() && !ctx.signpostShape) {
        fees = f.text("fees");  // ORUK's older name for it
    }
    service.isFree = !costs.empty() && !anyPaid;
    service.costKnown = true;
    service.costDescription.clear();
    for (const std::string& line : paidLines) {
        service.costDescription += (service.costDescription.empty() ? "" : "; ") + line;
    }
    if (anyPaid && service.costDescription.empty()) {
        service.costDescription = fees;
    }
    if (costs.empty()) {
        if (ctx.signpostShape) {
            // Signpost's own documents: no cost options is free unless marked unknown.
            const bool unknown = f.boolean("x_cost_unknown").value_or(false);
            service.isFree = !unknown;
            service.costKnown = !unknown;
        } else if (!fees.empty()) {
            service.costDescription = fees;  // "£50 per hour": not free, whatever else is missing
        } else {
            service.costKnown = false;  // nothing published: no "Free" badge, no cost badge
        }
    }
}

void readServiceAreas(Context& ctx, const Fields& f, Service& service) {
    const json& areas = f.array("service_areas");
    for (std::size_t i = 0; i < areas.size(); ++i) {
        optionalField(ctx, f, [&]() -> bool {
            Fields a = f.child(areas[i], "service_areas", i);
            ServiceArea area;
            area.name = a.text("name");
            if (area.name.empty() && !ctx.signpostShape) {
                area.name = a.text("service_area");  // ORUK's free-text area
            }
            if (area.name.empty()) {
                a.fail("name", "required field is missing");
            }
            std::string extent = a.text("extent_type");
            std::transform(extent.begin(), extent.end(), extent.begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
            if (extent == "neighbourhood" || extent == "city" || extent == "area") {
                area.extentType = extent;
            } else if (ctx.signpostShape && !extent.empty()) {
                a.fail("extent_type",
                       "expected neighbourhood, city or area, got " + quotedValue(extent));
            } else if (extent.empty() || extent == "text") {
                // A named place: the whole city, or a neighbourhood of it.
                std::string lowerName = area.name;
                std::transform(lowerName.begin(), lowerName.end(), lowerName.begin(),
                               [](char c) { return static_cast<char>(std::tolower(c)); });
                const bool city = std::any_of(
                    ctx.options.cityNames.begin(), ctx.options.cityNames.end(), [&](std::string n) {
                        std::transform(n.begin(), n.end(), n.begin(),
                                       [](char c) { return static_cast<char>(std::tolower(c)); });
                        return n == lowerName;
                    });
                area.extentType = city ? "city" : "neighbourhood";
            } else if (extent == "geojson" || extent == "topojson" || extent == "kml") {
                // A drawn shape cannot be checked against the neighbourhood list: the name is
                // searchable, and the service shows under every neighbourhood.
                area.extentType = "area";
                a.soft(
                    ctx.log, "extent_type",
                    "a " + extent +
                        " shape cannot be matched to a neighbourhood; the service shows in every "
                        "neighbourhood and its area name is searchable",
                    ImportEffect::FieldIgnored);
            } else {
                a.fail("extent_type",
                       "expected geojson, topojson, kml or text, got " + quotedValue(extent));
            }
            service.serviceAreas.push_back(std::move(area));
            return true;
        });
    }
}

void readLanguages(Context& ctx, const Fields& f, Service& service) {
    const json& languages = f.array("languages");
    for (std::size_t i = 0; i < languages.size(); ++i) {
        optionalField(ctx, f, [&]() -> bool {
            Fields l = f.child(languages[i], "languages", i);
            const std::string code = ctx.signpostShape ? l.text("code", true) : l.text("code");
            std::optional<std::string> normalised;
            if (!code.empty()) {
                normalised = normaliseLanguageCode(code);
                if (!normalised) {
                    l.fail("code", "expected an ISO 639 language code like \"en\" or \"pl\", got " +
                                       quotedValue(code));
                }
            } else {
                const std::string name = l.text("name");
                if (name.empty()) {
                    l.fail("code", "a language needs a code or a name");
                }
                normalised = languageCodeForName(name);
                if (!normalised) {
                    l.fail("name",
                           "no ISO 639 code known for " + quotedValue(name) + "; give its code");
                }
            }
            if (std::find(service.languages.begin(), service.languages.end(), *normalised) ==
                service.languages.end()) {
                service.languages.push_back(*normalised);
            }
            return true;
        });
    }
}

void readAttendingType(Context& ctx, const Fields& f, Service& service) {
    const json* types = f.find("attending_type");
    if (types == nullptr) {
        return;
    }
    optionalField(ctx, f, [&]() -> bool {
        std::vector<std::pair<std::string, const json*>> items;
        if (types->is_string()) {
            items.emplace_back("attending_type", types);
        } else if (types->is_array()) {
            for (std::size_t i = 0; i < types->size(); ++i) {
                items.emplace_back("attending_type[" + std::to_string(i) + "]", &(*types)[i]);
            }
        } else {
            f.fail("attending_type", std::string("expected a string or an array of strings, got ") +
                                         typeName(*types));
        }
        unsigned flags = 0;
        for (const auto& [field, item] : items) {
            if (!item->is_string()) {
                f.fail(field, std::string("expected a string, got ") + typeName(*item));
            }
            const unsigned flag = parseAttendingType(item->get<std::string>());
            if (flag == 0) {
                f.fail(field, "expected venue, phone, online or home visit, got " +
                                  quotedValue(item->get<std::string>()));
            }
            flags |= flag;
        }
        if (flags == 0) {
            f.fail("attending_type", "must name at least one way to attend");
        }
        service.attendingTypes = flags;
        return true;
    });
}

Service parseService(Context& ctx, const Fields& f, const NeedsMapping* mapping) {
    Service service;
    service.id = f.text("id", true);
    service.organisationId = f.text("organization_id", true);
    if (!ctx.organisationIndex.count(service.organisationId)) {
        f.fail("organization_id", "no organization with id " + quotedValue(service.organisationId));
    }
    service.name = f.text("name", true);
    const std::string status = f.text("status", true);
    auto parsedStatus = parseServiceStatus(status);
    if (!parsedStatus) {
        f.fail("status", "expected active, inactive, defunct or temporarily closed, got " +
                             quotedValue(status));
    }
    service.status = *parsedStatus;
    service.description = optionalField(ctx, f, [&] { return f.text("description"); });
    service.url = optionalField(ctx, f, [&] { return f.url("url"); });
    service.email = optionalField(ctx, f, [&] { return f.email("email"); });
    service.eligibility = optionalField(ctx, f, [&] { return f.text("eligibility_description"); });
    service.applicationProcess =
        optionalField(ctx, f, [&] { return f.text("application_process"); });
    optionalField(ctx, f, [&]() -> bool {
        auto minimum = f.integer("minimum_age", 0, 150);
        auto maximum = f.integer("maximum_age", 0, 150);
        if (minimum && maximum && *maximum < *minimum) {
            f.fail("maximum_age", "is below minimum_age");
        }
        service.minimumAge =
            minimum ? std::optional<int>(static_cast<int>(*minimum)) : std::nullopt;
        service.maximumAge =
            maximum ? std::optional<int>(static_cast<int>(*maximum)) : std::nullopt;
        return true;
    });
    service.lastChecked = optionalField(ctx, f, [&] { return f.date("assured_date"); });
    readAttendingType(ctx, f, service);
    optionalField(ctx, f, [&]() -> bool {
        const std::string access = f.text("attending_access");
        if (!access.empty()) {
            auto parsed = parseAttendingAccess(access);
            if (!parsed) {
                f.fail("attending_access",
                       "expected drop-in, appointment, referral or membership, got " +
                           quotedValue(access));
            }
            service.attendingAccess = *parsed;
        }
        return true;
    });

    std::vector<std::string> attending;  // HSDS 3.0 schedule-level free text
    readPhones(ctx, f, "phones", "", service.phones);
    readSchedules(ctx, f, service, attending);
    optionalField(ctx, f, [&]() -> bool {
        readServiceAreas(ctx, f, service);
        return true;
    });

    const json& sals = f.array("service_at_locations");
    for (std::size_t i = 0; i < sals.size(); ++i) {
        Fields s = f.child(sals[i], "service_at_locations", i);
        // A link to no known place is left out (the UK profile's own example has one with only an
        // id); its hours and phones still count.
        const std::string locationId = optionalField(ctx, s, [&] {
            std::string id = s.text("location_id", true);
            if (!ctx.locationIndex.count(id)) {
                s.fail("location_id", "no location with id " + quotedValue(id));
            }
            return id;
        });
        if (!locationId.empty() && std::find(service.locationIds.begin(), service.locationIds.end(),
                                             locationId) == service.locationIds.end()) {
            service.locationIds.push_back(locationId);
        }
        readSchedules(ctx, s, service, attending);
        if (!ctx.signpostShape) {
            readPhones(ctx, s, "phones", "", service.phones);
            readContactPhones(ctx, s, service.phones);
        }
    }
    if (!ctx.signpostShape) {
        readContactPhones(ctx, f, service.phones);
        for (const std::string& locationId : service.locationIds) {
            for (const Phone& phone : ctx.locationPhones[locationId]) {
                if (std::find(service.phones.begin(), service.phones.end(), phone) ==
                    service.phones.end()) {
                    service.phones.push_back(phone);
                }
            }
        }
        for (const std::string& text : attending) {
            if (service.applicationProcess.find(text) == std::string::npos) {
                service.applicationProcess +=
                    (service.applicationProcess.empty() ? "" : "\n") + text;
            }
        }
    }
    optionalField(ctx, f, [&]() -> bool {
        readLanguages(ctx, f, service);
        return true;
    });
    optionalField(ctx, f, [&]() -> bool {
        readCost(ctx, f, service);
        return true;
    });

    const json& attributes = f.array("attributes");
    auto addNeed = [&](const std::string& code) {
        if (std::find(service.needCodes.begin(), service.needCodes.end(), code) ==
            service.needCodes.end()) {
            service.needCodes.push_back(code);
        }
    };
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        optionalField(ctx, f, [&]() -> bool {
            Fields a = f.child(attributes[i], "attributes", i);
            const std::string termId = a.text("taxonomy_term_id", true);
            auto term = ctx.termIndex.find(termId);
            if (term == ctx.termIndex.end()) {
                a.fail("taxonomy_term_id", "no taxonomy term with id " + quotedValue(termId));
            }
            const TaxonomyTerm& linked = (*ctx.terms)[term->second];
            if (linked.taxonomy == kNeedsVocabulary) {
                addNeed(linked.code);
            } else if (mapping != nullptr) {
                for (const std::string& code : mapping->needsFor(linked)) {
                    addNeed(code);
                }
            }
            return true;
        });
    }
    if (mapping != nullptr && service.needCodes.empty() && mapping->otherNeed() != nullptr) {
        addNeed(mapping->otherNeed()->code);
    }
    if (auto accepts = optionalField(ctx, f, [&] { return f.boolean("x_accepts_referrals"); })) {
        service.acceptsReferrals = *accepts;
    }
    if (optionalField(ctx, f, [&] { return f.boolean("x_check_times"); }).value_or(false)) {
        service.checkTimes = true;
    }
    return service;
}

// Runs `parse` for one record; a lenient import reports and skips a record that throws.
template <class Parse>
void eachRecord(Context& ctx, const std::vector<FlatRecord>& records, Parse&& parse) {
    for (const FlatRecord& record : records) {
        const std::string id = record.value.is_object() && record.value.contains("id") &&
                                       record.value["id"].is_string()
                                   ? record.value["id"].get<std::string>()
                                   : std::string();
        try {
            if (record.notARecord) {
                throw ImportError(record.name,
                                  "not an HSDS service, organization or service_at_location");
            }
            if (!record.value.is_object()) {
                throw ImportError(record.name,
                                  std::string("expected an object, got ") + typeName(record.value));
            }
            parse(Fields(record.value, record.name, "", id));
        } catch (const ImportError& error) {
            if (ctx.log.strict()) {
                throw;
            }
            ctx.log.skipped(error, id);
        }
    }
}

ImportResult importDocument(std::string_view jsonText, const ImportOptions& options, bool strict) {
    json document;
    try {
        document = json::parse(jsonText.begin(), jsonText.end());
    } catch (const json::parse_error& error) {
        throw ImportError("document", std::string("not valid JSON: ") + error.what());
    }
    ImportLog log(strict);
    FlatDocument flat = flattenHsdsDocument(document);
    ImportResult result;
    result.shape = flat.shape;
    DirectoryData& data = result.data;
    data.version = flat.signpostShape
                       ? flat.version
                       : (options.versionLabel.empty() ? "oruk-import" : options.versionLabel);
    if (flat.signpostShape && data.version.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw ImportError("document", "directory_version: must not be empty");
    }
    Context ctx{log, options, flat.signpostShape, {}, {}, {}, {}, nullptr, {}};
    ctx.terms = &data.taxonomyTerms;
    const NeedsMapping* mapping = options.needsMapping;

    std::map<std::pair<std::string, std::string>, std::string> codes;  // (taxonomy, code) -> record
    std::vector<std::string> termRecords;
    eachRecord(ctx, flat.terms, [&](const Fields& f) {
        TaxonomyTerm term = parseTerm(f);
        if (auto seen = ctx.termIndex.find(term.id); seen != ctx.termIndex.end()) {
            f.fail("id", "duplicate of " + firstRecord(termRecords[seen->second]));
        }
        auto [it, inserted] =
            codes.emplace(std::make_pair(term.taxonomy, term.code), firstRecord(f.record()));
        if (!inserted) {
            f.fail("code",
                   "duplicate of " + it->second + " in vocabulary " + quotedValue(term.taxonomy));
        }
        ctx.termIndex.emplace(term.id, data.taxonomyTerms.size());
        data.taxonomyTerms.push_back(std::move(term));
        termRecords.push_back(f.record());
    });
    if (mapping != nullptr) {
        // The mapping's needs, unless the document defines a need with that code (or id) itself.
        for (TaxonomyTerm& need : mapping->needTerms()) {
            if (codes.emplace(std::make_pair(need.taxonomy, need.code), "the needs mapping")
                    .second &&
                !ctx.termIndex.count(need.id)) {
                ctx.termIndex.emplace(need.id, data.taxonomyTerms.size());
                data.taxonomyTerms.push_back(std::move(need));
                termRecords.push_back("the needs mapping");
            }
        }
    }
    for (std::size_t i = 0; i < data.taxonomyTerms.size(); ++i) {
        TaxonomyTerm& term = data.taxonomyTerms[i];
        if (!term.parentId.empty() && !ctx.termIndex.count(term.parentId)) {
            log.report(termRecords[i], term.id, "parent_id",
                       "no taxonomy term with id " + quotedValue(term.parentId),
                       ImportEffect::FieldIgnored);
            term.parentId.clear();  // the term stays; its parent is not in this document
        }
    }

    std::unordered_map<std::string, std::string> firstName;  // "kind:id" -> record that had it
    auto once = [&](const Fields& f, const char* kind, const std::string& id) {
        auto [it, inserted] =
            firstName.emplace(std::string(kind) + ":" + id, firstRecord(f.record()));
        if (!inserted) {
            f.fail("id", "duplicate of " + it->second);
        }
    };
    eachRecord(ctx, flat.organisations, [&](const Fields& f) {
        Organisation org = parseOrganisation(ctx, f);
        once(f, "organization", org.id);
        ctx.organisationIndex.emplace(org.id, data.organisations.size());
        data.organisations.push_back(std::move(org));
    });
    eachRecord(ctx, flat.locations, [&](const Fields& f) {
        Location location = parseLocation(ctx, f);
        once(f, "location", location.id);
        ctx.locationIndex.emplace(location.id, data.locations.size());
        data.locations.push_back(std::move(location));
    });
    data.services.reserve(flat.services.size());
    eachRecord(ctx, flat.services, [&](const Fields& f) {
        Service service = parseService(ctx, f, mapping);
        once(f, "service", service.id);
        ctx.serviceIndex.emplace(service.id, data.services.size());
        data.services.push_back(std::move(service));
    });
    result.servicesRead = static_cast<std::size_t>(
        std::count_if(flat.services.begin(), flat.services.end(),
                      [](const FlatRecord& record) { return !record.notARecord; }));
    result.problems = std::move(log.problems());
    return result;
}

}  // namespace

ImportResult importHsds(std::string_view jsonText, const ImportOptions& options) {
    return importDocument(jsonText, options, false);
}

DirectoryData parseHsdsJson(std::string_view jsonText) {
    return importDocument(jsonText, ImportOptions{}, true).data;
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

}  // namespace signpost
