// Signpost — reading one HSDS record at a time (internal to the directory module): the state an
// import carries from record to record (Context), the lenient reading of optional fields, and
// the parsers of each kind of record. hsds_import.cpp walks the document and calls them;
// hsds_records.cpp reads phones, taxonomy terms, organisations and locations; hsds_service.cpp
// reads services (schedules, cost, areas, languages, attending type, needs).
//
// Each parser throws ImportError for a problem that makes the record unusable; a problem with an
// optional field is reported through Context::log and the field left out (optionalField).
//
// Thread-safety: pure functions over the Context they are given.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/hsds_fields.h"
#include "core/directory/hsds_import.h"

namespace signpost {

class NeedsMapping;

namespace hsds_detail {

// What an import knows between records: its options, the records read so far by id, and the
// phones ORUK keeps on locations and contacts (a service takes those of its locations).
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

// Reports `error` (its message split back into field and reason) with `effect`: the lenient
// import's answer to a problem it can work around.
void reportProblem(ImportLog& log, const ImportError& error, const std::string& recordId,
                   ImportEffect effect);

// Reads an optional field; in a lenient import a bad value is reported and left out.
template <class Read>
auto optionalField(Context& ctx, const Fields& f, Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const ImportError& error) {
        if (ctx.log.strict()) {
            throw;
        }
        reportProblem(ctx.log, error, f.recordId(), ImportEffect::FieldIgnored);
        return {};
    }
}

// True if `text` has an ASCII digit (a phone number, a price).
bool hasDigit(const std::string& text);

// Appends the phones of `parent`'s `key` array to `out`, fax numbers left out, deduplicated by
// their digits; `contactLabel` describes a phone that has no description of its own.
void readPhones(Context& ctx, const Fields& parent, const char* key,
                const std::string& contactLabel, std::vector<Phone>& out);
// Appends the phones of each of `parent`'s `contacts`, labelled with the contact's name and title.
void readContactPhones(Context& ctx, const Fields& parent, std::vector<Phone>& out);

TaxonomyTerm parseTerm(const Fields& f);
Organisation parseOrganisation(Context& ctx, const Fields& f);
// A location; in an ORUK document its phones are kept in ctx.locationPhones for its services.
Location parseLocation(Context& ctx, const Fields& f);
// A service; its organisation, locations and terms must have been read already. `mapping` maps
// other vocabularies' terms to needs (nullptr: only the document's own need terms).
Service parseService(Context& ctx, const Fields& f, const NeedsMapping* mapping);

}  // namespace hsds_detail
}  // namespace signpost
