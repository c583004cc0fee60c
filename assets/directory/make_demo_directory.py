#!/usr/bin/env python3
"""Builds assets/directory/manchester-demo.json, Signpost's fictional demo directory.

Everything here is invented: organisations, buildings, people, phone numbers (Ofcom's drama
ranges 0161 496 0000-0999 and 07700 900000-900999), web sites and emails (.example). The
neighbourhood names and outward postcodes are Manchester's real ones so the kiosk feels local.

The file is deterministic: run it again and you get the same bytes.

    python3 assets/directory/make_demo_directory.py            # writes manchester-demo.json
    python3 assets/directory/make_demo_directory.py --check    # fails if the file is out of date

Stdlib only. The output shape is documented in assets/directory/README.md.
"""

import argparse
import json
import random
import re
import sys
from pathlib import Path

VERSION = "2026-11-01"
HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "manchester-demo.json"

# --------------------------------------------------------------------------------------------
# Needs: the vocabulary "signpost-needs". Codes and order are fixed: the kiosk's tiles use them.
# term_uri is only given where the mapping is documented (see /work/shared/FACTS.md); the rest
# should be mapped against the LGA's esd lists by someone who can check them.
# --------------------------------------------------------------------------------------------
NEEDS = [
    ("feeling-lonely", "Feeling lonely",
     "Company, friendship and things to do with other people.", "esdNeed:69",
     ["lonely", "loneliness", "isolated", "isolation", "company", "friends", "friendship", "befriending",
      "social", "chat"]),
    ("mental-wellbeing", "Mental wellbeing",
     "Support when you feel low, anxious, stressed or not yourself.", "",
     ["mental health", "anxiety", "anxious", "depression", "stress", "low mood", "counselling", "talking",
      "wellbeing", "panic"]),
    ("money-debt", "Money and debt",
     "Help with debts, bills, benefits and making money go further.", "",
     ["debt", "debts", "money", "benefits", "universal credit", "bills", "budgeting", "rent arrears",
      "energy bills", "advice", "cost of living"]),
    ("food", "Food",
     "Food banks, pantries, community meals and help with food costs.", "",
     ["food bank", "foodbank", "pantry", "meals", "hot meal", "hungry", "groceries", "lunch",
      "community fridge", "breakfast"]),
    ("housing", "Housing",
     "Help to find somewhere to live, keep your home or sort out problems with it.", "",
     ["housing", "homeless", "homelessness", "landlord", "eviction", "tenancy", "rent", "repairs",
      "night shelter", "rough sleeping"]),
    ("carers", "Caring for someone",
     "Support for people who look after a relative, partner or friend.", "esdServiceType:298",
     ["carer", "carers", "caring", "unpaid carer", "young carers", "respite", "break", "dementia"]),
    ("physical-activity", "Getting active",
     "Walks, sport, dance and gentle exercise for every age and ability.", "",
     ["exercise", "fitness", "sport", "walking", "walks", "zumba", "yoga", "tai chi", "dance", "football",
      "swimming", "cycling"]),
    ("work-skills", "Work and skills",
     "Help finding work, writing a CV, training and volunteering.", "",
     ["job", "jobs", "work", "employment", "cv", "interview", "training", "volunteering", "skills",
      "job club", "courses"]),
    ("families-children", "Families and children",
     "Play groups, parenting help and support for families.", "",
     ["family", "families", "children", "kids", "baby", "babies", "toddler", "parents", "parenting",
      "play group", "school holidays", "young people"]),
    ("older-people", "Older people",
     "Activities, advice and support for people in later life.", "",
     ["older", "elderly", "pensioner", "pension", "retired", "later life", "over 60", "over 50"]),
    ("disability", "Disability",
     "Support, advice and activities for disabled people and their families.", "",
     ["disabled", "disability", "wheelchair", "accessible", "deaf", "bsl", "blind", "sight loss",
      "learning disability", "autism", "adaptations"]),
    ("health-gp", "Health and GP registration",
     "Registering with a doctor, health checks and staying well.", "",
     ["gp", "doctor", "register", "registration", "nhs", "health check", "blood pressure", "dentist",
      "pharmacy", "vaccination"]),
    ("crisis-support", "Crisis support",
     "Urgent help when things are very hard right now.", "",
     ["crisis", "urgent", "emergency", "suicidal", "domestic abuse", "safe place", "help now",
      "out of hours"]),
    ("english-language", "Learning English",
     "English classes and friendly conversation practice.", "",
     ["english", "esol", "english classes", "language", "conversation", "speaking", "learn english",
      "refugees"]),
    ("digital-skills", "Computers and phones",
     "Help using computers, phones, tablets and the internet.", "",
     ["computer", "computers", "phone", "smartphone", "tablet", "internet", "online", "digital", "email",
      "wifi", "laptop"]),
]

# --------------------------------------------------------------------------------------------
# Neighbourhoods (names are data, not code): the places people call them, outward postcodes,
# fictional streets and buildings, and the buses that pass (route numbers are illustrative).
# --------------------------------------------------------------------------------------------
AREAS = [
    {"name": "Cheetham & Crumpsall", "short": "cheetham", "places": ["Cheetham Hill", "Crumpsall"],
     "postcodes": ["M8"], "streets": ["Linden Street", "Marlow Road", "Tanner Street", "Halliwell Grove"],
     "buildings": ["Linden House", "the Crescent Centre", "St Aidan's Hall", "the Tanner Street Library"],
     "buses": "Buses 88 and 135 stop on the main road, two minutes' walk"},
    {"name": "Higher Blackley & Harpurhey", "short": "harpurhey", "places": ["Harpurhey", "Higher Blackley"],
     "postcodes": ["M9"], "streets": ["Orchard Lane", "Weaver Road", "Copse Avenue", "Foundry Street"],
     "buildings": ["the Weaver Centre", "Orchard House", "Copse Community Rooms", "St Barnabas Hall"],
     "buses": "Buses 17 and 112 stop outside"},
    {"name": "Moston & Newton Heath", "short": "moston", "places": ["Moston", "Newton Heath"],
     "postcodes": ["M40"], "streets": ["Kestrel Road", "Hollin Lane", "Canal Side", "Dale View"],
     "buildings": ["Kestrel House", "the Hollin Community Centre", "Newton Heath Methodist Hall",
                   "the Canal Side Hub"],
     "buses": "Buses 76 and 181 stop nearby; Newton Heath tram stop is ten minutes' walk"},
    {"name": "Ancoats, Miles Platting & City Centre", "short": "ancoats",
     "places": ["Ancoats", "Miles Platting", "City Centre"], "postcodes": ["M4", "M1", "M40"],
     "streets": ["Spinners Way", "Loom Street", "Cotton Court", "Bobbin Lane"],
     "buildings": ["the Spinners Mill Hub", "Loom House", "the Cotton Court Centre", "St Clement's Church Hall"],
     "buses": "Five minutes from Piccadilly; free city centre bus stops nearby"},
    {"name": "Clayton, Openshaw & Beswick", "short": "openshaw", "places": ["Clayton", "Openshaw", "Beswick"],
     "postcodes": ["M11"], "streets": ["Forge Lane", "Ironworks Road", "Marsh Street", "Beswick Row"],
     "buildings": ["the Forge Centre", "Clayton Vale Lodge", "the Ironworks Rooms", "Openshaw Baptist Hall"],
     "buses": "Buses 216 and 231 stop outside; Clayton Hall tram stop is close by"},
    {"name": "Gorton & Levenshulme", "short": "gorton", "places": ["Gorton", "Levenshulme"],
     "postcodes": ["M18", "M19"], "streets": ["Monastery Walk", "Chapel Road", "Albion Grove", "Station Parade"],
     "buildings": ["the Monastery Walk Centre", "Albion Hall", "the Chapel Road Hub", "Levenshulme Old Library"],
     "buses": "Buses 50, 192 and 203 stop nearby"},
    {"name": "Ardwick & Longsight", "short": "longsight", "places": ["Longsight", "Ardwick"],
     "postcodes": ["M12", "M13"], "streets": ["Cedar Grove", "Stanley Road", "Plymouth Row", "Dorset Street"],
     "buildings": ["the Cedar Grove Centre", "Longsight Market Rooms", "the Plymouth Row Hub", "Ardwick Green House"],
     "buses": "Buses 192 and 197 stop on the main road"},
    {"name": "Hulme, Moss Side & Rusholme", "short": "mossside", "places": ["Moss Side", "Hulme", "Rusholme"],
     "postcodes": ["M14", "M15", "M16"], "streets": ["Alexandra Walk", "Birchfields Road", "Claremont Close",
                                                   "Quinney Street"],
     "buildings": ["the Claremont Centre", "Birchfields House", "the Quinney Street Hub", "St Luke's Church Hall"],
     "buses": "Buses 15, 86 and 147 stop nearby"},
    {"name": "Chorlton & Whalley Range", "short": "chorlton", "places": ["Chorlton", "Whalley Range"],
     "postcodes": ["M21", "M16"], "streets": ["Beech Road", "Meadow Walk", "Range Avenue", "Brook Lane"],
     "buildings": ["the Meadow Walk Centre", "Range House", "Chorlton Brook Library", "St Werburgh's Rooms"],
     "buses": "Buses 85 and 86 stop nearby; Chorlton tram stop is eight minutes' walk"},
    {"name": "Fallowfield & Withington", "short": "fallowfield", "places": ["Fallowfield", "Withington"],
     "postcodes": ["M14", "M20"], "streets": ["Copson Road", "Wilmslow Parade", "Ladybarn Lane", "Egerton Row"],
     "buildings": ["the Copson Centre", "Withington Baths Rooms", "Ladybarn House", "the Egerton Row Hub"],
     "buses": "Buses 41, 42 and 43 stop on Wilmslow Road"},
    {"name": "Didsbury & Burnage", "short": "didsbury", "places": ["Didsbury", "Burnage"],
     "postcodes": ["M20", "M19"], "streets": ["Mersey Bank Road", "Kingsway Parade", "Elm Close", "Fog Lane"],
     "buildings": ["the Mersey Bank Centre", "Burnage Elm House", "the Kingsway Rooms", "Didsbury Parish Rooms"],
     "buses": "Buses 50 and 197 stop nearby; East Didsbury tram stop is close"},
    {"name": "Wythenshawe & Northenden", "short": "wythenshawe", "places": ["Wythenshawe", "Northenden", "Benchill"],
     "postcodes": ["M22", "M23"], "streets": ["Forum Way", "Riverside Road", "Hollyhedge Lane", "Sharston Walk"],
     "buildings": ["the Riverside Centre", "Hollyhedge House", "the Forum Rooms", "Northenden Old School"],
     "buses": "Buses 11, 18 and 101 stop nearby; Wythenshawe Town Centre tram stop is a short walk"},
]

