#include "core/directory/language_names.h"

#include <algorithm>

#include "core/common/text_util.h"

namespace signpost {

namespace {

struct Language {
    std::string_view code;     // what the directory stores
    std::string_view alpha3;   // ISO 639-2/T (or 639-3)
    std::string_view alpha3b;  // ISO 639-2/B where it differs, else ""
    std::string_view name;     // English name
    std::string_view other;    // another name people write, or ""
};

// Manchester's most spoken languages (2021 census) first, then others a feed may use.
constexpr Language kLanguages[] = {
    {"en", "eng", "", "English", ""},
    {"ur", "urd", "", "Urdu", ""},
    {"ar", "ara", "", "Arabic", ""},
    {"pl", "pol", "", "Polish", "Polski"},
    {"pa", "pan", "", "Punjabi", "Panjabi"},
    {"bn", "ben", "", "Bengali", "Bangla"},
    {"zh", "zho", "chi", "Chinese", ""},
    {"yue", "yue", "", "Cantonese", ""},
    {"cmn", "cmn", "", "Mandarin", "Mandarin Chinese"},
    {"so", "som", "", "Somali", ""},
    {"ro", "ron", "rum", "Romanian", ""},
    {"ku", "kur", "", "Kurdish", ""},
    {"ckb", "ckb", "", "Sorani", "Central Kurdish"},
    {"kmr", "kmr", "", "Kurmanji", "Northern Kurdish"},
    {"fa", "fas", "per", "Persian", "Farsi"},
    {"prs", "prs", "", "Dari", ""},
    {"ps", "pus", "", "Pashto", "Pushto"},
    {"ti", "tir", "", "Tigrinya", ""},
    {"am", "amh", "", "Amharic", ""},
    {"om", "orm", "", "Oromo", ""},
    {"fr", "fra", "fre", "French", ""},
    {"es", "spa", "", "Spanish", ""},
    {"pt", "por", "", "Portuguese", ""},
    {"it", "ita", "", "Italian", ""},
    {"de", "deu", "ger", "German", ""},
    {"nl", "nld", "dut", "Dutch", ""},
    {"lt", "lit", "", "Lithuanian", ""},
    {"lv", "lav", "", "Latvian", ""},
    {"ru", "rus", "", "Russian", ""},
    {"uk", "ukr", "", "Ukrainian", ""},
    {"cs", "ces", "cze", "Czech", ""},
    {"sk", "slk", "slo", "Slovak", ""},
    {"hu", "hun", "", "Hungarian", ""},
    {"bg", "bul", "", "Bulgarian", ""},
    {"sq", "sqi", "alb", "Albanian", ""},
    {"tr", "tur", "", "Turkish", ""},
    {"el", "ell", "gre", "Greek", ""},
    {"he", "heb", "", "Hebrew", ""},
    {"hi", "hin", "", "Hindi", ""},
    {"gu", "guj", "", "Gujarati", ""},
    {"ta", "tam", "", "Tamil", ""},
    {"ml", "mal", "", "Malayalam", ""},
    {"te", "tel", "", "Telugu", ""},
    {"ne", "nep", "", "Nepali", "Nepalese"},
    {"si", "sin", "", "Sinhala", "Sinhalese"},
    {"vi", "vie", "", "Vietnamese", ""},
    {"th", "tha", "", "Thai", ""},
    {"tl", "tgl", "", "Tagalog", "Filipino"},
    {"ms", "msa", "may", "Malay", ""},
    {"id", "ind", "", "Indonesian", ""},
    {"ja", "jpn", "", "Japanese", ""},
    {"ko", "kor", "", "Korean", ""},
    {"sw", "swa", "", "Swahili", "Kiswahili"},
    {"yo", "yor", "", "Yoruba", ""},
    {"ig", "ibo", "", "Igbo", ""},
    {"ha", "hau", "", "Hausa", ""},
    {"sn", "sna", "", "Shona", ""},
    {"ln", "lin", "", "Lingala", ""},
    {"cy", "cym", "wel", "Welsh", "Cymraeg"},
    {"ga", "gle", "", "Irish", "Irish Gaelic"},
    {"gd", "gla", "", "Scottish Gaelic", "Gaelic"},
    {"bfi", "bfi", "", "British Sign Language", "BSL"},
    {"ase", "ase", "", "American Sign Language", "ASL"},
    {"mt", "mlt", "", "Maltese", ""},
    {"hr", "hrv", "", "Croatian", ""},
    {"sr", "srp", "", "Serbian", ""},
};

}  // namespace

std::optional<std::string> normaliseLanguageCode(std::string_view code) {
    code = trim(code);
    const bool letters =
        code.size() >= 2 && code.size() <= 3 && std::all_of(code.begin(), code.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
    if (!letters) {
        return std::nullopt;
    }
    const std::string low = asciiLower(code);
    for (const Language& language : kLanguages) {
        if (low == language.code || low == language.alpha3 ||
            (!language.alpha3b.empty() && low == language.alpha3b)) {
            return std::string(language.code);
        }
    }
    return low;
}

std::optional<std::string> languageCodeForName(std::string_view name) {
    std::string_view text = trim(name);
    // "Polish (Polski)": the part before a bracket is the English name.
    if (const std::size_t bracket = text.find('(');
        bracket != std::string_view::npos && bracket > 0) {
        text = trim(text.substr(0, bracket));
    }
    const std::string low = asciiLower(text);
    for (const Language& language : kLanguages) {
        if (low == asciiLower(language.name) ||
            (!language.other.empty() && low == asciiLower(language.other))) {
            return std::string(language.code);
        }
    }
    return std::nullopt;
}

std::string_view languageEnglishName(std::string_view code) {
    for (const Language& language : kLanguages) {
        if (code == language.code) {
            return language.name;
        }
    }
    return {};
}

}  // namespace signpost
