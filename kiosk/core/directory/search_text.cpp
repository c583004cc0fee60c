#include "core/directory/search_text.h"

#include <sqlite3.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

#include "core/common/utf8.h"
#include "core/storage/database.h"

namespace signpost {

namespace {

// Letters with no Unicode decomposition, which unicode61's remove_diacritics cannot fold.
std::string_view foldedLetter(unsigned codePoint) {
    switch (codePoint) {
        case 0x0141:
            return "L";  // Ł
        case 0x0142:
            return "l";  // ł
        case 0x00D8:
            return "O";  // Ø
        case 0x00F8:
            return "o";  // ø
        case 0x00C6:
            return "AE";  // Æ
        case 0x00E6:
            return "ae";  // æ
        case 0x0152:
            return "OE";  // Œ
        case 0x0153:
            return "oe";  // œ
        case 0x00DF:
            return "ss";  // ß
        case 0x0110:
            return "D";  // Đ
        case 0x0111:
            return "d";  // đ
        case 0x00D0:
            return "D";  // Ð
        case 0x00F0:
            return "d";  // ð
        case 0x0126:
            return "H";  // Ħ
        case 0x0127:
            return "h";  // ħ
        case 0x0131:
            return "i";  // ı (dotless i)
        case 0x013F:
            return "L";  // Ŀ
        case 0x0140:
            return "l";  // ŀ
        case 0x0166:
            return "T";  // Ŧ
        case 0x0167:
            return "t";  // ŧ
        case 0x00DE:
            return "TH";  // Þ
        case 0x00FE:
            return "th";  // þ
        case 0x014A:
            return "N";  // Ŋ
        case 0x014B:
            return "n";  // ŋ
        default:
            return {};
    }
}

// Short words people type around what they want ("I need help with debt", "potrzebuję pomocy z
// długami", "أحتاج مساعدة في"), in each of the kiosk's languages. Dropped only once finished and
// only if something else remains. Written as typed; folded (foldQueryText) before comparing.
constexpr std::array<std::string_view, 164> kStopWordsAsTyped = {
    // English
    "a", "an", "and", "any", "are", "at", "by", "can", "for", "from", "get", "help", "how", "i",
    "im", "in", "is", "it", "me", "my", "near", "need", "of", "on", "or", "please", "some", "the",
    "to", "want", "what", "where", "with", "looking",
    // Polish
    "i", "w", "z", "na", "do", "dla", "o", "od", "po", "się", "mi", "mnie", "jestem", "potrzebuję",
    "pomoc", "pomocy", "chcę", "szukam", "jak", "gdzie",
    // Romanian
    "și", "în", "la", "cu", "de", "pe", "pentru", "am", "nevoie", "ajutor", "vreau", "caut", "unde",
    "cum", "mă",
    // Ukrainian
    "і", "й", "в", "у", "з", "на", "до", "для", "мені", "я", "потрібна", "потрібно", "допомога",
    "хочу", "шукаю", "де", "як",
    // Arabic
    "في", "من", "على", "إلى", "عن", "مع", "و", "أريد", "أحتاج", "احتاج", "مساعدة", "أبحث", "ابحث",
    "أين", "كيف",
    // Persian
    "از", "به", "در", "با", "برای", "را", "می‌خواهم", "کمک", "نیاز", "دارم", "کجا", "چطور",
    // Urdu
    "کے", "کی", "کا", "میں", "اور", "سے", "کو", "مجھے", "چاہیے", "مدد", "ضرورت", "کہاں", "کیسے",
    // Kurdish (Sorani)
    "لە", "بۆ", "بە", "لەگەڵ", "یارمەتی", "پێویستم", "دەمەوێت",
    // Bengali
    "এবং", "ও", "আমার", "আমি", "সাহায্য", "দরকার", "চাই", "কোথায়",
    // Punjabi (Gurmukhi)
    "ਅਤੇ", "ਦੇ", "ਦੀ", "ਦਾ", "ਵਿੱਚ", "ਨੂੰ", "ਮੈਨੂੰ", "ਮਦਦ", "ਚਾਹੀਦੀ", "ਲੋੜ",
    // Somali
    "iyo", "ee", "ku", "ka", "u", "waxaan", "baahanahay", "caawimo", "rabaa", "xagee", "sidee"};

bool isStopWord(std::string_view word);

constexpr std::size_t kMaxTokens = 8;
constexpr std::size_t kMaxTokenBytes = 64;
constexpr std::size_t kMaxInputBytes = 512;

}  // namespace

namespace {

bool isCjk(char32_t c) {
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || c == 0x3005;
}

// Arabic-script letters the languages' keyboards write differently for the same word (see the
// header), native digits and nukta. Returns the replacement, or 0 to drop the character, or the
// character itself.
char32_t foldScriptLetter(char32_t c) {
    if ((c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
        c == 0x0640 || (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E4) ||
        c == 0x06E7 || c == 0x06E8 || (c >= 0x06EA && c <= 0x06ED) || c == 0x09BC || c == 0x0A3C) {
        return 0;  // harakat, Quranic marks, tatweel; Bengali and Gurmukhi nukta
    }
    switch (c) {
        case 0x0622:
        case 0x0623:
        case 0x0625:
        case 0x0671:
        case 0x0672:
        case 0x0673:
            return 0x0627;  // ا
        case 0x0624:
            return 0x0648;  // و
        case 0x0626:
        case 0x0649:
        case 0x06CC:
        case 0x06D0:
        case 0x06D1:
        case 0x06D2:
            return 0x064A;  // ي
        case 0x06A9:
        case 0x06AA:
        case 0x06AB:
            return 0x0643;  // ك
        case 0x0629:
        case 0x06BE:
        case 0x06C0:
        case 0x06C1:
        case 0x06C2:
        case 0x06C3:
        case 0x06D5:
            return 0x0647;  // ه
        default:
            break;
    }
    if (c >= 0x0660 && c <= 0x0669) {
        return U'0' + (c - 0x0660);
    }
    if (c >= 0x06F0 && c <= 0x06F9) {
        return U'0' + (c - 0x06F0);
    }
    if (c >= 0x09E6 && c <= 0x09EF) {
        return U'0' + (c - 0x09E6);
    }
    if (c >= 0x0A66 && c <= 0x0A6F) {
        return U'0' + (c - 0x0A66);
    }
    return c;
}

const icu::Normalizer2* caseFolder() {
    static const icu::Normalizer2* instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
        return U_SUCCESS(status) ? normalizer : nullptr;
    }();
    return instance;
}

enum class CjkForm { Bigrams, Runs };

std::string foldText(std::string_view text, CjkForm cjk) {
    std::string folded;
    if (const icu::Normalizer2* normalizer = caseFolder()) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
            icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
        normalizer->normalize(source, status).toUTF8String(folded);
        if (U_FAILURE(status)) {
            folded.assign(text);
        }
    } else {
        folded.assign(text);  // no ICU data: unicode61 still folds case and accents
    }
    std::string result;
    result.reserve(folded.size() + 8);
    std::vector<char32_t> run;  // the Chinese/Japanese characters in a row
    auto flushRun = [&] {
        if (run.empty()) {
            return;
        }
        result += ' ';
        if (cjk == CjkForm::Runs || run.size() == 1) {
            for (char32_t c : run) {
                utf8::append(result, c);
            }
        } else {
            for (std::size_t i = 0; i + 1 < run.size(); ++i) {
                utf8::append(result, run[i]);
                utf8::append(result, run[i + 1]);
                result += ' ';
            }
            utf8::append(result, run.back());
        }
        result += ' ';
        run.clear();
    };
    std::size_t at = 0;
    while (at < folded.size()) {
        const char32_t c = utf8::next(folded, at);
        if (isCjk(c)) {
            run.push_back(c);
            continue;
        }
        flushRun();
        const std::string_view latin =
            c <= 0xFFFF ? foldedLetter(static_cast<unsigned>(c)) : std::string_view();
        if (!latin.empty()) {
            result += latin;
        } else if (const char32_t mapped = foldScriptLetter(c); mapped != 0) {
            utf8::append(result, mapped);
        }
    }
    flushRun();
    return result;
}

}  // namespace