CITY = {"name": "Manchester", "extent_type": "city"}

ACCESS_STATEMENTS = [
    ["Step-free entrance", "Accessible toilet", "Hearing loop in the main hall"],
    ["Level access from the car park", "Accessible toilet", "Quiet room available"],
    ["Ramp to the front door", "Accessible toilet on the ground floor"],
    ["Step-free entrance", "Lift to all floors", "Large-print menus and leaflets"],
    ["Two steps at the entrance; a portable ramp is available, ask at the door", "Accessible toilet"],
    ["Step-free entrance", "Guide dogs welcome", "Seating with arms"],
    ["Ground floor only", "Accessible toilet", "Disabled parking bay outside"],
    ["Lift to the first floor", "Hearing loop at reception", "Baby changing"],
]

LANGUAGE_MIX = {
    "cheetham": ["ur", "ar", "pa", "ro"], "harpurhey": ["pl", "ro"], "moston": ["pl"],
    "ancoats": ["zh", "pl", "ar"], "openshaw": ["ro", "pl"], "gorton": ["ur", "pl", "bn"],
    "longsight": ["ur", "bn", "pa", "so"], "mossside": ["so", "ar", "ti"], "chorlton": ["pl", "es"],
    "fallowfield": ["zh", "ar"], "didsbury": ["ur"], "wythenshawe": ["pl", "ro"],
}

# --------------------------------------------------------------------------------------------
# Services: hand-written concepts. Each has one or more descriptions (used in turn, never twice),
# who it is for, how to get it, hours, and where it runs. "{place}" is the local place name,
# "{venue}" the building. Hours: (freq, byday, opens, closes[, extras]) and "shift" moves weekly
# groups to a different day in each neighbourhood.
# --------------------------------------------------------------------------------------------
C = []


def concept(**fields):
    C.append(fields)


# ---- Feeling lonely ------------------------------------------------------------------------
concept(key="lunch-club", needs=["feeling-lonely", "older-people", "food"], names=["{place} Lunch Club"],
        descriptions=[
            "A hot two-course lunch for older neighbours, followed by a quiz or a game of bingo. Most people come "
            "for the company as much as the food.",
            "Sit down to a home-cooked lunch with other local people, then stay for tea and a chat. The same "
            "friendly volunteers are there every week.",
            "A weekly lunch where nobody eats alone. Soup, a main and a pudding, cooked on site, with plenty of "
            "time to talk afterwards.",
            "Good food and good company in the middle of the week. Volunteers will phone you if you miss a week, "
            "just to check you're alright.",
        ],
        eligibility="People aged 60 and over, and their carers.", min_age=60,
        how="Phone to book your first lunch so we can save you a seat; after that, just come along.",
        hours=[("WEEKLY", "WE", "12:00", "14:00")], shift=True, access="appointment", cost="£3 for lunch",
        areas=["harpurhey", "moston", "openshaw", "wythenshawe", "didsbury"])
concept(key="befriending", needs=["feeling-lonely", "older-people"], names=["Good Neighbours Befriending"],
        descriptions=[
            "A trained volunteer visits you at home or phones you each week for a chat, a cup of tea or a walk "
            "to the shops. We match you with someone who shares your interests.",
        ],
        eligibility="Adults living alone in Manchester who would like more company.",
        how="Phone us or ask a link worker to refer you. We will visit first to get to know you.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:30", "16:30")], access="referral", attend=["home visit", "phone"],
        city=True, org="good-neighbours")
concept(key="coffee-morning", needs=["feeling-lonely"], names=["{place} Coffee Morning", "Chatty Café {place}"],
        descriptions=[
            "A relaxed coffee morning in {venue}: drop in, grab a drink and join a table. There's a 'happy to "
            "chat' table if you'd like someone to talk to.",
            "Tea, coffee, toast and conversation every week. Newcomers to the area are especially welcome.",
            "An informal morning get-together with board games, a jigsaw on the go and plenty of chat.",
        ],
        eligibility="Anyone aged 18 or over.", how="Just drop in; you don't need to book.",
        hours=[("WEEKLY", "TH", "10:00", "12:00")], shift=True, access="drop-in", cost="£1 for tea and toast",
        areas=["cheetham", "chorlton", "fallowfield", "gorton", "mossside", "ancoats"])
concept(key="mens-shed", needs=["feeling-lonely", "mental-wellbeing"], names=["{place} Men's Shed"],
        descriptions=[
            "A workshop where men get together to make and mend things: bird boxes, benches, bikes. Shoulder to "
            "shoulder, not face to face, so talking comes easily.",
            "Woodwork, repairs and a brew. Members share skills, take on projects for the community and look out "
            "for each other.",
        ],
        eligibility="Men aged 18 and over. No experience needed.",
        how="Come along to any session for a look around; membership is free.",
        hours=[("WEEKLY", "TU,FR", "10:00", "15:00")], access="membership", areas=["moston", "wythenshawe"])
concept(key="knit-natter", needs=["feeling-lonely"], names=["Knit and Natter at {venue}"],
        descriptions=["Bring your knitting, crochet or sewing, or learn from scratch with our wool. A friendly "
                      "group that also makes blankets for the neonatal unit."],
        eligibility="Anyone, any skill level.", how="Drop in; wool and needles provided.",
        hours=[("WEEKLY", "MO", "13:30", "15:30")], access="drop-in", areas=["didsbury", "longsight"])
concept(key="polish-club", needs=["feeling-lonely", "older-people"], names=["Klub Seniora Łączy Nas"],
        descriptions=["A social club for older Polish speakers: coffee, cake, Polish newspapers and a monthly "
                      "outing. Klub dla seniorów mówiących po polsku."],
        eligibility="Polish-speaking adults aged 55 and over.", min_age=55,
        how="Come along on a Saturday morning or phone Krystyna.",
        hours=[("WEEKLY", "SA", "10:00", "13:00")], access="drop-in", languages=["pl"], areas=["harpurhey"],
        org="laczy-nas")
concept(key="tea-dance", needs=["feeling-lonely", "older-people", "physical-activity"],
        names=["{place} Tea Dance"],
        descriptions=["A monthly afternoon of ballroom and sequence dancing to live music, with tea and cake at "
                      "half time. Dance or just watch.",
                      "Foxtrot, waltz and a bit of rock and roll on the last Sunday of each month. Partners not "
                      "needed; our volunteer hosts will dance with you."],
        eligibility="Everyone welcome, especially older people.", how="Pay on the door.",
        hours=[("MONTHLY", "-1SU", "14:00", "16:30")], access="drop-in", cost="£3 on the door",
        areas=["wythenshawe", "gorton"])
concept(key="warm-space", needs=["feeling-lonely", "money-debt"], names=["Warm Welcome at {venue}"],
        descriptions=[
            "A warm, free place to spend the afternoon this winter, with hot drinks, soup, newspapers and phone "
            "charging. Advisers visit on Thursdays.",
            "Somewhere warm and friendly to sit during the cold months: free soup, Wi-Fi and people to talk to.",
            "Keep warm and keep company. Board games, a hot drink and a volunteer who can help with energy "
            "bills.",
        ],
        eligibility="Anyone.", how="Just walk in.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "12:00", "16:00", {"valid_from": "2026-11-02", "valid_to": "2027-03-26"})],
        access="drop-in", areas=["cheetham", "openshaw", "longsight", "moston", "chorlton"], accepts=False)
concept(key="friendship-line", needs=["feeling-lonely"], names=["Night Owls Friendship Line"],
        descriptions=["A free evening phone line for anyone who feels alone. Volunteers answer until 10pm every "
                      "night, including Christmas Day."],
        eligibility="Adults in Manchester.", how="Just phone; you don't need to give your name.",
        hours=[("WEEKLY", "", "18:00", "22:00")], access="drop-in", attend=["phone"], city=True, accepts=False,
        org="good-neighbours")

# ---- Mental wellbeing ----------------------------------------------------------------------
concept(key="peer-support", needs=["mental-wellbeing"], names=["{place} Mental Health Peer Support"],
        descriptions=[
            "A peer support group for people living with anxiety, depression or other mental health problems, "
            "run by people with their own experience.",
            "Meet others who understand what it's like when your mental health is poor. Talk, listen, or just sit "
            "with a cup of tea.",
            "A small, confidential group where you can share how things really are, without judgement.",
        ],
        eligibility="Adults aged 18 and over.", how="Drop in, or phone first if you'd like to be met at the door.",
        hours=[("WEEKLY", "WE", "18:00", "19:30")], shift=True, access="drop-in",
        areas=["ancoats", "mossside", "gorton", "wythenshawe"])
concept(key="talking-therapy", needs=["mental-wellbeing"], names=["Talk It Through Counselling"],
        descriptions=["Six free one-to-one sessions with a qualified counsellor, in person or by video. Short "
                      "waiting list; evening appointments available."],
        eligibility="Adults registered with a Manchester GP.", how="Refer yourself by phone or ask your GP.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "09:00", "20:00"), ("WEEKLY", "FR", "09:00", "17:00")],
        access="appointment", attend=["venue", "online"], languages=["ur", "pl", "ar"], city=True,
        org="talk-it-through")
concept(key="mindful-walk", needs=["mental-wellbeing", "physical-activity"], names=["Mindful Walk in {place}"],
        descriptions=["A slow, guided walk through the park, noticing what's around us. Good for a busy or "
                      "worried mind.",
                      "An hour's gentle walk with short mindfulness pauses. No special kit, just comfortable shoes."],
        eligibility="Adults who can walk for an hour on paths.", how="Meet at the park gates; no need to book.",
        hours=[("WEEKLY", "SA", "10:00", "11:00")], access="drop-in", areas=["chorlton", "didsbury"])
concept(key="young-minds", needs=["mental-wellbeing", "families-children"], names=["Head Space Youth Drop-in"],
        descriptions=["A drop-in for 13 to 19 year olds to talk about stress, exams, friendships or anything "
                      "else on their mind, with youth workers and a counsellor."],
        eligibility="Young people aged 13 to 19.", min_age=13, max_age=19,
        how="Just turn up after school; it's confidential.",
        hours=[("WEEKLY", "TU,TH", "16:00", "19:00")], access="drop-in", areas=["longsight", "harpurhey"])
