#include "sync/server/directory_publisher.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/common/ids.h"
#include "core/directory/hsds_export.h"
#include "core/directory/hsds_import.h"

namespace signpost::server {

namespace {

// The label inside stored per-record documents (the importer wants one); merging replaces it
// with the version's real label.
constexpr const char* kRecordLabel = "record";

ContentHash hashText(const std::string& text) {
    ensureSodium();
    ContentHash hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr,
                       0);
    return hash;
}

template <class T>
void sortById(std::vector<T>& records) {
    std::sort(records.begin(), records.end(), [](const T& a, const T& b) { return a.id < b.id; });
}

}  // namespace

DirectoryPublication preparePublication(const DirectoryData& data) {
    std::map<std::string, const Organisation*> organisations;
    for (const Organisation& o : data.organisations) {
        organisations.emplace(o.id, &o);
    }
    std::map<std::string, const Location*> locations;
    for (const Location& l : data.locations) {
        locations.emplace(l.id, &l);
    }
    std::map<std::string, const TaxonomyTerm*> termsById;
    std::multimap<std::string, const TaxonomyTerm*> needsByCode;
    for (const TaxonomyTerm& t : data.taxonomyTerms) {
        termsById.emplace(t.id, &t);
        if (t.taxonomy == kNeedsVocabulary) {
            needsByCode.emplace(t.code, &t);
        }
    }

    DirectoryPublication publication;
    publication.label = data.version;

    std::vector<const Service*> services;
    services.reserve(data.services.size());
    for (const Service& s : data.services) {
        services.push_back(&s);
    }
    std::sort(services.begin(), services.end(),
              [](const Service* a, const Service* b) { return a->id < b->id; });
    for (std::size_t i = 1; i < services.size(); ++i) {
        if (services[i]->id == services[i - 1]->id) {
            throw std::invalid_argument("service id \"" + services[i]->id + "\" appears twice");
        }
    }

    publication.services.reserve(services.size());
    for (const Service* service : services) {
        DirectoryData one;
        one.version = kRecordLabel;  // not the publisher's label: a relabel alone changes nothing
        one.services.push_back(*service);
        if (auto it = organisations.find(service->organisationId); it != organisations.end()) {
            one.organisations.push_back(*it->second);
        }
        std::set<std::string> locationIds(service->locationIds.begin(), service->locationIds.end());
        for (const std::string& id : locationIds) {
            if (auto it = locations.find(id); it != locations.end()) {
                one.locations.push_back(*it->second);
            }
        }
        // Linked terms and their ancestors, so the document's references all resolve.
        std::set<std::string> termIds;
        for (const std::string& code : service->needCodes) {
            auto [begin, end] = needsByCode.equal_range(code);
            for (auto it = begin; it != end; ++it) {
                for (const TaxonomyTerm* term = it->second;
                     term != nullptr && termIds.insert(term->id).second;) {
                    auto parent = termsById.find(term->parentId);
                    term = parent == termsById.end() ? nullptr : parent->second;
                }
            }
        }
        for (const std::string& id : termIds) {
            one.taxonomyTerms.push_back(*termsById.at(id));
        }
        ServiceRevision revision;
        revision.serviceId = service->id;
        revision.document = toHsdsJson(one);
        revision.contentHash = hashText(revision.document);
        publication.services.push_back(std::move(revision));
    }

    DirectoryData terms;
    terms.version = kRecordLabel;
    terms.taxonomyTerms = data.taxonomyTerms;
    sortById(terms.taxonomyTerms);
    publication.termsDocument = toHsdsJson(terms);
    publication.termsHash = hashText(publication.termsDocument);
    publication.snapshot = toHsdsJson(data);
    publication.snapshotHash = hashText(publication.snapshot);
    return publication;
}

std::string mergeDirectoryDocuments(const std::vector<std::string>& documents,
                                    const std::string& label) {
    using nlohmann::json;
    json merged = json::object();
    std::map<std::string, std::set<std::string>> seenIds;  // array name → ids taken
    for (const std::string& text : documents) {
        json document = json::parse(text, nullptr, false);
        if (document.is_discarded() || !document.is_object()) {
            throw std::invalid_argument("a directory document is not a JSON object");
        }
        for (auto& [key, value] : document.items()) {
            if (!value.is_array()) {
                if (!merged.contains(key)) {
                    merged[key] = std::move(value);
                }
                continue;
            }
            json& target = merged[key];
            if (!target.is_array()) {
                target = json::array();
            }
            std::set<std::string>& ids = seenIds[key];
            for (json& record : value) {
                const auto id = record.is_object() ? record.find("id") : record.end();
                if (record.is_object() && id != record.end() && id->is_string() &&
                    !ids.insert(id->get<std::string>()).second) {
                    continue;  // already taken from an earlier document
                }
                target.push_back(std::move(record));
            }
        }
    }
    // The arrays the importer requires, even when nothing of that kind changed.
    for (const char* key : {"taxonomy_terms", "organizations", "locations", "services"}) {
        if (!merged.contains(key)) {
            merged[key] = json::array();
        }
    }
    merged["directory_version"] = label;
    return merged.dump();
}

}  // namespace signpost::server