std::string foldLetters(std::string_view text) {
    return foldText(text, CjkForm::Bigrams);
}

std::string foldQueryText(std::string_view text) {
    return foldText(text, CjkForm::Runs);
}

bool isCjkToken(std::string_view token) {
    std::size_t at = 0;
    return !token.empty() && isCjk(utf8::next(token, at));
}

std::vector<std::string> cjkBigrams(std::string_view run) {
    std::vector<char32_t> characters;
    for (std::size_t at = 0; at < run.size();) {
        characters.push_back(utf8::next(run, at));
    }
    std::vector<std::string> bigrams;
    if (characters.size() == 1) {
        bigrams.emplace_back(run);
    }
    for (std::size_t i = 0; i + 1 < characters.size(); ++i) {
        std::string pair;
        utf8::append(pair, characters[i]);
        utf8::append(pair, characters[i + 1]);
        bigrams.push_back(std::move(pair));
    }
    return bigrams;
}

std::string_view codePointSuffix(std::string_view text, std::size_t count) {
    const std::size_t total = utf8::count(text);
    const std::string_view head = utf8::prefixCodePoints(text, total > count ? total - count : 0);
    return text.substr(head.size());
}

namespace {

bool isStopWord(std::string_view word) {
    static const std::vector<std::string> folded = [] {
        std::vector<std::string> words;
        for (std::string_view typed : kStopWordsAsTyped) {
            // unicode61 also strips accents from Latin letters ("się" -> "sie") but leaves other
            // scripts' letters whole ("й"): do the same so the list compares with its tokens.
            const std::string key = foldQueryText(typed);
            std::string decomposed = key;
            UErrorCode status = U_ZERO_ERROR;
            if (const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
                U_SUCCESS(status)) {
                decomposed.clear();
                nfd->normalize(icu::UnicodeString::fromUTF8(key), status).toUTF8String(decomposed);
            }
            std::string plain;
            char32_t base = 0;
            for (std::size_t at = 0; at < decomposed.size();) {
                const char32_t c = utf8::next(decomposed, at);
                const bool latinBase = base < 0x0250 || (base >= 0x1E00 && base <= 0x1EFF);
                if (c >= 0x0300 && c <= 0x036F && latinBase) {
                    continue;
                }
                base = c;
                utf8::append(plain, c);
            }
            words.push_back(plain);
        }
        std::sort(words.begin(), words.end());
        return words;
    }();
    return std::binary_search(folded.begin(), folded.end(), word);
}

}  // namespace

