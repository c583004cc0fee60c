// Signpost — reading a service record (hsds_records.h): its fields, schedules (a schedule that
// cannot be read exactly leaves the service "check times"), cost options, service areas,
// languages, attending type, phones (its own, its contacts', its locations') and needs (the
// document's own need terms, or other vocabularies' terms through the needs mapping).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/common/text_util.h"
#include "core/directory/hsds_records.h"
#include "core/directory/hsds_schedule.h"
#include "core/directory/language_names.h"
#include "core/directory/needs_mapping.h"

namespace signpost::hsds_detail {

using nlohmann::json;

namespace {

std::string formatMoney(double amount, const std::string& currency) {
    char buffer[48];
    const bool whole = amount == std::floor(amount);
    const std::string upper = asciiUpper(currency);
    if (upper.empty() || upper == "GBP") {
        std::snprintf(buffer, sizeof buffer, whole ? "£%.0f" : "£%.2f", amount);
    } else {
        std::snprintf(buffer, sizeof buffer, whole ? "%.0f %s" : "%.2f %s", amount, upper.c_str());
    }
    return buffer;
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
            reportProblem(ctx.log, error, parent.recordId(), ImportEffect::HoursIncomplete);
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
            const std::string extent = asciiLower(a.text("extent_type"));
            if (extent == "neighbourhood" || extent == "city" || extent == "area") {
                area.extentType = extent;
            } else if (ctx.signpostShape && !extent.empty()) {
                a.fail("extent_type",
                       "expected neighbourhood, city or area, got " + quotedValue(extent));
            } else if (extent.empty() || extent == "text") {
                // A named place: the whole city, or a neighbourhood of it.
                const std::string lowerName = asciiLower(area.name);
                const bool city =
                    std::any_of(ctx.options.cityNames.begin(), ctx.options.cityNames.end(),
                                [&](const std::string& n) { return asciiLower(n) == lowerName; });
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

}  // namespace

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

}  // namespace signpost::hsds_detail
