#include "ui/keyboard_layouts.h"

#include "text/font_library.h"

namespace signpost::ui {

namespace {

// Letters that have precomposed and decomposed forms are written as escapes, so each key is
// exactly one code point whatever an editor does to this file.
const ScriptKeyboard kLatin{"latin",
                            {"1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm-"},
                            {"ąćęłńóśźż", "áéíúñçüöä", "àèìòùâêôß", "ăîșțčšžő"},
                            true,
                            "",
                            ""};

const ScriptKeyboard kCyrillic{
    "cyrillic", {"1234567890", "йцукенгшщзхї", "фівапролджє", "ячсмитьбюґ"}, {}, true, "АБВ", ""};

const ScriptKeyboard kArabic{
    "arabic",
    {"1234567890", "ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظذ"},
    {"أإآٱ؟،؛", "\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652", "١٢٣٤٥٦٧٨٩٠"},
    false,
    "أبت",
    "أإآ"};

const ScriptKeyboard kPersian{
    "persian",
    {"1234567890", "ضصثقفغعهخحجچ", "شسیبلاتنمکگ", "ظطزرذدپوژآ"},
    {"أإؤئءة\u06C0ي", "\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652", "۱۲۳۴۵۶۷۸۹۰", "؟،؛«»"},
    false,
    "ابپ",
    "أإؤ"};

const ScriptKeyboard kUrdu{
    "urdu",
    {"ابپتٹثجچحخ", "دڈذرڑزژسشص", "ضطظعغفقکگل", "منںوہھءیے"},
    {"آأؤئ\u06C3\u06D3", "۱۲۳۴۵۶۷۸۹۰", "،؟۔؛", "\u064B\u064E\u064F\u0650\u0651\u0652\u0670"},
    false,
    "ابت",
    "آأؤ"};

const ScriptKeyboard kSorani{"sorani",
                             {"ئابپتجچحخ", "درڕزژسشعغ", "فڤقکگلڵمن", "هەوۆیێ"},
                             {"١٢٣٤٥٦٧٨٩٠", "؟،؛«»", "ءأإآ"},
                             false,
                             "ئاب",
                             "١٢٣"};

const ScriptKeyboard kBengali{
    "bengali",
    {"\u09BE\u09BF\u09C0\u09C1\u09C2\u09C3\u09C7\u09C8\u09CB\u09CC\u09CD", "কখগঘচছজঝটঠ",
     "ডঢতথদধনপফব", "ভমযরলশসহ"},
    {"অআইঈউঊঋএঐওঔ", "ঙঞণষ\u09DC\u09DD\u09DF\u09CE\u0982\u0983\u0981", "০১২৩৪৫৬৭৮৯", "।"},
    false,
    "অআক",
    "অআই"};

const ScriptKeyboard kGurmukhi{
    "gurmukhi",
    {"\u0A3E\u0A3F\u0A40\u0A41\u0A42\u0A47\u0A48\u0A4B\u0A4C\u0A70\u0A02", "ਕਖਗਘਚਛਜਝਟਠ",
     "ਡਢਣਤਥਦਧਨਪਫ", "ਬਭਮਯਰਲਵਸਹੜ"},
    {"ੳਅੲਆਇਈਉਊਏਐ", "ਓਔਙਞ\u0A71\u0A3C\u0A4D।", "੦੧੨੩੪੫੬੭੮੯", "\u0A36\u0A59\u0A5A\u0A5B\u0A5E\u0A33"},
    false,
    "ਅਆਕ",
    "ੳਅੲ"};

}  // namespace

const ScriptKeyboard& latinKeyboard() {
    return kLatin;
}

const ScriptKeyboard& scriptKeyboardFor(std::string_view language) {
    struct Entry {
        const char* language;
        const ScriptKeyboard* layout;
    };
    static const Entry table[] = {{"ar", &kArabic},  {"fa", &kPersian}, {"ur", &kUrdu},
                                  {"ckb", &kSorani}, {"bn", &kBengali}, {"pa", &kGurmukhi},
                                  {"uk", &kCyrillic}};
    for (const Entry& entry : table) {
        if (text::languageMatches(language, entry.language)) {
            return *entry.layout;
        }
    }
    return kLatin;
}

const std::vector<const ScriptKeyboard*>& allScriptKeyboards() {
    static const std::vector<const ScriptKeyboard*> all{&kLatin, &kCyrillic, &kArabic,  &kPersian,
                                                        &kUrdu,  &kSorani,   &kBengali, &kGurmukhi};
    return all;
}

}  // namespace signpost::ui
