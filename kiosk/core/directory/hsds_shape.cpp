#include "core/directory/hsds_shape.h"

#include <set>
#include <unordered_set>

namespace signpost::hsds_detail {

namespace {

enum class Kind { Service, ServiceAtLocation, Organisation, Unknown };

bool has(const json& object, const char* key) {
    return object.is_object() && object.contains(key) && !object.at(key).is_null();
}

bool hasObject(const json& object, const char* key) {
    return object.is_object() && object.contains(key) && object.at(key).is_object();
}

// What one record is, from the fields only that kind has. HSDS requires `status` on a service
// and nothing like it on an organization; a service_at_location carries a service and a
// location (or their ids) and no name of its own.
Kind kindOf(const json& record) {
    if (!record.is_object() || !has(record, "id")) {
        return Kind::Unknown;
    }
    // (The UK profile's own example has a service and no location at all.)
    if ((hasObject(record, "service") ||
         (has(record, "service_id") &&
          (hasObject(record, "location") || has(record, "location_id")))) &&
        !has(record, "status")) {
        return Kind::ServiceAtLocation;
    }
    if (!has(record, "name")) {
        return Kind::Unknown;
    }
    if (has(record, "status") || has(record, "organization") || has(record, "organization_id") ||
        has(record, "service_at_locations") || has(record, "schedules") ||
        has(record, "cost_options")) {
        return Kind::Service;
    }
    for (const char* key :
         {"services", "locations", "website", "legal_status", "tax_status", "year_incorporated",
          "organization_identifiers", "funding", "logo", "parent_organization_id", "programs"}) {
        if (has(record, key)) {
            return Kind::Organisation;
        }
    }
    return Kind::Unknown;
}

class Flattener {
public:
    explicit Flattener(FlatDocument& out) : m_out(out) {}

    void term(json value, const std::string& name) {
        lift(std::move(value), name, m_termIds, m_out.terms);
    }
    void organisation(json value, const std::string& name) {
        // An organization document's own services and locations are records of their own.
        if (value.is_object()) {
            const std::string id = idOf(value);
            if (value.contains("services") && value["services"].is_array()) {
                json list = std::move(value["services"]);
                value.erase("services");
                for (std::size_t i = 0; i < list.size(); ++i) {
                    if (list[i].is_object() && !has(list[i], "organization_id") &&
                        !hasObject(list[i], "organization")) {
                        list[i]["organization_id"] = id;
                    }
                    service(std::move(list[i]), name + ": " + recordName("services", i, list[i]));
                }
            }
            if (value.contains("locations") && value["locations"].is_array()) {
                json list = std::move(value["locations"]);
                value.erase("locations");
                for (std::size_t i = 0; i < list.size(); ++i) {
                    lift(std::move(list[i]), name + ": " + recordName("locations", i, list[i]),
                         m_locationIds, m_out.locations);
                }
            }
        }
        lift(std::move(value), name, m_organisationIds, m_out.organisations);
    }

    void service(json value, const std::string& name) {
        if (value.is_object()) {
            if (hasObject(value, "organization")) {
                json embedded = std::move(value["organization"]);
                value.erase("organization");
                if (!has(value, "organization_id") && has(embedded, "id")) {
                    value["organization_id"] = embedded["id"];
                }
                organisation(std::move(embedded), name + ": organization");
            }
            if (value.contains("service_at_locations") &&
                value["service_at_locations"].is_array()) {
                json& sals = value["service_at_locations"];
                for (std::size_t i = 0; i < sals.size(); ++i) {
                    json& sal = sals[i];
                    if (hasObject(sal, "location")) {
                        json embedded = std::move(sal["location"]);
                        sal.erase("location");
                        if (!has(sal, "location_id") && has(embedded, "id")) {
                            sal["location_id"] = embedded["id"];
                        }
                        lift(std::move(embedded),
                             name + ": service_at_locations[" + std::to_string(i) + "].location",
                             m_locationIds, m_out.locations);
                    }
                }
            }
            if (value.contains("attributes") && value["attributes"].is_array()) {
                json& attributes = value["attributes"];
                for (std::size_t i = 0; i < attributes.size(); ++i) {
                    json& attribute = attributes[i];
                    if (hasObject(attribute, "taxonomy_term")) {
                        json embedded = std::move(attribute["taxonomy_term"]);
                        attribute.erase("taxonomy_term");
                        if (!has(attribute, "taxonomy_term_id") && has(embedded, "id")) {
                            attribute["taxonomy_term_id"] = embedded["id"];
                        }
                        // HSDS 3.0 names the vocabulary in taxonomy_detail; Signpost keeps its
                        // name.
                        if (!has(embedded, "taxonomy") && hasObject(embedded, "taxonomy_detail") &&
                            embedded["taxonomy_detail"].contains("name")) {
                            embedded["taxonomy"] = embedded["taxonomy_detail"]["name"];
                        }
                        term(std::move(embedded),
                             name + ": attributes[" + std::to_string(i) + "].taxonomy_term");
                    }
                }
            }
        }
        m_out.services.push_back({std::move(value), name});
    }

