#include "text/text_layout.h"

#include <hb.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/common/utf8.h"

namespace signpost::text {

namespace {

// Noto Sans's ascent + descent (1069 + 293 per 1000): used when no base font opens at all.
constexpr float kDefaultBoxEm = 1.362f;

bool isMark(UChar32 cp) {
    return (U_GET_GC_MASK(cp) & U_GC_M_MASK) != 0;
}

bool isIgnorable(UChar32 cp) {
    return u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0 ||
           u_hasBinaryProperty(cp, UCHAR_VARIATION_SELECTOR) != 0;
}

bool isSpace(UChar c) {
    return c == u' ' || c == 0x3000 || c == u'\t' || c == u'\r' || c == 0x00A0 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x205F;
}

bool neutralScript(UScriptCode script) {
    return script == USCRIPT_COMMON || script == USCRIPT_INHERITED ||
           script == USCRIPT_INVALID_CODE;
}

// UBA paragraph level as the header says: strong characters outside isolates decide.
UBiDiLevel paragraphLevel(const std::u16string& text, Direction direction, bool uiRtl) {
    if (direction == Direction::Ltr) {
        return 0;
    }
    if (direction == Direction::Rtl) {
        return 1;
    }
    bool hasLtr = false;
    bool hasRtl = false;
    int depth = 0;
    for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
        UChar32 cp = 0;
        U16_NEXT(text.data(), i, static_cast<int32_t>(text.size()), cp);
        switch (u_charDirection(cp)) {
            case U_FIRST_STRONG_ISOLATE:
            case U_LEFT_TO_RIGHT_ISOLATE:
            case U_RIGHT_TO_LEFT_ISOLATE:
                ++depth;
                break;
            case U_POP_DIRECTIONAL_ISOLATE:
                if (depth > 0) {
                    --depth;
                }
                break;
            case U_LEFT_TO_RIGHT:
                hasLtr = hasLtr || depth == 0;
                break;
            case U_RIGHT_TO_LEFT:
            case U_RIGHT_TO_LEFT_ARABIC:
                hasRtl = hasRtl || depth == 0;
                break;
            default:
                break;
        }
    }
    if (!hasLtr && !hasRtl) {
        return 0;  // only digits and punctuation: a phone number, a time, a date — read as such
    }
    if (uiRtl) {
        return hasRtl ? 1 : 0;
    }
    return hasLtr ? 0 : 1;
}

}  // namespace

bool TextLayout::forcedBreak() const noexcept {
    return std::any_of(lines.begin(), lines.end(), [](const Line& l) { return l.forcedBreak; });
}

struct TextShaper::Item {
    int32_t begin = 0;  // UTF-16 units in the paragraph
    int32_t end = 0;
    UBiDiLevel level = 0;
    UScriptCode script = USCRIPT_COMMON;
    FaceId face = kNoFace;
    float em = 0;
    struct Shaped {
        std::uint32_t id;
        int32_t cluster;
        float advance;
        float xOffset;
        float yOffset;
    };
    std::vector<Shaped> glyphs;  // visual order within the item
};

TextShaper::TextShaper(FontLibrary& fonts) : m_fonts(fonts) {
    m_bidi = ubidi_open();
    m_buffer = hb_buffer_create();
    if (m_bidi == nullptr || !hb_buffer_allocation_successful(m_buffer)) {
        throw std::runtime_error("text shaper: out of memory");
    }
}

TextShaper::~TextShaper() {
    ubidi_close(m_bidi);
    hb_buffer_destroy(m_buffer);
}

icu::BreakIterator* TextShaper::breaker(std::string_view language, bool lines) {
    auto& cache = lines ? m_lineBreakers : m_charBreakers;
    if (const auto found = cache.find(language); found != cache.end()) {
        return found->second.get();
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
    status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        lines ? icu::BreakIterator::createLineInstance(locale, status)
              : icu::BreakIterator::createCharacterInstance(locale, status));
    if (U_FAILURE(status) || !iterator) {
        throw std::runtime_error(std::string("ICU break iterator: ") + u_errorName(status));
    }
    return cache.emplace(std::string(language), std::move(iterator)).first->second.get();
}