concept(key="hearing-voices", needs=["mental-wellbeing"], names=["Hearing Voices Group"],
        descriptions=["A group for people who hear voices or have unusual experiences, to share ways of coping "
                      "in a safe space."],
        eligibility="Adults who hear voices or see visions.", how="Phone first for a chat with the facilitator.",
        hours=[("MONTHLY", "2TH,4TH", "14:00", "16:00")], access="appointment", areas=["ancoats"])
concept(key="perinatal", needs=["mental-wellbeing", "families-children"], names=["Bump and Beyond Wellbeing Group"],
        descriptions=["Support for parents who are struggling with their mood during pregnancy or after a baby "
                      "arrives. Babies very welcome."],
        eligibility="Parents expecting a baby or with a baby under one.",
        how="Ask your midwife or health visitor, or refer yourself.",
        hours=[("WEEKLY", "FR", "10:00", "11:30")], access="referral", areas=["fallowfield"],
        languages=["ur", "bn"])

# ---- Money and debt ------------------------------------------------------------------------
concept(key="debt-advice", needs=["money-debt"], names=["{place} Debt Advice", "Money Advice at {venue}"],
        descriptions=[
            "Free, confidential debt advice from a qualified adviser. We can stop creditors chasing you, set up "
            "affordable payments and look at options like a Debt Relief Order.",
            "Worried about money you owe? Bring your letters and bills and an adviser will go through them with "
            "you and make a plan.",
            "One-to-one advice on debts, council tax arrears, energy bills and bailiffs. We never judge.",
        ],
        eligibility="Anyone living in Manchester.", how="Phone to book an appointment; urgent cases seen the same week.",
        hours=[("WEEKLY", "TU", "09:30", "13:00")], shift=True, access="appointment",
        areas=["cheetham", "harpurhey", "gorton", "longsight", "wythenshawe", "openshaw"], org="money-matters")
concept(key="benefits-check", needs=["money-debt"], names=["Benefits Check-up at {venue}"],
        descriptions=[
            "Are you getting everything you're entitled to? An adviser checks your benefits in about half an hour "
            "and helps you claim.",
            "A quick, free check of the benefits and discounts you could claim, from Pension Credit to help with "
            "water bills.",
        ],
        eligibility="Anyone on a low income, working or not.", how="Drop in with your National Insurance number.",
        hours=[("WEEKLY", "TH", "10:00", "15:00")], shift=True, access="drop-in",
        areas=["moston", "mossside", "fallowfield", "didsbury", "ancoats"], org="money-matters")
concept(key="uc-help", needs=["money-debt", "digital-skills"], names=["Universal Credit Help Desk"],
        descriptions=["Help to make a Universal Credit claim, keep your online journal up to date and sort out "
                      "problems with payments."],
        eligibility="Anyone claiming or about to claim Universal Credit.",
        how="Drop in; bring your phone or log-in details if you have them.",
        hours=[("WEEKLY", "MO,WE,FR", "10:00", "14:00")], access="drop-in", languages=["ur", "ar", "pl", "ro"],
        areas=["longsight", "cheetham"], org="money-matters")
concept(key="money-line", needs=["money-debt"], names=["Manchester Money Line"],
        descriptions=["A free phone line for money worries: debts, benefits, budgeting and grants. Advisers can "
                      "ring you back in your language with an interpreter."],
        eligibility="Manchester residents.", how="Phone or request a call back online.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="appointment", attend=["phone", "online"],
        city=True, org="money-matters", accepts=False)
concept(key="credit-union", needs=["money-debt"], names=["Red Rose Credit Union"],
        descriptions=["A not-for-profit savings and loans co-operative. Save a little each week and borrow at a "
                      "fair rate instead of using a doorstep lender."],
        eligibility="Anyone who lives or works in Greater Manchester.", how="Join in branch or online with ID.",
        hours=[("WEEKLY", "MO,TU,TH,FR", "10:00", "16:00"), ("WEEKLY", "SA", "10:00", "12:00")],
        access="membership", city=True, org="red-rose")
concept(key="energy-advice", needs=["money-debt", "housing"], names=["Keep Warm Energy Advice"],
        descriptions=["Advice on cutting energy bills, dealing with prepayment meters and getting grants for "
                      "insulation or a new boiler."],
        eligibility="Households struggling with energy costs.", how="Phone to book a home visit or a phone call.",
        hours=[("WEEKLY", "TU,WE,TH", "09:00", "17:00")], access="appointment", attend=["phone", "home visit"],
        city=True, org="keep-warm")
concept(key="budgeting", needs=["money-debt", "work-skills"], names=["Make It Stretch Budgeting Course"],
        descriptions=["A friendly four-week course on budgeting, shopping on a tight budget and avoiding scams. "
                      "Free lunch included."],
        eligibility="Adults on a low income.", how="Book a place by phone.",
        hours=[("WEEKLY", "WE", "10:00", "12:30", {"valid_from": "2027-01-13", "valid_to": "2027-02-03"})],
        access="appointment", areas=["wythenshawe"], org="money-matters")

# ---- Food -----------------------------------------------------------------------------------
concept(key="food-bank", needs=["food"], names=["{place} Food Bank"],
        descriptions=[
            "An emergency food bank giving three days of nutritious food to people in crisis, with toiletries "
            "and a friendly cuppa while you wait.",
            "Emergency food parcels for households who can't afford to eat. Volunteers can also help you sort out "
            "the problem that led you here.",
            "Tins, pasta, fresh bread and vegetables for people in a crisis, plus nappies and sanitary products "
            "when you need them.",
            "Food parcels for anyone struggling, including special diets. We can deliver to people who can't get "
            "out.",
        ],
        eligibility="Anyone in crisis. A voucher helps but is not essential.",
        how="Come along during opening hours; a voucher from a link worker, GP or advice service speeds things up.",
        hours=[("WEEKLY", "TU,FR", "11:00", "14:00")], access="drop-in",
        areas=["harpurhey", "mossside", "openshaw", "wythenshawe", "cheetham", "gorton"], accepts=False)
concept(key="pantry", needs=["food", "money-debt"], names=["{place} Community Pantry"],
        descriptions=[
            "A members' pantry: pay a few pounds a week and choose ten or more items, including fresh fruit, "
            "vegetables and chilled food.",
            "Join the pantry and do a weekly shop worth around £20 for £4. Members choose their own food, like in "
            "a shop.",
            "A low-cost food club with a shop-style choice of groceries. Many members save over £10 a week.",
        ],
        eligibility="Local residents on a low income.", how="Sign up at the pantry; bring proof of address.",
        hours=[("WEEKLY", "WE", "13:00", "16:00"), ("WEEKLY", "SA", "10:00", "12:00")], access="membership",
        cost="£4 a week", areas=["moston", "longsight", "ancoats", "didsbury", "chorlton"])
concept(key="community-fridge", needs=["food"], names=["{place} Community Fridge"],
        descriptions=["Surplus food from supermarkets and bakeries, free for anyone to take. No questions asked "
                      "and nothing to sign.",
                      "A fridge full of food that would otherwise go to waste. Take what you need, leave what you can."],
        eligibility="Anyone.", how="Just drop in.", hours=[("WEEKLY", "MO,WE,FR", "15:00", "17:00")],
        access="drop-in", areas=["fallowfield", "chorlton", "ancoats"], accepts=False)
concept(key="hot-meal", needs=["food", "feeling-lonely"], names=["Hot Meal Night at {venue}", "Sunday Supper"],
        descriptions=[
            "A free hot dinner every week, cooked by volunteers and served at the table. Families welcome.",
            "A three-course community meal on a Sunday evening. Pay what you can, or nothing at all.",
            "A sit-down supper for anyone who'd like a hot meal and some company.",
        ],
        eligibility="Anyone.", how="Just come along; doors open 15 minutes early.",
        hours=[("WEEKLY", "SU", "17:00", "19:00")], shift=True, access="drop-in",
        areas=["mossside", "ancoats", "gorton"])
concept(key="breakfast-club", needs=["food", "families-children"], names=["{place} Holiday Breakfast Club"],
        descriptions=["Free breakfast and morning activities for children during the school holidays, with a "
                      "parent or carer."],
        eligibility="Children aged 4 to 11 with an adult.", how="Book places through the school office or by phone.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "08:30", "10:30",
                {"valid_from": "2026-07-20", "valid_to": "2026-08-28", "description": "summer holidays"})],
        access="appointment", areas=["harpurhey", "openshaw"])
concept(key="cook-eat", needs=["food", "work-skills"], names=["Cook and Eat {place}"],
        descriptions=["Learn to cook cheap, healthy meals in a six-week course, then sit down and eat what you've "
                      "made together."],
        eligibility="Adults on a low income.", how="Book a place; a link worker can refer you.",
        hours=[("WEEKLY", "TH", "10:00", "13:00")], access="referral", areas=["longsight", "wythenshawe"])

# ---- Housing -------------------------------------------------------------------------------
concept(key="housing-advice", needs=["housing"], names=["{place} Housing Advice Surgery"],
        descriptions=[
            "Advice if you're worried about losing your home, have a problem with your landlord, or need to "
            "find somewhere to live.",
            "Independent housing advice: eviction notices, rent arrears, disrepair and your rights as a tenant.",
        ],
        eligibility="Tenants and homeowners in Manchester.", how="Drop in; bring any letters from your landlord.",
        hours=[("WEEKLY", "WE", "10:00", "13:00")], shift=True, access="drop-in",
        areas=["ancoats", "longsight", "mossside"], org="shelterline")
concept(key="housing-options", needs=["housing", "crisis-support"], names=["Housing Options Service"],
        descriptions=["The city's service for anyone homeless or at risk of becoming homeless. Caseworkers help "
                      "with emergency accommodation and longer-term housing."],
        eligibility="Anyone homeless or at risk of homelessness in Manchester.",
        how="Phone or visit; out of hours, phone the emergency line.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="drop-in", attend=["venue", "phone"],
        city=True, org="housing-options", accepts=False)
concept(key="night-shelter", needs=["housing", "crisis-support", "food"], names=["Harbour Night Shelter"],
        descriptions=["A safe, warm bed for the night for people sleeping rough, with an evening meal, breakfast, "
                      "showers and a caseworker to help find a way off the streets."],
        eligibility="Adults sleeping rough.", how="Referral from the outreach team, or come to the door at 8pm.",
        hours=[("WEEKLY", "", "20:00", "08:00")], access="referral", areas=["ancoats"], org="harbour")
