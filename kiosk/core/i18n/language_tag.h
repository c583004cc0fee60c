// Signpost — BCP 47 language tags for the languages the kiosk offers ("en", "ckb", "zh-Hans").
//
// The kiosk names a language by the tag of its text file (assets/i18n/<tag>.json) in config,
// remote settings and referrals. Two letters are not enough: Kurdish (Sorani) is "ckb" (ISO 639-3)
// and Chinese needs its script ("zh-Hans", "zh-Hant"). The accepted subset of BCP 47 (RFC 5646) is
// language ["-" script] ["-" region]: a 2- or 3-letter language subtag, a 4-letter script subtag,
// a 2-letter or 3-digit region subtag. Private use, variants and extensions are refused: no text
// file is named like that, and a tag that is part of a file name must stay simple. Each subtag
// must be one ICU knows (the language and script registries in ICU's data), so a typo ("xx",
// "zh-Hanz") is an error, not a language that silently never appears.
//
// Thread-safety: pure functions (ICU's locale data is read-only and thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace signpost {

// The tag in canonical case ("ZH-hans" -> "zh-Hans", "EN-gb" -> "en-GB") if it is a well-formed,
// known tag of the subset above; nullopt otherwise. Never throws.
std::optional<std::string> canonicalLanguageTag(std::string_view tag);

// The language subtag of a well-formed tag, lower case ("zh-Hans" -> "zh"); "" if not well formed.
std::string primaryLanguage(std::string_view tag);

}  // namespace signpost