float TextShaper::emFor(float size) {
    const FaceId base = m_fonts.baseFace(Weight::Regular);
    const float box =
        base == kNoFace ? kDefaultBoxEm : m_fonts.info(base).ascent + m_fonts.info(base).descent;
    return size / std::max(box, 0.5f);
}

std::pair<float, float> TextShaper::languageBox(std::string_view language, Weight weight,
                                                float size) {
    const auto key = std::make_pair(std::string(language), weight);
    auto found = m_boxes.find(key);
    if (found == m_boxes.end()) {
        float ascent = 0;
        float descent = 0;
        for (std::size_t family : m_fonts.familiesForLanguage(language)) {
            const FaceId face = m_fonts.face(family, weight);
            if (face != kNoFace) {
                const FaceInfo& info = m_fonts.info(face);
                ascent = std::max(ascent, info.ascent * info.scale);
                descent = std::max(descent, info.descent * info.scale);
            }
        }
        if (ascent + descent <= 0) {
            ascent = 1.069f;
            descent = 0.293f;
        }
        found = m_boxes.emplace(key, std::make_pair(ascent, descent)).first;
    }
    const float em = emFor(size);
    return {found->second.first * em, found->second.second * em};
}

TextLayout TextShaper::layout(std::string_view text, const LayoutParams& params) {
    TextLayout out;
    std::size_t start = 0;
    while (true) {
        const std::size_t newline = text.find('\n', start);
        const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
        layoutParagraph(text, start, end, params, out);
        if (newline == std::string_view::npos) {
            break;
        }
        start = newline + 1;
    }
    for (const Line& line : out.lines) {
        out.width = std::max(out.width, line.width);
    }
    return out;
}