concept(key="winter-shelter", needs=["housing", "crisis-support"], names=["Winter Night Shelter at {venue}"],
        descriptions=["Extra beds when it's cold: churches take turns to open overnight through the winter, with a "
                      "hot supper and breakfast."],
        eligibility="Adults sleeping rough.", how="Referral through the outreach team.",
        hours=[("WEEKLY", "FR,SA", "21:00", "08:00",
                {"valid_from": "2026-12-01", "valid_to": "2027-02-28"})],
        access="referral", areas=["gorton"], org="harbour")
concept(key="street-drop-in", needs=["housing", "food", "health-gp"], names=["Street Support Drop-in"],
        descriptions=["A morning drop-in for people sleeping rough or in temporary housing: breakfast, showers, "
                      "clean clothes, a nurse on Mondays and help with housing."],
        eligibility="People who are homeless or insecurely housed.", how="Just turn up.",
        hours=[("WEEKLY", "MO,WE,FR", "08:00", "11:00")], access="drop-in", areas=["ancoats"], org="harbour")
concept(key="tenants-union", needs=["housing"], names=["{place} Renters' Union"],
        descriptions=["Renters helping renters: monthly meetings and support to challenge repairs that never "
                      "happen, unfair rent rises and illegal evictions."],
        eligibility="Private and social tenants.", how="Come to a meeting or message us.",
        hours=[("MONTHLY", "1TU", "18:30", "20:00")], access="membership", areas=["fallowfield", "chorlton"])
concept(key="repairs", needs=["housing", "older-people", "disability"], names=["Handy Help Home Repairs"],
        descriptions=["Small repairs and safety checks for older and disabled people: grab rails, key safes, "
                      "smoke alarms and dripping taps. You pay for materials only."],
        eligibility="People aged 60 and over, or disabled, who own or privately rent their home.",
        how="Phone to arrange a visit.", hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "16:00")],
        access="appointment", attend=["home visit"], city=True, cost="Materials only")

# ---- Caring for someone --------------------------------------------------------------------
concept(key="carers-group", needs=["carers"], names=["{place} Carers Group", "Carers' Café {place}"],
        descriptions=[
            "A monthly get-together for people who look after someone. Share tips, have a laugh and get an hour "
            "for yourself.",
            "A relaxed café for unpaid carers, with a guest speaker on things like benefits or moving and "
            "handling.",
            "Time out for carers over tea and cake, with an adviser on hand for questions about carer's "
            "assessments.",
        ],
        eligibility="Unpaid carers of any age over 18.", how="Just come along; we can arrange cover if you need it.",
        hours=[("MONTHLY", "1TH", "13:00", "15:00")], access="drop-in",
        areas=["harpurhey", "gorton", "chorlton", "didsbury", "wythenshawe", "cheetham"], org="carers-network")
concept(key="carers-centre", needs=["carers", "money-debt"], names=["Manchester Carers Centre"],
        descriptions=["Information and advice for unpaid carers: carer's allowance, breaks, emergency plans and "
                      "what to do when things change."],
        eligibility="Anyone who looks after a family member or friend.",
        how="Phone the advice line or drop in to the centre.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:30", "16:30")], access="drop-in", attend=["venue", "phone"],
        city=True, org="carers-network", languages=["ur", "pa", "bn"])
concept(key="young-carers", needs=["carers", "families-children"], names=["Young Carers Club"],
        descriptions=["Fun, trips and a break for young people who help look after someone at home, plus support "
                      "at school."],
        eligibility="Young carers aged 8 to 18.", min_age=8, max_age=18,
        how="Parents, schools or the young person can refer.",
        hours=[("WEEKLY", "TU", "17:00", "19:00")], access="referral", areas=["openshaw", "longsight"],
        org="carers-network")
concept(key="dementia-carers", needs=["carers", "older-people"], names=["Memory Café {place}"],
        descriptions=["A monthly café for people living with dementia and the people who care for them: music, "
                      "reminiscence and advice from a dementia nurse.",
                      "A welcoming afternoon for families affected by dementia, with activities for your loved one "
                      "while you talk to others."],
        eligibility="People with memory problems and their carers.", how="Just come along.",
        hours=[("MONTHLY", "3WE", "14:00", "16:00")], access="drop-in", areas=["moston", "fallowfield", "didsbury"],
        org="carers-network")
concept(key="carer-breaks", needs=["carers"], names=["Carer Breaks Sitting Service"],
        descriptions=["A trained sitter stays with the person you care for so you can have a few hours to "
                      "yourself each week."],
        eligibility="Carers with a carer's assessment.", how="Ask for a carer's assessment, or a link worker can refer.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR,SA", "09:00", "18:00")], access="referral", attend=["home visit"],
        city=True, org="carers-network", cost="£5 an hour, free for some")

# ---- Getting active ------------------------------------------------------------------------
concept(key="walking-group", needs=["physical-activity", "feeling-lonely"], names=["{place} Walking Group"],
        descriptions=[
            "A friendly walk of about an hour, at the pace of the slowest walker, ending with a cuppa.",
            "Short, flat walks for people getting back into exercise after illness. Trained leaders walk with "
            "you.",
            "A Saturday walk exploring green spaces nearby; some walks are longer, some are buggy-friendly.",
        ],
        eligibility="Adults who can walk for 30 minutes or more.", how="Meet outside {venue}; no need to book.",
        hours=[("WEEKLY", "MO", "10:30", "11:30")], shift=True, access="drop-in",
        areas=["chorlton", "wythenshawe", "moston", "didsbury", "gorton", "harpurhey"])
concept(key="zumba", needs=["physical-activity"], names=["Zumba Gold at {venue}", "{place} Zumba"],
        descriptions=[
            "Zumba Gold: easy-to-follow dance fitness to Latin and pop music, for beginners and older adults.",
            "A lively zumba class that's more party than workout. Go at your own pace.",
            "Low-impact zumba with seated options, great for joints and for meeting people.",
        ],
        eligibility="Adults of any fitness level.", how="Pay on the door.",
        hours=[("WEEKLY", "TH", "18:00", "19:00")], shift=True, access="drop-in", cost="£3 a class",
        areas=["longsight", "mossside", "openshaw", "fallowfield"])
concept(key="chair-yoga", needs=["physical-activity", "disability", "older-people"], names=["Chair Yoga {place}"],
        descriptions=["Gentle yoga done sitting or holding a chair, to help with balance, stiffness and sleep.",
                      "Seated stretching and breathing exercises, suitable for wheelchair users."],
        eligibility="Adults with limited mobility, and older people.", how="Drop in.",
        hours=[("WEEKLY", "TU", "11:00", "12:00")], shift=True, access="drop-in", cost="£2 a session",
        areas=["didsbury", "cheetham", "gorton"])
concept(key="walking-football", needs=["physical-activity", "feeling-lonely"], names=["Walking Football {place}"],
        descriptions=["Football without the running or tackles: a great way to stay fit and be part of a team "
                      "again.",
                      "Walking football for over 50s, with a brew and a chat after the match."],
        eligibility="Adults aged 50 and over.", min_age=50, how="Come to the sports hall in trainers.",
        hours=[("WEEKLY", "WE", "11:00", "12:00")], access="drop-in", cost="£2 a session",
        areas=["openshaw", "wythenshawe"])
concept(key="women-swim", needs=["physical-activity"], names=["Women-only Swim"],
        descriptions=["A women-only swimming session with female lifeguards and covered windows. Lessons for "
                      "beginners in the first half hour."],
        eligibility="Women and girls.", how="Pay at the pool reception.",
        hours=[("WEEKLY", "SU", "18:00", "20:00")], access="drop-in", cost="£3.50 a swim", areas=["longsight"],
        languages=["ur", "so", "ar"])
concept(key="cycling", needs=["physical-activity", "disability"], names=["Wheels for All Inclusive Cycling"],
        descriptions=["Adapted bikes, trikes, tandems and hand cycles so that everyone can ride, whatever their "
                      "disability."],
        eligibility="Disabled people of all ages, with family and friends.", how="Book a slot by phone.",
        hours=[("WEEKLY", "SA", "10:00", "13:00")], access="appointment", areas=["openshaw"], cost="£2 a ride")
concept(key="couch-5k", needs=["physical-activity", "mental-wellbeing"], names=["Couch to 5k {place}"],
        descriptions=["A beginners' running group: nine weeks from walking to running 5k, with a friendly coach "
                      "and no pressure."],
        eligibility="Adults who are new to running.", how="Register online or turn up at the first session.",
        hours=[("WEEKLY", "TU", "18:30", "19:30", {"valid_from": "2027-01-05", "valid_to": "2027-03-09",
                                                     "description": "nine-week course"})],
        access="drop-in", areas=["chorlton", "fallowfield"])
concept(key="tai-chi", needs=["physical-activity", "older-people"], names=["Tai Chi in the Park"],
        descriptions=["Slow, flowing tai chi in the park, good for balance and calm. Indoors in bad weather."],
        eligibility="Anyone.", how="Just come along.", hours=[("WEEKLY", "FR", "09:30", "10:30")],
        access="drop-in", areas=["ancoats"], languages=["zh"])

# ---- Work and skills -----------------------------------------------------------------------
concept(key="job-club", needs=["work-skills"], names=["{place} Job Club"],
        descriptions=[
            "Weekly help with job searching, applications and interview practice, with computers and a printer.",
            "A job club where advisers help with CVs and online applications and tell you about local vacancies.",
            "Job search support in a friendly group, with regular visits from local employers.",
        ],
        eligibility="Anyone looking for work.", how="Drop in; bring your CV if you have one.",
        hours=[("WEEKLY", "MO", "10:00", "12:30")], shift=True, access="drop-in",
        areas=["harpurhey", "gorton", "wythenshawe", "cheetham", "openshaw"], org="working-futures")
concept(key="cv-clinic", needs=["work-skills"], names=["CV Clinic"],
        descriptions=["A 45-minute appointment with a careers adviser to write or improve your CV and covering "
                      "letter."],
        eligibility="Adults aged 19 and over.", how="Book an appointment by phone.",
        hours=[("WEEKLY", "WE", "13:00", "17:00")], access="appointment", areas=["ancoats", "didsbury"],
        org="working-futures")
