#include "text/sentences.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <memory>
#include <string>

#include "core/common/utf8.h"

namespace signpost::text {

std::vector<std::pair<std::size_t, std::size_t>> sentenceRanges(std::string_view text,
                                                                std::string_view language) {
    std::vector<std::pair<std::size_t, std::size_t>> result;
    std::u16string units;
    std::vector<std::size_t> byteOf;
    std::vector<char32_t> codePoints;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t here = at;
        const char32_t cp = utf8::next(text, at);
        if (cp > 0xFFFF) {
            units.push_back(static_cast<char16_t>(0xD7C0 + (cp >> 10)));
            units.push_back(static_cast<char16_t>(0xDC00 | (cp & 0x3FF)));
            byteOf.push_back(here);
        } else {
            units.push_back(static_cast<char16_t>(cp));
        }
        byteOf.push_back(here);
    }
    byteOf.push_back(text.size());
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
    status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> sentences(
        icu::BreakIterator::createSentenceInstance(locale, status));
    if (U_FAILURE(status) || !sentences) {
        if (!text.empty()) {
            result.emplace_back(0, text.size());
        }
        return result;
    }
    UText utext = UTEXT_INITIALIZER;
    utext_openUChars(&utext, reinterpret_cast<const UChar*>(units.data()),
                     static_cast<int64_t>(units.size()), &status);
    sentences->setText(&utext, status);
    int32_t start = sentences->first();
    for (int32_t end = sentences->next(); end != icu::BreakIterator::DONE;
         start = end, end = sentences->next()) {
        int32_t a = start;
        int32_t b = end;
        while (a < b && u_isUWhiteSpace(units[static_cast<std::size_t>(a)])) {
            ++a;
        }
        while (b > a && u_isUWhiteSpace(units[static_cast<std::size_t>(b - 1)])) {
            --b;
        }
        bool hasLetters = false;
        for (int32_t i = a; i < b && !hasLetters; ++i) {
            hasLetters = u_isalnum(units[static_cast<std::size_t>(i)]) != 0;
        }
        if (hasLetters) {
            result.emplace_back(byteOf[static_cast<std::size_t>(a)],
                                byteOf[static_cast<std::size_t>(b)]);
        }
    }
    utext_close(&utext);
    return result;
}

}  // namespace signpost::text