    void serviceAtLocation(json value, const std::string& name) {
        json service = value.contains("service") ? std::move(value["service"]) : json::object();
        value.erase("service");
        if (!service.is_object()) {
            throw ImportError(name,
                              std::string("service: expected an object, got ") + typeName(service));
        }
        if (!has(service, "id") && has(value, "service_id")) {
            service["id"] = value["service_id"];
        }
        // The document is one service at one place: that service, at this location only.
        service["service_at_locations"] = json::array({std::move(value)});
        this->service(std::move(service), name + ": service");
    }

    // Any record of a list or page, by its kind; unknown items are skipped with a report.
    void item(json value, const std::string& name) {
        switch (kindOf(value)) {
            case Kind::Service:
                service(std::move(value), name);
                return;
            case Kind::ServiceAtLocation:
                serviceAtLocation(std::move(value), name);
                return;
            case Kind::Organisation:
                organisation(std::move(value), name);
                return;
            case Kind::Unknown:
                break;
        }
        // Kept in place among the services, so its report comes in document order.
        m_out.services.push_back({std::move(value), name, true});
    }

private:
    static std::string idOf(const json& value) {
        auto it = value.find("id");
        return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
    }

    // Embedded copies of one id are the same record seen again: the first is kept.
    void lift(json value, const std::string& name, std::unordered_set<std::string>& ids,
              std::vector<FlatRecord>& into) {
        const std::string id = value.is_object() ? idOf(value) : std::string();
        if (!id.empty() && !ids.insert(id).second) {
            return;
        }
        into.push_back({std::move(value), name});
    }

    FlatDocument& m_out;
    std::unordered_set<std::string> m_termIds, m_organisationIds, m_locationIds;
};

const json& topArray(const json& document, const char* key) {
    static const json kEmpty = json::array();
    auto it = document.find(key);
    if (it == document.end() || it->is_null()) {
        return kEmpty;
    }
    if (!it->is_array()) {
        throw ImportError(key, std::string("expected an array, got ") + typeName(*it));
    }
    return *it;
}

constexpr const char* kNotHsds =
    "not an HSDS document: expected a service, a list or ORUK page of services, an organization, a "
    "service_at_location, or a Signpost directory (with directory_version)";

}  // namespace

FlatDocument flattenHsdsDocument(const json& document) {
    FlatDocument out;
    Flattener flat(out);
    if (document.is_object() && document.contains("directory_version")) {
        // Signpost's own shape: flat already, records named by their arrays.
        out.shape = "directory";
        out.signpostShape = true;
        const json& version = document["directory_version"];
        if (!version.is_string()) {
            throw ImportError(
                "document",
                std::string("directory_version: expected a string, got ") + typeName(version));
        }
        out.version = version.get<std::string>();
        const std::pair<const char*, std::vector<FlatRecord>*> arrays[] = {
            {"taxonomy_terms", &out.terms},
            {"organizations", &out.organisations},
            {"locations", &out.locations},
            {"services", &out.services}};
        for (const auto& [key, into] : arrays) {
            const json& list = topArray(document, key);
            for (std::size_t i = 0; i < list.size(); ++i) {
                into->push_back({list[i], recordName(key, i, list[i])});
            }
        }
        if (!document.contains("organizations") || !document.contains("services")) {
            throw ImportError(document.contains("services") ? "organizations" : "services",
                              "required array is missing");
        }
        return out;
    }
    if (document.is_object() && document.contains("contents") &&
        (document.contains("total_items") || document.contains("page_number") ||
         document.contains("empty"))) {
        out.shape = "page";
        const json& contents = document["contents"];
        if (!contents.is_array()) {
            throw ImportError(
                "document", std::string("contents: expected an array, got ") + typeName(contents));
        }
        for (std::size_t i = 0; i < contents.size(); ++i) {
            flat.item(contents[i], recordName("contents", i, contents[i]));
        }
        return out;
    }
    if (document.is_array()) {
        out.shape = "services";
        bool anyRecord = document.empty();
        for (const json& element : document) {
            anyRecord = anyRecord || kindOf(element) != Kind::Unknown;
        }
        if (!anyRecord) {
            throw ImportError("document", kNotHsds);
        }
        for (std::size_t i = 0; i < document.size(); ++i) {
            flat.item(document[i], recordName("", i, document[i]));
        }
        return out;
    }
    if (!document.is_object()) {
        throw ImportError(
            "document", std::string("expected a JSON object or array, got ") + typeName(document));
    }
    switch (kindOf(document)) {
        case Kind::Service:
            out.shape = "service";
            // "service (id \"…\")": recordName's "[0]" dropped, there is only one.
            flat.service(document, "service" + recordName("", 0, document).substr(3));
            return out;
        case Kind::ServiceAtLocation:
            out.shape = "service_at_location";
            flat.serviceAtLocation(document, "service_at_location");
            return out;
        case Kind::Organisation:
            out.shape = "organization";
            flat.organisation(document, "organization");
            return out;
        case Kind::Unknown:
            break;
    }
    if (document.contains("services") || document.contains("organizations")) {
        throw ImportError("document", "directory_version: required field is missing");
    }
    throw ImportError("document", kNotHsds);
}

}  // namespace signpost::hsds_detail
