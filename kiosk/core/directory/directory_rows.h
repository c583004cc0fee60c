// Signpost — how the directory's values are laid out in SQLite rows (internal to the directory
// module): the schema, its version, and the small conversions every reader and writer shares.
//
// Thread-safety: pure functions and constants.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/storage/database.h"

namespace signpost::directory_detail {

// Bump when the schema or foldLetters() changes: an older file is then rebuilt from the bundle.
// 2: marks are letters in the index (Bengali, Gurmukhi), foldLetters() folds Arabic script and
// writes Chinese as bigrams (search_text.h).
inline constexpr int kSchemaVersion = 2;
// The vocabulary whose terms are the kiosk's needs.
inline constexpr std::string_view kNeedsVocabulary = "signpost-needs";

// CREATE statements for a new directory database (run once, in a transaction).
const char* directorySchemaSql();

// Keywords are stored in one column, separated by U+001F (a character no keyword contains).
std::string joinKeywords(const std::vector<std::string>& keywords);
std::vector<std::string> splitKeywords(std::string_view joined);
// Dates are stored as "YYYY-MM-DD" text, or NULL.
void bindOptionalDate(Statement& statement, int index, const std::optional<CivilDate>& date);
std::optional<CivilDate> columnDate(const Statement& statement, int column);
// Appends `words` to `into` with one space between, skipping empty ones.
void appendWords(std::string& into, std::string_view words);

}  // namespace signpost::directory_detail
