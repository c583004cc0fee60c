// Signpost text — lays out a UTF-8 string in any script: bidirectional order (ICU's UBA),
// itemisation by script and font (fallback per character), shaping (HarfBuzz), and line breaking
// by UAX #14 (ICU's line BreakIterator: Chinese breaks between ideographs, Urdu at spaces).
//
//   TextShaper shaper(fonts);
//   TextLayout layout = shaper.layout("سلام MCR-4K7Q", {.size = 36, .wrapWidth = 600,
//                                                       .language = "ar", .uiRtl = true});
//   for (const Line& line : layout.lines) for (const Glyph& g : line.glyphs) ...
//
// Each '\n' starts a new paragraph. A paragraph's direction (Direction::Auto): in a right-to-left
// UI, right-to-left if it holds any strong right-to-left character, else left-to-right; in a
// left-to-right UI, left-to-right if it holds any strong left-to-right character; with no strong
// character at all (a phone number, a time), left to right. Characters
// inside isolates (FSI … PDI, as I18n wraps phone numbers, e-mail addresses, references and web
// addresses) do not count and keep their own direction inside (UAX #9 isolation).
//
// A line ends at the last break opportunity that fits; trailing white space hangs (is not
// counted). A word wider than the whole line is broken between grapheme clusters (never inside
// one) and the line is marked forcedBreak, which the render test reports.
//
// Sizes: `size` is the nominal height of a line of the base (Latin) family, ascent to descent,
// as Layout's font sizes are. Every family shares the base em (times its configured scale).
//
// Thread-safety: not thread-safe (reuses ICU and HarfBuzz objects); one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/font_library.h"

#include <unicode/uversion.h>

struct UBiDi;
struct hb_buffer_t;
U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace signpost::text {

enum class Direction : std::uint8_t { Auto, Ltr, Rtl };

struct Glyph {
    FaceId face = kNoFace;
    std::uint32_t id = 0;  // glyph index in `face` (0 = .notdef)
    float x = 0;           // pen position from the line's left edge, pixels
    float y = 0;           // offset above the baseline, pixels
    float advance = 0;
    float em = 0;               // the face's em in pixels (the rasterising size)
    std::uint32_t cluster = 0;  // byte offset in the text of the first character it draws
};

struct Line {
    std::size_t begin = 0;  // bytes of the text on this line (trailing spaces excluded)
    std::size_t end = 0;
    float width = 0;            // advance width, pixels
    float ascent = 0;           // line box above the baseline
    float descent = 0;          // and below it (positive)
    bool rtl = false;           // its paragraph runs right to left
    bool forcedBreak = false;   // it ends inside a word (no break opportunity fitted)
    std::vector<Glyph> glyphs;  // visual order, left to right
};

struct TextLayout {
    std::vector<Line> lines;        // at least one
    float width = 0;                // the widest line
    float longestWord = 0;          // the widest stretch with no break opportunity (when wrapped)
    std::vector<char32_t> missing;  // characters no font could draw (shown as .notdef boxes)
    bool rtl() const noexcept { return !lines.empty() && lines.front().rtl; }
    bool forcedBreak() const noexcept;
};

struct LayoutParams {
    Weight weight = Weight::Regular;
    float size = 36;                   // nominal line height of the base family, pixels
    float wrapWidth = 0;               // ≤ 0: no wrapping
    std::string_view language = "en";  // BCP 47: font choice, shaping, line-break rules
    Direction direction = Direction::Auto;
    bool uiRtl = false;  // the surrounding UI runs right to left
};

class TextShaper {
public:
    explicit TextShaper(FontLibrary& fonts);
    ~TextShaper();
    TextShaper(const TextShaper&) = delete;
    TextShaper& operator=(const TextShaper&) = delete;

    TextLayout layout(std::string_view text, const LayoutParams& params);

    // The base family's em in pixels for a nominal size.
    float emFor(float size);
    // The line box (ascent, descent) of text in `language` at nominal `size`: the base family's
    // and the language's own script family's, whichever reach further.
    std::pair<float, float> languageBox(std::string_view language, Weight weight, float size);
    FontLibrary& fonts() noexcept { return m_fonts; }

private:
    struct Item;
    void layoutParagraph(std::string_view text, std::size_t begin, std::size_t end,
                         const LayoutParams& params, TextLayout& out);
    icu::BreakIterator* breaker(std::string_view language, bool lines);

    FontLibrary& m_fonts;
    UBiDi* m_bidi = nullptr;
    hb_buffer_t* m_buffer = nullptr;
    std::map<std::string, std::unique_ptr<icu::BreakIterator>, std::less<>> m_lineBreakers;
    std::map<std::string, std::unique_ptr<icu::BreakIterator>, std::less<>> m_charBreakers;
    std::map<std::pair<std::string, Weight>, std::pair<float, float>, std::less<>> m_boxes;
};

}  // namespace signpost::text