struct SearchTokenizer::Api {
    fts5_tokenizer methods{};
};

fts5_api* fts5ApiOf(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    if (api == nullptr || api->iVersion < 2) {
        throw StorageError("SQLite was built without FTS5", SQLITE_ERROR, SQLITE_ERROR);
    }
    return api;
}

SearchTokenizer::SearchTokenizer(sqlite3* db) {
    fts5_api* api = fts5ApiOf(db);
    auto holder = std::make_unique<Api>();
    void* context = nullptr;
    if (api->xFindTokenizer(api, "unicode61", &context, &holder->methods) != SQLITE_OK) {
        throw StorageError("FTS5 has no unicode61 tokenizer", SQLITE_ERROR, SQLITE_ERROR);
    }
    // As the index (directory_rows.cpp): marks are part of words (Bengali, Gurmukhi vowel signs).
    const char* arguments[] = {"remove_diacritics", "2", "categories", "L* N* Co M*"};
    if (holder->methods.xCreate(context, arguments, 4, &m_tokenizer) != SQLITE_OK) {
        throw StorageError("cannot create the unicode61 tokenizer", SQLITE_ERROR, SQLITE_ERROR);
    }
    m_api = holder.release();
}

SearchTokenizer::~SearchTokenizer() {
    if (m_tokenizer != nullptr) {
        m_api->methods.xDelete(m_tokenizer);
    }
    delete m_api;
}

std::vector<SearchToken> SearchTokenizer::tokens(std::string_view text) const {
    struct Collector {
        std::vector<SearchToken> tokens;
        std::vector<int> ends;
    } collector;
    const std::string folded = foldQueryText(utf8::prefixBytes(text, kMaxInputBytes));
    auto callback = [](void* context, int /*flags*/, const char* token, int length, int /*start*/,
                       int end) -> int {
        auto* into = static_cast<Collector*>(context);
        if (length > 0) {
            into->tokens.push_back({std::string(token, static_cast<std::size_t>(length)), false});
            into->ends.push_back(end);
        }
        return SQLITE_OK;
    };
    m_api->methods.xTokenize(m_tokenizer, &collector, FTS5_TOKENIZE_QUERY, folded.data(),
                             static_cast<int>(folded.size()), callback);
    for (std::size_t i = 0; i < collector.tokens.size(); ++i) {
        collector.tokens[i].finished = static_cast<std::size_t>(collector.ends[i]) < folded.size();
        collector.tokens[i].cjk = isCjkToken(collector.tokens[i].text);
    }
    // foldQueryText() puts spaces round a Chinese run, so the last token is finished only if
    // something was typed after the run.
    if (!collector.tokens.empty() && collector.tokens.back().cjk) {
        const std::string_view typed = utf8::prefixBytes(text, kMaxInputBytes);
        std::size_t end = typed.size();
        while (end > 0 &&
               (typed[end - 1] == ' ' || typed[end - 1] == '\t' || typed[end - 1] == '\n')) {
            --end;
        }
        collector.tokens.back().finished =
            end < typed.size() || !isCjkToken(codePointSuffix(typed.substr(0, end), 1));
    }
    return std::move(collector.tokens);
}

