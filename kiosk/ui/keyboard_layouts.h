// Signpost UI — the letters of each script's on-screen keyboard (the Text layout).
//
// A script layout has a letters page and a second page ("more": the accented Latin letters, or a
// script's independent vowels, rarer letters and its digits), each at most four rows; the rows
// are listed left to right as they appear (right-to-left scripts too: the keyboard is never
// mirrored, as no phone mirrors its keyboard). Latin is always one key away, for names and
// e-mail addresses.
//
// Which layout: by the UI language — Arabic (ar: the standard Arabic keyboard), Persian (fa:
// ISIRI 9147's letter rows), Urdu (ur) and Kurdish Sorani (ckb) in alphabetical order (their
// phone keyboards differ from maker to maker; the alphabet is what everyone learnt), Bengali (bn)
// and Gurmukhi (pa) with the vowel signs on the first row (needed in nearly every word), Ukrainian
// (uk: ЙЦУКЕН with ї є і ґ), and Latin for the rest (its second page has Polish, Romanian
// ă â î ș ț and Western European letters; Somali needs only the apostrophe, on the first page).
// Thread-safety: immutable data.
#pragma once

#include <string_view>
#include <vector>

namespace signpost::ui {

struct ScriptKeyboard {
    const char* name;                       // "latin", "arabic", ...
    std::vector<std::string_view> letters;  // rows of the letters page
    std::vector<std::string_view> more;     // rows of the second page (empty = none)
    bool cased = false;                     // letters have capitals (a shift key)
    const char* switchLabel = "";           // what the Latin keyboard's key back to this shows
    const char* moreLabel = "";             // the label of the key to the second page ("" = i18n)
};

// The layout for a UI language (BCP 47); Latin for any language without one of its own.
const ScriptKeyboard& scriptKeyboardFor(std::string_view language);
const ScriptKeyboard& latinKeyboard();
// Every script layout (tests: each key has a glyph, each row fits).
const std::vector<const ScriptKeyboard*>& allScriptKeyboards();

}  // namespace signpost::ui