concept(key="volunteer-centre", needs=["work-skills", "feeling-lonely"], names=["Manchester Volunteer Centre"],
        descriptions=["Find a volunteering role that suits you, from gardening to befriending. Volunteering can "
                      "build confidence, skills and friendships."],
        eligibility="Anyone aged 16 and over.", how="Drop in or browse roles online.",
        hours=[("WEEKLY", "TU,WE,TH", "10:00", "16:00")], access="drop-in", attend=["venue", "online"], city=True,
        org="volunteer-centre", accepts=False)
concept(key="back-to-work", needs=["work-skills", "mental-wellbeing"], names=["Next Steps Employment Support"],
        descriptions=["One-to-one support back into work for people with health conditions, at your pace, with "
                      "help continuing after you start a job."],
        eligibility="Adults out of work because of a health condition or disability.",
        how="Ask your work coach or a link worker to refer you.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="referral", city=True,
        org="working-futures")
concept(key="skills-courses", needs=["work-skills", "digital-skills"], names=["{place} Adult Learning Centre"],
        descriptions=["Free short courses for adults: maths, English, computers, food hygiene and first aid.",
                      "Free and low-cost courses to build skills and confidence, with a crèche for some classes."],
        eligibility="Adults aged 19 and over.", how="Enrol in person at the centre.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "09:00", "20:00"), ("WEEKLY", "FR", "09:00", "16:00")],
        access="appointment", areas=["longsight", "wythenshawe", "harpurhey"])

# ---- Families and children -----------------------------------------------------------------
concept(key="stay-play", needs=["families-children"], names=["{place} Stay and Play", "Little Steps {place}"],
        descriptions=[
            "A stay-and-play session for babies and toddlers with their parents or carers: messy play, songs and "
            "a healthy snack.",
            "Play, sing and meet other parents. Health visitors drop in once a month.",
            "A friendly toddler group with toys, stories and a chance for grown-ups to chat.",
        ],
        eligibility="Children under 5 with a parent or carer.", max_age=5, how="Just come along.",
        hours=[("WEEKLY", "TU", "09:30", "11:00")], shift=True, access="drop-in", cost="£1 a family",
        areas=["mossside", "gorton", "chorlton", "cheetham", "harpurhey", "longsight", "didsbury"])
concept(key="family-hub", needs=["families-children", "mental-wellbeing"], names=["{place} Family Hub"],
        descriptions=["Help for families with anything from sleep and behaviour to school, money and "
                      "relationships, under one roof.",
                      "Family support workers, midwives and health visitors in one place, with drop-ins and "
                      "groups every day."],
        eligibility="Families with children aged 0 to 19 (25 with SEND).",
        how="Drop in, phone, or ask a professional to refer you.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="drop-in",
        areas=["wythenshawe", "openshaw", "mossside"])
concept(key="baby-bank", needs=["families-children", "money-debt"], names=["Bundle Baby Bank"],
        descriptions=["Free clothes, cots, prams and baby equipment for families who need them, all checked and "
                      "clean."],
        eligibility="Families with a baby or young child.", how="Referral from a midwife, health visitor or link worker.",
        hours=[("WEEKLY", "WE", "10:00", "14:00")], access="referral", areas=["longsight"])
concept(key="holiday-activities", needs=["families-children", "food", "physical-activity"],
        names=["{place} Holiday Fun"],
        descriptions=["Free activities and a healthy lunch during the school holidays: sport, arts, cooking and "
                      "trips."],
        eligibility="Children aged 5 to 16 who get free school meals.", min_age=5, max_age=16,
        how="Book through the school or online.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "10:00", "14:00",
                {"valid_from": "2026-12-21", "valid_to": "2027-01-01", "description": "Christmas holidays"})],
        access="appointment", areas=["moston", "wythenshawe", "cheetham"])
concept(key="dads-group", needs=["families-children", "feeling-lonely"], names=["Dads and Kids Saturday"],
        descriptions=["A Saturday morning for dads, grandads and male carers to play with their children and "
                      "meet other dads."],
        eligibility="Male carers with children under 8.", how="Just come along.",
        hours=[("MONTHLY", "2SA,4SA", "10:00", "12:00")], access="drop-in", areas=["fallowfield"])
concept(key="supplementary-school", needs=["families-children", "english-language"],
        names=["Polska Szkoła Sobotnia", "Somali Saturday School"],
        descriptions=["Saturday lessons in Polish language, history and culture for children of Polish families. "
                      "Sobotnia szkoła dla dzieci.",
                      "Saturday homework help and Somali language classes for children, run by parents."],
        eligibility="Children aged 5 to 16.", min_age=5, max_age=16, how="Enrol at the start of term.",
        hours=[("WEEKLY", "SA", "09:30", "13:00", {"description": "term time only"})], access="membership",
        cost="£5 a month", areas=["harpurhey", "mossside"])
concept(key="youth-club", needs=["families-children", "physical-activity"], names=["{place} Youth Club"],
        descriptions=["Evening youth club with sport, music, cooking and trips, run by qualified youth workers.",
                      "A safe place to hang out with friends: pool, games consoles, a tuck shop and someone to talk to."],
        eligibility="Young people aged 11 to 19.", min_age=11, max_age=19, how="Just turn up.",
        hours=[("WEEKLY", "TU,TH", "18:00", "21:00")], shift=True, access="drop-in", cost="50p a session",
        areas=["openshaw", "wythenshawe", "moston"])

# ---- Older people --------------------------------------------------------------------------
concept(key="over-60s", needs=["older-people", "feeling-lonely"], names=["{place} Over 60s Club"],
        descriptions=["Talks, trips, bingo and a raffle, with tea and cake. Members plan the programme together.",
                      "A lively club for over 60s with outings to the seaside, a choir and plenty of laughs."],
        eligibility="People aged 60 and over.", min_age=60, how="Come along; membership is £1 a week.",
        hours=[("WEEKLY", "TH", "13:30", "15:30")], shift=True, access="membership", cost="£1 a week",
        areas=["didsbury", "moston", "wythenshawe", "chorlton"])
concept(key="later-life-advice", needs=["older-people", "money-debt"], names=["Later Life Advice Line"],
        descriptions=["Advice for older people and their families on Pension Credit, Attendance Allowance, care "
                      "at home and staying independent."],
        eligibility="People over 60 and their families.", how="Phone the line or ask for a home visit.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "16:00")], access="appointment",
        attend=["phone", "home visit"], city=True, org="later-life")
concept(key="falls-prevention", needs=["older-people", "physical-activity", "health-gp"],
        names=["Steady Steps Strength and Balance"],
        descriptions=["A 12-week class of strength and balance exercises to help prevent falls, led by a "
                      "physiotherapist."],
        eligibility="Older people who have fallen or are worried about falling.",
        how="Referral from your GP, nurse or link worker.", hours=[("WEEKLY", "WE", "10:00", "11:00")],
        access="referral", areas=["cheetham", "didsbury"], org="later-life")
concept(key="silver-surfers", needs=["older-people", "digital-skills"], names=["Silver Surfers {place}"],
        descriptions=["Patient, one-to-one help for older people learning to use a phone, tablet or computer: "
                      "video calls, online shopping and staying safe from scams."],
        eligibility="People aged 55 and over.", min_age=55, how="Drop in; bring your own device if you have one.",
        hours=[("WEEKLY", "FR", "10:00", "12:00")], shift=True, access="drop-in", areas=["gorton", "harpurhey"],
        org="later-life")

# ---- Disability ----------------------------------------------------------------------------
concept(key="disability-advice", needs=["disability", "money-debt"], names=["Disability Rights Advice"],
        descriptions=["Advice from disabled advisers on PIP, Blue Badges, adaptations, direct payments and your "
                      "rights at work."],
        eligibility="Disabled people and their families.", how="Phone or email for an appointment.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "10:00", "16:00")], access="appointment", attend=["venue", "phone"],
        city=True, org="disability-rights")
concept(key="deaf-club", needs=["disability", "feeling-lonely"], names=["Manchester Deaf Social Club"],
        descriptions=["A social club run in British Sign Language, with quizzes, talks and a bar. Learners of "
                      "BSL welcome."],
        eligibility="Deaf and hard of hearing people, and BSL learners.", how="Just come along.",
        hours=[("WEEKLY", "FR", "18:00", "22:00")], access="drop-in", areas=["ancoats"], languages=["bfi"])
concept(key="sight-loss", needs=["disability"], names=["Sight Loss Support Group"],
        descriptions=["Peer support and practical tips for living with sight loss, with demonstrations of "
                      "talking gadgets."],
        eligibility="People with sight loss and their families.", how="Phone to book transport if you need it.",
        hours=[("MONTHLY", "2MO", "13:30", "15:30")], access="drop-in", areas=["didsbury", "longsight"])
concept(key="autism-social", needs=["disability", "feeling-lonely"], names=["Autism Social Space"],
        descriptions=["A calm social evening for autistic adults, with a quiet room, games and clear plans for "
                      "each session sent in advance."],
        eligibility="Autistic adults, diagnosed or not.", how="Email or phone first so we can send the plan.",
        hours=[("MONTHLY", "1WE,3WE", "18:00", "20:00")], access="appointment", areas=["fallowfield"])
concept(key="ld-arts", needs=["disability", "feeling-lonely"], names=["Bright Sparks Arts Studio"],
        descriptions=["Art, drama and music sessions for adults with learning disabilities, leading to an "
                      "exhibition each summer."],
        eligibility="Adults with a learning disability.", how="Phone to arrange a taster session.",
        hours=[("WEEKLY", "TU,TH", "10:00", "15:00")], access="appointment", areas=["openshaw", "chorlton"],
        cost="£5 a day")
concept(key="wheelchair-repair", needs=["disability"], names=["Wheelchair and Scooter Repair Drop-in"],
        descriptions=["Free checks and small repairs for manual wheelchairs and mobility scooters while you wait."],
        eligibility="Anyone using a wheelchair or scooter.", how="Drop in.",
        hours=[("MONTHLY", "1SA", "10:00", "13:00")], access="drop-in", areas=["gorton"], accepts=False)

# ---- Health and GP registration ------------------------------------------------------------
concept(key="gp-registration", needs=["health-gp"], names=["Register with a Doctor Help Desk"],
        descriptions=[
            "Help to register with a GP, even if you have no proof of address, no ID or an immigration problem.",
            "Friendly help to find and register with a GP surgery and understand how to book appointments.",
        ],
        eligibility="Anyone not registered with a GP.", how="Drop in; interpreters can be arranged.",
        hours=[("WEEKLY", "TU", "10:00", "13:00")], shift=True, access="drop-in",
        areas=["cheetham", "longsight", "mossside"], languages=["ar", "ur", "ti", "so", "fa"])
