#include "core/directory/synthetic_directory.h"

#include <array>
#include <cstdio>
#include <string_view>

namespace signpost {

namespace {

// splitmix64: tiny, fast and identical on every platform (std distributions are not).
class Random {
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[below(N)];
    }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }

private:
    std::uint64_t m_state;
};

const std::vector<std::string> kDefaultNeighbourhoods = {
    "Cheetham & Crumpsall",
    "Higher Blackley & Harpurhey",
    "Moston & Newton Heath",
    "Ancoats, Miles Platting & City Centre",
    "Clayton, Openshaw & Beswick",
    "Gorton & Levenshulme",
    "Ardwick & Longsight",
    "Hulme, Moss Side & Rusholme",
    "Chorlton & Whalley Range",
    "Fallowfield & Withington",
    "Didsbury & Burnage",
    "Wythenshawe & Northenden",
};

// Per default neighbourhood: the places in it people name, and their outward postcodes.
struct Area {
    std::array<std::string_view, 3> places;
    std::array<std::string_view, 2> postcodes;
};
constexpr std::array<Area, 12> kAreas = {{
    {{"Cheetham Hill", "Crumpsall", "Cheetham"}, {"M8", "M8"}},
    {{"Harpurhey", "Higher Blackley", "Blackley"}, {"M9", "M9"}},
    {{"Moston", "Newton Heath", "Moston Lane"}, {"M40", "M40"}},
    {{"Ancoats", "Miles Platting", "Northern Quarter"}, {"M4", "M40"}},
    {{"Openshaw", "Clayton", "Beswick"}, {"M11", "M11"}},
    {{"Gorton", "Levenshulme", "Abbey Hey"}, {"M18", "M19"}},
    {{"Longsight", "Ardwick", "Brunswick"}, {"M12", "M13"}},
    {{"Moss Side", "Hulme", "Rusholme"}, {"M14", "M15"}},
    {{"Chorlton", "Whalley Range", "Chorlton Park"}, {"M21", "M16"}},
    {{"Fallowfield", "Withington", "Ladybarn"}, {"M14", "M20"}},
    {{"Didsbury", "Burnage", "West Didsbury"}, {"M20", "M19"}},
    {{"Wythenshawe", "Northenden", "Benchill"}, {"M22", "M23"}},
}};

struct NeedSpec {
    std::string_view code;
    std::string_view name;
    std::string_view description;
    std::string_view termUri;
    std::vector<std::string> keywords;
    std::vector<std::string_view> names;         // "{p}" = a place, "{v}" = a venue
    std::vector<std::string_view> openings;      // first sentence: what it is
    std::vector<std::string_view> details;       // second sentence: what happens there
    std::vector<std::string_view> eligibility;
    std::vector<std::string_view> howTo;
};

