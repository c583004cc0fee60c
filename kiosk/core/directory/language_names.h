// Signpost — language codes as HSDS `languages` give them: ISO 639-1 codes, ISO 639-2/3 codes,
// or only an English name ("Urdu", "British Sign Language").
//
// The directory stores the shortest ISO 639 code (639-1 where one exists, else 639-3: "bfi" for
// British Sign Language), so the kiosk's language filter matches "ur", "urd" and "Urdu" alike.
// The names table covers the languages spoken in Manchester's communities (the city council's
// census list) plus the major European ones; a name not in it is reported, never guessed.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace signpost {

// "ur", "URD", "urd" -> "ur"; "bfi" -> "bfi"; any other 2-3 letter code -> lower-cased as given.
// nullopt when `code` is not 2 or 3 ASCII letters.
std::optional<std::string> normaliseLanguageCode(std::string_view code);
// "Urdu", "urdu", "Polish (Polski)", "BSL" -> the code; nullopt for a name not in the table.
std::optional<std::string> languageCodeForName(std::string_view name);
// The English name for a code in the table ("ur" -> "Urdu"); "" when unknown.
std::string_view languageEnglishName(std::string_view code);

}  // namespace signpost