concept(key="health-bus", needs=["health-gp"], names=["Healthy You Health Bus"],
        descriptions=["A mobile clinic visiting community venues with free blood pressure checks, stop-smoking "
                      "help and health advice."],
        eligibility="Adults.", how="Walk in when the bus is in your area.",
        hours=[("WEEKLY", "MO", "10:00", "15:00")], access="drop-in", areas=["wythenshawe", "harpurhey", "openshaw"],
        org="healthy-you")
concept(key="health-check", needs=["health-gp"], names=["NHS Health Check Clinic"],
        descriptions=["A free check of your heart health, diabetes and stroke risk, with advice on staying well."],
        eligibility="Adults aged 40 to 74 without a heart condition.", min_age=40, max_age=74,
        how="Book by phone.", hours=[("WEEKLY", "WE", "09:00", "12:00")], access="appointment",
        areas=["gorton", "fallowfield"], org="healthy-you")
concept(key="pharmacy-advice", needs=["health-gp"], names=["Ask a Pharmacist Session"],
        descriptions=["A pharmacist answers questions about your medicines, side effects and minor illnesses, "
                      "in a private room."],
        eligibility="Anyone.", how="Drop in.", hours=[("WEEKLY", "TH", "14:00", "16:00")], access="drop-in",
        areas=["ancoats"], org="healthy-you")
concept(key="stop-smoking", needs=["health-gp"], names=["Stop Smoking Service"],
        descriptions=["Twelve weeks of support and free patches, gum or vapes. You're three times as likely to "
                      "quit with support."],
        eligibility="Adult smokers in Manchester.", how="Refer yourself by phone or online.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="appointment", attend=["phone", "venue"],
        city=True, org="healthy-you")

# ---- Crisis support ------------------------------------------------------------------------
concept(key="crisis-cafe", needs=["crisis-support", "mental-wellbeing"], names=["Safe Haven Crisis Café"],
        descriptions=["An evening and night-time café for anyone in emotional distress: a calm room, a hot drink "
                      "and trained staff to talk to, as an alternative to A&E."],
        eligibility="Adults in emotional crisis.", how="Walk in, or phone ahead.",
        hours=[("WEEKLY", "", "18:00", "01:00")], access="drop-in", areas=["ancoats"], accepts=False,
        org="safe-haven")
concept(key="crisis-weekend", needs=["crisis-support", "mental-wellbeing"], names=["Weekend Night Line"],
        descriptions=["A phone line open through Friday and Saturday nights for people struggling to cope, "
                      "answered by trained volunteers."],
        eligibility="Anyone aged 16 and over.", how="Just phone.",
        hours=[("WEEKLY", "FR,SA", "22:00", "06:00")], access="drop-in", attend=["phone"], city=True,
        accepts=False, org="safe-haven")
concept(key="domestic-abuse", needs=["crisis-support", "housing"], names=["Safe Steps Domestic Abuse Support"],
        descriptions=["Confidential support for anyone experiencing domestic abuse: safety planning, refuge "
                      "places, and someone to go with you to court or the police."],
        eligibility="Anyone affected by domestic abuse, of any gender.",
        how="Phone the helpline. If you are in danger now, call 999.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "19:00"), ("WEEKLY", "SA,SU", "10:00", "16:00")],
        access="drop-in", attend=["phone", "venue"], city=True, languages=["ur", "pa", "ar", "pl"])
concept(key="emergency-grants", needs=["crisis-support", "money-debt", "food"], names=["Crisis Help Fund"],
        descriptions=["Emergency help with food, gas and electric top-ups and essential items after a sudden "
                      "crisis, usually the same day."],
        eligibility="Manchester residents with no money for essentials.",
        how="Apply by phone or ask an advice worker to apply for you.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "16:00")], access="referral", attend=["phone"], city=True)
concept(key="bereavement", needs=["crisis-support", "mental-wellbeing"], names=["Bereavement Support Group"],
        descriptions=["A gentle monthly group for anyone grieving, with trained volunteers and one-to-one "
                      "support if you'd like it."],
        eligibility="Adults who have lost someone close.", how="Phone for a chat before your first visit.",
        hours=[("MONTHLY", "2TU", "18:30", "20:30")], access="appointment", areas=["didsbury", "harpurhey"])

# ---- Learning English ----------------------------------------------------------------------
concept(key="esol", needs=["english-language"], names=["ESOL Classes at {venue}", "{place} English Classes"],
        descriptions=[
            "Free English classes (ESOL) from beginner to level 2, with a crèche for children under five.",
            "Learn English in a small, friendly class. You'll be assessed to find the right level.",
            "English for everyday life: speaking to the doctor, shopping and helping children with school.",
            "Morning English classes for adults, with exams at the end of the year if you want them.",
        ],
        eligibility="Adults whose first language is not English.", how="Come to an enrolment session.",
        hours=[("WEEKLY", "MO,WE", "09:30", "12:00")], access="appointment",
        areas=["cheetham", "longsight", "mossside", "gorton", "harpurhey", "ancoats"],
        languages=["ar", "ur", "ti", "fa", "ku"])
concept(key="conversation-club", needs=["english-language", "feeling-lonely"],
        names=["{place} English Conversation Club"],
        descriptions=["Practise speaking English over tea and biscuits with friendly volunteers. All levels "
                      "welcome.",
                      "A relaxed conversation café to build confidence in spoken English and make friends."],
        eligibility="Anyone learning English.", how="Just drop in.",
        hours=[("WEEKLY", "SA", "11:00", "12:30")], shift=True, access="drop-in",
        areas=["fallowfield", "openshaw", "chorlton", "wythenshawe"])
concept(key="english-for-work", needs=["english-language", "work-skills"], names=["English for Work"],
        descriptions=["English classes focused on finding and keeping a job: interviews, health and safety and "
                      "talking to customers."],
        eligibility="Adults with some English who want to work.", how="Book an assessment by phone.",
        hours=[("WEEKLY", "TU,TH", "18:00", "20:00")], access="appointment", areas=["ancoats"],
        org="working-futures")
concept(key="refugee-welcome", needs=["english-language", "housing", "money-debt"],
        names=["New Neighbours Refugee Welcome"],
        descriptions=["A welcome centre for refugees and people seeking asylum: advice, English practice, a hot "
                      "lunch and a clothes store."],
        eligibility="Refugees and people seeking asylum.", how="Drop in; interpreters are available.",
        hours=[("WEEKLY", "TU,TH", "10:00", "15:00")], access="drop-in", areas=["mossside"],
        languages=["ar", "ti", "fa", "ku", "so"])

# ---- Computers and phones ------------------------------------------------------------------
concept(key="digital-dropin", needs=["digital-skills"], names=["{place} Digital Drop-in", "Get Online at {venue}"],
        descriptions=[
            "Bring your phone, tablet or laptop and get help with whatever you're stuck on, from email to online "
            "forms.",
            "Free help to get online: setting up an email account, using apps and booking GP appointments.",
            "Friendly volunteers help with computers and phones. We can lend you a tablet while you learn.",
        ],
        eligibility="Anyone who wants help getting online.", how="Drop in; no question is too basic.",
        hours=[("WEEKLY", "WE", "14:00", "16:00")], shift=True, access="drop-in",
        areas=["moston", "chorlton", "longsight", "openshaw", "wythenshawe", "cheetham"])
concept(key="device-bank", needs=["digital-skills", "money-debt"], names=["Data and Device Bank"],
        descriptions=["Free refurbished laptops, tablets and SIM cards with data for people who can't afford to "
                      "get online."],
        eligibility="Adults on a low income without a device.", how="Referral from a link worker or advice service.",
        hours=[("WEEKLY", "TH", "10:00", "14:00")], access="referral", city=True)
concept(key="library-it", needs=["digital-skills", "work-skills"], names=["{place} Library Computers"],
        descriptions=["Free computers, printing and Wi-Fi, with staff on hand to help with online forms and job "
                      "applications."],
        eligibility="Anyone; join the library for free.", how="Walk in; book a computer at the desk.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00"), ("WEEKLY", "SA", "10:00", "14:00")],
        access="drop-in", areas=["fallowfield", "didsbury", "harpurhey"])

# ---- More local life -----------------------------------------------------------------------
concept(key="choir", needs=["feeling-lonely", "mental-wellbeing"], names=["{place} Community Choir"],
        descriptions=["A choir for people who think they can't sing. No auditions, no reading music: we learn "
                      "songs by ear and perform twice a year.",
                      "Pop, gospel and folk songs sung together every week. Singing is good for breathing, mood "
                      "and making friends.",
                      "A warm, noisy, welcoming choir. Come and listen first if you're nervous."],
        eligibility="Anyone aged 16 and over.", how="Just come to a rehearsal.",
        hours=[("WEEKLY", "WE", "19:00", "20:30")], shift=True, access="drop-in", cost="£2 a session",
        areas=["mossside", "moston", "fallowfield"])
concept(key="community-garden", needs=["feeling-lonely", "physical-activity", "mental-wellbeing"],
        names=["{place} Community Garden"],
        descriptions=["Grow fruit and vegetables with your neighbours and take some home. Tools, gloves and tea "
                      "provided.",
                      "A volunteer-run garden with raised beds you can reach from a wheelchair, a pond and a polytunnel.",
                      "Get outside, get your hands dirty and meet people. Gardening sessions for all abilities.",
                      "A quiet green space for growing food and flowers, with sessions for people recovering from "
                      "illness."],
        eligibility="Anyone; children with an adult.", how="Come along to a gardening session.",
        hours=[("WEEKLY", "SA", "10:00", "13:00"), ("WEEKLY", "WE", "13:00", "16:00")], access="drop-in",
        areas=["openshaw", "didsbury", "moston", "mossside"])
concept(key="craft-group", needs=["feeling-lonely"], names=["Crafty Afternoons {place}"],
        descriptions=["Card making, painting and collage with materials provided. A relaxed afternoon with a brew.",
                      "A friendly craft group: bring a project or try something new each week."],
        eligibility="Adults.", how="Just drop in.", hours=[("WEEKLY", "TH", "13:00", "15:00")], shift=True,
        access="drop-in", cost="£1 towards materials", areas=["fallowfield", "moston"])
