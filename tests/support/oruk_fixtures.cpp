#include "support/oruk_fixtures.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/directory/hsds_import.h"
#include "core/directory/schedule.h"
#include "core/i18n/i18n.h"
#include "support/test_support.h"

namespace signpost::test {

const NeedsMapping& orukNeedsMapping() {
    static const NeedsMapping mapping =
        NeedsMapping::load(sourceDir() / "config" / "needs-mapping.toml");
    return mapping;
}

DirectoryData orukFixtureDirectory() {
    DirectoryData merged;
    merged.version = "oruk-fixtures";
    std::set<std::string> terms, organisations, locations;
    for (const char* name : {"service_full.json", "services_page.json", "organization_full.json",
                             "service_at_location_full.json", "quirks_service.json"}) {
        ImportOptions options;
        options.needsMapping = &orukNeedsMapping();
        const ImportResult result =
            importHsds(readText(sourceDir() / "tests" / "data" / "oruk" / name), options);
        if (result.data.services.empty()) {
            throw std::runtime_error(std::string(name) + " imported no services");
        }
        for (const TaxonomyTerm& term : result.data.taxonomyTerms) {
            if (terms.insert(term.id).second) {
                merged.taxonomyTerms.push_back(term);
            }
        }
        for (const Organisation& org : result.data.organisations) {
            if (organisations.insert(org.id).second) {
                merged.organisations.push_back(org);
            }
        }
        for (const Location& location : result.data.locations) {
            if (locations.insert(location.id).second) {
                merged.locations.push_back(location);
            }
        }
        for (const Service& service : result.data.services) {
            merged.services.push_back(service);
        }
    }
    return merged;
}

namespace {

template <class T>
std::string show(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string describe(const std::vector<ScheduleRule>& rules, const I18n& i18n) {
    std::string text;
    for (const std::string& line : describeSchedule(rules, i18n)) {
        text += line + "\n";
    }
    return text;
}

}  // namespace

std::string shownDifference(const DirectoryData& a, const DirectoryData& b) {
    static const I18n i18n = I18n::load(assetsDir() / "i18n", {});
    std::map<std::string, const Service*> others;
    for (const Service& s : b.services) {
        others.emplace(s.id, &s);
    }
    auto orgOf = [](const DirectoryData& d, const std::string& id) -> const Organisation* {
        for (const Organisation& o : d.organisations) {
            if (o.id == id) {
                return &o;
            }
        }
        return nullptr;
    };
    auto locationOf = [](const DirectoryData& d, const std::string& id) -> const Location* {
        for (const Location& l : d.locations) {
            if (l.id == id) {
                return &l;
            }
        }
        return nullptr;
    };
    if (a.services.size() != b.services.size()) {
        return "service count " + show(a.services.size()) + " vs " + show(b.services.size());
    }
    for (const Service& x : a.services) {
        auto found = others.find(x.id);
        if (found == others.end()) {
            return "service " + x.id + " is missing";
        }
        const Service& y = *found->second;
        const std::string at = "service " + x.id + ": ";
#define SAME(field)                      \
    if (!(x.field == y.field)) {         \
        return at + #field + " differs"; \
    }
        SAME(name)
        SAME(description)
        SAME(eligibility)
        SAME(applicationProcess)
        SAME(url)
        SAME(email)
        SAME(status)
        SAME(attendingTypes)
        SAME(attendingAccess)
        SAME(isFree)
        SAME(costKnown)
        SAME(costDescription)
        SAME(minimumAge)
        SAME(maximumAge)
        SAME(languages)
        SAME(phones)
        SAME(needCodes)
        SAME(lastChecked)
        SAME(acceptsReferrals)
        SAME(checkTimes)
#undef SAME
        if (x.serviceAreas.size() != y.serviceAreas.size()) {
            return at + "service area count differs";
        }
        for (std::size_t i = 0; i < x.serviceAreas.size(); ++i) {
            if (x.serviceAreas[i].name != y.serviceAreas[i].name ||
                x.serviceAreas[i].extentType != y.serviceAreas[i].extentType) {
                return at + "service_areas[" + show(i) + "] differs";
            }
        }
        const Organisation* ox = orgOf(a, x.organisationId);
        const Organisation* oy = orgOf(b, y.organisationId);
        if (ox == nullptr || oy == nullptr || ox->name != oy->name ||
            ox->description != oy->description || ox->website != oy->website ||
            ox->email != oy->email) {
            return at + "organisation differs";
        }
        if (x.locationIds.size() != y.locationIds.size()) {
            return at + "location count differs";
        }
        for (std::size_t i = 0; i < x.locationIds.size(); ++i) {
            const Location* lx = locationOf(a, x.locationIds[i]);
            const Location* ly = locationOf(b, y.locationIds[i]);
            if (lx == nullptr || ly == nullptr || lx->name != ly->name ||
                lx->address.line1 != ly->address.line1 || lx->address.line2 != ly->address.line2 ||
                lx->address.city != ly->address.city ||
                lx->address.postcode != ly->address.postcode ||
                lx->accessibility != ly->accessibility ||
                lx->transportation != ly->transportation || lx->latitude != ly->latitude ||
                lx->longitude != ly->longitude) {
                return at + "location " + show(i) + " differs";
            }
        }
        const std::string wordsX = describe(x.schedules, i18n);
        const std::string wordsY = describe(y.schedules, i18n);
        if (wordsX != wordsY) {
            return at + "hours read differently:\n" + wordsX + "---\n" + wordsY;
        }
        for (int day = 0; day < 730; ++day) {
            const CivilDate date{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1} +
                                 std::chrono::days{day}};
            for (int minute = 0; minute < 1440; minute += 30) {
                LocalTime t;
                t.date = date;
                t.weekday = std::chrono::weekday{std::chrono::sys_days{date}}.iso_encoding();
                t.minutesOfDay = minute;
                if (isOpenAt(x.schedules, t) != isOpenAt(y.schedules, t)) {
                    return at + "open now differs on " + formatCivilDate(date) + " at minute " +
                           show(minute);
                }
            }
        }
    }
    return "";
}

}  // namespace signpost::test
