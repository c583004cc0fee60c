// Signpost — importHsds(), parseHsdsJson() and loadHsdsFile() (hsds_import.h): the document as a
// whole. It is parsed, flattened to four record lists whatever its shape (hsds_shape.h), and read
// in dependency order — terms (with the needs mapping's), organisations, locations, services —
// so a reference can be checked against what came before. Duplicate ids and codes are refused
// here; each record's own fields are read by hsds_records.cpp and hsds_service.cpp. A strict
// import stops at the first problem; a lenient one skips the record and carries on.
#include "core/directory/hsds_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/common/atomic_file.h"
#include "core/directory/hsds_fields.h"
#include "core/directory/hsds_records.h"
#include "core/directory/hsds_shape.h"
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

// "services[0]" of "services[0] (id \"x\")": where the first copy of a duplicate was.
std::string firstRecord(const std::string& name) {
    return name.substr(0, name.find(" (id "));
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
    } catch (const json::exception& error) {
        // parse_error, or out_of_range for a number no double holds (1e400).
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
