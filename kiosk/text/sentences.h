// Signpost text — a text cut into sentences (ICU's sentence BreakIterator, UAX #29), for
// read-aloud: each sentence is read, and highlighted, on its own. "۔", "।", "。" and "؟" end
// sentences as "." and "?" do.
// Thread-safety: pure function (its own iterator each call).
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost::text {

// Byte ranges [begin, end) of the sentences of `text`, in order, without the white space around
// them; sentences with nothing but spaces and punctuation are left out.
std::vector<std::pair<std::size_t, std::size_t>> sentenceRanges(std::string_view text,
                                                                std::string_view language);

}  // namespace signpost::text