const std::vector<NeedSpec>& needSpecs() {
    static const std::vector<NeedSpec> specs = {
        {"feeling-lonely", "Feeling lonely", "Company, friendship and things to do with other people.", "esdNeed:69",
         {"lonely", "loneliness", "isolation", "isolated", "company", "friendship", "befriending", "social"},
         {"{p} Friendship Café", "{p} Lunch Club", "Knit and Natter at {v}", "{p} Befriending Service",
          "Tuesday Social at {v}", "{p} Men's Shed", "Chatty Café {p}", "{p} Coffee Morning", "Good Neighbours {p}",
          "{p} Luncheon Club", "Klub Seniora {p}", "Telephone Friends"},
         {"A friendly coffee morning where you can meet neighbours and have a chat.",
          "A volunteer visits or phones you each week for a chat, so you never go a week without company.",
          "A relaxed social group for anyone feeling lonely or isolated.",
          "A hot two-course lunch followed by bingo, quizzes and a natter.",
          "A workshop space where men meet to fix, make and talk.",
          "Regular get-togethers for people who would like more company."},
         {"Tea, coffee and biscuits are always on the go.", "New faces are always welcome and nobody is left on their own.",
          "Volunteers can help you get there the first time.", "There are board games, cards and a small library.",
          "Friendships made here often carry on outside the group."},
         {"Anyone over 18 who would like more company.", "Older people living alone.", "Men of any age.",
          "Anyone in the area; carers and friends welcome too."},
         {"Just turn up; a volunteer will say hello.", "Phone to be matched with a volunteer.",
          "Ask a link worker to refer you, or phone us."}},
        {"mental-wellbeing", "Mental wellbeing", "Support when you feel low, anxious or stressed.", "esdNeed:55",
         {"mental health", "anxiety", "depression", "stress", "low mood", "counselling", "wellbeing", "talking"},
         {"{p} Wellbeing Café", "Talking Therapies {p}", "{p} Peer Support Group", "Mindful Walk {p}",
          "Hearing Voices Group {p}", "{p} Anxiety Support", "Men's Mental Health Circle {p}", "Zdrowie Psychiczne {p}"},
         {"A peer support group for people living with anxiety or depression.",
          "Free short-term counselling with a trained counsellor.",
          "A calm space to talk about how you are feeling, with people who understand.",
          "Gentle mindfulness sessions to help with stress and low mood.",
          "Support for your mental health from people who have been there themselves."},
         {"You do not have to talk if you would rather listen.", "Sessions are confidential.",
          "We can also help you find longer-term support from the NHS.", "Each session ends with a cup of tea."},
         {"Adults who are struggling with their mental health.", "Anyone aged 16 or over.",
          "People registered with a Manchester GP."},
         {"Drop in, or phone to ask about the next session.", "Refer yourself online or by phone.",
          "Ask your GP or a link worker to refer you."}},
        {"money-debt", "Money and debt", "Help with debts, bills, benefits and budgeting.", "esdNeed:12",
         {"debt", "debts", "money", "benefits", "bills", "budgeting", "universal credit", "advice", "cost of living"},
         {"{p} Debt Advice", "{p} Money Matters", "Benefits Help at {v}", "{p} Advice Surgery", "Universal Credit Help {p}",
          "{p} Credit Union", "Cost of Living Help {p}", "Budgeting Basics {p}"},
         {"Free, confidential debt advice from a qualified adviser.",
          "Help to check you are getting all the benefits you are entitled to.",
          "An advice surgery for money, benefits and housing questions.",
          "Step-by-step help with Universal Credit claims and journals.",
          "Help to make a budget, deal with bills and talk to creditors."},
         {"Bring any letters or bills you have.", "Advisers can talk to creditors on your behalf.",
          "Appointments are also available by phone.", "We can help you apply for grants and discounts."},
         {"Anyone living in Manchester.", "Residents on a low income.", "Anyone worried about money."},
         {"Book an appointment by phone.", "Drop in; you may have to wait to be seen.", "Ask a link worker to refer you."}},
        {"food", "Food", "Food banks, pantries, community meals and help with food costs.", "esdNeed:32",
         {"food bank", "foodbank", "pantry", "meals", "hungry", "groceries", "community fridge", "hot meal"},
         {"{p} Food Bank", "{p} Foodbank", "{p} Community Pantry", "{p} Community Fridge", "Hot Meals at {v}",
          "{p} Community Kitchen", "Pay As You Feel Café {p}", "{p} Food Club", "Spiżarnia {p}"},
         {"An emergency food bank giving three days of food to people in crisis.",
          "A members' pantry where a weekly shop costs a few pounds.",
          "A community fridge sharing surplus food so it is not wasted.",
          "A free hot meal, cooked by volunteers, for anyone who needs one.",
          "A pay-as-you-feel café serving food that would otherwise be thrown away."},
         {"Fresh fruit and vegetables when we have them.", "Toiletries and baby items are available too.",
          "Nobody is turned away.", "Volunteers can also point you to debt and benefits advice."},
         {"Anyone struggling to afford food.", "People with a food bank voucher.", "Local residents; no questions asked."},
         {"Just turn up.", "You need a voucher from a link worker, GP or advice service.", "Join at the door; it is free to join."}},
        {"housing", "Housing", "Help to find a home, stay in your home or deal with a landlord.", "esdNeed:40",
         {"housing", "homeless", "homelessness", "landlord", "eviction", "rent", "tenancy", "shelter", "night shelter"},
         {"{p} Housing Advice", "Night Shelter {v}", "{p} Tenancy Support", "Homeless Drop-in {p}",
          "{p} Renters' Advice", "Street Support {p}"},
         {"Advice if you are homeless, at risk of losing your home, or in a dispute with a landlord.",
          "A night shelter with a warm bed, an evening meal and breakfast.",
          "Support to keep your tenancy: rent, repairs and paperwork.",
          "A drop-in for people sleeping rough, with showers, food and advice."},
         {"Caseworkers can come with you to appointments.", "We work closely with the council's housing team.",
          "Beds are limited; arrive early."},
         {"Anyone homeless or at risk of homelessness.", "Private and social tenants.", "Adults sleeping rough."},
         {"Drop in.", "Phone for an appointment.", "Referral from an outreach worker or the council."}},
        {"carers", "Caring for someone", "Support for people who look after a relative or friend.", "esdServiceType:298",
         {"carer", "carers", "caring", "unpaid carer", "respite", "young carers", "dementia"},
         {"{p} Carers Group", "{p} Carers Café", "Young Carers {p}", "Dementia Carers Support {p}", "{p} Carers Centre",
          "Carers' Pamper Afternoon {p}"},
         {"A support group where carers can share experiences and take a break.",
          "Advice and a listening ear for anyone looking after a family member or friend.",
          "Activities and trips for young people who care for someone at home.",
          "Support for people caring for someone living with dementia."},
         {"Help with a carer's assessment and carer's allowance.", "Cover can sometimes be arranged so you can attend.",
          "Massage and relaxation sessions run monthly."},
         {"Unpaid carers of any age.", "Young carers aged 8 to 18.", "Carers of people with dementia."},
         {"Just come along.", "Phone to register.", "Ask a link worker or GP to refer you."}},
        {"physical-activity", "Getting active", "Walks, sport and gentle exercise for every ability.", "esdNeed:34",
         {"exercise", "fitness", "sport", "walking", "zumba", "yoga", "swimming", "dance", "active"},
         {"{p} Walking Group", "Zumba Gold at {v}", "Chair Yoga {p}", "{p} Park Run Walkers", "Tai Chi in {p}",
          "{p} Zumba", "Walking Football {p}", "Couch to 5k {p}", "{p} Swim Club", "Bollywood Dance {p}"},
         {"A friendly walking group that goes at the pace of the slowest walker.",
          "Zumba Gold: easy-to-follow dance fitness for beginners and older adults.",
          "Chair-based yoga and stretching for people with limited mobility.",
          "Walking football for people who want to play without running.",
          "A beginners' running programme from walking to 5k in nine weeks.",
          "Gentle tai chi to help balance, strength and calm."},
         {"Wear comfortable shoes and bring water.", "No experience needed.", "Sessions can be adapted for disabilities.",
          "Lots of people come on their own."},
         {"Adults of all abilities.", "People over 50.", "Women only.", "Anyone, including wheelchair users."},
         {"Just turn up.", "Book your first session by phone.", "Join online or at the venue."}},
        {"work-skills", "Work and skills", "Help with jobs, CVs, training and volunteering.", "esdNeed:27",
         {"job", "jobs", "work", "employment", "cv", "training", "volunteering", "skills", "job club"},
         {"{p} Job Club", "CV Help at {v}", "{p} Volunteer Centre", "Back to Work {p}", "{p} Skills Hub",
          "Interview Practice {p}"},
         {"A weekly job club with help to search, apply and prepare for interviews.",
          "One-to-one help writing a CV and covering letter.",
          "Find a volunteering role that suits your time and interests.",
          "Free short courses in practical skills for work."},
         {"Computers and printers are available.", "Advisers can help with application forms.",
          "Many volunteers go on to paid work."},
         {"Anyone looking for work.", "Adults out of work for over six months.", "People aged 16 to 24."},
         {"Drop in.", "Book a place by phone.", "Referral from a work coach or link worker."}},
        {"families-children", "Families and children", "Play groups, parenting help and family support.", "esdNeed:21",
         {"family", "families", "children", "parents", "baby", "toddler", "play group", "parenting", "school holidays"},
         {"{p} Stay and Play", "Parent and Toddler Group {v}", "{p} Family Hub", "Baby Bank {p}",
          "Holiday Activities {p}", "Dads' Club {p}", "Polska Szkoła Sobotnia {p}"},
         {"A stay-and-play group for babies, toddlers and their grown-ups.",
          "Family support workers who can help with routines, behaviour and school.",
          "A baby bank giving clothes, cots and equipment to families who need them.",
          "Free activities and a healthy lunch for children in the school holidays."},
         {"Healthy snacks are provided.", "Health visitors attend once a month.", "Siblings are welcome."},
         {"Parents and carers of children under 5.", "Families with children aged 5 to 16.", "Expectant parents."},
         {"Just come along.", "Phone the family hub.", "Referral from a health visitor or school."}},
        {"older-people", "Older people", "Activities, advice and support for people in later life.", "esdNeed:63",
         {"older", "elderly", "pensioner", "later life", "retired", "age"},
         {"{p} Over 60s Club", "Later Life Advice {p}", "{p} Tea Dance", "Age Friendly {p}", "Silver Surfers {p}",
          "{p} Pensioners' Forum"},
         {"A club for over 60s with outings, talks and a cuppa.",
          "Advice on pension credit, attendance allowance and staying independent at home.",
          "A monthly tea dance with live music and cake.",
          "A group run by older residents to make the area better for later life."},
         {"Transport can be arranged for people who cannot get there.", "The hall has a hearing loop."},
         {"People aged 60 and over.", "Older people and their families."},
         {"Just come along.", "Phone for a home visit.", "Ask a link worker to refer you."}},
        {"disability", "Disability", "Support, advice and activities for disabled people.", "esdNeed:18",
         {"disabled", "disability", "wheelchair", "accessible", "deaf", "blind", "learning disability", "autism"},
         {"{p} Disability Advice", "Accessible Cycling {p}", "{p} Deaf Club", "Sight Loss Support {p}",
          "{p} Autism Social Group", "Learning Disability Arts {p}"},
         {"Advice on disability benefits, aids and adaptations.",
          "Adapted bikes and trikes so everyone can ride.",
          "A social club run in British Sign Language.",
          "Peer support for people living with sight loss."},
         {"Fully wheelchair accessible.", "BSL interpreters can be booked.", "Carers come free."},
         {"Disabled adults and their carers.", "People with a learning disability.", "Deaf and hard of hearing people."},
         {"Phone to book.", "Drop in.", "Referral from a social worker or link worker."}},
        {"health-gp", "Health and GP registration", "Register with a GP, health checks and staying well.", "esdNeed:37",
         {"gp", "doctor", "registration", "health", "nhs", "health check", "dentist", "vaccination"},
         {"GP Registration Help {p}", "{p} Health Bus", "NHS Health Checks at {v}", "{p} Wellbeing Clinic",
          "Help to Register with a Doctor {p}"},
         {"Help to register with a GP, even without proof of address or ID.",
          "Free NHS health checks for blood pressure, cholesterol and diabetes risk.",
          "A mobile health clinic that visits community venues.",
          "Advice on using NHS services, from pharmacies to dentists."},
         {"Interpreters can be arranged.", "You do not need an appointment."},
         {"Anyone not registered with a GP.", "Adults aged 40 to 74.", "Anyone in the area."},
         {"Drop in.", "Phone to book.", "Walk in; no appointment needed."}},
        {"crisis-support", "Crisis support", "Urgent help when things are very hard right now.", "esdNeed:16",
         {"crisis", "urgent", "emergency", "suicidal", "domestic abuse", "safe", "help now"},
         {"{p} Crisis Café", "Safe Haven {p}", "Domestic Abuse Support {p}", "{p} Emergency Help Line",
          "Out of Hours Support {p}"},
         {"An evening crisis café offering a safe place to talk when you are struggling.",
          "Confidential support for anyone experiencing domestic abuse.",
          "Emergency help with food, fuel and essentials after a crisis.",
          "Out-of-hours support from trained staff when services are closed."},
         {"If you are in danger now, call 999.", "Staff are trained in suicide prevention."},
         {"Anyone in crisis.", "Adults aged 18 and over.", "Anyone affected by domestic abuse."},
         {"Just turn up.", "Phone the helpline.", "Self-refer by phone or text."}},
        {"english-language", "Learning English", "English classes and conversation practice.", "esdNeed:24",
         {"english", "esol", "language", "classes", "conversation", "learn english"},
         {"ESOL Classes at {v}", "{p} English Conversation Club", "English for Beginners {p}",
          "{p} English Classes", "Conversation Café {p}", "English for Work {p}"},
         {"English classes (ESOL) for beginners, with a crèche for young children.",
          "An informal conversation club to practise speaking English.",
          "Free English classes from entry level to level 2.",
          "English classes focused on the language you need at work."},
         {"Classes are small and friendly.", "You will be assessed to find the right level."},
         {"Adults whose first language is not English.", "Refugees and asylum seekers.", "Anyone wanting to improve their English."},
         {"Enrol at the venue.", "Phone to book an assessment.", "Just turn up."}},
        {"digital-skills", "Computers and phones", "Help using computers, phones, tablets and the internet.", "esdNeed:74",
         {"computer", "computers", "phone", "tablet", "internet", "online", "digital", "wifi", "email"},
         {"{p} Computer Club", "Get Online {p}", "Tablet Help at {v}", "{p} Digital Drop-in", "Free Wi-Fi and Help {p}",
          "Smartphone Basics {p}"},
         {"Friendly one-to-one help with computers, phones and tablets.",
          "Learn to get online: email, video calls and staying safe.",
          "Borrow a tablet and data while you learn to use it.",
          "Help filling in online forms, from benefits to GP appointments."},
         {"Bring your own device if you have one.", "Volunteers are patient and go at your pace."},
         {"Anyone who wants help getting online.", "People aged 50 and over.", "Anyone without internet at home."},
         {"Drop in.", "Book a one-to-one session.", "Ask at the library desk."}},
    };
    return specs;
}