concept(key="scam-aware", needs=["older-people", "money-debt", "digital-skills"], names=["Scam Aware Sessions"],
        descriptions=["Learn to spot scam calls, texts and doorstep fraud, and what to do if it happens to you. "
                      "Talks in community venues across the city."],
        eligibility="Anyone, especially older people and their families.", how="Phone to find the next session.",
        hours=[("MONTHLY", "3TU", "14:00", "15:30")], access="appointment", areas=["chorlton", "harpurhey"],
        org="later-life")
concept(key="community-cafe", needs=["food", "feeling-lonely", "work-skills"], names=["The Open Door Café {place}"],
        descriptions=["A pay-as-you-feel café serving meals made from surplus food, staffed by volunteers who are "
                      "gaining work experience.",
                      "Breakfasts and lunches at whatever price you can afford, in a café run by and for the "
                      "community.",
                      "A café where you can eat well for little or nothing, and volunteer in the kitchen to learn "
                      "catering skills."],
        eligibility="Anyone.", how="Just walk in.", hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "14:00")],
        access="drop-in", areas=["mossside", "fallowfield", "moston"], cost="Pay as you feel")
concept(key="meals-delivered", needs=["food", "older-people", "disability"], names=["Hot Dinners Delivered"],
        descriptions=["A hot lunch delivered to your door on weekdays by a friendly driver who stops for a quick "
                      "chat. Special diets catered for."],
        eligibility="People who can't easily cook or shop for themselves.",
        how="Phone to arrange, or ask a link worker or social worker.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "11:30", "13:30")], access="referral", attend=["home visit"],
        city=True, cost="£4.50 a meal")
concept(key="furniture-bank", needs=["housing", "money-debt"], names=["Fresh Start Furniture Bank"],
        descriptions=["Beds, sofas, cookers and fridges for people setting up a home after homelessness or a "
                      "crisis, delivered free."],
        eligibility="People moving into a new tenancy with little or no furniture.",
        how="Referral from a housing worker, support worker or link worker.",
        hours=[("WEEKLY", "MO,TU,WE,TH", "09:00", "16:00")], access="referral", city=True, accepts=False)
concept(key="tenancy-support", needs=["housing", "mental-wellbeing"], names=["Settled Tenancy Support"],
        descriptions=["A support worker visits you at home to help you keep your tenancy: bills, benefits, "
                      "neighbours and getting repairs done."],
        eligibility="Tenants at risk of losing their home.", how="Referral from your landlord, GP or a link worker.",
        hours=[("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")], access="referral", attend=["home visit"],
        areas=["wythenshawe", "moston"], org="shelterline")
concept(key="parent-carers", needs=["carers", "disability", "families-children"], names=["Parent Carers Forum"],
        descriptions=["Parents of children with special educational needs and disabilities meeting to share "
                      "advice, have a coffee and help shape local services."],
        eligibility="Parents and carers of children with SEND.", how="Just come along, or join the mailing list.",
        hours=[("MONTHLY", "2WE", "10:00", "12:00")], access="membership", areas=["longsight", "fallowfield"],
        org="carers-network")
concept(key="bollywood-dance", needs=["physical-activity", "feeling-lonely"], names=["Bollywood Dance Fitness"],
        descriptions=["Energetic dance fitness to Bollywood and bhangra hits. Women-only class with a female "
                      "instructor."],
        eligibility="Women aged 16 and over.", how="Pay on the door.", hours=[("WEEKLY", "MO", "18:30", "19:30")],
        access="drop-in", cost="£3 a class", languages=["ur", "pa"], areas=["longsight", "cheetham"])
concept(key="bike-kitchen", needs=["physical-activity", "work-skills"], names=["{place} Bike Kitchen"],
        descriptions=["Learn to fix your own bike with tools and help from volunteer mechanics. Refurbished bikes "
                      "for sale at low prices.",
                      "A community bike workshop: repairs, maintenance classes and guided rides for new cyclists."],
        eligibility="Anyone aged 12 and over.", how="Drop in with your bike.",
        hours=[("WEEKLY", "TH", "17:00", "20:00")], access="drop-in", areas=["ancoats", "chorlton"],
        cost="£3 donation for repairs")
concept(key="sewing-coop", needs=["work-skills", "english-language", "feeling-lonely"],
        names=["Stitched Together Sewing Co-op"],
        descriptions=["A sewing workshop where women learn dressmaking and alterations, practise English and "
                      "sell what they make."],
        eligibility="Women; no experience needed.", how="Phone or drop in on a Tuesday.",
        hours=[("WEEKLY", "TU,TH", "10:00", "14:00")], access="drop-in", languages=["ar", "ur", "ti"],
        areas=["mossside", "cheetham"])
concept(key="breastfeeding", needs=["families-children", "health-gp"], names=["{place} Breastfeeding Café"],
        descriptions=["Friendly support with feeding your baby from trained peer supporters and an infant "
                      "feeding specialist.",
                      "Relaxed help and company for anyone feeding a baby, however you feed. Bring your questions."],
        eligibility="Parents with babies, and parents-to-be.", how="Just drop in.",
        hours=[("WEEKLY", "WE", "10:00", "12:00")], shift=True, access="drop-in", areas=["fallowfield", "moston"])
concept(key="homework-club", needs=["families-children"], names=["{place} Homework Club"],
        descriptions=["After-school homework help with volunteer tutors, laptops and a healthy snack.",
                      "A quiet space and friendly tutors for children to get homework done after school.",
                      "Homework help for primary and secondary pupils, with reading support for younger children."],
        eligibility="Children aged 7 to 16.", min_age=7, max_age=16, how="Register at the first session.",
        hours=[("WEEKLY", "MO,WE", "15:30", "17:30", {"description": "term time only"})], access="drop-in",
        areas=["mossside", "cheetham", "moston"])
concept(key="morning-call", needs=["older-people", "feeling-lonely"], names=["Good Morning Call"],
        descriptions=["A friendly phone call every morning to check you're well and have a chat. If you don't "
                      "answer, we call your named contact."],
        eligibility="Older people living alone.", how="Phone to sign up.",
        hours=[("WEEKLY", "", "08:30", "11:00")], access="appointment", attend=["phone"], city=True,
        org="good-neighbours")
concept(key="accessible-gym", needs=["physical-activity", "disability"], names=["Inclusive Gym Sessions"],
        descriptions=["Gym sessions with accessible equipment and an instructor trained in working with disabled "
                      "people and long-term conditions."],
        eligibility="Disabled adults and people with long-term conditions.", how="Book an induction by phone.",
        hours=[("WEEKLY", "TU,TH", "13:00", "15:00")], access="appointment", cost="£2.50 a session",
        areas=["fallowfield"])
concept(key="sexual-health", needs=["health-gp"], names=["Young People's Sexual Health Drop-in"],
        descriptions=["Confidential contraception, testing and advice for young people. No appointment and no "
                      "need to be registered with a GP."],
        eligibility="Young people aged 13 to 24.", min_age=13, max_age=24, how="Just walk in.",
        hours=[("WEEKLY", "WE", "15:30", "18:30")], access="drop-in", areas=["mossside"], org="healthy-you")
concept(key="mens-health", needs=["health-gp", "mental-wellbeing"], names=["Men's Health MOT"],
        descriptions=["A free health MOT for men at the football ground: blood pressure, weight, mood and a "
                      "chat with a nurse, no appointment needed."],
        eligibility="Men aged 30 and over.", min_age=30, how="Walk in.",
        hours=[("MONTHLY", "1SA", "10:00", "14:00")], access="drop-in", areas=["moston", "wythenshawe"],
        org="healthy-you")
concept(key="mens-crisis", needs=["crisis-support", "mental-wellbeing"], names=["Andy's Circle Men's Talk"],
        descriptions=["A weekly peer support group where men can talk openly about what they're going through. "
                      "It's OK to talk."],
        eligibility="Men aged 18 and over.", how="Just turn up; first names only.",
        hours=[("WEEKLY", "MO", "19:00", "21:00")], shift=True, access="drop-in",
        areas=["openshaw", "fallowfield", "chorlton"], accepts=False)
concept(key="women-english", needs=["english-language", "feeling-lonely"], names=["Women's English Circle"],
        descriptions=["An English class for women with a crèche, a relaxed pace and time to make friends.",
                      "Learn and practise English with other women, covering everyday topics like school, shopping "
                      "and health."],
        eligibility="Women learning English.", how="Drop in or phone the centre.",
        hours=[("WEEKLY", "TH", "10:00", "12:00")], access="drop-in", languages=["ur", "bn", "ar"],
        areas=["longsight", "gorton"])
concept(key="phone-help", needs=["digital-skills", "older-people"], names=["Phone Help Clinic"],
        descriptions=["Stuck with your smartphone? Book a half-hour one-to-one with a volunteer for help with "
                      "apps, photos, WhatsApp or the NHS App."],
        eligibility="Anyone.", how="Book a slot at the library desk or by phone.",
        hours=[("WEEKLY", "SA", "10:00", "12:00")], access="appointment", areas=["didsbury"])

# ---- Hidden (not active): kept to show they never appear in results -------------------------
HIDDEN = [
    # (concept key, area, status, reason)
    ("lunch-club", "chorlton", "temporarily closed", "The kitchen is being refitted."),
    ("food-bank", "didsbury", "inactive", "Merged with the Burnage pantry."),
    ("zumba", "gorton", "temporarily closed", "The instructor is away until spring."),
    ("job-club", "mossside", "defunct", "Funding ended."),
    ("coffee-morning", "wythenshawe", "temporarily closed", "Looking for new volunteers."),
]

# Organisations shared by several services (others are made per service).
SHARED_ORGS = {
    "good-neighbours": ("Good Neighbours Manchester", "A volunteer befriending charity working across the city."),
    "talk-it-through": ("Talk It Through", "A counselling charity offering free short-term therapy."),
    "money-matters": ("Money Matters Manchester", "Independent money, debt and benefits advice."),
    "red-rose": ("Red Rose Credit Union", "A community savings and loans co-operative."),
    "keep-warm": ("Keep Warm Manchester", "An energy advice charity."),
    "shelterline": ("Shelterline Housing Advice", "Independent housing advice for tenants."),
    "housing-options": ("Citywide Housing Options", "The city's homelessness prevention and housing service."),
    "harbour": ("Harbour Homelessness Trust", "Night shelter and support for people sleeping rough."),
    "carers-network": ("Manchester Carers Network", "Support for unpaid carers of all ages."),
    "working-futures": ("Working Futures", "Employment and skills support."),
    "volunteer-centre": ("Manchester Volunteer Centre", "Connecting volunteers with local groups."),
    "later-life": ("Later Life Manchester", "Advice and activities for older people."),
    "disability-rights": ("Disability Rights North", "A disabled people's organisation."),
    "healthy-you": ("Healthy You Community Health Team", "Community health checks and advice."),
    "safe-haven": ("Safe Haven Trust", "Out-of-hours crisis support."),
    "laczy-nas": ("Stowarzyszenie Łączy Nas", "A Polish community association. Stowarzyszenie polskiej społeczności."),
}

