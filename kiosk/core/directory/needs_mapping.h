// Signpost — which of Signpost's needs (the home screen's tiles) a feed's taxonomy terms mean.
//
// Live ORUK feeds classify services with their own vocabularies (the LGA's esdNeed and
// esdServiceType lists, a council's own terms); the kiosk's tiles are Signpost's needs. The
// mapping file (config/needs-mapping.toml, documented there) defines each need — its code,
// English name, description and search keywords, in tile order — and lists the terms that mean
// it. A term matches an entry of `terms` by its id, its term_uri, its "taxonomy:code" (the
// CURIE form, "esdNeed:69"), its code, or its name (case-insensitive).
//
// One need may be marked `other = true` ("Other support"): a service none of whose terms maps to
// a need is put under it, so it is still on a tile as well as in search.
//
// Thread-safety: immutable after load; const methods are safe from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/directory/directory_types.h"

namespace signpost {

struct NeedDefinition {
    std::string code;                   // "feeling-lonely": the table name
    std::string name;                   // "Feeling lonely"
    std::string description;            // one line under the tile
    std::vector<std::string> keywords;  // extra search words
    std::string termUri;                // the need's own CURIE, if it has one
    std::vector<std::string> terms;     // what feeds' terms it stands for
    bool other = false;                 // the catch-all "Other support"
};

class NeedsMapping {
public:
    // Parses the TOML text. Throws ConfigError naming the file, line and key: a need without a
    // name, a code that is not lower-case letters, digits and dashes, two `other` needs, a term
    // listed under two needs is allowed (the service gets both).
    static NeedsMapping parse(std::string_view text, const std::string& fileName);
    // Throws ConfigError if the file cannot be read or parsed.
    static NeedsMapping load(const std::filesystem::path& file);

    const std::vector<NeedDefinition>& needs() const noexcept { return m_needs; }
    const NeedDefinition* otherNeed() const noexcept;
    // Codes of the needs `term` stands for, in mapping order; empty if none.
    std::vector<std::string> needsFor(const TaxonomyTerm& term) const;
    // The needs as "signpost-needs" taxonomy terms (id stableUuid("need", {code})), in tile order.
    std::vector<TaxonomyTerm> needTerms() const;

private:
    std::vector<NeedDefinition> m_needs;
    std::unordered_map<std::string, std::vector<std::size_t>> m_byKey;  // lower-cased key → needs
};

}  // namespace signpost
