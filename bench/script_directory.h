// Benchmarks only — a synthetic directory rewritten in Chinese or Arabic script.
//
// The search benchmark must show search-as-you-type in Chinese and Arabic at 10k services, with
// text as such directories have it. generateSyntheticDirectory() writes English; this rewrites
// every word of its names, descriptions, organisations, places and need terms through one fixed
// dictionary: real translations for the words residents search for ("food" 食物 / طعام, "bank"
// 银行 / بنك, "lonely" 孤独 / وحيد, ...) and, for every other word, a made-up word of the script
// (two Han characters; three to six Arabic letters) derived from a hash of the English word. So
// word frequencies, name lengths and the share of common words are those of the English data.
// Chinese is written without spaces between words and with Chinese punctuation; Arabic keeps its
// spaces, and one word in eight carries harakat, as some real data does.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/directory/directory_types.h"

namespace signpost::bench {

enum class Script { Latin, Chinese, Arabic };

// "latin", "chinese", "arabic".
std::string_view scriptName(Script script);

// `english` (words, spaces, punctuation) in `script`, word by word through the dictionary.
std::string inScript(std::string_view english, Script script);

// Every searchable text of `data` rewritten with inScript(); ids, codes, phones, postcodes and
// neighbourhood names (filters) stay as they are.
DirectoryData rewriteInScript(DirectoryData data, Script script);

}  // namespace signpost::bench