std::size_t SearchTokenizer::countTokens(std::string_view text) const {
    std::size_t count = 0;
    auto callback = [](void* context, int /*flags*/, const char* /*token*/, int length,
                       int /*start*/, int /*end*/) -> int {
        if (length > 0) {
            ++*static_cast<std::size_t*>(context);
        }
        return SQLITE_OK;
    };
    m_api->methods.xTokenize(m_tokenizer, &count, FTS5_TOKENIZE_DOCUMENT, text.data(),
                             static_cast<int>(text.size()), callback);
    return count;
}

std::string SearchTokenizer::foldedKey(std::string_view text) const {
    std::string key;
    for (const SearchToken& token : tokens(text)) {
        if (!key.empty()) {
            key += ' ';
        }
        key += token.text;
    }
    return key;
}

bool isStopWordToken(std::string_view token) {
    return isStopWord(token);
}

std::vector<SearchToken> meaningfulSearchTokens(const std::vector<SearchToken>& tokens) {
    std::vector<SearchToken> kept;
    for (const SearchToken& token : tokens) {
        if (!(token.finished && isStopWord(token.text))) {
            kept.push_back(token);
        }
    }
    if (kept.empty()) {
        kept = tokens;
    }
    // Drop repeats ("food food") and keep the query bounded whatever is pasted in.
    std::vector<SearchToken> unique;
    for (SearchToken& token : kept) {
        token.text = std::string(utf8::prefixBytes(token.text, kMaxTokenBytes));
        const auto same = [&](const SearchToken& other) { return other.text == token.text; };
        if (std::find_if(unique.begin(), unique.end(), same) == unique.end()) {
            unique.push_back(std::move(token));
        }
    }
    if (unique.size() > kMaxTokens) {
        unique.resize(kMaxTokens);
    }
    return unique;
}

std::vector<std::string> meaningfulTokens(const std::vector<SearchToken>& tokens) {
    std::vector<std::string> texts;
    for (SearchToken& token : meaningfulSearchTokens(tokens)) {
        texts.push_back(std::move(token.text));
    }
    return texts;
}

std::string phraseFor(const SearchToken& token, bool prefix) {
    std::string body;
    bool star = prefix;
    if (token.cjk) {
        const std::vector<std::string> bigrams = cjkBigrams(token.text);
        // One character: any bigram starting with it, or the run-final character. Two or more:
        // their bigrams in a row, exactly.
        star = bigrams.size() == 1 && utf8::count(bigrams[0]) == 1;
        for (const std::string& bigram : bigrams) {
            if (!body.empty()) {
                body += ' ';
            }
            body += bigram;
        }
    } else {
        body = token.text;
    }
    // A string in double quotes is never FTS5 syntax; a quote inside is doubled. (unicode61
    // treats '"' as a separator, so there is none, but the quoting must not depend on that.)
    std::string phrase = "\"";
    for (char c : body) {
        phrase += c;
        if (c == '"') {
            phrase += '"';
        }
    }
    phrase += star ? "\"*" : "\"";
    return phrase;
}

std::string buildMatchExpression(const std::vector<SearchToken>& tokens) {
    std::string expression;
    for (const SearchToken& token : meaningfulSearchTokens(tokens)) {
        if (!expression.empty()) {
            expression += ' ';
        }
        expression += phraseFor(token);
    }
    return expression;
}

int editDistance(std::string_view aText, std::string_view bText, int limit) {
    std::u32string a;
    std::u32string b;
    for (std::size_t at = 0; at < aText.size();) {
        a += utf8::next(aText, at);
    }
    for (std::size_t at = 0; at < bText.size();) {
        b += utf8::next(bText, at);
    }
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) {
        return limit + 1;
    }
    std::vector<int> before(static_cast<std::size_t>(m) + 1);
    std::vector<int> previous(static_cast<std::size_t>(m) + 1);
    std::vector<int> current(static_cast<std::size_t>(m) + 1);
    for (int j = 0; j <= m; ++j) {
        previous[static_cast<std::size_t>(j)] = j;
    }
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int rowMinimum = current[0];
        for (int j = 1; j <= m; ++j) {
            const auto uj = static_cast<std::size_t>(j);
            const int cost = a[static_cast<std::size_t>(i - 1)] == b[uj - 1] ? 0 : 1;
            int value = std::min({previous[uj] + 1, current[uj - 1] + 1, previous[uj - 1] + cost});
            if (i > 1 && j > 1 && a[static_cast<std::size_t>(i - 1)] == b[uj - 2] &&
                a[static_cast<std::size_t>(i - 2)] == b[uj - 1]) {
                value = std::min(value, before[uj - 2] + 1);
            }
            current[uj] = value;
            rowMinimum = std::min(rowMinimum, value);
        }
        if (rowMinimum > limit) {
            return limit + 1;
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[static_cast<std::size_t>(m)], limit + 1);
}

}  // namespace signpost
