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
// 2: recurrence parts, cost_known, check_times (issue 11).
// 3: marks are letters in the index (Bengali, Gurmukhi), foldLetters() folds Arabic script and
// writes Chinese as bigrams (search_text.h).
inline constexpr int kSchemaVersion = 3;

// CREATE statements for a new directory database (run once, in a transaction).
const char* directorySchemaSql();

// The schedules table's rule columns in the order readScheduleRow() reads them from `first`.
const char* scheduleColumns();
std::optional<ScheduleRule> readScheduleRow(const Statement& row, int first);

// The taxonomy_terms columns (table alias `t`) in the order readTermRow() reads them from
// `first`; kTermColumnCount of them.
const char* termColumns();
inline constexpr int kTermColumnCount = 8;
TaxonomyTerm readTermRow(const Statement& row, int first);

// Keywords are stored in one column, separated by U+001F (a character no keyword contains).
std::string joinKeywords(const std::vector<std::string>& keywords);
std::vector<std::string> splitKeywords(std::string_view joined);
// Dates are stored as "YYYY-MM-DD" text, or NULL.
void bindOptionalDate(Statement& statement, int index, const std::optional<CivilDate>& date);
std::optional<CivilDate> columnDate(const Statement& statement, int column);
// Appends `words` to `into` with one space between, skipping empty ones.
void appendWords(std::string& into, std::string_view words);

}  // namespace signpost::directory_detail