void TextShaper::layoutParagraph(std::string_view text, std::size_t begin, std::size_t end,
                                 const LayoutParams& params, TextLayout& out) {
    // UTF-16 for ICU and HarfBuzz, with each unit's byte offset in `text`.
    std::u16string u16;
    std::vector<std::uint32_t> byteOf;
    u16.reserve(end - begin);
    byteOf.reserve(end - begin + 1);
    for (std::size_t at = begin; at < end;) {
        const std::size_t here = at;
        char32_t cp = utf8::next(text.substr(0, end), at);
        if (cp == U'\r') {
            cp = U' ';
        }
        if (cp > 0xFFFF) {
            u16.push_back(static_cast<char16_t>(U16_LEAD(cp)));
            u16.push_back(static_cast<char16_t>(U16_TRAIL(cp)));
            byteOf.push_back(static_cast<std::uint32_t>(here));
            byteOf.push_back(static_cast<std::uint32_t>(here));
        } else {
            u16.push_back(static_cast<char16_t>(cp));
            byteOf.push_back(static_cast<std::uint32_t>(here));
        }
    }
    byteOf.push_back(static_cast<std::uint32_t>(end));
    const auto n = static_cast<int32_t>(u16.size());
    const UChar* units = reinterpret_cast<const UChar*>(u16.data());

    const auto [boxAscent, boxDescent] = languageBox(params.language, params.weight, params.size);
    const float em = emFor(params.size);
    const UBiDiLevel level = paragraphLevel(u16, params.direction, params.uiRtl);
    if (n == 0) {
        Line line;
        line.begin = line.end = begin;
        line.ascent = boxAscent;
        line.descent = boxDescent;
        line.rtl = level == 1;
        out.lines.push_back(std::move(line));
        return;
    }

    // 1. Bidirectional levels, computed on a copy in which numbers hold together: a space
    // between two digits is taken as a no-break space (a common separator, UAX #9 W4) and a "+"
    // before a digit as a digit, so "116 123", "0161 496 0000" and "+44 161" written straight
    // into an Arabic or Urdu sentence read left to right, in their own order, as people read
    // phone numbers. Shaping and line breaking use the text as it is.
    std::u16string forBidi = u16;
    auto isDigit = [&](int32_t i) {
        if (i < 0 || i >= n) {
            return false;
        }
        const UCharDirection d = u_charDirection(forBidi[static_cast<std::size_t>(i)]);
        return d == U_EUROPEAN_NUMBER || d == U_ARABIC_NUMBER;
    };
    for (int32_t i = 0; i < n; ++i) {
        const char16_t c = forBidi[static_cast<std::size_t>(i)];
        if ((c == u' ' || c == 0x00A0) && isDigit(i - 1) && isDigit(i + 1)) {
            forBidi[static_cast<std::size_t>(i)] = 0x00A0;
        } else if (c == u'+' && isDigit(i + 1) && !isDigit(i - 1)) {
            forBidi[static_cast<std::size_t>(i)] = u'0';
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    ubidi_setPara(m_bidi, reinterpret_cast<const UChar*>(forBidi.data()), n, level, nullptr,
                  &status);
    const bool bidiOk = U_SUCCESS(status);

    // 2. Items: one bidi level, one script, one face.
    std::vector<Item> items;
    for (int32_t pos = 0; pos < n;) {
        int32_t limit = n;
        UBiDiLevel runLevel = level;
        if (bidiOk) {
            ubidi_getLogicalRun(m_bidi, pos, &limit, &runLevel);
        }
        // The first real script in the run decides what its leading neutrals belong to.
        UScriptCode script = USCRIPT_COMMON;
        for (int32_t i = pos; i < limit && neutralScript(script);) {
            UChar32 cp = 0;
            U16_NEXT(units, i, limit, cp);
            UErrorCode e = U_ZERO_ERROR;
            script = uscript_getScript(cp, &e);
        }
        if (neutralScript(script)) {
            script = USCRIPT_COMMON;
        }
        Item item;
        for (int32_t i = pos; i < limit;) {
            const int32_t at = i;
            UChar32 cp = 0;
            U16_NEXT(units, i, limit, cp);
            UErrorCode e = U_ZERO_ERROR;
            const UScriptCode own = uscript_getScript(cp, &e);
            if (!neutralScript(own)) {
                script = own;
            }
            FaceId face = item.face;
            const bool follows = isMark(cp) || isIgnorable(cp) || cp == 0x200D || cp == 0x200C;
            if (face == kNoFace || !(follows || (neutralScript(own) && m_fonts.covers(face, cp)))) {
                face = m_fonts.faceFor(static_cast<char32_t>(cp), script, params.language,
                                       params.weight);
                if (face == kNoFace) {
                    face = item.face != kNoFace ? item.face : m_fonts.baseFace(params.weight);
                }
            }
            if (item.end > item.begin && (face != item.face || script != item.script)) {
                items.push_back(std::move(item));
                item = Item{};
            }
            if (item.end == item.begin) {
                item.begin = at;
                item.level = runLevel;
                item.script = script;
                item.face = face;
            }
            item.end = i;
        }
        if (item.end > item.begin) {
            items.push_back(std::move(item));
        }
        pos = limit;
    }

    // 3. Shaping, and each character's share of the advance (for line breaking).
    std::vector<float> advanceAt(static_cast<std::size_t>(n) + 1, 0.0f);
    for (Item& item : items) {
        if (item.face == kNoFace) {
            continue;  // no font at all: nothing to shape (reported as missing below)
        }
        const FaceInfo& info = m_fonts.info(item.face);
        item.em = em * info.scale;
        hb_font_t* font = m_fonts.hbFont(item.face);
        const int scale = static_cast<int>(std::lround(item.em * 64));
        hb_font_set_scale(font, scale, scale);
        hb_buffer_clear_contents(m_buffer);
        hb_buffer_add_utf16(m_buffer, reinterpret_cast<const uint16_t*>(units), n,
                            static_cast<unsigned>(item.begin), item.end - item.begin);
        hb_buffer_set_direction(m_buffer,
                                (item.level & 1) != 0 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
        if (item.script != USCRIPT_COMMON) {
            hb_buffer_set_script(m_buffer,
                                 hb_script_from_string(uscript_getShortName(item.script), -1));
        }
        hb_buffer_set_language(m_buffer,
                               hb_language_from_string(params.language.data(),
                                                       static_cast<int>(params.language.size())));
        hb_buffer_guess_segment_properties(m_buffer);
        hb_shape(font, m_buffer, nullptr, 0);
        unsigned count = 0;
        const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(m_buffer, &count);
        const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(m_buffer, &count);
        item.glyphs.reserve(count);
        for (unsigned g = 0; g < count; ++g) {
            const float advance = static_cast<float>(positions[g].x_advance) / 64.0f;
            const auto cluster = static_cast<int32_t>(infos[g].cluster);
            item.glyphs.push_back({infos[g].codepoint, cluster, advance,
                                   static_cast<float>(positions[g].x_offset) / 64.0f,
                                   static_cast<float>(positions[g].y_offset) / 64.0f});
            advanceAt[static_cast<std::size_t>(std::clamp(cluster, 0, n - 1))] += advance;
            if (infos[g].codepoint == 0) {
                UChar32 cp = 0;
                U16_GET(units, 0, cluster, n, cp);
                if (!isIgnorable(cp) && !isSpace(static_cast<UChar>(cp)) &&
                    std::find(out.missing.begin(), out.missing.end(), static_cast<char32_t>(cp)) ==
                        out.missing.end()) {
                    out.missing.push_back(static_cast<char32_t>(cp));
                }
            }
        }
    }
    for (const Item& item : items) {
        if (item.face == kNoFace) {
            for (int32_t i = item.begin; i < item.end;) {
                UChar32 cp = 0;
                U16_NEXT(units, i, item.end, cp);
                if (!isIgnorable(cp) && !isSpace(static_cast<UChar>(cp))) {
                    out.missing.push_back(static_cast<char32_t>(cp));
                }
            }
        }
    }
    std::vector<float> prefix(static_cast<std::size_t>(n) + 1, 0.0f);
    for (int32_t i = 0; i < n; ++i) {
        prefix[static_cast<std::size_t>(i) + 1] =
            prefix[static_cast<std::size_t>(i)] + advanceAt[static_cast<std::size_t>(i)];
    }
    auto widthOf = [&](int32_t a, int32_t b) {
        return prefix[static_cast<std::size_t>(b)] - prefix[static_cast<std::size_t>(a)];
    };
    auto trimEnd = [&](int32_t a, int32_t b) {
        while (b > a && isSpace(units[b - 1])) {
            --b;
        }
        return b;
    };

    // 4. Line breaks (UAX #14), greedy.
    struct Span {
        int32_t begin;
        int32_t end;  // trailing spaces excluded
        bool forced;
    };
    std::vector<Span> spans;
    if (params.wrapWidth <= 0) {
        spans.push_back({0, trimEnd(0, n), false});
    } else {
        UText text16 = UTEXT_INITIALIZER;
        UErrorCode e = U_ZERO_ERROR;
        utext_openUChars(&text16, units, n, &e);
        icu::BreakIterator* lines = breaker(params.language, true);
        icu::BreakIterator* graphemes = breaker(params.language, false);
        lines->setText(&text16, e);
        graphemes->setText(&text16, e);
        if (U_FAILURE(e)) {
            throw std::runtime_error(std::string("ICU break iterator: ") + u_errorName(e));
        }
        const float limit = params.wrapWidth + 0.01f;
        for (int32_t from = 0, b = lines->following(0); b != icu::BreakIterator::DONE;
             from = b, b = lines->next()) {
            out.longestWord = std::max(out.longestWord, widthOf(from, trimEnd(from, b)));
        }
        int32_t lineStart = 0;
        while (lineStart < n) {
            int32_t best = -1;
            for (int32_t b = lines->following(lineStart); b != icu::BreakIterator::DONE;
                 b = lines->next()) {
                if (widthOf(lineStart, trimEnd(lineStart, b)) > limit) {
                    break;
                }
                best = b;
                const int32_t rule = lines->getRuleStatus();
                if (rule >= UBRK_LINE_HARD && rule < UBRK_LINE_HARD_LIMIT && b < n) {
                    break;  // a mandatory break (U+2028, a form feed...)
                }
            }
            bool forced = false;
            if (best < 0) {
                // Nothing fits: break the first word between grapheme clusters (at least one).
                best = graphemes->following(lineStart);
                if (best == icu::BreakIterator::DONE) {
                    best = n;
                }
                for (int32_t g = graphemes->next(); g != icu::BreakIterator::DONE;
                     g = graphemes->next()) {
                    if (widthOf(lineStart, g) > limit) {
                        break;
                    }
                    best = g;
                }
                forced = best < n && !lines->isBoundary(best);
            }
            spans.push_back({lineStart, trimEnd(lineStart, best), forced});
            lineStart = best;
        }
        utext_close(&text16);
        if (spans.empty()) {
            spans.push_back({0, 0, false});
        }
    }

    // 5. Lines: glyphs of the items on each line, the items in visual order (UAX #9 L2).
    for (const Span& span : spans) {
        Line line;
        line.begin = byteOf[static_cast<std::size_t>(span.begin)];
        line.end = byteOf[static_cast<std::size_t>(span.end)];
        line.rtl = level == 1;
        line.forcedBreak = span.forced;
        std::vector<const Item*> onLine;
        std::vector<UBiDiLevel> levels;
        for (const Item& item : items) {
            if (item.begin < span.end && item.end > span.begin) {
                onLine.push_back(&item);
                levels.push_back(item.level);
            }
        }
        std::vector<int32_t> order(onLine.size());
        if (!onLine.empty()) {
            ubidi_reorderVisual(levels.data(), static_cast<int32_t>(levels.size()), order.data());
        }
        float pen = 0;
        for (int32_t index : order) {
            const Item& item = *onLine[static_cast<std::size_t>(index)];
            bool measureInk = false;
            hb_font_t* font = nullptr;
            if (item.face != kNoFace) {
                const FaceInfo& info = m_fonts.info(item.face);
                line.ascent = std::max(line.ascent, info.ascent * item.em);
                line.descent = std::max(line.descent, info.descent * item.em);
                measureInk = info.measureInk;
                if (measureInk) {
                    font = m_fonts.hbFont(item.face);
                    const int scale = static_cast<int>(std::lround(item.em * 64));
                    hb_font_set_scale(font, scale, scale);
                }
            }
            for (const Item::Shaped& g : item.glyphs) {
                if (g.cluster < span.begin || g.cluster >= span.end) {
                    continue;
                }
                hb_glyph_extents_t extents{};
                if (measureInk && hb_font_get_glyph_extents(font, g.id, &extents)) {
                    // Nastaliq's stacked letters can rise far above the font's ascent: the line
                    // grows to hold them, rather than letting them cross into the line above.
                    const float top = static_cast<float>(extents.y_bearing) / 64.0f + g.yOffset;
                    const float bottom =
                        static_cast<float>(-(extents.y_bearing + extents.height)) / 64.0f -
                        g.yOffset;
                    line.ascent = std::max(line.ascent, top);
                    line.descent = std::max(line.descent, bottom);
                }
                line.glyphs.push_back({item.face, g.id, pen + g.xOffset, g.yOffset, g.advance,
                                       item.em, byteOf[static_cast<std::size_t>(g.cluster)]});
                pen += g.advance;
            }
        }
        line.width = pen;
        if (line.ascent + line.descent <= 0) {
            line.ascent = boxAscent;  // nothing drawn on it: the language's own line box
            line.descent = boxDescent;
        }
        out.lines.push_back(std::move(line));
    }
}

}  // namespace signpost::text
