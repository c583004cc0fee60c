// Signpost — what one search looks for (internal to the directory module).
//
// Each word the resident typed (after search_text's folding and stop words) becomes one required
// group, satisfied by any of:
// - the word itself in the index: a prefix ("lonel"*), or a Chinese run's bigram phrase;
// - index words one letter away, when nothing in the index starts with the word and it has five
//   letters or more: optimal string alignment distance 1, so a substitution, insertion, deletion or
//   swap of neighbours ("lonley" -> "lonely"; a word still being typed also matches the start of a
//   longer word, "lonle" -> "lonely"). At most kMaxSlipVariants per word, closest first;
// - the services of a need the word names in any language: the need's tile name or one of its
//   "need.<code>.words" (samotność, تنهایی, 孤独 -> Feeling lonely), exactly, as the start of a
//   longer word (three letters or more typed), as a longer form of it ("samotności" for
//   "samotność"; four letters or more), or, for Chinese, inside the typed run ("我很孤独"); a
//   several-word synonym must be typed in full, in order. A word with no match in the index may
//   also name a need by a one-letter slip of any of its words, in the directory's data or the
//   texts.
//
// Why words of five letters or more for slips: a shorter word has too many neighbours one letter
// away ("food" -> "good", "fool", "ford"), and as-you-type search sees every short prefix.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/directory/directory_cache.h"
#include "core/directory/search_text.h"

namespace signpost::directory_detail {

inline constexpr std::size_t kMaxSlipVariants = 6;
inline constexpr std::size_t kMinSlipLength = 5;  // code points

struct QueryGroup {
    std::vector<int> phrases;            // indexes into QueryPlan::phrases; the typed word first
    std::vector<std::uint16_t> needs;    // needs the word names (their services satisfy it too)
    std::vector<std::int64_t> needRows;  // those needs' active services, ascending rowids
    std::size_t typedLength = 0;         // code points typed, for the walk order
};

struct QueryPlan {
    std::vector<std::string> phrases;  // FTS5 phrases ("food"*, "lonely", "食物 物银"), unique
    std::vector<QueryGroup> groups;    // one per word, most selective first
    std::string expression;            // every phrase, joined by OR
    std::vector<std::uint16_t> namedNeeds;  // needs named by a translation or a slip, in need order
};

// The plan for `tokens` (meaningfulSearchTokens() of what was typed) over cache `c`. An empty
// token list gives an empty plan.
QueryPlan planQuery(const std::vector<SearchToken>& tokens, const Cache& c);

// Index words within one letter of `word` (see the top of this file; `finished` false also allows
// a longer word that starts one letter away), closest first, at most `limit`. Only when no index
// word starts with `word`; empty for Chinese and for words shorter than kMinSlipLength.
std::vector<std::string> slipVariants(const Cache& c, std::string_view word, bool finished,
                                      std::size_t limit = kMaxSlipVariants);

}  // namespace signpost::directory_detail
