#include "script_directory.h"

#include <array>
#include <cstdint>
#include <map>

namespace signpost::bench {

namespace {

struct Translation {
    std::string_view english;
    std::string_view chinese;
    std::string_view arabic;
};

// The words residents search for (search_bench's queries) and the commonest of the synthetic
// data's own, in both scripts.
constexpr std::array<Translation, 96> kDictionary = {{
    {"food", "食物", "طعام"},
    {"bank", "银行", "بنك"},
    {"foodbank", "食物银行", "بنكطعام"},
    {"lonely", "孤独", "وحيد"},
    {"loneliness", "孤独感", "الوحدة"},
    {"debt", "债务", "ديون"},
    {"debts", "欠债", "الديون"},
    {"advice", "咨询", "استشارة"},
    {"carers", "照顾者", "مقدمي"},
    {"carer", "照顾人", "مقدم"},
    {"mental", "心理", "النفسية"},
    {"health", "健康", "الصحة"},
    {"english", "英语", "الإنجليزية"},
    {"classes", "课程", "دروس"},
    {"zumba", "尊巴", "زومبا"},
    {"moss", "莫斯", "موس"},
    {"side", "赛德", "سايد"},
    {"housing", "住房", "السكن"},
    {"gp", "家医", "طبيب"},
    {"registration", "注册", "تسجيل"},
    {"universal", "统一", "الشامل"},
    {"credit", "福利金", "الائتمان"},
    {"walking", "散步", "المشي"},
    {"group", "小组", "مجموعة"},
    {"parent", "家长", "الوالدين"},
    {"toddler", "幼儿", "الأطفال"},
    {"dementia", "失智", "الخرف"},
    {"job", "求职", "وظيفة"},
    {"club", "俱乐部", "نادي"},
    {"computer", "电脑", "الحاسوب"},
    {"help", "帮助", "مساعدة"},
    {"night", "夜间", "ليلي"},
    {"shelter", "庇护所", "ملجأ"},
    {"wheelchair", "轮椅", "كرسي"},
    {"polish", "波兰", "البولندية"},
    {"café", "咖啡馆", "مقهى"},
    {"cafe", "咖啡馆", "مقهى"},
    {"levenshulme", "利文斯", "ليفنشولم"},
    {"anxiety", "焦虑", "القلق"},
    {"support", "支援", "دعم"},
    {"community", "社区", "المجتمع"},
    {"centre", "中心", "مركز"},
    {"free", "免费", "مجاني"},
    {"friendship", "友谊", "صداقة"},
    {"lunch", "午餐", "غداء"},
    {"coffee", "咖啡", "قهوة"},
    {"morning", "早上", "صباح"},
    {"social", "社交", "اجتماعي"},
    {"service", "服务", "خدمة"},
    {"people", "人们", "الناس"},
    {"family", "家庭", "عائلة"},
    {"families", "家庭", "العائلات"},
    {"children", "儿童", "الأطفال"},
    {"older", "老年", "كبار"},
    {"disability", "残障", "الإعاقة"},
    {"meals", "餐食", "وجبات"},
    {"hot", "热", "ساخنة"},
    {"volunteers", "义工", "متطوعون"},
    {"volunteer", "义工", "متطوع"},
    {"training", "培训", "تدريب"},
    {"skills", "技能", "مهارات"},
    {"work", "工作", "عمل"},
    {"money", "钱", "المال"},
    {"bills", "账单", "الفواتير"},
    {"benefits", "福利", "الإعانات"},
    {"homeless", "无家可归", "مشرد"},
    {"week", "星期", "أسبوع"},
    {"weekly", "每周", "أسبوعي"},
    {"session", "活动", "جلسة"},
    {"sessions", "活动", "جلسات"},
    {"friendly", "友好", "ودود"},
    {"chat", "聊天", "دردشة"},
    {"tea", "茶", "شاي"},
    {"hall", "礼堂", "قاعة"},
    {"church", "教堂", "كنيسة"},
    {"library", "图书馆", "مكتبة"},
    {"phone", "电话", "هاتف"},
    {"online", "网上", "عبر"},
    {"anyone", "任何人", "أي"},
    {"welcome", "欢迎", "مرحبا"},
    {"drop", "随到", "بدون"},
    {"appointment", "预约", "موعد"},
    {"referral", "转介", "إحالة"},
    {"local", "本地", "محلي"},
    {"space", "空间", "مساحة"},
    {"meet", "认识", "لقاء"},
    {"park", "公园", "حديقة"},
    {"exercise", "运动", "تمارين"},
    {"gentle", "轻松", "خفيفة"},
    {"class", "课", "درس"},
    {"parents", "父母", "الآباء"},
    {"babies", "婴儿", "الرضع"},
    {"young", "年轻", "الشباب"},
    {"counselling", "辅导", "إرشاد"},
    {"talking", "谈心", "التحدث"},
    {"stress", "压力", "التوتر"},
}};

// Made-up words for everything else: common Han characters, and Arabic letters.
constexpr std::array<std::string_view, 64> kHan = {
    "安", "平", "和", "乐", "明", "光", "新", "生", "华", "美", "文", "学", "东", "西", "南", "北",
    "春", "夏", "秋", "冬", "山", "水", "林", "海", "云", "天", "金", "木", "土", "石", "田", "花",
    "长", "远", "青", "白", "红", "绿", "江", "河", "湖", "桥", "路", "街", "门", "城", "园", "宁",
    "德", "信", "仁", "义", "礼", "智", "恩", "福", "康", "泰", "盛", "兴", "隆", "昌", "荣", "达"};
constexpr std::array<std::string_view, 28> kArabicLetters = {
    "ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص",
    "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي"};
constexpr std::array<std::string_view, 4> kHarakat = {"\u064E", "\u064F", "\u0650", "\u0652"};

std::uint64_t hashOf(std::string_view word) {
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
    for (const char c : word) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return hash;
}

std::string lowered(std::string_view word) {
    std::string result(word);
    for (char& c : result) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return result;
}

const std::map<std::string, const Translation*, std::less<>>& dictionary() {
    static const auto map = [] {
        std::map<std::string, const Translation*, std::less<>> byWord;
        for (const Translation& entry : kDictionary) {
            byWord.emplace(std::string(entry.english), &entry);
        }
        return byWord;
    }();
    return map;
}

std::string wordInScript(std::string_view english, Script script) {
    const std::string key = lowered(english);
    const auto& known = dictionary();
    const auto found = known.find(key);
    std::uint64_t hash = hashOf(key);
    if (script == Script::Chinese) {
        if (found != known.end()) {
            return std::string(found->second->chinese);
        }
        return std::string(kHan[hash % kHan.size()]) + std::string(kHan[(hash >> 8) % kHan.size()]);
    }
    std::string word;
    if (found != known.end()) {
        word = std::string(found->second->arabic);
    } else {
        const std::size_t letters = 3 + (hash >> 16) % 4;
        for (std::size_t i = 0; i < letters; ++i) {
            word += kArabicLetters[(hash >> (i * 5)) % kArabicLetters.size()];
        }
    }
    if ((hash >> 40) % 8 == 0) {
        // Harakat after the first letter (2 bytes): folding must take them away again.
        word.insert(2, kHarakat[(hash >> 44) % kHarakat.size()]);
    }
    return word;
}

bool isWordByte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || byte >= 0x80 || c == '\'';
}

}  // namespace

