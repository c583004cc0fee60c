// A small hand-made directory for the store and search tests (header-only; included by
// directory_store_test.cpp and directory_search_test.cpp). Every service exists to test
// something; the comments say what.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/common/time_zone.h"
#include "core/directory/directory_types.h"
#include "core/directory/schedule.h"

namespace signpost::test {

inline const std::string kHulme = "Hulme, Moss Side & Rusholme";
inline const std::string kGorton = "Gorton & Levenshulme";
inline const std::string kCheetham = "Cheetham & Crumpsall";

inline TimeZone londonZone() {
    return TimeZone::load("Europe/London");
}

// Tuesday 2 June 2026, 10:30 BST.
inline std::chrono::sys_seconds tuesdayMorning() {
    using namespace std::chrono;
    return sys_days{year{2026} / 6 / 2} + hours{9} + minutes{30};
}

inline ScheduleRule rule(const char* byday, const char* opens, const char* closes,
                         ScheduleFrequency frequency = ScheduleFrequency::Weekly) {
    ScheduleRule r;
    r.frequency = frequency;
    r.byDays = parseByDay(byday);
    r.opensAtMinutes = parseClockMinutes(opens);
    r.closesAtMinutes = parseClockMinutes(closes);
    return r;
}

inline TaxonomyTerm need(const char* id, const char* code, const char* name,
                         std::vector<std::string> keywords) {
    TaxonomyTerm term;
    term.id = id;
    term.code = code;
    term.name = name;
    term.description = std::string("About ") + name;
    term.taxonomy = "signpost-needs";
    term.keywords = std::move(keywords);
    return term;
}

inline Service service(const char* id, const char* org, const char* name, const char* description,
                       std::vector<std::string> needs, const std::string& area) {
    Service s;
    s.id = id;
    s.organisationId = org;
    s.name = name;
    s.description = description;
    s.needCodes = std::move(needs);
    if (area == "city") {
        s.serviceAreas.push_back({"Manchester", "city"});
    } else if (!area.empty()) {
        s.serviceAreas.push_back({area, "neighbourhood"});
    }
    s.attendingAccess = AttendingAccess::Appointment;
    s.languages = {"en"};
    return s;
}

inline DirectoryData smallDirectory() {
    DirectoryData d;
    d.version = "test-1";
    d.taxonomyTerms = {
        need("n-lonely", "feeling-lonely", "Feeling lonely",
             {"isolation", "company", "loneliness"}),
        need("n-money", "money-debt", "Money and debt", {"debt", "benefits", "bills"}),
        need("n-food", "food", "Food", {"food bank", "meals", "pantry"}),
        need("n-housing", "housing", "Housing", {"homeless", "shelter", "landlord"}),
        need("n-english", "english-language", "Learning English", {"esol", "classes"}),
    };
    TaxonomyTerm other;
    other.id = "st-298";
    other.code = "298";
    other.name = "Carers support groups";
    other.taxonomy = "esdServiceType";
    d.taxonomyTerms.push_back(other);

    d.organisations = {
        {"org-pantry", "Moss Side Community Pantry", "A pantry charity", "https://pantry.example",
         ""},
        {"org-alliance", "Food Alliance Manchester", "Food network", "", ""},
        {"org-advice", "Citywide Advice", "Advice charity", "", "help@advice.example"},
        {"org-polish", "Stowarzyszenie Łączy Nas", "Polish community group", "", ""},
        {"org-shelter", "Night Light", "Homelessness charity", "", ""},
        {"org-gorton", "Gorton Neighbours", "Residents' group", "", ""},
    };
    Location hall;
    hall.id = "loc-hall";
    hall.name = "Cedar Hall";
    hall.address = {"14 Cedar Street", "Moss Side", "Manchester", "M14 4DH"};
    hall.accessibility = {"Step-free entrance", "Hearing loop"};
    hall.transportation = "Bus 86 stops outside";
    hall.latitude = 53.46;
    hall.longitude = -2.23;
    Location centre;
    centre.id = "loc-centre";
    centre.name = "Oak Centre";
    centre.address = {"2 Oak Road", "Gorton", "Manchester", "M18 8AB"};
    d.locations = {hall, centre};

    std::vector<Service>& s = d.services;
    // Name match for "food": ranks first.
    s.push_back(service("svc-foodbank", "org-pantry", "Moss Side Food Bank",
                        "Emergency parcels for people in crisis.", {"food"}, kHulme));
    s.back().attendingAccess = AttendingAccess::DropIn;
    s.back().languages = {"en", "so"};
    s.back().schedules = {rule("TU", "10:00", "12:00")};
    s.back().locationIds = {"loc-hall"};
    s.back().phones = {{"0161 496 0101", "Office"}};
    // Accents in the name: "zolc" and "cafe" must find it.
    s.push_back(service("svc-zolc", "org-polish", "Kawiarnia Żółć Café",
                        "Polish coffee mornings and cake.", {"feeling-lonely"}, kCheetham));
    s.back().languages = {"pl", "en"};
    s.back().attendingAccess = AttendingAccess::DropIn;
    s.back().schedules = {rule("SA", "10:00", "12:00")};
    // Matches "food" only through its need (needs column).
    s.push_back(service("svc-meals", "org-gorton", "Gorton Community Meals",
                        "Hot dinners cooked by volunteers.", {"food", "feeling-lonely"}, kGorton));
    s.back().isFree = false;
    s.back().costDescription = "£2 a meal";
    s.back().attendingAccess = AttendingAccess::DropIn;
    s.back().schedules = {rule("TU,TH", "09:00", "13:00")};
    s.back().locationIds = {"loc-centre"};
    // Matches "food" only through its organisation's name.
    s.push_back(service("svc-breakfast", "org-alliance", "Saturday Breakfast",
                        "Toast, tea and a chat.", {"feeling-lonely"}, kHulme));
    s.back().schedules = {rule("SA", "08:00", "10:00")};
    // Matches "food" only in its description.
    s.push_back(
        service("svc-advice", "org-advice", "Debt Advice Line",
                "Free phone advice on debt, bills and benefits, including help with food costs.",
                {"money-debt"}, "city"));
    s.back().attendingTypes = kAttendPhone;
    s.back().languages = {"en", "ur", "pl"};
    s.back().schedules = {rule("MO,TU,WE,TH,FR", "09:00", "17:00")};
    s.back().acceptsReferrals = false;
    // City-wide, no languages listed (taken as English), no hours published.
    s.push_back(service("svc-housing", "org-advice", "Housing Options",
                        "Advice if you are homeless or at risk.", {"housing"}, "city"));
    s.back().languages.clear();
    // Overnight Friday to Saturday; no service area at all (shows everywhere).
    s.push_back(service("svc-shelter", "org-shelter", "Night Shelter", "A warm bed and breakfast.",
                        {"housing"}, ""));
    s.back().schedules = {rule("FR", "22:00", "02:00")};
    s.back().attendingAccess = AttendingAccess::Referral;
    // English classes, monthly, in Gorton.
    s.push_back(service("svc-esol", "org-gorton", "English Conversation Club",
                        "Practise speaking English.", {"english-language"}, kGorton));
    s.back().schedules = {rule("1WE", "18:00", "20:00", ScheduleFrequency::Monthly)};
    s.back().languages = {"en", "ar"};
    // Hidden: inactive, defunct and temporarily closed services match "food" but must never show.
    s.push_back(
        service("svc-old", "org-pantry", "Old Food Bank", "Closed food bank.", {"food"}, kHulme));
    s.back().status = ServiceStatus::Inactive;
    s.push_back(service("svc-gone", "org-pantry", "Defunct Food Project", "Gone.", {"food"},
                        "Wythenshawe & Northenden"));
    s.back().status = ServiceStatus::Defunct;
    s.push_back(service("svc-paused", "org-alliance", "Food Van", "Paused for repairs.", {"food"},
                        kGorton));
    s.back().status = ServiceStatus::TemporarilyClosed;
    return d;
}

}  // namespace signpost::test