constexpr std::array<std::string_view, 24> kVenues = {
    "St Mary's Church Hall", "the Oak Community Centre", "the Zion Centre", "the Library", "the Ark",
    "Holy Innocents Hall", "the Methodist Church", "the Sure Start Centre", "the Friends Meeting House",
    "the Leisure Centre", "the Community Farm", "Beech House", "the Old Fire Station", "Maple Hall",
    "the Mosque Community Rooms", "the Polish Centre", "the Salvation Army Hall", "the Gurdwara",
    "the Tenants' Hall", "Orchard House", "the Youth Centre", "Café Mañana", "Dom Polski", "the Sports Hub"};

constexpr std::array<std::string_view, 20> kOrganisationNouns = {
    "Community Trust", "Neighbours", "Together", "Community Association", "Advice Centre", "Partnership",
    "Friends", "Family Trust", "Network", "Collective", "Community Hub", "Forum", "Foundation",
    "Residents' Association", "Action", "Wellbeing Trust", "Housing Trust", "Voluntary Services", "Cares", "Alliance"};

constexpr std::array<std::string_view, 10> kAccentedOrganisations = {
    "Żółć Community Kitchen", "Stowarzyszenie Łączy Nas", "Café Crème Collective", "Zdrowie i Ruch",
    "Naïve Arts", "Świetlica Polska", "Ośrodek Pomocy", "Fiesta Mañana", "Société Française", "Bøgh Friends"};

