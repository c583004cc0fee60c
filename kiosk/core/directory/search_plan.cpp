#include "core/directory/search_plan.h"
#include "core/common/utf8.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace signpost::directory_detail {

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

// How a typed word matches one word of a need. `Prefix` matches are ones the typed word's own
// index phrase already finds wherever the directory uses the need's word (it is that word or its
// start); `Other` ones it does not (a longer form, a word inside a Chinese run).
enum class WordMatch { None, Prefix, Other };

// Arabic writes the article and some prepositions onto the word ("الوحدة", "بالوحدة" for
// "وحدة"); need words are written without them. Returns the word without one, or "".
std::string_view withoutArabicArticle(std::string_view word) {
    // Folded forms (search_text.h): alef-lam, with bi-, wa-, fa-, ka- before it, or li- + lam.
    for (const std::string_view article :
         {"\u0628\u0627\u0644", "\u0648\u0627\u0644", "\u0641\u0627\u0644", "\u0643\u0627\u0644",
          "\u0627\u0644", "\u0644\u0644"}) {
        if (startsWith(word, article) && utf8::count(word) >= utf8::count(article) + 2) {
            return word.substr(article.size());
        }
    }
    return {};
}

WordMatch wordMatchAsTyped(const SearchToken& typed, std::string_view word);

WordMatch wordMatch(const SearchToken& typed, std::string_view word) {
    const WordMatch direct = wordMatchAsTyped(typed, word);
    if (direct != WordMatch::None || typed.cjk) {
        return direct;
    }
    const std::string_view bare = withoutArabicArticle(typed.text);
    if (bare.empty() || !withoutArabicArticle(word).empty()) {
        return WordMatch::None;
    }
    // The typed word's own phrase looks for it with its article: the need's services are new.
    SearchToken stripped = typed;
    stripped.text = std::string(bare);
    return wordMatchAsTyped(stripped, word) != WordMatch::None ? WordMatch::Other : WordMatch::None;
}

WordMatch wordMatchAsTyped(const SearchToken& typed, std::string_view word) {
    if (typed.text == word) {
        return WordMatch::Prefix;
    }
    if (typed.cjk) {
        if (!isCjkToken(word)) {
            return WordMatch::None;
        }
        // Typing the start of a Chinese word ("孤独" -> 孤独感; one character is too little to
        // name anything), or the word inside a run ("我很孤独").
        if (utf8::count(typed.text) >= 2 && startsWith(word, typed.text)) {
            return WordMatch::Prefix;
        }
        return utf8::count(word) >= 2 && typed.text.find(word) != std::string::npos
                   ? WordMatch::Other
                   : WordMatch::None;
    }
    if (utf8::count(typed.text) >= 3 && startsWith(word, typed.text)) {
        return WordMatch::Prefix;  // still typing it: "samot" -> samotność
    }
    if (utf8::count(word) >= 4 && startsWith(typed.text, word)) {
        return WordMatch::Other;  // a longer form: "debts" -> debt, "samotności" -> samotność
    }
    return WordMatch::None;
}

// One letter away from a word of a need: the whole word, or (still typing) its start.
bool slipMatches(const SearchToken& typed, std::string_view word) {
    if (typed.cjk || isCjkToken(word)) {
        return false;
    }
    const std::size_t length = utf8::count(typed.text);
    if (length < kMinSlipLength) {
        return false;
    }
    if (editDistance(typed.text, word, 1) <= 1) {
        return true;
    }
    return !typed.finished && utf8::count(word) > length &&
           editDistance(typed.text, utf8::prefixCodePoints(word, length), 1) <= 1;
}

// Does need phrase `phrase` match the typed words starting at `first`? A phrase of several words
// must be typed in full and in order; its last word may still be being typed.
WordMatch phraseMatchAt(const NeedPhrase& phrase, const std::vector<SearchToken>& tokens,
                        std::size_t first) {
    const std::size_t count = phrase.tokens.size();
    if (first >= tokens.size()) {
        return WordMatch::None;
    }
    if (count == 1) {
        return wordMatch(tokens[first], phrase.tokens[0]);
    }
    // The whole phrase, or (two words or more, at the end of what was typed) its start, the last
    // typed word perhaps unfinished: "food bank", "mental he", "اکیلا پن".
    const std::size_t typed = std::min(count, tokens.size() - first);
    if (typed < count && (typed < 2 || first + typed != tokens.size())) {
        return WordMatch::None;
    }
    for (std::size_t i = 0; i < typed; ++i) {
        const SearchToken& word = tokens[first + i];
        const bool lastTyped = first + i + 1 == tokens.size();
        const bool exact = word.text == phrase.tokens[i];
        const bool typing = i + 1 == typed && lastTyped && !word.finished &&
                            startsWith(phrase.tokens[i], word.text);
        if (!exact && !typing) {
            return WordMatch::None;
        }
    }
    return WordMatch::Prefix;
}

void addUnique(std::vector<std::uint16_t>& values, std::uint16_t value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
    }
}

int addPhrase(QueryPlan& plan, std::string phrase) {
    const auto found = std::find(plan.phrases.begin(), plan.phrases.end(), phrase);
    if (found != plan.phrases.end()) {
        return static_cast<int>(found - plan.phrases.begin());
    }
    plan.phrases.push_back(std::move(phrase));
    return static_cast<int>(plan.phrases.size() - 1);
}

}  // namespace

