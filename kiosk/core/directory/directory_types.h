// Signpost — the directory's data model, shaped after Open Referral UK / HSDS 3.0.
//
// Field names follow HSDS where one exists (organization, service, location,
// service_at_location, phone, schedule, taxonomy_term, language, accessibility, cost_option,
// service_area) plus the UK profile's v1 fields attending_type and attending_access.
// Plain value types; thread-safety as for any struct.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost {

enum class ServiceStatus { Active, Inactive, Defunct, TemporarilyClosed };

// How a resident gets the service (Open Referral UK v1 attending_access).
enum class AttendingAccess { DropIn, Appointment, Referral, Membership, Unknown };

// Where it happens (v1 attending_type); a service may offer several, so these are bit flags.
enum AttendingTypeFlags : unsigned {
    kAttendVenue = 1u << 0,
    kAttendPhone = 1u << 1,
    kAttendOnline = 1u << 2,
    kAttendHomeVisit = 1u << 3,
};

// A calendar date with no time zone (HSDS valid_from / valid_to, assured_date).
using CivilDate = std::chrono::year_month_day;

// RFC 5545 FREQ values HSDS uses (HSDS 3.0 lists WEEKLY and MONTHLY; DAILY is accepted too).
enum class ScheduleFrequency { Weekly, Monthly, Daily };

// One RFC 5545-style BYDAY entry: a weekday, optionally with an ordinal for MONTHLY rules
// ("1MO" = first Monday of the month, "-1FR" = last Friday). ordinal 0 = every such weekday.
struct ByDay {
    unsigned weekday = 0;  // ISO: 1 = Monday ... 7 = Sunday
    int ordinal = 0;       // 0, 1..5 or -1..-5
    bool operator==(const ByDay&) const = default;
};

// One opening rule: an RFC 5545 recurrence reduced to what a day-level check needs. Times are
// minutes after local midnight on the venue's clock. A rule whose closesAt <= opensAt runs
// overnight and closes the next day (a night shelter, 8pm–8am).
//
// A day D has an opening when all of these hold (an empty list means "no limit"):
//   validFrom <= D <= validTo (HSDS valid_from/valid_to, DTSTART, UNTIL and COUNT folded in);
//   D falls in a period counted from `anchor` that is a multiple of `interval` (weeks start on
//   `weekStart` for WEEKLY; calendar months for MONTHLY; days for DAILY);
//   D's weekday is in byDays (with ordinals, for MONTHLY, counted within the month);
//   D's day of the month is in byMonthDays (negative = from the end: -1 is the last day).
// A WEEKLY rule with no byDays opens every day (the HSDS habit) unless it has an anchor, when it
// opens on the anchor's weekday as RFC 5545 says. See schedule.h for the parser.
struct ScheduleRule {
    ScheduleFrequency frequency = ScheduleFrequency::Weekly;
    std::vector<ByDay> byDays;           // empty = every day
    std::vector<int> byMonthDays;        // 1..31 or -31..-1; empty = any day of the month
    int interval = 1;                    // every `interval` weeks / months / days, 1..1000
    std::optional<CivilDate> anchor;     // DTSTART: the first period; needed when interval > 1
    unsigned weekStart = 1;              // WKST, ISO weekday (1 = Monday): where a week begins
    int opensAtMinutes = 0;              // 0..1439
    int closesAtMinutes = 0;             // 0..1440; 1440 = midnight at the end of the day
    std::optional<CivilDate> validFrom;  // inclusive; none = always has been
    std::optional<CivilDate> validTo;    // inclusive; none = no end
    std::string description;             // free text from the data, e.g. "term time only"
    bool operator==(const ScheduleRule&) const = default;
};

struct Phone {
    std::string number;       // as published, e.g. "0161 496 0123"
    std::string description;  // "Helpline", "Text only", ...
    bool operator==(const Phone&) const = default;
};

struct Address {
    std::string line1;
    std::string line2;
    std::string city;
    std::string postcode;
};

struct Location {
    std::string id;
    std::string name;
    Address address;
    std::optional<double> latitude;
    std::optional<double> longitude;
    std::vector<std::string> accessibility;  // plain-English statements ("Step-free entrance")
    std::string transportation;              // "Buses 86 and 111 stop outside"
};