std::string_view scriptName(Script script) {
    switch (script) {
        case Script::Latin:
            return "latin";
        case Script::Chinese:
            return "chinese";
        case Script::Arabic:
            return "arabic";
    }
    return "latin";
}

std::string inScript(std::string_view english, Script script) {
    if (script == Script::Latin) {
        return std::string(english);
    }
    std::string out;
    std::size_t at = 0;
    while (at < english.size()) {
        if (isWordByte(english[at])) {
            std::size_t end = at;
            while (end < english.size() && isWordByte(english[end])) {
                ++end;
            }
            out += wordInScript(english.substr(at, end - at), script);
            at = end;
            continue;
        }
        const char c = english[at++];
        if (script == Script::Chinese) {
            // No spaces between words; Chinese punctuation.
            if (c == ' ') {
                continue;
            }
            out += c == '.' ? "。" : c == ',' ? "，" : c == '&' ? "和" : std::string(1, c);
        } else {
            out += c == ',' ? "،" : std::string(1, c);
        }
    }
    return out;
}

DirectoryData rewriteInScript(DirectoryData data, Script script) {
    if (script == Script::Latin) {
        return data;
    }
    for (TaxonomyTerm& term : data.taxonomyTerms) {
        term.name = inScript(term.name, script);
        term.description = inScript(term.description, script);
        for (std::string& keyword : term.keywords) {
            keyword = inScript(keyword, script);
        }
    }
    for (Organisation& organisation : data.organisations) {
        organisation.name = inScript(organisation.name, script);
        organisation.description = inScript(organisation.description, script);
    }
    for (Location& location : data.locations) {
        location.name = inScript(location.name, script);
        location.address.line1 = inScript(location.address.line1, script);
        location.address.line2 = inScript(location.address.line2, script);
    }
    for (Service& service : data.services) {
        service.name = inScript(service.name, script);
        service.description = inScript(service.description, script);
        service.eligibility = inScript(service.eligibility, script);
        service.applicationProcess = inScript(service.applicationProcess, script);
        service.costDescription = inScript(service.costDescription, script);
    }
    return data;
}

}  // namespace signpost::bench
