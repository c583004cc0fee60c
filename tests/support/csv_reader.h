// Test support — a strict RFC 4180 reader for checking the CSV files the tools write.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signpost::test {

// Rows of cells. A leading UTF-8 byte-order mark is skipped; quoted cells may hold commas,
// CR, LF and doubled quotes. Throws std::runtime_error when a quote is left open or the last
// row does not end with CRLF (every row we write does), so a truncated file cannot pass.
std::vector<std::vector<std::string>> parseCsv(std::string_view text);

}  // namespace signpost::test