ORG_ABOUT = ["A residents' charity running groups and activities in {place}.",
             "A small local charity based in {place}, run mostly by volunteers.",
             "A community organisation working with people of all ages in {place}.",
             "A neighbourhood charity that started as a tenants' group in {place}."]

LOCAL_ORG_STYLES = ["{place} Community Trust", "{place} Neighbours", "Friends of {place}",
                    "{place} Community Association", "{place} Together", "{place} Partnership"]

ACCESS_MAP = {"drop-in": "drop-in", "appointment": "appointment", "referral": "referral",
              "membership": "membership"}

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def slug(text):
    text = text.lower().replace("&", "and")
    text = re.sub(r"[łŁ]", "l", text)
    text = re.sub(r"[ąĄ]", "a", text)
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


class Numbers:
    """Hands out phone numbers from Ofcom's drama ranges, never the same twice."""

    def __init__(self, rng):
        self.landlines = [f"0161 496 0{n:03d}" for n in range(1000)]
        self.mobiles = [f"07700 900{n:03d}" for n in range(1000)]
        rng.shuffle(self.landlines)
        rng.shuffle(self.mobiles)

    def landline(self):
        return self.landlines.pop()

    def mobile(self):
        return self.mobiles.pop()


def shift_days(byday, steps):
    """Moves plain weekly days along by `steps` (so groups in different areas meet on different days)."""
    out = []
    for part in byday.split(","):
        if part in DAYS:
            out.append(DAYS[(DAYS.index(part) + steps) % 5] if DAYS.index(part) < 5 else part)
        else:
            out.append(part)
    return ",".join(sorted(dict.fromkeys(out), key=lambda day: DAYS.index(day[-2:])))


def schedules_for(concept_fields, index):
    result = []
    for entry in concept_fields["hours"]:
        freq, byday, opens, closes = entry[:4]
        extra = entry[4] if len(entry) > 4 else {}
        if concept_fields.get("shift") and freq == "WEEKLY" and byday:
            byday = shift_days(byday, index)
        schedule = {"freq": freq, "opens_at": opens, "closes_at": closes}
        if byday:
            schedule["byday"] = byday
        for key in ("valid_from", "valid_to", "description"):
            if key in extra:
                schedule[key] = extra[key]
        result.append(schedule)
    return result


def build():
    rng = random.Random(20261101)
    numbers = Numbers(rng)
    organisations = {}
    locations = []
    services = []
    used_descriptions = set()
    area_by_short = {a["short"]: a for a in AREAS}
    building_use = {a["short"]: 0 for a in AREAS}

    def organisation(key, area, place):
        if key in SHARED_ORGS:
            oid = "org-" + key
            if oid not in organisations:
                name, about = SHARED_ORGS[key]
                domain = slug(name) + ".example"
                organisations[oid] = {"id": oid, "name": name, "description": about,
                                      "website": "https://" + domain, "email": "hello@" + domain}
            return organisations[oid]
        # A local organisation per area, reused by that area's services of the same style.
        style = LOCAL_ORG_STYLES[(len(key) + AREAS.index(area)) % len(LOCAL_ORG_STYLES)]
        name = style.format(place=area["places"][0])
        oid = "org-" + slug(name)
        if oid not in organisations:
            domain = slug(name) + ".example"
            about = ORG_ABOUT[len(organisations) % len(ORG_ABOUT)].format(place=area["places"][0])
            organisations[oid] = {"id": oid, "name": name, "description": about,
                                  "website": "https://" + domain, "email": "info@" + domain}
        return organisations[oid]

    venues = {}

    def location(area):
        # Each area has a few buildings; services take turns, so busy venues host several.
        n = building_use[area["short"]]
        building_use[area["short"]] += 1
        slot = n % len(area["buildings"])
        building = area["buildings"][slot]
        key = (area["short"], slot)
        if key not in venues:
            street = area["streets"][slot % len(area["streets"])]
            postcode = area["postcodes"][slot % len(area["postcodes"])]
            inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
            name = building[4].upper() + building[5:] if building.startswith("the ") else building
            venues[key] = {
                "id": f"loc-{area['short']}-{slot + 1}",
                "name": name,
                "location_type": "physical",
                "addresses": [{"address_1": f"{rng.randint(2, 180)} {street}",
                               "address_2": area["places"][slot % len(area["places"])],
                               "city": "Manchester", "postal_code": f"{postcode} {inward}", "country": "GB",
                               "address_type": "physical"}],
                "accessibility": [{"description": d} for d in
                                  ACCESS_STATEMENTS[(slot * 3 + len(area["short"])) % len(ACCESS_STATEMENTS)]],
                "transportation": area["buses"] + ".",
                "latitude": round(53.40 + rng.random() * 0.14, 5),
                "longitude": round(-2.30 + rng.random() * 0.15, 5),
            }
            locations.append(venues[key])
        return venues[key], building

    def pick_description(fields, index, place, venue):
        variants = fields["descriptions"]
        for offset in range(len(variants)):
            text = variants[(index + offset) % len(variants)].format(place=place, venue=venue)
            if text not in used_descriptions:
                return text
        # Every variant already used: add where it is, which makes it this service's own.
        return variants[index % len(variants)].format(place=place, venue=venue) + f" Based at {venue} in {place}."

    def add_service(fields, index, area, status="active", status_note=""):
        place = area["places"][index % len(area["places"])] if area else "Manchester"
        if area:
            loc, building = location(area)
            venue = building
        else:
            loc, venue = None, "our office"
        names = fields["names"]
        name = names[index % len(names)].format(place=place, venue=venue)
        pattern = names[index % len(names)]
        if area and len(fields.get("areas", [])) > 1 and "{place}" not in pattern and "{venue}" not in pattern:
            name = f"{name} – {place}"
        org = organisation(fields.get("org", fields["key"]), area or AREAS[index % len(AREAS)], place)
        description = pick_description(fields, index, place, venue)
        if status_note:
            description = description + " " + status_note
        used_descriptions.add(description)
        sid = f"svc-{fields['key']}-{area['short'] if area else 'city'}"
        if any(s["id"] == sid for s in services):
            sid += f"-{index}"
        domain = org["website"].split("//", 1)[1]
        service = {
            "id": sid,
            "organization_id": org["id"],
            "name": name,
            "description": description,
            "url": f"https://{domain}/{slug(name)}",
            "email": f"{slug(fields['key'])}@{domain}",
            "status": status,
            "eligibility_description": fields["eligibility"],
            "application_process": fields["how"].format(place=place, venue=venue),
            "assured_date": f"2026-{1 + (index * 3 + len(fields['key'])) % 10:02d}-{1 + (index * 7 + len(name)) % 28:02d}",
            "attending_type": fields.get("attend", ["venue"]),
            "attending_access": ACCESS_MAP[fields["access"]],
            "phones": [{"number": numbers.landline(), "description": "Main number"}],
            "schedules": [] if not area else [],
            "service_areas": [{"name": area["name"], "extent_type": "neighbourhood"}] if area else [dict(CITY)],
            "languages": [{"code": "en"}],
            "cost_options": [],
            "attributes": [{"taxonomy_term_id": "need-" + code} for code in fields["needs"]],
        }
        if "min_age" in fields:
            service["minimum_age"] = fields["min_age"]
        if "max_age" in fields:
            service["maximum_age"] = fields["max_age"]
        if "fees" in fields:
            service["fees_description"] = fields["fees"]
        if fields.get("cost"):
            service["cost_options"] = [{"option": "Charge", "amount_description": fields["cost"]}]
            amount = re.search(r"£(\d+(?:\.\d\d)?)", fields["cost"])
            if amount:
                service["cost_options"][0]["amount"] = float(amount.group(1))
                service["cost_options"][0]["currency"] = "GBP"
        else:
            service["cost_options"] = [{"option": "Free", "amount": 0, "currency": "GBP"}]
        if index % 4 == 1:
            service["phones"].append({"number": numbers.mobile(), "description": "Text or WhatsApp"})
        languages = list(fields.get("languages", []))
        if area:
            local = LANGUAGE_MIX[area["short"]]
            if index % 3 == 0:
                languages.append(local[index % len(local)])
        for code in languages:
            if {"code": code} not in service["languages"]:
                service["languages"].append({"code": code})
        hours = schedules_for(fields, index)
        if loc is not None:
            service["service_at_locations"] = [{"location_id": loc["id"], "schedules": hours}]
        else:
            service["schedules"] = hours
        if not service["schedules"]:
            del service["schedules"]
        if fields.get("accepts") is False:
            service["x_accepts_referrals"] = False
        services.append(service)

    for fields in C:
        if fields.get("city"):
            add_service(fields, 0, None)
        for index, short in enumerate(fields.get("areas", [])):
            add_service(fields, index, area_by_short[short])
    by_key = {fields["key"]: fields for fields in C}
    for key, short, status, note in HIDDEN:
        add_service(by_key[key], 7, area_by_short[short], status=status, status_note=note)

    terms = [{"id": "need-" + code, "code": code, "name": name, "description": description,
              "taxonomy": "signpost-needs", "keywords": keywords, **({"term_uri": uri} if uri else {})}
             for code, name, description, uri, keywords in NEEDS]
    return {
        "directory_version": VERSION,
        "publisher": "Signpost demo data (fictional)",
        "taxonomy_terms": terms,
        "organizations": sorted(organisations.values(), key=lambda o: o["id"]),
        "locations": locations,
        "services": services,
    }


def render():
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    text = render()
    data = json.loads(text)
    active = sum(1 for s in data["services"] if s["status"] == "active")
    if args.check:
        if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
            print(f"{args.output} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output.name} is up to date ({active} active services)")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(data['services'])} services, {active} active, "
          f"{len(data['organizations'])} organisations, {len(data['locations'])} locations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