constexpr std::array<std::string_view, 11> kOtherLanguages = {"pl", "ur", "ar", "bn", "so", "zh", "ro", "pa", "fa",
                                                               "ku", "ti"};

constexpr std::array<std::string_view, 7> kStreets = {"Road", "Street", "Lane", "Avenue", "Grove", "Way", "Close"};
constexpr std::array<std::string_view, 14> kStreetNames = {"Oak", "Mill", "Church", "Victoria", "Stockport",
                                                           "Ashton Old", "Princess", "Wilbraham", "Moss", "Park",
                                                           "Station", "Rochdale", "Oldham", "Wilmslow"};

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
    std::size_t at = 0;
    while ((at = text.find(from, at)) != std::string::npos) {
        text.replace(at, from.size(), to);
        at += to.size();
    }
    return text;
}

std::string threeDigits(std::size_t value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%03zu", value % 1000);
    return buffer;
}

std::vector<ScheduleRule> makeSchedules(Random& random, std::string_view needCode) {
    auto rule = [](ScheduleFrequency frequency, std::vector<ByDay> days, int opens, int closes) {
        ScheduleRule r;
        r.frequency = frequency;
        r.byDays = std::move(days);
        r.opensAtMinutes = opens;
        r.closesAtMinutes = closes;
        return r;
    };
    std::vector<ScheduleRule> rules;
    const std::size_t kind = random.below(100);
    const int start = static_cast<int>(9 + random.below(9)) * 60 + (random.chance(30) ? 30 : 0);
    const int length = static_cast<int>(1 + random.below(3)) * 60;
    if (needCode == "housing" && random.chance(25)) {
        rules.push_back(rule(ScheduleFrequency::Weekly, {}, 20 * 60, 8 * 60));  // night shelter
    } else if (needCode == "crisis-support" && random.chance(40)) {
        rules.push_back(rule(ScheduleFrequency::Weekly, {{5, 0}, {6, 0}}, 22 * 60, 2 * 60));
    } else if (kind < 30) {
        rules.push_back(rule(ScheduleFrequency::Weekly, {{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}}, 9 * 60,
                             random.chance(50) ? 17 * 60 : 16 * 60 + 30));
    } else if (kind < 65) {
        rules.push_back(rule(ScheduleFrequency::Weekly, {{static_cast<unsigned>(1 + random.below(7)), 0}}, start,
                             std::min(start + length, 1440)));
        if (random.chance(30)) {
            rules.push_back(rule(ScheduleFrequency::Weekly, {{static_cast<unsigned>(1 + random.below(7)), 0}}, start,
                                 std::min(start + length, 1440)));
        }
    } else if (kind < 80) {
        const int ordinal = random.chance(70) ? static_cast<int>(1 + random.below(4)) : -1;
        rules.push_back(rule(ScheduleFrequency::Monthly, {{static_cast<unsigned>(1 + random.below(7)), ordinal}},
                             start, std::min(start + length, 1440)));
    } else if (kind < 90) {
        rules.push_back(rule(ScheduleFrequency::Weekly, {{2, 0}, {4, 0}}, 10 * 60, 14 * 60));
        if (random.chance(50)) {
            rules.back().validTo = std::chrono::year{2026} / std::chrono::December / 18;
            rules.back().description = "term time only";
        }
    }
    // The rest (10%) publish no hours: phone lines and online services.
    return rules;
}

}  // namespace