std::vector<std::string> slipVariants(const Cache& c, std::string_view word, bool finished,
                                      std::size_t limit) {
    const std::size_t length = utf8::count(word);
    if (length < kMinSlipLength || isCjkToken(word) || c.terms.anyStartsWith(word)) {
        return {};
    }
    // One edit leaves either the first k letters or the last length-k-1 untouched (k = (n-1)/2),
    // so every candidate shares a prefix or a suffix with the word: two narrow ranges, not a scan.
    const std::size_t k = (length - 1) / 2;
    struct Candidate {
        int distance;
        bool whole;
        std::string_view term;
    };
    std::vector<Candidate> candidates;
    auto consider = [&](std::string_view term) {
        const std::size_t termLength = utf8::count(term);
        if (termLength + 1 >= length && termLength <= length + 1 &&
            editDistance(word, term, 1) <= 1) {
            candidates.push_back({1, true, term});
        } else if (!finished && termLength > length) {
            int best = 2;
            for (const std::size_t cut : {length - 1, length, length + 1}) {
                best = std::min(best, editDistance(word, utf8::prefixCodePoints(term, cut), 1));
            }
            if (best <= 1) {
                candidates.push_back({best + 1, false, term});
            }
        }
    };
    const std::string_view head = utf8::prefixCodePoints(word, k);
    for (std::size_t i = c.terms.lowerBound(head);
         i < c.terms.size() && startsWith(c.terms.at(i), head); ++i) {
        consider(c.terms.at(i));
    }
    const std::string tail = reversedCodePoints(codePointSuffix(word, length - k - 1));
    for (std::size_t i = c.reversedTerms.lowerBound(tail);
         i < c.reversedTerms.size() && startsWith(c.reversedTerms.at(i), tail); ++i) {
        // The same word in the forward list, whose storage outlives this call.
        const std::size_t at = c.terms.lowerBound(reversedCodePoints(c.reversedTerms.at(i)));
        if (at >= c.terms.size()) {
            continue;
        }
        const std::string_view term = c.terms.at(at);
        const std::size_t termLength = utf8::count(term);
        if (termLength + 1 >= length && termLength <= length + 1 &&
            editDistance(word, term, 1) <= 1) {
            candidates.push_back(
                {1, true, term});  // whole words only: a suffix cannot start a longer word
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.distance, b.whole, a.term) < std::tie(b.distance, a.whole, b.term);
    });
    std::vector<std::string> variants;
    for (const Candidate& candidate : candidates) {
        if (variants.size() == limit) {
            break;
        }
        if (std::find(variants.begin(), variants.end(), candidate.term) == variants.end()) {
            variants.emplace_back(candidate.term);
        }
    }
    return variants;
}

QueryPlan planQuery(const std::vector<SearchToken>& tokens, const Cache& c) {
    QueryPlan plan;
    plan.groups.resize(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        QueryGroup& group = plan.groups[i];
        group.typedLength = utf8::count(tokens[i].text);
        group.phrases.push_back(addPhrase(plan, phraseFor(tokens[i])));
    }
    // Needs named in any language: each phrase tried at each position.
    std::vector<bool> namedByText(tokens.size(), false);
    for (const NeedPhrase& phrase : c.needPhrases) {
        for (std::size_t first = 0; first < tokens.size(); ++first) {
            const WordMatch match = phraseMatchAt(phrase, tokens, first);
            if (match == WordMatch::None) {
                continue;
            }
            for (std::size_t i = first; i < std::min(tokens.size(), first + phrase.tokens.size());
                 ++i) {
                namedByText[i] = true;  // a word of the need (directory or texts): no slips for it
                // The directory's own words are in the index under the need's services: the typed
                // word's phrase already finds them, unless it is a longer form.
                if (phrase.fromTexts || match == WordMatch::Other) {
                    addUnique(plan.groups[i].needs, phrase.need);
                    addUnique(plan.namedNeeds, phrase.need);
                }
            }
        }
    }
    // Slips, only for words the index and the needs have nothing for.
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (namedByText[i]) {
            continue;
        }
        const std::vector<std::string> variants =
            slipVariants(c, tokens[i].text, tokens[i].finished);
        for (const std::string& variant : variants) {
            const int phrase = addPhrase(plan, phraseFor(SearchToken{variant, true, false}, false));
            if (std::find(plan.groups[i].phrases.begin(), plan.groups[i].phrases.end(), phrase) ==
                plan.groups[i].phrases.end()) {
                plan.groups[i].phrases.push_back(phrase);
            }
        }
        if (c.terms.anyStartsWith(tokens[i].text)) {
            continue;  // the index has the word: it is not a slip
        }
        for (const NeedPhrase& phrase : c.needPhrases) {
            if (phrase.tokens.size() == 1 && slipMatches(tokens[i], phrase.tokens[0])) {
                addUnique(plan.groups[i].needs, phrase.need);
                addUnique(plan.namedNeeds, phrase.need);
            }
        }
    }
    for (QueryGroup& group : plan.groups) {
        std::sort(group.needs.begin(), group.needs.end());
        for (const std::uint16_t need : group.needs) {
            if (need >= c.needRows.size()) {
                continue;
            }
            std::vector<std::int64_t> merged;
            std::set_union(group.needRows.begin(), group.needRows.end(), c.needRows[need].begin(),
                           c.needRows[need].end(), std::back_inserter(merged));
            group.needRows.swap(merged);
        }
    }
    // Longest word first: it is usually the rarest, and later walks then record only its rows.
    std::stable_sort(
        plan.groups.begin(), plan.groups.end(),
        [](const QueryGroup& a, const QueryGroup& b) { return a.typedLength > b.typedLength; });
    std::sort(plan.namedNeeds.begin(), plan.namedNeeds.end());
    for (const std::string& phrase : plan.phrases) {
        if (!plan.expression.empty()) {
            plan.expression += " OR ";
        }
        plan.expression += phrase;
    }
    return plan;
}

}  // namespace signpost::directory_detail