// The vocabulary whose terms are the kiosk's needs.
inline constexpr std::string_view kNeedsVocabulary = "signpost-needs";

// A need or other taxonomy term. Needs are the terms of vocabulary kNeedsVocabulary.
struct TaxonomyTerm {
    std::string id;
    std::string code;         // stable short code, e.g. "feeling-lonely"
    std::string name;         // English display name, e.g. "Feeling lonely"
    std::string description;  // plain English, shown under the tile
    std::string parentId;
    std::string taxonomy;               // vocabulary, e.g. "signpost-needs"
    std::string termUri;                // CURIE into a UK vocabulary, e.g. "esdNeed:69"
    std::vector<std::string> keywords;  // extra search words: "isolation", "company", ...
};

struct Organisation {
    std::string id;
    std::string name;
    std::string description;
    std::string website;
    std::string email;
};

// A service area. extentType "neighbourhood" names one of the city's neighbourhoods (data, not
// code); "city" means the whole city and matches every neighbourhood filter.
struct ServiceArea {
    std::string name;
    std::string extentType = "neighbourhood";
};

struct Service {
    std::string id;
    std::string organisationId;
    std::string name;
    std::string description;         // what it is, plain English
    std::string eligibility;         // who it is for (HSDS eligibility_description)
    std::string applicationProcess;  // how to get it (HSDS application_process)
    std::string url;
    std::string email;
    ServiceStatus status = ServiceStatus::Active;
    unsigned attendingTypes = kAttendVenue;  // AttendingTypeFlags
    AttendingAccess attendingAccess = AttendingAccess::Unknown;
    bool isFree = true;           // the data says it costs nothing (every cost option is 0)
    std::string costDescription;  // "£2 a session", shown when not free
    bool costKnown = true;        // false: the data says nothing about cost (no cost badge);
                                  // then isFree is false and costDescription is empty
    std::optional<int> minimumAge;
    std::optional<int> maximumAge;
    std::vector<std::string> languages;  // ISO 639-1 codes, e.g. {"en", "pl", "ur"}
    std::vector<ServiceArea> serviceAreas;
    std::vector<std::string> locationIds;  // via service_at_location
    std::vector<Phone> phones;
    std::vector<ScheduleRule> schedules;   // the service's own plus its service_at_locations'
    bool checkTimes = false;               // some published hours could not be read exactly:
                                           // never "open now"; residents are told to check
    std::vector<std::string> needCodes;    // codes of linked "signpost-needs" terms
    std::optional<CivilDate> lastChecked;  // HSDS assured_date
    bool acceptsReferrals = true;          // false = signposting only, no "ask them to contact me"
};

// --- Conversions to and from the HSDS text forms (directory_types.cpp). -------------------------

// "active", "inactive", "defunct", "temporarily closed".
std::string_view toHsds(ServiceStatus status);
// Accepts the HSDS names case-insensitively ("temporarily_closed" too); nullopt otherwise.
std::optional<ServiceStatus> parseServiceStatus(std::string_view text);
// "drop-in", "appointment", "referral", "membership"; "" for Unknown.
std::string_view toHsds(AttendingAccess access);
// Accepts the names above case-insensitively, with ' ' or '_' for '-' ("Drop in"); nullopt for
// anything else (including "").
std::optional<AttendingAccess> parseAttendingAccess(std::string_view text);
// "venue", "phone", "online", "home visit" for one AttendingTypeFlags bit; "" for others.
std::string_view attendingTypeName(unsigned flag);
// One attending type name (case-insensitive, '-'/'_' as spaces; "in person" = venue) to its flag;
// 0 if unknown.
unsigned parseAttendingType(std::string_view text);
// "2026-03-29" <-> CivilDate. parseCivilDate is strict (YYYY-MM-DD, a real calendar date).
std::string formatCivilDate(const CivilDate& date);
std::optional<CivilDate> parseCivilDate(std::string_view text);

// A whole directory as imported from an HSDS-shaped JSON file.
struct DirectoryData {
    std::string version;  // the publisher's version label, e.g. "2026-11-01"
    std::vector<Organisation> organisations;
    std::vector<Location> locations;
    std::vector<TaxonomyTerm> taxonomyTerms;
    std::vector<Service> services;
};

}  // namespace signpost
