// Signpost — reading Open Referral UK 3.0 / HSDS 3.0 JSON into DirectoryData.
//
// Accepted documents (assets/directory/README.md has the field-by-field rules):
//   - Signpost's own directory: an object with "directory_version" and flat "taxonomy_terms",
//     "organizations", "locations", "services" arrays linked by id (the kiosk's bundle and the
//     server's deltas);
//   - as ORUK / HSDS 3.0 APIs publish them: one service (`/services/{id}`), an array of services,
//     an ORUK page (`{total_items, total_pages, page_number, size, first_page, last_page, empty,
//     contents:[…]}`), an organization (with its `services`), a service_at_location (with its
//     `service` and `location`). Nested objects — `organization`,
//     `service_at_locations[].location`, `attributes[].taxonomy_term`, `contacts[].phones` — are
//     records in their own right; an id reference (`organization_id`, `location_id`,
//     `taxonomy_term_id`) works too.
//
// importHsds() collects problems instead of stopping at the first: a record that cannot be used
// is skipped with a report (record, field, reason) and the rest is imported; a field that cannot
// be honoured is reported with what was done instead (a schedule that cannot be read exactly
// leaves the service marked "check times", never a silently wrong "open now"). A document that is
// not HSDS at all is refused whole (ImportError).
//
// parseHsdsJson() is the strict form for Signpost's own documents: the first problem of any kind
// throws ImportError and nothing is returned.
//
// The writer of Signpost's shape, toHsdsJson(), is hsds_export.h. This reader is split by
// concern: hsds_import.cpp (the document: shapes, duplicates, references, strict or lenient),
// hsds_records.cpp (phones, terms, organisations, locations) and hsds_service.cpp (services),
// with hsds_shape.h (flattening ORUK's nesting), hsds_fields.h and hsds_schedule.h beside them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory/directory_types.h"

namespace signpost {

class NeedsMapping;

// A malformed import. what() names the record and the field, e.g.
// "services[41] (id \"svc-food-042\"): schedules[0].opens_at: expected HH:MM, got \"9am\"".
class ImportError : public std::runtime_error {
public:
    ImportError(const std::string& recordPath, const std::string& problem);
    const std::string& recordPath() const noexcept { return m_recordPath; }

private:
    std::string m_recordPath;
};

// What the importer did about a problem.
enum class ImportEffect {
    RecordSkipped,    // the record (a service, an organisation...) was left out
    FieldIgnored,     // the record was imported without this field's value
    HoursIncomplete,  // the service was imported; its hours say "check times" and "open now" is
                      // shown only when a rule that could be read says so
};
std::string_view toString(ImportEffect effect);  // "skipped", "field not used", "check times"

struct ImportProblem {
    std::string record;    // "services[3] (id \"svc-1\")", "document", "contents[2]"
    std::string recordId;  // "svc-1"; "" when the record has no usable id
    std::string field;     // "schedules[0].byweekno"; "" when about the whole record
    std::string reason;    // "not supported: ..."
    ImportEffect effect = ImportEffect::RecordSkipped;
    // "services[3] (id \"svc-1\"): schedules[0].byweekno: reason [check times]"
    std::string toString() const;
};

struct ImportOptions {
    // The version label when the document has none (every ORUK document); "" = "oruk-import".
    std::string versionLabel;
    // Maps taxonomy terms to Signpost's needs (needs_mapping.h); nullptr = only the document's
    // own "signpost-needs" terms are needs.
    const NeedsMapping* needsMapping = nullptr;
    // UTC offsets (minutes) the venue's clock uses: Europe/London's GMT and BST. A schedule time
    // or `timezone` with one of these is read as the venue's wall-clock time; any other offset is
    // refused (the service's hours then say "check times").
    std::vector<int> venueOffsetsMinutes = {0, 60};
    // Area names (case-insensitive) that mean the whole city, for ORUK service areas.
    std::vector<std::string> cityNames = {"Manchester", "City of Manchester", "Greater Manchester"};
};

struct ImportResult {
    DirectoryData data;
    std::vector<ImportProblem> problems;  // terms, organisations, locations, then services; each in
                                          // document order
    // "directory", "service", "services", "page", "organization", "service_at_location"
    std::string shape;
    std::size_t servicesRead = 0;  // service records seen, imported or not
    std::size_t recordsSkipped() const;
};

// Reads any accepted document. Throws ImportError only when the document is not JSON or not
// HSDS at all ("document: ..."); everything else is a problem in the result.
ImportResult importHsds(std::string_view jsonText, const ImportOptions& options = {});

// Parses and validates a whole document strictly: required fields, types, ids unique, every
// reference (organization_id, location_id, taxonomy_term_id) resolves, schedules parse. Throws
// ImportError on the first problem; nothing is partially returned.
DirectoryData parseHsdsJson(std::string_view jsonText);
// Reads a file and parses it; a file that cannot be read throws ImportError naming the path.
DirectoryData loadHsdsFile(const std::filesystem::path& path);

}  // namespace signpost