DirectoryData generateSyntheticDirectory(const SyntheticDirectoryOptions& options) {
    Random random(options.seed * 0x2545F4914F6CDD1Dull + 17);
    const std::vector<std::string>& neighbourhoods =
        options.neighbourhoods.empty() ? kDefaultNeighbourhoods : options.neighbourhoods;
    const bool defaultAreas = options.neighbourhoods.empty();
    const auto& specs = needSpecs();

    DirectoryData data;
    data.version = "synthetic-" + std::to_string(options.services) + "-seed-" + std::to_string(options.seed);
    for (const NeedSpec& spec : specs) {
        TaxonomyTerm term;
        term.id = "need-" + std::string(spec.code);
        term.code = spec.code;
        term.name = spec.name;
        term.description = spec.description;
        term.taxonomy = "signpost-needs";
        term.termUri = spec.termUri;
        term.keywords = spec.keywords;
        data.taxonomyTerms.push_back(std::move(term));
    }

    const std::size_t perOrganisation = std::max<std::size_t>(1, options.servicesPerOrganisation);
    const std::size_t organisationCount = (options.services + perOrganisation - 1) / perOrganisation;
    struct OrgHome {
        std::size_t area;
        std::string place;
    };
    std::vector<OrgHome> homes;
    for (std::size_t i = 0; i < organisationCount; ++i) {
        const std::size_t area = random.below(neighbourhoods.size());
        std::string place = defaultAreas ? std::string(random.pick(kAreas[area].places)) : neighbourhoods[area];
        Organisation org;
        org.id = "org-" + std::to_string(i + 1);
        if (random.chance(3)) {
            org.name = std::string(random.pick(kAccentedOrganisations)) + " " + place;
        } else {
            org.name = place + " " + std::string(random.pick(kOrganisationNouns));
        }
        org.description = "A local voluntary organisation working in " + place + ".";
        org.website = "https://org-" + std::to_string(i + 1) + ".signpost.example";
        org.email = "hello@org-" + std::to_string(i + 1) + ".signpost.example";
        data.organisations.push_back(std::move(org));
        homes.push_back({area, std::move(place)});
    }

    for (std::size_t i = 0; i < options.services; ++i) {
        const std::size_t orgIndex = i / perOrganisation;
        const OrgHome& home = homes[orgIndex];
        const NeedSpec& spec = specs[random.below(specs.size())];
        const std::string venue(random.pick(kVenues));
        // Most services run where their organisation is; some elsewhere in the city.
        const std::size_t area = random.chance(80) ? home.area : random.below(neighbourhoods.size());
        const std::string place = defaultAreas ? std::string(random.pick(kAreas[area].places)) : neighbourhoods[area];

        Location location;
        location.id = "loc-" + std::to_string(i + 1);
        location.name = venue.rfind("the ", 0) == 0 ? place + " " + venue.substr(4) : venue;
        location.address.line1 = std::to_string(1 + random.below(240)) + " " + std::string(random.pick(kStreetNames)) +
                                 " " + std::string(random.pick(kStreets));
        location.address.line2 = place;
        location.address.city = "Manchester";
        location.address.postcode = (defaultAreas ? std::string(random.pick(kAreas[area].postcodes)) : "M1") + " " +
                                    std::to_string(random.below(10)) +
                                    static_cast<char>('A' + random.below(26)) + static_cast<char>('A' + random.below(26));
        location.latitude = 53.40 + static_cast<double>(random.below(1500)) / 10000.0;
        location.longitude = -2.30 + static_cast<double>(random.below(1600)) / 10000.0;
        if (random.chance(70)) {
            location.accessibility.push_back("Step-free entrance");
        }
        if (random.chance(40)) {
            location.accessibility.push_back("Accessible toilet");
        }
        if (random.chance(20)) {
            location.accessibility.push_back("Hearing loop");
        }
        location.transportation = "Bus stop nearby";

        Service s;
        s.id = "svc-" + std::to_string(i + 1);
        s.organisationId = data.organisations[orgIndex].id;
        s.name = replaceAll(replaceAll(std::string(random.pick(spec.names)), "{p}", place), "{v}",
                            venue.rfind("the ", 0) == 0 ? venue.substr(4) : venue);
        s.description = std::string(random.pick(spec.openings)) + " " + std::string(random.pick(spec.details));
        if (random.chance(30)) {
            s.description += " Based at " + location.name + " in " + place + ".";
        }
        s.eligibility = random.pick(spec.eligibility);
        s.applicationProcess = random.pick(spec.howTo);
        s.url = "https://" + s.id + ".signpost.example";
        s.email = s.id + "@signpost.example";
        const std::size_t statusRoll = random.below(100);
        s.status = statusRoll < 2 ? ServiceStatus::TemporarilyClosed
                   : statusRoll < 3 ? ServiceStatus::Inactive
                                    : ServiceStatus::Active;
        s.attendingTypes = kAttendVenue | (random.chance(20) ? kAttendPhone : 0u) | (random.chance(10) ? kAttendOnline : 0u);
        const std::size_t accessRoll = random.below(100);
        s.attendingAccess = accessRoll < 45   ? AttendingAccess::DropIn
                            : accessRoll < 75 ? AttendingAccess::Appointment
                            : accessRoll < 95 ? AttendingAccess::Referral
                                              : AttendingAccess::Membership;
        if (random.chance(18)) {
            s.isFree = false;
            static constexpr std::array<std::string_view, 4> kCosts = {"£2 a session", "£3 for lunch", "£5 a month",
                                                                       "£1 donation welcome"};
            s.costDescription = random.pick(kCosts);
        }
        s.languages.push_back("en");
        if (random.chance(35)) {
            s.languages.emplace_back(random.pick(kOtherLanguages));
            if (random.chance(30)) {
                std::string second(random.pick(kOtherLanguages));
                if (second != s.languages[1]) {
                    s.languages.push_back(second);
                }
            }
        }
        const std::size_t areaRoll = random.below(100);
        if (areaRoll < 8) {
            s.serviceAreas.push_back({"Manchester", "city"});
        } else {
            s.serviceAreas.push_back({neighbourhoods[area], "neighbourhood"});
            if (areaRoll < 14) {
                const std::size_t other = random.below(neighbourhoods.size());
                if (other != area) {
                    s.serviceAreas.push_back({neighbourhoods[other], "neighbourhood"});
                }
            }
        }
        s.locationIds.push_back(location.id);
        s.phones.push_back({"0161 496 0" + threeDigits(random.below(1000)), "Main line"});
        if (random.chance(15)) {
            s.phones.push_back({"07700 900" + threeDigits(random.below(1000)), "Text or call"});
        }
        s.schedules = makeSchedules(random, spec.code);
        s.needCodes.emplace_back(spec.code);
        if (random.chance(35)) {
            const NeedSpec& second = specs[random.below(specs.size())];
            if (second.code != spec.code) {
                s.needCodes.emplace_back(second.code);
            }
        }
        s.lastChecked = std::chrono::year{2026} / std::chrono::month{static_cast<unsigned>(1 + random.below(10))} /
                        std::chrono::day{static_cast<unsigned>(1 + random.below(28))};
        s.acceptsReferrals = !random.chance(10);
        data.locations.push_back(std::move(location));
        data.services.push_back(std::move(s));
    }
    return data;
}

}  // namespace signpost
