// Signpost — reading the records around a service: phones (and contacts' phones), taxonomy terms,
// organisations and locations (hsds_records.h). A bad optional field is reported and left out;
// a missing id or name makes the record unusable (ImportError).
#include "core/directory/hsds_records.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/common/text_util.h"

namespace signpost::hsds_detail {

using nlohmann::json;

void reportProblem(ImportLog& log, const ImportError& error, const std::string& recordId,
                   ImportEffect effect) {
    const std::string rest = std::string(error.what()).substr(error.recordPath().size() + 2);
    const std::size_t colon = rest.find(": ");
    log.report(error.recordPath(), recordId,
               colon == std::string::npos ? "" : rest.substr(0, colon),
               colon == std::string::npos ? rest : rest.substr(colon + 2), effect);
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
            if (asciiLower(p.text("type")) == "fax") {
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

}  // namespace signpost::hsds_detail
